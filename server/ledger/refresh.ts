/**
 * After money changed for debtors (a payment recorded, confirmed, reversed or merged), the stored
 * verdicts catch up with the derived ledger (./ledger-view.ts), in the same transaction:
 * - each installment's allocation (paid, paid on) — it travels to the phone in the sync feed;
 * - an agreement whose installments are all paid is completed (and its debts settled); one an
 *   undo left unpaid goes back to active, or to broken when a last day to pay has passed;
 * - an active agreement already past a last day to pay is broken now (the daily job does the same
 *   for agreements nobody paid, ../agreements/agreement-job.ts);
 * - a debt with nothing left is settled on the day of its last payment, and each listing of it
 *   (negativação/protesto) starts its Súmula 548 removal deadline; a settled debt that owes again
 *   (an undone payment) is reopened and its listing's removal deadline withdrawn.
 * Set-based for many debtors at once (a bank statement touches thousands): facts loaded with one
 * query per table, writes batched per kind (versions and change feed as db/write.ts keeps them),
 * every verdict audited.
 */
import { listingRemovalDueBy } from '#shared/domain/escalation.schema';
import { agreementView } from '#shared/ledger/debtor-ledger';
import type { CalendarDate } from '#shared/time/calendar-date';
import type { Tx } from '../db/db';
import { updateEntity } from '../db/write';
import { updateEntities } from '../import/bulk-write';
import { groupBy, loadMoneyFacts, type DebtorFacts } from './debtor-state';
import { ledgerAgreements, ledgerOf, ledgerPayment } from './ledger-view';
import type { AgreementRow, InstallmentRow, PaymentRow } from './rows';
import type { LedgerSettings } from './settings';

export interface RefreshResult {
  completed: string[];
  broken: string[];
  reopenedAgreements: string[];
  settled: string[];
  reopenedDebts: string[];
}

interface AuditRow {
  action: string;
  entity: string;
  entityId: string;
  detail: Record<string, unknown>;
}

/** The last payment day a breakdown shows (the day a settled debt was settled). */
function lastPaymentDay(lines: readonly { kind: string; date: string }[]): CalendarDate | null {
  const days = lines.filter((l) => l.kind === 'payment').map((l) => l.date);
  return (days.sort().at(-1) ?? null) as CalendarDate | null;
}

/**
 * The facts of `debtorIds`; with `preloaded` (facts read earlier in this transaction), only the
 * tables money writes touch (payments, agreements, installments) are read again.
 */
async function currentFacts(
  tx: Tx,
  debtorIds: readonly string[],
  preloaded?: Map<string, DebtorFacts>,
): Promise<Map<string, DebtorFacts>> {
  if (!preloaded || debtorIds.some((id) => !preloaded.has(id)))
    return loadMoneyFacts(tx, debtorIds);
  const ids = [...new Set(debtorIds)];
  const [payments, agreements, installments] = await Promise.all([
    tx.query<PaymentRow>(
      'SELECT * FROM payments WHERE debtor_id = ANY($1::uuid[]) ORDER BY paid_on, created_at, id',
      [ids],
    ),
    tx.query<AgreementRow>(
      'SELECT * FROM agreements WHERE debtor_id = ANY($1::uuid[]) ORDER BY created_at, id',
      [ids],
    ),
    tx.query<InstallmentRow & { debtor_id: string }>(
      'SELECT * FROM installments WHERE debtor_id = ANY($1::uuid[]) ORDER BY agreement_id, seq',
      [ids],
    ),
  ]);
  const p = groupBy(payments);
  const a = groupBy(agreements);
  const i = groupBy(installments);
  const out = new Map<string, DebtorFacts>();
  for (const id of ids) {
    const base = preloaded.get(id);
    if (!base) continue;
    out.set(id, {
      ...base,
      payments: p.get(id) ?? [],
      agreements: a.get(id) ?? [],
      installments: i.get(id) ?? [],
    });
  }
  return out;
}

