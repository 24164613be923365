// Dexie's liveQuery only runs when a global indexedDB exists (it is read when Dexie loads); each
// simulated device still gets its own factory below.
import 'fake-indexeddb/auto';
import { effect } from '@preact/signals';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, test } from 'vitest';
import { createDb, ensureDevice, openDb, SCHEMA_VERSION, type QuitaDb } from '../db/db';
import { uuidv7 } from 'uuidv7';
import { debtorModel } from '../models/read-models';
import { backoffDelay, BACKOFF_BASE_MS } from './backoff';
import { HEALTH_HEADER } from '#shared/sync/pull.schema';
import { createFakeSyncServer, type FakeSyncServer } from './fake-sync-server';
import { applyPullPage, resetServerState } from './pull-apply';
import {
  createSyncEngine,
  type LockManagerLike,
  type SyncEngineDeps,
  type SyncEvent,
} from './sync-engine';

const D1 = '0190a000-0000-7000-8000-0000000000d1';
const D2 = '0190a000-0000-7000-8000-0000000000d2';

async function device(
  server: FakeSyncServer,
  overrides: Partial<SyncEngineDeps> & { fetch?: SyncEngineDeps['fetch'] } = {},
) {
  const opened = await openDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  if (!opened.ok) throw new Error(opened.failure.message);
  const db = opened.db;
  await ensureDevice(db, { collectorId: 'c', newId: () => crypto.randomUUID() });
  const events: SyncEvent[] = [];
  const engine = createSyncEngine({
    db,
    fetch: server.fetch,
    now: () => new Date('2025-03-10T12:00:00Z'),
    random: () => 0.5,
    onEvent: (e) => events.push(e),
    health: { persisted: async () => true, displayMode: () => 'standalone', userAgent: 'test' },
    appVersion: '1.2.3',
    ...overrides,
  });
  return { db, engine, events };
}

/** Waits (bounded) for a liveQuery-fed condition; the machine may be slow. */
async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function payment(amount = 2500) {
  return {
    debtId: '0190a000-0000-7000-8000-0000000000f1',
    date: '2025-03-10',
    amount,
    method: 'cash' as const,
    receiptNumber: 'R-1',
  };
}

async function outboxStates(db: QuitaDb) {
  return (await db.outbox.orderBy('device_seq').toArray()).map((r) => r.state);
}

