/**
 * Randomized fault injection for offline sync (reference/sync.md §5.10 H, the Jepsen shape
 * in-process): several simulated phones — fake-indexeddb + the REAL Dexie database and sync
 * engine from pwa/ — against the REAL server app (createApp, in-process via app.request) on a
 * PGlite data directory on disk and on PostgreSQL, through a faulty network (drop the request,
 * lose the response after the server handled it, duplicate it, delay it, hold it in a "proxy"
 * while the phone times out and retries so it reaches the server after later requests), with
 * device clock offsets, devices killed mid-sync (in-memory state discarded, IndexedDB kept),
 * server restarts (the database closed and opened again from disk / a new pool), epoch bumps
 * (a restore: every phone must start its pull over and keep its outbox), and reassignment of
 * debtors between collectors mid-run.
 *
 * At quiet time (network healed, every device synced until idle) it checks:
 * (a) every fact a device created is on the server exactly once — applied, or rejected with the
 *     same reason the device shows — and a duplicate application would show in the contact log;
 * (c) every outbox is empty or holds only rejected rows;
 * (d) every device's server tables equal what a fresh device of the same collector pulls;
 * (e) no debtor outside the collector's current assignments is left on any device;
 * (f) the server's device health rows say the outboxes are empty.
 *
 * Bounded for CI (~28 s of runs, shared between the databases); `npm run soak` runs longer
 * (QUITA_SOAK_MS, default 5 min).
 * A failure prints the seed and the shrunk scenario: replay with QUITA_SYNC_SEED=<seed> (and
 * QUITA_SYNC_PATH), then paste the scenario into REGRESSIONS.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../server/app';
import type { Db, DbKind } from '../server/db/db';
import { ensureDevice, openDb, type QuitaDb } from '../pwa/db/db';
import { createSyncEngine, type FetchLike, type SyncEngine } from '../pwa/sync/sync-engine';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import { bumpEpoch } from '../server/sync/maintenance';
import { availableDbKinds, openReopenableTestDb } from './helpers/test-db';

const SOAK = process.env['QUITA_SOAK'] === '1';
const TIME_LIMIT_MS = SOAK ? Number(process.env['QUITA_SOAK_MS'] ?? 600_000) : 28_000;
/**
 * Shrunk counterexamples that once failed, pasted as data (a seed alone breaks whenever the
 * generators change). Each replays on every run.
 */
const REGRESSIONS: { name: string; scenario: Scenario }[] = [
  {
    // A rejected promise whose push response was lost came back as `duplicate` on the retry and
    // the engine took it for an ack, deleting the rejected row from the phone. Fixed: a duplicate
    // carries the outcome stored the first time.
    name: 'lost response of a rejected push stays rejected (seed -126221574)',
    scenario: {
      faults: [
        ['ok', 'lose', 'delay', 'lose', 'lose'],
        ['delay', 'delay', 'delay', 'ok', 'delay', 'dup', 'dup', 'ok'],
        ['delay', 'lose', 'ok', 'ok', 'delay', 'dup', 'drop', 'ok', 'drop', 'ok', 'delay'],
      ],
      ops: [
        { kind: 'sync', dev: 0 },
        { kind: 'save', dev: 0, pick: 0, fact: 'visit', amount: 42231 },
        { kind: 'sync', dev: 0 },
        { kind: 'save', dev: 0, pick: 13, fact: 'payment', amount: 28374 },
        { kind: 'sync', dev: 2 },
        { kind: 'restartServer' },
        { kind: 'save', dev: 2, pick: 11, fact: 'promise', amount: 25368 },
        { kind: 'save', dev: 0, pick: 47, fact: 'promise', amount: 10843 },
        { kind: 'save', dev: 1, pick: 1, fact: 'visit', amount: 7823 },
        { kind: 'save', dev: 0, pick: 26, fact: 'promise', amount: 23371 },
        { kind: 'sync', dev: 0 },
        { kind: 'syncAll' },
        { kind: 'save', dev: 0, pick: 39, fact: 'visit', amount: 7694 },
      ],
    },
  },
];

