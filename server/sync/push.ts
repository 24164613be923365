/**
 * Push (reference/sync.md §5.3): one request is one READ COMMITTED transaction. Its first
 * statement writes the device's health report onto the device row and so locks it: two
 * concurrent pushes from one device (two tabs, a retry racing its original) serialise there and
 * each fact applies once; the mutation id is the PRIMARY KEY of both `sync_mutations` and the
 * fact's row, the final backstop. The facts are taken in device_seq order; a permanent error
 * rejects that fact only (stored as rejected, never wedging the queue); any other error rolls back
 * the whole request (answered 503, the client resends it all), so a request is never half-applied.
 * Business rules read per debtor run under that debtor's row lock, taken for every debtor of the
 * batch up front in one order. Nothing here lives in memory between requests: several server
 * processes can share one PostgreSQL.
 *
 * Two ways to apply the batch's facts, same outcomes:
 * - set-based (push-set.ts), tried first: one assignment check for the batch and one INSERT per
 *   table for the facts a field day is made of (visits, their contacts, payments), the other
 *   kinds applied in order between them; no savepoints, ~15 statements for any batch size;
 * - one fact at a time under a savepoint (`applyFact`), the fallback when the set-based attempt
 *   fails for any reason (a fact breaking a constraint, a rule refusing a promise): its
 *   transaction is rolled back whole and the batch runs again this way, where a permanent error
 *   rolls back its own fact only.
 */
import type { MutationResult, PushRequest } from '#shared/sync/push.schema';
import { replaceUnstorable } from '#shared/text/safe-text';
import { uuidv7 } from 'uuidv7';
import { audit } from '../db/audit';
import { insertRows } from '../db/bulk';
import type { Db, Tx } from '../db/db';
import { changeMark, deferChanges, discardChangesSince, flushChanges } from '../db/write';
import { problemOf } from '../http/problem';
import { type ApplyOutcome, applyMutation, SyncRejection } from './apply';
import { READ_COMMITTED, rebaseDevice, registerAndWriteHealth } from './devices';
import {
  type BatchInput,
  candidate,
  type FactOutcome,
  type FactStatus,
  type Item,
  validateFact,
} from './push-facts';
import { payloadHashNative } from './payload-hash-native';
import { applySetBased } from './push-set';

/** Errors that will fail the same way on every retry: recorded as rejected, never wedging. */
export function permanentReason(error: unknown): string | null {
  if (error instanceof SyncRejection) return error.reason;
  const p = problemOf(error);
  if (p && p.problem.status >= 400 && p.problem.status < 500)
    return `${p.problem.type.split('/').at(-1) ?? 'rejected'}: ${p.problem.detail ?? p.problem.title}`;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'))) {
    const constraint = (error as { constraint?: unknown }).constraint;
    if (code === '23505' && typeof constraint === 'string' && constraint.includes('receipt'))
      return 'duplicate_receipt';
    if (code === '23505') return 'duplicate_id';
    return `invalid_data: ${(error as Error).message}`;
  }
  return null;
}

/** What `sync_mutations` holds for a mutation id (read once per batch, then kept current). */
export interface Stored {
  device_id: string;
  payload_hash: string;
  status: FactStatus;
  reason: string | null;
  device_seq: number;
}

/** The stored records of these mutation ids (one statement, whatever their number). */
export async function readStored(tx: Tx, ids: readonly string[]): Promise<Map<string, Stored>> {
  const stored = new Map<string, Stored>();
  if (ids.length > 0)
    for (const row of await tx.query<Stored & { mutation_id: string }>(
      `SELECT mutation_id, device_id, payload_hash, status, reason, device_seq
       FROM sync_mutations WHERE mutation_id = ANY($1::uuid[])`,
      [ids],
    ))
      stored.set(row.mutation_id, { ...row, device_seq: Number(row.device_seq) });
  return stored;
}

