/**
 * Reads during an import, PGlite, measured from outside: `quita serve` runs as its own process on
 * a PGlite data directory; the bench uploads the CSV to `POST /api/import/debtors` over loopback
 * HTTP while two clients read in a loop, each request after the previous answer plus a 10 ms
 * pause: `GET /api/health` (which queries the database) and `GET /api/debtors/:id` (a debtor
 * created before the import). The baseline is the same two loops for the same time just before
 * the import, on the same server, after a 1 s warm-up of both loops (discarded: a route's first
 * requests load its modules). PGlite has one connection: every read waits for the import's
 * current transaction, so the figure is how short the importer keeps its chunks.
 * Issue 17's target: both reads under 50 ms p99 during the import.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { seedUser } from '../helpers/auth';
import { verdict, type BenchResult } from './harness';
import { startQuita } from './server-process';

const TARGET_P99_MS = 50;

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface Loop {
  times: number[];
  /** Requests that got no answer (a reset connection) or not a 200: reported beside the figure. */
  failed: string[];
}

/**
 * Requests `url` in a loop until `done()`; each request's latency (ms). A request that fails is
 * counted as failed with its reason, never dropped silently, and the loop goes on.
 */
async function readLoop(
  url: string,
  headers: Record<string, string>,
  done: () => boolean,
): Promise<Loop> {
  const loop: Loop = { times: [], failed: [] };
  while (!done()) {
    const t = performance.now();
    try {
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      if (res.status === 200) loop.times.push(performance.now() - t);
      else loop.failed.push(`HTTP ${res.status}`);
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      loop.failed.push(cause?.code ?? String(error));
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return loop;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export async function readsDuringImportBench(path: string, unit: string): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'quita-import-bench-'));
  const dataDir = join(dir, 'data');
  try {
    const db = await openPglite({ dataDir });
    let owner;
    try {
      await migrate(db);
      owner = await seedUser(db, 'owner');
    } finally {
      await db.close();
    }
    const server = await startQuita({ QUITA_DATA_DIR: dataDir });
    try {
      const created = await fetch(`${server.url}/api/debtors`, {
        method: 'POST',
        headers: { ...owner.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'person', name: 'Maria Antes da Importação' }),
      });
      if (created.status !== 201 && created.status !== 200)
        throw new Error(`bench import: create debtor → ${created.status} ${await created.text()}`);
      const { id } = (await created.json()) as { id: string };
      const health = `${server.url}/api/health`;
      const debtor = `${server.url}/api/debtors/${id}`;
      const loops = (done: () => boolean) =>
        Promise.all([readLoop(health, {}, done), readLoop(debtor, owner.headers, done)]);

      // Warm-up, discarded: each route's first requests load and compile its modules, which
      // would otherwise land in the idle baseline's tail.
      const warm = performance.now() + 1_000;
      await loops(() => performance.now() > warm);
      // Baseline: the same loops on the idle server, for 3 s.
      const until = performance.now() + 3_000;
      const [healthIdle, debtorIdle] = await loops(() => performance.now() > until);

      let finished = false;
      const during = loops(() => finished);
      const started = performance.now();
      const res = await fetch(`${server.url}/api/import/debtors`, {
        method: 'POST',
        headers: { ...owner.headers, 'content-type': 'text/csv' },
        body: readFileSync(path),
      });
      const report = (await res.json()) as { errorCount?: number; rows?: number };
      const importMs = performance.now() - started;
      finished = true;
      const [healthBusy, debtorBusy] = await during;
      if (res.status !== 200 || report.errorCount !== 0)
        throw new Error(`bench import: import → ${res.status} ${JSON.stringify(report)}`);

      const row = (name: string, busyLoop: Loop, idleLoop: Loop, target: string): BenchResult => {
        const busy = busyLoop.times;
        const idle = idleLoop.times;
        const p99 = percentile(busy, 99);
        return {
          group: 'reads during import (PGlite, server process)',
          unit: `${unit}, import ${(importMs / 1000).toFixed(1)} s over HTTP`,
          subject: { name: `${name} p99 during the import`, medianMs: p99, runs: busy.length },
          baseline: {
            name: `${name} p99 before it`,
            medianMs: percentile(idle, 99),
            runs: idle.length,
          },
          extra: {
            p50_during_ms: round(percentile(busy, 50)),
            max_during_ms: round(Math.max(...busy)),
            p50_before_ms: round(percentile(idle, 50)),
            requests_during: busy.length,
            failed_during: busyLoop.failed.length,
            failed_before: idleLoop.failed.length,
            ...(busyLoop.failed.length > 0
              ? { failures: [...new Set(busyLoop.failed)].join(' ') }
              : {}),
          },
          verdicts: [
            verdict({
              target: target,
              value: p99,
              limit: TARGET_P99_MS,
              better: 'lower',
              unit: ' ms p99',
            }),
          ],
        };
      };
      return [
        row('GET /api/health', healthBusy, healthIdle, 'health during a PGlite import < 50 ms p99'),
        row(
          'GET /api/debtors/:id',
          debtorBusy,
          debtorIdle,
          'debtor read during a PGlite import < 50 ms p99',
        ),
      ];
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
