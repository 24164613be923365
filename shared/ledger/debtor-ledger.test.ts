import { describe, expect, test } from 'vitest';
import { balanceOn } from '../charges/balance';
import type { DebtTerms } from '../charges/charges.schema';
import { cents } from '../money/money';
import { DEFAULT_AGREEMENT_RULES, type AgreementRules } from '../negotiation/agreement-rules';
import type { CalendarDate } from '../time/calendar-date';
import {
  agreementView,
  allocateInstallments,
  debtorLedger,
  type LedgerAgreement,
  type LedgerDebt,
  type LedgerPayment,
} from './debtor-ledger';
import { planPayment } from './plan-payment';

const d = (s: string) => s as CalendarDate;

function terms(dueDate: string, principal = 100_000): DebtTerms {
  return {
    principal: cents(principal),
    issueDate: d('2024-12-01'),
    dueDate: d(dueDate),
    kind: 'consumer',
    fineBps: 200,
    monthlyInterestBps: 100,
    fees: [],
    graceDays: 0,
  };
}

const A = '00000000-0000-7000-8000-00000000000a';
const D1 = '00000000-0000-7000-8000-0000000000d1';
const D2 = '00000000-0000-7000-8000-0000000000d2';
const D3 = '00000000-0000-7000-8000-0000000000d3';

const debts: LedgerDebt[] = [
  { id: D1, terms: terms('2025-01-10'), status: 'open' },
  { id: D2, terms: terms('2025-02-10', 50_000), status: 'open' },
];

/** An agreement made on 2025-03-10 over D1 + D2: R$ 1.200,00 in a 200,00 down payment + 2 × 500,00. */
function agreement(
  overrides: Partial<LedgerAgreement> = {},
  rules: AgreementRules = DEFAULT_AGREEMENT_RULES,
): LedgerAgreement {
  return {
    id: A,
    status: 'active',
    agreedOn: d('2025-03-10'),
    debtIds: [D1, D2],
    total: cents(120_000),
    concessions: cents(37_000),
    installments: [
      { number: 0, dueDate: d('2025-03-10'), amount: cents(20_000) },
      { number: 1, dueDate: d('2025-04-10'), amount: cents(50_000) },
      { number: 2, dueDate: d('2025-05-12'), amount: cents(50_000) },
    ],
    rules,
    ...overrides,
  };
}

const pay = (
  date: string,
  amount: number,
  to: 'agreement' | string = 'agreement',
): LedgerPayment => ({
  id: `p-${date}-${amount}`,
  debtId: to === 'agreement' ? null : to,
  agreementId: to === 'agreement' ? A : null,
  date: d(date),
  amount: cents(amount),
});

describe('allocateInstallments', () => {
  const list = agreement().installments;
  test.each([
    {
      label: 'nothing paid',
      payments: [],
      asOf: '2025-03-10',
      expected: [
        [0, 20_000, null, 'open'],
        [0, 50_000, null, 'open'],
        [0, 50_000, null, 'open'],
      ],
    },
    {
      label: 'the down payment, then a partial second',
      payments: [pay('2025-03-10', 20_000), pay('2025-04-01', 30_000)],
      asOf: '2025-04-05',
      expected: [
        [20_000, 0, '2025-03-10', 'paid'],
        [30_000, 20_000, null, 'partial'],
        [0, 50_000, null, 'open'],
      ],
    },
    {
      label: 'one payment spanning two installments, in order whatever it names',
      payments: [pay('2025-03-11', 70_000)],
      asOf: '2025-04-15',
      expected: [
        [20_000, 0, '2025-03-11', 'paid'],
        [50_000, 0, '2025-03-11', 'paid'],
        [0, 50_000, null, 'open'],
      ],
    },
    {
      label: 'a late, unpaid installment',
      payments: [pay('2025-03-10', 20_000)],
      asOf: '2025-04-12',
      expected: [
        [20_000, 0, '2025-03-10', 'paid'],
        [0, 50_000, null, 'late'],
        [0, 50_000, null, 'open'],
      ],
    },
  ])('$label', ({ payments, asOf, expected }) => {
    const { installments, unapplied } = allocateInstallments(
      list,
      payments,
      DEFAULT_AGREEMENT_RULES,
      d(asOf),
    );
    expect(installments.map((i) => [i.paid, i.remaining, i.paidOn, i.state])).toEqual(expected);
    expect(unapplied).toBe(0);
  });

  test('money past the total is unapplied; payments after asOf are not seen yet', () => {
    const r = allocateInstallments(
      list,
      [pay('2025-03-10', 130_000), pay('2025-06-01', 5_000)],
      DEFAULT_AGREEMENT_RULES,
      d('2025-05-01'),
    );
    expect(r.unapplied).toBe(10_000);
    expect(r.installments.every((i) => i.state === 'paid')).toBe(true);
  });

  test('the last day to pay is the due date + the tolerance', () => {
    const r = allocateInstallments(
      list,
      [],
      { ...DEFAULT_AGREEMENT_RULES, breakAfterDays: 5 },
      d('2025-03-01'),
    );
    expect(r.installments.map((i) => i.lastDayToPay)).toEqual([
      '2025-03-15',
      '2025-04-15',
      '2025-05-17',
    ]);
  });
});

