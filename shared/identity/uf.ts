/**
 * The 27 Brazilian federative units (26 states and the Federal District) by their two-letter code,
 * which is how addresses, contact-window rules and state holidays refer to them.
 */
import * as v from 'valibot';

export const UFS = [
  'AC',
  'AL',
  'AM',
  'AP',
  'BA',
  'CE',
  'DF',
  'ES',
  'GO',
  'MA',
  'MG',
  'MS',
  'MT',
  'PA',
  'PB',
  'PE',
  'PI',
  'PR',
  'RJ',
  'RN',
  'RO',
  'RR',
  'RS',
  'SC',
  'SE',
  'SP',
  'TO',
] as const;

/** A two-letter UF code in upper case, e.g. 'SP'. */
export const UfSchema = v.picklist(
  UFS,
  'a UF deve ser a sigla de um estado brasileiro, como SP ou RJ',
);
export type UF = v.InferOutput<typeof UfSchema>;

/** Type guard for text that is exactly one of the 27 UF codes (upper case). */
const UF_SET: ReadonlySet<string> = new Set(UFS);

export function isUf(text: string): text is UF {
  return UF_SET.has(text);
}
