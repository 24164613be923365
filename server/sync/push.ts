/**
 * Push (reference/sync.md §5.3): each mutation in device_seq order, one transaction each. The
 * device row is locked FOR UPDATE first, so two concurrent pushes from one device (two tabs, a
 * retry racing its original) serialise there and each fact applies once; the mutation id is the
 * PRIMARY KEY of both `sync_mutations` and the fact's row, the final backstop. Business rules
 * read per debtor run under that debtor's row lock (apply.ts), so READ COMMITTED suffices. Nothing here lives
 * in memory between requests: several server processes can share one PostgreSQL.
 */
import * as v from 'valibot';
import {
  type Mutation,
  type MutationResult,
  MutationSchema,
  parseMutationPayload,
  type PushRequest,
} from '#shared/sync/protocol.schema';
import { payloadHash } from '#shared/sync/payload-hash';
import { audit } from '../db/audit';
import type { Db, Tx } from '../db/db';
import { problemOf } from '../http/problem';
import { uuidv7 } from 'uuidv7';
import { type ApplyOutcome, applyMutation, SyncRejection } from './apply';

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
  const parsed = v.safeParse(MutationSchema, raw);
  let invalid: string | null = null;
  if (!parsed.success) {
    const issue = parsed.issues[0];
    invalid = `invalid_envelope: ${v.getDotPath(issue) ?? ''} ${issue.message}`.trim();
  }
  return {
    raw,
    mutationId: id.success ? id.output : null,
    seq: typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1 ? seq : null,
    parsed: parsed.success ? parsed.output : null,
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

type StepOutcome =
  | { kind: 'result'; result: MutationResult; lastSeq: number }
  | { kind: 'gap'; lastSeq: number };

interface StepInput {
  deviceId: string;
  collectorId: string;
  now: Date;
  clockOffsetMs: number;
  c: Candidate;
  hash: string;
}

async function record(
  tx: Tx,
  s: StepInput,
  seq: number,
  outcome: { status: 'applied' | 'rejected' | 'conflict' | 'deferred'; reason?: string },
): Promise<void> {
  const m = s.c.parsed;
  const raw = (s.c.raw ?? {}) as Record<string, unknown>;
  await tx.query(
    `INSERT INTO sync_mutations (mutation_id, device_id, device_seq, collector_id, type, type_version,
       debtor_id, payload_hash, mutation, status, reason, occurred_at, received_at, clock_offset_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      s.c.mutationId,
      s.deviceId,
      seq,
      s.collectorId,
      m?.type ?? String(raw['type'] ?? '?'),
      m?.type_version ?? 0,
      m?.debtor_id ?? null,
      s.hash,
      JSON.stringify(s.c.raw),
      outcome.status,
      outcome.reason ?? null,
      m?.occurred_at ?? String(raw['occurred_at'] ?? ''),
      s.now,
      s.clockOffsetMs,
    ],
  );
  await tx.query('UPDATE sync_devices SET last_seq = $2 WHERE id = $1', [s.deviceId, seq]);
}

async function step(tx: Tx, s: StepInput): Promise<StepOutcome> {
  const [device] = await tx.query<{ last_seq: number }>(
    'SELECT last_seq FROM sync_devices WHERE id = $1 FOR UPDATE',
    [s.deviceId],
  );
  if (!device) throw new Error('device not registered');
  const lastSeq = device.last_seq;
  const id = s.c.mutationId as string;
  const [stored] = await tx.query<{
    device_id: string;
    payload_hash: string;
    status: 'applied' | 'rejected' | 'conflict' | 'deferred';
    reason: string | null;
    device_seq: number;
  }>(
    'SELECT device_id, payload_hash, status, reason, device_seq FROM sync_mutations WHERE mutation_id = $1',
    [id],
  );
  if (stored) {
    if (stored.payload_hash !== s.hash || stored.device_id !== s.deviceId) {
      // Same id, other content: a client bug or tampering. Nothing applied; the owner is told.
      await audit(tx, {
        actor: s.collectorId,
        action: 'sync.idempotency_mismatch',
        entity: 'sync_mutation',
        entityId: id,
        detail: { deviceId: s.deviceId, storedHash: stored.payload_hash, receivedHash: s.hash },
      });
      return {
        kind: 'result',
        lastSeq,
        result: { mutation_id: id, status: 'rejected', reason: 'idempotency_mismatch' },
      };
    }
    return {
      kind: 'result',
      lastSeq,
      result: {
        mutation_id: id,
        device_seq: stored.device_seq,
        status: 'duplicate',
        original: {
          status: stored.status,
          ...(stored.reason === null ? {} : { reason: stored.reason }),
        },
      },
    };
  }
  const seq = s.c.seq as number;
  if (seq <= lastSeq)
    return {
      kind: 'result',
      lastSeq,
      result: { mutation_id: id, device_seq: seq, status: 'rejected', reason: 'sequence_reused' },
    };
  if (seq > lastSeq + 1) return { kind: 'gap', lastSeq };

  const done = async (outcome: {
    status: 'applied' | 'rejected' | 'conflict' | 'deferred';
    reason?: string;
  }): Promise<StepOutcome> => {
    await record(tx, s, seq, outcome);
    return {
      kind: 'result',
      lastSeq: seq,
      result: {
        mutation_id: id,
        device_seq: seq,
        status: outcome.status,
        ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
      },
    };
  };

  const m = s.c.parsed;
  if (!m) return done({ status: 'rejected', reason: s.c.invalid ?? 'invalid_envelope' });
  if (m.device_id !== s.deviceId) return done({ status: 'rejected', reason: 'device_mismatch' });
  const payload = parseMutationPayload(m);
  if (payload.kind === 'unknown') return done({ status: 'deferred', reason: 'unknown_type' });
  if (payload.kind === 'invalid')
    return done({
      status: 'rejected',
      reason: `invalid_payload: ${payload.field ? `${payload.field}: ` : ''}${payload.message}`,
    });

  await tx.query('SAVEPOINT sync_apply');
  let outcome: ApplyOutcome;
  try {
    outcome = await applyMutation(
      tx,
      {
        mutationId: id,
        deviceId: s.deviceId,
        collectorId: s.collectorId,
        debtorId: m.debtor_id,
        baseVersion: m.base_version,
        occurredAt: new Date(Date.parse(m.occurred_at)),
        now: s.now,
      },
      payload.value,
    );
  } catch (error) {
    const reason = permanentReason(error);
    if (reason === null) throw error;
    await tx.query('ROLLBACK TO SAVEPOINT sync_apply');
    return done({ status: 'rejected', reason });
  }
  await tx.query('RELEASE SAVEPOINT sync_apply');
  const result = await done({
    status: outcome.status,
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
  });
  if (outcome.conflict) {
    const c = outcome.conflict;
    await tx.query(
      `INSERT INTO sync_conflicts (id, mutation_id, debtor_id, field, base_version, current_version,
         old_value, new_value, collector_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        uuidv7(),
        id,
        m.debtor_id,
        c.field,
        c.baseVersion,
        c.currentVersion,
        JSON.stringify(c.oldValue ?? null),
        JSON.stringify(c.newValue ?? null),
        s.collectorId,
      ],
    );
  }
  return result;
}

