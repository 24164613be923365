/**
 * The offline sync protocol (reference/sync.md §5): the mutation envelope a device pushes, the
 * payload of each fact type, the push result, the pull page, device registration, the health
 * block every request carries, and the integrity check. Server and PWA both parse through these.
 *
 * Naming: the envelope and transport messages use snake_case as in reference/sync.md §5.3; the
 * payloads and the pulled entity data use the camelCase of the entity schemas in shared/domain.
 *
 * Authentication (decided here so both sides agree): a device has no secret of its own. Every sync
 * request carries the collector's session token (`Authorization: Bearer …`); the `device_id` in
 * the body (or the `X-Quita-Device` header on GET /api/sync/pull) is bound to that user on first
 * contact (POST /api/sync/devices, or implicitly by the first push) and refused for anyone else.
 * A device can therefore save facts offline before it ever registered. Collectors only (403
 * for office roles: the feed is a collector's scope).
 *
 * Endpoints (server/routes/sync.routes.ts, status.routes.ts):
 * - POST /api/sync/devices   RegisterDeviceRequest → RegisterDeviceResponse (201 new, 200 known;
 *                            403 device-not-yours)
 * - POST /api/sync/push      PushRequest → PushResult (200); 503 problem+json that ALSO carries
 *                            the PushResult fields on a transient error (back off, resend from
 *                            acked_through_seq + 1). Every outcome ≤ acked_through_seq is final.
 * - GET  /api/sync/pull?cursor=&limit=   headers X-Quita-Device (required), X-Quita-Health
 *                            (optional) → PullResponse. No cursor = initial snapshot. Apply a page
 *                            and store its cursor in ONE local transaction; pull again while
 *                            has_more. `remove` of a debtor = delete it and every entity whose
 *                            data.debtorId is it (never the outbox).
 * - POST /api/sync/integrity IntegrityRequest → IntegrityResponse
 * - GET  /api/status/devices | conflicts | rejections   (owner)
 *
 * Push result statuses: applied (maybe with reason `recorded_while_unassigned`), conflict (field
 * edit applied over a stale base_version; the owner reviews), rejected (permanent, with reason;
 * keep it visible), deferred (newer type/version kept on the server; treat as acked), duplicate
 * (`original` holds the first outcome). Ack = every seq ≤ acked_through_seq, whatever its status.
 */
import * as v from 'valibot';
import { HourRangeSchema, PreferableChannels } from '../cadence/cadence.schema';
import { AgreementProposalRequestSchema } from '../api/ledger.schema';
import { ContactChannelSchema, count, entity, note, text } from '../domain/common.schema';
import { AddressSchema } from '../domain/common.schema';
import { ContactPointSchema } from '../domain/debtor.schema';
import { IdSchema } from '../domain/id';
import { FieldPaymentMethodSchema, ReceiptNumberSchema } from '../domain/payment.schema';
import { DebtIdsSchema } from '../domain/promise.schema';
import { GeolocationSchema, VisitOutcomeSchema } from '../domain/visit.schema';
import { CentsSchema } from '../money/money';
import { CalendarDateSchema } from '../time/calendar-date';

/** Wire protocol version; a push or pull with another value is refused with 400. */
export const PROTOCOL_VERSION = 1;

/**
 * The client data schema version the server was built with. The server accepts pushes from
 * every schema version (never drop an outbox) and answers `upgrade_required` on pull below N−1.
 */
export const CURRENT_SCHEMA_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Envelope

const UUID_V7_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** A UUIDv7 (client-generated fact id), output lower-cased. */
export const UuidV7Schema = v.pipe(
  v.string('mutation_id must be a string'),
  v.regex(UUID_V7_RE, 'mutation_id must be a UUIDv7'),
  v.toLowerCase(),
);

/** Device ids are UUIDs (any version: `crypto.randomUUID()` is v4), output lower-cased. */
export const DeviceIdSchema = v.pipe(
  v.string('device_id must be a string'),
  v.uuid('device_id must be a UUID'),
  v.toLowerCase(),
);

