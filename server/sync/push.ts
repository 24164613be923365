/**
 * Push (reference/sync.md §5.3): one request is one READ COMMITTED transaction. The device row is
 * locked FOR UPDATE first, so two concurrent pushes from one device (two tabs, a retry racing its
 * original) serialise there and each fact applies once; the mutation id is the PRIMARY KEY of both
 * `sync_mutations` and the fact's row, the final backstop. Each fact runs in device_seq order
 * under its own savepoint: a permanent error rolls back that fact only and is stored as rejected;
 * any other error rolls back the whole request (answered 503, the client resends it all), so a
 * request is never half-applied. Business rules read per debtor run under that debtor's row lock
 * (apply.ts). Nothing here lives in memory between requests: several server processes can share
 * one PostgreSQL.
 */
import * as v from 'valibot';
import { type Mutation, MutationSchema } from '#shared/sync/envelope.schema';
import { parseMutationPayload } from '#shared/sync/facts.schema';
import type { MutationResult, PushRequest } from '#shared/sync/push.schema';
import { payloadHash } from '#shared/sync/payload-hash';
import { findUnsafeText, replaceUnstorable } from '#shared/text/safe-text';
import { audit } from '../db/audit';
import type { Db, Tx } from '../db/db';
import { changeMark, deferChanges, discardChangesSince, flushChanges } from '../db/write';
import { problemOf } from '../http/problem';
import { uuidv7 } from 'uuidv7';
import { type ApplyOutcome, applyMutation, SyncRejection } from './apply';
import { READ_COMMITTED, rebaseDevice } from './devices';

/** A mutation as far as it could be read: enough to order it and to store a rejection. */
interface Candidate {
  raw: unknown;
  mutationId: string | null;
  seq: number | null;
  parsed: Mutation | null;
  invalid: string | null;
}

const LooseIdSchema = v.pipe(v.string(), v.uuid(), v.toLowerCase());

function candidate(raw: unknown): Candidate {
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const id = v.safeParse(LooseIdSchema, record['mutation_id']);
  const seq = record['device_seq'];
  const unsafe = findUnsafeText(raw);
  const parsed = v.safeParse(MutationSchema, raw);
  let invalid: string | null = null;
  if (unsafe) invalid = `invalid_payload: ${unsafe.field}: ${unsafe.message}`;
  else if (!parsed.success) {
    const issue = parsed.issues[0];
    invalid = `invalid_envelope: ${v.getDotPath(issue) ?? ''} ${issue.message}`.trim();
  }
  return {
    raw,
    mutationId: id.success ? id.output : null,
    seq: typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1 ? seq : null,
    parsed: parsed.success && !unsafe ? parsed.output : null,
    invalid,
  };
}

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

type FactStatus = 'applied' | 'rejected' | 'conflict' | 'deferred';

/** What `sync_mutations` holds for a mutation id (read once per batch, then kept current). */
interface Stored {
  device_id: string;
  payload_hash: string;
  status: FactStatus;
  reason: string | null;
  device_seq: number;
}

/** An orderable mutation of the batch with its payload hash. */
interface Item {
  c: Candidate;
  id: string;
  seq: number;
  hash: string;
}

interface BatchInput {
  deviceId: string;
  collectorId: string;
  now: Date;
  clockOffsetMs: number;
  retainedFromSeq: number | undefined;
}

interface FactOutcome {
  status: FactStatus;
  reason?: string;
  conflict?: ApplyOutcome['conflict'];
}