/** Decides and applies one new, in-sequence fact under a savepoint; only a non-permanent error escapes. */
async function applyFact(tx: Tx, b: BatchInput, item: Item): Promise<FactOutcome> {
  const fact = validateFact(b, item);
  if (!('item' in fact)) return fact;
  const m = fact.mutation;
  const mark = changeMark(tx);
  await tx.query('SAVEPOINT sync_fact');
  let outcome: ApplyOutcome;
  try {
    outcome = await applyMutation(
      tx,
      {
        mutationId: item.id,
        deviceId: b.deviceId,
        collectorId: b.collectorId,
        debtorId: m.debtor_id,
        baseVersion: m.base_version,
        occurredAt: new Date(Date.parse(m.occurred_at)),
        now: b.now,
      },
      fact.payload,
    );
  } catch (error) {
    const reason = permanentReason(error);
    if (reason === null) throw error;
    // Released too: hundreds of open nested savepoints would each hold a subtransaction.
    await tx.query('ROLLBACK TO SAVEPOINT sync_fact');
    await tx.query('RELEASE SAVEPOINT sync_fact');
    discardChangesSince(tx, mark);
    return { status: 'rejected', reason };
  }
  await tx.query('RELEASE SAVEPOINT sync_fact');
  return outcome;
}

/**
 * One INSERT for the outcomes of one batch or of a group of batches (each row with its own
 * batch); field-edit conflicts (rare) one row each.
 */
