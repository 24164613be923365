import { describe, expect, test } from 'vitest';
import { cents } from '../money/money';
import { calendarDate } from '../time/calendar-date';
import { DEFAULT_PROMISE_POLICY, promiseStatus, validatePromise } from './promise';

const d = calendarDate;
const TODAY = d('2025-06-02');

function check(amount: number, dueDate: string, balance = 100_000, broken = 0) {
  return validatePromise(
    DEFAULT_PROMISE_POLICY,
    { amount: cents(amount), dueDate: d(dueDate) },
    { today: TODAY, balance: cents(balance), brokenPromisesCount: broken },
  );
}

describe('validatePromise', () => {
  test.each([
    { name: 'a week ahead', amount: 5_000, due: '2025-06-09', balance: 100_000 },
    { name: 'today', amount: 5_000, due: '2025-06-02', balance: 100_000 },
    { name: 'exactly 15 days ahead', amount: 5_000, due: '2025-06-17', balance: 100_000 },
    { name: 'exactly the minimum', amount: 1_000, due: '2025-06-09', balance: 100_000 },
    { name: 'the whole balance, under the minimum', amount: 800, due: '2025-06-09', balance: 800 },
  ])('accepts $name', ({ amount, due, balance }) => {
    expect(check(amount, due, balance)).toEqual({
      ok: true,
      violations: [],
      needsApproval: false,
      approvalReasons: [],
    });
  });

  test.each([
    {
      rule: 'promise-date-in-past',
      amount: 5_000,
      due: '2025-06-01',
      balance: 100_000,
      limit: 0,
      actual: -1,
    },
    {
      rule: 'promise-date-too-far',
      amount: 5_000,
      due: '2025-06-18',
      balance: 100_000,
      limit: 15,
      actual: 16,
    },
    {
      rule: 'promise-below-minimum',
      amount: 999,
      due: '2025-06-09',
      balance: 100_000,
      limit: 1_000,
      actual: 999,
    },
    {
      rule: 'promise-below-minimum',
      amount: 700,
      due: '2025-06-09',
      balance: 800,
      limit: 800,
      actual: 700,
    },
    { rule: 'nothing-owed', amount: 5_000, due: '2025-06-09', balance: 0, limit: 1, actual: 0 },
  ])('$rule: $amount on $due owing $balance', ({ rule, amount, due, balance, limit, actual }) => {
    const r = check(amount, due, balance);
    expect(r.ok).toBe(false);
    expect(r.violations.map((x) => [x.rule, x.limit, x.actual])).toEqual([[rule, limit, actual]]);
  });

  test.each([
    { broken: 0, needsApproval: false },
    { broken: 1, needsApproval: false },
    { broken: 2, needsApproval: true },
    { broken: 5, needsApproval: true },
  ])('$broken broken promises: approval $needsApproval', ({ broken, needsApproval }) => {
    const r = check(5_000, '2025-06-09', 100_000, broken);
    expect([r.ok, r.needsApproval]).toEqual([true, needsApproval]);
    expect(r.approvalReasons.map((x) => x.rule)).toEqual(
      needsApproval ? ['too-many-broken-promises'] : [],
    );
  });

  test('names every broken rule at once, in pt-BR', () => {
    const r = check(500, '2025-07-01', 0, 3);
    expect(r.violations.map((x) => x.message)).toEqual([
      'Não há saldo em aberto para prometer pagamento.',
      'A data prometida (01/07/2025) está a 29 dias; o máximo é 15 dias.',
      'Valor prometido de R$\u00a05,00 abaixo do mínimo de R$\u00a010,00.',
    ]);
    expect(r.approvalReasons.map((x) => x.message)).toEqual([
      'O devedor já quebrou 3 promessas: nova promessa precisa de aprovação do gestor.',
    ]);
  });
});

describe('promiseStatus', () => {
  const promise = { amount: cents(5_000), dueDate: d('2025-06-10') };
  test.each([
    { name: 'nothing paid, before the date', payments: [], today: '2025-06-05', status: 'active' },
    {
      name: 'nothing paid, on the date (the day is not over)',
      payments: [],
      today: '2025-06-10',
      status: 'active',
    },
    { name: 'nothing paid, the day after', payments: [], today: '2025-06-11', status: 'broken' },
    {
      name: 'partly paid, before the date',
      payments: [['2025-06-05', 2_000]],
      today: '2025-06-06',
      status: 'active',
    },
    {
      name: 'paid in full early',
      payments: [['2025-06-08', 5_000]],
      today: '2025-06-08',
      status: 'kept',
    },
    {
      name: 'paid more than promised',
      payments: [['2025-06-09', 6_000]],
      today: '2025-06-09',
      status: 'kept',
    },
    {
      name: 'paid in two parts by the date',
      payments: [
        ['2025-06-05', 2_000],
        ['2025-06-10', 3_000],
      ],
      today: '2025-06-11',
      status: 'kept',
    },
    {
      name: 'one centavo short',
      payments: [['2025-06-10', 4_999]],
      today: '2025-06-11',
      status: 'broken',
    },
    {
      name: 'paid in full a day late',
      payments: [['2025-06-11', 5_000]],
      today: '2025-06-12',
      status: 'broken',
    },
  ] satisfies { name: string; payments: [string, number][]; today: string; status: string }[])(
    '$name → $status',
    ({ payments, today, status }) => {
      const paid = payments.map(([date, amount]) => ({ date: d(date), amount: cents(amount) }));
      expect(promiseStatus(promise, paid, d(today))).toBe(status);
    },
  );
});