const OFFSET_INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 instant WITH its offset ("2026-03-10T09:05:00.000-03:00" or "…Z"), kept as sent:
 * device times are data, and the offset tells the owner what the phone's clock believed.
 */
export const OffsetInstantSchema = v.pipe(
  v.string('expected an ISO 8601 timestamp with offset'),
  v.regex(
    OFFSET_INSTANT_RE,
    'expected an ISO 8601 timestamp with offset, e.g. 2026-03-10T09:05:00-03:00',
  ),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'expected a real date and time'),
);

const SeqSchema = v.pipe(
  v.number('device_seq must be a number'),
  v.safeInteger('device_seq must be a whole number'),
  v.minValue(1, 'device_seq starts at 1'),
);

/**
 * One fact as the device sends it. `type` is any string so a newer client's unknown type still
 * parses (and is deferred, not rejected); the payload is checked per type by `parseMutationPayload`.
 */
export const MutationSchema = entity({
  mutation_id: UuidV7Schema,
  device_id: DeviceIdSchema,
  device_seq: SeqSchema,
  type: v.pipe(
    v.string('type must be text'),
    v.regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'type must look like "visit.recorded"'),
    v.maxLength(64, 'type must be at most 64 characters'),
  ),
  type_version: v.pipe(
    v.number('type_version must be a number'),
    v.safeInteger('type_version must be a whole number'),
    v.minValue(1, 'type_version starts at 1'),
  ),
  debtor_id: IdSchema,
  /** The debtor version the device saw; required for `debtor.field_updated`, ignored otherwise. */
  base_version: v.optional(
    v.pipe(v.number('base_version must be a number'), v.safeInteger(), v.minValue(1)),
  ),
  /** Device clock, with offset: data only, never used for ordering. */
  occurred_at: OffsetInstantSchema,
  payload: v.unknown(),
});
export type Mutation = v.InferOutput<typeof MutationSchema>;
/** What a client builds before sending (inputs are the same shapes). */
export type MutationInput = v.InferInput<typeof MutationSchema>;

// ---------------------------------------------------------------------------------------------
// Payloads per type (version 1 of each)

export const VisitRecordedV1 = entity({
  outcome: VisitOutcomeSchema,
  geolocation: v.optional(GeolocationSchema),
  notes: v.optional(note('notes', 2000)),
  /** Facts recorded during this visit (their own mutation ids). */
  promiseId: v.optional(IdSchema),
  reportedPaymentId: v.optional(IdSchema),
});

/** Money received in the field; stays `pending` until the office confirms it. */
export const PaymentRecordedV1 = entity({
  debtId: IdSchema,
  /** Day received, in the organisation's time zone as the device saw it. */
  date: CalendarDateSchema,
  amount: v.pipe(
    v.number('amount must be a number of centavos'),
    v.safeInteger('amount must be whole centavos'),
    v.minValue(1, 'amount must be positive'),
    v.brand('Cents'),
  ),
  method: FieldPaymentMethodSchema,
  receiptNumber: ReceiptNumberSchema,
  visitId: v.optional(IdSchema),
  note: v.optional(note('note', 500)),
});

export const PromiseCreatedV1 = v.pipe(
  entity({
    debtIds: DebtIdsSchema,
    amount: v.pipe(
      v.number('amount must be a number of centavos'),
      v.safeInteger('amount must be whole centavos'),
      v.minValue(1, 'amount must be positive'),
      v.brand('Cents'),
    ),
    dueDate: CalendarDateSchema,
    /** The day it was made on the device (offline days count). */
    madeOn: CalendarDateSchema,
    channel: v.optional(ContactChannelSchema, 'visit'),
    visitId: v.optional(IdSchema),
    note: v.optional(note('note', 500)),
  }),
  v.forward(
    v.check((p) => p.madeOn <= p.dueDate, 'dueDate cannot be before madeOn'),
    ['dueDate'],
  ),
);

