import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { createDebt, createDebtor } from '#test/helpers/ledger';

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const clock = testClock('2025-03-10T12:00:00Z');
  let debtor: string;
  let debt: string;

  const escalate = (headers: Record<string, string> = users.owner.headers, debtId = debt) =>
    call<{ id: string; status: string; blockers?: { code: string; allowedOn?: string }[] }>(
      app,
      'POST',
      '/api/escalations',
      {
        headers,
        json: { debtorId: debtor, debtId, kind: 'negativacao', agency: 'Serasa' },
      },
    );
  const notice = (sentOn: string, debtId = debt) =>
    call<{ waitingDays: number }>(app, 'POST', '/api/notices', {
      headers: users.staff.headers,
      json: {
        debtorId: debtor,
        debtId,
        purpose: 'negativacao',
        method: 'letter',
        sentTo: 'Rua A, 1',
        sentOn,
        amountStated: 103_000,
      },
    });

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
    debtor = await createDebtor(app, users.owner, {
      address: {
        street: 'Rua A',
        number: '1',
        district: 'Centro',
        city: 'São Paulo',
        state: 'SP',
        postalCode: '01001000',
      },
    });
    debt = await createDebt(app, users.owner, debtor);
  });
  afterAll(async () => {
    await db.close();
  });

  test('without a written notice it is blocked; staff may not escalate at all', async () => {
    expectProblem(await escalate(users.staff.headers), 403, 'forbidden');
    const res = await escalate();
    expectProblem(res, 422, 'escalation-blocked');
    expect(res.body.blockers).toEqual([{ code: 'notice_missing' }]);
  });

  test('a notice too recent blocks until the SP waiting period (20 days) has run', async () => {
    const other = await createDebt(app, users.owner, debtor);
    const sent = await notice('2025-03-01', other);
    expect(sent.status).toBe(201);
    expect(sent.body.waitingDays).toBe(20);
    const res = await escalate(users.owner.headers, other);
    expectProblem(res, 422, 'escalation-blocked');
    expect(res.body.blockers).toEqual([{ code: 'notice_too_recent', allowedOn: '2025-03-21' }]);
  });

  test('an open dispute blocks; resolved against the debtor, escalation proceeds', async () => {
    await notice('2025-02-15');
    const dispute = await call<{ id: string; status: string }>(app, 'POST', '/api/disputes', {
      headers: users.staff.headers,
      json: { debtorId: debtor, debtId: debt, reason: 'already_paid' },
    });
    expect(dispute.body.status).toBe('open');
    const paused = await escalate();
    expectProblem(paused, 422, 'escalation-blocked');
    expect(paused.body.blockers).toEqual([{ code: 'dispute_open' }]);
    const resolved = await call(app, 'POST', `/api/disputes/${dispute.body.id}/resolve`, {
      headers: users.staff.headers,
      json: { outcome: 'rejected', note: 'sem comprovante' },
    });
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolution: { outcome: 'rejected' },
    });
    const ok = await escalate();
    expect(ok.status).toBe(201);
    expect(ok.body.status).toBe('requested');
    expectProblem(await escalate(), 409, 'escalation-exists');
  });

  test('listed, then paid: removal due in 5 business days (Súmula 548), then removed', async () => {
    const [row] = await db.query<{ id: string }>('SELECT id FROM escalations WHERE debt_id = $1', [
      debt,
    ]);
    const id = row?.id ?? '';
    const listed = await call(app, 'POST', `/api/escalations/${id}/listed`, {
      headers: users.owner.headers,
      json: { listedOn: '2025-03-10' },
    });
    expect(listed.body).toMatchObject({ status: 'listed', listedOn: '2025-03-10' });
    const detail = await call<{ status: string }>(app, 'GET', `/api/debtors/${debtor}`, {
      headers: users.owner.headers,
    });
    expect(detail.body.status).toBe('negativado');
    await call(app, 'POST', '/api/payments', {
      headers: users.staff.headers,
      json: { debtId: debt, date: '2025-03-10', amount: 103_000, method: 'pix' },
    });
    const pending = await call<{
      items: { status: string; paidOn: string; removalDueBy: string; removalOverdue: boolean }[];
    }>(app, 'GET', '/api/escalations?status=removal_due', { headers: users.staff.headers });
    // Monday 10/03 + 5 business days = Monday 17/03.
    expect(pending.body.items).toEqual([
      expect.objectContaining({
        status: 'removal_pending',
        paidOn: '2025-03-10',
        removalDueBy: '2025-03-17',
        removalOverdue: false,
      }),
    ]);
    const removed = await call(app, 'POST', `/api/escalations/${id}/removed`, {
      headers: users.owner.headers,
      json: { removedOn: '2025-03-10' },
    });
    expect(removed.body).toMatchObject({ status: 'removed', removedOn: '2025-03-10' });
  });
});
