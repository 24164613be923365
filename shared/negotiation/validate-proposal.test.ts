import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { DEFAULT_CADENCE_POLICY } from '../cadence/default-policy';
import { cents } from '../money/money';
import { calendarDate } from '../time/calendar-date';
import {
  DEFAULT_NEGOTIATION_POLICY,
  NegotiationPolicySchema,
  ProposalSchema,
  type ProposalInput,
} from './negotiation.schema';
import {
  maxDiscountBpsFor,
  validateProposal,
  type DebtBalance,
  type NegotiationContext,
} from './validate-proposal';

const A = '0190a0b0-0000-7000-8000-00000000000a';
const B = '0190a0b0-0000-7000-8000-00000000000b';
const SETTLED = '0190a0b0-0000-7000-8000-00000000000c';
const BIG = '0190a0b0-0000-7000-8000-00000000000d';
const UNKNOWN = '0190a0b0-0000-7000-8000-0000000000ff';

function debt(totalDue: number, fine: number, interest: number, daysOverdue: number): DebtBalance {
  return {
    totalDue: cents(totalDue),
    daysOverdue,
    open: {
      principal: cents(totalDue - fine - interest),
      fine: cents(fine),
      interest: cents(interest),
      fees: cents(0),
    },
  };
}

const balances = [
  { debtId: A, breakdown: debt(100_000, 2_000, 3_000, 45) },
  { debtId: B, breakdown: debt(50_000, 1_000, 1_000, 75) },
  { debtId: SETTLED, breakdown: debt(0, 0, 0, 0) },
  { debtId: BIG, breakdown: debt(2_000_000, 0, 0, 10) },
];

const TODAY = '2025-06-02';

// R$ 1.000,00, 45 days late: R$ 200,00 down on Thursday, 3 × R$ 266,67 — inside every default limit.
const base: ProposalInput = {
  debtIds: [A],
  downPayment: 20_000,
  installments: 3,
  firstDueDate: '2025-06-05',
};

function check(
  overrides: Partial<ProposalInput> = {},
  context: Partial<NegotiationContext> = {},
  policy = DEFAULT_NEGOTIATION_POLICY,
) {
  return validateProposal(policy, v.parse(ProposalSchema, { ...base, ...overrides }), {
    today: calendarDate(TODAY),
    discountUnlocked: true,
    balances,
    ...context,
  });
}

describe('maxDiscountBpsFor', () => {
  test.each([
    { days: 0, expected: 0 },
    { days: 29, expected: 0 },
    { days: 30, expected: 1_000 },
    { days: 31, expected: 1_000 },
    { days: 60, expected: 1_000 },
    { days: 61, expected: 2_000 },
    { days: 4_000, expected: 2_000 },
  ])('default bands allow $expected bps at $days days overdue', ({ days, expected }) => {
    expect(maxDiscountBpsFor(DEFAULT_NEGOTIATION_POLICY.discountBands, days)).toBe(expected);
  });

  // The default régua offers a discount at d+30: with the default policy that offer is never
  // "R$ 0,00 de desconto" (the band used to start at 31 days, one day after the step).
  test('every discount step of the default régua falls in a band with a discount', () => {
    const steps = DEFAULT_CADENCE_POLICY.steps.filter((s) => s.allowsDiscount);
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps)
      expect(
        maxDiscountBpsFor(DEFAULT_NEGOTIATION_POLICY.discountBands, step.offsetDays),
        step.id,
      ).toBeGreaterThan(0);
  });

  test('no band yet means no discount', () => {
    expect(maxDiscountBpsFor([{ minDaysOverdue: 10, maxDiscountBps: 500 }], 5)).toBe(0);
  });
});

describe('NegotiationPolicySchema', () => {
  test('rejects bands out of order', () => {
    const result = v.safeParse(NegotiationPolicySchema, {
      ...DEFAULT_NEGOTIATION_POLICY,
      discountBands: [
        { minDaysOverdue: 61, maxDiscountBps: 2_000 },
        { minDaysOverdue: 31, maxDiscountBps: 1_000 },
      ],
    });
    expect(result.success).toBe(false);
  });
});

describe('ProposalSchema', () => {
  test('refuses a discount given both as a rate and as an amount', () => {
    expect(
      v.safeParse(ProposalSchema, { ...base, discountBps: 100, discountAmount: 100 }).success,
    ).toBe(false);
  });
});

