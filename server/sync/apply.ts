/**
 * Applying one pushed fact to the ledger (reference/sync.md §5.1, §5.5). Each applier runs inside
 * the push transaction, after the device row is locked and the sequence checked; it either
 * returns the outcome or throws. A thrown `SyncRejection` (or a problem/constraint error) is a
 * permanent error: the caller rolls back to its savepoint and records `rejected` without wedging
 * the device's queue. Entity rows go through server/db/write.ts so the pull feed sees them.
 */
import { cents } from '#shared/money/money';
import type { MutationPayloads, ParsedMutation } from '#shared/sync/facts.schema';
import { insertAgreement, proposalContext } from '../ledger/agreement-write';
import { checkNewPromise } from '../ledger/promise-check';
import { validateProposal } from '#shared/negotiation/validate-proposal';
import { audit } from '../db/audit';
import type { Tx } from '../db/db';
import { insertEntities, insertEntity, updateEntity } from '../db/write';
import {
  contactVerdict,
  debtorState,
  derivedPromiseStatus,
  loadDebtorFacts,
} from '../ledger/debtor-state';
import { replaceContactPoints, settleDebts } from '../ledger/ledger.repo';
import { mergeLateReport, reportAboveOpen } from '../ledger/money';
import type { DebtorRow, DebtRow, PaymentRow, PromiseRow } from '../ledger/rows';
import { loadLedgerSettings, todayFor } from '../ledger/settings';
import {
  assignmentScope,
  paymentDebtRefusal,
  paymentRow,
  type Scope,
  visitRows,
} from './fact-rows';

/** A permanent, expected refusal: recorded as `rejected` with this stable reason code. */
export class SyncRejection extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

export { UNASSIGNED_GRACE_MS } from './fact-rows';

export interface ApplyContext {
  mutationId: string;
  deviceId: string;
  collectorId: string;
  debtorId: string;
  baseVersion: number | undefined;
  /** Device time of the fact (data only). */
  occurredAt: Date;
  now: Date;
  /**
   * The collector's standing with the debtor, when the caller (a set-based push batch) already
   * decided it under the debtor's row lock: the applier then skips its own lock and lookup.
   */
  scope?: Scope;
}

export interface ApplyOutcome {
  status: 'applied' | 'conflict';
  reason?: string;
  /** A field edit made over a version the device had not seen, for owner review. */
  conflict?: {
    field: string;
    baseVersion: number;
    currentVersion: number;
    oldValue: unknown;
    newValue: unknown;
  };
}

/**
 * Whether the collector may record facts about the debtor now (fact-rows.ts assignmentScope),
 * else a rejection.
 */
async function scopeOf(tx: Tx, ctx: ApplyContext): Promise<Scope> {
  if (ctx.scope !== undefined) return ctx.scope;
  // The debtor row lock serialises facts about one debtor (one active promise, one agreement…)
  // across devices and processes; the push transaction runs READ COMMITTED under these locks.
  const [debtor] = await tx.query('SELECT 1 FROM debtors WHERE id = $1 FOR UPDATE', [ctx.debtorId]);
  if (!debtor) throw new SyncRejection('debtor_not_found');
  const rows = await tx.query<{ ended_at: Date | null }>(
    'SELECT ended_at FROM assignments WHERE debtor_id = $1 AND collector_id = $2',
    [ctx.debtorId, ctx.collectorId],
  );
  const scope = assignmentScope(rows, ctx.occurredAt, ctx.now);
  if (scope === null) throw new SyncRejection('not_assigned');
  return scope;
}

const flagged = (scope: Scope): Pick<ApplyOutcome, 'reason'> =>
  scope === 'formerly_assigned' ? { reason: 'recorded_while_unassigned' } : {};

async function visitRecorded(
  tx: Tx,
  ctx: ApplyContext,
  p: MutationPayloads['visit.recorded'],
): Promise<ApplyOutcome> {
  const scope = await scopeOf(tx, ctx);
  const rows = visitRows(ctx, p, scope);
  await insertEntities(tx, 'visit', [rows.visit]);
  await insertEntities(tx, 'contact', [rows.contact]);
  return { status: 'applied', ...flagged(scope) };
}

