/**
 * How a collection message greets the debtor. Pure and tiny on purpose: the extension's overlay
 * imports it without the rest of the message facts.
 */

/** The legal form closing a company's name: "Ltda", "ME", "EPP", "EIRELI", "S.A.", "S/A". */
const LEGAL_FORM = /(?:[\s,.-]+(?:ltda|me|epp|eireli|mei|s\.?\s?\/?\s?a)\.?)+$/iu;

/** A company, by its kind when known, else by the legal form closing its name. */
export function isCompanyName(name: string, kind?: 'person' | 'company'): boolean {
  return kind === undefined ? LEGAL_FORM.test(name.trim()) : kind === 'company';
}

/**
 * How a message greets the debtor (`debtor_first_name`): a person by the first name, a company
 * as its team — "equipe Ferreira Materiais" (the name without its legal form) — never by the
 * first word of a company name ("Olá, Ferreira").
 */
export function greetingName(name: string, kind?: 'person' | 'company'): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (!isCompanyName(trimmed, kind)) return trimmed.split(' ')[0] ?? trimmed;
  const short = trimmed.replace(LEGAL_FORM, '').trim();
  return `equipe ${short || trimmed}`;
}