/** A negotiation proposal: the same body as POST /api/agreements minus ids the envelope carries. */
export const AgreementProposedV1 = v.pipe(
  v.omit(AgreementProposalRequestSchema.pipe[0], ['id', 'debtorId']),
  v.check(
    (p) => p.discountBps === undefined || p.discountAmount === undefined,
    'give the discount as discountBps or as discountAmount, not both',
  ),
);

export const PromiseCancelledV1 = entity({
  promiseId: IdSchema,
  reason: text('reason', 500),
});

/** Voids a field payment report the same collector made (a typo), while still pending. */
export const PaymentVoidedV1 = entity({
  paymentId: IdSchema,
  reason: text('reason', 500),
});

/** Where the debtor actually lives or works, pinned by the collector. */
export const GeoPinSchema = entity({
  lat: GeolocationSchema.entries.lat,
  lng: GeolocationSchema.entries.lng,
  accuracyM: v.optional(GeolocationSchema.entries.accuracyM),
});
export type GeoPin = v.InferOutput<typeof GeoPinSchema>;

/** The collector-editable fields (§5.1 whitelist) and what each new value must look like. */
export const FieldUpdateSchemas = {
  contactPoints: v.pipe(
    v.array(ContactPointSchema, 'contactPoints must be a list'),
    v.maxLength(20, 'at most 20 contact points'),
    v.check(
      (list) => new Set(list.map((c) => `${c.kind}:${c.value}`)).size === list.length,
      'the same contact point is listed twice',
    ),
  ),
  address: v.nullable(AddressSchema),
  preferredChannel: v.nullable(
    v.picklist(PreferableChannels, 'preferredChannel must be one of sms, whatsapp, email'),
  ),
  preferredHours: v.nullable(HourRangeSchema),
  geoPin: v.nullable(GeoPinSchema),
} as const;
export type EditableField = keyof typeof FieldUpdateSchemas;
export const EDITABLE_FIELDS = Object.keys(FieldUpdateSchemas) as EditableField[];

export const DebtorFieldUpdatedV1 = v.variant(
  'field',
  [
    entity({ field: v.literal('contactPoints'), new_value: FieldUpdateSchemas.contactPoints }),
    entity({ field: v.literal('address'), new_value: FieldUpdateSchemas.address }),
    entity({
      field: v.literal('preferredChannel'),
      new_value: FieldUpdateSchemas.preferredChannel,
    }),
    entity({ field: v.literal('preferredHours'), new_value: FieldUpdateSchemas.preferredHours }),
    entity({ field: v.literal('geoPin'), new_value: FieldUpdateSchemas.geoPin }),
  ],
  'field must be one of contactPoints, address, preferredChannel, preferredHours, geoPin',
);

/** Every type and version this build understands. A server meeting another one defers it. */
export const MUTATION_PAYLOADS = {
  'visit.recorded': { 1: VisitRecordedV1 },
  'payment.recorded': { 1: PaymentRecordedV1 },
  'promise.created': { 1: PromiseCreatedV1 },
  'agreement.proposed': { 1: AgreementProposedV1 },
  'promise.cancelled': { 1: PromiseCancelledV1 },
  'payment.voided': { 1: PaymentVoidedV1 },
  'debtor.field_updated': { 1: DebtorFieldUpdatedV1 },
} as const;
export type MutationType = keyof typeof MUTATION_PAYLOADS;
export const MUTATION_TYPES = Object.keys(MUTATION_PAYLOADS) as MutationType[];

