/**
 * `GET /api/sync/pull`: a page of the collector's change feed (reference/sync.md §5.4), the
 * entity shapes a phone holds, and the headers a pull carries. The cursor codec is ./cursor.ts.
 */
import * as v from 'valibot';
import { ContactChannelSchema, entity } from '../domain/common.schema';
import { CentsSchema } from '../money/cents.schema';
import { CalendarDateSchema } from '../time/calendar-date.schema';
import { DeviceHealthSchema } from './device.schema';
import { OffsetInstantSchema } from './envelope.schema';

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
  /**
   * The debtor's page link (`/p/<token>`) messages carry as `{{payment_link}}`: minted by the
   * server for every assigned debtor with a CPF/CNPJ, renewed a week before it expires (the debtor
   * is re-put then), null when there is none. Absent from servers before the debtor's page.
   */
  portalLink: v.optional(v.nullable(v.object({ url: v.string(), expiresAt: v.string() }))),
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
    v.check((e) => !(SyncEntities as readonly string[]).includes(e), 'entidade conhecida'),
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

const LIMIT_MESSAGE = 'o limite deve ser um número inteiro de 1 a 1000';

export const PullQuerySchema = entity({
  cursor: v.optional(
    v.pipe(v.string('o cursor deve ser um texto'), v.maxLength(200, 'cursor inválido')),
  ),
  limit: v.optional(
    v.pipe(
      v.string('o limite deve ser um número'),
      v.regex(/^\d{1,4}$/, LIMIT_MESSAGE),
      v.transform(Number),
      v.minValue(1, LIMIT_MESSAGE),
      v.maxValue(1000, LIMIT_MESSAGE),
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
