/**
 * Whether a phone is on WhatsApp, when nobody said so. In Brazil WhatsApp is on practically every
 * smartphone (the seeds' 000 §7: it is the channel people answer), so a Brazilian MOBILE number
 * (+55, DDD, 9 digits starting with 9) is presumed to be on WhatsApp; a landline (8 digits) never
 * is, nor a number we cannot read. A spreadsheet's own `whatsapp` column, or a person marking it,
 * always wins over this presumption.
 *
 * The presumption never makes a number VERIFIED: a presumed WhatsApp number gets the WhatsApp
 * link, but only the privacy-safe message (no amount, no debt word) until the debtor confirms it
 * (./contact-verification.ts).
 */
import { isMobile } from './phone';

/** The presumed WhatsApp flag of `phone` when no source states it. */
export function presumedWhatsapp(phone: string): boolean {
  return isMobile(phone);
}

/** The flag to store: what the source stated (true/false), else the presumption. */
export function whatsappFlag(phone: string, stated: boolean | null | undefined): boolean {
  return stated ?? presumedWhatsapp(phone);
}

const YES = new Set(['s', 'sim', 'y', 'yes', 'true', '1', 'x', 'whatsapp', 'wpp', 'zap']);
const NO = new Set(['n', 'nao', 'não', 'no', 'false', '0']);

/**
 * A spreadsheet cell of the `whatsapp` column: 'sim'/'não' (and s/n, yes/no, 1/0, x) → true/false;
 * empty → null (not stated: the presumption applies); anything else → undefined (bad input).
 */
export function parseWhatsappCell(cell: string): boolean | null | undefined {
  const value = cell.trim().toLowerCase();
  if (value === '') return null;
  if (YES.has(value)) return true;
  if (NO.has(value)) return false;
  return undefined;
}
