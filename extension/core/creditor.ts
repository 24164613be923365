/**
 * The creditor's part of a message (CDC art. 42-A) and the PIX copy-and-paste for a debt, from
 * `GET /api/settings/organisation`. Mirrors the server's cadence facts so a message inserted by
 * hand reads like the automatic one. Only the fields used here are parsed.
 */
import * as v from 'valibot';
import { AddressSchema } from '#shared/domain/common.schema';
import { formatDocument, tryParseDocument } from '#shared/identity/document';
import { cents } from '#shared/money/money';
import { buildPixPayload } from '#shared/pix/pix-payload';
import { PixKeyTypeSchema } from '#shared/pix/pix-key';
import { pixTxidFor } from '#shared/pix/pix-txid';
import { formatAddress } from '#shared/settings/settings.schema';
import type { MessageFacts } from '#shared/templates/placeholders';

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

export function creditorFacts(org: OrganisationView): MessageFacts {
  const doc = org.document === null ? undefined : tryParseDocument(org.document);
  return {
    ...(org.legalName === null ? {} : { creditor_name: org.legalName }),
    ...(doc?.ok ? { creditor_document: formatDocument(doc.value.value) } : {}),
    ...(org.address === null ? {} : { creditor_address: formatAddress(org.address) }),
    ...(org.phone === null ? {} : { creditor_phone: org.phone }),
  };
}

/** The static BR Code for `amount` (centavos) to the organisation's key, or undefined. */
export function pixCopyPaste(
  org: OrganisationView,
  debtId: string,
  amount: number,
): string | undefined {
  if (org.pix === null) return undefined;
  const built = buildPixPayload({
    key: org.pix.key,
    keyType: org.pix.keyType,
    name: org.pixMerchantName ?? org.tradeName ?? org.legalName ?? '',
    city: org.pixMerchantCity ?? org.address?.city ?? '',
    ...(amount > 0 ? { amount: cents(amount) } : {}),
    txid: pixTxidFor(debtId),
    truncate: true,
  });
  return built.ok ? built.value : undefined;
}

export function paymentLink(org: OrganisationView, debtId: string): string | undefined {
  return org.paymentLinkTemplate?.replace('{txid}', pixTxidFor(debtId)) ?? undefined;
}
