import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { cents } from '../money/money';
import { isBusinessDay } from '../time/business-days';
import { addDays, calendarDate } from '../time/calendar-date';
import type { HolidayCalendar } from '../time/holidays';
import { buildSchedule } from './schedule';

const d = calendarDate;

describe('buildSchedule', () => {
  test.each([
    {
      name: 'leftover centavos go to the first installment; month ends clamp without drift',
      total: 100_000,
      down: 0,
      count: 3,
      first: '2025-01-31',
      calendar: {},
      expected: [
        [1, '2025-01-31', 33_334],
        [2, '2025-02-28', 33_333],
        [3, '2025-03-31', 33_333],
      ],
    },
    {
      // Saturday → past Carnaval Monday and Tuesday; 1 May (Dia do Trabalho) → Friday.
      name: 'down payment and dates skip weekends and holidays',
      total: 100_000,
      down: 20_000,
      count: 2,
      first: '2025-03-01',
      calendar: {},
      expected: [
        [0, '2025-03-05', 20_000],
        [1, '2025-04-01', 40_000],
        [2, '2025-05-02', 40_000],
      ],
    },
    {
      name: 'a single payment of the whole total',
      total: 5_000,
      down: 5_000,
      count: 0,
      first: '2025-06-10',
      calendar: {},
      expected: [[0, '2025-06-10', 5_000]],
    },
    {
      name: 'one installment without down payment',
      total: 5_000,
      down: 0,
      count: 1,
      first: '2025-06-10',
      calendar: {},
      expected: [[1, '2025-06-10', 5_000]],
    },
    {
      name: 'a state holiday moves the date only under that state calendar (without SP)',
      total: 10_001,
      down: 0,
      count: 2,
      first: '2025-06-09',
      calendar: {},
      expected: [
        [1, '2025-06-09', 5_001],
        [2, '2025-07-09', 5_000],
      ],
    },
    {
      name: 'a state holiday moves the date only under that state calendar (SP)',
      total: 10_001,
      down: 0,
      count: 2,
      first: '2025-06-09',
      calendar: { state: 'SP' },
      expected: [
        [1, '2025-06-09', 5_001],
        [2, '2025-07-10', 5_000],
      ],
    },
    {
      // Christmas (Thursday) → Friday; 25 Jan 2026 is a Sunday → Monday.
      name: 'across the year end',
      total: 30_000,
      down: 10_000,
      count: 1,
      first: '2025-12-25',
      calendar: {},
      expected: [
        [0, '2025-12-26', 10_000],
        [1, '2026-01-26', 20_000],
      ],
    },
  ] satisfies {
    name: string;
    total: number;
    down: number;
    count: number;
    first: string;
    calendar: HolidayCalendar;
    expected: [number, string, number][];
  }[])('$name', ({ total, down, count, first, calendar, expected }) => {
    const schedule = buildSchedule(cents(total), cents(down), count, d(first), calendar);
    expect(schedule.map((e) => [e.number, e.dueDate, e.amount])).toEqual(expected);
  });

  test.each([
    { total: 0, down: 0, count: 1 },
    { total: 1_000, down: -1, count: 1 },
    { total: 1_000, down: 500, count: 0 },
    { total: 1_000, down: 1_000, count: 2 },
    { total: 1_000, down: 0, count: 1.5 },
    { total: 1_000, down: 998, count: 3 },
  ])('refuses total $total, down $down, count $count', ({ total, down, count }) => {
    expect(() => buildSchedule(cents(total), cents(down), count, d('2025-06-10'))).toThrow(
      RangeError,
    );
  });

  test('sums exactly, lands on business days, never goes backwards', () => {
    const calendars: HolidayCalendar[] = [{}, { state: 'SP' }, { includeOptional: false }];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 4_000 }),
        fc.constantFrom(...calendars),
        (total, downShare, count, offset, calendar) => {
          const down =
            count === 0 ? total : Math.min(total - 1, Math.floor((total * downShare) / 10_000));
          fc.pre(down >= 0 && total - down >= count);
          const schedule = buildSchedule(
            cents(total),
            cents(down),
            count,
            addDays(d('2024-01-01'), offset),
            calendar,
          );
          expect(schedule.reduce((sum, e) => sum + e.amount, 0)).toBe(total);
          expect(schedule.length).toBe(count + (down > 0 ? 1 : 0));
          schedule.forEach((entry, i) => {
            expect(isBusinessDay(entry.dueDate, calendar)).toBe(true);
            const previous = schedule[i - 1];
            if (previous) expect(entry.dueDate >= previous.dueDate).toBe(true);
          });
        },
      ),
    );
  });
});