describe('validateProposal: each rule', () => {
  test('the base proposal passes with its schedule', () => {
    const r = check();
    expect([r.ok, r.violations, r.needsApproval, r.agreedTotal]).toEqual([
      true,
      [],
      false,
      100_000,
    ]);
    expect(r.schedule.map((e) => [e.number, e.dueDate, e.amount])).toEqual([
      [0, '2025-06-05', 20_000],
      [1, '2025-07-07', 26_667],
      [2, '2025-08-05', 26_667],
      [3, '2025-09-05', 26_666],
    ]);
  });

  test.each([
    {
      rule: 'discount-locked',
      overrides: { discountBps: 500 },
      context: { discountUnlocked: false },
      limit: 0,
      actual: 5_000,
    },
    {
      rule: 'discount-above-limit',
      overrides: { discountBps: 1_001 },
      context: {},
      limit: 1_000,
      actual: 1_001,
    },
    // Amounts are compared exactly: R$ 100,01 is above 10% of R$ 1.000,00.
    {
      rule: 'discount-above-limit',
      overrides: { discountAmount: 10_001 },
      context: {},
      limit: 10_000,
      actual: 10_001,
    },
    // The band follows the context's daysOverdue when given (20 days: no discount band yet).
    {
      rule: 'discount-above-limit',
      overrides: { discountBps: 100 },
      context: { daysOverdue: 20 },
      limit: 0,
      actual: 100,
    },
    {
      rule: 'interest-waiver-not-allowed',
      overrides: { waiveInterest: true },
      context: {},
      limit: 0,
      actual: 3_000,
    },
    {
      rule: 'too-many-installments',
      overrides: { installments: 13 },
      context: {},
      limit: 12,
      actual: 13,
    },
    {
      rule: 'down-payment-below-minimum',
      overrides: { downPayment: 9_999 },
      context: {},
      limit: 10_000,
      actual: 9_999,
    },
    {
      rule: 'down-payment-below-minimum',
      overrides: { downPayment: 0, installments: 2 },
      context: {},
      limit: 10_000,
      actual: 0,
    },
    // R$ 450,00 in 12 parts is R$ 37,50, under the R$ 50,00 minimum.
    {
      rule: 'installment-below-minimum',
      overrides: { debtIds: [B], downPayment: 5_000, installments: 12 },
      context: {},
      limit: 5_000,
      actual: 3_750,
    },
    {
      rule: 'down-payment-covers-total',
      overrides: { downPayment: 100_000 },
      context: {},
      limit: 99_999,
      actual: 100_000,
    },
    {
      rule: 'down-payment-must-equal-total',
      overrides: { downPayment: 50_000, installments: 0 },
      context: {},
      limit: 100_000,
      actual: 50_000,
    },
    {
      rule: 'first-due-date-in-past',
      overrides: { firstDueDate: '2025-06-01' },
      context: {},
      limit: 0,
      actual: -1,
    },
    {
      rule: 'first-due-date-too-far',
      overrides: { firstDueDate: '2025-06-13' },
      context: {},
      limit: 10,
      actual: 11,
    },
    {
      rule: 'unknown-debt',
      overrides: { debtIds: [A, UNKNOWN] },
      context: {},
      limit: undefined,
      actual: undefined,
    },
    {
      rule: 'duplicate-debt',
      overrides: { debtIds: [A, A] },
      context: {},
      limit: undefined,
      actual: undefined,
    },
    {
      rule: 'debt-already-settled',
      overrides: { debtIds: [A, SETTLED] },
      context: {},
      limit: undefined,
      actual: undefined,
    },
  ] satisfies {
    rule: string;
    overrides: Partial<ProposalInput>;
    context: Partial<NegotiationContext>;
    limit: number | undefined;
    actual: number | undefined;
  }[])('$rule: $overrides', ({ rule, overrides, context, limit, actual }) => {
    const r = check(overrides, context);
    expect(r.ok).toBe(false);
    expect(r.violations.map((x) => [x.rule, x.limit, x.actual])).toEqual([[rule, limit, actual]]);
  });

  test('a waived fine when the policy forbids it', () => {
    const policy = {
      ...DEFAULT_NEGOTIATION_POLICY,
      waiverAllowed: { fine: false, interest: true },
    };
    const r = check({ waiveFine: true, waiveInterest: true }, {}, policy);
    expect(r.violations.map((x) => [x.rule, x.actual])).toEqual([
      ['fine-waiver-not-allowed', 2_000],
    ]);
  });

  test('nothing left to pay after the concessions', () => {
    const r = check({ debtIds: [B], discountBps: 10_000 });
    expect(r.violations.map((x) => x.rule)).toEqual(['discount-above-limit', 'nothing-to-pay']);
    expect([r.agreedTotal, r.schedule]).toEqual([0, []]);
  });

  test.each([
    {
      name: 'discount exactly at the band limit',
      overrides: { discountBps: 1_000 },
      agreed: 90_000,
    },
    {
      name: 'discount amount exactly at the band limit',
      overrides: { discountAmount: 10_000 },
      agreed: 90_000,
    },
    {
      name: 'first payment exactly 10 days ahead',
      overrides: { firstDueDate: '2025-06-12' },
      agreed: 100_000,
    },
    { name: 'first payment today', overrides: { firstDueDate: TODAY }, agreed: 100_000 },
    {
      name: 'one payment of the whole total',
      overrides: { downPayment: 100_000, installments: 0 },
      agreed: 100_000,
    },
    {
      name: 'one future payment without down payment',
      overrides: { downPayment: 0, installments: 1 },
      agreed: 100_000,
    },
    {
      name: 'down payment exactly 10%',
      overrides: { downPayment: 10_000, installments: 12 },
      agreed: 100_000,
    },
    { name: 'fine waived (allowed by default)', overrides: { waiveFine: true }, agreed: 98_000 },
  ] satisfies { name: string; overrides: Partial<ProposalInput>; agreed: number }[])(
    'accepts: $name',
    ({ overrides, agreed }) => {
      const r = check(overrides);
      expect([r.ok, r.violations, r.agreedTotal]).toEqual([true, [], agreed]);
    },
  );
});

