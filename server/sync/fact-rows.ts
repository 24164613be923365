/**
 * The pure half of applying the two facts a field day is made of (a visit, a reported payment):
 * who may record them and which rows they write. Both ways of applying a push use these — one
 * fact at a time under a savepoint (apply.ts) and a whole batch in set-based statements
 * (push-set.ts) — so the two cannot drift apart.
 */
import { uuidv7 } from 'uuidv7';
import type { MutationPayloads } from '#shared/sync/facts.schema';
import type { Row } from '../db/db';

/** Facts received this long after the collector lost the debtor are still accepted (§5.5). */
export const UNASSIGNED_GRACE_MS = 30 * 24 * 3_600_000;

/** The collector's standing with the debtor for one fact. */
export type Scope = 'assigned' | 'formerly_assigned';

/**
 * From the collector's assignment rows for the debtor: currently assigned, or assigned until
 * recently (facts made before the revocation, or arriving within the grace window, are accepted
 * and flagged); null = not theirs (rejected `not_assigned`).
 */
export function assignmentScope(
  rows: readonly { ended_at: Date | null }[],
  occurredAt: Date,
  now: Date,
): Scope | null {
  if (rows.some((r) => r.ended_at === null)) return 'assigned';
  const ended = rows.map((r) => r.ended_at?.getTime() ?? 0).sort((a, b) => b - a)[0];
  if (
    ended !== undefined &&
    (occurredAt.getTime() < ended || now.getTime() - ended <= UNASSIGNED_GRACE_MS)
  )
    return 'formerly_assigned';
  return null;
}

/** What a fact's rows need to know about where it came from. */
export interface FactSource {
  mutationId: string;
  deviceId: string;
  collectorId: string;
  debtorId: string;
  /** Device time of the fact (data only). */
  occurredAt: Date;
}

/**
 * A visit: the visit row (id = mutation id) and the contact it spends from the debtor's one
 * contact budget (DESIGN: field visits included).
 */
export function visitRows(
  f: FactSource,
  p: MutationPayloads['visit.recorded'],
  scope: Scope,
): { visit: Row; contact: Row } {
  return {
    visit: {
      id: f.mutationId,
      debtor_id: f.debtorId,
      collector_id: f.collectorId,
      visited_at: f.occurredAt,
      outcome: p.outcome,
      note: p.notes ?? null,
      device_id: f.deviceId,
      geolocation: p.geolocation ?? null,
      promise_id: p.promiseId ?? null,
      reported_payment_id: p.reportedPaymentId ?? null,
      recorded_while_unassigned: scope === 'formerly_assigned',
    },
    contact: {
      id: uuidv7(),
      debtor_id: f.debtorId,
      channel: 'visit',
      direction: 'outbound',
      automated: false,
      status: 'sent',
      at: f.occurredAt,
      user_id: f.collectorId,
      body: p.notes ?? null,
    },
  };
}

/** Why a reported payment cannot go against this debt of the fact's debtor; null when it can. */
export function paymentDebtRefusal(
  debt: { debtor_id: string; status: string } | undefined,
  debtorId: string,
): 'debt_not_found' | 'debt_cancelled' | null {
  if (!debt || debt.debtor_id !== debtorId) return 'debt_not_found';
  if (debt.status === 'cancelled') return 'debt_cancelled';
  return null;
}

/**
 * A reported payment (id = mutation id). It changes no balance until the office confirms it; a
 * date "in the future" only means the phone's clock is wrong, which is flagged on the device,
 * never a reason to refuse.
 */
export function paymentRow(
  f: FactSource,
  p: MutationPayloads['payment.recorded'],
  scope: Scope,
): Row {
  return {
    id: f.mutationId,
    debtor_id: f.debtorId,
    debt_id: p.debtId,
    amount_cents: p.amount,
    paid_on: p.date,
    method: p.method,
    status: 'pending',
    receipt_number: p.receiptNumber,
    reported_by: f.collectorId,
    reported_at: f.occurredAt,
    device_id: f.deviceId,
    visit_id: p.visitId ?? null,
    note: p.note ?? null,
    recorded_while_unassigned: scope === 'formerly_assigned',
  };
}
