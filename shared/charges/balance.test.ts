import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as v from 'valibot';
import { cents } from '../money/money';
import { addDays, calendarDate } from '../time/calendar-date';
import { balanceOn } from './balance';
import {
  DebtTermsSchema,
  type DebtTerms,
  type DebtTermsInput,
  type Payment,
} from './charges.schema';

const d = calendarDate;
const DUE = '2025-03-10';
const DUE_DATE = d(DUE);

function terms(overrides: Partial<DebtTermsInput> = {}): DebtTerms {
  return v.parse(DebtTermsSchema, {
    principal: 100_000,
    issueDate: '2025-02-10',
    dueDate: DUE,
    kind: 'consumer',
    ...overrides,
  });
}

function pay(date: string, amount: number, id?: string): Payment {
  return id === undefined
    ? { date: d(date), amount: cents(amount) }
    : { id, date: d(date), amount: cents(amount) };
}

describe('DebtTermsSchema', () => {
  test('fills the defaults: 2% fine, 1% a.m. interest, no fees, no grace', () => {
    const t = terms();
    expect([t.fineBps, t.monthlyInterestBps, t.fees, t.graceDays]).toEqual([200, 100, [], 0]);
    expect(t.punctualityDiscountBps).toBeUndefined();
  });

  test.each([
    { field: 'principal', overrides: { principal: 0 } },
    { field: 'principal', overrides: { principal: 10.5 } },
    { field: 'dueDate', overrides: { dueDate: '2025-02-01' } },
    { field: 'fineBps', overrides: { fineBps: -1 } },
    { field: 'monthlyInterestBps', overrides: { monthlyInterestBps: 1.5 } },
    { field: 'graceDays', overrides: { graceDays: -2 } },
  ])('rejects a bad $field', ({ field, overrides }) => {
    const result = v.safeParse(DebtTermsSchema, {
      principal: 100_000,
      issueDate: '2025-02-10',
      dueDate: DUE,
      kind: 'consumer',
      ...overrides,
    });
    expect(result.success).toBe(false);
    expect(result.issues?.[0] && v.getDotPath(result.issues[0])).toBe(field);
  });
});