/** Payload types by mutation type (version 1). */
export interface MutationPayloads {
  'visit.recorded': v.InferOutput<typeof VisitRecordedV1>;
  'payment.recorded': v.InferOutput<typeof PaymentRecordedV1>;
  'promise.created': v.InferOutput<typeof PromiseCreatedV1>;
  'agreement.proposed': v.InferOutput<typeof AgreementProposedV1>;
  'promise.cancelled': v.InferOutput<typeof PromiseCancelledV1>;
  'payment.voided': v.InferOutput<typeof PaymentVoidedV1>;
  'debtor.field_updated': v.InferOutput<typeof DebtorFieldUpdatedV1>;
}
/** Payload input shapes (what a client writes into the outbox). */
export interface MutationPayloadInputs {
  'visit.recorded': v.InferInput<typeof VisitRecordedV1>;
  'payment.recorded': v.InferInput<typeof PaymentRecordedV1>;
  'promise.created': v.InferInput<typeof PromiseCreatedV1>;
  'agreement.proposed': v.InferInput<typeof AgreementProposedV1>;
  'promise.cancelled': v.InferInput<typeof PromiseCancelledV1>;
  'payment.voided': v.InferInput<typeof PaymentVoidedV1>;
  'debtor.field_updated': v.InferInput<typeof DebtorFieldUpdatedV1>;
}

export type ParsedMutation = {
  [K in MutationType]: { type: K; payload: MutationPayloads[K] };
}[MutationType];

export type ParsePayloadResult =
  | { kind: 'ok'; value: ParsedMutation }
  /** A type or version this build does not know: keep it (deferred), never drop it. */
  | { kind: 'unknown' }
  | { kind: 'invalid'; message: string; field?: string };

function isKnownType(type: string): type is MutationType {
  return Object.hasOwn(MUTATION_PAYLOADS, type);
}

/** Validates a mutation's payload against its type and version. */
export function parseMutationPayload(
  m: Pick<Mutation, 'type' | 'type_version' | 'payload' | 'base_version'>,
): ParsePayloadResult {
  if (!isKnownType(m.type)) return { kind: 'unknown' };
  const versions: Record<number, v.GenericSchema | undefined> = MUTATION_PAYLOADS[m.type];
  const schema = versions[m.type_version];
  if (!schema) return { kind: 'unknown' };
  if (m.type === 'debtor.field_updated' && m.base_version === undefined)
    return {
      kind: 'invalid',
      message: 'base_version is required for a field update',
      field: 'base_version',
    };
  const result = v.safeParse(schema, m.payload);
  if (!result.success) {
    const issue = result.issues[0];
    const path = v.getDotPath(issue);
    return {
      kind: 'invalid',
      message: issue.message,
      ...(path === null ? {} : { field: `payload.${path}` }),
    };
  }
  return { kind: 'ok', value: { type: m.type, payload: result.output } as ParsedMutation };
}

// ---------------------------------------------------------------------------------------------
// Device health (§5.9), sent with every sync request

export const DisplayModes = ['standalone', 'fullscreen', 'minimal-ui', 'browser'] as const;

export const DeviceHealthSchema = entity({
  app_version: v.pipe(v.string('app_version must be text'), v.maxLength(40)),
  schema_version: count('schema_version', 1_000_000),
  outbox_pending: count('outbox_pending', 10_000_000),
  /** Device time of the oldest unacked outbox row; null when the outbox is empty. */
  outbox_oldest_pending_at: v.nullable(OffsetInstantSchema),
  outbox_rejected: count('outbox_rejected', 10_000_000),
  /** `navigator.storage.persisted()`; null when the browser cannot tell. */
  persisted: v.nullable(v.boolean('persisted must be true, false or null')),
  storage_usage: v.nullable(count('storage_usage', Number.MAX_SAFE_INTEGER)),
  storage_quota: v.nullable(count('storage_quota', Number.MAX_SAFE_INTEGER)),
  /** Installed to the home screen (display-mode standalone/fullscreen). */
  installed: v.boolean('installed must be true or false'),
  display_mode: v.optional(v.picklist(DisplayModes, 'display_mode is not a known display mode')),
  last_error: v.nullable(v.pipe(v.string('last_error must be text'), v.maxLength(1000))),
  user_agent: v.pipe(v.string('user_agent must be text'), v.maxLength(500)),
});
export type DeviceHealth = v.InferOutput<typeof DeviceHealthSchema>;

