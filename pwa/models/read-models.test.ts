// Dexie's liveQuery only runs when a global indexedDB exists (read when Dexie loads).
import 'fake-indexeddb/auto';
import { recordFact } from '../db/record-fact';
import { signal } from '@preact/signals';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { uuidv7 } from 'uuidv7';
import { describe, expect, test } from 'vitest';
import { ensureDevice, openDb, type QuitaDb } from '../db/db';
import { debtorsModel, syncStatusModel, todayBasesModel } from './read-models';

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function freshDb(): Promise<QuitaDb> {
  const opened = await openDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  if (!opened.ok) throw new Error(opened.failure.message);
  await ensureDevice(opened.db, { collectorId: 'c', newId: () => crypto.randomUUID() });
  return opened.db;
}

const pay = (db: QuitaDb, debtorId: string, amount: number) =>
  recordFact(
    db,
    {
      mutation_id: uuidv7(),
      type: 'payment.recorded',
      type_version: 1,
      debtor_id: debtorId,
      occurred_at: '2025-03-10T09:00:00-03:00',
      payload: { amount },
    },
    '2025-03-10T12:00:00Z',
  );

describe('read models (signals over liveQuery)', () => {
  test('the debtor list follows saves and pulls with its provisional balance', async () => {
    const db = await freshDb();
    const model = debtorsModel(db);
    await db.debtors.bulkPut([
      { id: 'b', version: 1, data: { name: 'Bruna', totalDue: 5000 } },
      { id: 'a', version: 1, data: { name: 'Ana', totalDue: 10_000 } },
    ]);
    await until(() => model.value.value.length === 2);
    await pay(db, 'a', 2500);
    await until(() => model.value.value[0]?.provisionalBalance === 7500);
    expect(model.value.value.map((d) => [d.id, d.provisionalBalance, d.pending])).toEqual([
      ['a', 7500, 1],
      ['b', 5000, 0],
    ]);
    // Revocation (pull applier deletes the debtor): gone from the list, outbox untouched.
    await db.debtors.delete('a');
    await until(() => model.value.value.length === 1);
    expect(await db.outbox.count()).toBe(1);
    model.dispose();
    db.close();
  });

  test('sync status: pending count, rejects with reasons, online and syncing inputs', async () => {
    const db = await freshDb();
    const online = signal(true);
    const syncing = signal(false);
    const status = syncStatusModel(db, { online, syncing });
    const row = await pay(db, 'a', 100);
    await pay(db, 'a', 200);
    await until(() => status.value.value.pending === 2);
    await db.outbox.update(row.mutation_id, { state: 'rejected', reason: 'debt_cancelled' });
    await until(() => status.value.value.rejected.length === 1);
    online.value = false;
    expect(status.value.value).toMatchObject({
      online: false,
      pending: 1,
      rejected: [{ mutation_id: row.mutation_id, reason: 'debt_cancelled' }],
    });
    status.dispose();
    db.close();
  });
});

describe('the Today bases model (one transaction, reduced inside the query)', () => {
  test('follows saves, pulls and revocation; untouched debtors keep their base object', async () => {
    const db = await freshDb();
    const model = todayBasesModel(db);
    await db.debtors.bulkPut([
      { id: 'a', version: 1, data: { name: 'Ana', totalDue: 10_000 } },
      { id: 'b', version: 1, data: { name: 'Bruna', totalDue: 5000 } },
    ]);
    await db.debts.bulkPut([
      { id: 't1', debtor_id: 'a', version: 1, data: { status: 'open', dueDate: '2025-02-01' } },
    ]);
    await until(() => model.value.value?.[0]?.oldestDue === '2025-02-01');
    const before = model.value.value ?? [];
    await pay(db, 'a', 2500);
    await until(() => model.value.value?.[0]?.balance === 7500);
    const after = model.value.value ?? [];
    expect(after.map((b) => [b.id, b.balance, b.pending])).toEqual([
      ['a', 7500, 1],
      ['b', 5000, 0],
    ]);
    expect(after[1]).toBe(before[1]);
    await db.debtors.delete('a');
    await until(() => model.value.value?.length === 1);
    model.dispose();
    db.close();
  });
});
