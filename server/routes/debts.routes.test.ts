import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { assign, createDebt, createDebtor } from '#test/helpers/ledger';

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const clock = testClock('2025-03-10T12:00:00Z');
  let debtor: string;

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
    debtor = await createDebtor(app, users.owner);
    await assign(app, users.owner, users.collector.user.id, [debtor]);
  });
  afterAll(async () => {
    await db.close();
  });

  test('a consumer fine above 2% is capped in the balance, with a warning', async () => {
    const id = await createDebt(app, users.owner, debtor, { fineBps: 1_000 });
    const res = await call<{ balance: { fine: number; warnings: { code: string }[] } }>(
      app,
      'GET',
      `/api/debts/${id}`,
      {
        headers: users.collector.headers,
      },
    );
    expect(res.body.balance.fine).toBe(2_000);
    expect(res.body.balance.warnings.map((w) => w.code)).toEqual(['consumer-fine-capped']);
  });

  test.each([
    [{ principal: 0 }, 'principal'],
    [{ dueDate: '2024-12-01' }, 'dueDate'],
    [{ dueDate: '31/02/2025' }, 'dueDate'],
    [{ kind: 'other' }, 'kind'],
  ])('rejects %j naming %s', async (over, field) => {
    const res = await call(app, 'POST', '/api/debts', {
      headers: users.staff.headers,
      json: {
        debtorId: debtor,
        description: 'X',
        principal: 100,
        issueDate: '2025-01-01',
        dueDate: '2025-02-01',
        kind: 'consumer',
        ...over,
      },
    });
    expectProblem(res, 422, 'validation', field);
  });

  test('collectors read debts of assigned debtors but cannot create them', async () => {
    expectProblem(
      await call(app, 'POST', '/api/debts', {
        headers: users.collector.headers,
        json: {
          debtorId: debtor,
          description: 'X',
          principal: 100,
          issueDate: '2025-01-01',
          dueDate: '2025-02-01',
          kind: 'consumer',
        },
      }),
      403,
      'forbidden',
    );
    const list = await call<{ items: unknown[] }>(app, 'GET', `/api/debts?debtorId=${debtor}`, {
      headers: users.collector.headers,
    });
    expect(list.status).toBe(200);
  });

  test('patch checks the version; cancel removes the debt from the totals', async () => {
    const id = await createDebt(app, users.owner, debtor, {
      principal: 50_000,
      dueDate: '2025-03-20',
      issueDate: '2025-02-20',
    });
    const ok = await call<{ version: number; description: string; balance: { totalDue: number } }>(
      app,
      'PATCH',
      `/api/debts/${id}`,
      {
        headers: users.staff.headers,
        json: { version: 1, description: 'Corrigida', principal: 60_000 },
      },
    );
    expect(ok.body).toMatchObject({
      version: 2,
      description: 'Corrigida',
      balance: { totalDue: 60_000 },
    });
    expectProblem(
      await call(app, 'PATCH', `/api/debts/${id}`, {
        headers: users.staff.headers,
        json: { version: 1, description: 'Velha' },
      }),
      409,
      'stale-version',
    );
    const before = await call<{ totals: { totalDue: number } }>(
      app,
      'GET',
      `/api/debtors/${debtor}`,
      { headers: users.owner.headers },
    );
    const cancelled = await call(app, 'POST', `/api/debts/${id}/cancel`, {
      headers: users.owner.headers,
      json: { reason: 'emitida em duplicidade' },
    });
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancelReason: 'emitida em duplicidade',
    });
    const after = await call<{ totals: { totalDue: number } }>(
      app,
      'GET',
      `/api/debtors/${debtor}`,
      { headers: users.owner.headers },
    );
    expect(before.body.totals.totalDue - after.body.totals.totalDue).toBe(60_000);
    expectProblem(
      await call(app, 'POST', `/api/debts/${id}/cancel`, {
        headers: users.owner.headers,
        json: { reason: 'de novo' },
      }),
      409,
      'debt-not-open',
    );
  });
});
