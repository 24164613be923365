// Dexie's liveQuery only runs when a global indexedDB exists; each phone gets its own factory.
import 'fake-indexeddb/auto';
import { recordFact } from '../db/record-fact';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, test } from 'vitest';
import { ensureDevice, openDb, type OutboxRow } from '../db/db';
import { createFakeSyncServer, type FakeSyncServer } from './fake-sync-server';
import {
  pruneRetained,
  retainDelivered,
  retainedFromSeq,
  RETAIN_MAX,
  RETENTION_DAYS,
} from './outbox';
import { createSyncEngine } from './sync-engine';

const D1 = '0190a000-0000-7000-8000-0000000000d1';
const DAY = 86_400_000;
const T0 = Date.parse('2025-03-10T12:00:00Z');

async function phone(server: FakeSyncServer) {
  const opened = await openDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  if (!opened.ok) throw new Error(opened.failure.message);
  const db = opened.db;
  await ensureDevice(db, { collectorId: 'c', newId: () => crypto.randomUUID() });
  const clock = { now: T0 };
  const engine = createSyncEngine({
    db,
    fetch: server.fetch,
    now: () => new Date(clock.now),
    random: () => 0.5,
    appVersion: '1.2.3',
  });
  const visit = async () =>
    (await engine.save({ type: 'visit.recorded', debtorId: D1, payload: { outcome: 'not_home' } }))
      .mutation_id;
  const sync = async () => {
    await engine.whenIdle();
    return engine.requestSync('manual');
  };
  return { db, engine, clock, visit, sync };
}

function pushBodies(server: FakeSyncServer) {
  return server.received
    .filter((r) => r.path === '/api/sync/push')
    .map((r) => r.body as { retained_from_seq?: number; mutations: { device_seq: number }[] });
}

/** Each id applied exactly once, and nothing else. */
function expectExactlyOnce(server: FakeSyncServer, ids: readonly string[]) {
  expect([...server.applied].sort()).toEqual([...ids].sort());
  for (const id of ids) expect(server.entities.has(`visit:${id}`), id).toBe(true);
}

describe('delivered facts are retained', () => {
  test('they leave the outbox (and the overlay) into retained; each push says what is held', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    const p = await phone(server);
    const a = await p.visit();
    const b = await p.visit();
    expect(await p.sync()).toMatchObject({ ok: true });
    expect(await p.db.outbox.count()).toBe(0);
    const kept = await p.db.retained.orderBy('device_seq').toArray();
    expect(kept.map((r) => [r.mutation_id, r.state, r.delivered_at])).toEqual([
      [a, 'acked', '2025-03-10T12:00:00.000Z'],
      [b, 'acked', '2025-03-10T12:00:00.000Z'],
    ]);
    await p.visit();
    await p.sync();
    // The lowest seq held, outbox and retained together; next_seq when nothing is held.
    expect(pushBodies(server).map((body) => body.retained_from_seq)).toEqual([1, 1]);
    await p.db.retained.clear();
    expect(await retainedFromSeq(p.db, 4)).toBe(4);
    p.db.close();
  });

  test('retained_from_seq is the start of the contiguous run up to next_seq', async () => {
    const opened = await openDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    if (!opened.ok) throw new Error(opened.failure.message);
    const db = opened.db;
    await ensureDevice(db, { collectorId: 'c', newId: () => crypto.randomUUID() });
    const rows: OutboxRow[] = [];
    for (let i = 0; i < 5; i++)
      rows.push(
        await recordFact(
          db,
          {
            mutation_id: crypto.randomUUID(),
            type: 'visit.recorded',
            type_version: 1,
            debtor_id: D1,
            occurred_at: '2025-03-10T09:00:00-03:00',
            payload: {},
          },
          'x',
        ),
      );
    const [r1, r2, r3, r4] = rows as [OutboxRow, OutboxRow, OutboxRow, OutboxRow];
    // 1 rejected (kept to show), 2 pruned, 3–4 retained, 5 pending.
    await db.outbox.update(r1.mutation_id, { state: 'rejected' });
    await db.outbox.delete(r2.mutation_id);
    await db.transaction('rw', db.outbox, db.retained, () =>
      retainDelivered(db, [r3, r4], '2025-03-10T12:00:00Z'),
    );
    expect(await retainedFromSeq(db, 6)).toBe(3);
    db.close();
  });

  const pruneCases: { name: string; agesDays: number[]; max?: number; kept: number[] }[] = [
    { name: 'older than the retention go', agesDays: [40, 31, 29, 1], kept: [3, 4] },
    { name: 'beyond the newest max go', agesDays: [5, 4, 3, 2, 1], max: 3, kept: [3, 4, 5] },
    { name: 'both limits', agesDays: [45, 10, 9, 8], max: 2, kept: [3, 4] },
    // An old row above a young one stays: what is kept must stay one run (retained_from_seq).
    { name: 'lowest first, stopping at the first kept', agesDays: [10, 40, 1], kept: [1, 2, 3] },
  ];
  test.each(pruneCases)('prune: $name', async ({ agesDays, max, kept }) => {
    const opened = await openDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    if (!opened.ok) throw new Error(opened.failure.message);
    const db = opened.db;
    await db.retained.bulkAdd(
      agesDays.map((age, i) => ({
        mutation_id: `m${i + 1}`,
        device_id: 'd',
        device_seq: i + 1,
        state: 'acked' as const,
        type: 'visit.recorded',
        type_version: 1,
        debtor_id: D1,
        occurred_at: 'x',
        payload: {},
        payload_hash: 'h',
        attempts: 1,
        created_at_device: 'x',
        delivered_at: new Date(T0 - age * DAY).toISOString(),
      })),
    );
    const dropped = await pruneRetained(db, new Date(T0), max === undefined ? {} : { max });
    expect(await db.retained.orderBy('device_seq').keys()).toEqual(kept);
    expect(dropped).toBe(agesDays.length - kept.length);
    db.close();
  });

  test('defaults: 30 days and 5,000 rows', () => {
    expect([RETENTION_DAYS, RETAIN_MAX]).toEqual([30, 5_000]);
  });
});

