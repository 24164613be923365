/**
 * The organisation settings as the API exchanges them: the creditor identity of `NewOrganisationSchema`
 * plus what messages need beyond it (a phone for `{{creditor_phone}}`, a payment link pattern for
 * `{{payment_link}}`, the PIX merchant name/city when they differ from the legal name and city),
 * and the template editor's lint answer. Server, PWA and extension parse through these.
 */
import * as v from 'valibot';
import { NewOrganisationSchema } from '../domain/organisation.schema';
import type { Address } from '../domain/common.schema';
import { LintRules, LintSeverities } from '../templates/lint-template';

function bounded(field: string, max: number) {
  return v.pipe(
    v.string(`${field} must be text`),
    v.trim(),
    v.nonEmpty(`${field} is required`),
    v.maxLength(max, `${field} must be at most ${max} characters`),
  );
}

/** A payment page URL with `{txid}` where the debt's PIX txid goes. */
export const PaymentLinkTemplateSchema = v.pipe(
  bounded('paymentLinkTemplate', 300),
  v.regex(/^https?:\/\/\S+$/, 'paymentLinkTemplate must be an http(s) URL'),
  v.check((s) => s.includes('{txid}'), 'paymentLinkTemplate must contain {txid}'),
);

/** What the organisation settings add to `NewOrganisationSchema`. */
export const OrganisationExtrasSchema = v.object({
  /** Fills `{{creditor_phone}}`, used by most default templates. */
  phone: v.optional(bounded('phone', 40)),
  /** Fills `{{payment_link}}`; without it templates that use the link cannot be rendered. */
  paymentLinkTemplate: v.optional(PaymentLinkTemplateSchema),
  /** BR Code merchant name (≤ 25 after ASCII folding); default: trade name, else legal name. */
  pixMerchantName: v.optional(bounded('pixMerchantName', 25)),
  /** BR Code merchant city (≤ 15 after ASCII folding); default: the address's city. */
  pixMerchantCity: v.optional(bounded('pixMerchantCity', 15)),
});

/** Body of `PUT /api/settings/organisation`. */
export const OrganisationSettingsSchema = v.intersect([
  NewOrganisationSchema,
  OrganisationExtrasSchema,
]);
export type OrganisationSettingsInput = v.InferInput<typeof OrganisationSettingsSchema>;
export type OrganisationSettings = v.InferOutput<typeof OrganisationSettingsSchema>;

/** One line of a Brazilian address, as printed under the creditor's name. */
export function formatAddress(address: Address): string {
  const street = [address.street, address.number, address.complement].filter(Boolean).join(', ');
  const cep = `${address.postalCode.slice(0, 5)}-${address.postalCode.slice(5)}`;
  return `${street}, ${address.district}, ${address.city}/${address.state}, CEP ${cep}`;
}

/** A linter finding as the template endpoints return it. */
export const LintFindingSchema = v.object({
  severity: v.picklist(LintSeverities),
  rule: v.picklist(LintRules),
  message: v.string(),
  index: v.number(),
  match: v.string(),
  field: v.exactOptional(v.picklist(['subject', 'body'])),
});
