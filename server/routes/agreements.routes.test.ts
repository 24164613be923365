import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { assign, createDebt, createDebtor } from '#test/helpers/ledger';

interface AgreementBody {
  id: string;
  status: string;
  total: number;
  concessions: { discount: number; fineWaived: number };
  installments: { number: number; amount: number; dueDate: string }[];
}

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const clock = testClock('2025-03-10T12:00:00Z');

  const propose = (headers: Record<string, string>, json: Record<string, unknown>) =>
    call<AgreementBody>(app, 'POST', '/api/agreements', { headers, json });

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  test('discounts stay locked before a step that allows them', async () => {
    const debtor = await createDebtor(app, users.owner);
    // 20 days late: step d+15 (negotiation without discount).
    const debt = await createDebt(app, users.owner, debtor, {
      dueDate: '2025-02-18',
      issueDate: '2025-01-18',
    });
    const res = await propose(users.staff.headers, {
      debtorId: debtor,
      debtIds: [debt],
      discountAmount: 1_000,
      downPayment: 20_000,
      installments: 2,
      firstDueDate: '2025-03-12',
    });
    expectProblem(res, 422, 'proposal-rejected');
    expect(
      (res.body as unknown as { violations: { rule: string }[] }).violations.map((v) => v.rule),
    ).toContain('discount-locked');
    expect(await db.query('SELECT 1 FROM agreements WHERE debtor_id = $1', [debtor])).toEqual([]);
  });

  test('inside the policy it is active at once, the schedule adds up and each concession is logged', async () => {
    const debtor = await createDebtor(app, users.owner);
    await assign(app, users.owner, users.collector.user.id, [debtor]);
    // 40 days late: step d+30 allows discounts; the band from 31 days allows 10%.
    const debt = await createDebt(app, users.owner, debtor, {
      dueDate: '2025-01-29',
      issueDate: '2024-12-29',
    });
    const res = await propose(users.collector.headers, {
      debtorId: debtor,
      debtIds: [debt],
      discountBps: 1_000,
      waiveFine: true,
      downPayment: 20_000,
      installments: 3,
      firstDueDate: '2025-03-14',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('active');
    // Balance 100.000 + 2.000 multa + 1.333 juros; multa waived; 10% off the rest.
    expect(res.body.concessions).toEqual({
      discount: 10_133,
      fineWaived: 2_000,
      interestWaived: 0,
    });
    expect(res.body.total).toBe(91_200);
    expect(res.body.installments.reduce((s, i) => s + i.amount, 0)).toBe(91_200);
    expect(res.body.installments.map((i) => i.number)).toEqual([0, 1, 2, 3]);
    const concessions = await db.query<{ kind: string; amount_cents: number }>(
      'SELECT kind, amount_cents FROM concessions WHERE agreement_id = $1 ORDER BY kind',
      [res.body.id],
    );
    expect(concessions).toEqual([
      { kind: 'discount', amount_cents: 10_133 },
      { kind: 'waive_fine', amount_cents: 2_000 },
    ]);
    const audits = await db.query(
      `SELECT 1 FROM audit_log WHERE action = 'agreement.concession' AND entity_id = $1`,
      [res.body.id],
    );
    expect(audits).toHaveLength(2);
    const detail = await call<{ status: string; cadence: { state: string } }>(
      app,
      'GET',
      `/api/debtors/${debtor}`,
      {
        headers: users.owner.headers,
      },
    );
    expect(detail.body).toMatchObject({ status: 'acordo', cadence: { state: 'paused' } });
    expectProblem(
      await propose(users.staff.headers, {
        debtorId: debtor,
        debtIds: [debt],
        downPayment: 103_000,
        installments: 0,
        firstDueDate: '2025-03-14',
      }),
      409,
      'agreement-active',
    );
  });

  test('above the approval limit it waits for the owner; staff cannot approve', async () => {
    const debtor = await createDebtor(app, users.owner);
    const debt = await createDebt(app, users.owner, debtor, { principal: 2_000_000 });
    const res = await propose(users.staff.headers, {
      debtorId: debtor,
      debtIds: [debt],
      downPayment: 206_000,
      installments: 9,
      firstDueDate: '2025-03-14',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('pending_approval');
    expectProblem(
      await call(app, 'POST', `/api/agreements/${res.body.id}/approve`, {
        headers: users.staff.headers,
      }),
      403,
      'forbidden',
    );
    const approved = await call<AgreementBody>(
      app,
      'POST',
      `/api/agreements/${res.body.id}/approve`,
      { headers: users.owner.headers },
    );
    expect(approved.body.status).toBe('active');
    expectProblem(
      await call(app, 'POST', `/api/agreements/${res.body.id}/reject`, {
        headers: users.owner.headers,
        json: { reason: 'tarde' },
      }),
      409,
      'agreement-not-pending',
    );
  });

  test('the owner may reject a pending agreement with a reason', async () => {
    const debtor = await createDebtor(app, users.owner);
    const debt = await createDebt(app, users.owner, debtor, { principal: 2_000_000 });
    const res = await propose(users.owner.headers, {
      debtorId: debtor,
      debtIds: [debt],
      downPayment: 2_060_000,
      installments: 0,
      firstDueDate: '2025-03-10',
    });
    const rejected = await call(app, 'POST', `/api/agreements/${res.body.id}/reject`, {
      headers: users.owner.headers,
      json: { reason: 'sem garantia' },
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: 'sem garantia' });
  });
});