describe('server restored from an older backup', () => {
  const cases: {
    name: string;
    /** Facts synced before the backup, and after it (lost by the restore). */
    before: number;
    after: number;
    /** The facts after the backup were acked but their pull failed (still in the outbox). */
    undelivered?: boolean;
    /** A new fact is saved after the restore (else only the pull notices). */
    saveAfter: boolean;
  }[] = [
    { name: 'delivered facts lost, a new fact pushed', before: 2, after: 3, saveAfter: true },
    { name: 'delivered facts lost, nothing new to push', before: 2, after: 3, saveAfter: false },
    {
      name: 'acked-not-delivered facts lost, nothing new',
      before: 1,
      after: 2,
      undelivered: true,
      saveAfter: false,
    },
    {
      name: 'acked-not-delivered facts lost, a new fact',
      before: 1,
      after: 2,
      undelivered: true,
      saveAfter: true,
    },
    { name: 'backup with every fact: nothing resent', before: 3, after: 0, saveAfter: true },
  ];

  test.each(cases)('$name: every fact on the server exactly once', async (c) => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    const p = await phone(server);
    const ids: string[] = [];
    for (let i = 0; i < c.before; i++) ids.push(await p.visit());
    expect(await p.sync()).toMatchObject({ ok: true });
    const backup = server.backup();
    // Every pull fails: the facts get acked but never delivered back.
    if (c.undelivered) server.failNext('/api/sync/pull', 503, 1_000);
    for (let i = 0; i < c.after; i++) ids.push(await p.visit());
    await p.sync();
    server.clearFailures();
    expect(await p.db.outbox.count()).toBe(c.undelivered ? c.after : 0);

    server.restore(backup);
    expect(server.applied).toHaveLength(c.before);
    const pushesBefore = pushBodies(server).length;
    if (c.saveAfter) ids.push(await p.visit());
    const outcome = await p.sync();
    expect(outcome).toMatchObject({ ok: true });
    expectExactlyOnce(server, ids);
    expect(server.losses).toEqual([]);
    // The outbox drained; every fact is retained again and its server copy is local.
    expect(await p.db.outbox.count()).toBe(0);
    expect(await p.db.retained.count()).toBe(ids.length);
    for (const id of ids) expect(await p.db.facts.get(id), id).toBeDefined();
    // Facts the restored server still had were never resent.
    const resent = pushBodies(server)
      .slice(pushesBefore)
      .flatMap((body) => body.mutations.map((m) => m.device_seq));
    expect(resent.every((seq) => seq > c.before)).toBe(true);
    // Quiet afterwards: a further sync pushes nothing.
    expect(await p.sync()).toMatchObject({ ok: true, pushed: 0 });
    p.db.close();
  });

  test('a refused fact lost by the restore is refused again and still shown', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    const p = await phone(server);
    const first = await p.visit();
    await p.sync();
    const backup = server.backup();
    const bad = await p.engine.save({
      type: 'payment.recorded',
      debtorId: D1,
      payload: {
        debtId: '0190a000-0000-7000-8000-0000000000f1',
        date: '2025-03-10',
        amount: 0,
        method: 'cash',
        receiptNumber: 'R-1',
      },
    });
    await p.sync();
    server.restore(backup);
    const next = await p.visit();
    expect(await p.sync()).toMatchObject({ ok: true });
    expectExactlyOnce(server, [first, next]);
    expect(await p.db.outbox.get(bad.mutation_id)).toMatchObject({
      state: 'rejected',
      reason: 'invalid_payload: amount',
    });
    p.db.close();
  });

  test('retention pruned what the server lost: it re-bases, nothing is wedged, the outbox drains', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    const p = await phone(server);
    const ids = [await p.visit()];
    await p.sync();
    const backup = server.backup();
    for (let i = 0; i < 3; i++) ids.push(await p.visit());
    await p.sync();
    // 31 days on: the next cycle prunes everything retained.
    p.clock.now = T0 + (RETENTION_DAYS + 1) * DAY;
    await p.sync();
    expect(await p.db.retained.count()).toBe(0);

    server.restore(backup);
    const after = await p.visit();
    expect(await p.sync()).toMatchObject({ ok: true });
    expect(pushBodies(server).at(-1)?.retained_from_seq).toBe(5);
    // Seqs 2–4 are gone for good: the server skipped them and recorded the loss for the owner.
    expect(server.losses).toEqual([{ deviceId: expect.any(String), fromSeq: 2, toSeq: 4 }]);
    expect(server.applied).toEqual([ids[0], after]);
    expect(await p.db.outbox.count()).toBe(0);
    expect(await p.sync()).toMatchObject({ ok: true, pushed: 0 });
    p.db.close();
  });

  test('a server that cannot re-base (old server) is reported, not retried in a loop', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    const p = await phone(server);
    await p.visit();
    await p.sync();
    const backup = server.backup();
    await p.visit();
    await p.sync();
    await p.db.retained.clear();
    server.restore(backup);
    // Old client behaviour on the server side: retained_from_seq ignored.
    const fetchWithout = server.fetch;
    const old = createSyncEngine({
      db: p.db,
      fetch: async (input, init) => {
        if (typeof init?.body === 'string' && input.endsWith('/push')) {
          const { retained_from_seq: _ignored, ...body } = JSON.parse(init.body);
          return fetchWithout(input, { ...init, body: JSON.stringify(body) });
        }
        return fetchWithout(input, init);
      },
      now: () => new Date(T0),
      random: () => 0.5,
    });
    await p.engine.whenIdle();
    await p.db.outbox.clear();
    await recordFact(
      p.db,
      {
        mutation_id: crypto.randomUUID(),
        type: 'visit.recorded',
        type_version: 1,
        debtor_id: D1,
        occurred_at: '2025-03-10T09:00:00-03:00',
        payload: {},
      },
      'x',
    );
    const before = server.received.length;
    const outcome = await old.requestSync('manual');
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'permanent' } });
    expect(outcome.error?.message).toMatch(/sequência/);
    // One push (and the pull that still runs), not a loop.
    expect(server.received.slice(before).filter((r) => r.path === '/api/sync/push')).toHaveLength(
      1,
    );
    p.db.close();
  });
});