describe('balanceOn: fine and interest', () => {
  test.each([
    // 30 days late on R$ 1.000,00: 2% fine + 1% a.m. × 30/30.
    { name: '30 days late', overrides: {}, asOf: '2025-04-09', fine: 2_000, interest: 1_000 },
    { name: 'on the due date', overrides: {}, asOf: DUE, fine: 0, interest: 0 },
    { name: 'before the due date', overrides: {}, asOf: '2025-03-01', fine: 0, interest: 0 },
    // 1 day: 100 000 × 100 / 10 000 / 30 = 33,33 → 33.
    { name: 'one day late', overrides: {}, asOf: '2025-03-11', fine: 2_000, interest: 33 },
    // 45 days at 1% a.m.: 1,5% — a 365-day or compound rule would give another figure.
    { name: '45 days late', overrides: {}, asOf: '2025-04-24', fine: 2_000, interest: 1_500 },
    {
      name: 'business fine above 2% kept',
      overrides: { kind: 'business' as const, fineBps: 1_000 },
      asOf: '2025-04-09',
      fine: 10_000,
      interest: 1_000,
    },
    {
      name: 'consumer fine above 2% clamped',
      overrides: { fineBps: 1_000 },
      asOf: '2025-04-09',
      fine: 2_000,
      interest: 1_000,
    },
    {
      name: 'within grace days',
      overrides: { graceDays: 5 },
      asOf: '2025-03-15',
      fine: 0,
      interest: 0,
    },
    // Past the window, interest runs from the due date: 6 days, 200.
    {
      name: 'after grace days',
      overrides: { graceDays: 5 },
      asOf: '2025-03-16',
      fine: 2_000,
      interest: 200,
    },
    {
      name: 'zero rates',
      overrides: { fineBps: 0, monthlyInterestBps: 0 },
      asOf: '2025-06-09',
      fine: 0,
      interest: 0,
    },
  ])('$name', ({ overrides, asOf, fine, interest }) => {
    const b = balanceOn(terms(overrides), [], d(asOf));
    expect({ fine: b.fine, interest: b.interest, totalDue: b.totalDue }).toEqual({
      fine,
      interest,
      totalDue: 100_000 + fine + interest,
    });
  });

  test('a clamped consumer fine is reported in warnings', () => {
    const b = balanceOn(terms({ fineBps: 1_000 }), [], d('2025-04-09'));
    expect(b.fineBps).toBe(200);
    expect(b.warnings).toEqual([
      {
        code: 'consumer-fine-capped',
        message:
          'Multa contratual de 10% reduzida para 2%: limite do CDC (art. 52, §1º) para dívidas de consumo.',
      },
    ]);
    expect(balanceOn(terms({ kind: 'business', fineBps: 1_000 }), [], DUE_DATE).warnings).toEqual(
      [],
    );
  });

  test.each([
    { kind: 'consumer' as const, bps: 100, warned: false },
    { kind: 'consumer' as const, bps: 101, warned: true },
    { kind: 'consumer' as const, bps: 300, warned: true },
    { kind: 'business' as const, bps: 300, warned: false },
  ])(
    '$kind juros of $bps bps a month: warned $warned, applied as contracted',
    ({ kind, bps, warned }) => {
      const b = balanceOn(terms({ kind, monthlyInterestBps: bps }), [], d('2025-04-09'));
      // 30 days late on R$ 1.000,00: juros = bps/10 000 × 1 000,00.
      expect(b.interest).toBe(bps * 10);
      const warning = b.warnings.find((w) => w.code === 'consumer-interest-above-usual');
      expect(warning !== undefined).toBe(warned);
      if (warning)
        expect(warning.message).toBe(
          `Juros de mora de ${bps === 101 ? '1,01%' : '3%'} ao mês numa dívida de consumo: acima de 1% ao mês, o limite admitido para juros moratórios convencionados (STJ, Súmula 379; Código Civil, art. 406). Calculados como contratados: confira o contrato.`,
        );
    },
  );

  test.each([
    { asOf: '2025-03-10', daysOverdue: 0 },
    { asOf: '2025-03-11', daysOverdue: 1 },
    { asOf: '2025-04-09', daysOverdue: 30 },
  ])('daysOverdue on $asOf is $daysOverdue', ({ asOf, daysOverdue }) => {
    expect(balanceOn(terms(), [], d(asOf)).daysOverdue).toBe(daysOverdue);
  });
});

