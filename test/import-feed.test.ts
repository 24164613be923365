/**
 * The importer's change-feed rule (server/import/bulk-write.ts insertEntities): a debtor created
 * by an import chunk, and the contact points and debts written with it, get no feed rows (no
 * collector can be assigned a debtor before it exists; the assignment sends it whole). What the
 * feed must still carry, it carries: a phone assigned an imported debtor receives it with its
 * debts and contacts, and a later import adding a debt to that debtor reaches the phone.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import type { ImportReport } from '../server/import/import-debtors';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { assign } from './helpers/ledger';
import { testDevice } from './helpers/sync';
import { forEachDb, openTestDb } from './helpers/test-db';

const HEADER =
  'external_id,name,document,email,phone,address,city,state,debt_id,description,amount,due_date';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';
const ROW_A1 =
  'F-A,Ana Feed,181.590.830-09,ana@example.com,(11) 98765-4321,Rua A 1,São Paulo,SP,F-A1,Plano,10.00,2026-01-10';
const ROW_A2 =
  'F-A,Ana Feed,181.590.830-09,ana@example.com,(11) 98765-4321,Rua A 1,São Paulo,SP,F-A2,Parcela 2,20.00,2026-02-10';
const ROW_B1 = 'F-B,Bruno Feed Ltda,24.628.194/0001-32,,,,,,F-B1,Plano,30.00,2026-01-10';

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  let collector: SeededUser;
  const clock = testClock('2025-03-10T12:00:00Z');

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    owner = await seedUser(db, 'owner', { now: clock.now() });
    collector = await seedUser(db, 'collector', { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  const importCsv = async (body: string): Promise<ImportReport> => {
    const res = await app.request('/api/import/debtors', {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/csv', ...owner.headers },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as ImportReport;
  };
  const feedRows = async (debtorId: string) =>
    (
      await db.query<{ entity: string; op: string }>(
        'SELECT entity, op FROM changes WHERE debtor_id = $1 ORDER BY id',
        [debtorId],
      )
    ).map((r) => `${r.op}:${r.entity}`);

  test('new debtors get no feed rows; assigned, they reach the phone whole; a later debt follows', async () => {
    const first = await importCsv(csv(ROW_A1, ROW_B1));
    expect(first.errors).toEqual([]);
    expect(first.debtors.created).toBe(2);
    const ids = new Map(
      (
        await db.query<{ id: string; external_id: string }>(
          `SELECT id, external_id FROM debtors WHERE external_id IN ('F-A', 'F-B')`,
        )
      ).map((r) => [r.external_id, r.id]),
    );
    const a = ids.get('F-A') as string;
    expect(await feedRows(a)).toEqual([]);
    expect(await feedRows(ids.get('F-B') as string)).toEqual([]);

    // A phone that is already up to date, then the debtor is assigned to its collector.
    const device = testDevice(app, collector.headers, clock.now);
    await device.sync();
    expect(device.state.has(`debtor:${a}`)).toBe(false);
    await assign(app, owner, collector.user.id, [a]);
    await device.sync();
    expect(device.state.get(`debtor:${a}`)?.['name']).toBe('Ana Feed');
    const debts = () =>
      [...device.state.entries()]
        .filter(([key, v]) => key.startsWith('debt:') && v['debtorId'] === a)
        .map(([, v]) => v['description']);
    expect(debts()).toEqual(['Plano']);
    // The contact points written with it travel inside the debtor.
    const points = device.state.get(`debtor:${a}`)?.['contactPoints'] as { kind: string }[];
    expect(points.map((c) => c.kind).sort()).toEqual(['email', 'phone']);

    // A later import adds a debt to the (now assigned) debtor: it has a feed row and arrives.
    const second = await importCsv(csv(ROW_A1, ROW_A2, ROW_B1));
    expect(second.debts).toEqual({ created: 1, updated: 0, unchanged: 2 });
    expect(await feedRows(a)).toContain('insert:debt');
    await device.sync();
    expect(debts().sort()).toEqual(['Parcela 2', 'Plano']);
  });
});