const DEBTORS = 5;
const HOUR = 3_600_000;

type Fault = 'ok' | 'drop' | 'lose' | 'dup' | 'delay' | 'hold';
type FactKind = 'visit' | 'payment' | 'promise';

type Op =
  | { kind: 'save'; dev: number; pick: number; fact: FactKind; amount: number }
  | { kind: 'sync'; dev: number }
  | { kind: 'syncAll' }
  | { kind: 'kill'; dev: number; afterMs: number }
  | { kind: 'reassign'; debtor: number; to: number }
  | { kind: 'clock'; dev: number; offsetMs: number }
  | { kind: 'restartServer' }
  | { kind: 'bumpEpoch' }
  | { kind: 'edit'; dev: number; pick: number; channel: 'sms' | 'whatsapp' | 'email' }
  | { kind: 'cancel'; dev: number; pick: number }
  | { kind: 'upgrade'; dev: number };

interface Scenario {
  /** Device → collector index (0 or 1); two devices share collector 0 (§5.10 E.32). */
  faults: Fault[][];
  ops: Op[];
}

const DEVICE_COLLECTORS = [0, 0, 1] as const;

const faultArb = fc.constantFrom<Fault>('ok', 'ok', 'ok', 'drop', 'lose', 'dup', 'delay', 'hold');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('save' as const),
      dev: fc.nat({ max: DEVICE_COLLECTORS.length - 1 }),
      pick: fc.nat({ max: 50 }),
      fact: fc.constantFrom<FactKind>('visit', 'payment', 'payment', 'promise'),
      amount: fc.integer({ min: 1, max: 50_000 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('sync' as const),
      dev: fc.nat({ max: DEVICE_COLLECTORS.length - 1 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('syncAll' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('kill' as const),
      dev: fc.nat({ max: DEVICE_COLLECTORS.length - 1 }),
      afterMs: fc.nat({ max: 15 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reassign' as const),
      debtor: fc.nat({ max: DEBTORS - 1 }),
      to: fc.nat({ max: 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('clock' as const),
      dev: fc.nat({ max: DEVICE_COLLECTORS.length - 1 }),
      offsetMs: fc.constantFrom(0, 2 * HOUR, -2 * HOUR, 90_000, -30 * 24 * HOUR),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restartServer' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bumpEpoch' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      dev: fc.nat({ max: DEVICE_COLLECTORS.length - 1 }),
      pick: fc.nat({ max: 50 }),
      channel: fc.constantFrom('sms' as const, 'whatsapp' as const, 'email' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      dev: fc.nat({ max: DEVICE_COLLECTORS.length - 1 }),
      pick: fc.nat({ max: 50 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('upgrade' as const),
      dev: fc.nat({ max: DEVICE_COLLECTORS.length - 1 }),
    }),
  },
);

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  faults: fc.array(fc.array(faultArb, { minLength: 1, maxLength: 12 }), {
    minLength: DEVICE_COLLECTORS.length,
    maxLength: DEVICE_COLLECTORS.length,
  }),
  ops: fc.array(opArb, { minLength: 5, maxLength: 35 }),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface World {
  db: Db;
  /** Closes the database and opens it again from its storage: the server process restarts. */
  reopen: () => Promise<Db>;
  closeDb: () => Promise<void>;
  app: ReturnType<typeof createApp>;
  clock: ReturnType<typeof testClock>;
  owner: SeededUser;
  collectors: SeededUser[];
  debtors: { id: string; debtId: string }[];
}

let world: World;

function newApp(db: Db, clock: World['clock']) {
  return createApp({ db, version: 'test', now: clock.now, logError: () => {} });
}

async function setUpWorld(kind: DbKind): Promise<World> {
  const stored = await openReopenableTestDb(kind);
  const db = stored.db;
  const clock = testClock('2025-03-10T12:00:00Z');
  const app = newApp(db, clock);
  const owner = await seedUser(db, 'owner', { now: clock.now() });
  const collectors = [
    await seedUser(db, 'collector', { now: clock.now() }),
    await seedUser(db, 'collector', { now: clock.now() }),
  ];
  const debtors: World['debtors'] = [];
  for (let i = 0; i < DEBTORS; i++) {
    const id = await createDebtor(app, owner);
    const debtId = await createDebt(app, owner, id);
    debtors.push({ id, debtId });
  }
  return {
    db,
    reopen: () => stored.reopen(),
    closeDb: () => stored.close(),
    app,
    clock,
    owner,
    collectors,
    debtors,
  };
}

/** One simulated phone: its own IndexedDB, engine, clock offset and fault schedule. */
interface Phone {
  index: number;
  collector: SeededUser;
  idb: IDBFactory;
  dbName: string;
  db: QuitaDb;
  engine: SyncEngine;
  offsetMs: number;
  faults: Fault[];
  faultAt: number;
  chaos: boolean;
  /** Every fact this phone saved: mutation id and kind (edits and cancels are not counted). */
  created: { id: string; fact: FactKind }[];
  /** Promise cancellations saved: [cancel mutation id, promise id]. */
  cancels: [string, string][];
  /** Phones start on Dexie schema v1 and are upgraded mid-run with whatever is in the outbox. */
  schemaVersion: number | undefined;
  deviceId: string;
}

/**
 * Requests stuck in the network (a proxy that times out towards the phone but forwards later).
 * Each is delivered right after the NEXT request any phone gets through, so it reaches the server
 * after the phone's own retry: reordered, not just late. Its answer goes nowhere.
 */
let held: (() => Promise<void>)[] = [];

async function deliverHeld(): Promise<void> {
  const stuck = held;
  held = [];
  for (const deliver of stuck) await deliver();
}

function phoneFetch(phone: Phone): FetchLike {
  return async (input, init) => {
    const sendNow = async () =>
      world.app.request(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), ...phone.collector.headers },
      });
    const send = async () => {
      const res = await sendNow();
      await deliverHeld();
      return res;
    };
    const fault: Fault = phone.chaos
      ? (phone.faults[phone.faultAt++ % phone.faults.length] ?? 'ok')
      : 'ok';
    switch (fault) {
      case 'drop':
        throw new TypeError('network down: request never left the phone');
      case 'lose': {
        const res = await send();
        await res.text();
        throw new TypeError('connection reset after the server answered');
      }
      case 'dup': {
        // The same request twice at once (retrying proxy, double tap): the server must apply once.
        const [first, second] = await Promise.all([send(), send()]);
        await second.text();
        return first;
      }
      case 'delay':
        await sleep(1 + (phone.faultAt % 7));
        return send();
      case 'hold':
        held.push(async () => {
          await (await sendNow()).text();
        });
        throw new TypeError('timeout: no answer from the server');
      default:
        return send();
    }
  };
}

async function bootPhone(phone: Omit<Phone, 'db' | 'engine'> & Partial<Phone>): Promise<Phone> {
  const opened = await openDb({
    indexedDB: phone.idb,
    IDBKeyRange,
    name: phone.dbName,
    ...(phone.schemaVersion === undefined ? {} : { upToVersion: phone.schemaVersion }),
  });
  if (!opened.ok) throw new Error(opened.failure.message);
  const full = phone as Phone;
  full.db = opened.db;
  const device = await ensureDevice(full.db, {
    collectorId: phone.collector.user.id,
    newId: () => crypto.randomUUID(),
  });
  full.deviceId = device.device_id;
  full.engine = createSyncEngine({
    db: full.db,
    fetch: phoneFetch(full),
    now: () => new Date(world.clock.now().getTime() + full.offsetMs),
    random: () => 0.5,
    health: { persisted: async () => true, displayMode: () => 'standalone', userAgent: 'fault' },
    appVersion: 'fault-test',
    pageLimit: 3,
    batchSize: 4,
    integrityEvery: 3,
  });
  return full;
}

async function newPhone(index: number, collector: SeededUser, faults: Fault[]): Promise<Phone> {
  return bootPhone({
    index,
    collector,
    idb: new IDBFactory(),
    dbName: `phone-${index}`,
    offsetMs: 0,
    faults,
    faultAt: 0,
    chaos: true,
    created: [],
    cancels: [],
    schemaVersion: 1,
    deviceId: '',
  });
}

async function saveFact(phone: Phone, op: Extract<Op, { kind: 'save' }>): Promise<void> {
  // A collector records facts about the debtors their phone shows (pulled or not yet).
  const debtors = await phone.db.debtors.toArray();
  const target = debtors.length > 0 ? debtors[op.pick % debtors.length] : undefined;
  if (!target) return;
  const debts = await phone.db.debts.where('debtor_id').equals(target.id).toArray();
  const debtId = debts[0]?.id;
  const today = new Date(world.clock.now().getTime() + phone.offsetMs).toISOString().slice(0, 10);
  let row;
  if (op.fact === 'visit')
    row = await phone.engine.save({
      type: 'visit.recorded',
      debtorId: target.id,
      payload: { outcome: op.amount % 2 ? 'not_home' : 'refused' },
    });
  else if (!debtId) return;
  else if (op.fact === 'payment')
    row = await phone.engine.save({
      type: 'payment.recorded',
      debtorId: target.id,
      payload: {
        debtId,
        date: today,
        amount: op.amount,
        method: 'cash',
        receiptNumber: `R-${phone.index}-${phone.created.length}-${op.amount}`,
      },
    });
  else
    row = await phone.engine.save({
      type: 'promise.created',
      debtorId: target.id,
      payload: {
        debtIds: [debtId],
        amount: op.amount,
        dueDate: '2025-03-20',
        madeOn: '2025-03-10',
      },
    });
  phone.created.push({ id: row.mutation_id, fact: op.fact });
}

type Comparable = { id: string; version: number; data: unknown; type?: string }[];
const sortById = (rows: Comparable) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));

async function serverView(db: QuitaDb) {
  return db.transaction('r', db.debtors, db.debts, db.facts, async () => ({
    debtors: sortById(await db.debtors.toArray()),
    debts: sortById(await db.debts.toArray()),
    facts: sortById(await db.facts.toArray()),
  }));
}

async function runScenario(scenario: Scenario): Promise<{ created: number; rejected: number }> {
  const { collectors, debtors, owner } = world;
  held = [];
  // `world.db` changes when the server restarts: queries always go to the current handle.
  // Start from a known assignment: debtors alternate between the two collectors.
  for (let c = 0; c < collectors.length; c++)
    await assign(
      world.app,
      owner,
      (collectors[c] as SeededUser).user.id,
      debtors.filter((_, i) => i % 2 === c).map((d) => d.id),
    );
  const [{ n: visitContactsBefore }] = (await world.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM contact_log WHERE channel = 'visit'`,
  )) as [{ n: number }];

  const phones: Phone[] = [];
  for (let i = 0; i < DEVICE_COLLECTORS.length; i++)
    phones.push(
      await newPhone(
        i,
        collectors[DEVICE_COLLECTORS[i] as number] as SeededUser,
        scenario.faults[i] ?? ['ok'],
      ),
    );
  try {
    // Installed while online: each phone pulls its debtors once before the field work starts.
    for (const phone of phones) {
      phone.chaos = false;
      const started = await phone.engine.requestSync('start');
      expect(started.ok, JSON.stringify(started)).toBe(true);
      phone.chaos = true;
    }
    for (const op of scenario.ops) {
      switch (op.kind) {
        case 'save':
          await saveFact(phones[op.dev] as Phone, op);
          break;
        case 'sync':
          await (phones[op.dev] as Phone).engine.requestSync('manual');
          break;
        case 'syncAll':
          // Concurrent syncs: with delays and duplicates, requests interleave at the server.
          await Promise.all(phones.map((p) => p.engine.requestSync('timer')));
          break;
        case 'kill': {
          const phone = phones[op.dev] as Phone;
          const inFlight = phone.engine.requestSync('manual');
          await sleep(op.afterMs);
          // The tab dies: memory is gone, IndexedDB stays (whatever committed).
          phone.db.close();
          await inFlight.catch(() => undefined);
          await phone.engine.whenIdle().catch(() => undefined);
          phones[op.dev] = await bootPhone(phone);
          break;
        }
        case 'reassign':
          await assign(world.app, owner, (collectors[op.to] as SeededUser).user.id, [
            (debtors[op.debtor] as { id: string }).id,
          ]);
          break;
        case 'clock':
          (phones[op.dev] as Phone).offsetMs = op.offsetMs;
          break;
        case 'edit': {
          const phone = phones[op.dev] as Phone;
          const debtors = await phone.db.debtors.toArray();
          const target = debtors[op.pick % Math.max(1, debtors.length)];
          if (target)
            await phone.engine.save({
              type: 'debtor.field_updated',
              debtorId: target.id,
              baseVersion: target.version,
              payload: { field: 'preferredChannel', new_value: op.channel },
            });
          break;
        }
        case 'cancel': {
          // Per-device causal order: a promise created and cancelled offline, in any batch split.
          const phone = phones[op.dev] as Phone;
          const promises = phone.created.filter((c) => c.fact === 'promise');
          const promise = promises[op.pick % Math.max(1, promises.length)];
          const row = promise && (await phone.db.outbox.get(promise.id));
          const debtorId =
            row?.debtor_id ?? (promise && (await phone.db.facts.get(promise.id))?.debtor_id);
          if (promise && debtorId && !phone.cancels.some(([, p]) => p === promise.id)) {
            const saved = await phone.engine.save({
              type: 'promise.cancelled',
              debtorId,
              payload: { promiseId: promise.id, reason: 'cliente desistiu' },
            });
            phone.cancels.push([saved.mutation_id, promise.id]);
          }
          break;
        }
        case 'upgrade': {
          const phone = phones[op.dev] as Phone;
          if (phone.schemaVersion === undefined) break;
          await phone.engine.whenIdle();
          phone.db.close();
          phone.schemaVersion = undefined;
          phones[op.dev] = await bootPhone(phone);
          break;
        }
        case 'restartServer':
          // The process dies between requests and starts again: its database is closed and
          // opened again from disk (PGlite) or through a new pool (PostgreSQL), and a fresh app
          // (stateless servers) must carry on from what was committed.
          world.db = await world.reopen();
          world.app = newApp(world.db, world.clock);
          break;
        case 'bumpEpoch':
          // A restore or compaction: every phone gets reset_required on its next pull, pulls a
          // new snapshot and must keep (and still push) its outbox.
          await bumpEpoch(world.db);
          break;
      }
    }
    for (const phone of phones) await phone.engine.whenIdle();
    // Whatever is still stuck in the network arrives before the quiet rounds.
    await deliverHeld();

    // Quiet time: heal the network, sync until every phone is idle, then once more so each
    // phone sees what its siblings pushed last.
    for (const phone of phones) phone.chaos = false;
    let quietRounds = 0;
    for (let round = 0; round < 12 && quietRounds < 2; round++) {
      let pushed = 0;
      for (const phone of phones) {
        const outcome = await phone.engine.requestSync('manual');
        expect(outcome.ok, `phone ${phone.index}: ${JSON.stringify(outcome.error)}`).toBe(true);
        pushed += outcome.pushed;
      }
      quietRounds = pushed === 0 ? quietRounds + 1 : 0;
    }
    expect(quietRounds, 'phones never went quiet').toBe(2);

    // (c) outboxes hold only rejected rows.
    for (const phone of phones) {
      const left = await phone.db.outbox.toArray();
      expect(
        left.filter((r) => r.state !== 'rejected').map((r) => [r.type, r.state]),
        `phone ${phone.index} outbox`,
      ).toEqual([]);
    }

    // (a) every created fact is on the server exactly once, with the outcome the phone shows.
    const created = phones.flatMap((p) => p.created.map((c) => ({ ...c, phone: p })));
    const ids = created.map((c) => c.id);
    const stored = await world.db.query<{
      mutation_id: string;
      status: string;
      reason: string | null;
    }>(
      'SELECT mutation_id, status, reason FROM sync_mutations WHERE mutation_id = ANY($1::uuid[])',
      [ids],
    );
    const byId = new Map(stored.map((s) => [s.mutation_id, s]));
    expect(byId.size).toBe(ids.length);
    const tables: Record<FactKind, string> = {
      visit: 'visits',
      payment: 'payments',
      promise: 'promises',
    };
    let appliedVisits = 0;
    for (const c of created) {
      const s = byId.get(c.id);
      const local = await c.phone.db.outbox.get(c.id);
      const rows = await world.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${tables[c.fact]} WHERE id = $1`,
        [c.id],
      );
      if (s?.status === 'rejected') {
        expect(local, `rejected ${c.fact} ${c.id} must stay visible on the phone`).toMatchObject({
          state: 'rejected',
          reason: s.reason,
        });
        expect(rows[0]?.n).toBe(0);
      } else {
        expect(local, `${c.fact} ${c.id} (${s?.status}) left in the outbox`).toBeUndefined();
        expect(rows[0]?.n, `${c.fact} ${c.id} stored ${rows[0]?.n} times`).toBe(1);
        if (c.fact === 'visit') appliedVisits++;
      }
    }
    // Causal order: an applied cancellation always finds its promise and leaves it cancelled.
    for (const phone of phones)
      for (const [cancelId, promiseId] of phone.cancels) {
        const [cancel] = await world.db.query<{ status: string }>(
          'SELECT status FROM sync_mutations WHERE mutation_id = $1',
          [cancelId],
        );
        expect(cancel, `cancellation ${cancelId} never reached the server`).toBeDefined();
        if (cancel?.status === 'applied') {
          const [promise] = await world.db.query<{ status: string }>(
            'SELECT status FROM promises WHERE id = $1',
            [promiseId],
          );
          expect(promise?.status).toBe('cancelled');
        }
      }
    // A visit applied twice would spend the contact budget twice.
    const [{ n: visitContactsAfter }] = (await world.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM contact_log WHERE channel = 'visit'`,
    )) as [{ n: number }];
    expect(visitContactsAfter - visitContactsBefore).toBe(appliedVisits);

    // (d) + (e): every phone equals a fresh phone of the same collector, and holds only the
    // collector's current debtors.
    for (let c = 0; c < collectors.length; c++) {
      const collector = collectors[c] as SeededUser;
      const oracle = await newPhone(100 + c, collector, ['ok']);
      oracle.chaos = false;
      expect((await oracle.engine.requestSync('manual')).ok).toBe(true);
      const expected = await serverView(oracle.db);
      const assigned = (
        await world.db.query<{ debtor_id: string }>(
          'SELECT debtor_id FROM assignments WHERE collector_id = $1 AND ended_at IS NULL',
          [collector.user.id],
        )
      )
        .map((r) => r.debtor_id)
        .sort();
      expect(expected.debtors.map((d) => d.id)).toEqual(assigned);
      for (const phone of phones.filter((p) => p.collector === collector)) {
        const view = await serverView(phone.db);
        expect(
          view.debtors.map((d) => d.id),
          `phone ${phone.index} debtors`,
        ).toEqual(assigned);
        expect(view, `phone ${phone.index} converged`).toEqual(expected);
      }
      oracle.db.close();
    }

    // (f) the owner's device table reflects the phones' last reports.
    for (const phone of phones) {
      const [row] = await world.db.query<{ outbox_pending: number; outbox_rejected: number }>(
        'SELECT outbox_pending, outbox_rejected FROM sync_devices WHERE id = $1',
        [phone.deviceId],
      );
      const rejected = await phone.db.outbox.where('state').equals('rejected').count();
      expect(row, `device ${phone.index} health`).toMatchObject({
        outbox_pending: 0,
        outbox_rejected: rejected,
      });
    }
    return {
      created: created.length,
      rejected: [...byId.values()].filter((s) => s.status === 'rejected').length,
    };
  } finally {
    for (const phone of phones) phone.db.close();
  }
}

// Both databases when PostgreSQL is available (§4.10: PGlite hides concurrency bugs); the time
// budget is shared between them.
const KINDS = availableDbKinds();
const PER_KIND_MS = Math.round(TIME_LIMIT_MS / KINDS.length);

describe.each(KINDS)('sync under faults (randomized) on %s', (kind) => {
  beforeAll(async () => {
    world = await setUpWorld(kind);
  });
  afterAll(async () => {
    await world?.closeDb();
  });

  test('a scripted smoke scenario converges', async () => {
    const summary = await runScenario({
      faults: [
        ['ok', 'hold'],
        ['lose', 'dup', 'ok'],
        ['drop', 'hold', 'ok'],
      ],
      ops: [
        { kind: 'syncAll' },
        { kind: 'save', dev: 0, pick: 0, fact: 'payment', amount: 1500 },
        { kind: 'save', dev: 0, pick: 1, fact: 'visit', amount: 1 },
        { kind: 'save', dev: 2, pick: 0, fact: 'promise', amount: 5000 },
        { kind: 'sync', dev: 1 },
        { kind: 'reassign', debtor: 0, to: 1 },
        { kind: 'save', dev: 1, pick: 0, fact: 'visit', amount: 2 },
        { kind: 'syncAll' },
        { kind: 'kill', dev: 2, afterMs: 2 },
        { kind: 'clock', dev: 1, offsetMs: 2 * HOUR },
        { kind: 'save', dev: 1, pick: 2, fact: 'payment', amount: 300 },
        { kind: 'restartServer' },
        { kind: 'syncAll' },
        { kind: 'bumpEpoch' },
        { kind: 'save', dev: 0, pick: 0, fact: 'visit', amount: 3 },
        { kind: 'syncAll' },
      ],
    });
    // Saves only happen on debtors a phone already pulled, so faults can skip some.
    expect(summary.created).toBeGreaterThanOrEqual(3);
  });

  test.each(REGRESSIONS)('regression: $name', async ({ scenario }) => {
    await runScenario(scenario);
  });

  test(
    'random workloads and faults: exactly once, empty outboxes, convergence, no revoked debtor',
    async () => {
      const seed = process.env['QUITA_SYNC_SEED'];
      const path = process.env['QUITA_SYNC_PATH'];
      const started = Date.now();
      let runs = 0;
      let facts = 0;
      let rejected = 0;
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (scenario) => {
          runs++;
          const summary = await runScenario(scenario);
          facts += summary.created;
          rejected += summary.rejected;
        }),
        {
          numRuns: SOAK ? 1_000_000 : 200,
          interruptAfterTimeLimit: PER_KIND_MS,
          markInterruptAsFailure: false,
          ...(seed === undefined ? {} : { seed: Number(seed) }),
          ...(path === undefined ? {} : { path }),
          // Shrinking replays the workload many times; keep it bounded in CI.
          endOnFailure: !SOAK && seed === undefined,
        },
      );
      console.info(
        `sync-faults (${kind}): ${runs} scenarios, ${facts} facts (${rejected} rejected) in ${Date.now() - started} ms`,
      );
      expect(runs).toBeGreaterThan(0);
    },
    PER_KIND_MS + 120_000,
  );
});
