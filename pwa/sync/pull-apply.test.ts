import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, test } from 'vitest';
import type { PullResponse, SyncChange } from '#shared/sync/protocol.schema';
import { openDb, type QuitaDb } from '../db/db';
import { applyPullPage } from './pull-apply';

const X = 'debtor-x';
const Y = 'debtor-y';

async function freshDb(): Promise<QuitaDb> {
  const result = await openDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  if (!result.ok) throw new Error(result.failure.message);
  await result.db.device.put({
    key: 'device',
    device_id: 'd',
    collector_id: 'c',
    next_seq: 1,
    cursor: null,
    epoch: null,
    schema_version: 1,
    last_push_ok_at: null,
    last_pull_ok_at: null,
    last_error: null,
  });
  return result.db;
}

function page(changes: SyncChange[], cursor = 'c1'): PullResponse {
  return {
    changes,
    cursor,
    has_more: false,
    epoch: 1,
    acked_through_seq: 0,
    server_now: '2026-11-26T12:00:00Z',
  };
}

const debtor = (id: string, version: number, name = `v${version}`): SyncChange => ({
  op: 'put',
  entity: 'debtor',
  id,
  data: { id, version, name },
});
const debt = (id: string, debtorId: string, version: number): SyncChange => ({
  op: 'put',
  entity: 'debt',
  id,
  data: { id, debtorId, version },
});
const visit = (id: string, debtorId: string): SyncChange => ({
  op: 'put',
  entity: 'visit',
  id,
  data: { id, debtorId, version: 1 },
});
const remove = (entity: SyncChange['entity'], id: string): SyncChange => ({
  op: 'remove',
  entity,
  id,
});

interface Snapshot {
  debtors: Record<string, number>;
  debts: string[];
  facts: string[];
}

async function snapshot(db: QuitaDb): Promise<Snapshot> {
  const debtors = Object.fromEntries((await db.debtors.toArray()).map((d) => [d.id, d.version]));
  return {
    debtors,
    debts: (await db.debts.toArray()).map((d) => d.id).sort(),
    facts: (await db.facts.toArray()).map((f) => f.id).sort(),
  };
}

describe('applyPullPage', () => {
  test.each<{ name: string; pages: SyncChange[][]; expected: Snapshot }>([
    {
      name: 'puts land in their tables',
      pages: [[debtor(X, 1), debt('d1', X, 1), visit('f1', X)]],
      expected: { debtors: { [X]: 1 }, debts: ['d1'], facts: ['f1'] },
    },
    {
      name: 'an older version never overwrites a newer one (replayed page)',
      pages: [[debtor(X, 3)], [debtor(X, 2)]],
      expected: { debtors: { [X]: 3 }, debts: [], facts: [] },
    },
    {
      name: 'the same id twice in one page keeps the newer version',
      pages: [[debtor(X, 5), debtor(X, 4)]],
      expected: { debtors: { [X]: 5 }, debts: [], facts: [] },
    },
    {
      name: 'puts before a remove in the same page are removed with the debtor',
      pages: [[debtor(X, 1), debt('d1', X, 1), visit('f1', X), debtor(Y, 1), remove('debtor', X)]],
      expected: { debtors: { [Y]: 1 }, debts: [], facts: [] },
    },
    {
      name: 'a remove then a put in the same page ends with the put',
      pages: [
        [debtor(X, 1), debt('d1', X, 1)],
        [remove('debtor', X), debtor(X, 2)],
      ],
      expected: { debtors: { [X]: 2 }, debts: [], facts: [] },
    },
    {
      name: 'removing a single debt or fact leaves the rest',
      pages: [
        [debtor(X, 1), debt('d1', X, 1), debt('d2', X, 1), visit('f1', X), visit('f2', X)],
        [remove('debt', 'd1'), remove('visit', 'f2')],
      ],
      expected: { debtors: { [X]: 1 }, debts: ['d2'], facts: ['f1'] },
    },
  ])('$name', async ({ pages, expected }) => {
    const db = await freshDb();
    for (const [i, changes] of pages.entries())
      await applyPullPage(db, page(changes, `c${i}`), { now: '2026-11-26T12:00:00Z' });
    expect(await snapshot(db)).toEqual(expected);
    db.close();
  });

  test('a page applied twice changes nothing, and the cursor moves with the data', async () => {
    const db = await freshDb();
    const p = page([debtor(X, 1), debt('d1', X, 1), visit('f1', X)], 'cursor-7');
    await applyPullPage(db, p, { now: '2026-11-26T12:00:00Z' });
    const once = await snapshot(db);
    await applyPullPage(db, p, { now: '2026-11-26T12:00:00Z' });
    expect(await snapshot(db)).toEqual(once);
    expect((await db.device.get('device'))?.cursor).toBe('cursor-7');
    db.close();
  });
});
