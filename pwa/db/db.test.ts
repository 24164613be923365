import { recordFact } from './record-fact';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, test } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { payloadHash } from '#shared/sync/payload-hash';
import { CLIENT_SCHEMA_VERSION } from '#shared/sync/envelope.schema';
import { retainDelivered } from '../sync/outbox';
import {
  claimDevice,
  createDb,
  ensureDevice,
  openDb,
  SCHEMA_VERSION,
  type OutboxState,
  type QuitaDb,
} from './db';

const COLLECTOR = '0190a000-0000-7000-8000-000000000001';
const DEBTOR = '0190a000-0000-7000-8000-0000000000d1';

/** A fresh isolated IndexedDB (one simulated phone). */
function idb() {
  return { indexedDB: new IDBFactory(), IDBKeyRange };
}

async function opened(options: Parameters<typeof openDb>[0]): Promise<QuitaDb> {
  const result = await openDb(options);
  if (!result.ok) throw new Error(result.failure.message);
  return result.db;
}

function fact(overrides: Partial<Parameters<typeof recordFact>[1]> = {}) {
  return {
    mutation_id: uuidv7(),
    type: 'visit.recorded',
    type_version: 1,
    debtor_id: DEBTOR,
    occurred_at: '2025-03-10T09:00:00-03:00',
    payload: { outcome: 'not_home' },
    ...overrides,
  };
}

describe('outbox save', () => {
  test('allocates a gapless device_seq and hashes the envelope', async () => {
    const db = await opened(idb());
    const device = await ensureDevice(db, {
      collectorId: COLLECTOR,
      newId: () => crypto.randomUUID(),
    });
    const rows = [];
    for (let i = 0; i < 5; i++) rows.push(await recordFact(db, fact(), '2025-03-10T12:00:00Z'));
    expect(rows.map((r) => r.device_seq)).toEqual([1, 2, 3, 4, 5]);
    const first = rows[0];
    if (!first) throw new Error('no row');
    const { state: _s, payload_hash, attempts: _a, created_at_device: _c, ...envelope } = first;
    expect(envelope.device_id).toBe(device.device_id);
    expect(payload_hash).toBe(payloadHash(envelope));
    expect((await db.device.get('device'))?.next_seq).toBe(6);
    db.close();
  });

  test('a failure inside the save transaction consumes no seq and leaves no row', async () => {
    const db = await opened(idb());
    await ensureDevice(db, { collectorId: COLLECTOR, newId: () => crypto.randomUUID() });
    const saved = await recordFact(db, fact(), 'x');
    // Same mutation id again: the insert fails, so the whole transaction (seq bump) rolls back.
    await expect(recordFact(db, fact({ mutation_id: saved.mutation_id }), 'x')).rejects.toThrow();
    expect(await db.outbox.count()).toBe(1);
    expect((await db.device.get('device'))?.next_seq).toBe(2);
    const next = await recordFact(db, fact(), 'x');
    expect(next.device_seq).toBe(2);
    db.close();
  });

  test('without a device the save fails loudly (never a silent drop)', async () => {
    const db = await opened(idb());
    await expect(recordFact(db, fact(), 'x')).rejects.toThrow(/device not initialised/);
    expect(await db.outbox.count()).toBe(0);
    db.close();
  });

  test('two tabs saving at once never collide on device_seq', async () => {
    const env = idb();
    const tabA = await opened({ ...env, name: 'shared' });
    const tabB = await opened({ ...env, name: 'shared' });
    await ensureDevice(tabA, { collectorId: COLLECTOR, newId: () => crypto.randomUUID() });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => recordFact(i % 2 ? tabA : tabB, fact(), 'x')),
    );
    const seqs = (await tabA.outbox.toArray()).map((r) => r.device_seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    tabA.close();
    tabB.close();
  });
});