describe('balanceOn: payments', () => {
  test.each([
    {
      // 15 days late: interest 500 + fine 2 000 paid first, 47 500 to principal; then 15 days on
      // 52 500 (262,5) — the exact sum 762,5 rounds half-even to 762.
      name: 'partial payment late, interest accrues on the open principal',
      overrides: {},
      payments: [pay('2025-03-25', 50_000)],
      asOf: '2025-04-09',
      expected: { fine: 2_000, interest: 762, paid: 50_000, totalDue: 52_762, credit: 0 },
    },
    {
      name: 'partial payment before the due date lowers the fine base',
      overrides: {},
      payments: [pay('2025-03-01', 60_000)],
      asOf: '2025-04-09',
      expected: { fine: 800, interest: 400, paid: 60_000, totalDue: 41_200, credit: 0 },
    },
    {
      name: 'partial payment inside the grace window counts as on the due date',
      overrides: { graceDays: 5 },
      payments: [pay('2025-03-13', 60_000)],
      asOf: '2025-04-09',
      expected: { fine: 800, interest: 400, paid: 60_000, totalDue: 41_200, credit: 0 },
    },
    {
      // 6 days late: 200 interest + 2 000 fine, 97 800 to principal; 4 more days on 2 200 → 202,93.
      name: 'full principal paid one day after the grace window still owes the charges',
      overrides: { graceDays: 5 },
      payments: [pay('2025-03-16', 100_000)],
      asOf: '2025-03-20',
      expected: { fine: 2_000, interest: 203, paid: 100_000, totalDue: 2_203, credit: 0 },
    },
    {
      name: 'paid in full on the due date',
      overrides: {},
      payments: [pay(DUE, 100_000)],
      asOf: '2025-06-01',
      expected: { fine: 0, interest: 0, paid: 100_000, totalDue: 0, credit: 0 },
    },
    {
      // 2 days: fine 2 000, interest 66,67 → 67; 120 000 − 102 067 = 17 933 credit.
      name: 'overpayment becomes credit, never a negative balance',
      overrides: {},
      payments: [pay('2025-03-12', 120_000)],
      asOf: '2025-03-20',
      expected: { fine: 2_000, interest: 67, paid: 120_000, totalDue: 0, credit: 17_933 },
    },
    {
      name: 'a fee posted after the overpayment is paid from the credit',
      overrides: { fees: [{ description: 'Tarifa de boleto', amount: 350, date: '2025-03-15' }] },
      payments: [pay('2025-03-12', 120_000)],
      asOf: '2025-03-20',
      expected: { fine: 2_000, interest: 67, paid: 120_000, totalDue: 0, credit: 17_583 },
    },
    {
      name: 'payments after asOf are not seen',
      overrides: {},
      payments: [pay('2025-04-10', 100_000)],
      asOf: '2025-04-09',
      expected: { fine: 2_000, interest: 1_000, paid: 0, totalDue: 103_000, credit: 0 },
    },
  ])('$name', ({ overrides, payments, asOf, expected }) => {
    const b = balanceOn(terms(overrides), payments, d(asOf));
    expect({
      fine: b.fine,
      interest: b.interest,
      paid: b.paid,
      totalDue: b.totalDue,
      credit: b.credit,
    }).toEqual(expected);
  });

  test.each([
    // Due R$ 1.000,00 with a R$ 10,00 fee; 30 days late: interest 1 000, fine 2 000, fee 1 000.
    // Order interest → fine → fees → principal: each payment fills the buckets in that order.
    { amount: 500, to: { toInterest: 500, toFine: 0, toFees: 0, toPrincipal: 0 } },
    { amount: 1_500, to: { toInterest: 1_000, toFine: 500, toFees: 0, toPrincipal: 0 } },
    { amount: 3_500, to: { toInterest: 1_000, toFine: 2_000, toFees: 500, toPrincipal: 0 } },
    { amount: 5_000, to: { toInterest: 1_000, toFine: 2_000, toFees: 1_000, toPrincipal: 1_000 } },
  ])('imputes a late payment of $amount as interest → fine → fees → principal', (row) => {
    const t = terms({ fees: [{ description: 'Tarifa', amount: 1_000, date: '2025-03-01' }] });
    const b = balanceOn(t, [pay('2025-04-09', row.amount, 'p1')], d('2025-04-09'));
    expect(b.imputations).toEqual([
      { paymentId: 'p1', date: '2025-04-09', amount: row.amount, ...row.to, unapplied: 0 },
    ]);
  });

  test('payments are processed by date whatever order they are given in', () => {
    const t = terms();
    const payments = [pay('2025-04-09', 10_000), pay('2025-03-25', 50_000)];
    const b = balanceOn(t, payments, d('2025-04-09'));
    expect(b.imputations.map((i) => i.date)).toEqual(['2025-03-25', '2025-04-09']);
    expect(b.totalDue).toBe(42_762);
  });

  test('itemised lines tell the whole story in order', () => {
    const t = terms({
      fees: [{ description: 'Tarifa de boleto', amount: 350, date: '2025-03-15' }],
    });
    const b = balanceOn(t, [pay('2025-03-25', 50_000)], d('2025-04-09'));
    expect(b.lines.map((l) => [l.kind, l.date, l.amount, l.label])).toEqual([
      ['principal', '2025-03-10', 100_000, 'Valor original'],
      ['fine', '2025-03-11', 2_000, 'Multa de 2% sobre R$\u00a01.000,00'],
      ['interest', '2025-03-15', 167, 'Juros de mora de 1% ao mês sobre R$\u00a01.000,00, 5 dias'],
      ['fee', '2025-03-15', 350, 'Tarifa de boleto'],
      ['interest', '2025-03-25', 333, 'Juros de mora de 1% ao mês sobre R$\u00a01.000,00, 10 dias'],
      ['payment', '2025-03-25', -50_000, 'Pagamento recebido'],
      ['interest', '2025-04-09', 264, 'Juros de mora de 1% ao mês sobre R$\u00a0528,50, 15 dias'],
    ]);
    expect(b.lines.filter((l) => l.kind === 'interest').map((l) => l.periodStart)).toEqual([
      '2025-03-11',
      '2025-03-16',
      '2025-03-26',
    ]);
    expect(b.open).toEqual({ principal: 52_850, fine: 0, interest: 264, fees: 0 });
  });
});