describe('agreementView status', () => {
  test.each([
    {
      label: 'on time',
      payments: [pay('2025-03-10', 20_000)],
      asOf: '2025-04-15',
      status: 'active',
      brokenOn: null,
    },
    {
      label: 'installment 1 still unpaid on its last day to pay (10/04 + 5 = 15/04)',
      payments: [pay('2025-03-10', 20_000)],
      asOf: '2025-04-15',
      status: 'active',
      brokenOn: null,
    },
    {
      label: 'the day after the last day to pay',
      payments: [pay('2025-03-10', 20_000)],
      asOf: '2025-04-16',
      status: 'broken',
      brokenOn: '2025-04-16',
    },
    {
      label: 'paid late, after the last day, before anyone looked: still broken',
      payments: [pay('2025-03-10', 20_000), pay('2025-04-20', 50_000)],
      asOf: '2025-04-25',
      status: 'broken',
      brokenOn: '2025-04-16',
    },
    {
      label: 'partly paid by the last day: broken',
      payments: [pay('2025-03-10', 20_000), pay('2025-04-10', 49_999)],
      asOf: '2025-04-16',
      status: 'broken',
      brokenOn: '2025-04-16',
    },
    {
      label: 'everything paid on time: completed on the last payment day',
      payments: [pay('2025-03-10', 20_000), pay('2025-04-14', 50_000), pay('2025-05-12', 50_000)],
      asOf: '2025-05-20',
      status: 'completed',
      brokenOn: null,
    },
  ])('$label → $status', ({ payments, asOf, status, brokenOn }) => {
    const view = agreementView(agreement(), payments, d(asOf));
    expect(view.status).toBe(status);
    expect(view.brokenOn).toBe(brokenOn);
    if (status === 'completed') expect(view.completedOn).toBe('2025-05-12');
  });

  test.each(['pending_approval', 'rejected', 'cancelled', 'completed', 'broken'] as const)(
    'a stored %s is final',
    (status) => {
      expect(agreementView(agreement({ status }), [], d('2025-12-01')).status).toBe(status);
    },
  );

  test('a longer tolerance moves the break', () => {
    const rules = { ...DEFAULT_AGREEMENT_RULES, breakAfterDays: 10 };
    const view = (asOf: string) =>
      agreementView(agreement({}, rules), [pay('2025-03-10', 20_000)], d(asOf));
    expect(view('2025-04-20').status).toBe('active');
    expect(view('2025-04-21').status).toBe('broken');
  });
});

