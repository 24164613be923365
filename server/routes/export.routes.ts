/**
 * `/api/export` (owner and staff): spreadsheets out.
 *
 * - `GET /api/export/portfolio.csv`: every debtor and debt with the itemised balance as of today
 *   (server/export/portfolio-export.ts).
 * - `GET /api/export/queue.csv`: today's queue for the caller's role (server/export/queue-export.ts).
 *
 * Both are UTF-8 with BOM, `;`, pt-BR decimals and dates, formula cells neutralised
 * (server/export/csv.ts), and streamed: the response is pulled chunk by chunk, each chunk read
 * with keyset SQL only when the client has taken the previous one, so a 100,000-debtor export
 * never sits in memory. Each chunk writes one read-audit row (LGPD). A failure midway aborts the
 * download (the browser shows it failed) instead of delivering a silently short file.
 */
import { Hono } from 'hono';
import { todayIn } from '#shared/time/calendar-date';
import type { Deps } from '../app';
import { requireRole, type AppEnv } from '../http/auth';
import { portfolioCsv } from '../export/portfolio-export';
import { queueCsv } from '../export/queue-export';
import { loadLedgerSettings } from '../ledger/settings';

/** A pull-driven byte stream over text chunks: the next chunk is produced only when asked for. */
export function textStream(
  chunks: AsyncGenerator<string>,
  onError: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (error) {
          onError(error);
          controller.error(error);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}

function csvResponse(body: ReadableStream<Uint8Array>, filename: string): Response {
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

/** `/api/export`. */
export function exportRoutes({ db, now, logError }: Deps) {
  const fail = (what: string) => (error: unknown) =>
    logError(`${what} export failed midway`, error);
  return new Hono<AppEnv>()
    .get('/portfolio.csv', requireRole('owner', 'staff'), async (c) => {
      const at = now();
      const user = c.get('user');
      const today = todayIn(at.getTime(), (await loadLedgerSettings(db)).timeZone);
      const chunks = portfolioCsv(db, { now: at, actor: user.id, ip: c.get('ip') });
      return csvResponse(textStream(chunks, fail('portfolio')), `carteira-${today}.csv`);
    })
    .get('/queue.csv', requireRole('owner', 'staff'), async (c) => {
      const at = now();
      const user = c.get('user');
      const today = todayIn(at.getTime(), (await loadLedgerSettings(db)).timeZone);
      const chunks = queueCsv(db, { now: at, role: user.role, actor: user.id, ip: c.get('ip') });
      return csvResponse(textStream(chunks, fail('queue')), `fila-do-dia-${today}.csv`);
    });
}
