/**
 * Row 4 of ./sync.bench.ts (issue 4): a collector's first sync, server side. The 5k portfolio
 * (../shared/data/portfolio-5k.csv) imported through POST /api/import/debtors and assigned to one
 * new collector; a new device pulls every snapshot page (GET /api/sync/pull, limit 500, the health
 * header on every page as the PWA sends it) beside a plain SQL scan of the same rows in one
 * transaction. Rounds: QUITA_BENCH_SYNC_FIRST_ROUNDS (default 3).
 */
import { CLIENT_SCHEMA_VERSION } from '#shared/sync/envelope.schema';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import type { PullResponse } from '#shared/sync/pull.schema';
import { createApp } from '../../server/app';
import type { Db } from '../../server/db/db';
import { seedUser } from '../helpers/auth';
import { portfolioCsvPath } from '../portfolio';
import { compare, type BenchResult } from './harness';

const HEALTH = {
  app_version: '1.0.0',
  schema_version: CLIENT_SCHEMA_VERSION,
  outbox_pending: 0,
  outbox_oldest_pending_at: null,
  outbox_rejected: 0,
  persisted: true,
  storage_usage: 1_000,
  storage_quota: 100_000,
  installed: true,
  last_error: null,
  user_agent: 'sync-bench',
};

type App = ReturnType<typeof createApp>;

/** One request, failing loudly on an unexpected status; answers the parsed body and its size. */
async function send<T>(
  app: App,
  path: string,
  init: RequestInit,
): Promise<{ body: T; bytes: number; wireBytes: number }> {
  const res = await app.request(path, init);
  const raw = Buffer.from(await res.arrayBuffer());
  const text = (res.headers.get('content-encoding') === 'gzip' ? gunzipSync(raw) : raw).toString();
  if (res.status >= 300) throw new Error(`bench sync: ${path} → ${res.status} ${text}`);
  return { body: JSON.parse(text) as T, bytes: Buffer.byteLength(text), wireBytes: raw.length };
}

const FIRST_ROUNDS = Number(process.env['QUITA_BENCH_SYNC_FIRST_ROUNDS'] ?? '3');

/** The tables a collector's snapshot is built from, each joined to the debtor's assignment. */
const SCANNED = [
  'contact_points',
  'debts',
  'payments',
  'promises',
  'agreements',
  'installments',
  'visits',
  'contact_log',
];

/** Row 4: every snapshot page for a new device of a collector holding the 5k portfolio. */
export async function firstSyncBench(label: string, db: Db): Promise<BenchResult> {
  const app = createApp({ db, version: 'bench', logError: () => {} });
  const t = performance.now();
  const owner = await seedUser(db, 'owner');
  const collector = await seedUser(db, 'collector', { name: 'Carlos Campo' });
  const imported = await app.request('/api/import/debtors', {
    method: 'POST',
    headers: { ...owner.headers, 'content-type': 'text/csv' },
    body: readFileSync(portfolioCsvPath(5000)),
  });
  const report = (await imported.json()) as { errorCount: number };
  if (imported.status !== 200 || report.errorCount > 0)
    throw new Error(`bench sync: import → ${imported.status} ${JSON.stringify(report)}`);
  const ids = (
    await db.query<{ id: string }>(
      `SELECT id FROM debtors d WHERE NOT EXISTS
         (SELECT 1 FROM assignments a WHERE a.debtor_id = d.id AND a.ended_at IS NULL)`,
    )
  ).map((r) => r.id);
  await send(app, '/api/assignments', {
    method: 'POST',
    headers: { ...owner.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ collectorId: collector.user.id, debtorIds: ids }),
  });
  console.error(
    `bench sync: ${label} ${ids.length} debtors imported and assigned in ${Math.round(performance.now() - t)} ms`,
  );
  let pulled = { pages: 0, changes: 0, bytes: 0, wireBytes: 0 };
  let scanned = 0;
  const result = await compare(
    `first sync, server side (${label})`,
    `${ids.length.toLocaleString('en')} debtors: every snapshot page for a new device`,
    {
      name: 'GET /api/sync/pull ×pages (createApp)',
      run: async () => {
        const deviceId = crypto.randomUUID();
        let cursor: string | undefined;
        const seen = { pages: 0, changes: 0, bytes: 0, wireBytes: 0 };
        for (let more = true; more; seen.pages++) {
          const q = new URLSearchParams({ limit: '500' });
          if (cursor !== undefined) q.set('cursor', cursor);
          const res = await send<PullResponse>(app, `/api/sync/pull?${q}`, {
            headers: {
              ...collector.headers,
              // What a browser sends: the bytes counted are those on the wire.
              'accept-encoding': 'gzip',
              'x-quita-device': deviceId,
              'x-quita-health': encodeURIComponent(
                JSON.stringify({ device_now: new Date().toISOString(), health: HEALTH }),
              ),
            },
          });
          cursor = res.body.cursor;
          seen.changes += res.body.changes.length;
          seen.bytes += res.bytes;
          seen.wireBytes += res.wireBytes;
          more = res.body.has_more;
        }
        pulled = seen;
      },
    },
    {
      name: 'plain SQL scan of the same rows, one transaction',
      run: async () => {
        scanned = await db.transaction(async (tx) => {
          const mine = `JOIN assignments a ON a.debtor_id = x.debtor_id AND a.ended_at IS NULL
                        WHERE a.collector_id = $1`;
          let rows = (
            await tx.query(
              `SELECT x.* FROM debtors x JOIN assignments a ON a.debtor_id = x.id
               AND a.ended_at IS NULL WHERE a.collector_id = $1`,
              [collector.user.id],
            )
          ).length;
          for (const table of SCANNED)
            rows += (await tx.query(`SELECT x.* FROM ${table} x ${mine}`, [collector.user.id]))
              .length;
          return rows;
        });
      },
    },
    FIRST_ROUNDS,
  );
  if (pulled.changes < ids.length) throw new Error(`bench sync: pulled ${pulled.changes} changes`);
  result.extra = {
    changes: pulled.changes,
    pages: pulled.pages,
    responseBytes: pulled.bytes,
    wireBytesGzip: pulled.wireBytes,
    pullTotalMs: Math.round(result.subject.medianMs),
    pullChangesPerSecond: Math.round(pulled.changes / (result.subject.medianMs / 1000)),
    scannedRows: scanned,
    scanTotalMs: Math.round(result.baseline.medianMs),
    scanRowsPerSecond: Math.round(scanned / (result.baseline.medianMs / 1000)),
  };
  return result;
}