// ---------------------------------------------------------------------------------------------
// Registration

/** `POST /api/sync/devices`: idempotent; the same device id for the same user returns its state. */
export const RegisterDeviceRequestSchema = entity({
  protocol: v.literal(PROTOCOL_VERSION, 'protocol must be 1'),
  device_id: DeviceIdSchema,
  device_now: OffsetInstantSchema,
  health: DeviceHealthSchema,
});
export type RegisterDeviceRequest = v.InferOutput<typeof RegisterDeviceRequestSchema>;

export const RegisterDeviceResponseSchema = v.object({
  device_id: v.string(),
  collector_id: v.string(),
  /** The last device_seq the server holds for this device (0 for a new one). */
  acked_through_seq: v.number(),
  epoch: v.number(),
  server_now: v.string(),
  /** True when this call created the device. */
  created: v.boolean(),
});
export type RegisterDeviceResponse = v.InferOutput<typeof RegisterDeviceResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Push

export const MAX_PUSH_BATCH = 500;

export const PushRequestSchema = entity({
  protocol: v.literal(PROTOCOL_VERSION, 'protocol must be 1'),
  device_id: DeviceIdSchema,
  app_version: v.pipe(v.string('app_version must be text'), v.maxLength(40)),
  schema_version: count('schema_version', 1_000_000),
  device_now: OffsetInstantSchema,
  health: DeviceHealthSchema,
  /**
   * The lowest device_seq this device can still send (its oldest outbox row, pending or kept
   * after ack; `next_seq` when it holds none). After a server restore the server may expect a seq
   * below it: it then re-bases the device past the gap and records the loss for the owner,
   * instead of waiting forever for facts the device no longer has. Absent = old client: gaps stay
   * gaps.
   */
  retained_from_seq: v.optional(count('retained_from_seq', Number.MAX_SAFE_INTEGER)),
  /** Raw mutations: each is validated on its own so one bad fact never fails the batch. */
  mutations: v.pipe(
    v.array(v.unknown(), 'mutations must be a list'),
    v.maxLength(MAX_PUSH_BATCH, `at most ${MAX_PUSH_BATCH} mutations per push`),
  ),
});
export type PushRequest = v.InferOutput<typeof PushRequestSchema>;

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
 * `recorded_while_unassigned` (applied but flagged), `base_version_mismatch` (conflict),
 * `unknown_type`, `duplicate_receipt`, `not_pending`, `policy: <message>`.
 */
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

// ---------------------------------------------------------------------------------------------
// Pull

/**
 * Every entity a pull page may name. Additive: a client keeps only the entries whose entity it
 * knows (`PullResponseSchema` drops the others), so a server may add entities without breaking
 * clients built after that rule ('contact' and 'setting' are the first added).
 */
export const SyncEntities = [
  'debtor',
  'debt',
  'payment',
  'promise',
  'agreement',
  'visit',
  'contact',
  'setting',
] as const;
export type SyncEntity = (typeof SyncEntities)[number];

/** What a collector's device holds about a debtor (LGPD: only what the field work needs). */
export const SyncDebtorSchema = v.object({
  id: v.string(),
  kind: v.picklist(['person', 'company']),
  name: v.string(),
  address: v.nullable(v.unknown()),
  contactPoints: v.array(
    v.object({
      id: v.string(),
      kind: v.picklist(['phone', 'email']),
      value: v.string(),
      label: v.nullable(v.string()),
      isWhatsapp: v.boolean(),
      verified: v.boolean(),
    }),
  ),
  preferredChannel: v.nullable(v.string()),
  preferredHours: v.nullable(v.unknown()),
  geoPin: v.nullable(v.unknown()),
  doNotContact: v.boolean(),
  /** Channels the debtor opted out of (the guard refuses them). */
  blockedChannels: v.optional(v.array(v.string())),
  /** The debtor's UF when known (contact windows, holidays); else the organisation's applies. */
  state: v.optional(v.nullable(v.string())),
  /** The badge (disputa, negativado, acordo, promessa, vencido, em_dia), derived on the server. */
  status: v.string(),
  /** Server-derived balance as of `balanceAsOf` (centavos). */
  totalDue: CentsSchema,
  balanceAsOf: CalendarDateSchema,
  version: v.number(),
});
export type SyncDebtor = v.InferOutput<typeof SyncDebtorSchema>;

