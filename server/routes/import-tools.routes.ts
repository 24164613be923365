/**
 * What the owner's import screen needs around `POST /api/import/debtors` (owner and staff):
 *
 * - `GET /api/import/template.csv`: the spreadsheet to fill in, as Excel opens it (UTF-8 with
 *   BOM, `;`, Portuguese headers, pt-BR amounts and dates, two example rows).
 * - `POST /api/import/preview` (text/csv, the first bytes of a file, at most 1 MiB): how the file
 *   reads (encoding, separator), its header and first rows, the columns the names give, the map
 *   saved for this header layout if any, and whether it can be imported as it is (`ready`).
 * - `GET /api/import/mappings`, `PUT /api/import/mappings` (ColumnMapRequestSchema: the header
 *   and, per column, the position that holds it), `DELETE /api/import/mappings/:signature`:
 *   the column maps remembered per header layout; the import applies a saved map by itself.
 *
 * Reading a preview reads only the caller's own file: nothing about a debtor leaves the server.
 */
import { Hono } from 'hono';
import { ColumnMapRequestSchema, type ImportColumn } from '#shared/api/import.schema';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import { requireRole, type AppEnv } from '../http/auth';
import { problem, problemError, problemResponse } from '../http/problem';
import { jsonBody } from '../http/validate';
import {
  headerSignature,
  REQUIRED_COLUMNS,
  resolveColumns,
  suggestedMap,
  type ColumnMap,
} from '../import/columns';
import { csvRecords, InputTooLargeError, streamChunks } from '../import/csv-records';
import { charsetEncoding, decodeText } from '../import/decode';
import { IMPORT_COLUMNS } from '../import/debtor-row';
import {
  deleteColumnMap,
  findColumnMap,
  listColumnMaps,
  saveColumnMap,
} from '../import/mappings.repo';
import { importTemplateCsv } from '../import/template';

export const PREVIEW_MAX_BYTES = 1024 * 1024;
const SAMPLE_ROWS = 5;

function positionsOf(
  header: readonly string[],
  map: ColumnMap,
): Partial<Record<ImportColumn, number>> {
  const resolved = resolveColumns(header, map);
  const out: Partial<Record<ImportColumn, number>> = {};
  if (!resolved.ok) return out;
  for (const column of IMPORT_COLUMNS) {
    const at = resolved.index[column];
    if (at >= 0) out[column] = at;
  }
  return out;
}