describe('push and pull', () => {
  test('save → push → pull: acked once, server copy local, outbox emptied, health sent', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    const { db, engine } = await device(server);
    const saved = await engine.save({ type: 'payment.recorded', debtorId: D1, payload: payment() });
    const outcome = await engine.requestSync('manual');
    expect(outcome).toMatchObject({ ok: true });
    expect(server.applied).toEqual([saved.mutation_id]);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.facts.get(saved.mutation_id))?.data['amount']).toBe(2500);
    const pushBody = server.received.find((r) => r.path === '/api/sync/push')?.body as {
      health: Record<string, unknown>;
    };
    expect(pushBody.health).toMatchObject({
      app_version: '1.2.3',
      persisted: true,
      installed: true,
      display_mode: 'standalone',
      outbox_pending: 1,
    });
    const dev = await db.device.get('device');
    expect(dev?.cursor).toMatch(/^1\.\d+$/);
    expect(dev?.last_pull_ok_at).not.toBeNull();
  });

  test('response lost after the server applied the batch: retry is a duplicate, applied once', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    let loseNext = true;
    const { db, engine } = await device(server, {
      fetch: async (input, init) => {
        const res = await server.fetch(input, init);
        if (loseNext && input.includes('/push')) {
          loseNext = false;
          throw new TypeError('connection reset');
        }
        return res;
      },
    });
    await engine.save({ type: 'visit.recorded', debtorId: D1, payload: { outcome: 'not_home' } });
    const first = await engine.requestSync('manual');
    expect(first.error?.kind).toBe('transient');
    expect(await outboxStates(db)).toEqual(['sending']);
    expect((await engine.requestSync('retry')).ok).toBe(true);
    expect(server.applied).toHaveLength(1);
    expect(await db.outbox.count()).toBe(0);
  });

  test('a permanent reject is kept with its reason and does not block later facts', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    const { db, engine, events } = await device(server);
    const bad = await engine.save({ type: 'payment.recorded', debtorId: D1, payload: payment(0) });
    const good = await engine.save({
      type: 'visit.recorded',
      debtorId: D1,
      payload: { outcome: 'refused' },
    });
    await engine.requestSync('manual');
    expect(server.applied).toEqual([good.mutation_id]);
    expect(await db.outbox.get(bad.mutation_id)).toMatchObject({
      state: 'rejected',
      reason: 'invalid_payload: amount',
    });
    expect(events).toContainEqual({
      type: 'rejected',
      mutationId: bad.mutation_id,
      reason: 'invalid_payload: amount',
    });
    const next = server.received.filter((r) => r.path === '/api/sync/push').at(-1)?.body as {
      health: { outbox_rejected: number };
    };
    expect(next.health.outbox_rejected).toBe(0); // reported on the NEXT request…
    await engine.requestSync('manual');
    const later = server.received.filter((r) => r.path === '/api/sync/pull').at(-1);
    expect(later).toBeDefined();
  });

  test('a reject whose response was lost is still a reject on retry (stored outcome)', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    let lose = true;
    const { db, engine } = await device(server, {
      fetch: async (input, init) => {
        const res = await server.fetch(input, init);
        if (lose && input.includes('/push')) {
          lose = false;
          throw new TypeError('connection reset');
        }
        return res;
      },
    });
    const bad = await engine.save({ type: 'payment.recorded', debtorId: D1, payload: payment(0) });
    await engine.whenIdle();
    await engine.requestSync('retry');
    expect(await db.outbox.get(bad.mutation_id)).toMatchObject({
      state: 'rejected',
      reason: 'invalid_payload: amount',
    });
  });

  test('503 is transient: nothing lost, backoff with jitter scheduled, then it goes through', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    server.failNext('/api/sync/push', 503, 1);
    const scheduled: number[] = [];
    const { db, engine, events } = await device(server, {
      timers: { set: (_fn, ms) => scheduled.push(ms), clear: () => {} },
    });
    const stop = engine.start();
    await engine.whenIdle();
    await engine.save({ type: 'visit.recorded', debtorId: D1, payload: { outcome: 'moved' } });
    await engine.whenIdle();
    const retries = events.filter((e) => e.type === 'retry-scheduled');
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(scheduled.every((ms) => ms > 0)).toBe(true);
    expect(await db.outbox.count()).toBe(1);
    expect((await engine.requestSync('retry')).ok).toBe(true);
    expect(await db.outbox.count()).toBe(0);
    stop();
  });

  test('backoff grows, is capped and jittered', () => {
    expect(backoffDelay(1, () => 0.999)).toBeLessThan(BACKOFF_BASE_MS);
    expect(backoffDelay(5, () => 0.999)).toBeGreaterThan(backoffDelay(2, () => 0.999));
    expect(backoffDelay(50, () => 0.999)).toBeLessThanOrEqual(5 * 60_000);
    expect(backoffDelay(3, () => 0)).toBe(BACKOFF_BASE_MS / 4);
  });

  test('a push the server refuses (400) is surfaced, and the pull still runs', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    const { db, engine } = await device(server);
    await engine.requestSync('start');
    server.putDebtor(D2);
    server.failNext('/api/sync/push', 400);
    await engine.save({ type: 'visit.recorded', debtorId: D1, payload: { outcome: 'moved' } });
    await engine.whenIdle();
    expect(await outboxStates(db)).toEqual(['sending']);
    expect(await db.debtors.get(D2)).toBeDefined();
    expect((await db.device.get('device'))?.last_error).toBe('indisponível');
    expect((await engine.requestSync('manual')).ok).toBe(true);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.device.get('device'))?.last_error).toBeNull();
  });

  test('401 is surfaced as auth, not retried in a loop', async () => {
    const server = createFakeSyncServer();
    server.failNext('/api/sync/devices', 401);
    const { db, engine } = await device(server);
    const outcome = await engine.requestSync('start');
    expect(outcome.error?.kind).toBe('auth');
    expect((await db.device.get('device'))?.last_error).toBe('indisponível');
  });

  test('another tab holding the Web Lock: this tab does not sync', async () => {
    const server = createFakeSyncServer();
    const locks: LockManagerLike = {
      request: (_name, _options, callback) => callback(null),
    };
    const { engine } = await device(server, { locks });
    expect(await engine.requestSync('start')).toMatchObject({ busy: true });
    expect(server.received).toHaveLength(0);
  });

  test('first sync reports progress per page', async () => {
    const server = createFakeSyncServer();
    for (let i = 0; i < 5; i++) server.putDebtor(`0190a000-0000-7000-8000-00000000000${i}`);
    const { db, engine, events } = await device(server, { pageLimit: 2 });
    await engine.requestSync('start');
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.map((e) => e.type === 'progress' && [e.firstSync, e.pages, e.changes])).toEqual(
      [
        [true, 1, 2],
        [true, 2, 4],
        [true, 3, 5],
      ],
    );
    expect(await db.debtors.count()).toBe(5);
  });

  test('a server built for a newer client: pushes go through, pulls say upgrade, nothing dropped', async () => {
    const server = createFakeSyncServer({ oldestSchemaVersion: SCHEMA_VERSION + 1 });
    server.putDebtor(D1);
    const { db, engine, events } = await device(server);
    const saved = await engine.save({ type: 'payment.recorded', debtorId: D1, payload: payment() });
    expect(await engine.requestSync('manual')).toMatchObject({ ok: true });
    expect(server.applied).toEqual([saved.mutation_id]);
    expect(events.some((e) => e.type === 'upgrade-required')).toBe(true);
    // The page was still applied: the phone keeps working on the data it has.
    expect(await db.debtors.count()).toBe(1);
    expect((await db.facts.get(saved.mutation_id))?.data['amount']).toBe(2500);
    // What is saved afterwards waits in the outbox like anything else, and still goes out.
    const later = await engine.save({
      type: 'payment.recorded',
      debtorId: D1,
      payload: payment(100),
    });
    expect(await db.outbox.get(later.mutation_id)).toMatchObject({ state: 'pending' });
    await engine.requestSync('manual');
    expect(server.applied).toEqual([saved.mutation_id, later.mutation_id]);
    // A current client is not asked.
    const current = createFakeSyncServer({ oldestSchemaVersion: SCHEMA_VERSION });
    const fresh = await device(current);
    await fresh.engine.requestSync('manual');
    expect(fresh.events.some((e) => e.type === 'upgrade-required')).toBe(false);
  });
});

