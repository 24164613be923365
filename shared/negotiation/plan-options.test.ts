import { describe, expect, test } from 'vitest';
import { cents } from '../money/money';
import { calendarDate } from '../time/calendar-date';
import { DEFAULT_NEGOTIATION_POLICY, type NegotiationPolicy } from './negotiation.schema';
import { planOptions } from './plan-options';
import type { DebtBalance, NegotiationContext } from './validate-proposal';

const A = '0190a0b0-0000-7000-8000-00000000000a';
const B = '0190a0b0-0000-7000-8000-00000000000b';
const TODAY = calendarDate('2025-06-02');

function debt(totalDue: number, daysOverdue: number, fine = 0, interest = 0): DebtBalance {
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

function context(
  balances: { debtId: string; breakdown: DebtBalance }[],
  discountUnlocked = false,
): NegotiationContext {
  return { today: TODAY, discountUnlocked, balances };
}

const summary = (options: ReturnType<typeof planOptions>) =>
  options.map((o) => ({
    id: o.id,
    down: o.proposal.downPayment,
    installments: o.proposal.installments,
    total: o.result.agreedTotal,
    approval: o.result.needsApproval,
  }));

describe('planOptions', () => {
  test('R$ 1.030,00 under the default policy: à vista and 2× to 12× of at least R$ 50,00', () => {
    const options = planOptions(
      DEFAULT_NEGOTIATION_POLICY,
      [A],
      TODAY,
      context([{ debtId: A, breakdown: debt(103_000, 30, 2_000, 1_000) }]),
    );
    expect(options.map((o) => o.id)).toEqual([
      'vista',
      ...Array.from({ length: 11 }, (_, i) => `p${i + 2}`),
    ]);
    // 3×: equal payments, the leftover centavo in the entrada; every schedule sums to the total.
    const three = options.find((o) => o.id === 'p3');
    expect(three?.result.schedule.map((e) => e.amount)).toEqual([34_334, 34_333, 34_333]);
    for (const o of options) {
      expect(o.result.ok).toBe(true);
      expect(o.result.schedule.reduce((s, e) => s + e.amount, 0)).toBe(103_000);
      expect(o.result.needsApproval).toBe(false);
    }
    // 11× and 12×: an equal share (9,4% / 8,6%) is below the 10% entrada, so the entrada is 10%.
    expect(summary(options).find((o) => o.id === 'p12')).toEqual({
      id: 'p12',
      down: 10_300,
      installments: 11,
      total: 103_000,
      approval: false,
    });
  });

  test('the minimum installment cuts the longest plans; a tiny balance gets only à vista', () => {
    const options = planOptions(
      DEFAULT_NEGOTIATION_POLICY,
      [A],
      TODAY,
      context([{ debtId: A, breakdown: debt(20_000, 40) }]),
    );
    // R$ 200,00 / 4 = R$ 50,00 is the last plan whose installments reach R$ 50,00.
    expect(options.map((o) => o.id)).toEqual(['vista', 'p2', 'p3', 'p4']);
    expect(
      planOptions(
        DEFAULT_NEGOTIATION_POLICY,
        [A],
        TODAY,
        context([{ debtId: A, breakdown: debt(9_000, 40) }]),
      ).map((o) => o.id),
    ).toEqual(['vista']);
  });

  test('discounts only when the régua unlocks them; above the threshold both the immediate and the approval one', () => {
    const balances = [{ debtId: A, breakdown: debt(100_000, 75) }];
    const locked = planOptions(DEFAULT_NEGOTIATION_POLICY, [A], TODAY, context(balances, false));
    expect(locked.some((o) => o.result.concessions.discount > 0)).toBe(false);
    const unlocked = summary(
      planOptions(DEFAULT_NEGOTIATION_POLICY, [A], TODAY, context(balances, true)),
    ).filter((o) => o.id.startsWith('vista'));
    // 75 days: band ceiling 20%, approval above 15%.
    expect(unlocked).toEqual([
      { id: 'vista', down: 100_000, installments: 0, total: 100_000, approval: false },
      { id: 'vista-desconto', down: 85_000, installments: 0, total: 85_000, approval: false },
      { id: 'vista-desconto-max', down: 80_000, installments: 0, total: 80_000, approval: true },
    ]);
  });

  test('a ceiling within the threshold is one discounted option, confirmed at once', () => {
    const options = planOptions(
      DEFAULT_NEGOTIATION_POLICY,
      [A],
      TODAY,
      context([{ debtId: A, breakdown: debt(100_000, 45) }], true),
    );
    expect(summary(options).filter((o) => o.id.startsWith('vista'))).toEqual([
      { id: 'vista', down: 100_000, installments: 0, total: 100_000, approval: false },
      { id: 'vista-desconto', down: 90_000, installments: 0, total: 90_000, approval: false },
    ]);
  });

  test('an agreement above the owner’s total limit is offered, marked for approval', () => {
    const options = planOptions(
      DEFAULT_NEGOTIATION_POLICY,
      [A, B],
      TODAY,
      context([
        { debtId: A, breakdown: debt(900_000, 20) },
        { debtId: B, breakdown: debt(200_000, 10) },
      ]),
    );
    expect(options.length).toBeGreaterThan(1);
    expect(options.every((o) => o.result.needsApproval)).toBe(true);
    expect(options[0]?.result.agreedTotal).toBe(1_100_000);
  });

  test('a first date past the policy’s limit offers nothing; no debts offers nothing', () => {
    const balances = [{ debtId: A, breakdown: debt(103_000, 30) }];
    expect(
      planOptions(DEFAULT_NEGOTIATION_POLICY, [A], calendarDate('2025-06-20'), context(balances)),
    ).toEqual([]);
    expect(planOptions(DEFAULT_NEGOTIATION_POLICY, [], TODAY, context(balances))).toEqual([]);
  });

  test('never more payments than the policy allows, counted with the entrada', () => {
    const policy: NegotiationPolicy = { ...DEFAULT_NEGOTIATION_POLICY, maxInstallments: 3 };
    const options = planOptions(
      policy,
      [A],
      TODAY,
      context([{ debtId: A, breakdown: debt(103_000, 30) }]),
    );
    expect(options.map((o) => o.id)).toEqual(['vista', 'p2', 'p3']);
  });
});