describe('balanceOn: punctuality discount', () => {
  const t = terms({ punctualityDiscountBps: 500 });
  test.each([
    {
      name: 'offered before the due date',
      payments: [],
      asOf: '2025-03-01',
      status: 'offered',
      discount: 5_000,
      totalDue: 95_000,
      credit: 0,
    },
    {
      name: 'offered on the due date',
      payments: [],
      asOf: DUE,
      status: 'offered',
      discount: 5_000,
      totalDue: 95_000,
      credit: 0,
    },
    {
      name: 'expired the day after',
      payments: [],
      asOf: '2025-03-11',
      status: 'expired',
      discount: 0,
      totalDue: 102_033,
      credit: 0,
    },
    {
      name: 'earned by paying the discounted amount on time',
      payments: [pay('2025-03-05', 95_000)],
      asOf: '2025-05-01',
      status: 'granted',
      discount: 5_000,
      totalDue: 0,
      credit: 0,
    },
    {
      name: 'earned in two on-time payments',
      payments: [pay('2025-03-01', 45_000), pay(DUE, 50_000)],
      asOf: '2025-05-01',
      status: 'granted',
      discount: 5_000,
      totalDue: 0,
      credit: 0,
    },
    {
      name: 'paying full price on time leaves the discount as credit',
      payments: [pay('2025-03-05', 100_000)],
      asOf: '2025-03-08',
      status: 'granted',
      discount: 5_000,
      totalDue: 0,
      credit: 5_000,
    },
    {
      name: 'still offered after a partial payment',
      payments: [pay('2025-03-05', 50_000)],
      asOf: '2025-03-08',
      status: 'offered',
      discount: 5_000,
      totalDue: 45_000,
      credit: 0,
    },
    // Late: fine on 50 000 (1 000) + 1 day on 50 000 (16,67 → 17).
    {
      name: 'lost after a partial payment',
      payments: [pay('2025-03-05', 50_000)],
      asOf: '2025-03-11',
      status: 'expired',
      discount: 0,
      totalDue: 51_017,
      credit: 0,
    },
    {
      name: 'not earned one day late',
      payments: [pay('2025-03-11', 95_000)],
      asOf: '2025-03-11',
      status: 'expired',
      discount: 0,
      totalDue: 7_033,
      credit: 0,
    },
  ] as const)('$name', ({ payments, asOf, status, discount, totalDue, credit }) => {
    const b = balanceOn(t, payments, d(asOf));
    expect({
      status: b.discountStatus,
      discount: b.discount,
      totalDue: b.totalDue,
      credit: b.credit,
    }).toEqual({ status, discount, totalDue, credit });
  });

  test('no discount in the terms', () => {
    expect(balanceOn(terms(), [], d('2025-03-01')).discountStatus).toBe('none');
  });
});

