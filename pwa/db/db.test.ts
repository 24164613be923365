import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, test } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { payloadHash } from '#shared/sync/payload-hash';
import { createDb, ensureDevice, openDb, recordFact, SCHEMA_VERSION, type QuitaDb } from './db';

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