describe('overlay', () => {
  test('no flicker: a pending payment stays visible, counted once, through ack and pull', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1, { totalDue: 10_000 });
    const { db, engine } = await device(server);
    await engine.requestSync('start');
    // Pull fails once after the push succeeds: the row is acked but not yet delivered back.
    server.failNext('/api/sync/pull', 503);
    const model = debtorModel(db, D1);
    const frames: { ids: string[]; origins: string[]; balance: number | undefined }[] = [];
    const stop = effect(() => {
      const { debtor, timeline } = model.value.value;
      frames.push({
        ids: timeline.map((i) => i.id),
        origins: timeline.map((i) => i.origin),
        balance: debtor?.provisionalBalance,
      });
    });
    await until(() => frames.length > 1);
    const saved = await engine.save({
      type: 'payment.recorded',
      debtorId: D1,
      payload: payment(2500),
    });
    await engine.whenIdle();
    expect(await outboxStates(db)).toEqual(['acked']);
    await until(() => frames.some((f) => f.ids.includes(saved.mutation_id)));
    await engine.requestSync('retry');
    expect(await db.outbox.count()).toBe(0);
    // The last frame shows the server copy (the payment went pending → acked → server).
    await until(() => frames.at(-1)?.origins.join() === 'server');
    stop();
    model.dispose();
    const after = frames.slice(frames.findIndex((f) => f.ids.includes(saved.mutation_id)));
    expect(after.length).toBeGreaterThan(1);
    for (const frame of after) {
      expect(frame.ids.filter((id) => id === saved.mutation_id)).toHaveLength(1);
      expect(frame.balance).toBe(7500);
    }
  });
});