/** Brings the stored verdicts of `debtorIds` in line with their ledgers as of `today`. */
export async function refreshDebtors(
  tx: Tx,
  debtorIds: readonly string[],
  settings: Pick<LedgerSettings, 'holidays' | 'state'>,
  today: CalendarDate,
  actor: string | null = null,
  preloaded?: Map<string, DebtorFacts>,
): Promise<RefreshResult> {
  const result: RefreshResult = {
    completed: [],
    broken: [],
    reopenedAgreements: [],
    settled: [],
    reopenedDebts: [],
  };
  if (debtorIds.length === 0) return result;
  const all = await currentFacts(tx, debtorIds, preloaded);
  const installments: { id: string; paid_cents: number; paid_on: string | null }[] = [];
  const completed: { id: string; status: string; completed_on: string | null }[] = [];
  const broken: { id: string; status: string; broken_on: string | null; completed_on: null }[] = [];
  const reopenedAgreements: { id: string; status: string; completed_on: null }[] = [];
  const settled: { id: string; status: string; settled_on: string }[] = [];
  const reopened: { id: string; status: string; settled_on: null }[] = [];
  const audits: AuditRow[] = [];
  const escalationWrites: (() => Promise<unknown>)[] = [];

  for (const facts of all.values()) {
    const confirmed = facts.payments.filter((p) => p.status === 'confirmed').map(ledgerPayment);
    const agreements = ledgerAgreements(facts.agreements, facts.installments, facts.agreementDebts);
    const statusNow = new Map<string, AgreementRow['status']>();
    for (const row of facts.agreements) {
      if (row.status !== 'active' && row.status !== 'completed') continue;
      const input = agreements.find((a) => a.id === row.id);
      if (!input) continue;
      // A completed agreement is judged again as if active: an undo may have taken money away.
      const view = agreementView(
        { ...input, status: 'active', brokenOn: null, completedOn: null },
        confirmed.filter((p) => p.agreementId === row.id),
        today,
      );
      for (const inst of view.installments) {
        const stored = facts.installments.find(
          (i) => i.agreement_id === row.id && i.seq === inst.number,
        );
        if (stored && (stored.paid_cents !== inst.paid || (stored.paid_on ?? null) !== inst.paidOn))
          installments.push({ id: stored.id, paid_cents: inst.paid, paid_on: inst.paidOn });
      }
      if (row.status === 'active' && view.status === 'completed') {
        completed.push({ id: row.id, status: 'completed', completed_on: view.completedOn });
        statusNow.set(row.id, 'completed');
        audits.push({
          action: 'agreement.complete',
          entity: 'agreement',
          entityId: row.id,
          detail: { completedOn: view.completedOn, paid: view.paid },
        });
        result.completed.push(row.id);
      } else if (view.status === 'broken') {
        broken.push({ id: row.id, status: 'broken', broken_on: view.brokenOn, completed_on: null });
        statusNow.set(row.id, 'broken');
        audits.push({
          action: 'agreement.break',
          entity: 'agreement',
          entityId: row.id,
          detail: { brokenOn: view.brokenOn, paid: view.paid, remaining: view.remaining },
        });
        result.broken.push(row.id);
      } else if (row.status === 'completed' && view.status === 'active') {
        reopenedAgreements.push({ id: row.id, status: 'active', completed_on: null });
        statusNow.set(row.id, 'active');
        audits.push({
          action: 'agreement.reopen',
          entity: 'agreement',
          entityId: row.id,
          detail: { paid: view.paid, remaining: view.remaining },
        });
        result.reopenedAgreements.push(row.id);
      }
    }
    settleFacts(facts, statusNow, today, settings, {
      settled,
      reopened,
      audits,
      escalationWrites,
      tx,
      result,
    });
  }

  await updateEntities(
    tx,
    'installment',
    { id: 'uuid', paid_cents: 'bigint', paid_on: 'date' },
    installments,
  );
  await updateEntities(
    tx,
    'agreement',
    { id: 'uuid', status: 'text', completed_on: 'date' },
    completed,
  );
  await updateEntities(
    tx,
    'agreement',
    { id: 'uuid', status: 'text', broken_on: 'date', completed_on: 'date' },
    broken,
  );
  await updateEntities(
    tx,
    'agreement',
    { id: 'uuid', status: 'text', completed_on: 'date' },
    reopenedAgreements,
  );
  await updateEntities(tx, 'debt', { id: 'uuid', status: 'text', settled_on: 'date' }, settled);
  await updateEntities(tx, 'debt', { id: 'uuid', status: 'text', settled_on: 'date' }, reopened);
  for (const write of escalationWrites) await write();
  if (audits.length > 0)
    await tx.query(
      `INSERT INTO audit_log (actor_id, action, entity, entity_id, detail)
       SELECT $1, u.action, u.entity, u.entity_id, u.detail
       FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[]) AS u(action, entity, entity_id, detail)`,
      [
        actor,
        audits.map((a) => a.action),
        audits.map((a) => a.entity),
        audits.map((a) => a.entityId),
        audits.map((a) => JSON.stringify(a.detail)),
      ],
    );
  return result;
}

