/**
 * The office's reads at the size of a collection agency (issue 17), measured from outside:
 * `quita serve` runs as its own process on a PostgreSQL database of the bench cluster (fsync on)
 * or on a PGlite data directory, and the bench talks to it over loopback HTTP.
 *
 * The portfolio is seeded set-based (INSERT … SELECT generate_series): N debtors (100,000 by
 * default), one open debt each due 1–240 days ago, every tenth debtor named "… da Silva", an
 * e-mail each, a confirmed payment this month on every seventh, a promise on every eleventh,
 * every fifth assigned to one of five collectors. Then, each beside its same-run baseline:
 *
 * 1. `GET /api/debtors?q=silva` (a page of 50) at 10 connections, req/s and p99, beside
 *    `GET /api/health` at 10 connections, interleaved (health, search, health): target ≥ 1/3.
 * 2. `GET /api/debtors/:id` at 10 connections over random debtors, beside the same health figure,
 *    with the statements each read issues (pg_stat_statements; target one or two).
 * 3. `GET /api/portfolio`, beside one plain grouped query over the same debts (the floor of
 *    reading them): target ≤ 500 ms.
 * 4. `GET /api/cadence/today`, one page of 5,000 debtors from the middle of the keyset, beside the
 *    page's debtors joined with their open debts in one plain query (same database, same run):
 *    target ≤ 2×; and the whole day (every page) walked by an owner: target ≤ 10 s on PostgreSQL.
 *
 * Before these, the first `GET /api/portfolio` after the seed (the seed, like a large import,
 * leaves every maintained summary outdated) answers from the facts set-based: printed as
 * `firstAfterSeedMs` with its `firstAfterSeedSource`; the bench then polls the portfolio until the
 * summaries answer again (`catchUpMs`, the server's shared run deriving every debtor); every
 * figure after it reads maintained summaries.
 *
 * For PGlite the baselines run in the bench process on the same data directory while the server
 * is stopped (PGlite admits one process): the figure uses the one measured just before the
 * server's rounds; the one after is printed beside it (`baselineAfterMs`).
 * Size: QUITA_BENCH_READS_DEBTORS; load seconds per phase: QUITA_BENCH_READS_SECONDS (default 4).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import type { Db, DbKind } from '../../server/db/db';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { openPostgres } from '../../server/db/postgres';
import { configureTestOrganisation } from '../../server/cadence/testing';
import { seedUser, type SeededUser } from '../helpers/auth';
import { summariseProfiles } from './cpu-profile';
import { verdict, type BenchResult } from './harness';
import { processCpuMs, PROFILE, startQuita, type BenchServer } from './server-process';

const N = Number(process.env['QUITA_BENCH_READS_DEBTORS'] ?? '100000');
const SECONDS = Number(process.env['QUITA_BENCH_READS_SECONDS'] ?? '4');
const CONNECTIONS = 10;
const PAGE = 5000;
const ROUNDS = 3;

async function adminQuery<T = unknown>(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function seed(db: Db): Promise<SeededUser> {
  await migrate(db);
  await configureTestOrganisation(db);
  const owner = await seedUser(db, 'owner');
  const collectors: string[] = [];
  for (let c = 0; c < 5; c++)
    collectors.push((await seedUser(db, 'collector', { name: `Cobrador ${c + 1}` })).user.id);
  await db.exec(`
    INSERT INTO debtors (id, kind, name, state)
      SELECT md5('debtor' || i)::uuid, 'person',
             'Cliente ' || i || CASE i % 10 WHEN 0 THEN ' da Silva' WHEN 1 THEN ' Souza'
               WHEN 2 THEN ' Oliveira' WHEN 3 THEN ' Santos' WHEN 4 THEN ' Pereira'
               WHEN 5 THEN ' Lima' WHEN 6 THEN ' Costa' WHEN 7 THEN ' Ribeiro'
               WHEN 8 THEN ' Almeida' ELSE ' Carvalho' END, 'SP'
      FROM generate_series(1, ${N}) AS i;
    INSERT INTO debts (id, debtor_id, description, principal_cents, issued_on, due_on)
      SELECT md5('debt' || i)::uuid, md5('debtor' || i)::uuid, 'compra ' || i, 5000 + (i % 50000),
             current_date - 1 - (i % 240), current_date - 1 - (i % 240)
      FROM generate_series(1, ${N}) AS i;
    INSERT INTO contact_points (id, debtor_id, kind, value, match_key)
      SELECT md5('email' || i)::uuid, md5('debtor' || i)::uuid, 'email', 'c' || i || '@example.com',
             'c' || i || '@example.com'
      FROM generate_series(1, ${N}) AS i;
    INSERT INTO payments (id, debtor_id, debt_id, amount_cents, paid_on, method, status)
      SELECT md5('payment' || i)::uuid, md5('debtor' || i)::uuid, md5('debt' || i)::uuid, 1000,
             date_trunc('month', current_date)::date, 'pix', 'confirmed'
      FROM generate_series(7, ${N}, 7) AS i;
    INSERT INTO promises (id, debtor_id, debt_id, amount_cents, promised_on, status, made_on)
      SELECT md5('promise' || i)::uuid, md5('debtor' || i)::uuid, md5('debt' || i)::uuid, 2000,
             current_date + 3 - (i % 20), 'open', current_date - 20
      FROM generate_series(11, ${N}, 11) AS i;
  `);
  await db.query(
    `INSERT INTO assignments (id, debtor_id, collector_id, started_at)
       SELECT md5('assignment' || i)::uuid, md5('debtor' || i)::uuid,
              ($1::uuid[])[1 + (i / 5) % 5], now() - interval '30 days'
       FROM generate_series(5, ${N}, 5) AS i`,
    [collectors],
  );
  await db.exec('ANALYZE');
  return owner;
}

/** Requests to `path(i)` on `connections` concurrent loops for `seconds`: req/s and latencies. */
async function load(
  base: string,
  headers: Record<string, string>,
  path: (i: number) => string,
  seconds: number,
  connections = CONNECTIONS,
): Promise<{ rps: number; p50: number; p99: number; requests: number }> {
  const latencies: number[] = [];
  let resets = 0;
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const i = n++;
        const t = performance.now();
        let res: Response;
        try {
          res = await fetch(`${base}${path(i)}`, { headers });
          await res.arrayBuffer();
        } catch (error) {
          // A kept-alive socket the server closed meanwhile: counted, never retried silently.
          if (++resets > 20) throw error;
          continue;
        }
        if (res.status !== 200) throw new Error(`bench reads: ${path(i)} → ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  if (resets > 0) console.error(`bench reads: ${resets} connection resets during ${path(0)}`);
  return {
    rps: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    requests: latencies.length,
  };
}

async function timeGet(base: string, headers: Record<string, string>, path: string) {
  const t = performance.now();
  const res = await fetch(`${base}${path}`, { headers });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`bench reads: ${path} → ${res.status} ${text}`);
  return {
    ms: performance.now() - t,
    bytes: Buffer.byteLength(text),
    body: JSON.parse(text) as unknown,
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

interface Baselines {
  /** The plain grouped query over the portfolio's debts (ms, median). */
  portfolio: number;
  /** The cadence page's debtors joined with their open debts (ms, median). */
  page: number;
  cursor: string;
}

async function baselines(db: Db, rounds: number): Promise<Baselines> {
  const [mid] = await db.query<{ id: string }>(
    `SELECT d.id FROM debtors d ORDER BY d.id OFFSET $1 LIMIT 1`,
    [Math.floor(N / 2)],
  );
  if (!mid) throw new Error('bench reads: nothing seeded');
  const portfolio: number[] = [];
  const page: number[] = [];
  for (let r = 0; r < rounds + 1; r++) {
    let t = performance.now();
    await db.query(
      `SELECT a.collector_id, count(DISTINCT t.debtor_id), sum(t.principal_cents)
         FROM debts t LEFT JOIN assignments a ON a.debtor_id = t.debtor_id AND a.ended_at IS NULL
        WHERE t.status = 'open' GROUP BY a.collector_id`,
    );
    if (r > 0) portfolio.push(performance.now() - t);
    t = performance.now();
    await db.query(
      `SELECT d.*, t.* FROM debtors d JOIN debts t ON t.debtor_id = d.id AND t.status = 'open'
        WHERE d.id > $1 ORDER BY d.id LIMIT $2`,
      [mid.id, PAGE],
    );
    if (r > 0) page.push(performance.now() - t);
  }
  return { portfolio: median(portfolio), page: median(page), cursor: mid.id };
}

async function benchDb(kind: DbKind, adminUrl: string | undefined): Promise<BenchResult[]> {
  const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
  const dir = mkdtempSync(join(tmpdir(), 'quita-reads-bench-'));
  let env: Record<string, string>;
  let open: () => Promise<Db>;
  let cleanup: () => Promise<void>;
  let pgName: string | undefined;
  if (kind === 'pglite') {
    const dataDir = join(dir, 'data');
    env = { QUITA_DATA_DIR: dataDir };
    open = () => openPglite({ dataDir });
    cleanup = async () => {};
  } else {
    if (!adminUrl) return [];
    pgName = `quita_bench_${uuidv7().replaceAll('-', '').slice(-12)}`;
    await adminQuery(adminUrl, `CREATE DATABASE ${pgName}`);
    const url = new URL(adminUrl);
    url.pathname = `/${pgName}`;
    env = { DATABASE_URL: url.toString() };
    open = async () => openPostgres(url.toString(), { max: 2 });
    const name = pgName;
    cleanup = async () => {
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    };
  }
  const statements = async (reset: boolean): Promise<number | null> => {
    if (!adminUrl || !pgName) return null;
    try {
      await adminQuery(adminUrl, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      if (reset) {
        await adminQuery(adminUrl, 'SELECT pg_stat_statements_reset()');
        return 0;
      }
      const rows = await adminQuery<{ calls: string }>(
        adminUrl,
        `SELECT s.calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
          WHERE d.datname = $1`,
        [pgName],
      );
      return rows.reduce((n, r) => n + Number(r.calls), 0);
    } catch {
      return null;
    }
  };
  /** The statements seen since the last reset, per request, by query (the most called first). */
  const topStatements = async (requests: number): Promise<string | null> => {
    if (!adminUrl || !pgName || requests === 0) return null;
    try {
      const rows = await adminQuery<{ query: string; calls: string }>(
        adminUrl,
        `SELECT s.query, s.calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
          WHERE d.datname = $1 ORDER BY s.calls DESC LIMIT 8`,
        [pgName],
      );
      return rows
        .map(
          (r) =>
            `${round1(Number(r.calls) / requests)}× ${r.query.replace(/\s+/g, ' ').slice(0, 100)}`,
        )
        .join(' | ');
    } catch {
      return null;
    }
  };
  const results: BenchResult[] = [];
  let server: BenchServer | undefined;
  const profileDir = PROFILE ? join(dir, 'profile') : undefined;
  try {
    let owner: SeededUser;
    let base: Baselines;
    const t0 = performance.now();
    {
      const db = await open();
      try {
        owner = await seed(db);
        base = await baselines(db, kind === 'pglite' ? 2 : 0);
      } finally {
        await db.close();
      }
    }
    const seedSeconds = round1((performance.now() - t0) / 1000);
    server = await startQuita(env, profileDir);
    const h = owner.headers;
    const url = server.url;
    // PostgreSQL baselines interleave with the server's rounds through a second pool.
    const side = kind === 'postgres' ? await open() : undefined;
    const sideBaselines: Baselines[] = [];
    const interleave = async () => {
      if (side) sideBaselines.push(await baselines(side, 1));
    };

    // 0. The seed wrote every debtor without summaries (as a large import would): the first
    // portfolio answers from the facts set-based (too many outdated summaries to derive while
    // the owner waits) and the server's shared run derives them all behind it: the time until
    // the summaries answer again is the catch-up figure. Everything after is measured with the
    // summaries maintained.
    const catchUpStart = performance.now();
    const coldPortfolio = await timeGet(url, h, '/api/portfolio');
    const coldSource = (coldPortfolio.body as { source?: string }).source;
    for (let polls = 0; ; polls++) {
      const r = await timeGet(url, h, '/api/portfolio');
      if ((r.body as { source?: string }).source === 'summaries') break;
      if (polls > 600) throw new Error('bench reads: the summaries never caught up');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    const catchUpMs = performance.now() - catchUpStart;

    // 1–2. Search and one-debtor reads beside /api/health, interleaved.
    await load(url, h, () => '/api/health', 1);
    await load(url, h, () => '/api/debtors?q=silva&limit=50', 1);
    const health1 = await load(url, h, () => '/api/health', SECONDS);
    const cpu0 = processCpuMs(server.pid);
    await statements(true);
    const search = await load(url, h, () => '/api/debtors?q=silva&limit=50', SECONDS);
    const searchStatements = await statements(false);
    const searchBreakdown = await topStatements(search.requests);
    const searchCpu = processCpuMs(server.pid) - cpu0;
    const health2 = await load(url, h, () => '/api/health', SECONDS);
    const ids = Array.from({ length: 997 }, (_, i) => `${(i * 7919) % N}`);
    const idOf = await (async () => {
      const db = side;
      if (db) {
        const rows = await db.query<{ id: string }>(
          `SELECT md5('debtor' || i)::uuid AS id FROM unnest($1::int[]) AS i`,
          [ids.map((x) => Number(x) + 1)],
        );
        return rows.map((r) => r.id);
      }
      // PGlite: the same ids, computed like the seed does.
      const { createHash } = await import('node:crypto');
      return ids.map((x) => {
        const hex = createHash('md5')
          .update(`debtor${Number(x) + 1}`)
          .digest('hex');
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      });
    })();
    await statements(true);
    const read = await load(url, h, (i) => `/api/debtors/${idOf[i % idOf.length]}`, SECONDS);
    const readStatements = await statements(false);
    const health3 = await load(url, h, () => '/api/health', SECONDS);
    const health = (health1.rps + health2.rps + health3.rps) / 3;
    const searchRatio = search.rps / health;
    results.push({
      group: `reads (${label})`,
      unit: `${N.toLocaleString('en')} debtors, ${CONNECTIONS} connections, ${SECONDS} s each`,
      subject: {
        name: 'GET /api/debtors?q=silva (50 a page)',
        medianMs: 1000 / search.rps,
        runs: search.requests,
      },
      baseline: { name: 'GET /api/health', medianMs: 1000 / health, runs: health1.requests },
      extra: {
        searchRps: Math.round(search.rps),
        healthRps: Math.round(health),
        searchP99Ms: round1(search.p99),
        serverCpuMsPerSearch: round1(searchCpu / search.requests),
        ...(searchStatements === null
          ? {}
          : { statementsPerSearch: round1(searchStatements / search.requests) }),
        ...(searchBreakdown === null ? {} : { searchStatementsByQuery: searchBreakdown }),
      },
      verdicts: [
        verdict({
          target: `search ≥ 1/3 of /api/health's req/s at 10 connections (${label})`,
          value: searchRatio,
          limit: 1 / 3,
          better: 'higher',
          unit: ` (${Math.round(search.rps)} vs ${Math.round(health)} req/s)`,
        }),
      ],
    });
    results.push({
      group: `reads (${label})`,
      unit: `${N.toLocaleString('en')} debtors, ${CONNECTIONS} connections, ${SECONDS} s`,
      subject: {
        name: 'GET /api/debtors/:id (random)',
        medianMs: 1000 / read.rps,
        runs: read.requests,
      },
      baseline: { name: 'GET /api/health', medianMs: 1000 / health, runs: health3.requests },
      extra: {
        readRps: Math.round(read.rps),
        readP50Ms: round1(read.p50),
        readP99Ms: round1(read.p99),
        ...(readStatements === null
          ? {}
          : { statementsPerRead: round1(readStatements / read.requests) }),
      },
      verdicts:
        readStatements === null
          ? []
          : [
              verdict({
                target: `a debtor read in one or two statements (${label}, incl. the token check)`,
                value: readStatements / read.requests,
                limit: 2,
                better: 'lower',
                unit: ' statements',
              }),
            ],
    });

    // 3. Portfolio.
    const portfolio: number[] = [];
    await timeGet(url, h, '/api/portfolio');
    for (let r = 0; r < ROUNDS; r++) {
      portfolio.push((await timeGet(url, h, '/api/portfolio')).ms);
      await interleave();
    }
    const portfolioBase = side ? median(sideBaselines.map((b) => b.portfolio)) : base.portfolio;
    results.push({
      group: `portfolio (${label})`,
      unit: `${N.toLocaleString('en')} debtors`,
      subject: { name: 'GET /api/portfolio', medianMs: median(portfolio), runs: ROUNDS },
      baseline: {
        name: 'plain grouped SQL over the open debts',
        medianMs: portfolioBase,
        runs: ROUNDS,
      },
      // The first read after the seed answered from the facts (every summary outdated), and the
      // summaries caught up behind it in `catchUpMs` (not the steady state the target is about).
      extra: {
        firstAfterSeedMs: Math.round(coldPortfolio.ms),
        firstAfterSeedSource: coldSource ?? 'none',
        catchUpMs: Math.round(catchUpMs),
      },
      verdicts: [
        verdict({
          target: `portfolio of ${N.toLocaleString('en')} debtors ≤ 500 ms (${label})`,
          value: median(portfolio),
          limit: 500,
          better: 'lower',
          unit: ' ms',
        }),
      ],
    });

    // 4. The cadence page and the whole day.
    const pagePath = `/api/cadence/today?limit=${PAGE}&cursor=${base.cursor}`;
    const page: number[] = [];
    let bytes = 0;
    await timeGet(url, h, pagePath);
    sideBaselines.length = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const got = await timeGet(url, h, pagePath);
      page.push(got.ms);
      bytes = got.bytes;
      await interleave();
    }
    const pageBase = side ? median(sideBaselines.map((b) => b.page)) : base.page;
    const pageMs = median(page);
    const t = performance.now();
    let cursor: string | null = null;
    let pages = 0;
    let items = 0;
    do {
      const got = await timeGet(
        url,
        h,
        `/api/cadence/today?limit=${PAGE}${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      const body = got.body as { items: unknown[]; nextCursor: string | null };
      items += body.items.length;
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null);
    const dayMs = performance.now() - t;
    results.push({
      group: `cadence/today over HTTP (${label})`,
      unit: `page of ${PAGE.toLocaleString('en')} of ${N.toLocaleString('en')} debtors`,
      subject: { name: 'GET /api/cadence/today (owner)', medianMs: pageMs, runs: ROUNDS },
      baseline: {
        name: "the page's debtors joined with their open debts",
        medianMs: pageBase,
        runs: ROUNDS,
      },
      extra: {
        pageKiB: Math.round(bytes / 1024),
        daySeconds: round1(dayMs / 1000),
        dayPages: pages,
        dayItems: items,
      },
      verdicts: [
        verdict({
          target: `cadence/today page ≤ 2× the plain join (${label})`,
          value: pageMs / pageBase,
          limit: 2,
          better: 'lower',
          unit: '×',
        }),
        ...(kind === 'postgres'
          ? [
              verdict({
                target: `the whole ${N.toLocaleString('en')}-debtor day on PostgreSQL ≤ 10 s`,
                value: dayMs / 1000,
                limit: 10,
                better: 'lower',
                unit: ' s',
              }),
            ]
          : []),
      ],
    });
    results[0] = { ...(results[0] as BenchResult), extra: { ...results[0]?.extra, seedSeconds } };
    await side?.close();
    await server.stop();
    server = undefined;
    if (kind === 'pglite') {
      // The baselines again after the server's rounds, on the same data directory.
      const db = await open();
      try {
        const after = await baselines(db, 2);
        const p = results.find((r) => r.group.startsWith('portfolio'));
        const c = results.find((r) => r.group.startsWith('cadence'));
        // The verdicts stand on the baseline measured before; the one after is shown beside it.
        if (p) p.extra = { ...p.extra, baselineAfterMs: Math.round(after.portfolio) };
        if (c) c.extra = { ...c.extra, baselineAfterMs: Math.round(after.page) };
      } finally {
        await db.close();
      }
    }
    if (profileDir) console.error(summariseProfiles(profileDir));
    return results;
  } finally {
    await server?.stop().catch(() => {});
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult[]> {
  const admin = process.env['QUITA_BENCH_DATABASE_URL'] ?? process.env['QUITA_TEST_DATABASE_URL'];
  const only = process.env['QUITA_BENCH_READS_DB'];
  const results: BenchResult[] = [];
  if (only !== 'pglite') {
    if (admin) results.push(...(await benchDb('postgres', admin)));
    else console.error('bench reads: PostgreSQL skipped (no QUITA_BENCH_DATABASE_URL)');
  }
  if (only !== 'postgres') results.push(...(await benchDb('pglite', undefined)));
  for (const r of results)
    if (r.extra) console.error(`bench reads: ${r.group}: ${JSON.stringify(r.extra)}`);
  return results;
}
