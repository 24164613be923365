/**
 * Rows 1–2 of ./sync.bench.ts, measured from outside: `quita serve` runs as its own process on the
 * database (a PGlite data directory, or a PostgreSQL database of the bench cluster, fsync on) and
 * the bench talks to it over loopback HTTP with fetch, as phones do. The baseline is a second
 * process serving a bare Hono route (./bare-server.ts) that receives the same requests with the
 * same bodies in the same run, interleaved round by round.
 *
 * 1. Push: 50 collectors, one device each, every device pushing FACTS_PER_DEVICE facts (200 by
 *    default: the 50 × 200 of the issue; visit.recorded and payment.recorded alternately) in
 *    batches of 20, all devices at once, each device's batches in order as its outbox sends them.
 *    Every round pushes new facts (fresh ids, next device_seq, new receipt numbers); every fact
 *    must come back `applied`, and after the run the database must hold each fact exactly once
 *    (sync_mutations, visits, payments counted) or the bench fails.
 *    Beside the figure: CPU time of the server process and of the PostgreSQL backends during the
 *    measured rounds (/proc), and statements per push request (pg_stat_statements, when the
 *    cluster preloads it, as `npm run bench`'s throwaway cluster does).
 * 2. An incremental pull with nothing new, beside the bare GET answering `{}`.
 *
 * Users and their session tokens are written straight to the database before the server starts
 * (test/helpers/auth.ts); debtors, debts and assignments go through the API as an owner would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { CLIENT_SCHEMA_VERSION, type MutationInput } from '#shared/sync/envelope.schema';
import type { PushResult } from '#shared/sync/push.schema';
import type { PullResponse } from '#shared/sync/pull.schema';
import type { Db, DbKind } from '../../server/db/db';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { openPostgres } from '../../server/db/postgres';
import { seedUser, type SeededUser } from '../helpers/auth';
import { summariseProfiles } from './cpu-profile';
import { compare, verdict, type BenchResult } from './harness';
import { processCpuMs, PROFILE, startBare, startQuita, type BenchServer } from './server-process';

const DEVICES = 50;
const FACTS_PER_DEVICE = Number(process.env['QUITA_BENCH_SYNC_FACTS_PER_DEVICE'] ?? '200');
const BATCH = 20;
const DEBTORS_PER_COLLECTOR = 2;
const ROUNDS = Number(process.env['QUITA_BENCH_SYNC_ROUNDS'] ?? '2');
const PULL_ROUNDS = 20;
/** Issue 17's targets for 50 devices × 200 facts. */
const TARGET_FACTS_PER_SECOND: Record<DbKind, number> = { postgres: 5_000, pglite: 2_000 };

/** Sends a request and parses the JSON answer, failing loudly on an unexpected status. */
async function send<T>(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  json?: unknown,
): Promise<{ body: T; bytes: number }> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (json !== undefined) {
    init.headers = { ...headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(json);
  }
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  if (res.status >= 300) throw new Error(`bench sync: ${method} ${path} → ${res.status} ${text}`);
  return { body: JSON.parse(text) as T, bytes: Buffer.byteLength(text) };
}

/** ISO with a -03:00 offset, as a phone in São Paulo prints it. */
function localIso(ms: number): string {
  return new Date(ms - 3 * 3_600_000).toISOString().replace('Z', '-03:00');
}

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

interface BenchDevice {
  id: string;
  collector: SeededUser;
  debtors: { debtorId: string; debtId: string }[];
  /** Last device_seq used: the outbox sequence is gapless across rounds. */
  seq: number;
  cursor: string | undefined;
}

let receipts = 0;

/** One push body of BATCH new facts from `device`, alternating visits and payments. */
function pushBody(device: BenchDevice): unknown {
  const now = Date.now();
  const mutations: MutationInput[] = [];
  for (let i = 0; i < BATCH; i++) {
    device.seq++;
    const target = device.debtors[device.seq % device.debtors.length];
    if (!target) throw new Error('bench sync: device without debtors');
    receipts++;
    mutations.push({
      mutation_id: uuidv7(),
      device_id: device.id,
      device_seq: device.seq,
      type: device.seq % 2 === 0 ? 'visit.recorded' : 'payment.recorded',
      type_version: 1,
      debtor_id: target.debtorId,
      occurred_at: localIso(now),
      payload:
        device.seq % 2 === 0
          ? { outcome: 'not_home', notes: 'portão fechado' }
          : {
              debtId: target.debtId,
              date: '2025-03-10',
              // R$ 1,00: the rounds' reports stay within the R$ 1.000 debt's open balance (a
              // report above what is open is refused, not applied).
              amount: 100,
              method: 'cash',
              receiptNumber: `R-${receipts}`,
            },
    });
  }
  return {
    protocol: 1,
    device_id: device.id,
    app_version: '1.0.0',
    schema_version: CLIENT_SCHEMA_VERSION,
    device_now: localIso(now),
    health: HEALTH,
    mutations,
  };
}

