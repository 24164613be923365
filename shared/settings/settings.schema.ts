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

/** `label` is the field in pt-BR with its article; the issue path carries the API name. */
function bounded(label: string, max: number) {
  return v.pipe(
    v.string(`${label} deve ser um texto`),
    v.trim(),
    v.nonEmpty(`informe ${label}`),
    v.maxLength(max, `${label} deve ter no máximo ${max} caracteres`),
  );
}

/** A payment page URL with `{txid}` where the debt's PIX txid goes. */
export const PaymentLinkTemplateSchema = v.pipe(
  bounded('o modelo do link de pagamento', 300),
  v.regex(/^https?:\/\/\S+$/, 'o modelo do link de pagamento deve ser um endereço http(s)'),
  v.check((s) => s.includes('{txid}'), 'o modelo do link de pagamento deve conter {txid}'),
);

/** What the organisation settings add to `NewOrganisationSchema`. */
export const OrganisationExtrasSchema = v.object({
  /** Fills `{{creditor_phone}}`, used by most default templates. */
  phone: v.optional(bounded('o telefone', 40)),
  /** Fills `{{payment_link}}`; without it templates that use the link cannot be rendered. */
  paymentLinkTemplate: v.optional(PaymentLinkTemplateSchema),
  /** BR Code merchant name (≤ 25 after ASCII folding); default: trade name, else legal name. */
  pixMerchantName: v.optional(bounded('o nome do recebedor PIX', 25)),
  /** BR Code merchant city (≤ 15 after ASCII folding); default: the address's city. */
  pixMerchantCity: v.optional(bounded('a cidade do recebedor PIX', 15)),
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
