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
import { payloadHash } from '#shared/sync/payload-hash';
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
interface Stored {
  device_id: string;
  payload_hash: string;
  status: FactStatus;
  reason: string | null;
  device_seq: number;
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

/** One INSERT for the batch's outcomes; field-edit conflicts (rare) one row each. */
async function storeOutcomes(
  tx: Tx,
  b: BatchInput,
  rows: readonly { item: Item; outcome: FactOutcome }[],
): Promise<void> {
  await insertRows(
    tx,
    'sync_mutations',
    rows.map(({ item, outcome }) => {
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
  for (const { item, outcome } of rows) {
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
  let lastSeq = before;
  const stored = new Map<string, Stored>();
  if (items.length > 0)
    for (const row of await tx.query<Stored & { mutation_id: string }>(
      `SELECT mutation_id, device_id, payload_hash, status, reason, device_seq
       FROM sync_mutations WHERE mutation_id = ANY($1::uuid[])`,
      [items.map((i) => i.id)],
    ))
      stored.set(row.mutation_id, { ...row, device_seq: Number(row.device_seq) });

  // 1. Sequence: which facts are answered from the record and which are new, in order.
  const answers: (() => MutationResult)[] = [];
  const fresh = new Map<string, Item>();
  const outcomes = new Map<string, FactOutcome>();
  const outcomeOf = (id: string): FactOutcome => {
    const outcome = outcomes.get(id);
    if (!outcome) throw new Error(`push: no outcome for ${id}`);
    return outcome;
  };
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
        const first = prior ?? { ...outcomeOf(id), device_seq: earlier?.seq ?? seq };
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
      const outcome = outcomeOf(id);
      return {
        mutation_id: id,
        device_seq: seq,
        status: outcome.status,
        ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
      };
    });
  }

  // 2. Every debtor the new facts may write, locked up front in one order: two batches touching
  // the same debtors in different orders would otherwise deadlock.
  const facts = [...fresh.values()];
  const debtors = [
    ...new Set(facts.flatMap((i) => (i.c.parsed ? [i.c.parsed.debtor_id] : []))),
  ].sort();
  const existing =
    debtors.length === 0
      ? new Set<string>()
      : new Set(
          (
            await tx.query<{ id: string }>(
              'SELECT id FROM debtors WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
              [debtors],
            )
          ).map((r) => r.id),
        );

  // 3. Apply.
  if (mode === 'set')
    for (const [id, outcome] of await applySetBased(tx, b, facts, existing))
      outcomes.set(id, outcome);
  else for (const item of facts) outcomes.set(item.id, await applyFact(tx, b, item));

  await storeOutcomes(
    tx,
    b,
    facts.map((item) => ({ item, outcome: outcomeOf(item.id) })),
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

/**
 * Runs the §5.3 algorithm for a push of `collectorId`, registering the device on first contact
 * (another user's device id is refused: the problem error is thrown) and storing its health
 * report in the same transaction. On a transient error `acked_through_seq` is -1: nothing of the
 * request committed, and the caller reads the device's state on its own.
 */
export async function pushMutations(
  db: Db,
  input: {
    request: PushRequest;
    collectorId: string;
    /** The session making the request (the device is tied to it; see ensureDevice). */
    tokenId?: string;
    now: Date;
    clockOffsetMs: number;
    /** Only one way of applying (tests compare the two); default: set-based, then per fact. */
    only?: Mode;
  },
): Promise<PushOutcome> {
  const results: MutationResult[] = [];
  const items: Item[] = [];
  // Unorderable entries cannot be stored without a seq: reported, never blocking the others.
  for (const c of input.request.mutations.map(candidate)) {
    if (c.mutationId === null || c.seq === null)
      results.push({
        mutation_id: c.mutationId ?? '',
        status: 'rejected',
        reason: c.invalid ?? 'invalid_envelope',
      });
    else
      items.push({ c, id: c.mutationId, seq: c.seq, hash: payloadHash((c.raw ?? {}) as object) });
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