/** Every device sends its facts in batches, all devices concurrently. */
async function pushAll(
  devices: readonly BenchDevice[],
  post: (device: BenchDevice, body: unknown) => Promise<void>,
): Promise<void> {
  await Promise.all(
    devices.map(async (device) => {
      for (let sent = 0; sent < FACTS_PER_DEVICE; sent += BATCH)
        await post(device, pushBody(device));
    }),
  );
}

function pullHeaders(device: BenchDevice): Record<string, string> {
  return {
    ...device.collector.headers,
    'x-quita-device': device.id,
    'x-quita-health': encodeURIComponent(
      JSON.stringify({ device_now: localIso(Date.now()), health: HEALTH }),
    ),
  };
}

/** Pulls until has_more is false. */
async function catchUp(base: string, device: BenchDevice): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    const q = new URLSearchParams({ limit: '500' });
    if (device.cursor !== undefined) q.set('cursor', device.cursor);
    const res = await send<PullResponse>(base, 'GET', `/api/sync/pull?${q}`, pullHeaders(device));
    if (res.body.reset_required) {
      device.cursor = undefined;
      continue;
    }
    device.cursor = res.body.cursor;
    if (!res.body.has_more) return;
  }
  throw new Error('bench sync: pull did not finish');
}

/** The bench's database: where the server finds it, a handle for checks, cleanup. */
interface BenchDb {
  env: Record<string, string>;
  /** Opens a handle (PGlite only while the server is stopped: one process per data dir). */
  open(): Promise<Db>;
  /** The PostgreSQL database name, for pg_stat_* queries. */
  pgName?: string;
  /** The admin database's URL: stats queries never count against the bench database. */
  adminUrl?: string;
  remove(): Promise<void>;
}

