/**
 * Pure read-model merges: server state (as the last pull delivered it) overlaid with the local
 * outbox (reference/sync.md §5.6). No Dexie, no signals: unit-tested on plain arrays.
 *
 * Overlay rule: an outbox row is shown until the pull applier deletes it, which happens only
 * once a pull that began after its ack has completed — so the server copy is already in the
 * server tables and the union by event id shows the fact exactly once, with no frame where it
 * disappears (no flicker) and no frame where a payment is counted twice.
 */
import type { OutboxRow, OutboxState, SrvDebtor, SrvFact } from '../db/db';

/** Where a timeline item comes from: the server, or this device's outbox (and its state). */
export type ItemOrigin = 'server' | OutboxState;

export interface TimelineItem {
  id: string;
  debtor_id: string;
  type: string;
  /** Device time for local facts; the server's record time for server facts, when it has one. */
  occurred_at: string;
  origin: ItemOrigin;
  data: Record<string, unknown>;
  /** Why the server refused it (origin 'rejected'). */
  reason?: string;
}

/**
 * Outbox mutation types that create a fact, and the pulled entity that fact becomes (the server
 * stores it under the mutation id). Other types (cancellations, voids, field edits) change an
 * existing entity and only show as their own item until the pull that confirms them.
 */
export const FACT_ENTITY: Readonly<Record<string, string>> = {
  'visit.recorded': 'visit',
  'payment.recorded': 'payment',
  'promise.created': 'promise',
  'agreement.proposed': 'agreement',
};
const PAYMENT_TYPE = 'payment.recorded';
const PAYMENT_VOIDED_TYPE = 'payment.voided';
/** Fact types that edit a whitelisted debtor field. */
export const FIELD_EDIT_TYPES: ReadonlySet<string> = new Set(['debtor.field_updated']);

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function firstString(data: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = data[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** Amount in centavos of a payment (wire payload and pulled entity both call it `amount`). */
export function paymentAmount(data: Record<string, unknown>): number {
  const amount = data['amount'];
  return typeof amount === 'number' && Number.isFinite(amount) ? amount : 0;
}

/** The server balance of a debtor in centavos (`totalDue`, confirmed payments only). */
export function serverBalance(debtor: SrvDebtor): number {
  const due = debtor.data['totalDue'];
  return typeof due === 'number' && Number.isFinite(due) ? due : 0;
}

function serverOccurredAt(fact: SrvFact): string {
  return firstString(fact.data, ['visitedAt', 'occurredAt', 'date', 'dueDate', 'createdAt']) ?? '';
}

/** A local outbox row as a timeline item. */
export function outboxItem(row: OutboxRow): TimelineItem {
  return {
    id: row.mutation_id,
    debtor_id: row.debtor_id,
    type: FACT_ENTITY[row.type] ?? row.type,
    occurred_at: row.occurred_at,
    origin: row.state,
    data: asRecord(row.payload),
    ...(row.reason === undefined ? {} : { reason: row.reason }),
  };
}

/**
 * A debtor's timeline: server facts ∪ local facts, by event id. The server copy wins when both
 * exist (it carries the server's view, e.g. a reported payment's reconciliation status). Newest
 * first; ties by id (UUIDv7 ids sort by creation).
 */
export function mergeTimeline(
  serverFacts: readonly SrvFact[],
  outbox: readonly OutboxRow[],
): TimelineItem[] {
  const byId = new Map<string, TimelineItem>();
  for (const row of outbox) byId.set(row.mutation_id, outboxItem(row));
  for (const fact of serverFacts)
    byId.set(fact.id, {
      id: fact.id,
      debtor_id: fact.debtor_id,
      type: fact.type,
      occurred_at: serverOccurredAt(fact),
      origin: 'server',
      data: fact.data,
    });
  return [...byId.values()].sort((a, b) =>
    a.occurred_at === b.occurred_at
      ? a.id < b.id
        ? 1
        : a.id > b.id
          ? -1
          : 0
      : a.occurred_at < b.occurred_at
        ? 1
        : -1,
  );
}

/**
 * Σ of reported payments the server balance does not count yet. `totalDue` only counts payments
 * the office CONFIRMED, so a field payment stays "pending" after it reaches the server; counting
 * it from the outbox until the pull delivers it, then from the pulled copy (status pending) while
 * the office has not confirmed it, keeps the provisional balance steady across ack and pull.
 * Union by id, so a payment is never subtracted twice; voids (local or confirmed) cancel it.
 */
export function pendingPayments(
  serverFacts: readonly SrvFact[],
  outbox: readonly OutboxRow[],
): number {
  const amounts = new Map<string, number>();
  const voided = new Set<string>();
  for (const row of outbox) {
    if (row.state === 'rejected') continue;
    if (row.type === PAYMENT_TYPE)
      amounts.set(row.mutation_id, paymentAmount(asRecord(row.payload)));
    else if (row.type === PAYMENT_VOIDED_TYPE) {
      const id = asRecord(row.payload)['paymentId'];
      if (typeof id === 'string') voided.add(id);
    }
  }
  for (const fact of serverFacts) {
    if (fact.type !== 'payment') continue;
    // The server copy wins: confirmed (now in totalDue) or rejected/voided payments drop out.
    if (fact.data['status'] === 'pending') amounts.set(fact.id, paymentAmount(fact.data));
    else amounts.delete(fact.id);
  }
  let sum = 0;
  for (const [id, amount] of amounts) if (!voided.has(id)) sum += amount;
  return sum;
}

export interface DebtorView {
  id: string;
  data: Record<string, unknown>;
  version: number;
  serverBalance: number;
  /** server balance − pending local payments. Shown as "provisório" while `pending > 0`. */
  provisionalBalance: number;
  /** Local facts not yet delivered back by a pull (pending, sending or acked). */
  pending: number;
  rejected: number;
}

/** Applies pending field edits (in device order) over the server fields. */
export function overlayFields(
  data: Record<string, unknown>,
  outbox: readonly OutboxRow[],
): Record<string, unknown> {
  const edits = outbox
    .filter((row) => FIELD_EDIT_TYPES.has(row.type) && row.state !== 'rejected')
    .sort((a, b) => a.device_seq - b.device_seq);
  if (edits.length === 0) return data;
  const out = { ...data };
  for (const row of edits) {
    const payload = asRecord(row.payload);
    const field = payload['field'];
    if (typeof field === 'string') out[field] = payload['new_value'] ?? payload['value'];
  }
  return out;
}

/** One debtor's view: server copy overlaid with this device's outbox for it. */
export function debtorView(
  debtor: SrvDebtor,
  serverFacts: readonly SrvFact[],
  outbox: readonly OutboxRow[],
): DebtorView {
  const balance = serverBalance(debtor);
  const mine = outbox.filter((row) => row.debtor_id === debtor.id);
  const facts = serverFacts.filter((f) => f.debtor_id === debtor.id);
  const serverFactIds = new Set(facts.map((f) => f.id));
  return {
    id: debtor.id,
    version: debtor.version,
    data: overlayFields(debtor.data, mine),
    serverBalance: balance,
    provisionalBalance: balance - pendingPayments(facts, mine),
    pending: mine.filter((row) => row.state !== 'rejected' && !serverFactIds.has(row.mutation_id))
      .length,
    rejected: mine.filter((row) => row.state === 'rejected').length,
  };
}

/** Items by key, each list in input order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

// One collator for every comparison: building one per call is what made sorting 5,000 debtors slow.
const byName = new Intl.Collator('pt-BR');

/** The collector's debtor list, by name. Debtors no longer in scope simply are not in `debtors`. */
export function debtorList(
  debtors: readonly SrvDebtor[],
  serverFacts: readonly SrvFact[],
  outbox: readonly OutboxRow[],
): DebtorView[] {
  const rowsBy = groupBy(outbox, (row) => row.debtor_id);
  const factsBy = groupBy(serverFacts, (fact) => fact.debtor_id);
  return debtors
    .map((d) => debtorView(d, factsBy.get(d.id) ?? [], rowsBy.get(d.id) ?? []))
    .sort((a, b) => byName.compare(String(a.data['name'] ?? ''), String(b.data['name'] ?? '')));
}

export interface RejectedItem {
  mutation_id: string;
  debtor_id: string;
  type: string;
  reason: string;
}

export interface SyncStatus {
  online: boolean;
  /** Facts still to reach the server (pending or sending). */
  pending: number;
  oldestPendingAt: string | null;
  lastPushOkAt: string | null;
  lastPullOkAt: string | null;
  lastError: string | null;
  rejected: RejectedItem[];
  syncing: boolean;
}

/** The sync status line from the outbox and device row. */
export function syncStatus(input: {
  outbox: readonly OutboxRow[];
  device:
    | {
        last_push_ok_at: string | null;
        last_pull_ok_at: string | null;
        last_error: string | null;
      }
    | undefined;
  online: boolean;
  syncing: boolean;
}): SyncStatus {
  const waiting = input.outbox.filter((r) => r.state === 'pending' || r.state === 'sending');
  const oldest = waiting.reduce<string | null>(
    (min, r) => (min === null || r.created_at_device < min ? r.created_at_device : min),
    null,
  );
  return {
    online: input.online,
    pending: waiting.length,
    oldestPendingAt: oldest,
    lastPushOkAt: input.device?.last_push_ok_at ?? null,
    lastPullOkAt: input.device?.last_pull_ok_at ?? null,
    lastError: input.device?.last_error ?? null,
    rejected: input.outbox
      .filter((r) => r.state === 'rejected')
      .map((r) => ({
        mutation_id: r.mutation_id,
        debtor_id: r.debtor_id,
        type: r.type,
        reason: r.reason ?? 'rejected',
      })),
    syncing: input.syncing,
  };
}