export const SyncDebtSchema = v.object({
  id: v.string(),
  debtorId: v.string(),
  description: v.string(),
  dueDate: v.string(),
  principal: CentsSchema,
  status: v.string(),
  version: v.number(),
});
export const SyncPaymentSchema = v.object({
  id: v.string(),
  debtorId: v.string(),
  debtId: v.nullable(v.string()),
  amount: CentsSchema,
  date: v.string(),
  method: v.string(),
  /** pending (field report awaiting the office), confirmed, rejected. */
  status: v.string(),
  receiptNumber: v.nullable(v.string()),
  reportedBy: v.nullable(v.string()),
  version: v.number(),
});
export const SyncPromiseSchema = v.object({
  id: v.string(),
  debtorId: v.string(),
  amount: CentsSchema,
  dueDate: v.string(),
  status: v.string(),
  version: v.number(),
});
export const SyncAgreementSchema = v.object({
  id: v.string(),
  debtorId: v.string(),
  status: v.string(),
  total: CentsSchema,
  version: v.number(),
});
export const SyncVisitSchema = v.object({
  id: v.string(),
  debtorId: v.string(),
  collectorId: v.string(),
  visitedAt: v.string(),
  outcome: v.string(),
  notes: v.nullable(v.string()),
  version: v.number(),
});

/**
 * A contact logged on any channel (office, cadence worker, inbound), so the phone's contact guard
 * counts what the server counts. Only what the guard and the timeline need: no message body,
 * template or author. A visit's own contact row is not sent (the visit stands for it).
 */
export const SyncContactSchema = v.object({
  id: v.string(),
  debtorId: v.string(),
  channel: ContactChannelSchema,
  direction: v.picklist(['outbound', 'inbound']),
  automated: v.boolean(),
  /** sent or received: queued and failed sends are not contacts. */
  status: v.string(),
  occurredAt: v.string(),
  version: v.number(),
});

/**
 * An organisation settings section (entity 'setting', id = 'organisation', 'cadence',
 * 'negotiation', 'promise', 'holidays' or 'templates'): its value as the server's rules read it,
 * and its version (0 while the shared default applies).
 */
export const SyncSettingSchema = v.object({
  version: v.number(),
  value: v.unknown(),
});

/** One entry of a pull page: latest state of an entity (put) or its removal from the device. */
export const SyncChangeSchema = v.variant('op', [
  v.object({
    op: v.literal('put'),
    entity: v.picklist(SyncEntities),
    id: v.string(),
    data: v.record(v.string(), v.unknown()),
  }),
  v.object({ op: v.literal('remove'), entity: v.picklist(SyncEntities), id: v.string() }),
]);
export type SyncChange = v.InferOutput<typeof SyncChangeSchema>;

/** An entry about an entity this client does not know yet (a newer server): parsed, then dropped. */
const UnknownEntityChangeSchema = v.object({
  op: v.picklist(['put', 'remove']),
  entity: v.pipe(
    v.string(),
    v.check((e) => !(SyncEntities as readonly string[]).includes(e), 'known entity'),
  ),
  id: v.string(),
});

/** A page's entries: known entities must be well-formed; unknown ones are ignored. */
const SyncChangesSchema = v.pipe(
  v.array(v.union([SyncChangeSchema, UnknownEntityChangeSchema])),
  v.transform((list) =>
    list.filter((c): c is SyncChange => (SyncEntities as readonly string[]).includes(c.entity)),
  ),
);

