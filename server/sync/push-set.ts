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
import { type LedgerSettings, loadLedgerSettings, todayFor } from '../ledger/settings';
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

/** One request's new facts (seq order) and its batch. */
export interface SetBatch {
  b: BatchInput;
  facts: readonly Item[];
}

/** Key of a (collector, value) pair: receipts and assignments are per collector. */
const keyOf = (collectorId: string, value: string) => `${collectorId} ${value}`;

/**
 * Applies the new facts of one batch, or of a group of batches one after the other (push-group.ts:
 * requests of different devices in one transaction; each batch's facts in seq order, a batch as
 * if it ran after the ones before it). `existing` = the debtors of those facts that exist (locked
 * by the caller). Answers each fact's outcome by mutation id (unique across the group); throws on
 * anything unexpected.
 */
export async function applySetBased(
  tx: Tx,
  batches: readonly SetBatch[],
  existing: ReadonlySet<string>,
): Promise<Map<string, FactOutcome>> {
  const outcomes = new Map<string, FactOutcome>();
  const members = batches.map(({ b, facts }) => ({
    b,
    valid: facts.flatMap((item) => {
      const fact = validateFact(b, item);
      if ('item' in fact) return [fact];
      outcomes.set(item.id, fact);
      return [];
    }),
  }));
  const all = members.flatMap((m) => m.valid);
  if (all.length === 0) return outcomes;
  const collectors = [...new Set(members.map((m) => m.b.collectorId))];

  const debtorIds = [...new Set(all.map((f) => f.mutation.debtor_id))].filter((id) =>
    existing.has(id),
  );
  // One read for every (collector, debtor) of the group; a superset, filtered by key.
  const assignments = new Map<string, { ended_at: Date | null }[]>();
  if (debtorIds.length > 0)
    for (const row of await tx.query<{
      collector_id: string;
      debtor_id: string;
      ended_at: Date | null;
    }>(
      `SELECT collector_id, debtor_id, ended_at FROM assignments
       WHERE collector_id = ANY($1::uuid[]) AND debtor_id = ANY($2::uuid[])`,
      [collectors, debtorIds],
    )) {
      const key = keyOf(row.collector_id, row.debtor_id);
      assignments.set(key, [...(assignments.get(key) ?? []), row]);
    }
  const debtIds = [
    ...new Set(
      all.flatMap((f) => (f.payload.type === 'payment.recorded' ? [f.payload.payload.debtId] : [])),
    ),
  ];
  const debts = new Map<string, { debtor_id: string; status: string }>();
  if (debtIds.length > 0)
    for (const row of await tx.query<{ id: string; debtor_id: string; status: string }>(
      'SELECT id, debtor_id, status FROM debts WHERE id = ANY($1::uuid[])',
      [debtIds],
    ))
      debts.set(row.id, row);
  // What is open is read once for every debtor a payment names (one query per table); a debtor
  // paid in two batches of the group sees the first batch's payments as waiting.
  const money = new Map<string, DebtorFacts>();
  let settings: LedgerSettings | undefined;
  if (debtIds.length > 0) {
    settings = await loadLedgerSettings(tx);
    const payers = [
      ...new Set(
        all.flatMap((f) => (f.payload.type === 'payment.recorded' ? [f.mutation.debtor_id] : [])),
      ),
    ].filter((id) => existing.has(id));
    for (const [id, facts] of await loadMoneyFacts(tx, payers, { reportCheck: true }))
      money.set(id, facts);
  }

  const pending: Pending = { visits: [], contacts: [], payments: [] };
  const receipts = new Set<string>();
  // Receipt numbers each collector already used in rows committed earlier: such a report is a
  // duplicate, and must not count as waiting for the office when later reports are checked.
  const batchReceipts = [
    ...new Set(
      all.flatMap((f) =>
        f.payload.type === 'payment.recorded' ? [f.payload.payload.receiptNumber] : [],
      ),
    ),
  ];
  const usedBefore = new Map<string, string>();
  if (batchReceipts.length > 0)
    for (const row of await tx.query<{ id: string; reported_by: string; receipt_number: string }>(
      `SELECT id, reported_by, receipt_number FROM payments
       WHERE reported_by = ANY($1::uuid[]) AND receipt_number = ANY($2::text[])`,
      [collectors, batchReceipts],
    ))
      usedBefore.set(keyOf(row.reported_by, row.receipt_number), row.id);
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

  for (const { b, valid } of members) {
    const today = settings ? todayFor(settings, b.now) : undefined;
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
      const scope = assignmentScope(
        assignments.get(keyOf(b.collectorId, m.debtor_id)) ?? [],
        source.occurredAt,
        b.now,
      );
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
          const receipt = keyOf(b.collectorId, p.receiptNumber);
          const refusal = paymentDebtRefusal(debts.get(p.debtId), m.debtor_id);
          const facts = money.get(m.debtor_id);
          if (refusal) outcomes.set(item.id, { status: 'rejected', reason: refusal });
          else if (usedBefore.get(receipt) === item.id)
            outcomes.set(item.id, { status: 'rejected', reason: 'duplicate_id' });
          else if (receipts.has(receipt) || usedBefore.has(receipt))
            outcomes.set(item.id, { status: 'rejected', reason: 'duplicate_receipt' });
          else if ((BANK_METHODS as readonly string[]).includes(p.method) || !facts || !today) {
            await flush();
            receipts.add(receipt);
            outcomes.set(
              item.id,
              await applyMutation(
                tx,
                { ...source, baseVersion: m.base_version, now: b.now, scope },
                payload,
              ),
            );
            // Its own applier wrote what it decided: later reports about this debtor read the
            // state afresh through theirs.
            money.delete(m.debtor_id);
          } else {
            const above = aboveOpenIn(facts, p.debtId, cents(p.amount), today);
            if (above) {
              outcomes.set(item.id, { status: 'rejected', reason: `policy: ${above.message}` });
              break;
            }
            receipts.add(receipt);
            const row = paymentRow(source, p, scope);
            pending.payments.push(row);
            // Later reports see this one as waiting for the office.
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
          // It may have changed what is open (an agreement, a cancellation…).
          money.delete(m.debtor_id);
        }
      }
    }
  }
  await flush();
  return outcomes;
}