/** Decides and applies one new, in-sequence fact; only a non-permanent error escapes. */
async function applyFact(tx: Tx, b: BatchInput, item: Item): Promise<FactOutcome> {
  const m = item.c.parsed;
  if (!m) return { status: 'rejected', reason: item.c.invalid ?? 'invalid_envelope' };
  if (m.device_id !== b.deviceId) return { status: 'rejected', reason: 'device_mismatch' };
  const payload = parseMutationPayload(m);
  if (payload.kind === 'unknown') return { status: 'deferred', reason: 'unknown_type' };
  if (payload.kind === 'invalid')
    return {
      status: 'rejected',
      reason: `invalid_payload: ${payload.field ? `${payload.field}: ` : ''}${payload.message}`,
    };
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
      payload.value,
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

const RECORD_COLUMNS = 14;

/** One multi-row INSERT for the batch's outcomes (at most MAX_PUSH_BATCH rows). */
async function storeOutcomes(
  tx: Tx,
  b: BatchInput,
  rows: { item: Item; outcome: FactOutcome }[],
): Promise<void> {
  if (rows.length === 0) return;
  const params: unknown[] = [];
  const tuples = rows.map(({ item, outcome }, i) => {
    const m = item.c.parsed;
    const raw = replaceUnstorable(item.c.raw ?? {}) as Record<string, unknown>;
    params.push(
      item.id,
      b.deviceId,
      item.seq,
      b.collectorId,
      m?.type ?? String(raw['type'] ?? '?'),
      m?.type_version ?? 0,
      m?.debtor_id ?? null,
      item.hash,
      JSON.stringify(raw),
      outcome.status,
      outcome.reason ?? null,
      m?.occurred_at ?? String(raw['occurred_at'] ?? ''),
      b.now,
      b.clockOffsetMs,
    );
    const base = i * RECORD_COLUMNS;
    return `(${Array.from({ length: RECORD_COLUMNS }, (_, k) => `$${base + k + 1}`).join(', ')})`;
  });
  await tx.query(
    `INSERT INTO sync_mutations (mutation_id, device_id, device_seq, collector_id, type, type_version,
       debtor_id, payload_hash, mutation, status, reason, occurred_at, received_at, clock_offset_ms)
     VALUES ${tuples.join(', ')}`,
    params,
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

/** The whole batch, inside one transaction. Answers the new last_seq and the per-fact results. */
async function runBatch(
  tx: Tx,
  b: BatchInput,
  items: readonly Item[],
): Promise<{ lastSeq: number; results: MutationResult[] }> {
  const [device] = await tx.query<{ last_seq: number }>(
    'SELECT last_seq FROM sync_devices WHERE id = $1 FOR UPDATE',
    [b.deviceId],
  );
  if (!device) throw new Error('device not registered');
  // The feed rows are written last (flushChanges): the feed lock, which serialises every writer
  // of the server, is then held for one INSERT and the COMMIT instead of the whole batch.
  deferChanges(tx);
  const before = Number(device.last_seq);
  let lastSeq = before;
  const stored = new Map<string, Stored>();
  for (const row of await tx.query<Stored & { mutation_id: string }>(
    `SELECT mutation_id, device_id, payload_hash, status, reason, device_seq
     FROM sync_mutations WHERE mutation_id = ANY($1::uuid[])`,
    [items.map((i) => i.id)],
  ))
    stored.set(row.mutation_id, { ...row, device_seq: Number(row.device_seq) });
  // Every debtor the batch may write, locked up front in one order: two batches touching the
  // same debtors in different orders would otherwise deadlock (each fact locks its debtor).
  const debtors = [
    ...new Set(
      items.flatMap((i) =>
        i.c.parsed && !stored.has(i.id) && i.seq > lastSeq ? [i.c.parsed.debtor_id] : [],
      ),
    ),
  ].sort();
  if (debtors.length > 0)
    await tx.query('SELECT 1 FROM debtors WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [
      debtors,
    ]);

  const results: MutationResult[] = [];
  const done: { item: Item; outcome: FactOutcome }[] = [];
  for (const item of items) {
    const { id, seq } = item;
    const prior = stored.get(id);
    if (prior) {
      if (prior.payload_hash !== item.hash || prior.device_id !== b.deviceId) {
        // Same id, other content: a client bug or tampering. Nothing applied; the owner is told.
        await audit(tx, {
          actor: b.collectorId,
          action: 'sync.idempotency_mismatch',
          entity: 'sync_mutation',
          entityId: id,
          detail: { deviceId: b.deviceId, storedHash: prior.payload_hash, receivedHash: item.hash },
        });
        results.push({ mutation_id: id, status: 'rejected', reason: 'idempotency_mismatch' });
        continue;
      }
      results.push({
        mutation_id: id,
        device_seq: prior.device_seq,
        status: 'duplicate',
        original: {
          status: prior.status,
          ...(prior.reason === null ? {} : { reason: prior.reason }),
        },
      });
      continue;
    }
    if (seq <= lastSeq) {
      results.push({
        mutation_id: id,
        device_seq: seq,
        status: 'rejected',
        reason: 'sequence_reused',
      });
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
    const outcome = await applyFact(tx, b, item);
    lastSeq = seq;
    done.push({ item, outcome });
    stored.set(id, {
      device_id: b.deviceId,
      payload_hash: item.hash,
      status: outcome.status,
      reason: outcome.reason ?? null,
      device_seq: seq,
    });
    results.push({
      mutation_id: id,
      device_seq: seq,
      status: outcome.status,
      ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    });
  }
  await storeOutcomes(tx, b, done);
  if (lastSeq !== before)
    await tx.query('UPDATE sync_devices SET last_seq = $2 WHERE id = $1', [b.deviceId, lastSeq]);
  await flushChanges(tx);
  return { lastSeq, results };
}

export interface PushOutcome {
  acked_through_seq: number;
  results: MutationResult[];
  /** Set when a transient error rolled the whole request back (answer 503; the client resends). */
  transientError?: unknown;
}

/**
 * Runs the §5.3 algorithm for a push whose device is already registered to `collectorId`.
 * `lastSeq` is the device's last_seq when the request arrived (the answer when nothing commits).
 */
export async function pushMutations(
  db: Db,
  input: {
    request: PushRequest;
    collectorId: string;
    now: Date;
    clockOffsetMs: number;
    lastSeq: number;
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
  if (items.length === 0) return { acked_through_seq: input.lastSeq, results };
  items.sort((a, b) => a.seq - b.seq);
  const batch: BatchInput = {
    deviceId: input.request.device_id,
    collectorId: input.collectorId,
    now: input.now,
    clockOffsetMs: input.clockOffsetMs,
    retainedFromSeq: input.request.retained_from_seq,
  };
  try {
    // READ COMMITTED, not SERIALIZABLE: correctness comes from the locks (device row, then the
    // debtor rows, then the feed lock at the end), and SSI's predicate locks on the time-ordered mutation-id
    // index made concurrent devices abort each other for nothing.
    const done = await db.transaction((tx) => runBatch(tx, batch, items), READ_COMMITTED);
    return { acked_through_seq: done.lastSeq, results: [...results, ...done.results] };
  } catch (error) {
    return { acked_through_seq: input.lastSeq, results, transientError: error };
  }
}
