/**
 * CSV that Excel in Brazil opens with a double-click and reads right: UTF-8 with a BOM (without
 * it Excel reads the bytes as Windows-1252 and "Conceição" turns into "ConceiÃ§Ã£o"), `;` between
 * cells (a Brazilian Excel's list separator; `,` is its decimal separator), CRLF line ends, and
 * amounts as "1234,56" so they land as numbers.
 *
 * Spreadsheet-formula injection (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return is run as a formula by Excel, LibreOffice and Google Sheets
 * ("=HYPERLINK(…)", "@SUM(…)", "-2+3+cmd|' /C calc'!A0"). Every text cell that comes from a
 * person (names, descriptions, addresses, messages) is neutralised by a leading apostrophe, which
 * the spreadsheet shows as text; numbers, dates, documents and phones are formatted by us and
 * never start with one of those characters.
 */
import type { Cents } from '#shared/money/money';

export const CSV_BOM = '\uFEFF';
export const CSV_SEPARATOR = ';';
export const CSV_NEWLINE = '\r\n';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[";\r\n]/;

/** A cell of free text: neutralised when it could run as a formula, quoted when needed. */
export function textCell(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** An amount in pt-BR decimal form ("1234,56", "-0,05"), no thousands separator. */
export function moneyCell(amount: Cents | number | null | undefined): string {
  if (amount === null || amount === undefined) return '';
  const digits = String(Math.abs(amount)).padStart(3, '0');
  return `${amount < 0 ? '-' : ''}${digits.slice(0, -2)},${digits.slice(-2)}`;
}

/** A calendar date 'YYYY-MM-DD' as 'DD/MM/AAAA'. */
export function dateCell(date: string | null | undefined): string {
  if (!date) return '';
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** A whole number. */
export function intCell(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** One CSV line from already-formatted cells. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.join(CSV_SEPARATOR)}${CSV_NEWLINE}`;
}
