/**
 * One contact with a debtor on any channel, automated or typed by a person, visits included: the
 * single ledger the contact budget and the contact windows are checked against. An `override`
 * records who sent anyway outside the rules, and why.
 */
import * as v from 'valibot';
import { TemplateIdSchema } from '../templates/template.schema';
import { ContactChannelSchema, entity, InstantSchema, text } from './common.schema';
import { IdSchema } from './id';

export const ContactDirections = ['outbound', 'inbound'] as const;
export const ContactDirectionSchema = v.picklist(
  ContactDirections,
  'a direção deve ser outbound (enviado) ou inbound (recebido)',
);
export type ContactDirection = v.InferOutput<typeof ContactDirectionSchema>;

/** A deliberate send outside the budget or the contact window, with the person accountable. */
export const ContactOverrideSchema = entity({ by: IdSchema, reason: text('o motivo', 500) });
export type ContactOverride = v.InferOutput<typeof ContactOverrideSchema>;

const contactFields = {
  debtorId: IdSchema,
  /** The debts the contact was about; empty for a privacy-safe or general contact. */
  debtIds: v.optional(v.array(IdSchema, 'as dívidas devem ser uma lista'), () => []),
  channel: ContactChannelSchema,
  direction: ContactDirectionSchema,
  /** Sent by the cadence engine, not by a person. */
  automated: v.boolean('a marcação de automático deve ser true ou false'),
  stepId: v.optional(text('a etapa da régua', 64)),
  templateId: v.optional(TemplateIdSchema),
  at: InstantSchema,
  /** The user who made the contact; absent only for automated sends. */
  by: v.optional(IdSchema),
  override: v.optional(ContactOverrideSchema),
  /** The privacy-safe variant was used (recipient not verified as the debtor). */
  privacySafe: v.optional(
    v.boolean('a marcação de mensagem sem exposição deve ser true ou false'),
    false,
  ),
  visitId: v.optional(IdSchema),
};

function hasAuthor(e: { automated: boolean; by?: string | undefined }): boolean {
  return e.automated || e.by !== undefined;
}

const AUTHOR_MESSAGE = 'informe quem fez o contato: obrigatório quando o contato não é automático';

/** A contact as stored, with the server's receive time. */
export const ContactEventSchema = v.pipe(
  entity({ id: IdSchema, ...contactFields, receivedAt: InstantSchema }),
  v.forward(
    v.check((e) => hasAuthor(e), AUTHOR_MESSAGE),
    ['by'],
  ),
);
export type ContactEvent = v.InferOutput<typeof ContactEventSchema>;

/** A contact as the engine, the PWA or the extension reports it. */
export const NewContactEventSchema = v.pipe(
  entity({ id: v.optional(IdSchema), ...contactFields }),
  v.forward(
    v.check((e) => hasAuthor(e), AUTHOR_MESSAGE),
    ['by'],
  ),
);
export type NewContactEvent = v.InferOutput<typeof NewContactEventSchema>;