/** `/api/import` tools (template, preview, column maps). */
export function importToolRoutes({ db, now }: Deps) {
  return new Hono<AppEnv>()
    .get('/template.csv', requireRole('owner', 'staff'), () => {
      return new Response(importTemplateCsv(), {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="modelo-importacao-quita.csv"',
          'cache-control': 'no-store',
        },
      });
    })
    .post('/preview', requireRole('owner', 'staff'), async (c) => {
      const [type = '', ...params] = (c.req.header('content-type') ?? '').split(';');
      if (!/^(text\/(csv|plain)|application\/(csv|vnd\.ms-excel|octet-stream))$/i.test(type.trim()))
        return problemResponse(
          problem(415, 'unsupported-media-type', 'envie o começo do arquivo como text/csv'),
        );
      const charset = params
        .map((p) => p.trim().toLowerCase())
        .find((p) => p.startsWith('charset='))
        ?.slice('charset='.length)
        .replaceAll('"', '');
      const declared = charset === undefined ? undefined : charsetEncoding(charset);
      if (Number(c.req.header('content-length') ?? '0') > PREVIEW_MAX_BYTES)
        return problemResponse(
          problem(413, 'payload-too-large', 'envie só o começo do arquivo (até 1 MiB)'),
        );
      const body = c.req.raw.body;
      if (!body) return problemResponse(problem(422, 'empty-file', 'o arquivo está vazio'));
      const decoded = decodeText(streamChunks(body), {
        maxBytes: PREVIEW_MAX_BYTES,
        ...(declared === undefined ? {} : { declared }),
      });
      const info: { delimiter?: string } = {};
      const rows: string[][] = [];
      try {
        for await (const record of csvRecords(decoded.text, info)) {
          rows.push(record.fields);
          if (rows.length > SAMPLE_ROWS + 1) break;
        }
      } catch (error) {
        if (error instanceof InputTooLargeError)
          return problemResponse(
            problem(413, 'payload-too-large', 'envie só o começo do arquivo (até 1 MiB)'),
          );
        throw error;
      }
      const [header, ...sample] = rows;
      if (!header) return problemResponse(problem(422, 'empty-file', 'o arquivo está vazio'));
      // A slice of a file may end inside a row: the client says so, and that row is not shown.
      if (c.req.query('partial') === '1' && sample.length > 0 && sample.length <= SAMPLE_ROWS)
        sample.pop();
      const signature = headerSignature(header);
      const saved = await findColumnMap(db, signature);
      const byNames = resolveColumns(header);
      const bySaved = saved ? resolveColumns(header, saved) : undefined;
      const chosen = byNames.ok ? byNames : (bySaved ?? byNames);
      return c.json({
        encoding: decoded.encoding() ?? 'utf-8',
        delimiter: info.delimiter ?? ',',
        headers: header,
        sample: sample.slice(0, SAMPLE_ROWS),
        signature,
        required: REQUIRED_COLUMNS,
        suggested: suggestedMap(header),
        saved: saved ? positionsOf(header, saved) : null,
        ready: chosen.ok,
        source: byNames.ok ? 'names' : bySaved?.ok ? 'saved' : 'none',
        missing: chosen.ok ? [] : chosen.missing,
        duplicated: chosen.ok ? [] : chosen.duplicated,
      });
    })
    .get('/mappings', requireRole('owner', 'staff'), async (c) =>
      c.json({ items: await listColumnMaps(db) }),
    )
    .put(
      '/mappings',
      requireRole('owner', 'staff'),
      jsonBody(ColumnMapRequestSchema),
      async (c) => {
        const input = c.req.valid('json');
        const user = c.get('user');
        const errors: { field: string; message: string }[] = [];
        const used = new Map<number, ImportColumn>();
        for (const [column, position] of Object.entries(input.columns) as [
          ImportColumn,
          number | null,
        ][]) {
          if (position === null) continue;
          if (position >= input.headers.length)
            errors.push({ field: `columns.${column}`, message: 'não há coluna nessa posição' });
          const other = used.get(position);
          if (other !== undefined)
            errors.push({
              field: `columns.${column}`,
              message: `a mesma coluna do arquivo já foi escolhida para ${other}`,
            });
          used.set(position, column);
        }
        for (const column of REQUIRED_COLUMNS)
          if (input.columns[column] === undefined || input.columns[column] === null)
            errors.push({ field: `columns.${column}`, message: 'escolha a coluna do arquivo' });
        if (errors.length > 0)
          throw problemError(
            problem(422, 'validation', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
              errors,
            }),
          );
        const saved = await db.transaction(async (tx) => {
          const map = await saveColumnMap(tx, {
            headers: input.headers,
            positions: input.columns,
            by: user.id,
            now: now(),
          });
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'import.mapping.save',
            entity: 'import_column_map',
            entityId: map.signature,
            detail: { columns: map.columns },
          });
          return map;
        });
        return c.json(saved);
      },
    )
    .delete('/mappings/:signature', requireRole('owner', 'staff'), async (c) => {
      const signature = c.req.param('signature');
      if (!/^[0-9a-f]{32}$/.test(signature))
        return problemResponse(problem(404, 'not-found', 'mapa de colunas não encontrado'));
      const user = c.get('user');
      const deleted = await db.transaction(async (tx) => {
        const found = await deleteColumnMap(tx, signature);
        if (found)
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'import.mapping.delete',
            entity: 'import_column_map',
            entityId: signature,
          });
        return found;
      });
      if (!deleted)
        return problemResponse(problem(404, 'not-found', 'mapa de colunas não encontrado'));
      return c.body(null, 204);
    });
}
