/**
 * The set-based way to apply a push batch (push.ts runs it first; any error there rolls the
 * transaction back and the batch runs again one fact at a time under savepoints).
 *
 * The caller holds the device row and every debtor row of the batch locked. Here:
 * - ONE assignment read for the whole batch (the collector's rows for those debtors) decides each
 *   fact's scope (fact-rows.ts assignmentScope), and ONE read of the debts the payments name;
 * - visits, their contacts and payments are decided in memory with the same rules as the
 *   per-fact appliers (fact-rows.ts) and written with one INSERT per table;
 * - a payment whose receipt number the collector already used (earlier in the batch, or in a
 *   row another transaction committed first) is skipped by `ON CONFLICT DO NOTHING` and answered
 *   `duplicate_receipt`, as the per-fact path answers the unique violation;
 * - the other kinds (promises, agreements, field edits, logged contacts…) read the debtor's state,
 *   so the pending inserts are written first and the fact is applied by its own applier, in seq
 *   order, with the scope already decided. Such a fact refused by a rule throws, which sends the
 *   whole batch to the per-fact fallback: refusals of those kinds are rare, visits and payments
 *   are most of a field day.
 * - a payment is checked against what is open (money.ts aboveOpenIn, on the batch's money facts
 *   read once, earlier reports of the batch counted as waiting) and refused with the same reason
 *   as the per-fact path; a PIX or transfer report goes through its own applier, since the bank
 *   statement may already have brought that money (merged, never counted twice).
 */
import { cents } from '#shared/money/money';
import type { Row, Tx } from '../db/db';
import { insertEntities } from '../db/write';
import { loadMoneyFacts, type DebtorFacts } from '../ledger/debtor-state';
import { aboveOpenIn, BANK_METHODS } from '../ledger/money';
import type { PaymentRow } from '../ledger/rows';
import { loadLedgerSettings, todayFor } from '../ledger/settings';
import { applyMutation } from './apply';
import {
  assignmentScope,
  paymentDebtRefusal,
  paymentRow,
  type FactSource,
  type Scope,
  visitRows,
} from './fact-rows';
import { type BatchInput, type FactOutcome, type Item, validateFact } from './push-facts';

const flagged = (scope: Scope): Pick<FactOutcome, 'reason'> =>
  scope === 'formerly_assigned' ? { reason: 'recorded_while_unassigned' } : {};

/** Rows decided but not yet written, in seq order. */
interface Pending {
  visits: Row[];
  contacts: Row[];
  payments: Row[];
}

/**
 * Applies the batch's new facts (seq order); `existing` = the batch's debtors that exist (locked
 * by the caller). Answers each fact's outcome by mutation id; throws on anything unexpected.
 */