async function paymentRecorded(
  tx: Tx,
  ctx: ApplyContext,
  p: MutationPayloads['payment.recorded'],
): Promise<ApplyOutcome> {
  const scope = await scopeOf(tx, ctx);
  const [debt] = await tx.query<DebtRow>('SELECT * FROM debts WHERE id = $1', [p.debtId]);
  const refusal = paymentDebtRefusal(debt, ctx.debtorId);
  if (refusal || !debt) throw new SyncRejection(refusal ?? 'debt_not_found');
  const settings = await loadLedgerSettings(tx);
  const today = todayFor(settings, ctx.now);
  const above = await reportAboveOpen(tx, debt, cents(p.amount), today);
  const row = await insertEntity<PaymentRow>(tx, 'payment', paymentRow(ctx, p, scope));
  // Money the bank statement already brought is the same money: merged, never counted twice;
  // otherwise more than is open is refused with the reason (shared/ledger/plan-payment.ts).
  if (await mergeLateReport(tx, row, ctx.now))
    await settleDebts(tx, ctx.debtorId, settings, today, ctx.collectorId);
  else if (above) throw new SyncRejection(`policy: ${above.message}`);
  return { status: 'applied', ...flagged(scope) };
}

async function promiseCreated(
  tx: Tx,
  ctx: ApplyContext,
  p: MutationPayloads['promise.created'],
): Promise<ApplyOutcome> {
  const scope = await scopeOf(tx, ctx);
  const facts = (await loadDebtorFacts(tx, [ctx.debtorId])).get(ctx.debtorId);
  if (!facts) throw new SyncRejection('debtor_not_found');
  const settings = await loadLedgerSettings(tx);
  const state = debtorState(facts, settings, ctx.now);
  // Judged as of the day it was made on the device, not the day the phone found signal.
  const check = checkNewPromise(
    state,
    settings,
    p,
    p.madeOn < state.today ? p.madeOn : state.today,
  );
  if (check.kind === 'unknown_debt') throw new SyncRejection('debt_not_found');
  if (check.kind === 'promise_active') throw new SyncRejection('promise_active');
  const { verdict } = check;
  if (!verdict.ok)
    throw new SyncRejection(`policy: ${verdict.violations.map((v) => v.message).join(' ')}`);
  if (verdict.needsApproval)
    throw new SyncRejection(
      `needs_approval: ${verdict.approvalReasons.map((v) => v.message).join(' ')}`,
    );
  await insertEntity(tx, 'promise', {
    id: ctx.mutationId,
    debtor_id: ctx.debtorId,
    debt_id: p.debtIds[0] ?? null,
    debt_ids: JSON.stringify(p.debtIds),
    amount_cents: p.amount,
    promised_on: p.dueDate,
    made_on: p.madeOn,
    channel: p.channel,
    status: 'open',
    created_by: ctx.collectorId,
    device_id: ctx.deviceId,
    note: p.note ?? null,
    visit_id: p.visitId ?? null,
    recorded_while_unassigned: scope === 'formerly_assigned',
  });
  return { status: 'applied', ...flagged(scope) };
}

async function promiseCancelled(
  tx: Tx,
  ctx: ApplyContext,
  p: MutationPayloads['promise.cancelled'],
): Promise<ApplyOutcome> {
  const scope = await scopeOf(tx, ctx);
  const [row] = await tx.query<PromiseRow>(
    'SELECT * FROM promises WHERE id = $1 AND debtor_id = $2',
    [p.promiseId, ctx.debtorId],
  );
  if (!row) throw new SyncRejection('not_found');
  const payments = await tx.query<PaymentRow>(
    `SELECT * FROM payments WHERE debtor_id = $1 AND status = 'confirmed'`,
    [ctx.debtorId],
  );
  const settings = await loadLedgerSettings(tx);
  const today = todayFor(settings, ctx.now);
  if (derivedPromiseStatus(row, payments, today) !== 'active')
    throw new SyncRejection('promise_not_active');
  await updateEntity(tx, 'promise', row.id, {
    status: 'cancelled',
    resolved_at: ctx.now,
    note: row.note ? `${row.note}\n${p.reason}` : p.reason,
  });
  return { status: 'applied', ...flagged(scope) };
}

