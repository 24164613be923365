/**
 * A quick in-process probe of the push's cost per fact (not a benchmark: the figures of record
 * come from `npm run bench -- sync`, server out of process): 10 collectors push 20-fact batches
 * through the app (app.request, no HTTP), one request at a time, and it prints Node's CPU and
 * the wall time per fact. On PGlite the database runs in this thread, so the CPU figure bounds
 * the facts/s one server can take. `node --import tsx test/bench/push-cpu-probe.ts` (PGlite in
 * memory) or with PGURL=postgres://… (a database it may migrate).
 */
import { uuidv7 } from 'uuidv7';
import { CLIENT_SCHEMA_VERSION } from '#shared/sync/envelope.schema';
import { createApp } from '../../server/app';
import type { Db, Queryable, TransactionOptions, Tx } from '../../server/db/db';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { openPostgres } from '../../server/db/postgres';
import { summariesSettled } from '../../server/ledger/summary-refresher';
import { seedUser } from '../helpers/auth';
const url = process.env['PGURL'];
const dataDir = process.env['PGLITE_DIR'];
const db = url
  ? openPostgres(url, { max: 10 })
  : await openPglite(dataDir ? { dataDir } : undefined);
await migrate(db);
/** PROBE_SQL=1: time spent per statement (first 70 characters), printed at the end. */
const perSql = new Map<string, { n: number; ms: number }>();
let timing = false;
const timed = <T extends Queryable>(q: T): T =>
  new Proxy(q, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== 'query' || typeof value !== 'function') return value;
      return async (sql: string, params?: readonly unknown[]) => {
        const t = performance.now();
        try {
          return await (value as Queryable['query']).call(target, sql, params);
        } finally {
          if (timing) {
            const key = sql.replace(/\s+/g, ' ').trim().slice(0, 70);
            const e = perSql.get(key) ?? { n: 0, ms: 0 };
            e.n += 1;
            e.ms += performance.now() - t;
            perSql.set(key, e);
          }
        }
      };
    },
  });
const appDb: Db =
  process.env['PROBE_SQL'] === '1'
    ? Object.assign(Object.create(db) as Db, {
        query: timed(db).query,
        transaction: <T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions) =>
          db.transaction((tx) => fn(timed(tx)), options),
      })
    : db;
const app = createApp({ db: appDb, version: 'x', logError: (m, e) => console.error(m, e) });
const owner = await seedUser(db, 'owner');
const devices: {
  id: string;
  headers: Record<string, string>;
  debtor: string;
  debt: string;
  seq: number;
}[] = [];
const DEVICES = Number(process.env['PROBE_DEVICES'] ?? '10');
for (let c = 0; c < DEVICES; c++) {
  const col = await seedUser(db, 'collector');
  const post = async (path: string, body: unknown) =>
    (await (
      await app.request(path, {
        method: 'POST',
        headers: { ...owner.headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()) as { id: string };
  const debtor = await post('/api/debtors', { kind: 'person', name: `D ${c}` });
  const debt = await post('/api/debts', {
    debtorId: debtor.id,
    description: 'x',
    principal: 100000,
    issueDate: '2025-01-08',
    dueDate: '2025-02-08',
    kind: 'consumer',
  });
  await post('/api/assignments', { collectorId: col.user.id, debtorIds: [debtor.id] });
  devices.push({
    id: crypto.randomUUID(),
    headers: col.headers,
    debtor: debtor.id,
    debt: debt.id,
    seq: 0,
  });
}
let r = 0;
const body = (d: (typeof devices)[number]) => {
  const mutations = Array.from({ length: 20 }, () => {
    d.seq++;
    r++;
    return {
      mutation_id: uuidv7(),
      device_id: d.id,
      device_seq: d.seq,
      type: d.seq % 2 ? 'payment.recorded' : 'visit.recorded',
      type_version: 1,
      debtor_id: d.debtor,
      occurred_at: '2025-03-10T09:00:00.000-03:00',
      payload:
        d.seq % 2
          ? {
              debtId: d.debt,
              date: '2025-03-10',
              amount: 100,
              method: 'cash',
              receiptNumber: `R-${r}`,
            }
          : { outcome: 'not_home', notes: 'portão fechado' },
    };
  });
  return JSON.stringify({
    protocol: 1,
    device_id: d.id,
    app_version: '1.0.0',
    schema_version: CLIENT_SCHEMA_VERSION,
    device_now: '2025-03-10T09:00:00.000-03:00',
    health: {
      app_version: '1.0.0',
      schema_version: CLIENT_SCHEMA_VERSION,
      outbox_pending: 0,
      outbox_oldest_pending_at: null,
      outbox_rejected: 0,
      persisted: true,
      storage_usage: 1,
      storage_quota: 100,
      installed: true,
      last_error: null,
      user_agent: 'x',
    },
    mutations,
  });
};
const pushOnce = async (d: (typeof devices)[number]) => {
  const res = await app.request('/api/sync/push', {
    method: 'POST',
    headers: { ...d.headers, 'content-type': 'application/json' },
    body: body(d),
  });
  if (res.status !== 200) throw new Error(await res.text());
  const answer = (await res.json()) as { results: { status: string; reason?: string }[] };
  const refused = answer.results.find((x) => x.status !== 'applied');
  if (refused) throw new Error(`probe: ${refused.status} ${refused.reason ?? ''}`);
};
/** PROBE_CONCURRENT=1: every device sends its batches at once (pushes are grouped, push-group.ts). */
const concurrent = process.env['PROBE_CONCURRENT'] === '1';
const round = async (n: number) => {
  if (concurrent)
    await Promise.all(
      devices.map(async (d) => {
        for (let i = 0; i < n; i++) await pushOnce(d);
      }),
    );
  else for (let i = 0; i < n; i++) for (const d of devices) await pushOnce(d);
};
await round(3);
timing = true;
const t = process.cpuUsage();
const w = performance.now();
await round(Number(process.env['PROBE_ROUNDS'] ?? '10'));
const u = process.cpuUsage(t);
const facts = Number(process.env['PROBE_ROUNDS'] ?? '10') * devices.length * 20;
console.log(
  `${url ? 'pg' : 'pglite'}${concurrent ? ' concurrent' : ''}: node cpu ${((u.user + u.system) / facts).toFixed(1)} µs/fact, wall ${(((performance.now() - w) * 1000) / facts).toFixed(1)} µs/fact`,
);
// The summaries' background refresh (kicked by the pushes) ends before the database closes.
await summariesSettled(appDb);
for (const [sql, e] of [...perSql].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
  console.log(`${(e.ms / e.n).toFixed(2).padStart(8)} ms × ${String(e.n).padStart(5)}  ${sql}`);
await db.close();