describe('schema upgrades', () => {
  test('v1 → v2 keeps a non-empty outbox, repairs old rows and stays pushable', async () => {
    const env = idb();
    const v1 = await opened({ ...env, name: 'up', upToVersion: 1 });
    expect(v1.verno).toBe(1);
    await ensureDevice(v1, { collectorId: COLLECTOR, newId: () => crypto.randomUUID() });
    const a = await recordFact(v1, fact(), 'x');
    const b = await recordFact(
      v1,
      fact({ type: 'payment.recorded', payload: { amount: 500 } }),
      'x',
    );
    // A row written by an older app that did not know `attempts` yet.
    await v1.outbox.update(b.mutation_id, { attempts: undefined as unknown as number });
    v1.close();

    const v2 = await opened({ ...env, name: 'up' });
    expect(v2.verno).toBe(SCHEMA_VERSION);
    const rows = await v2.outbox.orderBy('device_seq').toArray();
    expect(rows.map((r) => r.mutation_id)).toEqual([a.mutation_id, b.mutation_id]);
    expect(rows.every((r) => r.attempts === 0 && r.state === 'pending')).toBe(true);
    // The v2 index works and the sequence continues.
    const pending = await v2.outbox
      .where('[state+device_seq]')
      .between(['pending', 0], ['pending', Infinity])
      .toArray();
    expect(pending).toHaveLength(2);
    expect((await recordFact(v2, fact(), 'x')).device_seq).toBe(3);
    v2.close();
  });

  test('v2 → v3 keeps pending and acked rows in the outbox and adds an empty retained table', async () => {
    const env = idb();
    const v2 = await opened({ ...env, name: 'up3', upToVersion: 2 });
    await ensureDevice(v2, { collectorId: COLLECTOR, newId: () => crypto.randomUUID() });
    const pending = await recordFact(v2, fact(), 'x');
    const acked = await recordFact(v2, fact(), 'x');
    await v2.outbox.update(acked.mutation_id, { state: 'acked', result_status: 'applied' });
    v2.close();

    const v3 = await opened({ ...env, name: 'up3' });
    expect(v3.verno).toBe(3);
    expect(await v3.outbox.orderBy('device_seq').toArray()).toMatchObject([
      { mutation_id: pending.mutation_id, state: 'pending' },
      { mutation_id: acked.mutation_id, state: 'acked' },
    ]);
    expect(await v3.retained.count()).toBe(0);
    // The acked row can now be retained with its bytes unchanged (same hash for a resend).
    const row = await v3.outbox.get(acked.mutation_id);
    if (!row) throw new Error('acked row lost');
    await v3.transaction('rw', v3.outbox, v3.retained, () =>
      retainDelivered(v3, [row], '2025-03-10T12:00:00Z'),
    );
    expect(await v3.retained.get(acked.mutation_id)).toEqual({
      ...row,
      delivered_at: '2025-03-10T12:00:00Z',
    });
    expect((await recordFact(v3, fact(), 'x')).device_seq).toBe(3);
    v3.close();
  });

  test('the Dexie version is the client schema the server is built for', () => {
    // A bump here without one in shared/ would tell the server the phone is up to date when it
    // is not (or the reverse): upgrade_required and the owner's old_app flag rely on it.
    expect(SCHEMA_VERSION).toBe(CLIENT_SCHEMA_VERSION);
  });

  test('killed during the upgrade: nothing half-done, the next open completes it', async () => {
    const env = idb();
    const v1 = await opened({ ...env, name: 'kill', upToVersion: 1 });
    await ensureDevice(v1, { collectorId: COLLECTOR, newId: () => crypto.randomUUID() });
    const saved = [await recordFact(v1, fact(), 'x'), await recordFact(v1, fact(), 'x')];
    await v1.outbox.update(saved[1]!.mutation_id, { attempts: undefined as unknown as number });
    v1.close();

    // The app dies while the version-change transaction runs (the repair has started): the
    // browser aborts that transaction, as it does when the tab or the process goes away.
    const dying: IDBFactory = Object.create(env.indexedDB) as IDBFactory;
    dying.open = (name: string, version?: number) => {
      const request = env.indexedDB.open(name, version);
      request.addEventListener('upgradeneeded', () => {
        const tx = request.transaction;
        setTimeout(() => {
          try {
            tx?.abort();
          } catch {
            // Already finished: the kill came too late to matter.
          }
        }, 0);
      });
      return request;
    };
    const killed = await openDb({ ...env, indexedDB: dying, name: 'kill' });
    expect(killed.ok).toBe(false);

    // On disk it is still the old version with every row as it was.
    const still = await opened({ ...env, name: 'kill', upToVersion: 1 });
    expect(still.verno).toBe(1);
    expect(await still.outbox.count()).toBe(2);
    still.close();

    const next = await opened({ ...env, name: 'kill' });
    expect(next.verno).toBe(SCHEMA_VERSION);
    const rows = await next.outbox.orderBy('device_seq').toArray();
    expect(rows.map((r) => [r.mutation_id, r.state, r.attempts])).toEqual(
      saved.map((s) => [s.mutation_id, 'pending', 0]),
    );
    expect(await next.retained.count()).toBe(0);
    expect((await recordFact(next, fact(), 'x')).device_seq).toBe(3);
    next.close();
  });

  test('a tab on the old version closes when another tab upgrades, and nothing is lost', async () => {
    const env = idb();
    let notified = 0;
    const old = await opened({
      ...env,
      name: 'vc',
      upToVersion: 1,
      onVersionChange: () => notified++,
    });
    await ensureDevice(old, { collectorId: COLLECTOR, newId: () => crypto.randomUUID() });
    const saved = await recordFact(old, fact(), 'x');
    const fresh = await opened({ ...env, name: 'vc' });
    expect(notified).toBe(1);
    expect(old.isOpen()).toBe(false);
    expect((await fresh.outbox.get(saved.mutation_id))?.device_seq).toBe(1);
    fresh.close();
  });

  test('data from a newer app (deploy rollback) is left alone, never wiped', async () => {
    const env = idb();
    const newer = createDb({ ...env, name: 'rb' });
    newer.version(SCHEMA_VERSION + 1).stores({ extra: 'id' });
    await newer.open();
    await ensureDevice(newer, { collectorId: COLLECTOR, newId: () => crypto.randomUUID() });
    await recordFact(newer, fact(), 'x');
    newer.close();

    const result = await openDb({ ...env, name: 'rb' });
    // Dexie ≥ 4.0.1 may open the newer database read-compatibly; either way the outbox survives.
    if (result.ok) {
      expect(await result.db.outbox.count()).toBe(1);
      result.db.close();
    } else expect(result.failure.kind).toBe('newer-data');
    const again = createDb({ ...env, name: 'rb' });
    again.version(SCHEMA_VERSION + 1).stores({ extra: 'id' });
    await again.open();
    expect(await again.outbox.count()).toBe(1);
    again.close();
  });
});

