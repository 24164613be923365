/**
 * After money changed for a debtor (a payment recorded, confirmed, reversed or merged), the stored
 * verdicts catch up with the derived ledger (./ledger-view.ts), in the same transaction:
 * - each installment's allocation (paid, paid on) — it travels to the phone in the sync feed;
 * - an agreement whose installments are all paid is completed (and its debts settled); one an
 *   undo left unpaid goes back to active, or to broken when a last day to pay has passed;
 * - an active agreement already past a last day to pay is broken now (the daily job does the same
 *   for agreements nobody paid, ../agreements/agreement-job.ts);
 * - a debt with nothing left is settled on the day of its last payment, and each listing of it
 *   (negativação/protesto) starts its Súmula 548 removal deadline; a settled debt that owes again
 *   (an undone payment) is reopened and its listing's removal deadline withdrawn.
 * Every write goes through db/write.ts (versions, change feed) and every verdict is audited.
 */
import { listingRemovalDueBy } from '#shared/domain/escalation.schema';
import { agreementView, type AgreementView } from '#shared/ledger/debtor-ledger';
import type { CalendarDate } from '#shared/time/calendar-date';
import { audit } from '../db/audit';
import type { Tx } from '../db/db';
import { updateEntity } from '../db/write';
import { loadDebtorFacts } from './debtor-state';
import { ledgerAgreements, ledgerOf, ledgerPayment } from './ledger-view';
import type { EscalationRow } from './rows';
import type { LedgerSettings } from './settings';

export interface RefreshResult {
  completed: string[];
  broken: string[];
  reopenedAgreements: string[];
  settled: string[];
  reopenedDebts: string[];
}

/** The last payment day a breakdown shows (the day a settled debt was settled). */
function lastPaymentDay(lines: readonly { kind: string; date: string }[]): CalendarDate | null {
  const days = lines.filter((l) => l.kind === 'payment').map((l) => l.date);
  return (days.sort().at(-1) ?? null) as CalendarDate | null;
}

/** Brings the stored verdicts of `debtorId` in line with its ledger as of `today`. */
export async function refreshDebtor(
  tx: Tx,
  debtorId: string,
  settings: Pick<LedgerSettings, 'holidays' | 'state'>,
  today: CalendarDate,
  actor: string | null = null,
): Promise<RefreshResult> {
  const result: RefreshResult = {
    completed: [],
    broken: [],
    reopenedAgreements: [],
    settled: [],
    reopenedDebts: [],
  };
  const facts = (await loadDebtorFacts(tx, [debtorId])).get(debtorId);
  if (!facts) return result;
  const confirmed = facts.payments.filter((p) => p.status === 'confirmed').map(ledgerPayment);
  const ledgerAgreementsList = ledgerAgreements(
    facts.agreements,
    facts.installments,
    facts.agreementDebts,
  );

  for (const row of facts.agreements) {
    if (row.status !== 'active' && row.status !== 'completed') continue;
    const input = ledgerAgreementsList.find((a) => a.id === row.id);
    if (!input) continue;
    // A completed agreement is judged again as if active: an undo may have taken money away.
    const view: AgreementView = agreementView(
      { ...input, status: 'active', brokenOn: null, completedOn: null },
      confirmed.filter((p) => p.agreementId === row.id),
      today,
    );
    for (const inst of view.installments) {
      const stored = facts.installments.find(
        (i) => i.agreement_id === row.id && i.seq === inst.number,
      );
      if (!stored) continue;
      if (stored.paid_cents !== inst.paid || (stored.paid_on ?? null) !== inst.paidOn)
        await updateEntity(tx, 'installment', stored.id, {
          paid_cents: inst.paid,
          paid_on: inst.paidOn,
        });
    }
    const verdict = view.status;
    if (row.status === 'active' && verdict === 'completed') {
      await updateEntity(tx, 'agreement', row.id, {
        status: 'completed',
        completed_on: view.completedOn,
      });
      await audit(tx, {
        actor,
        action: 'agreement.complete',
        entity: 'agreement',
        entityId: row.id,
        detail: { completedOn: view.completedOn, paid: view.paid },
      });
      result.completed.push(row.id);
    } else if (verdict === 'broken') {
      await updateEntity(tx, 'agreement', row.id, {
        status: 'broken',
        broken_on: view.brokenOn,
        completed_on: null,
      });
      await audit(tx, {
        actor,
        action: 'agreement.break',
        entity: 'agreement',
        entityId: row.id,
        detail: { brokenOn: view.brokenOn, paid: view.paid, remaining: view.remaining },
      });
      result.broken.push(row.id);
    } else if (row.status === 'completed' && verdict === 'active') {
      await updateEntity(tx, 'agreement', row.id, { status: 'active', completed_on: null });
      await audit(tx, {
        actor,
        action: 'agreement.reopen',
        entity: 'agreement',
        entityId: row.id,
        detail: { paid: view.paid, remaining: view.remaining },
      });
      result.reopenedAgreements.push(row.id);
    }
  }

  // Debts follow the ledger re-read with the agreements' new states.
  const fresh = (await loadDebtorFacts(tx, [debtorId])).get(debtorId) ?? facts;
  const ledger = ledgerOf(fresh, today);
  for (const view of ledger.debts) {
    const row = fresh.debts.find((d) => d.id === view.id);
    if (!row || row.status === 'cancelled' || view.agreementStatus === 'active') continue;
    const owes = view.breakdown.totalDue > 0;
    if (row.status === 'open' && !owes) {
      const on =
        view.agreementStatus === 'completed'
          ? (ledger.agreements.find((a) => a.id === view.agreementId)?.completedOn ?? today)
          : lastPaymentDay(view.breakdown.lines);
      if (on === null) continue;
      await updateEntity(tx, 'debt', row.id, { status: 'settled', settled_on: on });
      result.settled.push(row.id);
      const listings = fresh.escalations.filter(
        (e: EscalationRow) => e.debt_id === row.id && e.status === 'listed',
      );
      for (const listing of listings)
        await updateEntity(tx, 'escalation', listing.id, {
          status: 'removal_due',
          paid_on: on,
          removal_due_on: listingRemovalDueBy(on, {
            ...settings.holidays,
            state: settings.holidays.state ?? settings.state,
          }),
        });
    } else if (row.status === 'settled' && owes) {
      await updateEntity(tx, 'debt', row.id, { status: 'open', settled_on: null });
      result.reopenedDebts.push(row.id);
      // The payment that started the removal deadline was undone: the listing stands again.
      const removals = fresh.escalations.filter(
        (e: EscalationRow) => e.debt_id === row.id && e.status === 'removal_due',
      );
      for (const listing of removals)
        await updateEntity(tx, 'escalation', listing.id, {
          status: 'listed',
          paid_on: null,
          removal_due_on: null,
        });
      await audit(tx, {
        actor,
        action: 'debt.reopen',
        entity: 'debt',
        entityId: row.id,
        detail: { totalDue: view.breakdown.totalDue },
      });
    }
  }
  return result;
}