async function paymentVoided(
  tx: Tx,
  ctx: ApplyContext,
  p: MutationPayloads['payment.voided'],
): Promise<ApplyOutcome> {
  const scope = await scopeOf(tx, ctx);
  const [row] = await tx.query<PaymentRow>(
    'SELECT * FROM payments WHERE id = $1 AND debtor_id = $2',
    [p.paymentId, ctx.debtorId],
  );
  if (!row || row.reported_by !== ctx.collectorId) throw new SyncRejection('not_found');
  if (row.status !== 'pending') throw new SyncRejection('not_pending');
  await updateEntity(tx, 'payment', row.id, {
    status: 'rejected',
    rejection_reason: `anulado pelo cobrador: ${p.reason}`,
    reconciled_by: ctx.collectorId,
    reconciled_at: ctx.now,
  });
  return { status: 'applied', ...flagged(scope) };
}

async function agreementProposed(
  tx: Tx,
  ctx: ApplyContext,
  p: MutationPayloads['agreement.proposed'],
): Promise<ApplyOutcome> {
  const scope = await scopeOf(tx, ctx);
  const facts = (await loadDebtorFacts(tx, [ctx.debtorId])).get(ctx.debtorId);
  if (!facts) throw new SyncRejection('debtor_not_found');
  const settings = await loadLedgerSettings(tx);
  const state = debtorState(facts, settings, ctx.now);
  if (facts.agreements.some((a) => a.status === 'active'))
    throw new SyncRejection('agreement_active');
  const verdict = validateProposal(
    settings.negotiation,
    p,
    proposalContext(state, settings, facts),
  );
  if (!verdict.ok)
    throw new SyncRejection(`policy: ${verdict.violations.map((v) => v.message).join(' ')}`);
  await insertAgreement(tx, {
    id: ctx.mutationId,
    debtorId: ctx.debtorId,
    proposal: p,
    verdict,
    state,
    settings,
    proposedBy: ctx.collectorId,
    terms: { viaSync: { deviceId: ctx.deviceId, occurredAt: ctx.occurredAt.toISOString() } },
    auditActor: ctx.collectorId,
    auditDetail: { viaSync: true },
  });
  return { status: 'applied', ...flagged(scope) };
}

/**
 * A contact link the collector opened on the phone, logged under the mutation id: the pull sends
 * it back as the 'contact' fact with that id, so the phone counts it once before and after ack.
 * The budget is judged again here, as of the device's instant, against everything the server
 * knows (the office or the cadence may have contacted the debtor while the phone was offline).
 * A breach is never a refusal — the contact happened and the budget must count it — but the fact
 * is applied with reason `over_budget` (or `contact_refused: <code>` for a window, holiday or
 * opt-out the phone did not know about) and an audit entry, so the owner sees who broke the rule.
 */
async function contactLogged(
  tx: Tx,
  ctx: ApplyContext,
  p: MutationPayloads['contact.logged'],
): Promise<ApplyOutcome> {
  const scope = await scopeOf(tx, ctx);
  const facts = (await loadDebtorFacts(tx, [ctx.debtorId])).get(ctx.debtorId);
  if (!facts) throw new SyncRejection('debtor_not_found');
  const settings = await loadLedgerSettings(tx);
  const decision = contactVerdict(
    debtorState(facts, settings, ctx.now),
    settings,
    p.channel,
    ctx.occurredAt,
    false,
  );
  await insertEntity(tx, 'contact', {
    id: ctx.mutationId,
    debtor_id: ctx.debtorId,
    channel: p.channel,
    direction: 'outbound',
    automated: false,
    // 'sent' is what the budget counts; the payload's outcome ('opened') says how much is known.
    status: 'sent',
    template_id: p.templateId ?? null,
    cadence_step: p.stepId ?? null,
    privacy_safe: p.privacySafe,
    at: ctx.occurredAt,
    user_id: ctx.collectorId,
  });
  if (decision.allowed) return { status: 'applied', ...flagged(scope) };
  const budget = decision.reason === 'daily_budget' || decision.reason === 'weekly_budget';
  await audit(tx, {
    actor: ctx.collectorId,
    action: 'contact.over_rules',
    entity: 'contact',
    entityId: ctx.mutationId,
    detail: {
      debtorId: ctx.debtorId,
      channel: p.channel,
      refusedFor: decision.reason,
      deviceId: ctx.deviceId,
      occurredAt: ctx.occurredAt.toISOString(),
      recordedWhileUnassigned: scope === 'formerly_assigned',
      viaSync: true,
    },
  });
  return {
    status: 'applied',
    reason: budget ? 'over_budget' : `contact_refused: ${decision.reason}`,
  };
}