export interface PushOutcome {
  acked_through_seq: number;
  results: MutationResult[];
  /** Set when a transient error stopped the batch (answer 503; the client backs off). */
  transientError?: unknown;
}

/**
 * Runs the §5.3 algorithm for a push whose device is already registered to `collectorId`.
 * `lastSeq` is the device's last_seq when the request arrived (for the answer when nothing runs).
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
  let acked = input.lastSeq;
  const candidates = input.request.mutations.map(candidate);
  // Unorderable entries cannot be stored without a seq: reported, never blocking the others.
  for (const c of candidates)
    if (c.mutationId === null || c.seq === null)
      results.push({
        mutation_id: c.mutationId ?? '',
        status: 'rejected',
        reason: c.invalid ?? 'invalid_envelope',
      });
  const ordered = candidates
    .filter((c) => c.mutationId !== null && c.seq !== null)
    .sort((a, b) => (a.seq as number) - (b.seq as number));
  for (const c of ordered) {
    const s: StepInput = {
      deviceId: input.request.device_id,
      collectorId: input.collectorId,
      now: input.now,
      clockOffsetMs: input.clockOffsetMs,
      c,
      hash: payloadHash((c.raw ?? {}) as object),
    };
    let outcome: StepOutcome;
    try {
      // READ COMMITTED, not SERIALIZABLE: correctness comes from the locks (device row, then the
      // debtor row in apply.ts, then the feed lock), and SSI's predicate locks on the time-ordered
      // mutation-id index made concurrent devices abort each other for nothing.
      outcome = await db.transaction((tx) => step(tx, s), { isolation: 'read committed' });
    } catch (error) {
      return { acked_through_seq: acked, results, transientError: error };
    }
    acked = Math.max(acked, outcome.lastSeq);
    if (outcome.kind === 'gap') break;
    results.push(outcome.result);
  }
  return { acked_through_seq: acked, results };
}
