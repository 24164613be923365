import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { createDebtor } from '#test/helpers/ledger';

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  let second: SeededUser;
  const clock = testClock('2025-03-10T12:00:00Z');

  const current = async (debtorId: string) =>
    db.query<{ collector_id: string }>(
      'SELECT collector_id FROM assignments WHERE debtor_id = $1 AND ended_at IS NULL',
      [debtorId],
    );

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
    second = await seedUser(db, 'collector', { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  test('bulk assign, move to another collector, unassign; the old collector loses access', async () => {
    const a = await createDebtor(app, users.owner);
    const b = await createDebtor(app, users.owner);
    const first = await call(app, 'POST', '/api/assignments', {
      headers: users.owner.headers,
      json: { collectorId: users.collector.user.id, debtorIds: [a, b, a] },
    });
    expect(first.body).toEqual({ assigned: 2, moved: 0, unchanged: 0 });
    const again = await call(app, 'POST', '/api/assignments', {
      headers: users.owner.headers,
      json: { collectorId: users.collector.user.id, debtorIds: [a] },
    });
    expect(again.body).toEqual({ assigned: 0, moved: 0, unchanged: 1 });
    expect(
      (await call(app, 'GET', `/api/debtors/${a}`, { headers: users.collector.headers })).status,
    ).toBe(200);
    const moved = await call(app, 'POST', '/api/assignments', {
      headers: users.owner.headers,
      json: { collectorId: second.user.id, debtorIds: [a] },
    });
    expect(moved.body).toEqual({ assigned: 1, moved: 1, unchanged: 0 });
    expect(await current(a)).toEqual([{ collector_id: second.user.id }]);
    expectProblem(
      await call(app, 'GET', `/api/debtors/${a}`, { headers: users.collector.headers }),
      404,
      'not-found',
    );
    const list = await call<{ items: { debtorId: string }[] }>(
      app,
      'GET',
      `/api/assignments?collectorId=${second.user.id}`,
      {
        headers: users.owner.headers,
      },
    );
    expect(list.body.items.map((i) => i.debtorId)).toEqual([a]);
    const un = await call(app, 'POST', '/api/assignments/unassign', {
      headers: users.owner.headers,
      json: { debtorIds: [a, b] },
    });
    expect(un.body).toEqual({ unassigned: 2, unchanged: 0 });
    expect(await current(b)).toEqual([]);
  });

  test('all or nothing: an unknown debtor or a non-collector rejects the whole request', async () => {
    const a = await createDebtor(app, users.owner);
    const unknown = '01890a5d-ac96-774b-bcce-b302099a8057';
    const res = await call(app, 'POST', '/api/assignments', {
      headers: users.owner.headers,
      json: { collectorId: users.collector.user.id, debtorIds: [a, unknown] },
    });
    expectProblem(res, 422, 'unknown-debtor');
    expect(res.body).toMatchObject({ missing: [unknown] });
    expect(await current(a)).toEqual([]);
    expectProblem(
      await call(app, 'POST', '/api/assignments', {
        headers: users.owner.headers,
        json: { collectorId: users.staff.user.id, debtorIds: [a] },
      }),
      422,
      'not-a-collector',
    );
    expectProblem(
      await call(app, 'POST', '/api/assignments', {
        headers: users.staff.headers,
        json: { collectorId: users.collector.user.id, debtorIds: [a] },
      }),
      403,
      'forbidden',
    );
  });
});