/** Debts settled or reopened by the ledger read with the agreements' new states. */
function settleFacts(
  facts: DebtorFacts,
  statusNow: Map<string, AgreementRow['status']>,
  today: CalendarDate,
  settings: Pick<LedgerSettings, 'holidays' | 'state'>,
  out: {
    settled: { id: string; status: string; settled_on: string }[];
    reopened: { id: string; status: string; settled_on: null }[];
    audits: AuditRow[];
    escalationWrites: (() => Promise<unknown>)[];
    tx: Tx;
    result: RefreshResult;
  },
): void {
  const agreements = facts.agreements.map((a) => {
    const now = statusNow.get(a.id);
    return now === undefined ? a : { ...a, status: now };
  });
  const ledger = ledgerOf({ ...facts, agreements }, today);
  for (const view of ledger.debts) {
    const row = facts.debts.find((d) => d.id === view.id);
    if (!row || row.status === 'cancelled' || view.agreementStatus === 'active') continue;
    const owes = view.breakdown.totalDue > 0;
    if (row.status === 'open' && !owes) {
      const on =
        view.agreementStatus === 'completed'
          ? (ledger.agreements.find((a) => a.id === view.agreementId)?.completedOn ?? today)
          : lastPaymentDay(view.breakdown.lines);
      if (on === null) continue;
      out.settled.push({ id: row.id, status: 'settled', settled_on: on });
      out.result.settled.push(row.id);
      for (const listing of facts.escalations.filter(
        (e) => e.debt_id === row.id && e.status === 'listed',
      ))
        out.escalationWrites.push(() =>
          updateEntity(out.tx, 'escalation', listing.id, {
            status: 'removal_due',
            paid_on: on,
            removal_due_on: listingRemovalDueBy(on, {
              ...settings.holidays,
              state: settings.holidays.state ?? settings.state,
            }),
          }),
        );
    } else if (row.status === 'settled' && owes) {
      out.reopened.push({ id: row.id, status: 'open', settled_on: null });
      out.result.reopenedDebts.push(row.id);
      // The payment that started the removal deadline was undone: the listing stands again.
      for (const listing of facts.escalations.filter(
        (e) => e.debt_id === row.id && e.status === 'removal_due',
      ))
        out.escalationWrites.push(() =>
          updateEntity(out.tx, 'escalation', listing.id, {
            status: 'listed',
            paid_on: null,
            removal_due_on: null,
          }),
        );
      out.audits.push({
        action: 'debt.reopen',
        entity: 'debt',
        entityId: row.id,
        detail: { totalDue: view.breakdown.totalDue },
      });
    }
  }
}

/** `refreshDebtors` for one debtor. */
export function refreshDebtor(
  tx: Tx,
  debtorId: string,
  settings: Pick<LedgerSettings, 'holidays' | 'state'>,
  today: CalendarDate,
  actor: string | null = null,
): Promise<RefreshResult> {
  return refreshDebtors(tx, [debtorId], settings, today, actor);
}
