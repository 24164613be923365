/**
 * Re-importing a file (server/import/import-skip.ts): a row whose raw text, debt, debtor and
 * contact points are unchanged since the import that wrote it is skipped before any check and
 * counted unchanged; anything else is applied in full as before.
 *
 * To tell "skipped" from "checked and found unchanged", some tests edit a stored row behind the
 * importer's back (an UPDATE that keeps `version`, which no real writer does): a skipped row
 * leaves that edit alone, an applied row puts the file's value back.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import type { ImportReport } from '../server/import/import-debtors';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { forEachDb, openTestDb } from './helpers/test-db';

const HEADER =
  'external_id,name,document,email,phone,address,city,state,debt_id,description,amount,due_date';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';
const A1 =
  'S-A,Ana Skip,181.590.830-09,ana@example.com,(11) 98765-4321,Rua A 1,São Paulo,SP,S-A1,Plano,10.00,2026-01-10';
const A2 =
  'S-A,Ana Skip,181.590.830-09,ana@example.com,(11) 98765-4321,Rua A 1,São Paulo,SP,S-A2,Parcela 2,20.00,2026-02-10';
const B1 = 'S-B,Bruno Skip Ltda,24.628.194/0001-32,,,,,,S-B1,Plano,30.00,2026-01-10';
const FILE = csv(A1, A2, B1);

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  const clock = testClock('2025-03-10T12:00:00Z');

  beforeEach(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    owner = await seedUser(db, 'owner', { now: clock.now() });
  });
  afterEach(async () => {
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
  const amount = async (code: string) =>
    Number(
      (
        await db.query<{ principal_cents: number }>(
          'SELECT principal_cents FROM debts WHERE external_id = $1',
          [code],
        )
      )[0]?.principal_cents,
    );
  const debtorName = async (code: string) =>
    (await db.query<{ name: string }>('SELECT name FROM debtors WHERE external_id = $1', [code]))[0]
      ?.name;
  /** An edit no real writer makes (version kept): only an applied row undoes it. */
  const editBehindTheBack = async () => {
    await db.query(`UPDATE debts SET principal_cents = 99 WHERE external_id = 'S-A1'`);
    await db.query(`UPDATE debtors SET name = 'Ana Mudada' WHERE external_id = 'S-A'`);
  };

  test('an unchanged file is skipped row by row, counted unchanged', async () => {
    const first = await importCsv(FILE);
    expect(first.errors).toEqual([]);
    expect(first.debts.created).toBe(3);
    const states = await db.query('SELECT * FROM debt_import_state');
    expect(states).toHaveLength(3);
    await editBehindTheBack();
    const again = await importCsv(FILE);
    expect(again.errors).toEqual([]);
    expect(again.debtors).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(again.debts).toEqual({ created: 0, updated: 0, unchanged: 3 });
    // Skipped, not re-applied: the edit made behind the importer's back is still there.
    expect(await amount('S-A1')).toBe(99);
    expect(await debtorName('S-A')).toBe('Ana Mudada');
  });

  test('a changed row is applied; the unchanged rows around it are skipped', async () => {
    await importCsv(FILE);
    await db.query(`UPDATE debts SET principal_cents = 99 WHERE external_id = 'S-B1'`);
    const changed = A2.replace('20.00', '25.00');
    const again = await importCsv(csv(A1, changed, B1));
    expect(again.errors).toEqual([]);
    expect(again.debts).toEqual({ created: 0, updated: 1, unchanged: 2 });
    expect(await amount('S-A2')).toBe(2500);
    expect(await amount('S-B1')).toBe(99);
    // The applied row's state is recorded: the next import of the same file skips it too.
    await db.query(`UPDATE debts SET principal_cents = 77 WHERE external_id = 'S-A2'`);
    const third = await importCsv(csv(A1, changed, B1));
    expect(third.debts).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(await amount('S-A2')).toBe(77);
  });

  test('a debt changed since the import is applied again from the file', async () => {
    await importCsv(FILE);
    await db.query(
      `UPDATE debts SET principal_cents = 555, version = version + 1 WHERE external_id = 'S-A1'`,
    );
    const again = await importCsv(FILE);
    expect(again.debts).toEqual({ created: 0, updated: 1, unchanged: 2 });
    expect(await amount('S-A1')).toBe(1000);
  });

  test('a debtor changed since the import: its rows are applied again', async () => {
    await importCsv(FILE);
    await db.query(
      `UPDATE debtors SET name = 'Ana Editada', version = version + 1 WHERE external_id = 'S-A'`,
    );
    await db.query(`UPDATE debts SET principal_cents = 99 WHERE external_id = 'S-A2'`);
    const again = await importCsv(FILE);
    expect(again.errors).toEqual([]);
    expect(again.debtors).toEqual({ created: 0, updated: 1, unchanged: 1 });
    expect(await debtorName('S-A')).toBe('Ana Skip');
    // Both rows of that debtor went through the checks (the second one's debt restored).
    expect(await amount('S-A2')).toBe(2000);
  });

  test('a contact point removed since the import is added back by the re-import', async () => {
    await importCsv(FILE);
    await db.query(`DELETE FROM contact_points WHERE kind = 'email' AND value = 'ana@example.com'`);
    const again = await importCsv(FILE);
    expect(again.debtors.updated).toBe(1);
    const emails = await db.query(
      `SELECT 1 FROM contact_points WHERE kind = 'email' AND value = 'ana@example.com'`,
    );
    expect(emails).toHaveLength(1);
  });

  test('the same rows under another column order are checked, not skipped', async () => {
    await importCsv(FILE);
    await editBehindTheBack();
    // Columns swapped (debt_id first): same values, another layout.
    const swap = (line: string) => {
      const cells = line.split(',');
      return [cells[8], ...cells.slice(0, 8), ...cells.slice(9)].join(',');
    };
    const reordered = [HEADER, A1, A2, B1].map(swap).join('\n') + '\n';
    const again = await importCsv(reordered);
    expect(again.errors).toEqual([]);
    expect(await amount('S-A1')).toBe(1000);
    expect(await debtorName('S-A')).toBe('Ana Skip');
  });

  test('a dry run skips the same way and writes nothing', async () => {
    await importCsv(FILE);
    const states = await db.query('SELECT * FROM debt_import_state ORDER BY debt_id');
    const res = await app.request('/api/import/debtors?dry_run=1', {
      method: 'POST',
      body: csv(A1, A2.replace('20.00', '21.00'), B1),
      headers: { 'content-type': 'text/csv', ...owner.headers },
    });
    expect(res.status).toBe(200);
    const dry = (await res.json()) as ImportReport;
    expect(dry.dryRun).toBe(true);
    expect(dry.debts).toEqual({ created: 0, updated: 1, unchanged: 2 });
    expect(await amount('S-A2')).toBe(2000);
    expect(await db.query('SELECT * FROM debt_import_state ORDER BY debt_id')).toEqual(states);
  });

  test('the rules between rows still hold around a skipped row (pt-BR errors naming the field)', async () => {
    await importCsv(FILE);
    const renamed = A2.replace('S-A2', 'S-A3').replace('Ana Skip', 'Ana Outra');
    const again = await importCsv(csv(A1, A1.replace('Plano', 'Plano repetido'), renamed, B1));
    expect(again.errors).toEqual([
      {
        line: 3,
        column: 'debt_id',
        message: 'o código da dívida "S-A1" já aparece na linha 2',
      },
      {
        line: 4,
        column: 'name',
        message:
          'o nome difere da linha 2 para o mesmo devedor "S-A"; todas as linhas de um devedor devem ter os mesmos dados',
      },
    ]);
    expect(again.debts).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(await amount('S-A1')).toBe(1000);
    expect(await db.query(`SELECT 1 FROM debts WHERE external_id = 'S-A3'`)).toHaveLength(0);
  });
});
