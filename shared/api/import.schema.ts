/**
 * Messages of the spreadsheet import (issue 13 §4): the columns a debtor file may have, the
 * preview the owner's import screen shows before sending a file, and the column map it saves for
 * a spreadsheet whose headers are not ours. The server keeps the map per header layout and
 * applies it to every later file with the same headers ("map once").
 */
import * as v from 'valibot';
import { entity } from '../domain/common.schema';
import { safeText } from '../text/safe-text';
import { ImportColumns } from './import-columns';

export { ImportColumns, RequiredImportColumns, type ImportColumn } from './import-columns';
export const ImportColumnSchema = v.picklist(ImportColumns, 'coluna desconhecida');

/** At most this many headers in a file the mapping screen handles. */
export const MAX_IMPORT_HEADERS = 200;

/**
 * `PUT /api/import/mappings`: for the file whose header is `headers`, which header (by position)
 * holds each column; a column left out (or null) is not in the file.
 */
export const ColumnMapRequestSchema = entity({
  headers: v.pipe(
    v.array(
      v.pipe(
        v.string('o nome da coluna deve ser um texto'),
        safeText('o nome da coluna'),
        v.maxLength(200, 'o nome da coluna deve ter no máximo 200 caracteres'),
      ),
      'as colunas devem ser uma lista',
    ),
    v.minLength(1, 'informe as colunas do arquivo'),
    v.maxLength(MAX_IMPORT_HEADERS, `no máximo ${MAX_IMPORT_HEADERS} colunas`),
  ),
  columns: v.record(
    ImportColumnSchema,
    v.nullable(
      v.pipe(
        v.number('a posição da coluna deve ser um número'),
        v.safeInteger('a posição da coluna deve ser um número inteiro'),
        v.minValue(0, 'a posição da coluna começa em 0'),
        v.maxValue(MAX_IMPORT_HEADERS - 1, 'posição de coluna inválida'),
      ),
    ),
    'as colunas devem ser um objeto',
  ),
});
export type ColumnMapRequest = v.InferOutput<typeof ColumnMapRequestSchema>;
