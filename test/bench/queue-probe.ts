/**
 * In-process probe of one `cadence/today` page's CPU phases (load, derive, serialise) on an
 * in-memory PGlite seeded like the reads bench: where a page's time goes, before and after a
 * change. `node --import tsx test/bench/queue-probe.ts` (QUITA_BENCH_READS_DEBTORS, default 10000;
 * `--cpu-prof` for a profile). Not part of `npm run bench`.
 */
import pg from 'pg';
import type { Db } from '../../server/db/db';
import { openPglite } from '../../server/db/pglite';
import { openPostgres } from '../../server/db/postgres';
import { recordDebtorRead } from '../../server/lgpd/read-audit';
import { queueItems } from '../../server/cadence/queue';
import { loadQueuePage } from '../../server/cadence/queue-page';
import { loadSettings } from '../../server/settings/settings.repo';
import { seed } from './reads.bench';

const PAGE = 5000;
// QUITA_PROBE_COLUMNS=all: whole rows (what a page read before the list's columns).
const columns = process.env['QUITA_PROBE_COLUMNS'] === 'all' ? ('all' as const) : ('list' as const);
// QUITA_BENCH_DATABASE_URL: a PostgreSQL server (a scratch database is created and dropped);
// otherwise an in-memory PGlite.
const admin = process.env['QUITA_BENCH_DATABASE_URL'];
const scratch = `quita_qprobe_${process.pid}`;
let db: Db;
if (admin) {
  const client = new pg.Client(admin);
  await client.connect();
  await client.query(`CREATE DATABASE ${scratch}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${scratch}`;
  db = await openPostgres(url.toString());
} else db = await openPglite({});
const owner = await seed(db);
const settings = await loadSettings(db);
const now = new Date();
const [mid] = await db.query<{ id: string }>(
  `SELECT id FROM debtors ORDER BY id OFFSET 100 LIMIT 1`,
);
const times: Record<string, number[]> = { load: [], derive: [], json: [], audit: [], join: [] };
// CPU time of this process (PGlite runs in it too): wall time means little on a shared machine.
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let bytes = 0;
let items = 0;
for (let r = 0; r < 14; r++) {
  let t = cpu();
  await db.query(
    `SELECT d.*, t.* FROM debtors d JOIN debts t ON t.debtor_id = d.id AND t.status = 'open'
      WHERE d.id > $1 ORDER BY d.id LIMIT $2`,
    [mid?.id, PAGE],
  );
  times['join']?.push(cpu() - t);
  t = cpu();
  const page = await loadQueuePage(db, now, { limit: PAGE, cursor: mid?.id as string, columns });
  times['load']?.push(cpu() - t);
  t = cpu();
  const list = queueItems(page, settings, now, { role: 'owner' });
  times['derive']?.push(cpu() - t);
  t = cpu();
  const text = JSON.stringify({ items: list });
  times['json']?.push(cpu() - t);
  bytes = text.length;
  items = list.length;
  t = cpu();
  await recordDebtorRead(db, {
    actor: owner.user.id,
    action: 'cadence.queue',
    debtorIds: list.map((i) => i.debtor.id),
    detail: { date: 'x' },
  });
  times['audit']?.push(cpu() - t);
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
console.log(
  JSON.stringify({
    columns,
    loadavg: (await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' '),
    items,
    kib: Math.round(bytes / 1024),
    ...Object.fromEntries(
      Object.entries(times).map(([k, v]) => [
        k,
        `${med(v.slice(2)).toFixed(0)} (min ${Math.min(...v.slice(2)).toFixed(0)})`,
      ]),
    ),
  }),
);
if (process.env['QUITA_PROBE_PROFILE']) {
  // Profile only the derivation and serialisation of one loaded page, repeated.
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync, mkdirSync } = await import('node:fs');
  const page = await loadQueuePage(db, now, { limit: PAGE, cursor: mid?.id as string, columns });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  for (let r = 0; r < 10; r++)
    JSON.stringify({ items: queueItems(page, settings, now, { role: 'owner' }) });
  const { profile } = await session.post('Profiler.stop');
  const dir = process.env['QUITA_PROBE_PROFILE'];
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/derive.cpuprofile`, JSON.stringify(profile));
}
await db.close();
if (admin) {
  const client = new pg.Client(admin);
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
  await client.end();
}
