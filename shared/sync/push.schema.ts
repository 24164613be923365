/**
 * `POST /api/sync/push`: a batch of raw mutations from one device and the per-mutation outcome
 * (reference/sync.md §5.3). Ack = every seq ≤ acked_through_seq, whatever its status.
 */
import * as v from 'valibot';
import { count, entity } from '../domain/common.schema';
import { AppVersionSchema, DeviceHealthSchema } from './device.schema';
import { DeviceIdSchema, OffsetInstantSchema, ProtocolSchema } from './envelope.schema';

export const MAX_PUSH_BATCH = 500;

export const PushRequestSchema = entity({
  protocol: ProtocolSchema,
  device_id: DeviceIdSchema,
  app_version: AppVersionSchema,
  schema_version: count('a versão do esquema de dados', 1_000_000),
  device_now: OffsetInstantSchema,
  health: DeviceHealthSchema,
  /**
   * The lowest device_seq this device can still send (its oldest outbox row, pending or kept
   * after ack; `next_seq` when it holds none). After a server restore the server may expect a seq
   * below it: it then re-bases the device past the gap and records the loss for the owner,
   * instead of waiting forever for facts the device no longer has. Absent = old client: gaps stay
   * gaps.
   */
  retained_from_seq: v.optional(
    count('a primeira sequência guardada no aparelho', Number.MAX_SAFE_INTEGER),
  ),
  /** Raw mutations: each is validated on its own so one bad fact never fails the batch. */
  mutations: v.pipe(
    v.array(v.unknown(), 'as mutações devem ser uma lista'),
    v.maxLength(MAX_PUSH_BATCH, `no máximo ${MAX_PUSH_BATCH} mutações por envio`),
  ),
});
export type PushRequest = v.InferOutput<typeof PushRequestSchema>;

/**
 * applied (maybe with a flag reason), conflict (field edit applied over a stale base_version; the
 * owner reviews), rejected (permanent, with reason; keep it visible), deferred (newer
 * type/version kept on the server; treat as acked), duplicate (`original` holds the first outcome).
 */
export const MutationStatuses = [
  'applied',
  'duplicate',
  'rejected',
  'conflict',
  'deferred',
] as const;
export type MutationStatus = (typeof MutationStatuses)[number];

/**
 * Reasons a server gives (stable codes; the UI translates): `idempotency_mismatch`,
 * `invalid_payload: <message>`, `not_assigned`, `debtor_not_found`, `not_found`,
 * `recorded_while_unassigned` (applied but flagged), `over_budget` and `contact_refused: <code>`
 * (a logged contact applied but flagged: it happened, over the budget or outside the rules as the
 * server judges it now), `base_version_mismatch` (conflict), `unknown_type`, `duplicate_receipt`,
 * `not_pending`, `policy: <message>`.
 */
export const MutationReasons = [
  'idempotency_mismatch',
  'invalid_payload',
  'not_assigned',
  'debtor_not_found',
  'debt_not_found',
  'debt_cancelled',
  'not_found',
  'not_pending',
  'promise_active',
  'promise_not_active',
  'agreement_active',
  'recorded_while_unassigned',
  'over_budget',
  'contact_refused',
  'base_version_mismatch',
  'unknown_type',
  'duplicate_receipt',
  'device_mismatch',
  'sequence_reused',
  'policy',
] as const;
/** A reason's code: the text before ": " when the reason carries a detail (`policy: …`). */
export type MutationReason = (typeof MutationReasons)[number];

export const MutationResultSchema = v.object({
  mutation_id: v.string(),
  device_seq: v.optional(v.number()),
  status: v.picklist(MutationStatuses),
  reason: v.optional(v.string()),
  /** On `duplicate`: the outcome stored when the mutation was first received. */
  original: v.optional(
    v.object({
      status: v.picklist(['applied', 'rejected', 'conflict', 'deferred']),
      reason: v.optional(v.string()),
    }),
  ),
});
export type MutationResult = v.InferOutput<typeof MutationResultSchema>;

export const PushResultSchema = v.object({
  /** Every mutation of this device with device_seq ≤ this is durably recorded (any status). */
  acked_through_seq: v.number(),
  results: v.array(MutationResultSchema),
  server_now: v.string(),
  /** server_now − device_now in ms (round trip not subtracted; the client may refine it). */
  clock_offset_ms: v.number(),
  /** |offset| over 5 min: the collector should be told their clock is wrong (§5.7). */
  clock_flagged: v.boolean(),
});
export type PushResult = v.InferOutput<typeof PushResultSchema>;
