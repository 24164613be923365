import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as v from 'valibot';
import { addDays, calendarDate } from '../time/calendar-date';
import { earlySettlement, InstallmentContractSchema } from './early-settlement';
import type { InstallmentContractInput } from './early-settlement';

const d = calendarDate;

// Three monthly installments: interest periods of 31, 28 and 31 days.
const contractInput: InstallmentContractInput = {
  startDate: '2025-01-01',
  installments: [
    { dueDate: '2025-02-01', principalPart: 30_000, interestPart: 3_000 },
    { dueDate: '2025-03-01', principalPart: 33_000, interestPart: 2_000 },
    { dueDate: '2025-04-01', principalPart: 37_000, interestPart: 1_000 },
  ],
};
const contract = v.parse(InstallmentContractSchema, contractInput);

describe('earlySettlement', () => {
  test.each([
    { asOf: '2024-12-20', principal: 100_000, interestDue: 0, interestRemoved: 6_000 },
    { asOf: '2025-01-01', principal: 100_000, interestDue: 0, interestRemoved: 6_000 },
    // 10 of 31 days of the first period: 3 000 × 10/31 = 967,74.
    { asOf: '2025-01-11', principal: 100_000, interestDue: 968, interestRemoved: 5_032 },
    // First installment already due keeps all its interest; half of February's 28 days.
    { asOf: '2025-02-15', principal: 100_000, interestDue: 4_000, interestRemoved: 2_000 },
    { asOf: '2025-04-01', principal: 100_000, interestDue: 6_000, interestRemoved: 0 },
    { asOf: '2025-06-01', principal: 100_000, interestDue: 6_000, interestRemoved: 0 },
  ])('settling on $asOf', ({ asOf, principal, interestDue, interestRemoved }) => {
    const s = earlySettlement(contract, d(asOf));
    expect([s.principal, s.interestDue, s.interestRemoved, s.total]).toEqual([
      principal,
      interestDue,
      interestRemoved,
      principal + interestDue,
    ]);
  });

  test('a paid installment is left out but still delimits the next interest period', () => {
    const partlyPaid = v.parse(InstallmentContractSchema, {
      ...contractInput,
      installments: contractInput.installments.map((inst, i) => ({ ...inst, paid: i === 0 })),
    });
    const s = earlySettlement(partlyPaid, d('2025-02-15'));
    expect([s.principal, s.interestDue, s.interestRemoved, s.total]).toEqual([
      70_000, 1_000, 2_000, 71_000,
    ]);
    expect(s.lines.map((l) => [l.number, l.periodDays, l.elapsedDays])).toEqual([
      [2, 28, 14],
      [3, 31, 0],
    ]);
  });

  test.each([
    {
      name: 'due dates out of order',
      installments: [
        { dueDate: '2025-03-01', principalPart: 1, interestPart: 1 },
        { dueDate: '2025-02-01', principalPart: 1, interestPart: 1 },
      ],
    },
    {
      name: 'first due date on the start date',
      installments: [{ dueDate: '2025-01-01', principalPart: 1, interestPart: 1 }],
    },
    { name: 'no installments', installments: [] },
  ])('rejects a contract with $name', ({ installments }) => {
    const result = v.safeParse(InstallmentContractSchema, {
      startDate: '2025-01-01',
      installments,
    });
    expect(result.success).toBe(false);
  });

  test('interest kept + removed is the open interest, and kept never falls as the date moves on', () => {
    const contractArb = fc
      .array(
        fc.record({
          gap: fc.integer({ min: 1, max: 62 }),
          principalPart: fc.integer({ min: 0, max: 10_000_000 }),
          interestPart: fc.integer({ min: 0, max: 1_000_000 }),
          paid: fc.boolean(),
        }),
        { minLength: 1, maxLength: 12 },
      )
      .map((rows) => {
        let due = d('2025-01-01');
        return v.parse(InstallmentContractSchema, {
          startDate: due,
          installments: rows.map(({ gap, ...rest }) => {
            due = addDays(due, gap);
            return { dueDate: due, ...rest };
          }),
        });
      });
    fc.assert(
      fc.property(
        contractArb,
        fc.integer({ min: -10, max: 800 }),
        fc.integer({ min: 0, max: 60 }),
        (c, offset, more) => {
          const asOf = addDays(d('2025-01-01'), offset);
          const s = earlySettlement(c, asOf);
          const open = c.installments.filter((i) => !i.paid);
          expect(s.interestDue + s.interestRemoved).toBe(
            open.reduce((sum, i) => sum + i.interestPart, 0),
          );
          expect(s.principal).toBe(open.reduce((sum, i) => sum + i.principalPart, 0));
          expect(earlySettlement(c, addDays(asOf, more)).interestDue).toBeGreaterThanOrEqual(
            s.interestDue,
          );
        },
      ),
    );
  });
});