describe('switching collector on one phone', () => {
  const ANA = '0190a000-0000-7000-8000-0000000000a1';
  const BRUNO = '0190a000-0000-7000-8000-0000000000b2';

  /** A phone of Ana's whose outbox holds rows in `states`, plus pulled data and a retained fact. */
  async function anasPhone(states: readonly OutboxState[]) {
    const db = await opened(idb());
    await claimDevice(db, { collectorId: ANA, collectorName: 'Ana', newId: uuidv7 });
    for (const state of states) {
      const row = await recordFact(db, fact(), 'x');
      await db.outbox.update(row.mutation_id, { state });
    }
    const delivered = await recordFact(db, fact(), 'x');
    await db.transaction('rw', db.outbox, db.retained, () =>
      retainDelivered(db, [{ ...delivered, state: 'acked' }], '2025-03-10T12:00:00Z'),
    );
    await db.debtors.put({ id: DEBTOR, version: 1, data: { name: 'Devedor' } });
    await db.meta.put({ key: 'receipt_seq', value: 7 });
    await db.device.update('device', { registered_at: 'x', cursor: '1.9', next_seq: 42 });
    return db;
  }

  const cases: {
    name: string;
    states: OutboxState[];
    who: string;
    refused?: number;
    wiped: boolean;
  }[] = [
    { name: 'same collector with pending facts', states: ['pending'], who: ANA, wiped: false },
    {
      name: 'other collector, 3 pending',
      states: ['pending', 'pending', 'pending'],
      who: BRUNO,
      refused: 3,
      wiped: false,
    },
    {
      name: 'other collector, one in flight',
      states: ['acked', 'sending'],
      who: BRUNO,
      refused: 1,
      wiped: false,
    },
    {
      name: 'other collector, all acked or refused',
      states: ['acked', 'rejected'],
      who: BRUNO,
      wiped: true,
    },
    { name: 'other collector, nothing left', states: [], who: BRUNO, wiped: true },
  ];

  test.each(cases)('$name', async ({ states, who, refused, wiped }) => {
    const db = await anasPhone(states);
    const before = await db.device.get('device');
    const name = who === ANA ? 'Ana' : 'Bruno';
    const claim = await claimDevice(db, { collectorId: who, collectorName: name, newId: uuidv7 });
    if (refused !== undefined) {
      expect(claim).toEqual({
        ok: false,
        inUse: { collectorId: ANA, collectorName: 'Ana', unsent: refused },
      });
      // Refused means untouched: same device, same rows, same pulled data.
      expect(await db.device.get('device')).toEqual(before);
      expect(await db.outbox.count()).toBe(states.length);
      expect(await db.debtors.count()).toBe(1);
      await expect(ensureDevice(db, { collectorId: who, newId: uuidv7 })).rejects.toMatchObject({
        name: 'DeviceInUseError',
        inUse: { unsent: refused },
      });
      // Ana herself can still sign in and sync them.
      expect(await claimDevice(db, { collectorId: ANA, newId: uuidv7 })).toMatchObject({
        ok: true,
      });
    } else if (!wiped) {
      expect(claim).toEqual({ ok: true, device: before, switched: false });
      expect(await db.outbox.count()).toBe(states.length);
    } else {
      expect(claim).toMatchObject({ ok: true, switched: true });
      const after = await db.device.get('device');
      expect(after).toMatchObject({
        collector_id: BRUNO,
        collector_name: 'Bruno',
        next_seq: 1,
        cursor: null,
        registered_at: null,
      });
      expect(after?.device_id).not.toBe(before?.device_id);
      expect(await db.outbox.count()).toBe(0);
      expect(await db.retained.count()).toBe(0);
      expect(await db.debtors.count()).toBe(0);
      // Receipt numbers keep counting: a receipt number is never handed out twice on this phone.
      expect((await db.meta.get('receipt_seq'))?.value).toBe(7);
      expect((await recordFact(db, fact(), 'x')).device_seq).toBe(1);
    }
    db.close();
  });

  test('a fact saved by another tab while switching is never wiped', async () => {
    const env = idb();
    const tabA = await opened({ ...env, name: 'race' });
    const tabB = await opened({ ...env, name: 'race' });
    await claimDevice(tabA, { collectorId: ANA, collectorName: 'Ana', newId: uuidv7 });
    const [saved, claim] = await Promise.all([
      recordFact(tabA, fact(), 'x'),
      claimDevice(tabB, { collectorId: BRUNO, newId: uuidv7 }),
    ]);
    // Either the save came first (switch refused) or the switch did (the save is Bruno's).
    const row = await tabB.outbox.get(saved.mutation_id);
    expect(row).toBeDefined();
    const device = await tabB.device.get('device');
    expect(row?.device_id).toBe(device?.device_id);
    expect(device?.collector_id).toBe(claim.ok ? BRUNO : ANA);
    tabA.close();
    tabB.close();
  });
});
