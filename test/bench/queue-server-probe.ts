/**
 * Out-of-process probe of `GET /api/cadence/today` alone on PostgreSQL (fsync on): `quita serve`
 * as its own process, seeded like the reads bench, the summaries caught up first (as the reads
 * bench does), then one 5,000-debtor page from the middle of the keyset beside the plain join of
 * the same rows (interleaved, same run), the server's CPU per page, and the whole day walked by
 * an owner. What `npm run bench -- reads` measures in its fourth part, without the other three.
 *
 * `node --import tsx test/bench/queue-server-probe.ts` (QUITA_BENCH_READS_DEBTORS, default
 * 20000; QUITA_BENCH_DATABASE_URL or a throwaway cluster; QUITA_BENCH_PROFILE=1 for a CPU profile
 * of the server's page requests only). Not part of `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { openPostgres } from '../../server/db/postgres';
import { startCluster } from '../helpers/postgres-cluster';
import { summariseProfiles } from './cpu-profile';
import { seed } from './reads.bench';
import { processCpuMs, PROFILE, startQuita } from './server-process';

const N = Number(process.env['QUITA_BENCH_READS_DEBTORS'] ?? '20000');
const PAGE = 5000;
const ROUNDS = Number(process.env['QUITA_PROBE_ROUNDS'] ?? '5');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

let cluster: { url: string; stop: () => void } | undefined;
const given = process.env['QUITA_BENCH_DATABASE_URL'];
if (!given) cluster = await startCluster({ durable: true });
const admin = given ?? (cluster as { url: string }).url;
const name = `quita_probe_${uuidv7().replaceAll('-', '').slice(-12)}`;
const adminClient = new pg.Client(admin);
await adminClient.connect();
await adminClient.query(`CREATE DATABASE ${name}`);
const url = new URL(admin);
url.pathname = `/${name}`;
const dir = mkdtempSync(join(tmpdir(), 'quita-queue-probe-'));
const profileDir = PROFILE
  ? (process.env['QUITA_PROBE_PROFILE_DIR'] ?? join(dir, 'profile'))
  : undefined;
try {
  const db = await openPostgres(url.toString(), { max: 2 });
  const owner = await seed(db);
  await db.exec('ANALYZE');
  const [mid] = await db.query<{ id: string }>(
    `SELECT id FROM debtors ORDER BY id OFFSET $1 LIMIT 1`,
    [Math.floor(N / 2)],
  );
  const cursor = mid?.id as string;
  const server = await startQuita({ DATABASE_URL: url.toString() }, profileDir);
  const get = async (path: string) => {
    const t = performance.now();
    const res = await fetch(`${server.url}${path}`, { headers: owner.headers });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${path} → ${res.status} ${text.slice(0, 300)}`);
    return { ms: performance.now() - t, bytes: text.length, body: JSON.parse(text) as unknown };
  };
  try {
    // The seed left every summary outdated: wait for the server's catch-up run (as the bench).
    for (let polls = 0; ; polls++) {
      const r = await get('/api/portfolio');
      if ((r.body as { source?: string }).source === 'summaries') break;
      if (polls > 300) throw new Error('summaries never caught up');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const join1 = async () => {
      const t = performance.now();
      await db.query(
        `SELECT d.*, t.* FROM debtors d JOIN debts t ON t.debtor_id = d.id AND t.status = 'open'
          WHERE d.id > $1 ORDER BY d.id LIMIT $2`,
        [cursor, PAGE],
      );
      return performance.now() - t;
    };
    const path = `/api/cadence/today?limit=${PAGE}&cursor=${cursor}`;
    await get(path);
    await join1();
    const pages: number[] = [];
    const joins: number[] = [];
    const cpus: number[] = [];
    let bytes = 0;
    let items = 0;
    const before = load();
    for (let r = 0; r < ROUNDS; r++) {
      const c0 = processCpuMs(server.pid);
      const got = await get(path);
      cpus.push(processCpuMs(server.pid) - c0);
      pages.push(got.ms);
      bytes = got.bytes;
      items = (got.body as { items: unknown[] }).items.length;
      joins.push(await join1());
    }
    const t = performance.now();
    let next: string | null = null;
    let dayPages = 0;
    let dayItems = 0;
    const c0 = processCpuMs(server.pid);
    do {
      const got = await get(
        `/api/cadence/today?limit=${PAGE}${next === null ? '' : `&cursor=${next}`}`,
      );
      const body = got.body as { items: unknown[]; nextCursor: string | null };
      dayItems += body.items.length;
      next = body.nextCursor;
      dayPages++;
    } while (next !== null);
    const dayMs = performance.now() - t;
    const dayCpu = processCpuMs(server.pid) - c0;
    console.log(
      JSON.stringify({
        debtors: N,
        pageMs: Math.round(median(pages)),
        joinMs: Math.round(median(joins)),
        ratio: Number((median(pages) / median(joins)).toFixed(2)),
        pages: pages.map(Math.round),
        joins: joins.map(Math.round),
        serverCpuMsPerPage: Math.round(median(cpus)),
        items,
        pageKiB: Math.round(bytes / 1024),
        dayMs: Math.round(dayMs),
        dayServerCpuMs: Math.round(dayCpu),
        dayPages,
        dayItems,
        load: `${before} → ${load()}`,
      }),
    );
  } finally {
    await server.stop();
    await db.close();
  }
  if (profileDir) console.error(summariseProfiles(profileDir, 30));
} finally {
  await adminClient.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminClient.end();
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}
