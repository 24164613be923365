/**
 * The offline sync protocol (reference/sync.md §5), part 1: versions and the mutation envelope a
 * device pushes. The payload of each fact type is in ./facts.schema.ts; push, pull, device
 * registration with its health block, and the cursor have their own modules beside this one.
 * Server and PWA both parse through these.
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
 * Messages are pt-BR and never repeat the field's API name: the issue path carries it.
 */
import * as v from 'valibot';
import { entity } from '../domain/common.schema';
import { IdSchema } from '../domain/id';

/** Wire protocol version; a push or pull with another value is refused with 400. */
export const PROTOCOL_VERSION = 1;

/**
 * The newest client data schema (the PWA's IndexedDB version; pwa/db asserts they are equal, so
 * a Dexie bump cannot ship without it). The server accepts pushes from every schema version (never
 * drop an outbox) and answers `upgrade_required` on pull from clients older than N−1.
 */
export const CLIENT_SCHEMA_VERSION = 3;

/** The oldest client schema whose pulls are served without asking it to update (N−1). */
export const OLDEST_SUPPORTED_SCHEMA_VERSION = CLIENT_SCHEMA_VERSION - 1;

/** The `protocol` member every sync request body carries. */
export const ProtocolSchema = v.literal(PROTOCOL_VERSION, 'a versão do protocolo deve ser 1');

const UUID_V7_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** A UUIDv7 (client-generated fact id), output lower-cased. */
export const UuidV7Schema = v.pipe(
  v.string('o id da mutação deve ser um texto'),
  v.regex(UUID_V7_RE, 'o id da mutação deve ser um UUIDv7'),
  v.toLowerCase(),
);

/** Device ids are UUIDs (any version: `crypto.randomUUID()` is v4), output lower-cased. */
export const DeviceIdSchema = v.pipe(
  v.string('o id do aparelho deve ser um texto'),
  v.uuid('o id do aparelho deve ser um UUID'),
  v.toLowerCase(),
);

const OFFSET_INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 instant WITH its offset ("2026-03-10T09:05:00.000-03:00" or "…Z"), kept as sent:
 * device times are data, and the offset tells the owner what the phone's clock believed.
 */
export const OffsetInstantSchema = v.pipe(
  v.string('informe data e hora em ISO 8601 com o fuso, como 2026-03-10T09:05:00-03:00'),
  v.regex(
    OFFSET_INSTANT_RE,
    'data e hora inválida: use ISO 8601 com o fuso, como 2026-03-10T09:05:00-03:00',
  ),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'data e hora inexistente'),
);

const SeqSchema = v.pipe(
  v.number('a sequência do aparelho deve ser um número'),
  v.safeInteger('a sequência do aparelho deve ser um número inteiro'),
  v.minValue(1, 'a sequência do aparelho começa em 1'),
);

/**
 * One fact as the device sends it. `type` is any string so a newer client's unknown type still
 * parses (and is deferred, not rejected); the payload is checked per type by `parseMutationPayload`
 * (./facts.schema.ts).
 */
export const MutationSchema = entity({
  mutation_id: UuidV7Schema,
  device_id: DeviceIdSchema,
  device_seq: SeqSchema,
  type: v.pipe(
    v.string('o tipo deve ser um texto'),
    v.regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'o tipo deve ter a forma "visit.recorded"'),
    v.maxLength(64, 'o tipo deve ter no máximo 64 caracteres'),
  ),
  type_version: v.pipe(
    v.number('a versão do tipo deve ser um número'),
    v.safeInteger('a versão do tipo deve ser um número inteiro'),
    v.minValue(1, 'a versão do tipo começa em 1'),
  ),
  debtor_id: IdSchema,
  /** The debtor version the device saw; required for `debtor.field_updated`, ignored otherwise. */
  base_version: v.optional(
    v.pipe(
      v.number('a versão de base deve ser um número'),
      v.safeInteger('a versão de base deve ser um número inteiro'),
      v.minValue(1, 'a versão de base começa em 1'),
    ),
  ),
  /** Device clock, with offset: data only, never used for ordering. */
  occurred_at: OffsetInstantSchema,
  payload: v.unknown(),
});
export type Mutation = v.InferOutput<typeof MutationSchema>;
/** What a client builds before sending (inputs are the same shapes). */
export type MutationInput = v.InferInput<typeof MutationSchema>;
