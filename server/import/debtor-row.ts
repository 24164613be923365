/**
 * One CSV row of a debtor import, checked completely before anything is written: every failing
 * column is reported (line + column + message), so a row either lands whole or not at all.
 * Parsing uses shared/ (money, dates, CPF/CNPJ, phones, e-mails, UFs); their messages are the
 * pt-BR "fit for a CSV import report" texts, and this module's own messages match them: they name
 * the field in Portuguese and leave the column's name to `RowError.column`.
 */
import { ImportColumns, type ImportColumn } from '#shared/api/import.schema';
import { tryParseMoney, type Cents } from '#shared/money/money';
import { tryParseBrazilianDate, type CalendarDate } from '#shared/time/calendar-date';
import { tryParseDocument } from '#shared/identity/document';
import { isValidEmail, normalizeEmail } from '#shared/identity/email';
import { tryToE164, type PhoneE164 } from '#shared/identity/phone';
import { isUf, type UF } from '#shared/identity/uf';
import { parseWhatsappCell } from '#shared/identity/whatsapp';
import { unsafeTextMessage } from '#shared/text/safe-text';
import type { ColumnIndex } from './columns';

/**
 * The columns an import file may have (shared/api/import.schema.ts; the names each answers to,
 * and which are required, are in ./columns.ts; extra columns are ignored).
 */
export const IMPORT_COLUMNS = ImportColumns;
export type { ImportColumn };

/** Each column in pt-BR with its article, for messages ("o valor deve ser maior que zero"). */
export const COLUMN_LABELS: Readonly<Record<ImportColumn, string>> = {
  external_id: 'o código do devedor',
  name: 'o nome',
  document: 'o CPF/CNPJ',
  email: 'o e-mail',
  phone: 'o telefone',
  whatsapp: 'a marcação de WhatsApp',
  address: 'o endereço',
  city: 'a cidade',
  state: 'a UF',
  debt_id: 'o código da dívida',
  description: 'a descrição',
  amount: 'o valor',
  due_date: 'o vencimento',
};

/** One problem found in the file; `column` is null when it concerns the whole row. */
export interface RowError {
  line: number;
  column: ImportColumn | null;
  message: string;
}

/** The debtor half of a row, normalised. */
export interface DebtorFields {
  externalId: string;
  kind: 'person' | 'company';
  name: string;
  document: string;
  addressLine: string | null;
  city: string | null;
  state: UF | null;
  email: string | null;
  phone: PhoneE164 | null;
  /** What the file says about the phone's WhatsApp (null: not said; the presumption applies). */
  whatsapp: boolean | null;
}

/** The debt half of a row, normalised. */
export interface DebtFields {
  externalId: string;
  description: string;
  principalCents: Cents;
  dueOn: CalendarDate;
}

/** A row that passed every check. */
export interface ImportRow {
  line: number;
  debtor: DebtorFields;
  debt: DebtFields;
}

const MAX_LENGTH: Partial<Record<ImportColumn, number>> = {
  external_id: 64,
  debt_id: 64,
  name: 160,
  address: 200,
  city: 80,
  description: 200,
};

const NOT_UTF8 =
  'tem caracteres que não puderam ser lidos (o arquivo mistura codificações?); salve-o de novo pelo Excel como "CSV UTF-8" ou "CSV (separado por vírgulas)" e importe de novo';

/**
 * Checks one data row. `fields` are the raw cell texts; `line` is the spreadsheet row number
 * (the header is line 1).
 */
