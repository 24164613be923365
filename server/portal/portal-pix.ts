/**
 * The page's BR Codes: ONE function builds every PIX code the debtor's page shows, for a debt's
 * balance or an agreement's installment, each with a txid that names what it pays (derived from
 * the debt's or the agreement's id by shared/pix, never `***`), so a credit on the bank statement
 * can be matched back. Rendering (QR as SVG, copy-and-paste text) is the view's job.
 */
import type { Cents } from '#shared/money/money';
import { buildPixPayload } from '#shared/pix/pix-payload';
import { pixTxidFor } from '#shared/pix/pix-txid';
import type { OrganisationView } from '../settings/settings.repo';

/** What a code pays. */
export type PixTarget =
  | { kind: 'debt'; debtId: string; amount: Cents }
  | { kind: 'installment'; agreementId: string; seq: number; amount: Cents };

/** The txid a code for `target` carries. */
export function portalTxid(target: PixTarget): string {
  return target.kind === 'debt'
    ? pixTxidFor(target.debtId)
    : pixTxidFor(target.agreementId, target.seq);
}

/** The static BR Code for `target`, or null when the organisation has no PIX key. */
export function portalBrCode(org: OrganisationView, target: PixTarget): string | null {
  if (!org.pix || target.amount <= 0) return null;
  const built = buildPixPayload({
    key: org.pix.key,
    keyType: org.pix.keyType,
    name: org.pixMerchantName ?? org.tradeName ?? org.legalName ?? '',
    city: org.pixMerchantCity ?? org.address?.city ?? '',
    amount: target.amount,
    txid: portalTxid(target),
    truncate: true,
  });
  return built.ok ? built.value : null;
}
