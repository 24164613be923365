/**
 * The identity check of the debtor's page: before anything about a debt is shown, whoever opened
 * the link types the first digits of the CPF or CNPJ on file. A link can be forwarded (a family
 * WhatsApp group, a shared inbox), and the check is what keeps a third party from reading a debt
 * (CDC art. 42 and 71: no exposure of the consumer).
 *
 * Why the first SIX digits:
 * - Brazilian receipts and government sites mask a CPF as `***.456.789-**` (the LGPD-era habit of
 *   showing the middle six digits). The first three digits are exactly the ones such a mask hides,
 *   so asking for them is what a reader of a masked CPF cannot answer; the next three complete a
 *   space of 10^6 answers for anyone who has no masked copy either.
 * - Six digits are what people type reliably on a phone keypad from memory; the whole CPF (11)
 *   adds nothing the server-side limits do not already give (5 wrong answers per 15 minutes per
 *   link, 10 in a day lock the link) and the check digits are derivable from the first nine.
 * - The same count for a CNPJ: its first eight digits (the company's root) are public in the
 *   Receita's registry, so for a company the check proves only that the reader knows which company
 *   the link is about; company debts are not personal data under the LGPD, and the page says no
 *   more than a business letter would. The page never says which of the two documents is on file.
 */

/** How many leading characters (digits, or letters too for an alphanumeric CNPJ) the page asks for. */
export const IDENTITY_DIGITS = 6;

/**
 * True when the document's first six characters include a letter: an alphanumeric CNPJ (issued
 * from July 2026), whose holder must be able to type letters. The page then asks for "caracteres
 * (letras e números)" with a full keyboard; that tells a reader the document is a CNPJ, which is
 * no personal data (see above). A numeric document keeps the numeric keypad.
 */
export function identityNeedsLetters(document: string): boolean {
  return /[A-Za-z]/.test(document.slice(0, IDENTITY_DIGITS));
}

/**
 * What was typed, compacted and upper-cased, when it can be an answer: punctuation and spaces are
 * ignored, and anything from six characters up to a whole CNPJ is accepted (someone who types
 * their whole CPF is answering). Letters are accepted only when `letters` (the document on file has
 * some, `identityNeedsLetters`), so a letter typed for a numeric document is a typing error, not a
 * wrong answer that costs an attempt. Null for anything else.
 */
export function identityAnswer(typed: string, letters = false): string | null {
  const compact = typed.replace(/[\s.\-/]/g, '').toUpperCase();
  if (!(letters ? /^[0-9A-Z]+$/ : /^[0-9]+$/).test(compact)) return null;
  if (compact.length < IDENTITY_DIGITS || compact.length > 14) return null;
  return compact;
}

/**
 * True when `answer` (from `identityAnswer`) starts with the document's first six characters.
 * Compares every position whatever the outcome, so the time taken does not tell how many matched.
 */
export function identityMatches(document: string, answer: string): boolean {
  if (document.length < IDENTITY_DIGITS || answer.length < IDENTITY_DIGITS) return false;
  let diff = 0;
  const stored = document.toUpperCase();
  for (let i = 0; i < IDENTITY_DIGITS; i++) diff |= stored.charCodeAt(i) ^ answer.charCodeAt(i);
  return diff === 0;
}