export function parseImportRow(
  fields: readonly string[],
  index: ColumnIndex,
  line: number,
): { ok: true; row: ImportRow } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (column: ImportColumn, message: string) => errors.push({ line, column, message });
  const cell = (column: ImportColumn): string => {
    const at = index[column];
    const value = at < 0 ? '' : (fields[at] ?? '').trim();
    if (value.includes('\uFFFD')) fail(column, `${COLUMN_LABELS[column]} ${NOT_UTF8}`);
    const unsafe = unsafeTextMessage(value, COLUMN_LABELS[column]);
    if (unsafe !== null) fail(column, unsafe);
    const max = MAX_LENGTH[column];
    if (max !== undefined && value.length > max)
      fail(
        column,
        `${COLUMN_LABELS[column]} tem ${value.length} caracteres; o máximo aceito é ${max}`,
      );
    return value;
  };
  const optional = (value: string): string | null => (value === '' ? null : value);

  const externalId = cell('external_id');
  if (externalId === '')
    fail(
      'external_id',
      'o código do devedor está vazio; é ele que identifica o devedor entre importações',
    );
  const name = cell('name');
  if (name === '') fail('name', 'o nome está vazio');

  let kind: DebtorFields['kind'] = 'person';
  let document = '';
  const documentText = cell('document');
  const parsedDocument = tryParseDocument(documentText, { fromSpreadsheet: true });
  if (parsedDocument.ok) {
    kind = parsedDocument.value.kind === 'cpf' ? 'person' : 'company';
    document = parsedDocument.value.value;
  } else fail('document', parsedDocument.message);

  let email: string | null = null;
  const emailText = cell('email');
  if (emailText !== '') {
    email = normalizeEmail(emailText);
    if (!isValidEmail(email)) fail('email', `o e-mail "${emailText}" não é um endereço válido`);
  }

  let phone: PhoneE164 | null = null;
  const phoneText = cell('phone');
  if (phoneText !== '') {
    const parsed = tryToE164(phoneText);
    if (parsed.ok) phone = parsed.value;
    else fail('phone', parsed.message);
  }

  const whatsappText = cell('whatsapp');
  const whatsapp = parseWhatsappCell(whatsappText);
  if (whatsapp === undefined)
    fail('whatsapp', `"${whatsappText}" não diz se o telefone tem WhatsApp; use sim ou não`);
  else if (whatsapp !== null && phoneText === '')
    fail('whatsapp', 'a marcação de WhatsApp precisa de um telefone na mesma linha');

  const addressLine = optional(cell('address'));
  const city = optional(cell('city'));
  let state: UF | null = null;
  const stateText = cell('state').toUpperCase();
  if (stateText !== '') {
    if (isUf(stateText)) state = stateText;
    else fail('state', `a UF "${stateText}" não é a sigla de um estado brasileiro, como SP ou RJ`);
  }

  const debtId = cell('debt_id');
  if (debtId === '')
    fail(
      'debt_id',
      'o código da dívida está vazio; é ele que identifica a dívida entre importações',
    );
  const description = cell('description');

  let principalCents = 0 as Cents;
  const amount = tryParseMoney(cell('amount'));
  if (!amount.ok) fail('amount', amount.message);
  else if (amount.value <= 0) fail('amount', 'o valor deve ser maior que zero');
  else principalCents = amount.value;

  let dueOn = '' as CalendarDate;
  const due = tryParseBrazilianDate(cell('due_date'));
  if (due.ok) dueOn = due.value;
  else fail('due_date', due.message);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    row: {
      line,
      debtor: {
        externalId,
        kind,
        name,
        document,
        addressLine,
        city,
        state,
        email,
        phone,
        whatsapp: whatsapp ?? null,
      },
      debt: { externalId: debtId, description, principalCents, dueOn },
    },
  };
}

/** The debtor half as a comparable string: rows of one debtor must agree on it. */
export function debtorFingerprint(debtor: DebtorFields): string {
  return JSON.stringify([
    debtor.name,
    debtor.document,
    debtor.addressLine,
    debtor.city,
    debtor.state,
    debtor.email,
    debtor.phone,
    debtor.whatsapp,
  ]);
}

const FINGERPRINT_COLUMNS: readonly ImportColumn[] = [
  'name',
  'document',
  'address',
  'city',
  'state',
  'email',
  'phone',
  'whatsapp',
];

/** The first column where two fingerprints of the same debtor differ. */
export function firstDifferentColumn(a: string, b: string): ImportColumn {
  const left = JSON.parse(a) as unknown[];
  const right = JSON.parse(b) as unknown[];
  const i = left.findIndex((value, k) => value !== right[k]);
  return FINGERPRINT_COLUMNS[i] ?? 'name';
}