export async function storeOutcomes(
  tx: Tx,
  rows: readonly { b: BatchInput; item: Item; outcome: FactOutcome }[],
): Promise<void> {
  await insertRows(
    tx,
    'sync_mutations',
    rows.map(({ b, item, outcome }) => {
      const m = item.c.parsed;
      const raw = replaceUnstorable(item.c.raw ?? {}) as Record<string, unknown>;
      return {
        mutation_id: item.id,
        device_id: b.deviceId,
        device_seq: item.seq,
        collector_id: b.collectorId,
        type: m?.type ?? String(raw['type'] ?? '?'),
        type_version: m?.type_version ?? 0,
        debtor_id: m?.debtor_id ?? null,
        payload_hash: item.hash,
        mutation: raw,
        status: outcome.status,
        reason: outcome.reason ?? null,
        occurred_at: m?.occurred_at ?? String(raw['occurred_at'] ?? ''),
        received_at: b.now,
        clock_offset_ms: b.clockOffsetMs,
      };
    }),
  );
  for (const { b, item, outcome } of rows) {
    const c = outcome.conflict;
    if (!c) continue;
    await tx.query(
      `INSERT INTO sync_conflicts (id, mutation_id, debtor_id, field, base_version, current_version,
         old_value, new_value, collector_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        uuidv7(),
        item.id,
        item.c.parsed?.debtor_id,
        c.field,
        c.baseVersion,
        c.currentVersion,
        JSON.stringify(c.oldValue ?? null),
        JSON.stringify(c.newValue ?? null),
        b.collectorId,
      ],
    );
  }
}

/** A fact's decided outcome (set before any answer is built). */
function outcomeOf(outcomes: ReadonlyMap<string, FactOutcome>, id: string): FactOutcome {
  const outcome = outcomes.get(id);
  if (!outcome) throw new Error(`push: no outcome for ${id}`);
  return outcome;
}

/** A batch sequenced against its device: answers (built once every outcome is known), new facts. */
export interface Sequenced {
  answers: (() => MutationResult)[];
  /** The new, in-sequence facts, in seq order: they go to an applier. */
  fresh: Item[];
  lastSeq: number;
}

/**
 * Step 1 of a push (§5.3): which facts are answered from the record (`stored`: earlier requests)
 * or as resends within the batch, which are refused for their seq, which are new, in seq order;
 * a gap the device can never fill re-bases it. `outcomes` is filled by the applier afterwards:
 * the answers read it when called.
 */
export async function sequenceBatch(
  tx: Tx,
  b: BatchInput,
  items: readonly Item[],
  before: number,
  stored: ReadonlyMap<string, Stored>,
  outcomes: ReadonlyMap<string, FactOutcome>,
): Promise<Sequenced> {
  let lastSeq = before;
  const answers: (() => MutationResult)[] = [];
  const fresh = new Map<string, Item>();
  for (const item of items) {
    const { id, seq } = item;
    // Stored by an earlier request, or earlier in this one (the same mutation sent twice).
    const prior = stored.get(id);
    const earlier = fresh.get(id);
    if (prior || earlier) {
      const priorHash = prior?.payload_hash ?? earlier?.hash;
      if (priorHash !== item.hash || (prior && prior.device_id !== b.deviceId)) {
        // Same id, other content: a client bug or tampering. Nothing applied; the owner is told.
        await audit(tx, {
          actor: b.collectorId,
          action: 'sync.idempotency_mismatch',
          entity: 'sync_mutation',
          entityId: id,
          detail: { deviceId: b.deviceId, storedHash: priorHash, receivedHash: item.hash },
        });
        answers.push(() => ({
          mutation_id: id,
          status: 'rejected',
          reason: 'idempotency_mismatch',
        }));
        continue;
      }
      answers.push(() => {
        const first = prior ?? { ...outcomeOf(outcomes, id), device_seq: earlier?.seq ?? seq };
        return {
          mutation_id: id,
          device_seq: first.device_seq,
          status: 'duplicate',
          original: {
            status: first.status,
            ...(first.reason === null || first.reason === undefined
              ? {}
              : { reason: first.reason }),
          },
        };
      });
      continue;
    }
    if (seq <= lastSeq) {
      answers.push(() => ({
        mutation_id: id,
        device_seq: seq,
        status: 'rejected',
        reason: 'sequence_reused',
      }));
      continue;
    }
    if (seq > lastSeq + 1) {
      // A gap. The device can never fill seqs below the lowest one it still holds (a server
      // restored from an older backup forgot facts the device had had acknowledged and dropped):
      // re-base past them, on record. A seq present in this batch is never counted as lost.
      const retained = b.retainedFromSeq === undefined ? null : Math.min(b.retainedFromSeq, seq);
      if (retained === null || retained <= lastSeq + 1) break;
      await rebaseDevice(tx, {
        deviceId: b.deviceId,
        collectorId: b.collectorId,
        fromSeq: lastSeq + 1,
        toSeq: retained - 1,
        retainedFromSeq: b.retainedFromSeq ?? retained,
        now: b.now,
      });
      lastSeq = retained - 1;
      if (seq > lastSeq + 1) break;
    }
    lastSeq = seq;
    fresh.set(id, item);
    answers.push(() => {
      const outcome = outcomeOf(outcomes, id);
      return {
        mutation_id: id,
        device_seq: seq,
        status: outcome.status,
        ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
      };
    });
  }

  return { answers, fresh: [...fresh.values()], lastSeq };
}

/**
 * Every debtor the new facts may write, locked up front in one order (two batches touching the
 * same debtors in different orders would otherwise deadlock): answers those that exist.
 */
export async function lockDebtors(tx: Tx, facts: readonly Item[]): Promise<Set<string>> {
  const debtors = [
    ...new Set(facts.flatMap((i) => (i.c.parsed ? [i.c.parsed.debtor_id] : []))),
  ].sort();
  if (debtors.length === 0) return new Set();
  return new Set(
    (
      await tx.query<{ id: string }>(
        'SELECT id FROM debtors WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
        [debtors],
      )
    ).map((r) => r.id),
  );
}

/** The device step failed (another user's device, or the row could not be written). */
class DeviceStepError extends Error {
  readonly original: unknown;
  constructor(original: unknown) {
    super('device step failed');
    this.original = original;
  }
}

export type Mode = 'set' | 'per_fact';

/** The whole batch, inside one transaction. Answers the new last_seq and the per-fact results. */
async function runBatch(
  tx: Tx,
  b: BatchInput,
  items: readonly Item[],
  mode: Mode,
): Promise<{ lastSeq: number; results: MutationResult[] }> {
  let device;
  try {
    device = await registerAndWriteHealth(tx, {
      deviceId: b.deviceId,
      collectorId: b.collectorId,
      health: b.health,
      deviceNow: b.deviceNow,
      serverNow: b.now,
      ok: 'push',
      ...(b.tokenId === undefined ? {} : { tokenId: b.tokenId }),
    });
  } catch (error) {
    throw new DeviceStepError(error);
  }
  // The batch's feed rows are buffered and written last, in one INSERT (flushChanges).
  deferChanges(tx);
  const before = Number(device.last_seq);
  const outcomes = new Map<string, FactOutcome>();
  const stored = await readStored(
    tx,
    items.map((i) => i.id),
  );
  // 1. Sequence: which facts are answered from the record and which are new, in order.
  const { answers, fresh, lastSeq } = await sequenceBatch(tx, b, items, before, stored, outcomes);

  // 2. Every debtor the new facts may write, locked up front in one order: two batches touching
  // the same debtors in different orders would otherwise deadlock.
  const facts = fresh;
  const existing = await lockDebtors(tx, facts);

  // 3. Apply.
  if (mode === 'set')
    for (const [id, outcome] of await applySetBased(tx, [{ b, facts }], existing))
      outcomes.set(id, outcome);
  else for (const item of facts) outcomes.set(item.id, await applyFact(tx, b, item));

  await storeOutcomes(
    tx,
    facts.map((item) => ({ b, item, outcome: outcomeOf(outcomes, item.id) })),
  );
  if (lastSeq !== before)
    await tx.query('UPDATE sync_devices SET last_seq = $2 WHERE id = $1', [b.deviceId, lastSeq]);
  await flushChanges(tx);
  return { lastSeq, results: answers.map((answer) => answer()) };
}

export interface PushOutcome {
  acked_through_seq: number;
  results: MutationResult[];
  /** Set when a transient error rolled the whole request back (answer 503; the client resends). */
  transientError?: unknown;
}

/** What a push route hands to the appliers. */
export interface PushInput {
  request: PushRequest;
  collectorId: string;
  /** The session making the request (the device is tied to it; see ensureDevice). */
  tokenId?: string;
  now: Date;
  clockOffsetMs: number;
  /** Only one way of applying (tests compare the two); default: set-based, then per fact. */
  only?: Mode;
}

/** A request read into its batch: unorderable entries already answered, the rest in seq order. */
export interface PreparedPush {
  /** Answers of entries that cannot be stored without a seq (reported, never blocking others). */
  unorderable: MutationResult[];
  items: Item[];
  batch: BatchInput;
}

export function preparePush(input: PushInput): PreparedPush {
  const unorderable: MutationResult[] = [];
  const items: Item[] = [];
  for (const c of input.request.mutations.map(candidate)) {
    if (c.mutationId === null || c.seq === null)
      unorderable.push({
        mutation_id: c.mutationId ?? '',
        status: 'rejected',
        reason: c.invalid ?? 'invalid_envelope',
      });
    else
      items.push({
        c,
        id: c.mutationId,
        seq: c.seq,
        hash: payloadHashNative((c.raw ?? {}) as object),
      });
  }
  items.sort((a, b) => a.seq - b.seq);
  const batch: BatchInput = {
    deviceId: input.request.device_id,
    collectorId: input.collectorId,
    now: input.now,
    clockOffsetMs: input.clockOffsetMs,
    retainedFromSeq: input.request.retained_from_seq,
    health: input.request.health,
    deviceNow: input.request.device_now,
    ...(input.tokenId === undefined ? {} : { tokenId: input.tokenId }),
  };
  return { unorderable, items, batch };
}

/**
 * Runs the §5.3 algorithm for a push of `collectorId`, registering the device on first contact
 * (another user's device id is refused: the problem error is thrown) and storing its health
 * report in the same transaction. On a transient error `acked_through_seq` is -1: nothing of the
 * request committed, and the caller reads the device's state on its own.
 */
export async function pushMutations(
  db: Db,
  input: PushInput,
  prepared: PreparedPush = preparePush(input),
): Promise<PushOutcome> {
  const { unorderable: results, items, batch } = prepared;
  // READ COMMITTED, not SERIALIZABLE: correctness comes from the locks (device row, then the
  // debtor rows), and SSI's predicate locks on the time-ordered mutation-id index made concurrent
  // devices abort each other for nothing. No feed lock: pulls number the feed after commit
  // (feed-sequence.ts), so pushes from different phones commit side by side.
  const attempt = async (mode: Mode) => {
    const done = await db.transaction((tx) => runBatch(tx, batch, items, mode), READ_COMMITTED);
    return { acked_through_seq: done.lastSeq, results: [...results, ...done.results] };
  };
  if (input.only !== 'per_fact')
    try {
      return await attempt('set');
    } catch (error) {
      if (error instanceof DeviceStepError && problemOf(error.original)) throw error.original;
      if (input.only === 'set') return { acked_through_seq: -1, results, transientError: error };
    }
  try {
    return await attempt('per_fact');
  } catch (error) {
    if (error instanceof DeviceStepError && problemOf(error.original)) throw error.original;
    const cause = error instanceof DeviceStepError ? error.original : error;
    return { acked_through_seq: -1, results, transientError: cause };
  }
}
