/**
 * The payload of each fact type a device pushes (reference/sync.md §5.1), by type and version,
 * and `parseMutationPayload`, which checks a pushed mutation's payload against them. The envelope
 * is in ./envelope.schema.ts. Messages are pt-BR and never repeat the field's API name.
 */
import * as v from 'valibot';
import { HourRangeSchema, PreferableChannels } from '../cadence/cadence.schema';
import { AgreementProposalRequestSchema } from '../api/ledger.schema';
import {
  AddressSchema,
  ContactChannelSchema,
  entity,
  note,
  positiveCents,
  text,
} from '../domain/common.schema';
import { ContactPointSchema } from '../domain/debtor.schema';
import { IdSchema } from '../domain/id';
import { FieldPaymentMethodSchema, ReceiptNumberSchema } from '../domain/payment.schema';
import { DebtIdsSchema } from '../domain/promise.schema';
import { GeolocationSchema, VisitOutcomeSchema } from '../domain/visit.schema';
import { TemplateIdSchema } from '../templates/template.schema';
import { CalendarDateSchema } from '../time/calendar-date.schema';
import type { Mutation } from './envelope.schema';

export const VisitRecordedV1 = entity({
  outcome: VisitOutcomeSchema,
  geolocation: v.optional(GeolocationSchema),
  notes: v.optional(note('a observação', 2000)),
  /** Facts recorded during this visit (their own mutation ids). */
  promiseId: v.optional(IdSchema),
  reportedPaymentId: v.optional(IdSchema),
});

/** Money received in the field; stays `pending` until the office confirms it. */
export const PaymentRecordedV1 = entity({
  debtId: IdSchema,
  /** Day received, in the organisation's time zone as the device saw it. */
  date: CalendarDateSchema,
  amount: positiveCents('o valor'),
  method: FieldPaymentMethodSchema,
  receiptNumber: ReceiptNumberSchema,
  visitId: v.optional(IdSchema),
  note: v.optional(note('a observação', 500)),
});

export const PromiseCreatedV1 = v.pipe(
  entity({
    debtIds: DebtIdsSchema,
    amount: positiveCents('o valor'),
    dueDate: CalendarDateSchema,
    /** The day it was made on the device (offline days count). */
    madeOn: CalendarDateSchema,
    channel: v.optional(ContactChannelSchema, 'visit'),
    visitId: v.optional(IdSchema),
    note: v.optional(note('a observação', 500)),
  }),
  v.forward(
    v.check(
      (p) => p.madeOn <= p.dueDate,
      'o vencimento não pode ser antes do dia em que a promessa foi feita',
    ),
    ['dueDate'],
  ),
);

/** A negotiation proposal: the same body as POST /api/agreements minus ids the envelope carries. */
export const AgreementProposedV1 = v.pipe(
  v.omit(AgreementProposalRequestSchema.pipe[0], ['id', 'debtorId']),
  v.check(
    (p) => p.discountBps === undefined || p.discountAmount === undefined,
    'informe o desconto como taxa (discountBps) ou como valor (discountAmount), não os dois',
  ),
);

export const PromiseCancelledV1 = entity({
  promiseId: IdSchema,
  reason: text('o motivo', 500),
});

/** Voids a field payment report the same collector made (a typo), while still pending. */
export const PaymentVoidedV1 = entity({
  paymentId: IdSchema,
  reason: text('o motivo', 500),
});

/** Channels a collector's phone opens a link for (wa.me, sms:, tel:, mailto:). */
export const LoggedContactChannels = ['whatsapp', 'sms', 'phone', 'email'] as const;

/**
 * What the phone can honestly say about a contact link: the collector tapped it and the system
 * handed it to WhatsApp, the SMS app, the dialer or the mail app. Whether the message was then
 * sent or the call answered is unknowable from a web page, so the only outcome is `opened`; the
 * budget counts it anyway (counting a contact that never left errs on the debtor's side).
 */
export const ContactOutcomes = ['opened'] as const;

/**
 * The collector opened a guarded contact link (the envelope's `occurred_at` is when). The server
 * logs it as a contact under the mutation id, so the contact budget counts the collector's own
 * messages across every channel, on the phone and on the server.
 */
export const ContactLoggedV1 = entity({
  channel: v.picklist(LoggedContactChannels, 'o canal deve ser whatsapp, sms, phone ou email'),
  outcome: v.picklist(ContactOutcomes, 'o resultado deve ser opened'),
  /** The cadence step whose template was offered, if any. */
  stepId: v.optional(text('a etapa da régua', 64)),
  /** The template rendered into the link, if any (a call has none). */
  templateId: v.optional(TemplateIdSchema),
  /** The privacy-safe variant was used (the number is not verified as the debtor's). */
  privacySafe: v.optional(
    v.boolean('a marcação de mensagem sem exposição deve ser true ou false'),
    false,
  ),
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
    v.array(ContactPointSchema, 'os contatos devem ser uma lista'),
    v.maxLength(20, 'no máximo 20 contatos'),
    v.check(
      (list) => new Set(list.map((c) => `${c.kind}:${c.value}`)).size === list.length,
      'o mesmo contato aparece duas vezes',
    ),
  ),
  address: v.nullable(AddressSchema),
  preferredChannel: v.nullable(
    v.picklist(PreferableChannels, 'o canal preferido deve ser sms, whatsapp ou email'),
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
  'o campo deve ser contactPoints, address, preferredChannel, preferredHours ou geoPin',
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
  'contact.logged': { 1: ContactLoggedV1 },
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
  'contact.logged': v.InferOutput<typeof ContactLoggedV1>;
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
  'contact.logged': v.InferInput<typeof ContactLoggedV1>;
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
      message: 'informe a versão de base para corrigir um campo',
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
