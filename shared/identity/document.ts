/**
 * CPF (people) and CNPJ (companies), the documents every collection message must show for the
 * creditor (CDC art. 42-A) and the key that identifies a debtor across imports.
 *
 * Both end in two mod-11 check digits: sum(value × weight) mod 11, where a remainder below 2 gives
 * 0 and any other r gives 11 − r; the second digit is computed over the first one too.
 * The CNPJ may be alphanumeric from July 2026 (Receita Federal, Nota Técnica COCAD/SUARA/RFB
 * 49/2024): its first 12 positions are A–Z or 0–9, the check digits stay numeric, and each
 * character counts as its ASCII code minus 48 (so '0'–'9' keep their values and A = 17, B = 18…),
 * which leaves every numeric CNPJ valid under the same formula.
 */
import * as v from 'valibot';

export const DocumentKinds = ['cpf', 'cnpj'] as const;
export type DocumentKind = (typeof DocumentKinds)[number];

/** The outcome of a `tryParse…`: the value, or a pt-BR message fit for a CSV import report. */
export type DocumentResult<T> = { ok: true; value: T } | { ok: false; message: string };

const PUNCTUATION = /[.\-/\s]/g;
const CPF_WEIGHTS_1 = [10, 9, 8, 7, 6, 5, 4, 3, 2];
const CPF_WEIGHTS_2 = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_WEIGHTS_1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_WEIGHTS_2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

function checkDigit(body: string, weights: readonly number[]): number {
  let sum = 0;
  weights.forEach((weight, i) => {
    sum += (body.charCodeAt(i) - 48) * weight;
  });
  const r = sum % 11;
  return r < 2 ? 0 : 11 - r;
}

function hasValidCheckDigits(
  value: string,
  weights1: readonly number[],
  weights2: readonly number[],
): boolean {
  const n = weights1.length;
  const first = checkDigit(value, weights1);
  const second = checkDigit(value.slice(0, n) + String(first), weights2);
  return value.slice(n) === `${first}${second}`;
}

function allSame(value: string): boolean {
  return /^(.)\1*$/.test(value);
}

export const CpfSchema = v.pipe(
  v.string('o CPF deve ser um texto'),
  v.rawTransform(({ dataset, addIssue, NEVER }): string => {
    const result = tryParseCpf(dataset.value);
    if (result.ok) return result.value;
    addIssue({ message: result.message });
    return NEVER;
  }),
  v.brand('Cpf'),
);
/** 11 digits, no punctuation, check digits verified. */
export type Cpf = v.InferOutput<typeof CpfSchema>;

export const CnpjSchema = v.pipe(
  v.string('o CNPJ deve ser um texto'),
  v.rawTransform(({ dataset, addIssue, NEVER }): string => {
    const result = tryParseCnpj(dataset.value);
    if (result.ok) return result.value;
    addIssue({ message: result.message });
    return NEVER;
  }),
  v.brand('Cnpj'),
);
/** 14 characters (12 of 0–9/A–Z, 2 digits), upper case, no punctuation, check digits verified. */
export type Cnpj = v.InferOutput<typeof CnpjSchema>;

/** A CPF or CNPJ in any usual writing, output normalised (the kind follows from the length). */
export const DocumentSchema = v.pipe(
  v.string('o CPF/CNPJ deve ser um texto'),
  v.rawTransform(({ dataset, addIssue, NEVER }): Cpf | Cnpj => {
    const result = tryParseDocument(dataset.value);
    if (result.ok) return result.value.value;
    addIssue({ message: result.message });
    return NEVER;
  }),
);
export type TaxDocument = v.InferOutput<typeof DocumentSchema>;

/** Digits of a CPF with the usual punctuation (dots, dash, spaces) removed; not validated. */
export function normalizeCpf(text: string): string {
  return text.replace(PUNCTUATION, '');
}

/** Upper-cased CNPJ with dots, slash, dash and spaces removed; not validated. */
export function normalizeCnpj(text: string): string {
  return text.replace(PUNCTUATION, '').toUpperCase();
}

/**
 * Where the text came from. A short number read from a spreadsheet most likely lost its leading
 * zero (Excel stores CPFs as numbers), and the message says so; typed by hand, that guess would
 * only confuse.
 */
export interface DocumentParseOptions {
  fromSpreadsheet?: boolean;
}

const SPREADSHEET_HINT = ' (será que a planilha apagou um zero à esquerda?)';

/** The CPF in normalised form, or why it is not one. */
export function tryParseCpf(text: string, options: DocumentParseOptions = {}): DocumentResult<Cpf> {
  const shown = text.trim();
  const value = normalizeCpf(text);
  if (value === '') return { ok: false, message: 'o CPF está vazio' };
  if (!/^\d+$/.test(value))
    return { ok: false, message: `o CPF "${shown}" deve conter apenas dígitos` };
  if (value.length !== 11) {
    const hint = value.length < 11 && options.fromSpreadsheet ? SPREADSHEET_HINT : '';
    return {
      ok: false,
      message: `o CPF "${shown}" tem ${value.length} dígitos; um CPF tem 11${hint}`,
    };
  }
  if (allSame(value))
    return { ok: false, message: `o CPF "${shown}" é inválido (todos os dígitos são iguais)` };
  if (!hasValidCheckDigits(value, CPF_WEIGHTS_1, CPF_WEIGHTS_2))
    return {
      ok: false,
      message: `o CPF "${shown}" é inválido (os dígitos verificadores não conferem)`,
    };
  return { ok: true, value: value as Cpf };
}

