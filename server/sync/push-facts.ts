/**
 * What a push batch is made of, shared by the two ways of applying it (push.ts one fact at a time,
 * push-set.ts set-based): each raw mutation as far as it could be read, and the envelope and
 * payload checks that decide a new fact's outcome before any rule runs.
 */
import * as v from 'valibot';
import { type Mutation, MutationSchema } from '#shared/sync/envelope.schema';
import { parseMutationPayload } from '#shared/sync/facts.schema';
import type { DeviceHealth } from '#shared/sync/device.schema';
import { findUnsafeText } from '#shared/text/safe-text';
import type { ApplyOutcome } from './apply';

/** A mutation as far as it could be read: enough to order it and to store a rejection. */
export interface Candidate {
  raw: unknown;
  mutationId: string | null;
  seq: number | null;
  parsed: Mutation | null;
  invalid: string | null;
}

const LooseIdSchema = v.pipe(v.string(), v.uuid(), v.toLowerCase());

export function candidate(raw: unknown): Candidate {
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

export type FactStatus = 'applied' | 'rejected' | 'conflict' | 'deferred';

/** An orderable mutation of the batch with its payload hash. */
export interface Item {
  c: Candidate;
  id: string;
  seq: number;
  hash: string;
}

export interface BatchInput {
  deviceId: string;
  collectorId: string;
  now: Date;
  clockOffsetMs: number;
  retainedFromSeq: number | undefined;
  health: DeviceHealth;
  deviceNow: string;
  tokenId?: string;
}

export interface FactOutcome {
  status: FactStatus;
  reason?: string;
  conflict?: ApplyOutcome['conflict'];
}

/** A fact of the batch whose envelope and payload are valid: it goes to an applier. */
export interface ValidFact {
  item: Item;
  mutation: Mutation;
  payload: Extract<ReturnType<typeof parseMutationPayload>, { kind: 'ok' }>['value'];
}

/** Envelope and payload checks of a new, in-sequence fact: its outcome, or the parsed fact. */
export function validateFact(b: BatchInput, item: Item): FactOutcome | ValidFact {
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
  return { item, mutation: m, payload: payload.value };
}