/** Header naming the device on GET /api/sync/pull. */
export const DEVICE_HEADER = 'x-quita-device';
/**
 * Header carrying the health block on GET /api/sync/pull (a GET has no body):
 * `encodeURIComponent(JSON.stringify({ device_now, health }))`. Optional but expected.
 */
export const HEALTH_HEADER = 'x-quita-health';
export const PullHealthSchema = entity({
  device_now: OffsetInstantSchema,
  health: DeviceHealthSchema,
});

export const PullQuerySchema = entity({
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200, 'cursor is not valid'))),
  limit: v.optional(
    v.pipe(
      v.string('limit must be a number'),
      v.regex(/^\d{1,4}$/, 'limit must be a whole number from 1 to 1000'),
      v.transform(Number),
      v.minValue(1, 'limit must be a whole number from 1 to 1000'),
      v.maxValue(1000, 'limit must be a whole number from 1 to 1000'),
    ),
    '500',
  ),
});

export const PullResponseSchema = v.object({
  changes: SyncChangesSchema,
  /** Opaque: store it with the page's data in one transaction and send it back next time. */
  cursor: v.string(),
  has_more: v.boolean(),
  epoch: v.number(),
  /** Read in the same snapshot as the changes: every effect of seq ≤ this is in the feed. */
  acked_through_seq: v.number(),
  server_now: v.string(),
  /**
   * The cursor belongs to another epoch (restore, compaction, scope rule change): wipe the
   * server-state tables, KEEP the outbox, pull again without a cursor. `changes` is empty.
   */
  reset_required: v.optional(v.literal(true)),
  /** The client's schema is older than N−1: its pushes were accepted; it should update. */
  upgrade_required: v.optional(v.literal(true)),
});
export type PullResponse = v.InferOutput<typeof PullResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Integrity check (§5.5 backstop)

export const IntegrityRequestSchema = entity({
  protocol: v.literal(PROTOCOL_VERSION, 'protocol must be 1'),
  device_id: DeviceIdSchema,
  device_now: OffsetInstantSchema,
  health: DeviceHealthSchema,
  /** Every debtor id the device holds in its server tables. */
  debtor_ids: v.pipe(
    v.array(IdSchema, 'debtor_ids must be a list'),
    v.maxLength(50_000, 'at most 50000 debtor ids'),
  ),
});
export type IntegrityRequest = v.InferOutput<typeof IntegrityRequestSchema>;

export const IntegrityResponseSchema = v.object({
  /** Held by the device but not in the collector's scope: delete locally (never the outbox). */
  remove: v.array(v.string()),
  /** In scope but not on the device: pull again without a cursor (reset) to fetch them. */
  missing: v.array(v.string()),
  server_now: v.string(),
});
export type IntegrityResponse = v.InferOutput<typeof IntegrityResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Cursor: opaque to clients, "<epoch>.<seq>" or "<epoch>.<seq>.<after debtor id>" while the
// initial snapshot is being paged (seq is then the feed high-water mark the snapshot started at).

export interface SyncCursor {
  epoch: number;
  seq: number;
  /** During the initial snapshot: the last debtor id delivered. */
  after?: string;
}

const CURSOR_RE = /^c1\.(\d{1,15})\.(\d{1,15})(?:\.([0-9a-f-]{36}))?$/;

export function encodeCursor(cursor: SyncCursor): string {
  const base = `c1.${cursor.epoch}.${cursor.seq}`;
  return cursor.after === undefined ? base : `${base}.${cursor.after}`;
}

/** Null when the string is not a cursor this protocol issued. */
export function decodeCursor(text: string): SyncCursor | null {
  const m = CURSOR_RE.exec(text);
  if (!m) return null;
  const epoch = Number(m[1]);
  const seq = Number(m[2]);
  if (!Number.isSafeInteger(epoch) || !Number.isSafeInteger(seq)) return null;
  return m[3] === undefined ? { epoch, seq } : { epoch, seq, after: m[3] };
}