const BASE = d('2025-01-01');
const termsArb = fc
  .record({
    principal: fc.integer({ min: 1, max: 1_000_000_000 }),
    dueOffset: fc.integer({ min: 0, max: 60 }),
    kind: fc.constantFrom('consumer' as const, 'business' as const),
    fineBps: fc.integer({ min: 0, max: 2_000 }),
    monthlyInterestBps: fc.integer({ min: 0, max: 1_000 }),
    graceDays: fc.integer({ min: 0, max: 10 }),
    discount: fc.option(fc.integer({ min: 0, max: 2_000 }), { nil: undefined }),
    fees: fc.array(
      fc.record({
        offset: fc.integer({ min: 0, max: 200 }),
        amount: fc.integer({ min: 1, max: 100_000 }),
      }),
      { maxLength: 3 },
    ),
  })
  .map((r) =>
    v.parse(DebtTermsSchema, {
      principal: r.principal,
      issueDate: BASE,
      dueDate: addDays(BASE, r.dueOffset),
      kind: r.kind,
      fineBps: r.fineBps,
      monthlyInterestBps: r.monthlyInterestBps,
      graceDays: r.graceDays,
      ...(r.discount === undefined ? {} : { punctualityDiscountBps: r.discount }),
      fees: r.fees.map((f) => ({
        description: 'Tarifa',
        amount: f.amount,
        date: addDays(BASE, f.offset),
      })),
    }),
  );
const paymentArb = fc
  .record({
    offset: fc.integer({ min: 0, max: 200 }),
    amount: fc.integer({ min: 1, max: 600_000_000 }),
  })
  .map((p) => pay(addDays(BASE, p.offset), p.amount));
const paymentsArb = fc.array(paymentArb, { maxLength: 6 });
const asOfArb = fc.integer({ min: 0, max: 220 }).map((n) => addDays(BASE, n));

describe('balanceOn: invariants', () => {
  test('total = principal + fine + interest + fees − paid − discount, else credit', () => {
    fc.assert(
      fc.property(termsArb, paymentsArb, asOfArb, (t, payments, asOf) => {
        const b = balanceOn(t, payments, asOf);
        const net = b.principal + b.fine + b.interest + b.fees - b.paid - b.discount;
        expect(b.totalDue - b.credit).toBe(net);
        expect(b.totalDue >= 0 && b.credit >= 0 && (b.totalDue === 0 || b.credit === 0)).toBe(true);
        const offered = b.discountStatus === 'offered' ? b.discount : 0;
        expect(b.open.principal + b.open.fine + b.open.interest + b.open.fees - offered).toBe(
          b.totalDue,
        );
        for (const i of b.imputations) {
          expect(i.toInterest + i.toFine + i.toFees + i.toPrincipal + i.unapplied).toBe(i.amount);
        }
        expect(b.lines.reduce((sum, l) => sum + l.amount, 0)).toBe(net);
      }),
      { numRuns: 400 },
    );
  });

  test('paying the exact total on asOf leaves nothing due and no credit', () => {
    fc.assert(
      fc.property(termsArb, paymentsArb, asOfArb, (t, payments, asOf) => {
        const before = balanceOn(t, payments, asOf);
        fc.pre(before.totalDue > 0);
        const after = balanceOn(t, [...payments, pay(asOf, before.totalDue)], asOf);
        expect([after.totalDue, after.credit]).toEqual([0, 0]);
      }),
      { numRuns: 400 },
    );
  });

  test('another payment never increases what is due', () => {
    fc.assert(
      fc.property(termsArb, paymentsArb, paymentArb, asOfArb, (t, payments, extra, asOf) => {
        const before = balanceOn(t, payments, asOf);
        const after = balanceOn(t, [...payments, extra], asOf);
        expect(after.totalDue).toBeLessThanOrEqual(before.totalDue);
        expect(after.totalDue - after.credit).toBeLessThanOrEqual(before.totalDue - before.credit);
        expect(after.interest).toBeLessThanOrEqual(before.interest);
        expect(after.fine).toBeLessThanOrEqual(before.fine);
      }),
      { numRuns: 400 },
    );
  });

  test('interest and fine never decrease as asOf moves forward', () => {
    fc.assert(
      fc.property(
        termsArb,
        paymentsArb,
        asOfArb,
        fc.integer({ min: 0, max: 90 }),
        (t, payments, asOf, more) => {
          const early = balanceOn(t, payments, asOf);
          const later = balanceOn(t, payments, addDays(asOf, more));
          expect(later.interest).toBeGreaterThanOrEqual(early.interest);
          expect(later.fine).toBeGreaterThanOrEqual(early.fine);
        },
      ),
      { numRuns: 400 },
    );
  });
});
