/**
 * Agreements that live (issue 12 §4), on PGlite and PostgreSQL, through the real API and the real
 * job with an injected clock: payments allocated to installments in order, completion settling the
 * debts, a missed installment breaking the agreement the day after its last day to pay (concessions
 * lost or kept as the rule copied onto it says), the régua resuming, installment steps in the
 * queue, overpayments refused unless recorded as a credit to return, and the phone seeing the
 * allocation and the status through the pull feed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { balanceOn } from '#shared/charges/balance';
import { cents } from '#shared/money/money';
import { txidForInstallment } from '#shared/pix/pix-txid';
import type { CalendarDate } from '#shared/time/calendar-date';
import { sweepAgreements } from '../server/agreements/agreement-job';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { forEachDb, openTestDb } from './helpers/test-db';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { call, expectProblem } from './helpers/http';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import { testDevice } from './helpers/sync';

interface Installment {
  number: number;
  dueDate: string;
  amount: number;
  paid: number;
  paidOn: string | null;
  lastDayToPay: string;
  txid: string;
}
interface AgreementBody {
  id: string;
  status: string;
  total: number;
  paid: number;
  remaining: number;
  completedOn: string | null;
  brokenOn: string | null;
  rules: { breakAfterDays: number; concessionsOnBreak: string };
  ruleText: string;
  installments: Installment[];
}
interface DebtorBody {
  status: string;
  totals: { totalDue: number; inAgreement?: number };
  debts: {
    id: string;
    status: string;
    balance: { totalDue: number; lines: { label: string }[] };
  }[];
}

const d = (s: string) => s as CalendarDate;

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const clock = testClock('2025-03-10T12:00:00Z');
  const h = () => users.owner.headers;
  /** Moves the clock; the owner signs in again then (a session would have expired). */
  async function travel(iso: string) {
    clock.advance(Date.parse(iso) - clock.now().getTime());
    users.owner = await seedUser(db, 'owner', { now: clock.now() });
  }

  /** A debtor with one debt 40 days late (discounts unlocked) and an agreement over it. */
  async function withAgreement(
    extra: Record<string, unknown> = {},
    debtorFields: Record<string, unknown> = {},
  ) {
    const debtor = await createDebtor(app, users.owner, debtorFields);
    const debt = await createDebt(app, users.owner, debtor, {
      dueDate: '2025-01-29',
      issueDate: '2024-12-29',
    });
    const res = await call<AgreementBody>(app, 'POST', '/api/agreements', {
      headers: h(),
      json: {
        debtorId: debtor,
        debtIds: [debt],
        waiveFine: true,
        discountBps: 1_000,
        downPayment: 20_000,
        installments: 3,
        firstDueDate: '2025-03-14',
        ...extra,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { debtor, debt, agreement: res.body };
  }
  const pay = (debtId: string, amount: number, date: string, more: Record<string, unknown> = {}) =>
    call<{ id: string; debtId: string | null; agreementId: string | null; refundDue: number }>(
      app,
      'POST',
      '/api/payments',
      { headers: h(), json: { debtId, amount, date, method: 'pix', ...more } },
    );
  const agreementOf = async (id: string) =>
    (await call<AgreementBody>(app, 'GET', `/api/agreements/${id}`, { headers: h() })).body;
  const debtorOf = async (id: string) =>
    (await call<DebtorBody>(app, 'GET', `/api/debtors/${id}`, { headers: h() })).body;

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
    const org = await call(app, 'PUT', '/api/settings/organisation', {
      headers: h(),
      json: {
        legalName: 'Padaria Pão Quente Ltda',
        tradeName: 'Pão Quente',
        document: '11.222.333/0001-81',
        address: {
          street: 'Rua das Flores',
          number: '123',
          district: 'Centro',
          city: 'Campinas',
          state: 'SP',
          postalCode: '13010-000',
        },
        pix: { key: '11.222.333/0001-81', keyType: 'cnpj' },
      },
    });
    expect(org.status, JSON.stringify(org.body)).toBe(200);
  });
  afterAll(async () => {
    await db.close();
  });

  test('the agreement carries its rule and each installment its txid', async () => {
    const { agreement } = await withAgreement();
    expect(agreement.rules).toEqual({ breakAfterDays: 5, concessionsOnBreak: 'lost' });
    expect(agreement.ruleText).toContain('por mais de 5 dias depois do vencimento');
    expect(agreement.ruleText).toContain('são perdidos');
    expect(agreement.installments.map((i) => [i.number, i.lastDayToPay])).toEqual([
      [0, '2025-03-19'],
      [1, '2025-04-19'],
      [2, '2025-05-19'],
      [3, '2025-06-21'],
    ]);
    for (const i of agreement.installments)
      expect(i.txid).toBe(txidForInstallment(agreement.id, i.number));
  });

  test('payments go to the installments in order; all paid completes it and settles the debt', async () => {
    const { debtor, debt, agreement } = await withAgreement();
    const down = await pay(debt, 20_000, '2025-03-10');
    expect(down.status, JSON.stringify(down.body)).toBe(201);
    // Money for a debt an active agreement covers pays the agreement.
    expect(down.body).toMatchObject({ debtId: null, agreementId: agreement.id });
    let a = await agreementOf(agreement.id);
    expect(a.installments.map((i) => [i.paid, i.paidOn])).toEqual([
      [20_000, '2025-03-10'],
      [0, null],
      [0, null],
      [0, null],
    ]);
    expect(a).toMatchObject({
      status: 'active',
      paid: 20_000,
      remaining: agreement.total - 20_000,
    });
    let view = await debtorOf(debtor);
    expect(view.status).toBe('acordo');
    expect(view.totals).toMatchObject({
      totalDue: agreement.total - 20_000,
      inAgreement: agreement.total - 20_000,
    });

    // One payment spanning the first installment and part of the second.
    const first = agreement.installments[1]?.amount ?? 0;
    await pay(debt, first + 1_000, '2025-03-10');
    a = await agreementOf(agreement.id);
    expect(a.installments.map((i) => i.paid)).toEqual([20_000, first, 1_000, 0]);

    await pay(debt, a.remaining, '2025-03-10');
    a = await agreementOf(agreement.id);
    expect(a).toMatchObject({ status: 'completed', completedOn: '2025-03-10', remaining: 0 });
    view = await debtorOf(debtor);
    expect(view.debts[0]).toMatchObject({ id: debt, status: 'settled' });
    expect(view.debts[0]?.balance.totalDue).toBe(0);
    expect(view.debts[0]?.balance.lines.at(-1)?.label).toBe('Quitada pelo acordo de 10/03/2025');
    expect(view.totals.totalDue).toBe(0);
    const audits = await db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [agreement.id],
    );
    expect(audits.map((x) => x.action)).toContain('agreement.complete');
  });

  test('more than the agreement expects is refused, unless recorded as a credit to return', async () => {
    const { debt, agreement } = await withAgreement();
    const res = await pay(debt, agreement.total + 1, '2025-03-10');
    expectProblem(res, 422, 'payment-above-open', 'amount');
    expect((res.body as unknown as { detail: string }).detail).toMatch(
      /passa do que está em aberto .* em R\$\s0,01\. Para registrar mesmo assim, marque o excedente como crédito a devolver/,
    );
    const ok = await pay(debt, agreement.total + 1, '2025-03-10', { creditToReturn: true });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.refundDue).toBe(1);
    expect((await agreementOf(agreement.id)).status).toBe('completed');
  });

  describe('a missed installment', () => {
    test('breaks the agreement the day after its last day to pay; concessions lost', async () => {
      const { debtor, debt, agreement } = await withAgreement();
      await pay(debt, 20_000, '2025-03-10');
      // Installment 1 is due 2025-04-14, payable until 2025-04-19.
      const onLastDay = await sweepAgreements(db, new Date('2025-04-19T23:00:00-03:00'));
      expect(onLastDay.broken.map((b) => b.id)).not.toContain(agreement.id);
      const feedBefore = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM changes WHERE entity = 'agreement' AND entity_id = $1`,
        [agreement.id],
      );
      const sweep = await sweepAgreements(db, new Date('2025-04-20T09:00:00-03:00'));
      expect(sweep.broken).toContainEqual({
        id: agreement.id,
        debtorId: debtor,
        brokenOn: '2025-04-20',
      });
      // Idempotent: a second run breaks nothing again.
      const again = await sweepAgreements(db, new Date('2025-04-20T10:00:00-03:00'));
      expect(again.broken.map((b) => b.id)).not.toContain(agreement.id);
      // The phones learn it from the feed; the owner from the audit log and the lists.
      const feedAfter = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM changes WHERE entity = 'agreement' AND entity_id = $1`,
        [agreement.id],
      );
      expect((feedAfter[0]?.n ?? 0) - (feedBefore[0]?.n ?? 0)).toBe(1);
      const [audited] = await db.query<{ detail: { brokenOn: string } }>(
        `SELECT detail FROM audit_log WHERE action = 'agreement.break' AND entity_id = $1`,
        [agreement.id],
      );
      expect(audited?.detail.brokenOn).toBe('2025-04-20');

      await travel('2025-04-20T12:00:00Z');
      try {
        expect(await agreementOf(agreement.id)).toMatchObject({
          status: 'broken',
          brokenOn: '2025-04-20',
        });
        const broken = (
          await call<{ items: { id: string }[] }>(app, 'GET', '/api/agreements?status=broken', {
            headers: h(),
          })
        ).body.items.map((x) => x.id);
        expect(broken).toContain(agreement.id);
        // Concessions lost: the original debt with multa and juros, less what was paid.
        const terms = {
          principal: cents(100_000),
          issueDate: d('2024-12-29'),
          dueDate: d('2025-01-29'),
          kind: 'consumer' as const,
          fineBps: 200,
          monthlyInterestBps: 100,
          fees: [],
          graceDays: 0,
        };
        const expected = balanceOn(
          terms,
          [{ date: d('2025-03-10'), amount: cents(20_000) }],
          d('2025-04-20'),
        ).totalDue;
        const view = await debtorOf(debtor);
        expect(view.totals.totalDue).toBe(expected);
        expect(view.totals.inAgreement).toBeUndefined();
        expect(view.status).toBe('vencido');
        // The régua resumes on what is left.
        const queue = await call<{ items: { debtor: { id: string } }[] }>(
          app,
          'GET',
          '/api/cadence/today',
          { headers: h() },
        );
        expect(queue.status).toBe(200);
        // An installment txid of a broken agreement no longer takes money as an installment.
        const late = await pay(debt, 10_000, '2025-04-20', {
          agreementId: agreement.id,
          installmentNumber: 1,
        });
        expectProblem(late, 409, 'agreement-not-active');
      } finally {
        await travel('2025-03-10T12:00:00Z');
      }
    });

    test('with the policy keeping concessions, the break keeps them', async () => {
      const put = await call(app, 'PUT', '/api/settings/negotiation', {
        headers: h(),
        json: {
          ...(
            await call<{ value: Record<string, unknown> }>(
              app,
              'GET',
              '/api/settings/negotiation',
              {
                headers: h(),
              },
            )
          ).body.value,
          concessionsOnBreak: 'kept',
          breakAfterDays: 3,
        },
      });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      try {
        const kept = await withAgreement();
        expect(kept.agreement.rules).toEqual({ breakAfterDays: 3, concessionsOnBreak: 'kept' });
        expect(kept.agreement.ruleText).toContain('continuam valendo');
        await pay(kept.debt, 20_000, '2025-03-10');
        // 2025-04-14 + 3 = 2025-04-17: broken on the 18th.
        const sweep = await sweepAgreements(db, new Date('2025-04-18T09:00:00-03:00'));
        expect(sweep.broken).toContainEqual({
          id: kept.agreement.id,
          debtorId: kept.debtor,
          brokenOn: '2025-04-18',
        });
        await travel('2025-04-20T12:00:00Z');
        const view = await debtorOf(kept.debtor);
        expect(
          view.debts[0]?.balance.lines.some(
            (l) => l.label === 'Concessões mantidas do acordo de 10/03/2025',
          ),
        ).toBe(true);
        // Less than the same debt with the concessions lost.
        const full = balanceOn(
          {
            principal: cents(100_000),
            issueDate: d('2024-12-29'),
            dueDate: d('2025-01-29'),
            kind: 'consumer',
            fineBps: 200,
            monthlyInterestBps: 100,
            fees: [],
            graceDays: 0,
          },
          [{ date: d('2025-03-10'), amount: cents(20_000) }],
          d('2025-04-20'),
        ).totalDue;
        expect(view.totals.totalDue).toBeLessThan(full);
      } finally {
        await travel('2025-03-10T12:00:00Z');
        const current = (
          await call<{ value: Record<string, unknown> }>(app, 'GET', '/api/settings/negotiation', {
            headers: h(),
          })
        ).body.value;
        const restored = await call(app, 'PUT', '/api/settings/negotiation', {
          headers: h(),
          json: { ...current, concessionsOnBreak: 'lost', breakAfterDays: 5 },
        });
        expect(restored.status, JSON.stringify(restored.body)).toBe(200);
      }
    });
  });

  test('the régua reminds each installment two days before, with its own PIX', async () => {
    const { debtor, agreement } = await withAgreement(
      {},
      {
        contactPoints: [
          { kind: 'phone', value: '+5511987654321', isWhatsapp: true, verified: true },
        ],
      },
    );
    // Two days before the down payment's due date (2025-03-14): Wednesday 12/03 at 10h.
    clock.advance(Date.parse('2025-03-12T13:00:00Z') - clock.now().getTime());
    try {
      const queue = await call<{
        items: {
          debtor: { id: string };
          step: { id: string; installment: { agreementId: string; number: number } | null };
          message: { body: string } | null;
          pix: string | null;
        }[];
      }>(app, 'GET', '/api/cadence/today', { headers: h() });
      const listed = queue.body.items.find((i) => i.debtor.id === debtor);
      expect(listed?.step.id).toBe('parcela-2');
      // The page carries no message nor PIX: opening the item renders them.
      const opened = await call<{ item: (typeof queue.body.items)[number] }>(
        app,
        'GET',
        `/api/cadence/today/${debtor}`,
        { headers: h() },
      );
      expect(opened.status).toBe(200);
      const item = opened.body.item;
      expect(item?.step.id).toBe('parcela-2');
      expect(item?.step.installment).toMatchObject({ agreementId: agreement.id, number: 0 });
      expect(item?.pix).toContain(txidForInstallment(agreement.id, 0));
      expect(item?.message?.body).toContain('a parcela de R$');
      expect(item?.message?.body).toContain('vence em 14/03/2025');
    } finally {
      clock.advance(Date.parse('2025-03-10T12:00:00Z') - clock.now().getTime());
    }
  });

  test('a payment above a R$ 124,17 debt is refused with the reason, a credit to return accepted', async () => {
    const debtor = await createDebtor(app, users.owner);
    const debt = await createDebt(app, users.owner, debtor, {
      principal: 12_417,
      dueDate: '2025-03-20',
      issueDate: '2025-02-20',
    });
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM payments');
    const res = await pay(debt, 9_999_999, '2025-03-10');
    expectProblem(res, 422, 'payment-above-open', 'amount');
    expect((res.body as unknown as { detail: string }).detail).toMatch(
      /^o valor \(R\$\s99\.999,99\) passa do que está em aberto \(R\$\s124,17\) em R\$\s99\.875,82/,
    );
    expect(await db.query<{ n: number }>('SELECT count(*)::int AS n FROM payments')).toEqual(
      before,
    );
    // The collector's report is held to the same rule.
    const report = await call(app, 'POST', '/api/payments/reported', {
      headers: h(),
      json: {
        debtId: debt,
        date: '2025-03-10',
        amount: 12_418,
        method: 'cash',
        receiptNumber: 'R-124',
        reportedAt: '2025-03-10T11:00:00.000Z',
      },
    });
    expectProblem(report, 422, 'payment-above-open', 'amount');
    const ok = await pay(debt, 9_999_999, '2025-03-10', { creditToReturn: true });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.refundDue).toBe(9_987_582);
    const view = await debtorOf(debtor);
    expect(view.debts[0]?.status).toBe('settled');
    expect(view.totals.totalDue).toBe(0);
  });

  test('the collector’s phone sees the allocation and the status through the pull feed', async () => {
    const { debtor, debt, agreement } = await withAgreement();
    await assign(app, users.owner, users.collector.user.id, [debtor]);
    const device = testDevice(app, users.collector.headers, clock.now);
    await device.sync();
    expect(device.state.get(`agreement:${agreement.id}`)).toMatchObject({
      status: 'active',
      paid: 0,
    });
    await pay(debt, 20_000, '2025-03-10');
    await device.sync();
    const pulled = device.state.get(`agreement:${agreement.id}`) as unknown as AgreementBody;
    expect(pulled.installments[0]).toMatchObject({ paid: 20_000, paidOn: '2025-03-10' });
    expect(pulled.paid).toBe(20_000);
    await sweepAgreements(db, new Date('2025-04-20T09:00:00-03:00'));
    await device.sync();
    expect(device.state.get(`agreement:${agreement.id}`)).toMatchObject({
      status: 'broken',
      brokenOn: '2025-04-20',
    });
  });
});
