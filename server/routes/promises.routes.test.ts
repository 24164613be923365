import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { assign, createDebt, createDebtor } from '#test/helpers/ledger';

const DAY = 86_400_000;

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const clock = testClock('2025-03-10T12:00:00Z');
  let debtor: string;
  let debt: string;

  const status = async () =>
    (
      await call<{ status: string; cadence: { state: string; reason: string } }>(
        app,
        'GET',
        `/api/debtors/${debtor}`,
        {
          headers: users.owner.headers,
        },
      )
    ).body;
  const promise = (headers: Record<string, string>, over: Record<string, unknown> = {}) =>
    call<{ id: string; status: string; madeOn: string }>(app, 'POST', '/api/promises', {
      headers,
      json: {
        debtorId: debtor,
        debtIds: [debt],
        amount: 20_000,
        dueDate: '2025-03-14',
        channel: 'visit',
        ...over,
      },
    });

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
    debtor = await createDebtor(app, users.owner);
    debt = await createDebt(app, users.owner, debtor);
    await assign(app, users.owner, users.collector.user.id, [debtor]);
  });
  afterAll(async () => {
    await db.close();
  });

  test.each([
    [{ dueDate: '2025-04-30' }, 'promise-date-too-far'],
    [{ dueDate: '2025-03-09' }, 'promise-date-in-past'],
    [{ amount: 500 }, 'promise-below-minimum'],
  ])('refuses %j by the policy (%s)', async (over, rule) => {
    const res = await promise(users.collector.headers, over);
    expectProblem(res, 422, 'promise-rejected');
    expect(
      (res.body as unknown as { violations: { rule: string }[] }).violations.map((v) => v.rule),
    ).toContain(rule);
  });

  test('an active promise pauses the régua; a second one is a conflict', async () => {
    const res = await promise(users.collector.headers);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'active', madeOn: '2025-03-10' });
    expect(await status()).toMatchObject({
      status: 'promessa',
      cadence: { state: 'paused', reason: 'promise_active' },
    });
    expectProblem(await promise(users.staff.headers), 409, 'promise-active');
  });

  test('kept when paid by the date (derived, not typed in)', async () => {
    await call(app, 'POST', '/api/payments', {
      headers: users.staff.headers,
      json: { debtId: debt, date: '2025-03-10', amount: 20_000, method: 'pix' },
    });
    const list = await call<{ items: { status: string }[] }>(
      app,
      'GET',
      `/api/promises?debtorId=${debtor}`,
      {
        headers: users.collector.headers,
      },
    );
    expect(list.body.items.map((p) => p.status)).toEqual(['kept']);
  });

  test('broken the day after an unpaid date; after two broken, only the owner may accept another', async () => {
    for (const dueDate of ['2025-03-12', '2025-03-18']) {
      const res = await promise(users.collector.headers, { dueDate });
      expect(res.status).toBe(201);
      clock.advance(6 * DAY);
      expect((await status()).status).toBe('vencido');
    }
    const list = await call<{ items: { status: string }[] }>(
      app,
      'GET',
      `/api/promises?debtorId=${debtor}`,
      {
        headers: users.owner.headers,
      },
    );
    expect(list.body.items.map((p) => p.status)).toEqual(['kept', 'broken', 'broken']);
    const refused = await promise(users.collector.headers, { dueDate: '2025-03-25' });
    expectProblem(refused, 422, 'promise-needs-approval');
    const byOwner = await promise(users.owner.headers, { dueDate: '2025-03-25' });
    expect(byOwner.status).toBe(201);
    const cancelled = await call(app, 'POST', `/api/promises/${byOwner.body.id}/cancel`, {
      headers: users.collector.headers,
      json: { reason: 'cliente desistiu' },
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
  });
});
