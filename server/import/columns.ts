/**
 * Which spreadsheet column is which: the second stage of an import, after decoding.
 *
 * Every column has an internal key (English, as the API and the code name it) and the header
 * names it is known by, English and Portuguese. Headers are compared folded: accents, case,
 * spaces, dots, slashes and dashes do not matter ("CPF/CNPJ", "cpf_cnpj" and "Cpf Cnpj" are the
 * same; "Código do Cliente" is "codigo_do_cliente"). A spreadsheet whose headers are none of these
 * gets a column map from the owner's import screen, saved on the server for that header layout
 * (./mappings.repo.ts) and applied to every later file with the same headers.
 */
import { createHash } from 'node:crypto';
import { ImportHeadersPtBR, RequiredImportColumns } from '#shared/api/import-columns';
import { IMPORT_COLUMNS, type ImportColumn } from './debtor-row';

/** Columns a file must have (by name or by a saved map); the others are optional. */
export const REQUIRED_COLUMNS: readonly ImportColumn[] = RequiredImportColumns;

/** The Portuguese header of each column, as the template writes it. */
export const PT_HEADERS = ImportHeadersPtBR;

/** Every header name (folded) each column answers to; the first two are the canonical ones. */
export const COLUMN_ALIASES: Readonly<Record<ImportColumn, readonly string[]>> = {
  external_id: [
    'external_id',
    'codigo_cliente',
    'cod_cliente',
    'codigo_do_cliente',
    'id_cliente',
    'codigo_devedor',
  ],
  name: ['name', 'nome', 'nome_cliente', 'nome_do_cliente', 'cliente', 'devedor', 'razao_social'],
  document: [
    'document',
    'cpf_cnpj',
    'cnpj_cpf',
    'cpf_ou_cnpj',
    'cnpj_ou_cpf',
    'cpf',
    'cnpj',
    'documento',
  ],
  email: ['email', 'e_mail'],
  phone: ['phone', 'telefone', 'celular', 'fone', 'tel'],
  whatsapp: ['whatsapp', 'tem_whatsapp', 'e_whatsapp'],
  address: ['address', 'endereco', 'logradouro'],
  city: ['city', 'cidade', 'municipio'],
  state: ['state', 'uf', 'estado'],
  debt_id: [
    'debt_id',
    'codigo_divida',
    'cod_divida',
    'codigo_da_divida',
    'numero_titulo',
    'titulo',
  ],
  description: ['description', 'descricao', 'historico'],
  amount: ['amount', 'valor', 'valor_original', 'valor_devido', 'valor_da_divida', 'valor_total'],
  due_date: [
    'due_date',
    'vencimento',
    'data_vencimento',
    'data_de_vencimento',
    'dt_vencimento',
    'data_venc',
    'venc',
  ],
};

/** A header name folded for comparison: no accents, lower case, separators as '_'. */
export function foldHeader(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Identifies a header layout: the same headers in the same order give the same signature. */
export function headerSignature(header: readonly string[]): string {
  return createHash('sha256')
    .update(header.map(foldHeader).join('\u0001'))
    .digest('hex')
    .slice(0, 32);
}

/** Where each column sits in a row; -1 for an optional column the file does not have. */
export type ColumnIndex = Readonly<Record<ImportColumn, number>>;

/** A saved map: column → the folded header it reads. */
export type ColumnMap = Partial<Record<ImportColumn, string>>;

export type ResolvedColumns =
  | { ok: true; index: ColumnIndex; mapped: boolean }
  | { ok: false; missing: ImportColumn[]; duplicated: ImportColumn[] };

/**
 * Positions of the columns in `header`: from `saved` (a map the owner made for this layout)
 * when given, else by the names above. Reports the required columns not found and the columns
 * two headers claim (which one would we read?).
 */
export function resolveColumns(header: readonly string[], saved?: ColumnMap): ResolvedColumns {
  const folded = header.map(foldHeader);
  const positions = new Map<ImportColumn, number[]>();
  for (const column of IMPORT_COLUMNS) {
    const names = saved
      ? saved[column] === undefined
        ? []
        : [saved[column]]
      : COLUMN_ALIASES[column];
    const found: number[] = [];
    folded.forEach((name, i) => {
      if (names.includes(name)) found.push(i);
    });
    // A canonical name beats an alias ("document" and "cpf" both there: read "document").
    const canonical = found.filter((i) =>
      COLUMN_ALIASES[column].slice(0, 2).includes(folded[i] ?? ''),
    );
    positions.set(column, !saved && canonical.length === 1 ? canonical : found);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => (positions.get(c)?.length ?? 0) === 0);
  const duplicated = IMPORT_COLUMNS.filter((c) => (positions.get(c)?.length ?? 0) > 1);
  if (missing.length > 0 || duplicated.length > 0) return { ok: false, missing, duplicated };
  const index = Object.fromEntries(
    IMPORT_COLUMNS.map((column) => [column, positions.get(column)?.[0] ?? -1]),
  ) as Record<ImportColumn, number>;
  return { ok: true, index, mapped: saved !== undefined };
}

/** The map the names alone give (for the mapping screen to start from): column → header index. */
export function suggestedMap(header: readonly string[]): Partial<Record<ImportColumn, number>> {
  const folded = header.map(foldHeader);
  const taken = new Set<number>();
  const out: Partial<Record<ImportColumn, number>> = {};
  for (const column of IMPORT_COLUMNS) {
    const i = folded.findIndex((name, k) => !taken.has(k) && COLUMN_ALIASES[column].includes(name));
    if (i >= 0) {
      out[column] = i;
      taken.add(i);
    }
  }
  return out;
}
