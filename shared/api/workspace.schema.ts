/**
 * Messages of the office workspace (issue 13): a debtor's contact points edited one by one
 * (version-checked), their verification marked in one tap, and two duplicates merged.
 */
import * as v from 'valibot';
import { entity, text, VersionSchema } from '../domain/common.schema';
import { IdSchema } from '../domain/id';
import {
  VerificationSourceSchema,
  VerificationStateSchema,
} from '../identity/contact-verification';
import { EmailSchema } from '../identity/email';
import { PhoneE164Schema } from '../identity/phone';

const label = v.optional(v.nullable(text('o rótulo', 40)));

/**
 * `POST /api/debtors/:id/contact-points`. A phone without `isWhatsapp` gets the presumption of
 * shared/identity/whatsapp.ts (mobiles are on WhatsApp); a new point starts unverified unless the
 * person adding it confirmed it with the debtor (`verification`).
 */
export const NewContactPointSchema = v.variant(
  'kind',
  [
    entity({
      kind: v.literal('phone'),
      value: PhoneE164Schema,
      label,
      isWhatsapp: v.optional(v.boolean('a marcação de WhatsApp deve ser true ou false')),
      verification: v.optional(VerificationStateSchema),
    }),
    entity({
      kind: v.literal('email'),
      value: EmailSchema,
      label,
      verification: v.optional(VerificationStateSchema),
    }),
  ],
  'o tipo de contato deve ser phone ou email',
);
export type NewContactPoint = v.InferOutput<typeof NewContactPointSchema>;

/**
 * `PATCH /api/debtors/:id/contact-points/:pointId`: fix the number or address (checked as the
 * point's kind), its label, WhatsApp and do-not-contact flags. `version` is the point's; a new
 * value starts unverified again (a different number has not been confirmed by anyone).
 */
export const ContactPointPatchSchema = v.pipe(
  entity({
    version: VersionSchema,
    value: v.optional(
      v.pipe(
        v.string('o contato deve ser um texto'),
        v.trim(),
        v.nonEmpty('informe o contato'),
        v.maxLength(254, 'o contato deve ter no máximo 254 caracteres'),
      ),
    ),
    label,
    isWhatsapp: v.optional(v.boolean('a marcação de WhatsApp deve ser true ou false')),
    doNotContact: v.optional(v.boolean('a marcação de não contatar deve ser true ou false')),
  }),
  v.check(
    (p) => Object.keys(p).length > 1,
    'nada para alterar: envie pelo menos um campo além de version',
  ),
);
export type ContactPointPatch = v.InferOutput<typeof ContactPointPatchSchema>;

/** `POST /api/debtors/:id/contact-points/:pointId/verification`: one tap, audited. */
export const VerificationRequestSchema = entity({
  state: VerificationStateSchema,
  source: v.optional(VerificationSourceSchema, 'office'),
});
export type VerificationRequest = v.InferOutput<typeof VerificationRequestSchema>;

/**
 * `POST /api/debtors/:id/merge`: moves every fact of `duplicateId` into this debtor (the one kept)
 * and leaves the duplicate as a tombstone. Both versions as read: a merge over a debtor someone
 * changed meanwhile is refused (409).
 */
export const MergeRequestSchema = entity({
  duplicateId: IdSchema,
  version: VersionSchema,
  duplicateVersion: VersionSchema,
});
export type MergeRequest = v.InferOutput<typeof MergeRequestSchema>;
