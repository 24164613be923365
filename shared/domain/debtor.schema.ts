/**
 * The person or company that owes. Contact points are normalised on the way in (phones to E.164,
 * e-mails lower-cased) so the extension can match a WhatsApp or Gmail conversation to a debtor;
 * the do-not-contact flags and preferences are enforced by the contact rules, not just displayed.
 */
import * as v from 'valibot';
import { HourRangeSchema, PreferableChannels } from '../cadence/cadence.schema';
import { DocumentSchema } from '../identity/document';
import { EmailSchema } from '../identity/email';
import { PhoneE164Schema } from '../identity/phone';
import {
  AddressSchema,
  ContactChannelSchema,
  entity,
  InstantSchema,
  text,
  VersionSchema,
} from './common.schema';
import { IdSchema } from './id';

export const DebtorKinds = ['person', 'company'] as const;
export const DebtorKindSchema = v.picklist(
  DebtorKinds,
  'o tipo deve ser person (pessoa física) ou company (empresa)',
);
export type DebtorKind = v.InferOutput<typeof DebtorKindSchema>;

const contactCommon = {
  /** "celular", "trabalho", "filha"…: shown to the collector, never sent. */
  label: v.optional(text('o rótulo', 40)),
  /** Confirmed as reaching the debtor in person; unverified points get privacy-safe messages. */
  verified: v.optional(v.boolean('a marcação de verificado deve ser true ou false'), false),
};

/** A phone number or e-mail address of the debtor. */
export const ContactPointSchema = v.variant(
  'kind',
  [
    entity({
      kind: v.literal('phone'),
      value: PhoneE164Schema,
      ...contactCommon,
      isWhatsapp: v.optional(v.boolean('a marcação de WhatsApp deve ser true ou false'), false),
    }),
    entity({ kind: v.literal('email'), value: EmailSchema, ...contactCommon }),
  ],
  'o tipo de contato deve ser phone ou email',
);
export type ContactPoint = v.InferOutput<typeof ContactPointSchema>;

/**
 * A contact point as the office's API takes it (`POST /api/debtors`, `PATCH /api/debtors/:id`):
 * a phone without `isWhatsapp` is not "not on WhatsApp" but unknown. A new phone then gets the
 * mobile presumption (shared/identity/whatsapp.ts), and a phone already stored keeps its flag.
 */
export const ContactPointInputSchema = v.variant(
  'kind',
  [
    entity({
      kind: v.literal('phone'),
      value: PhoneE164Schema,
      ...contactCommon,
      isWhatsapp: v.optional(v.boolean('a marcação de WhatsApp deve ser true ou false')),
    }),
    entity({ kind: v.literal('email'), value: EmailSchema, ...contactCommon }),
  ],
  'o tipo de contato deve ser phone ou email',
);
export type ContactPointInput = v.InferOutput<typeof ContactPointInputSchema>;

/** What the debtor asked not to receive (CDC art. 71: no contact that interferes with work or rest). */
export const DoNotContactSchema = entity({
  all: v.optional(v.boolean('a marcação de todos os canais deve ser true ou false'), false),
  channels: v.optional(
    v.pipe(
      v.array(ContactChannelSchema, 'os canais devem ser uma lista'),
      v.transform((list) => [...new Set(list)]),
    ),
    () => [],
  ),
  /** Never at the workplace (no visit or call there). */
  atWork: v.optional(v.boolean('a marcação de local de trabalho deve ser true ou false'), false),
});
export type DoNotContact = v.InferOutput<typeof DoNotContactSchema>;

const TagSchema = v.pipe(
  v.string('a etiqueta deve ser um texto'),
  v.trim(),
  v.toLowerCase(),
  v.nonEmpty('a etiqueta não pode ficar vazia'),
  v.maxLength(32, 'a etiqueta deve ter no máximo 32 caracteres'),
);

const editable = {
  kind: DebtorKindSchema,
  name: text('o nome', 160),
  /** CPF for a person, CNPJ for a company; may be unknown for imported debts. */
  document: v.optional(DocumentSchema),
  contactPoints: v.optional(
    v.pipe(
      v.array(ContactPointSchema, 'os contatos devem ser uma lista'),
      v.maxLength(20, 'no máximo 20 contatos'),
    ),
    () => [],
  ),
  address: v.optional(AddressSchema),
  /** Replaces the channel of reminder steps; only remote channels qualify (cadence rules). */
  preferredChannel: v.optional(
    v.picklist(PreferableChannels, 'o canal preferido deve ser sms, whatsapp ou email'),
  ),
  /** Narrows the contact windows, in the organisation's time zone; never widens them. */
  preferredHours: v.optional(HourRangeSchema),
  doNotContact: v.optional(DoNotContactSchema, () => ({
    all: false,
    channels: [],
    atWork: false,
  })),
  /** The id in the business's own system (ERP, spreadsheet), for imports and reconciliation. */
  externalId: v.optional(text('o código externo', 64)),
  tags: v.optional(
    v.pipe(
      v.array(TagSchema, 'as etiquetas devem ser uma lista'),
      v.maxLength(20, 'no máximo 20 etiquetas'),
      v.transform((list) => [...new Set(list)]),
    ),
    () => [],
  ),
};

interface DebtorChecked {
  kind: DebtorKind;
  document?: string | undefined;
  contactPoints: readonly { kind: string; value: string }[];
}

function documentMatchesKind(d: DebtorChecked): boolean {
  const doc = d.document;
  return doc === undefined || (doc.length === 11) === (d.kind === 'person');
}

function contactsAreUnique(d: DebtorChecked): boolean {
  return (
    new Set(d.contactPoints.map((c) => `${c.kind}:${c.value}`)).size === d.contactPoints.length
  );
}

/** Why a document does not fit the debtor's kind; the PATCH route reports it the same way. */
export const DOCUMENT_KIND_MESSAGE =
  'o documento deve ser um CPF para pessoa física (person) e um CNPJ para empresa (company)';
const DUPLICATE_CONTACT_MESSAGE = 'o mesmo contato aparece duas vezes';

/** The debtor as stored and returned. */
export const DebtorSchema = v.pipe(
  entity({ id: IdSchema, ...editable, version: VersionSchema, createdAt: InstantSchema }),
  v.forward(
    v.check((d) => documentMatchesKind(d), DOCUMENT_KIND_MESSAGE),
    ['document'],
  ),
  v.forward(
    v.check((d) => contactsAreUnique(d), DUPLICATE_CONTACT_MESSAGE),
    ['contactPoints'],
  ),
);
export type Debtor = v.InferOutput<typeof DebtorSchema>;

/** The body of a request creating a debtor (the id may come from the client for idempotency). */
export const NewDebtorSchema = v.pipe(
  entity({
    id: v.optional(IdSchema),
    ...editable,
    contactPoints: v.optional(
      v.pipe(
        v.array(ContactPointInputSchema, 'os contatos devem ser uma lista'),
        v.maxLength(20, 'no máximo 20 contatos'),
      ),
      () => [],
    ),
  }),
  v.forward(
    v.check((d) => documentMatchesKind(d), DOCUMENT_KIND_MESSAGE),
    ['document'],
  ),
  v.forward(
    v.check((d) => contactsAreUnique(d), DUPLICATE_CONTACT_MESSAGE),
    ['contactPoints'],
  ),
);
export type NewDebtor = v.InferOutput<typeof NewDebtorSchema>;
