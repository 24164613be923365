/**
 * The creditor's part of every collection message (CDC art. 42-A: name, CPF/CNPJ, address) and the
 * payment facts derived from the organisation's settings — the PIX copy-and-paste for a debt with
 * its reconciliation txid, and the payment link. The server's cadence queue and the extension's
 * one-click templates both build their facts here, so a message typed by hand reads exactly like
 * the automatic one. A fact that cannot be known is left out, so rendering names it instead of
 * sending a message with a hole.
 */
import type { Address } from '../domain/common.schema';
import { formatDocument, tryParseDocument } from '../identity/document';
import type { Cents } from '../money/money';
import type { PixKeyType } from '../pix/pix-key';
import { buildPixPayload } from '../pix/pix-payload';
import { pixTxidFor } from '../pix/pix-txid';
import { formatAddress } from '../settings/settings.schema';
import type { MessageFacts } from './placeholders';

/** The organisation fields the facts need (the settings view as the API returns it). */
export interface CreditorSettings {
  legalName: string | null;
  tradeName?: string | null;
  document: string | null;
  address: Address | null;
  phone?: string | null;
  pix?: { key: string; keyType: PixKeyType } | null;
  pixMerchantName?: string | null;
  pixMerchantCity?: string | null;
  /** A URL with `{txid}` where the debt's reconciliation id goes. */
  paymentLinkTemplate?: string | null;
}

/** creditor_name, creditor_document, creditor_address, creditor_phone — whichever are known. */
export function creditorFacts(org: CreditorSettings): MessageFacts {
  const doc = org.document === null ? undefined : tryParseDocument(org.document);
  return {
    ...(org.legalName === null ? {} : { creditor_name: org.legalName }),
    ...(doc?.ok ? { creditor_document: formatDocument(doc.value.value) } : {}),
    ...(org.address === null ? {} : { creditor_address: formatAddress(org.address) }),
    ...(org.phone === null || org.phone === undefined ? {} : { creditor_phone: org.phone }),
  };
}

/**
 * The static BR Code for `amount` to the organisation's key with the debt's txid (or `txid`, e.g.
 * an installment's); undefined without a key.
 */
export function pixCopyPaste(
  org: CreditorSettings,
  debtId: string,
  amount: Cents,
  txid: string = pixTxidFor(debtId),
): string | undefined {
  if (!org.pix) return undefined;
  const built = buildPixPayload({
    key: org.pix.key,
    keyType: org.pix.keyType,
    name: org.pixMerchantName ?? org.tradeName ?? org.legalName ?? '',
    city: org.pixMerchantCity ?? org.address?.city ?? '',
    ...(amount > 0 ? { amount } : {}),
    txid,
    truncate: true,
  });
  return built.ok ? built.value : undefined;
}

/** The payment link for a debt (or `txid`), or undefined when the organisation configured none. */
export function paymentLink(
  org: CreditorSettings,
  debtId: string,
  txid: string = pixTxidFor(debtId),
): string | undefined {
  const template = org.paymentLinkTemplate;
  return template ? template.replaceAll('{txid}', txid) : undefined;
}
