/**
 * A debtor read and a search are ONE statement each (facts, settings and the audit row together),
 * on both databases; a hidden debtor reads as missing and leaves no audit row.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../app';
import type { Db, Queryable } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { assign, createDebt, createDebtor } from '#test/helpers/ledger';
import { readDebtor } from './debtor-read.repo';
import { searchDebtors } from './search.repo';
import { summariesSettled } from '../ledger/summary-refresher';

/** `db` counting the statements sent through it. */
function counting(db: Db): { q: Queryable; statements: () => number } {
  let n = 0;
  return {
    q: {
      query: (sql, params) => {
        n++;
        return db.query(sql, params);
      },
      exec: (sql) => {
        n++;
        return db.exec(sql);
      },
    },
    statements: () => n,
  };
}

forEachDb((kind) => {
  let db: Db;
  const users = {} as Record<'owner' | 'collector' | 'other', SeededUser>;
  const clock = testClock('2025-03-10T12:00:00Z');
  let assigned: string;
  let loose: string;

  const auditRows = (action: string, actor: string) =>
    db.query<{ entity_id: string | null; detail: { results?: string[] } }>(
      'SELECT entity_id, detail FROM audit_log WHERE action = $1 AND actor_id = $2 ORDER BY id',
      [action, actor],
    );

  beforeAll(async () => {
    db = await openTestDb(kind);
    const app = createApp({ db, version: 'test', now: clock.now });
    users.owner = await seedUser(db, 'owner', { now: clock.now() });
    users.collector = await seedUser(db, 'collector', { now: clock.now() });
    users.other = await seedUser(db, 'collector', { now: clock.now() });
    assigned = await createDebtor(app, users.owner, { name: 'Joana Leitura Silva' });
    await createDebt(app, users.owner, assigned);
    await assign(app, users.owner, users.collector.user.id, [assigned]);
    loose = await createDebtor(app, users.owner, { name: 'Pedro Leitura Souza' });
    await createDebt(app, users.owner, loose);
    // The writes' summaries are derived in the background once each request answered.
    await summariesSettled(db);
  });
  afterAll(async () => {
    await db.close();
  });

  test('a debtor read is one statement: facts, settings and the audit row', async () => {
    const { q, statements } = counting(db);
    const read = await readDebtor(q, users.owner.user, assigned, {
      actor: users.owner.user.id,
      ip: '10.0.0.1',
      action: 'debtor.view',
    });
    expect(statements()).toBe(1);
    expect(read?.facts.debtor.name).toBe('Joana Leitura Silva');
    expect(read?.facts.debts).toHaveLength(1);
    expect(read?.facts.assignment?.collector_id).toBe(users.collector.user.id);
    expect(read?.settings.timeZone).toBe('America/Sao_Paulo');
    expect((await auditRows('debtor.view', users.owner.user.id)).at(-1)?.entity_id).toBe(assigned);
  });

  test('a debtor the collector may not see reads as missing and audits nothing', async () => {
    const before = (await auditRows('debtor.view', users.other.user.id)).length;
    const hidden = await readDebtor(db, users.other.user, assigned, {
      actor: users.other.user.id,
      ip: null,
      action: 'debtor.view',
    });
    expect(hidden).toBeNull();
    expect(await auditRows('debtor.view', users.other.user.id)).toHaveLength(before);
    const mine = await readDebtor(db, users.collector.user, assigned, {
      actor: users.collector.user.id,
      ip: null,
      action: 'debtor.view',
    });
    expect(mine?.facts.debtor.id).toBe(assigned);
  });

  test('a search is one statement and its audit row names exactly the results', async () => {
    const fresh = await db.query<{ debtor_id: string; stale: boolean; status: string }>(
      'SELECT debtor_id, stale, status FROM debtor_summaries WHERE debtor_id = ANY($1::uuid[])',
      [[assigned, loose]],
    );
    expect(fresh.map((r) => [r.stale, r.status])).toEqual([
      [false, 'vencido'],
      [false, 'vencido'],
    ]);
    const { q, statements } = counting(db);
    const page = await searchDebtors(q, users.owner.user, { q: 'leitura', limit: 1 }, clock.now(), {
      actor: users.owner.user.id,
      ip: null,
    });
    expect(statements()).toBe(1);
    expect(page.items.map((i) => i.name)).toEqual(['Joana Leitura Silva']);
    expect(page.items[0]?.status).toBe('vencido');
    expect(page.nextCursor).not.toBeNull();
    const [logged] = (await auditRows('debtor.search', users.owner.user.id)).slice(-1);
    expect(logged?.detail.results).toEqual([assigned]);
    // A collector's search sees only the assigned debtor, still one statement.
    const mine = counting(db);
    const theirs = await searchDebtors(
      mine.q,
      users.collector.user,
      { q: 'leitura', limit: 50 },
      clock.now(),
      { actor: users.collector.user.id, ip: null },
    );
    expect(mine.statements()).toBe(1);
    expect(theirs.items.map((i) => i.id)).toEqual([assigned]);
    expect(theirs.nextCursor).toBeNull();
    expect(loose).not.toBe(assigned);
  });

  test('a row written since its summary is derived on the search, stored, then read again', async () => {
    // Raw SQL, as no route writes: the trigger still marks the debtor.
    await db.query(
      `UPDATE debts SET due_on = date '2025-04-30', issued_on = date '2025-03-01'
                     WHERE debtor_id = $1`,
      [assigned],
    );
    const [row] = await db.query<{ stale: boolean }>(
      'SELECT stale FROM debtor_summaries WHERE debtor_id = $1',
      [assigned],
    );
    expect(row?.stale).toBe(true);
    const first = counting(db);
    const page = await searchDebtors(
      first.q,
      users.owner.user,
      { q: 'joana', limit: 50 },
      clock.now(),
      {
        actor: users.owner.user.id,
        ip: null,
      },
    );
    expect(first.statements()).toBeGreaterThan(1);
    expect(page.items.map((i) => [i.id, i.status, i.daysOverdue])).toEqual([
      [assigned, 'em_dia', 0],
    ]);
    const again = counting(db);
    const second = await searchDebtors(
      again.q,
      users.owner.user,
      { q: 'joana', limit: 50 },
      clock.now(),
      {
        actor: users.owner.user.id,
        ip: null,
      },
    );
    expect(again.statements()).toBe(1);
    expect(second.items).toEqual(page.items);
  });

  test('a filtered search audits the rows left after the derived filter', async () => {
    const page = await searchDebtors(
      db,
      users.owner.user,
      { q: 'leitura', limit: 50, status: 'disputa' },
      clock.now(),
      { actor: users.owner.user.id, ip: null },
    );
    expect(page.items).toEqual([]);
    const [logged] = (await auditRows('debtor.search', users.owner.user.id)).slice(-1);
    expect(logged?.detail).toMatchObject({ q: 'leitura', status: 'disputa', results: [] });
  });
});
