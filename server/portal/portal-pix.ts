/**
 * The page's BR Codes: ONE function builds every PIX code the debtor's page shows — a debt's
 * balance, an agreement's installment, or everything a debtor owes — each with the txid shared/pix
 * derives for it (`QD…` debt, `QP…` installment, `QC…` debtor), the same one the cadence's
 * messages and the phone's offline codes carry, so the credit on the bank statement names what it
 * pays. Rendering (QR as SVG, copy-and-paste text) is the view's job.
 */
import type { Cents } from '#shared/money/money';
import { buildPixPayload } from '#shared/pix/pix-payload';
import { pixTxid, type TxidTarget } from '#shared/pix/pix-txid';
import type { OrganisationView } from '../settings/settings.repo';

/** What a code pays, and how much. */
export type PixTarget = TxidTarget & { amount: Cents };

/** The static BR Code for `target`, or null when the organisation has no PIX key. */
export function portalBrCode(org: OrganisationView, target: PixTarget): string | null {
  if (!org.pix || target.amount <= 0) return null;
  const built = buildPixPayload({
    key: org.pix.key,
    keyType: org.pix.keyType,
    name: org.pixMerchantName ?? org.tradeName ?? org.legalName ?? '',
    city: org.pixMerchantCity ?? org.address?.city ?? '',
    amount: target.amount,
    txid: pixTxid(target),
    truncate: true,
  });
  return built.ok ? built.value : null;
}