describe('debtorLedger', () => {
  test('without agreements each debt is its balanceOn and the total their sum', () => {
    const l = debtorLedger({
      debts,
      payments: [pay('2025-02-20', 10_000, D1)],
      agreements: [],
      asOf: d('2025-03-10'),
    });
    const b1 = balanceOn(
      debts[0]!.terms,
      [{ id: 'x', date: d('2025-02-20'), amount: cents(10_000) }],
      d('2025-03-10'),
    );
    const b2 = balanceOn(debts[1]!.terms, [], d('2025-03-10'));
    expect(l.debts.map((x) => x.breakdown.totalDue)).toEqual([b1.totalDue, b2.totalDue]);
    expect(l.totalDue).toBe(b1.totalDue + b2.totalDue);
    expect(l.inAgreement).toBe(0);
  });

  test('active: debts frozen on the agreement day, the total is the agreement’s remaining', () => {
    const asOf = d('2025-04-01');
    const l = debtorLedger({
      debts,
      payments: [pay('2025-03-10', 20_000)],
      agreements: [agreement()],
      asOf,
    });
    for (const v of l.debts) {
      expect(v.agreementStatus).toBe('active');
      expect(v.breakdown.asOf).toBe('2025-03-10');
    }
    expect(l.inAgreement).toBe(100_000);
    expect(l.totalDue).toBe(100_000);
  });

  test('active beside an uncovered debt: both count', () => {
    const third: LedgerDebt = { id: D3, terms: terms('2025-03-01', 10_000), status: 'open' };
    const asOf = d('2025-03-12');
    const l = debtorLedger({
      debts: [...debts, third],
      payments: [],
      agreements: [agreement()],
      asOf,
    });
    const b3 = balanceOn(third.terms, [], asOf);
    expect(l.totalDue).toBe(120_000 + b3.totalDue);
  });

  test('completed: every covered debt reads settled by the agreement', () => {
    const payments = [
      pay('2025-03-10', 20_000),
      pay('2025-04-10', 50_000),
      pay('2025-05-12', 50_000),
    ];
    const l = debtorLedger({ debts, payments, agreements: [agreement()], asOf: d('2025-06-01') });
    expect(l.agreements[0]?.status).toBe('completed');
    expect(l.totalDue).toBe(0);
    for (const v of l.debts) {
      expect(v.breakdown.totalDue).toBe(0);
      expect(v.breakdown.lines.at(-1)).toMatchObject({
        kind: 'payment',
        label: 'Quitada pelo acordo de 10/03/2025',
        date: '2025-05-12',
      });
    }
  });

  test('broken, concessions lost: the debts run again from their origin, minus what was paid, oldest first', () => {
    const payments = [pay('2025-03-10', 20_000)];
    const asOf = d('2025-04-20');
    const l = debtorLedger({ debts, payments, agreements: [agreement()], asOf });
    expect(l.agreements[0]?.status).toBe('broken');
    const b1 = balanceOn(debts[0]!.terms, [{ date: d('2025-03-10'), amount: cents(20_000) }], asOf);
    const b2 = balanceOn(debts[1]!.terms, [], asOf);
    expect(l.debts.map((v) => v.breakdown.totalDue)).toEqual([b1.totalDue, b2.totalDue]);
    expect(l.debts[0]?.breakdown.lines.find((x) => x.kind === 'payment')?.label).toBe(
      'Pagamento do acordo',
    );
    expect(l.totalDue).toBe(b1.totalDue + b2.totalDue);
    expect(l.debts.every((v) => v.agreementStatus === null)).toBe(true);
  });

  test('broken, concessions kept: they are credited on the agreement day, then the payments', () => {
    const rules: AgreementRules = { breakAfterDays: 5, concessionsOnBreak: 'kept' };
    const asOf = d('2025-04-20');
    const lost = debtorLedger({
      debts,
      payments: [pay('2025-03-10', 20_000)],
      agreements: [agreement()],
      asOf,
    });
    const kept = debtorLedger({
      debts,
      payments: [pay('2025-03-10', 20_000)],
      agreements: [agreement({}, rules)],
      asOf,
    });
    expect(kept.totalDue).toBeLessThan(lost.totalDue);
    // On the agreement day itself the kept concessions bring the debts back to the agreed total.
    const original = debts.reduce(
      (sum, x) => sum + balanceOn(x.terms, [], d('2025-03-10')).totalDue,
      0,
    );
    const onDay = debtorLedger({
      debts,
      payments: [],
      agreements: [
        agreement(
          { status: 'broken', brokenOn: d('2025-03-10'), concessions: cents(original - 120_000) },
          rules,
        ),
      ],
      asOf: d('2025-03-10'),
    });
    expect(onDay.totalDue).toBe(120_000);
    expect(
      kept.debts[0]?.breakdown.lines.some(
        (x) => x.label === 'Concessões mantidas do acordo de 10/03/2025',
      ),
    ).toBe(true);
  });

  test('payments spread oldest first: a payment larger than the oldest debt reaches the next', () => {
    const big = debtorLedger({
      debts,
      payments: [pay('2025-03-10', 20_000), pay('2025-04-10', 100_000)],
      agreements: [agreement({ status: 'broken', brokenOn: d('2025-05-18') })],
      asOf: d('2025-05-20'),
    });
    const b1 = big.debts[0]!.breakdown;
    expect(b1.totalDue).toBe(0);
    expect(big.debts[1]!.breakdown.paid).toBeGreaterThan(0);
  });
});

