// Dexie reads the global indexedDB when it loads; the device below gets its own factory.
import 'fake-indexeddb/auto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { expect, test } from 'vitest';
import { ensureDevice, openDb } from '../db/db';
import { createFakeSyncServer } from './fake-sync-server';
import { createSyncEngine } from './sync-engine';

// Issue 4: collecting the health block (the whole outbox, storage.estimate()) grew with what was
// stored and cost seconds per page late in a 5,000-debtor first sync. It is read once per pull;
// every page still carries the block with its own clock reading.
test('a multi-page pull collects the health block once and sends it on every page', async () => {
  const server = createFakeSyncServer();
  for (let i = 0; i < 7; i++) server.putDebtor(`0190a000-0000-7000-8000-00000000000${i}`);
  const opened = await openDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  if (!opened.ok) throw new Error(opened.failure.message);
  const db = opened.db;
  await ensureDevice(db, { collectorId: 'c', newId: () => crypto.randomUUID() });
  let estimates = 0;
  let clock = Date.parse('2025-03-10T12:00:00Z');
  const pulls: { device_now: string; health: { storage_usage: number } }[] = [];
  const engine = createSyncEngine({
    db,
    fetch: (url, init) => {
      const header = new Headers(init?.headers).get('x-quita-health');
      if (String(url).includes('/api/sync/pull') && header !== null)
        pulls.push(JSON.parse(decodeURIComponent(header)));
      return server.fetch(url, init);
    },
    now: () => new Date((clock += 1_000)),
    random: () => 0.5,
    pageLimit: 2,
    health: {
      estimate: async () => ({ usage: ++estimates * 100, quota: 10_000 }),
      userAgent: 'test',
    },
  });
  expect(await engine.requestSync('start')).toMatchObject({ ok: true, pulled: 7 });
  expect(await db.debtors.count()).toBe(7);
  expect(pulls).toHaveLength(4);
  // One estimate for the device registration, one for the whole pull.
  expect(estimates).toBe(2);
  expect(new Set(pulls.map((p) => p.health.storage_usage)).size).toBe(1);
  // The clock is read for each page: the server measures the offset on every request.
  expect(new Set(pulls.map((p) => p.device_now)).size).toBe(4);
});
