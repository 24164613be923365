/**
 * In-process probe of one `cadence/today` page's CPU phases (load, derive, serialise) on an
 * in-memory PGlite seeded like the reads bench: where a page's time goes, before and after a
 * change. `node --import tsx test/bench/queue-probe.ts` (QUITA_BENCH_READS_DEBTORS, default 10000;
 * `--cpu-prof` for a profile). Not part of `npm run bench`.
 */
import { openPglite } from '../../server/db/pglite';
import { queueItems } from '../../server/cadence/queue';
import { loadQueuePage } from '../../server/cadence/queue-page';
import { loadSettings } from '../../server/settings/settings.repo';
import { seed } from './reads.bench';

const PAGE = 5000;
const db = await openPglite({});
await seed(db);
const settings = await loadSettings(db);
const now = new Date();
const [mid] = await db.query<{ id: string }>(
  `SELECT id FROM debtors ORDER BY id OFFSET 100 LIMIT 1`,
);
const times: Record<string, number[]> = { load: [], derive: [], json: [], join: [] };
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
  const page = await loadQueuePage(db, now, { limit: PAGE, cursor: mid?.id as string });
  times['load']?.push(cpu() - t);
  t = cpu();
  const list = queueItems(page, settings, now, { role: 'owner' });
  times['derive']?.push(cpu() - t);
  t = cpu();
  const text = JSON.stringify({ items: list });
  times['json']?.push(cpu() - t);
  bytes = text.length;
  items = list.length;
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
console.log(
  JSON.stringify({
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
  const page = await loadQueuePage(db, now, { limit: PAGE, cursor: mid?.id as string });
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