describe('pull applier', () => {
  test('remove (revocation) deletes the debtor and its facts but never the outbox', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    server.putDebtor(D2);
    let offline = false;
    const { db, engine } = await device(server, {
      fetch: (input, init) =>
        offline ? Promise.reject(new TypeError('offline')) : server.fetch(input, init),
    });
    await engine.save({ type: 'visit.recorded', debtorId: D1, payload: { outcome: 'paid' } });
    await engine.whenIdle();
    expect(await db.facts.where('debtor_id').equals(D1).count()).toBe(1);
    // Offline: a new fact about D1 waits in the outbox while D1 is reassigned away.
    offline = true;
    const pending = await engine.save({
      type: 'payment.recorded',
      debtorId: D1,
      payload: payment(),
    });
    await engine.whenIdle();
    const before = await db.outbox.toArray();
    expect(before.map((r) => r.state)).toEqual(['sending']);
    await applyPullPage(
      db,
      {
        changes: [{ op: 'remove', entity: 'debtor', id: D1 }],
        cursor: '1.99',
        has_more: false,
        epoch: 1,
        acked_through_seq: 0,
        server_now: '2025-03-10T12:00:00Z',
      },
      { now: '2025-03-10T12:00:00Z', deliveredAcks: [pending.mutation_id] },
    );
    expect(await db.debtors.get(D1)).toBeUndefined();
    expect(await db.facts.where('debtor_id').equals(D1).count()).toBe(0);
    expect(await db.debtors.get(D2)).toBeDefined();
    expect(await db.outbox.toArray()).toEqual(before);
    // …and it is still pushed.
    offline = false;
    await engine.requestSync('online');
    expect(server.applied).toContain(pending.mutation_id);
  });

  test('a page applied twice (crash before the next page) leaves the same state', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1, { totalDue: 5000 });
    const { db } = await device(server);
    const page = await (await server.fetch('/api/sync/pull?limit=10')).json();
    await applyPullPage(db, page, { now: 'x' });
    const once = { d: await db.debtors.toArray(), dev: await db.device.get('device') };
    await applyPullPage(db, page, { now: 'x' });
    expect({ d: await db.debtors.toArray(), dev: await db.device.get('device') }).toEqual(once);
    // An older copy never overwrites a newer one.
    server.putDebtor(D1, { totalDue: 4000 });
    const newer = await (
      await server.fetch(`/api/sync/pull?limit=10&cursor=${page.cursor}`)
    ).json();
    await applyPullPage(db, newer, { now: 'x' });
    await applyPullPage(db, page, { now: 'x' });
    expect((await db.debtors.get(D1))?.data['totalDue']).toBe(4000);
  });

  test('reset_required: server tables wiped and re-pulled, the outbox kept', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    const { db, engine, events } = await device(server);
    await engine.save({ type: 'payment.recorded', debtorId: D1, payload: payment(0) }); // rejected
    await engine.requestSync('start');
    // A stale row the server no longer has: a reset must drop it.
    await db.debtors.put({ id: D2, version: 1, data: { name: 'fantasma' } });
    server.bumpEpoch();
    const outboxBefore = await db.outbox.toArray();
    expect(outboxBefore).toHaveLength(1);
    expect((await engine.requestSync('visible')).ok).toBe(true);
    expect(events.some((e) => e.type === 'reset')).toBe(true);
    expect(await db.outbox.toArray()).toEqual(outboxBefore);
    expect((await db.debtors.toArray()).map((d) => d.id)).toEqual([D1]);
    expect((await db.device.get('device'))?.cursor).toMatch(/^2\./);
  });

  test('resetServerState never touches pending rows', async () => {
    const server = createFakeSyncServer();
    const { db, engine } = await device(server, {
      fetch: () => Promise.reject(new TypeError('offline')),
    });
    await engine.save({ type: 'visit.recorded', debtorId: D1, payload: { outcome: 'not_home' } });
    await db.debtors.put({ id: D1, version: 1, data: {} });
    await resetServerState(db);
    expect(await db.debtors.count()).toBe(0);
    expect(await outboxStates(db)).toEqual(['pending']);
  });
});

