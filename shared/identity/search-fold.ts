/**
 * Search text folding: lower case without accents, so "conceicao" finds "Conceição" and
 * "CONCEIÇÃO" finds "conceicao". The database folds stored names with the same table
 * (quita_fold() in server/db/migrations/0110-office-workspace.sql); a test keeps them in step.
 */

/** Accented letters and what they fold to, upper and lower case (Portuguese and neighbours). */
export const FOLD_FROM = 'ÁÀÂÃÄÅáàâãäåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÕÖóòôõöÚÙÛÜúùûüÇçÑñÝýÿ';
export const FOLD_TO = 'aaaaaaaaaaaaeeeeeeeeiiiiiiiioooooooooouuuuuuuuccnnyyy';

const MAP = new Map([...FOLD_FROM].map((ch, i) => [ch, FOLD_TO[i] ?? ch]));

/** `text` lower-cased with the accents of FOLD_FROM removed (what quita_fold does in SQL). */
export function foldForSearch(text: string): string {
  let out = '';
  for (const ch of text) out += MAP.get(ch) ?? ch;
  return out.toLowerCase();
}
