/**
 * `/api/import`: CSV imports (owner and staff).
 *
 * `POST /api/import/debtors[?dry_run=1]` with `Content-Type: text/csv`: UTF-8 (BOM or not),
 * Windows-1252 (Excel's "CSV" in Brazil) or UTF-16 with a BOM, detected from the bytes unless a
 * charset is declared; `,`, `;` or tab; English or Portuguese headers, or a saved column map
 * (server/import/columns.ts, import-tools.routes.ts).
 * The body is streamed through the importer, never held whole; the limit is IMPORT_MAX_BYTES.
 * - 200 with the ImportReport `{dryRun, rows, debtors:{created,updated,unchanged},
 *   debts:{created,updated,unchanged}, errors:[{line, column, message}], errorCount, complete}`;
 *   rows with errors are listed and skipped, the others are imported.
 * - 422 `missing-columns` (with the file's `header` and layout `signature`, for the mapping
 *   screen) / `not-utf8` / `empty-file` when the file is refused as a whole, before anything is
 *   written; 413 when Content-Length exceeds the limit; 415 for another type or charset.
 * - `warnings` list rows imported onto a debtor that already had their CPF/CNPJ (both names).
 * - Progress: with `Accept: application/x-ndjson` the answer streams one JSON object per line,
 *   `{"type":"progress", rows, debtors, debts, errorCount}` after every batch, then
 *   `{"type":"result", …report}` (or `{"type":"error", problem}` if the import failed midway).
 *   Streaming the answer over the request that carries the file needs no job store and ends
 *   with the upload; a client that loses the connection re-sends the file (imports are idempotent).
 */
import { Hono } from 'hono';
import type { Deps } from '../app';
import { requireRole, type AppEnv } from '../http/auth';
import { problem, problemResponse } from '../http/problem';
import { InputTooLargeError, streamChunks } from '../import/csv-records';
import { charsetEncoding } from '../import/decode';
import { ImportFileError, openDebtorImport, type ImportReport } from '../import/import-debtors';

export const IMPORT_MAX_BYTES = 200 * 1024 * 1024;

// Browsers label .csv uploads inconsistently (Windows says application/vnd.ms-excel).
const CSV_TYPES = new Set([
  'text/csv',
  'application/csv',
  'text/plain',
  'application/vnd.ms-excel',
]);

const tooLarge = () =>
  problem(
    413,
    'payload-too-large',
    `o arquivo pode ter no máximo ${IMPORT_MAX_BYTES / 1024 / 1024} MB`,
  );

function fileProblem(error: ImportFileError) {
  const slug = error.code === 'empty' ? 'empty-file' : error.code;
  return problem(422, slug, error.message, {
    errors: error.columns.map((column) => ({ field: column, message: error.message })),
    ...(error.header.length > 0 ? { header: error.header, signature: error.signature } : {}),
  });
}

function progressLine(report: ImportReport): string {
  const { rows, debtors, debts, errorCount } = report;
  return `${JSON.stringify({ type: 'progress', rows, debtors, debts, errorCount })}\n`;
}

/** `/api/import` routes. */
export function importRoutes({ db, logError }: Deps) {
  return new Hono<AppEnv>().post('/debtors', requireRole('owner', 'staff'), async (c) => {
    const [type = '', ...params] = (c.req.header('content-type') ?? '').split(';');
    if (!CSV_TYPES.has(type.trim().toLowerCase()))
      return problemResponse(
        problem(415, 'unsupported-media-type', 'envie o arquivo como text/csv (UTF-8)'),
      );
    const charset = params
      .map((p) => p.trim().toLowerCase())
      .find((p) => p.startsWith('charset='))
      ?.slice('charset='.length)
      .replaceAll('"', '');
    const declared = charset === undefined ? undefined : charsetEncoding(charset);
    if (charset !== undefined && declared === undefined)
      return problemResponse(
        problem(
          415,
          'unsupported-charset',
          `o arquivo está em ${charset}; envie-o em UTF-8 ou Windows-1252 (o "CSV" do Excel)`,
        ),
      );
    const length = Number(c.req.header('content-length') ?? '0');
    if (length > IMPORT_MAX_BYTES) return problemResponse(tooLarge());
    const body = c.req.raw.body;
    if (!body) return problemResponse(problem(422, 'empty-file', 'o arquivo está vazio'));
    const dryRunParam = c.req.query('dry_run');
    const user = c.get('user');
    let importer: Awaited<ReturnType<typeof openDebtorImport>>;
    try {
      importer = await openDebtorImport(db, streamChunks(body), {
        dryRun: dryRunParam === '1' || dryRunParam === 'true',
        actor: user.id,
        ip: c.get('ip'),
        source: 'api',
        maxBytes: IMPORT_MAX_BYTES,
        ...(declared === undefined ? {} : { declared }),
      });
    } catch (error) {
      if (error instanceof ImportFileError) return problemResponse(fileProblem(error));
      if (error instanceof InputTooLargeError) return problemResponse(tooLarge());
      throw error;
    }

    if (!/application\/x-ndjson/i.test(c.req.header('accept') ?? ''))
      return c.json(await importer.run());

    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (text: string) => controller.enqueue(encoder.encode(text));
        try {
          const report = await importer.run((soFar) => send(progressLine(soFar)));
          send(`${JSON.stringify({ type: 'result', ...report })}\n`);
        } catch (error) {
          logError('import failed midway', error);
          send(
            `${JSON.stringify({ type: 'error', problem: problem(500, 'internal', 'a importação parou por um erro interno; as linhas já gravadas ficam, envie o arquivo de novo para continuar') })}\n`,
          );
        }
        controller.close();
      },
    });
    return new Response(stream, {
      status: 200,
      headers: {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'cache-control': 'no-store',
      },
    });
  });
}