describe('validateProposal: everything at once', () => {
  test('names every broken rule, not just the first', () => {
    const r = check(
      {
        debtIds: [A, UNKNOWN],
        discountBps: 1_500,
        waiveInterest: true,
        downPayment: 1_000,
        installments: 24,
        firstDueDate: '2025-07-01',
      },
      { discountUnlocked: false },
    );
    expect(r.violations.map((x) => x.rule)).toEqual([
      'unknown-debt',
      'interest-waiver-not-allowed',
      'discount-locked',
      'discount-above-limit',
      'too-many-installments',
      'down-payment-below-minimum',
      'installment-below-minimum',
      'first-due-date-too-far',
    ]);
    expect(r.violations.find((x) => x.rule === 'discount-above-limit')?.message).toBe(
      'Desconto de 15% acima do máximo de 10% para 45 dias de atraso.',
    );
    expect(r.violations.find((x) => x.rule === 'down-payment-below-minimum')?.message).toBe(
      'Entrada de R$\u00a010,00 abaixo do mínimo de R$\u00a082,45 (10% do acordo).',
    );
  });
});

describe('validateProposal: money and approval', () => {
  test('waivers come off before the discount, and each concession is reported apart', () => {
    // A + B: R$ 1.500,00 owed, 75 days (20% band). Fine 3 000 waived → 147 000; 10% → 14 700.
    const r = check({ debtIds: [A, B], waiveFine: true, discountBps: 1_000, downPayment: 30_000 });
    expect([r.balance, r.daysOverdue, r.maxDiscountBps]).toEqual([150_000, 75, 2_000]);
    expect(r.concessions).toEqual({ discount: 14_700, fineWaived: 3_000, interestWaived: 0 });
    expect(r.agreedTotal).toBe(132_300);
    // 17 700 of 150 000 = 11,8%: under the 15% approval threshold.
    expect([r.ok, r.needsApproval]).toEqual([true, false]);
  });

  test.each([
    // 20% on B is within its 75-day band, but above the 15% a collector may grant alone.
    {
      name: 'concessions above 15%',
      overrides: { debtIds: [B], discountBps: 2_000, downPayment: 5_000 },
      reasons: [['concession-above-threshold', 1_500, 2_000]],
    },
    {
      name: 'concessions exactly 15%',
      overrides: { debtIds: [B], discountBps: 1_500, downPayment: 5_000 },
      reasons: [],
    },
    {
      name: 'agreed total above R$ 10.000,00',
      overrides: { debtIds: [BIG], downPayment: 200_000, installments: 10 },
      reasons: [['total-above-limit', 1_000_000, 2_000_000]],
    },
  ] satisfies {
    name: string;
    overrides: Partial<ProposalInput>;
    reasons: [string, number, number][];
  }[])('approval: $name', ({ overrides, reasons }) => {
    const r = check(overrides);
    expect(r.ok).toBe(true);
    expect(r.needsApproval).toBe(reasons.length > 0);
    expect(r.approvalReasons.map((x) => [x.rule, x.limit, x.actual])).toEqual(reasons);
  });

  test('approval reasons are reported alongside violations', () => {
    const r = check({ debtIds: [B], discountBps: 2_000, installments: 13, downPayment: 5_000 });
    expect(r.violations.map((x) => x.rule)).toEqual([
      'too-many-installments',
      'installment-below-minimum',
    ]);
    expect(r.approvalReasons.map((x) => x.message)).toEqual([
      'Concessões de R$\u00a0100,00 (20% do saldo) acima de 15%: precisa de aprovação do gestor.',
    ]);
  });
});