/** The CNPJ (numeric or alphanumeric) in normalised form, or why it is not one. */
export function tryParseCnpj(
  text: string,
  options: DocumentParseOptions = {},
): DocumentResult<Cnpj> {
  const shown = text.trim();
  const value = normalizeCnpj(text);
  if (value === '') return { ok: false, message: 'o CNPJ está vazio' };
  const stray = /[^0-9A-Z]/.exec(value);
  if (stray)
    return {
      ok: false,
      message: `o CNPJ "${shown}" tem um caractere inesperado "${stray[0]}"`,
    };
  if (value.length !== 14) {
    const hint = value.length < 14 && options.fromSpreadsheet ? SPREADSHEET_HINT : '';
    return {
      ok: false,
      message: `o CNPJ "${shown}" tem ${value.length} caracteres; um CNPJ tem 14${hint}`,
    };
  }
  if (!/^\d{2}$/.test(value.slice(12)))
    return {
      ok: false,
      message: `o CNPJ "${shown}" deve terminar com dois dígitos verificadores (0–9)`,
    };
  if (allSame(value))
    return { ok: false, message: `o CNPJ "${shown}" é inválido (todos os caracteres são iguais)` };
  if (!hasValidCheckDigits(value, CNPJ_WEIGHTS_1, CNPJ_WEIGHTS_2))
    return {
      ok: false,
      message: `o CNPJ "${shown}" é inválido (os dígitos verificadores não conferem)`,
    };
  return { ok: true, value: value as Cnpj };
}

/** True for a CPF with valid check digits, punctuated or not; all-same-digit numbers are refused. */
export function isValidCpf(text: string): boolean {
  return tryParseCpf(text).ok;
}

/** True for a numeric or alphanumeric CNPJ with valid check digits, punctuated or not, any case. */
export function isValidCnpj(text: string): boolean {
  return tryParseCnpj(text).ok;
}

/** "123.456.789-09" from a valid CPF in any writing; throws RangeError otherwise. */
export function formatCpf(text: string): string {
  const result = tryParseCpf(text);
  if (!result.ok) throw new RangeError(result.message);
  const d = result.value;
  return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;
}

/** "12.ABC.345/01DE-35" from a valid CNPJ in any writing; throws RangeError otherwise. */
export function formatCnpj(text: string): string {
  const result = tryParseCnpj(text);
  if (!result.ok) throw new RangeError(result.message);
  const d = result.value;
  return `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-${d.slice(12)}`;
}

/** The parsed document: which kind it is and its normalised value. */
export type ParsedDocument = { kind: 'cpf'; value: Cpf } | { kind: 'cnpj'; value: Cnpj };

/**
 * A CPF or CNPJ told apart by length after punctuation is stripped: 11 digits is a CPF, 14
 * characters a CNPJ; the message for anything else names both.
 */
export function tryParseDocument(
  text: string,
  options: DocumentParseOptions = {},
): DocumentResult<ParsedDocument> {
  const shown = text.trim();
  const value = normalizeCnpj(text);
  if (value === '') return { ok: false, message: 'o CPF/CNPJ está vazio' };
  if (value.length === 11 && /^\d+$/.test(value)) {
    const cpf = tryParseCpf(value);
    return cpf.ok
      ? { ok: true, value: { kind: 'cpf', value: cpf.value } }
      : { ok: false, message: cpf.message.replace(`"${value}"`, `"${shown}"`) };
  }
  if (value.length === 14) {
    const cnpj = tryParseCnpj(value);
    return cnpj.ok
      ? { ok: true, value: { kind: 'cnpj', value: cnpj.value } }
      : { ok: false, message: cnpj.message.replace(`"${value}"`, `"${shown}"`) };
  }
  const stray = /[^0-9A-Z]/.exec(value);
  if (stray)
    return {
      ok: false,
      message: `o CPF/CNPJ "${shown}" tem um caractere inesperado "${stray[0]}"`,
    };
  const hint =
    (value.length === 10 || value.length === 13) && options.fromSpreadsheet ? SPREADSHEET_HINT : '';
  return {
    ok: false,
    message: `"${shown}" não é CPF (11 dígitos) nem CNPJ (14 caracteres): tem ${value.length}${hint}`,
  };
}

/** `tryParseDocument` that throws a RangeError with the same message. */
export function parseDocument(text: string): ParsedDocument {
  const result = tryParseDocument(text);
  if (!result.ok) throw new RangeError(result.message);
  return result.value;
}

/** 'cpf' or 'cnpj' for an already normalised document (from `DocumentSchema`). */
export function documentKind(doc: Cpf | Cnpj): DocumentKind {
  return doc.length === 11 ? 'cpf' : 'cnpj';
}

/** The document punctuated for display: CPF "123.456.789-09", CNPJ "12.ABC.345/01DE-35". */
export function formatDocument(document: Cpf | Cnpj): string {
  return documentKind(document) === 'cpf' ? formatCpf(document) : formatCnpj(document);
}
