/**
 * The creditor's part of a message (CDC art. 42-A) and the PIX copy-and-paste for a debt, from
 * `GET /api/settings/organisation`. The facts themselves come from shared/templates/creditor-facts,
 * as the server's cadence queue does, so a message inserted by hand reads like the automatic one.
 * Only the fields used here are parsed.
 */
import * as v from 'valibot';
import { AddressSchema } from '#shared/domain/common.schema';
import { cents } from '#shared/money/money';
import { PixKeyTypeSchema } from '#shared/pix/pix-key';
import { pixCopyPaste as sharedPixCopyPaste } from '#shared/templates/creditor-facts';

const NullableText = v.nullable(v.string());

/** The subset of the organisation view the extension reads. */
export const OrganisationViewSchema = v.object({
  configured: v.boolean(),
  legalName: NullableText,
  tradeName: v.optional(NullableText, null),
  document: NullableText,
  address: v.nullable(AddressSchema),
  phone: v.optional(NullableText, null),
  pix: v.optional(v.nullable(v.object({ key: v.string(), keyType: PixKeyTypeSchema })), null),
  pixMerchantName: v.optional(NullableText, null),
  pixMerchantCity: v.optional(NullableText, null),
  paymentLinkTemplate: v.optional(NullableText, null),
  timeZone: v.string(),
});
export type OrganisationView = v.InferOutput<typeof OrganisationViewSchema>;

export { creditorFacts, paymentLink } from '#shared/templates/creditor-facts';

/** The static BR Code for `amount` (centavos) to the organisation's key, or undefined. */
export function pixCopyPaste(
  org: OrganisationView,
  debtId: string,
  amount: number,
): string | undefined {
  return sharedPixCopyPaste(org, debtId, cents(amount));
}