async function adminQuery<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function prepareDb(kind: DbKind, adminUrl: string | undefined): Promise<BenchDb> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'quita-push-bench-'));
    const dataDir = join(dir, 'data');
    return {
      env: { QUITA_DATA_DIR: dataDir },
      open: () => openPglite({ dataDir }),
      remove: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!adminUrl) throw new Error('bench sync: no PostgreSQL URL');
  const name = `quita_bench_${uuidv7().replaceAll('-', '').slice(-12)}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    open: async () => openPostgres(url.toString(), { max: 2 }),
    pgName: name,
    adminUrl,
    remove: async () => {
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** CPU ms of the PostgreSQL backends serving `dbName` so far (they live as long as the pool). */
async function backendCpuMs(bench: BenchDb): Promise<number> {
  if (!bench.adminUrl || !bench.pgName) return 0;
  const rows = await adminQuery<{ pid: number }>(
    bench.adminUrl,
    'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [bench.pgName],
  );
  return rows.reduce((sum, r) => sum + processCpuMs(r.pid), 0);
}

/** Statement counts from pg_stat_statements; null when the cluster does not preload it. */
async function statementStats(
  bench: BenchDb,
  reset: boolean,
): Promise<{ calls: number; top: string[] } | null> {
  if (!bench.adminUrl) return null;
  try {
    await adminQuery(bench.adminUrl, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    if (reset) {
      await adminQuery(bench.adminUrl, 'SELECT pg_stat_statements_reset()');
      return { calls: 0, top: [] };
    }
    const rows = await adminQuery<{ calls: string; mean: number; query: string }>(
      bench.adminUrl,
      `SELECT s.calls, s.mean_exec_time AS mean, s.query FROM pg_stat_statements s
         JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 ORDER BY s.calls DESC`,
      [bench.pgName],
    );
    return {
      calls: rows.reduce((n, r) => n + Number(r.calls), 0),
      top: rows
        .slice(0, 15)
        .map(
          (r) =>
            `${String(r.calls).padStart(8)} × ${r.mean.toFixed(3)} ms  ${r.query.replace(/\s+/g, ' ').slice(0, 110)}`,
        ),
    };
  } catch (error) {
    console.error(`bench sync: no statement counts (${(error as Error).message})`);
    return null;
  }
}

async function seedUsers(bench: BenchDb): Promise<{ owner: SeededUser; collectors: SeededUser[] }> {
  const db = await bench.open();
  try {
    await migrate(db);
    const owner = await seedUser(db, 'owner');
    const collectors: SeededUser[] = [];
    for (let c = 0; c < DEVICES; c++)
      collectors.push(await seedUser(db, 'collector', { name: `Cobrador ${c + 1}` }));
    return { owner, collectors };
  } finally {
    await db.close();
  }
}

async function seedLedger(
  base: string,
  owner: SeededUser,
  collectors: readonly SeededUser[],
): Promise<BenchDevice[]> {
  const devices: BenchDevice[] = [];
  for (const [c, collector] of collectors.entries()) {
    const debtors: BenchDevice['debtors'] = [];
    for (let d = 0; d < DEBTORS_PER_COLLECTOR; d++) {
      const debtor = await send<{ id: string }>(base, 'POST', '/api/debtors', owner.headers, {
        kind: 'person',
        name: `Devedor ${c + 1}.${d + 1}`,
      });
      const debt = await send<{ id: string }>(base, 'POST', '/api/debts', owner.headers, {
        debtorId: debtor.body.id,
        description: 'Mensalidade fevereiro',
        principal: 100_000,
        issueDate: '2025-01-08',
        dueDate: '2025-02-08',
        kind: 'consumer',
      });
      debtors.push({ debtorId: debtor.body.id, debtId: debt.body.id });
    }
    await send(base, 'POST', '/api/assignments', owner.headers, {
      collectorId: collector.user.id,
      debtorIds: debtors.map((d) => d.debtorId),
    });
    devices.push({ id: crypto.randomUUID(), collector, debtors, seq: 0, cursor: undefined });
  }
  return devices;
}

/** Every pushed fact exactly once: one dedupe record, one visit or payment each. */
async function checkExactlyOnce(db: Db, devices: readonly BenchDevice[]): Promise<string> {
  const pushed = devices.reduce((n, d) => n + d.seq, 0);
  const visits = devices.reduce((n, d) => n + Math.floor(d.seq / 2), 0);
  const [row] = await db.query<{ mutations: number; visits: number; payments: number }>(
    `SELECT (SELECT count(*)::int FROM sync_mutations WHERE status = 'applied') AS mutations,
            (SELECT count(*)::int FROM visits) AS visits,
            (SELECT count(*)::int FROM payments) AS payments`,
  );
  const expected = { mutations: pushed, visits, payments: pushed - visits };
  if (
    row?.mutations !== expected.mutations ||
    row.visits !== expected.visits ||
    row.payments !== expected.payments
  )
    throw new Error(
      `bench sync: exactly-once broken: stored ${JSON.stringify(row)}, expected ${JSON.stringify(expected)}`,
    );
  return `${pushed.toLocaleString('en')} facts, each stored once`;
}

/** Push and no-change pull figures for one database, server out of process. */
export async function pushBench(
  kind: DbKind,
  adminUrl: string | undefined,
): Promise<BenchResult[]> {
  const label = kind === 'pglite' ? 'PGlite' : 'PostgreSQL, fsync on';
  const bench = await prepareDb(kind, adminUrl);
  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'quita-push-prof-')) : undefined;
  let quita: BenchServer | undefined;
  let bare: BenchServer | undefined;
  try {
    const t0 = performance.now();
    const { owner, collectors } = await seedUsers(bench);
    quita = await startQuita(bench.env, profileDir);
    bare = await startBare();
    const base = quita.url;
    const devices = await seedLedger(base, owner, collectors);
    // Initial snapshot first, so the pull figure below is a device that is up to date.
    for (const device of devices) await catchUp(base, device);
    console.error(`bench sync: ${label} seeded in ${Math.round(performance.now() - t0)} ms`);

    let rejected = 0;
    const reasons = new Map<string, number>();
    // The baseline builds its bodies from copies, so the real devices' sequences stay gapless.
    const shadows = devices.map((d) => ({ ...d }));
    const facts = DEVICES * FACTS_PER_DEVICE;
    const requests = (DEVICES * FACTS_PER_DEVICE) / BATCH;
    const cpu = { server: 0, backends: 0, wall: 0 };
    await statementStats(bench, true);
    const bareUrl = bare.url;
    const push = await compare(
      `sync push (${label})`,
      `${facts.toLocaleString('en')} facts: ${DEVICES} devices × ${FACTS_PER_DEVICE}, batches of ${BATCH}, concurrent, over HTTP`,
      {
        name: 'POST /api/sync/push (quita serve, own process)',
        run: async () => {
          const server = processCpuMs(quita?.pid ?? 0);
          const backends = await backendCpuMs(bench);
          const t = performance.now();
          await pushAll(devices, async (device, body) => {
            const res = await send<PushResult>(
              base,
              'POST',
              '/api/sync/push',
              device.collector.headers,
              body,
            );
            if (res.body.acked_through_seq !== device.seq)
              throw new Error(
                `bench sync: push acked ${res.body.acked_through_seq}, sent ${device.seq}`,
              );
            for (const r of res.body.results)
              if (r.status !== 'applied') {
                rejected++;
                const why = `${r.status}${'reason' in r && r.reason ? `: ${r.reason}` : ''}`;
                reasons.set(why, (reasons.get(why) ?? 0) + 1);
              }
          });
          cpu.wall += performance.now() - t;
          cpu.server += processCpuMs(quita?.pid ?? 0) - server;
          cpu.backends += (await backendCpuMs(bench)) - backends;
        },
      },
      {
        name: 'bare Hono POST (own process), same requests and bodies',
        run: () =>
          pushAll(shadows, async (device, body) => {
            await send(bareUrl, 'POST', '/x', device.collector.headers, body);
          }),
      },
      ROUNDS,
    );
    if (rejected > 0)
      throw new Error(
        `bench sync: ${rejected} facts not applied (${[...reasons].map(([why, n]) => `${n} × ${why}`).join('; ')})`,
      );
    const stats = await statementStats(bench, false);
    const factsPerSecond = Math.round(facts / (push.subject.medianMs / 1000));
    const serverCpu = Math.round((100 * cpu.server) / cpu.wall);
    const backendCpu = Math.round((100 * cpu.backends) / cpu.wall);
    push.extra = {
      factsPerSecond,
      baselineRequestsAsFactsPerSecond: Math.round(facts / (push.baseline.medianMs / 1000)),
      serverCpuPercentOfOneCore: serverCpu,
      ...(kind === 'postgres' ? { postgresBackendsCpuPercentOfOneCore: backendCpu } : {}),
      ...(stats
        ? { statementsPerPush: +(stats.calls / ((ROUNDS + 1) * requests)).toFixed(1) }
        : {}),
    };
    const cpuNote =
      kind === 'postgres'
        ? `server process ${serverCpu}% of a core, PostgreSQL backends ${backendCpu}% (2 cores, shared with the bench client)`
        : `server process ${serverCpu}% of a core (PGlite runs inside it; 2 cores, shared with the bench client)`;
    push.verdicts = [
      verdict({
        target: `push ${DEVICES} devices × ${FACTS_PER_DEVICE} facts, ${label} ≥ ${TARGET_FACTS_PER_SECOND[kind].toLocaleString('en')} facts/s`,
        value: factsPerSecond,
        limit: TARGET_FACTS_PER_SECOND[kind],
        better: 'higher',
        unit: ' facts/s',
        why: cpuNote,
      }),
    ];
    if (stats && PROFILE)
      console.error(`bench sync: ${label} statements:\n${stats.top.join('\n')}`);

    // The device catches up on its own pushed facts; after that nothing is new for it.
    const device = devices[0];
    if (!device) throw new Error('bench sync: no devices');
    await catchUp(base, device);
    const path = `/api/sync/pull?${new URLSearchParams({ cursor: device.cursor ?? '', limit: '500' })}`;
    let pullBytes = 0;
    let emptyBytes = 0;
    const pull = await compare(
      `sync pull, no changes (${label})`,
      'one incremental pull at the latest cursor, over HTTP',
      {
        name: 'GET /api/sync/pull (quita serve, own process)',
        run: async () => {
          const res = await send<PullResponse>(base, 'GET', path, pullHeaders(device));
          if (res.body.changes.length > 0 || res.body.has_more)
            throw new Error('bench sync: an up-to-date pull returned changes');
          pullBytes = res.bytes;
        },
      },
      {
        name: 'bare Hono GET answering {} (own process)',
        run: async () => {
          emptyBytes = (await send(bareUrl, 'GET', '/x', pullHeaders(device))).bytes;
        },
      },
      PULL_ROUNDS,
    );
    pull.extra = { responseBytes: pullBytes, emptyJsonBytes: emptyBytes, targetBytes: 1024 };

    await quita.stop();
    quita = undefined;
    const db = await bench.open();
    try {
      push.extra['exactlyOnce'] = await checkExactlyOnce(db, devices);
    } finally {
      await db.close();
    }
    if (profileDir)
      console.error(`bench sync: ${label} server profile\n${summariseProfiles(profileDir)}`);
    return [push, pull];
  } finally {
    await quita?.stop().catch(() => {});
    await bare?.stop();
    await bench.remove();
    if (profileDir && !process.env['QUITA_BENCH_KEEP_PROFILE'])
      rmSync(profileDir, { recursive: true, force: true });
    else if (profileDir) console.error(`bench sync: profiles kept in ${profileDir}`);
  }
}