export async function applySetBased(
  tx: Tx,
  b: BatchInput,
  facts: readonly Item[],
  existing: ReadonlySet<string>,
): Promise<Map<string, FactOutcome>> {
  const outcomes = new Map<string, FactOutcome>();
  const valid = facts.flatMap((item) => {
    const fact = validateFact(b, item);
    if ('item' in fact) return [fact];
    outcomes.set(item.id, fact);
    return [];
  });
  if (valid.length === 0) return outcomes;

  const debtorIds = [...new Set(valid.map((f) => f.mutation.debtor_id))].filter((id) =>
    existing.has(id),
  );
  const assignments = new Map<string, { ended_at: Date | null }[]>();
  if (debtorIds.length > 0)
    for (const row of await tx.query<{ debtor_id: string; ended_at: Date | null }>(
      'SELECT debtor_id, ended_at FROM assignments WHERE collector_id = $1 AND debtor_id = ANY($2::uuid[])',
      [b.collectorId, debtorIds],
    ))
      assignments.set(row.debtor_id, [...(assignments.get(row.debtor_id) ?? []), row]);
  const debtIds = [
    ...new Set(
      valid.flatMap((f) =>
        f.payload.type === 'payment.recorded' ? [f.payload.payload.debtId] : [],
      ),
    ),
  ];
  const debts = new Map<string, { debtor_id: string; status: string }>();
  if (debtIds.length > 0)
    for (const row of await tx.query<{ id: string; debtor_id: string; status: string }>(
      'SELECT id, debtor_id, status FROM debts WHERE id = ANY($1::uuid[])',
      [debtIds],
    ))
      debts.set(row.id, row);
  // What is open is read once for every debtor a payment names (one query per table).
  const money = new Map<string, DebtorFacts>();
  let today = '' as ReturnType<typeof todayFor>;
  if (debtIds.length > 0) {
    today = todayFor(await loadLedgerSettings(tx), b.now);
    const payers = [
      ...new Set(
        valid.flatMap((f) => (f.payload.type === 'payment.recorded' ? [f.mutation.debtor_id] : [])),
      ),
    ].filter((id) => existing.has(id));
    for (const [id, facts] of await loadMoneyFacts(tx, payers)) money.set(id, facts);
  }

  const pending: Pending = { visits: [], contacts: [], payments: [] };
  const receipts = new Set<string>();
  // Receipt numbers the collector already used in rows committed earlier: such a report is a
  // duplicate, and must not count as waiting for the office when later reports are checked.
  const batchReceipts = valid.flatMap((f) =>
    f.payload.type === 'payment.recorded' ? [f.payload.payload.receiptNumber] : [],
  );
  const usedBefore = new Map<string, string>();
  if (batchReceipts.length > 0)
    for (const row of await tx.query<{ id: string; receipt_number: string }>(
      `SELECT id, receipt_number FROM payments WHERE reported_by = $1 AND receipt_number = ANY($2::text[])`,
      [b.collectorId, batchReceipts],
    ))
      usedBefore.set(row.receipt_number, row.id);
  const flush = async () => {
    await insertEntities(tx, 'visit', pending.visits);
    await insertEntities(tx, 'contact', pending.contacts);
    const paid = await insertEntities(tx, 'payment', pending.payments, { skipConflicts: true });
    const skipped = pending.payments.map((r) => String(r['id'])).filter((id) => !paid.has(id));
    if (skipped.length > 0) {
      // A unique key other than the receipt can only be the id itself (the per-fact path's
      // `duplicate_id`): tell them apart only in this rare case.
      const taken = new Set(
        (
          await tx.query<{ id: string }>('SELECT id FROM payments WHERE id = ANY($1::uuid[])', [
            skipped,
          ])
        ).map((r) => r.id),
      );
      for (const id of skipped)
        outcomes.set(id, {
          status: 'rejected',
          reason: taken.has(id) ? 'duplicate_id' : 'duplicate_receipt',
        });
    }
    pending.visits = [];
    pending.contacts = [];
    pending.payments = [];
  };

  for (const { item, mutation: m, payload } of valid) {
    const source: FactSource = {
      mutationId: item.id,
      deviceId: b.deviceId,
      collectorId: b.collectorId,
      debtorId: m.debtor_id,
      occurredAt: new Date(Date.parse(m.occurred_at)),
    };
    if (!existing.has(m.debtor_id)) {
      outcomes.set(item.id, { status: 'rejected', reason: 'debtor_not_found' });
      continue;
    }
    const scope = assignmentScope(assignments.get(m.debtor_id) ?? [], source.occurredAt, b.now);
    if (scope === null) {
      outcomes.set(item.id, { status: 'rejected', reason: 'not_assigned' });
      continue;
    }
    switch (payload.type) {
      case 'visit.recorded': {
        const rows = visitRows(source, payload.payload, scope);
        pending.visits.push(rows.visit);
        pending.contacts.push(rows.contact);
        outcomes.set(item.id, { status: 'applied', ...flagged(scope) });
        break;
      }
      case 'payment.recorded': {
        const p = payload.payload;
        const refusal = paymentDebtRefusal(debts.get(p.debtId), m.debtor_id);
        const facts = money.get(m.debtor_id);
        if (refusal) outcomes.set(item.id, { status: 'rejected', reason: refusal });
        else if (usedBefore.get(p.receiptNumber) === item.id)
          outcomes.set(item.id, { status: 'rejected', reason: 'duplicate_id' });
        else if (receipts.has(p.receiptNumber) || usedBefore.has(p.receiptNumber))
          outcomes.set(item.id, { status: 'rejected', reason: 'duplicate_receipt' });
        else if ((BANK_METHODS as readonly string[]).includes(p.method) || !facts) {
          await flush();
          receipts.add(p.receiptNumber);
          outcomes.set(
            item.id,
            await applyMutation(
              tx,
              { ...source, baseVersion: m.base_version, now: b.now, scope },
              payload,
            ),
          );
        } else {
          const above = aboveOpenIn(facts, p.debtId, cents(p.amount), today);
          if (above) {
            outcomes.set(item.id, { status: 'rejected', reason: `policy: ${above.message}` });
            break;
          }
          receipts.add(p.receiptNumber);
          const row = paymentRow(source, p, scope);
          pending.payments.push(row);
          // Later reports of the batch see this one as waiting for the office.
          facts.payments = [...facts.payments, row as unknown as PaymentRow];
          outcomes.set(item.id, { status: 'applied', ...flagged(scope) });
        }
        break;
      }
      default: {
        // Reads the debtor's state: everything decided before it is written first.
        await flush();
        outcomes.set(
          item.id,
          await applyMutation(
            tx,
            { ...source, baseVersion: m.base_version, now: b.now, scope },
            payload,
          ),
        );
      }
    }
  }
  await flush();
  return outcomes;
}
