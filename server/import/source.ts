/**
 * The stages of an import in front of the writer: bytes → text (./decode.ts, UTF-8 or
 * Windows-1252 or UTF-16 detected) → records (./csv-records.ts, `,` `;` or tab) → the header
 * mapped to columns (./columns.ts, by name, else by the map saved for this header layout). The
 * writer (./import-debtors.ts) only sees records and where each column is.
 */
import type { Queryable } from '../db/db';
import {
  headerSignature,
  PT_HEADERS,
  REQUIRED_COLUMNS,
  resolveColumns,
  type ColumnIndex,
} from './columns';
import { csvRecords, type CsvRecord } from './csv-records';
import { decodeText, type TextEncodingName } from './decode';
import type { ImportColumn } from './debtor-row';
import { findColumnMap } from './mappings.repo';

/** Why a whole file is refused before any row is read. */
export type ImportFileProblem = 'empty' | 'missing-columns' | 'not-utf8';

/** A file refused as a whole (nothing was written). */
export class ImportFileError extends Error {
  readonly code: ImportFileProblem;
  /** The missing or repeated columns. */
  readonly columns: readonly string[];
  /** The file's header and its layout signature, for the mapping screen. */
  readonly header: readonly string[];
  readonly signature: string | null;
  constructor(
    code: ImportFileProblem,
    message: string,
    columns: readonly string[] = [],
    header: readonly string[] = [],
  ) {
    super(message);
    this.code = code;
    this.columns = columns;
    this.header = header;
    this.signature = header.length > 0 ? headerSignature(header) : null;
  }
}

/** A file ready for its rows. */
export interface ImportSource {
  records: AsyncIterator<CsvRecord>;
  header: string[];
  index: ColumnIndex;
  /** True when the columns came from a saved map rather than the header names. */
  mapped: boolean;
  /** Known once a non-ASCII byte was read; an all-ASCII header reads the same either way. */
  encoding: () => TextEncodingName | undefined;
  delimiter: () => string | undefined;
}

function columnList(columns: readonly ImportColumn[]): string {
  return columns.map((c) => `${PT_HEADERS[c]} (${c})`).join(', ');
}

/**
 * Opens `bytes` as an import: decodes, reads the header and finds the columns. Rejects with
 * ImportFileError when the file is empty or its columns cannot be found (nothing read beyond
 * the header); InputTooLargeError propagates.
 */
export async function openImportSource(
  q: Queryable,
  bytes: AsyncIterable<Uint8Array>,
  options: { maxBytes?: number; declared?: TextEncodingName } = {},
): Promise<ImportSource> {
  const decoded = decodeText(bytes, {
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    ...(options.declared === undefined ? {} : { declared: options.declared }),
  });
  const info: { delimiter?: string } = {};
  const records = csvRecords(decoded.text, info)[Symbol.asyncIterator]();
  try {
    const first = await records.next();
    if (first.done)
      throw new ImportFileError(
        'empty',
        `o arquivo está vazio; a primeira linha deve ter as colunas: ${REQUIRED_COLUMNS.join(', ')}`,
      );
    const header = first.value.fields;
    if (header.some((name) => name.includes('\uFFFD') || name.includes('\u0000')))
      throw new ImportFileError(
        'not-utf8',
        'o cabeçalho do arquivo não pôde ser lido: salve-o pelo Excel como "CSV UTF-8" ou "CSV (separado por vírgulas)" e envie de novo',
      );
    let resolved = resolveColumns(header);
    if (!resolved.ok) {
      const saved = await findColumnMap(q, headerSignature(header));
      if (saved) resolved = resolveColumns(header, saved);
    }
    if (!resolved.ok) {
      const parts = [
        ...(resolved.missing.length > 0
          ? [`faltam as colunas ${columnList(resolved.missing)}`]
          : []),
        ...(resolved.duplicated.length > 0
          ? [`mais de uma coluna para ${columnList(resolved.duplicated)}`]
          : []),
      ];
      throw new ImportFileError(
        'missing-columns',
        `cabeçalho inválido: ${parts.join('; ')}; associe as colunas na tela de importação`,
        [...resolved.missing, ...resolved.duplicated],
        header,
      );
    }
    return {
      records,
      header,
      index: resolved.index,
      mapped: resolved.mapped,
      encoding: decoded.encoding,
      delimiter: () => info.delimiter,
    };
  } catch (error) {
    await records.return?.(undefined);
    throw error;
  }
}