/** The stored value of an editable field, as the device sees it. */
function fieldValue(row: DebtorRow & { geo_pin?: unknown }, field: string, points: unknown[]) {
  switch (field) {
    case 'contactPoints':
      return points;
    case 'address':
      return row.address ?? null;
    case 'preferredChannel':
      return row.preferred_channel;
    case 'preferredHours':
      return row.preferred_hours;
    default:
      return row.geo_pin ?? null;
  }
}

async function fieldUpdated(
  tx: Tx,
  ctx: ApplyContext,
  p: MutationPayloads['debtor.field_updated'],
): Promise<ApplyOutcome> {
  // Mutable fields of a debtor the collector no longer has are refused (§5.5), never LWW'd in.
  if ((await scopeOf(tx, ctx)) !== 'assigned') throw new SyncRejection('not_assigned');
  const [row] = await tx.query<DebtorRow & { geo_pin?: unknown }>(
    'SELECT * FROM debtors WHERE id = $1 FOR UPDATE',
    [ctx.debtorId],
  );
  if (!row) throw new SyncRejection('debtor_not_found');
  const base = ctx.baseVersion ?? 0;
  const points = await tx.query<{ kind: string; value: string }>(
    'SELECT kind, value FROM contact_points WHERE debtor_id = $1 ORDER BY created_at, id',
    [ctx.debtorId],
  );
  const oldValue = fieldValue(row, p.field, points);
  // Last writer (in server receive order) wins; a stale base version is kept for the owner.
  switch (p.field) {
    case 'contactPoints':
      await replaceContactPoints(tx, ctx.debtorId, p.new_value);
      await updateEntity(tx, 'debtor', ctx.debtorId, {});
      break;
    case 'address': {
      const a = p.new_value;
      await updateEntity(tx, 'debtor', ctx.debtorId, {
        address: a === null ? null : JSON.stringify(a),
        address_line:
          a === null ? null : [a.street, a.number, a.complement].filter(Boolean).join(', '),
        district: a?.district ?? null,
        city: a?.city ?? null,
        state: a?.state ?? null,
        postal_code: a?.postalCode ?? null,
      });
      break;
    }
    case 'preferredChannel':
      await updateEntity(tx, 'debtor', ctx.debtorId, { preferred_channel: p.new_value });
      break;
    case 'preferredHours':
      await updateEntity(tx, 'debtor', ctx.debtorId, {
        preferred_hours: p.new_value === null ? null : JSON.stringify(p.new_value),
      });
      break;
    case 'geoPin':
      await updateEntity(tx, 'debtor', ctx.debtorId, {
        geo_pin: p.new_value === null ? null : JSON.stringify(p.new_value),
      });
      break;
  }
  await audit(tx, {
    actor: ctx.collectorId,
    action: 'debtor.field_update',
    entity: 'debtor',
    entityId: ctx.debtorId,
    detail: { field: p.field, baseVersion: base, version: row.version, viaSync: true },
  });
  if (base === row.version) return { status: 'applied' };
  return {
    status: 'conflict',
    reason: 'base_version_mismatch',
    conflict: {
      field: p.field,
      baseVersion: base,
      currentVersion: row.version,
      oldValue,
      newValue: p.new_value,
    },
  };
}

/** Applies a validated fact; throws SyncRejection (or a DB error) on a permanent failure. */
export function applyMutation(tx: Tx, ctx: ApplyContext, m: ParsedMutation): Promise<ApplyOutcome> {
  switch (m.type) {
    case 'visit.recorded':
      return visitRecorded(tx, ctx, m.payload);
    case 'payment.recorded':
      return paymentRecorded(tx, ctx, m.payload);
    case 'promise.created':
      return promiseCreated(tx, ctx, m.payload);
    case 'promise.cancelled':
      return promiseCancelled(tx, ctx, m.payload);
    case 'payment.voided':
      return paymentVoided(tx, ctx, m.payload);
    case 'agreement.proposed':
      return agreementProposed(tx, ctx, m.payload);
    case 'debtor.field_updated':
      return fieldUpdated(tx, ctx, m.payload);
    case 'contact.logged':
      return contactLogged(tx, ctx, m.payload);
  }
}