describe('triggers and recovery', () => {
  test('online, visible and pageshow trigger a sync; hidden does not; stop detaches', async () => {
    const server = createFakeSyncServer();
    const listeners = new Map<string, () => void>();
    let visibility = 'visible';
    const target = {
      addEventListener: (type: string, fn: () => void) => listeners.set(type, fn),
      removeEventListener: (type: string) => listeners.delete(type),
      visibilityState: () => visibility,
    };
    const { engine, events } = await device(server, {
      timers: { set: () => 0, clear: () => {} },
    });
    const stop = engine.start(target);
    await engine.whenIdle();
    const reasons = () =>
      events.flatMap((e) => (e.type === 'sync-start' ? e.reasons : [])).join(',');
    listeners.get('online')?.();
    await engine.whenIdle();
    visibility = 'hidden';
    listeners.get('visibilitychange')?.();
    await engine.whenIdle();
    visibility = 'visible';
    listeners.get('visibilitychange')?.();
    await engine.whenIdle();
    listeners.get('pageshow')?.();
    await engine.whenIdle();
    expect(reasons()).toBe('start,online,visible,visible');
    stop();
    expect(listeners.size).toBe(0);
  });

  test('integrity check drops a debtor the server no longer assigns, with its cached facts', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    const { db, engine } = await device(server, { integrityEvery: 1 });
    await engine.requestSync('start');
    // A stale copy (missed remove, old backup) and a fact cached about it.
    await db.debtors.put({ id: D2, version: 1, data: { name: 'fantasma' } });
    await db.facts.put({ id: 'f', debtor_id: D2, type: 'visit', version: 1, data: {} });
    await engine.requestSync('timer');
    expect((await db.debtors.toArray()).map((d) => d.id)).toEqual([D1]);
    expect(await db.facts.get('f')).toBeUndefined();
  });

  test('a dropped IndexedDB connection is reopened once and the save goes through', async () => {
    const server = createFakeSyncServer();
    const { db, engine } = await device(server, {
      fetch: () => Promise.reject(new TypeError('offline')),
    });
    db.close();
    const row = await engine.save({
      type: 'visit.recorded',
      debtorId: D1,
      payload: { outcome: 'moved' },
    });
    expect(row.device_seq).toBe(1);
    expect(await db.outbox.count()).toBe(1);
  });

  test('disk full during a pull: the page rolls back, the cursor stays, the outbox is kept, health says so', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    server.putDebtor(D2);
    // The browser's quota refusal, where IndexedDB raises it: on a write into one store.
    let fullOn: string | null = null;
    const db = createDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    db.use({
      stack: 'dbcore',
      name: 'quota',
      create: (down) => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          return {
            ...table,
            mutate: (req) =>
              name === fullOn
                ? Promise.reject(
                    new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
                  )
                : table.mutate(req),
          };
        },
      }),
    });
    await db.open();
    await ensureDevice(db, { collectorId: 'c', newId: () => crypto.randomUUID() });
    // What each request reported: the health block rides in the body or, on a pull, a header.
    const reported: (boolean | undefined)[] = [];
    const engine = createSyncEngine({
      db,
      fetch: (input, init) => {
        const header = new Headers(init?.headers).get(HEALTH_HEADER);
        const carrier = header
          ? JSON.parse(decodeURIComponent(header))
          : typeof init?.body === 'string'
            ? JSON.parse(init.body)
            : {};
        reported.push((carrier as { health?: { storage_full?: boolean } }).health?.storage_full);
        return server.fetch(input, init);
      },
      now: () => new Date('2025-03-10T12:00:00Z'),
      random: () => 0.5,
    });
    const visit = await engine.save({
      type: 'visit.recorded',
      debtorId: D1,
      payload: { outcome: 'not_home' },
    });
    fullOn = 'debtors';
    const outcome = await engine.requestSync('manual');
    expect(outcome.ok).toBe(false);
    // Transient: retried later with backoff (the collector may free space), never dropped.
    expect(outcome.error).toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(/sem espaço/),
    });
    const dev = await db.device.get('device');
    expect(dev?.cursor).toBeNull();
    expect(dev?.storage_full_at).toBe('2025-03-10T12:00:00.000Z');
    expect(await db.debtors.count()).toBe(0);
    // The push went through before the pull failed: the fact is acked, and still on the phone.
    expect(server.applied).toEqual([visit.mutation_id]);
    expect(await db.outbox.get(visit.mutation_id)).toMatchObject({ state: 'acked' });
    // The next request tells the server (and the owner) the phone is full.
    fullOn = null;
    expect(reported.every((flag) => flag === false)).toBe(true);
    reported.length = 0;
    expect(await engine.requestSync('retry')).toMatchObject({ ok: true });
    expect(reported[0]).toBe(true);
    // Space freed: the same page is applied from the same cursor, and the flag clears.
    expect((await db.debtors.toArray()).map((d) => d.id).sort()).toEqual([D1, D2].sort());
    expect(await db.outbox.count()).toBe(0);
    expect((await db.device.get('device'))?.storage_full_at).toBeNull();
    reported.length = 0;
    await engine.requestSync('manual');
    expect(reported[0]).toBe(false);
    // A save refused for lack of space says so and leaves nothing half-written.
    fullOn = 'outbox';
    const seqBefore = (await db.device.get('device'))?.next_seq;
    await expect(
      engine.save({ type: 'visit.recorded', debtorId: D1, payload: { outcome: 'moved' } }),
    ).rejects.toThrow(/sem espaço: nada foi salvo/);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.device.get('device'))?.next_seq).toBe(seqBefore);
    db.close();
  });

  test('the phone clock jumping back between saves: sequence order kept, ids unique, all applied in order', async () => {
    const server = createFakeSyncServer();
    server.putDebtor(D1);
    let clock = Date.parse('2025-03-10T12:00:00Z');
    const { db, engine } = await device(server, {
      now: () => new Date(clock),
      // The real generator, fed by the same jumping clock (uuidv7 reads Date.now()).
      newId: () => {
        const realNow = Date.now;
        Date.now = () => clock;
        try {
          return uuidv7();
        } finally {
          Date.now = realNow;
        }
      },
    });
    const saved: string[] = [];
    for (const jump of [0, -2 * 3_600_000, -1, 5 * 60_000, -86_400_000]) {
      clock += jump;
      const row = await engine.save({
        type: 'visit.recorded',
        debtorId: D1,
        payload: { outcome: 'not_home' },
      });
      saved.push(row.mutation_id);
    }
    expect(new Set(saved).size).toBe(saved.length);
    const rows = await db.outbox.orderBy('device_seq').toArray();
    expect(rows.map((r) => r.device_seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.map((r) => r.mutation_id)).toEqual(saved);
    // occurred_at is data: it follows the clock, backwards and all.
    expect(Date.parse(rows[1]!.occurred_at)).toBeLessThan(Date.parse(rows[0]!.occurred_at));
    await engine.requestSync('manual');
    expect(server.applied).toEqual(saved);
  });

  test('a save that cannot be written is reported, never silent', async () => {
    const server = createFakeSyncServer();
    const { db, engine } = await device(server);
    await db.device.delete('device');
    await expect(
      engine.save({ type: 'visit.recorded', debtorId: D1, payload: { outcome: 'moved' } }),
    ).rejects.toThrow();
    expect(await db.outbox.count()).toBe(0);
  });
});
