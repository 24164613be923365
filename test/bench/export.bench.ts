/**
 * Export of the portfolio (`GET /api/export/portfolio.csv`) for 100,000 debtors, the server as a
 * SEPARATE process (`quita serve`) reached over HTTP, beside a plain SQL `COPY (SELECT … join …)
 * TO` of the same lines on the same data in the same run, on PGlite and on PostgreSQL.
 *
 * Data: the reference generator's 100,000-debtor portfolio (`make-portfolio.py`, ~200,000 debts,
 * phones and e-mails), loaded by set-based SQL (no change feed: the export does not read it).
 * Measured for the export: wall time until the last byte reached the client, bytes, and the
 * server process's resident memory (VmRSS from /proc, sampled every 25 ms): before the export and
 * its peak during it. The point of streaming: the peak stays near the idle figure instead of
 * growing with the portfolio.
 *
 * Baselines: PostgreSQL runs `COPY (…) TO '<file>'` on the server's own database (a local
 * superuser, as the import bench's COPY FROM); PGlite holds one connection per data directory and
 * the server owns it, so its COPY (`TO '/dev/blob'`) runs on a byte-for-byte copy of the same
 * data directory in the bench process. Rounds: QUITA_BENCH_EXPORT_ROUNDS (default 1) after one
 * warm-up each; QUITA_BENCH_EXPORT_DEBTORS changes the size.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Papa from 'papaparse';
import pg from 'pg';
import { normalizeCnpj } from '#shared/identity/document';
import { tryParseMoney } from '#shared/money/money';
import { tryToE164, phoneMatchKeys } from '#shared/identity/phone';
import { tryParseBrazilianDate } from '#shared/time/calendar-date';
import type { Db } from '../../server/db/db';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { openPostgres } from '../../server/db/postgres';
import { portfolioCsvPath, type PortfolioRow } from '../portfolio';
import type { BenchResult } from './harness';

const ROOT = join(import.meta.dirname, '..', '..');
const OWNER = { email: 'bench.export@example.com', password: 'planilha exportada sem susto 2026' };

const BASELINE_SQL = `SELECT d.external_id, d.name, d.document, e.value AS email, p.value AS phone,
       d.address_line, d.city, d.state, t.external_id AS debt_id, t.description,
       t.principal_cents, t.due_on, t.status
  FROM debtors d
  JOIN debts t ON t.debtor_id = d.id
  LEFT JOIN LATERAL (SELECT value FROM contact_points c WHERE c.debtor_id = d.id AND c.kind = 'email' LIMIT 1) e ON true
  LEFT JOIN LATERAL (SELECT value FROM contact_points c WHERE c.debtor_id = d.id AND c.kind = 'phone' LIMIT 1) p ON true
 ORDER BY d.id, t.due_on`;

function uuid(): string {
  return crypto.randomUUID();
}

/** Loads the portfolio CSV by set-based SQL: debtors, their phone and e-mail, their debts. */
async function seed(db: Db, path: string): Promise<{ debtors: number; debts: number }> {
  const rows = Papa.parse<PortfolioRow>(readFileSync(path, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;
  const debtorIds = new Map<string, string>();
  const debtors: unknown[][] = [[], [], [], [], [], [], [], []];
  const points: unknown[][] = [[], [], [], [], []];
  const keys: unknown[][] = [[], [], [], []];
  const debts: unknown[][] = [[], [], [], [], [], []];
  for (const r of rows) {
    let id = debtorIds.get(r.external_id);
    if (id === undefined) {
      id = uuid();
      debtorIds.set(r.external_id, id);
      const document = normalizeCnpj(r.document);
      const cols = [
        id,
        r.external_id,
        document.length === 14 ? 'company' : 'person',
        r.name,
        document,
        r.address,
        r.city,
        r.state || null,
      ];
      cols.forEach((v, i) => debtors[i]?.push(v));
      const phone = tryToE164(r.phone);
      if (phone.ok) {
        const pid = uuid();
        [pid, id, 'phone', phone.value, phoneMatchKeys(phone.value).at(-1)].forEach((v, i) =>
          points[i]?.push(v),
        );
        for (const key of phoneMatchKeys(phone.value))
          [pid, id, 'phone', key].forEach((v, i) => keys[i]?.push(v));
      }
      if (r.email) {
        const pid = uuid();
        const email = r.email.toLowerCase();
        [pid, id, 'email', email, email].forEach((v, i) => points[i]?.push(v));
        [pid, id, 'email', email].forEach((v, i) => keys[i]?.push(v));
      }
    }
    const amount = tryParseMoney(r.amount);
    const due = tryParseBrazilianDate(r.due_date);
    if (!amount.ok || !due.ok) continue;
    [uuid(), id, r.debt_id, r.description, amount.value, due.value].forEach((v, i) =>
      debts[i]?.push(v),
    );
  }
  const batched = async (columns: unknown[][], sql: (n: number) => string) => {
    const total = columns[0]?.length ?? 0;
    for (let at = 0; at < total; at += 20_000)
      await db.query(
        sql(columns.length),
        columns.map((c) => c.slice(at, at + 20_000)),
      );
  };
  await batched(
    debtors,
    () => `INSERT INTO debtors (id, external_id, kind, name, document, address_line, city, state)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
  );
  await batched(
    points,
    () => `INSERT INTO contact_points (id, debtor_id, kind, value, match_key)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[])`,
  );
  await batched(
    keys,
    () => `INSERT INTO contact_point_keys (contact_point_id, debtor_id, kind, key)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])`,
  );
  await batched(
    debts,
    () => `INSERT INTO debts (id, debtor_id, external_id, description, principal_cents, due_on)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::date[])`,
  );
  await db.exec('ANALYZE');
  return { debtors: debtorIds.size, debts: debts[0]?.length ?? 0 };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

interface Served {
  base: string;
  token: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** Starts `quita serve` as its own process on `env`'s database and signs the owner in. */
async function startServer(env: Record<string, string>): Promise<Served> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [join(ROOT, 'server/bin/quita.js'), 'serve', '--port', String(port)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...env,
        QUITA_PWA: '0',
        QUITA_OWNER_EMAIL: OWNER.email,
        QUITA_OWNER_PASSWORD: OWNER.password,
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`quita serve exited: ${stderr}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error(`quita serve did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  const { token } = (await login.json()) as { token: string };
  return {
    base,
    token,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** One export over HTTP: time to the last byte, bytes, server RSS before and at peak. */
async function exportOnce(
  server: Served,
): Promise<{ ms: number; bytes: number; idleKb: number; peakKb: number }> {
  const pid = server.child.pid ?? 0;
  const idleKb = rssKb(pid);
  let peakKb = idleKb;
  const sampler = setInterval(() => {
    try {
      peakKb = Math.max(peakKb, rssKb(pid));
    } catch {
      // the process is gone; the request fails below
    }
  }, 25);
  const t = performance.now();
  let bytes = 0;
  try {
    const res = await fetch(`${server.base}/api/export/portfolio.csv`, {
      headers: { authorization: `Bearer ${server.token}`, 'accept-encoding': 'identity' },
    });
    if (!res.ok || !res.body) throw new Error(`export answered ${res.status}`);
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
  } finally {
    clearInterval(sampler);
  }
  return { ms: performance.now() - t, bytes, idleKb, peakKb: Math.max(peakKb, rssKb(pid)) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function measure(
  group: string,
  unit: string,
  server: Served,
  baseline: () => Promise<unknown>,
  rounds: number,
): Promise<BenchResult> {
  await exportOnce(server);
  await baseline();
  const runs: Awaited<ReturnType<typeof exportOnce>>[] = [];
  const base: number[] = [];
  for (let i = 0; i < rounds; i++) {
    runs.push(await exportOnce(server));
    const t = performance.now();
    await baseline();
    base.push(performance.now() - t);
  }
  const mb = (kb: number) => Math.round(kb / 102.4) / 10;
  console.error(
    `bench ${group}: ${runs.map((r) => `${Math.round(r.ms)} ms, ${r.bytes} B, RSS ${mb(r.idleKb)} → peak ${mb(r.peakKb)} MB`).join('; ')}; COPY ${base.map((b) => Math.round(b)).join(', ')} ms`,
  );
  return {
    group,
    unit,
    subject: {
      name: 'GET /api/export/portfolio.csv (separate process, HTTP)',
      medianMs: median(runs.map((r) => r.ms)),
      runs: rounds,
    },
    baseline: { name: 'COPY (join) TO, same data', medianMs: median(base), runs: rounds },
    extra: {
      bytes: runs[0]?.bytes ?? 0,
      serverRssIdleMB: mb(median(runs.map((r) => r.idleKb))),
      serverRssPeakMB: mb(Math.max(...runs.map((r) => r.peakKb))),
    },
  };
}

export async function run(): Promise<BenchResult[]> {
  const size = Number(process.env['QUITA_BENCH_EXPORT_DEBTORS'] ?? '100000');
  const rounds = Number(process.env['QUITA_BENCH_EXPORT_ROUNDS'] ?? '1');
  const path = portfolioCsvPath(size);
  const results: BenchResult[] = [];

  // PGlite: a data directory seeded here, served by the separate process; the baseline's COPY
  // runs on a copy of that directory.
  {
    const dir = mkdtempSync(join(tmpdir(), 'quita-bench-export-'));
    const dataDir = join(dir, 'data');
    const db = await openPglite({ dataDir });
    let counts;
    try {
      await migrate(db);
      counts = await seed(db, path);
    } finally {
      await db.close();
    }
    cpSync(dataDir, join(dir, 'copy'), { recursive: true });
    const copy = await openPglite({ dataDir: join(dir, 'copy') });
    const server = await startServer({ QUITA_DATA_DIR: dataDir });
    try {
      const unit = `${counts.debtors.toLocaleString('en')} debtors, ${counts.debts.toLocaleString('en')} debts`;
      results.push(
        await measure(
          'export (PGlite)',
          unit,
          server,
          () =>
            copy.query(
              `COPY (${BASELINE_SQL}) TO '/dev/blob' WITH (FORMAT csv, HEADER true, DELIMITER ';')`,
            ),
          rounds,
        ),
      );
    } finally {
      await server.stop();
      await copy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const adminUrl =
    process.env['QUITA_BENCH_DATABASE_URL'] ?? process.env['QUITA_TEST_DATABASE_URL'];
  if (!adminUrl) {
    console.error(
      'bench export: PostgreSQL skipped (set QUITA_BENCH_DATABASE_URL or QUITA_TEST_DATABASE_URL)',
    );
    return results;
  }
  const name = `quita_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = openPostgres(url.toString(), { max: 2 });
  const out = join(tmpdir(), `quita-bench-export-${randomBytes(4).toString('hex')}.csv`);
  let server: Served | undefined;
  try {
    await migrate(db);
    const counts = await seed(db, path);
    server = await startServer({ DATABASE_URL: url.toString() });
    const unit = `${counts.debtors.toLocaleString('en')} debtors, ${counts.debts.toLocaleString('en')} debts`;
    results.push(
      await measure(
        'export (PostgreSQL)',
        unit,
        server,
        () =>
          db.query(
            `COPY (${BASELINE_SQL}) TO '${out}' WITH (FORMAT csv, HEADER true, DELIMITER ';')`,
          ),
        rounds,
      ),
    );
  } finally {
    await server?.stop();
    await db.close();
    rmSync(out, { force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  return results;
}