describe('planPayment', () => {
  const asOf = d('2025-03-10');
  const plain = debtorLedger({ debts, payments: [], agreements: [], asOf });
  const owed1 = plain.debts[0]!.breakdown.totalDue;
  const owed2 = plain.debts[1]!.breakdown.totalDue;

  test('to a debt: exact when it is what the debt owes', () => {
    expect(planPayment(plain, { kind: 'debt', debtId: D1 }, cents(owed1))).toMatchObject({
      owed: owed1,
      parts: [{ debtId: D1, agreementId: null, amount: owed1 }],
      surplus: 0,
      exact: true,
      problem: null,
    });
    expect(planPayment(plain, { kind: 'debt', debtId: D1 }, cents(owed1 - 1))).toMatchObject({
      exact: false,
      problem: null,
    });
  });

  test('R$ 99.999,99 on a R$ 1.124,17-like debt is above what is open, with the reason in pt-BR', () => {
    const p = planPayment(plain, { kind: 'debt', debtId: D1 }, cents(9_999_999));
    expect(p.problem).toBe('above_open');
    expect(p.surplus).toBe(9_999_999 - owed1);
    expect(p.message).toMatch(
      /^o valor \(R\$\s99\.999,99\) passa do que está em aberto \(R\$\s[\d.,]+\) em R\$/,
    );
  });

  test('to the debtor: every open debt, oldest first; exact for the whole', () => {
    const p = planPayment(plain, { kind: 'debtor' }, cents(owed1 + owed2));
    expect(p.parts).toEqual([
      { debtId: D1, agreementId: null, amount: owed1 },
      { debtId: D2, agreementId: null, amount: owed2 },
    ]);
    expect(p.exact).toBe(true);
  });

  const inAgreement = debtorLedger({
    debts,
    payments: [pay('2025-03-10', 20_000)],
    agreements: [agreement()],
    asOf: d('2025-03-20'),
  });

  test.each([
    {
      label: 'a covered debt routes to the agreement',
      target: { kind: 'debt' as const, debtId: D1 },
      amount: 50_000,
      exact: true,
    },
    {
      label: 'the named installment',
      target: { kind: 'installment' as const, agreementId: A, number: 1 },
      amount: 50_000,
      exact: true,
    },
    {
      label: 'an old installment txid pays the next open one',
      target: { kind: 'installment' as const, agreementId: A, number: 0 },
      amount: 50_000,
      exact: true,
    },
    {
      label: 'the whole remaining',
      target: { kind: 'installment' as const, agreementId: A, number: 2 },
      amount: 100_000,
      exact: true,
    },
    {
      label: 'part of an installment',
      target: { kind: 'installment' as const, agreementId: A, number: 1 },
      amount: 30_000,
      exact: false,
    },
    {
      label: 'the debtor txid pays the agreement first',
      target: { kind: 'debtor' as const },
      amount: 50_000,
      exact: true,
    },
  ])('$label', ({ target, amount, exact }) => {
    const p = planPayment(inAgreement, target, cents(amount));
    expect(p.parts).toEqual([{ debtId: null, agreementId: A, amount }]);
    expect(p.exact).toBe(exact);
    expect(p.problem).toBeNull();
  });

  test('an installment of a broken agreement is not payable as such', () => {
    const broken = debtorLedger({
      debts,
      payments: [],
      agreements: [agreement()],
      asOf: d('2025-04-20'),
    });
    expect(
      planPayment(broken, { kind: 'installment', agreementId: A, number: 1 }, cents(50_000)),
    ).toMatchObject({
      problem: 'agreement_not_active',
      message: 'o acordo foi desfeito por falta de pagamento',
      parts: [],
    });
  });

  test('nothing open', () => {
    const paid = debtorLedger({
      debts: [{ ...debts[0]!, status: 'settled' }],
      payments: [],
      agreements: [],
      asOf,
    });
    expect(planPayment(paid, { kind: 'debtor' }, cents(100))).toMatchObject({
      problem: 'nothing_open',
      surplus: 100,
    });
  });
});
