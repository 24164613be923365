import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { assign, createDebt, createDebtor } from '#test/helpers/ledger';

type Totals = {
  totals: { totalDue: number; paid: number };
  debts: { status: string; settledOn: string | null }[];
};

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const clock = testClock('2025-03-10T12:00:00Z');
  let debtor: string;
  let debt: string;
  let stranger: string;
  let strangerDebt: string;

  const totals = async () =>
    (await call<Totals>(app, 'GET', `/api/debtors/${debtor}`, { headers: users.owner.headers }))
      .body;
  const count = async () =>
    Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM payments'))[0]?.n);

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
    debtor = await createDebtor(app, users.owner);
    debt = await createDebt(app, users.owner, debtor);
    stranger = await createDebtor(app, users.owner);
    strangerDebt = await createDebt(app, users.owner, stranger);
    await assign(app, users.owner, users.collector.user.id, [debtor]);
  });
  afterAll(async () => {
    await db.close();
  });

  describe('field reports', () => {
    let reportId: string;
    const report = (over: Record<string, unknown> = {}) => ({
      debtId: debt,
      date: '2025-03-10',
      amount: 3_000,
      method: 'cash',
      receiptNumber: 'R-0001',
      reportedAt: '2025-03-10T11:58:00.000Z',
      ...over,
    });

    test('a collector reports money for an assigned debtor; the balance does not move yet', async () => {
      const res = await call<{ id: string; status: string; reportedBy: string }>(
        app,
        'POST',
        '/api/payments/reported',
        {
          headers: users.collector.headers,
          json: report(),
        },
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'pending', reportedBy: users.collector.user.id });
      reportId = res.body.id;
      expect((await totals()).totals).toMatchObject({ totalDue: 103_000, paid: 0 });
    });

    test('the same receipt number twice is a 409 and writes nothing', async () => {
      const before = await count();
      expectProblem(
        await call(app, 'POST', '/api/payments/reported', {
          headers: users.collector.headers,
          json: report(),
        }),
        409,
        'duplicate-receipt',
      );
      expect(await count()).toBe(before);
    });

    test('an unassigned debtor is a 404 for the collector', async () => {
      expectProblem(
        await call(app, 'POST', '/api/payments/reported', {
          headers: users.collector.headers,
          json: report({ debtId: strangerDebt, receiptNumber: 'R-0002' }),
        }),
        404,
        'not-found',
      );
    });

    test('a collector cannot confirm; staff confirm once and the balance moves', async () => {
      expectProblem(
        await call(app, 'POST', `/api/payments/${reportId}/confirm`, {
          headers: users.collector.headers,
        }),
        403,
        'forbidden',
      );
      const ok = await call(app, 'POST', `/api/payments/${reportId}/confirm`, {
        headers: users.staff.headers,
      });
      expect(ok.body).toMatchObject({ status: 'confirmed', reviewedBy: users.staff.user.id });
      expect((await totals()).totals).toMatchObject({ totalDue: 100_000, paid: 3_000 });
      expectProblem(
        await call(app, 'POST', `/api/payments/${reportId}/confirm`, {
          headers: users.staff.headers,
        }),
        409,
        'payment-not-pending',
      );
    });

    test('a rejected report keeps its reason and changes no balance', async () => {
      const res = await call<{ id: string }>(app, 'POST', '/api/payments/reported', {
        headers: users.collector.headers,
        json: report({ receiptNumber: 'R-0003' }),
      });
      const rejected = await call(app, 'POST', `/api/payments/${res.body.id}/reject`, {
        headers: users.owner.headers,
        json: { reason: 'recibo ilegível' },
      });
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        rejectionReason: 'recibo ilegível',
      });
      expect((await totals()).totals.totalDue).toBe(100_000);
      const pending = await call<{ items: unknown[] }>(app, 'GET', '/api/payments?status=pending', {
        headers: users.staff.headers,
      });
      expect(pending.body.items).toEqual([]);
    });
  });

  describe('confirmed payments', () => {
    // The detail names the field once, by its API name, then says what is wrong in pt-BR.
    test.each([
      [
        { date: '2025-03-11', amount: 100, method: 'pix' },
        'date',
        'date: o pagamento não pode ter data no futuro',
      ],
      [
        { date: '2025-03-10', amount: -5, method: 'pix' },
        'amount',
        'amount: o valor deve ser maior que zero',
      ],
      [
        { date: '2025-03-10', amount: 100, method: 'cheque' },
        'method',
        'method: a forma de pagamento deve ser cash, pix, transfer, boleto ou card',
      ],
    ])('rejects %j naming %s, writing nothing', async (json, field, detail) => {
      const before = await count();
      const res = await call(app, 'POST', '/api/payments', {
        headers: users.staff.headers,
        json: { debtId: debt, ...json },
      });
      expectProblem(res, 422, 'validation', field);
      expect((res.body as { detail?: string }).detail).toBe(detail);
      expect(await count()).toBe(before);
    });

    test('a collector cannot record a confirmed payment', async () => {
      expectProblem(
        await call(app, 'POST', '/api/payments', {
          headers: users.collector.headers,
          json: { debtId: debt, date: '2025-03-10', amount: 100, method: 'pix' },
        }),
        403,
        'forbidden',
      );
    });

    test('paying the rest settles the debt on the payment date', async () => {
      const res = await call(app, 'POST', '/api/payments', {
        headers: users.owner.headers,
        json: { debtId: debt, date: '2025-03-10', amount: 100_000, method: 'pix' },
      });
      expect(res.status).toBe(201);
      const after = await totals();
      expect(after.totals.totalDue).toBe(0);
      expect(after.debts[0]).toMatchObject({ status: 'settled', settledOn: '2025-03-10' });
      const feed = await db.query<{ entity: string; op: string }>(
        `SELECT entity, op FROM changes WHERE entity = 'debt' AND entity_id = $1 ORDER BY id`,
        [debt],
      );
      expect(feed.map((f) => f.op)).toEqual(['insert', 'update']);
    });
  });
});
