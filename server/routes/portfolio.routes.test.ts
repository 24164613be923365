import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { assign, createDebt, createDebtor } from '#test/helpers/ledger';
import { FALLBACK_ABOVE } from '../ledger/portfolio.repo';
import { summariesSettled } from '../ledger/summary-refresher';

interface Portfolio {
  today: string;
  debtors: number;
  overdueDebtors: number;
  totalOverdue: number;
  recoveredThisMonth: number;
  aging: { id: string; amount: number; debts: number }[];
  promises: { kept: number; broken: number; active: number };
  collectors: { id: string | null; name: string | null; totalOverdue: number; debtors: number }[];
  source: 'summaries' | 'facts';
}

const DAY = 86_400_000;

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const clock = testClock('2025-03-10T12:00:00Z');
  let assigned: string;
  let loose: string;

  const dueOf = async (debtorId: string) =>
    (
      await call<{ debts: { dueDate: string; balance: { totalDue: number } }[] }>(
        app,
        'GET',
        `/api/debtors/${debtorId}`,
        { headers: users.owner.headers },
      )
    ).body.debts;

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
    assigned = await createDebtor(app, users.owner);
    const paidDebt = await createDebt(app, users.owner, assigned); // due 2025-02-08
    await assign(app, users.owner, users.collector.user.id, [assigned]);
    const paid = await call(app, 'POST', '/api/payments', {
      headers: users.owner.headers,
      json: { debtId: paidDebt, date: '2025-03-05', amount: 20_000, method: 'pix' },
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    // A payment of last month is not "recovered this month".
    const old = await call(app, 'POST', '/api/payments', {
      headers: users.owner.headers,
      json: { debtId: paidDebt, date: '2025-02-20', amount: 1_000, method: 'cash' },
    });
    expect(old.status, JSON.stringify(old.body)).toBe(201);
    loose = await createDebtor(app, users.owner);
    const oldDebt = await createDebt(app, users.owner, loose, {
      issueDate: '2024-11-01',
      dueDate: '2024-12-01',
    });
    await createDebt(app, users.owner, loose, { issueDate: '2025-03-01', dueDate: '2025-04-01' });
    const promise = await call(app, 'POST', '/api/promises', {
      headers: users.owner.headers,
      json: {
        debtorId: loose,
        debtIds: [oldDebt],
        amount: 20_000,
        dueDate: '2025-03-14',
        channel: 'phone',
      },
    });
    expect(promise.status, JSON.stringify(promise.body)).toBe(201);
  });
  afterAll(async () => {
    await summariesSettled(db);
    await db.close();
  });

  test('aging buckets, recovered this month, promises and per-collector figures', async () => {
    const res = await call<Portfolio>(app, 'GET', '/api/portfolio', {
      headers: users.owner.headers,
    });
    expect(res.status).toBe(200);
    const p = res.body;
    const [a] = await dueOf(assigned);
    const looseDebts = await dueOf(loose);
    const old = looseDebts.find((d) => d.dueDate === '2024-12-01');
    if (!a || !old) throw new Error('fixture debts missing');
    expect(p.today).toBe('2025-03-10');
    // A handful of outdated summaries is derived on the spot, never answered from the facts.
    expect(p.source).toBe('summaries');
    expect(p.debtors).toBe(2);
    expect(p.overdueDebtors).toBe(2);
    // The debt not yet due is left out; each overdue debt lands in its own bucket.
    expect(p.totalOverdue).toBe(a.balance.totalDue + old.balance.totalDue);
    expect(p.aging.map((b) => [b.id, b.amount, b.debts])).toEqual([
      ['0-30', a.balance.totalDue, 1],
      ['31-60', 0, 0],
      ['61-90', 0, 0],
      ['90+', old.balance.totalDue, 1],
    ]);
    expect(p.recoveredThisMonth).toBe(20_000);
    expect(p.promises).toEqual({ kept: 0, broken: 0, active: 1 });
    expect(p.collectors.map((c) => [c.id, c.debtors, c.totalOverdue])).toEqual([
      [users.collector.user.id, 1, a.balance.totalDue],
      [null, 1, old.balance.totalDue],
    ]);
  });

  test('a promise past its date without payment counts as broken', async () => {
    clock.advance(10 * DAY);
    const res = await call<Portfolio>(app, 'GET', '/api/portfolio', {
      headers: users.staff.headers,
    });
    expect(res.status).toBe(200);
    expect(res.body.promises).toEqual({ kept: 0, broken: 1, active: 0 });
  });

  test('collectors are refused', async () => {
    expectProblem(
      await call(app, 'GET', '/api/portfolio', { headers: users.collector.headers }),
      403,
      'forbidden',
    );
  });

  test('after a bulk write the portfolio answers from the facts at once, the same figures', async () => {
    // More new debtors than the threshold, written as an import writes them (their summaries
    // outdated), each with one debt 45 days overdue.
    const n = FALLBACK_ABOVE + 100;
    // No post-write run owed by the tests above (one waiting for its gap would derive the bulk
    // rows before the first read).
    await summariesSettled(db);
    const before = await call<Portfolio>(app, 'GET', '/api/portfolio', {
      headers: users.owner.headers,
    });
    expect(before.body.source).toBe('summaries');
    await db.exec(`
      INSERT INTO debtors (id, kind, name, state)
        SELECT md5('bulk' || i)::uuid, 'person', 'Importado ' || i, 'SP'
          FROM generate_series(1, ${n}) i;
      INSERT INTO debts (id, debtor_id, description, principal_cents, issued_on, due_on)
        SELECT md5('bulkdebt' || i)::uuid, md5('bulk' || i)::uuid, 'x', 10000 + i,
               date '2025-02-03', date '2025-02-03'
          FROM generate_series(1, ${n}) i;
    `);
    const first = await call<Portfolio>(app, 'GET', '/api/portfolio', {
      headers: users.owner.headers,
    });
    expect(first.status).toBe(200);
    expect(first.body.source).toBe('facts');
    expect(first.body.debtors).toBe(before.body.debtors + n);
    expect(first.body.overdueDebtors).toBe(before.body.overdueDebtors + n);
    const bucket = (p: Portfolio) => p.aging.find((b) => b.id === '31-60')?.debts;
    expect(bucket(first.body)).toBe((bucket(before.body) ?? 0) + n);
    // Once the background catch-up has run, the summaries answer, figure for figure the same.
    await summariesSettled(db);
    const second = await call<Portfolio>(app, 'GET', '/api/portfolio', {
      headers: users.owner.headers,
    });
    expect(second.body.source).toBe('summaries');
    expect({ ...second.body, asOf: null }).toEqual({
      ...first.body,
      asOf: null,
      source: 'summaries',
    });
  });
});
