import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { addDays, calendarDate } from './calendar-date';
import {
  addBusinessDays,
  businessDayOnOrAfter,
  businessDayOnOrBefore,
  businessDaysBetween,
  isBusinessDay,
} from './business-days';
import type { HolidayCalendar } from './holidays';

const d = calendarDate;
const rj: HolidayCalendar = { state: 'RJ' };

describe('isBusinessDay', () => {
  test.each<{ date: string; cal: HolidayCalendar; expected: boolean }>([
    { date: '2025-06-06', cal: {}, expected: true },
    { date: '2025-06-07', cal: {}, expected: false },
    { date: '2025-06-08', cal: {}, expected: false },
    { date: '2025-04-21', cal: {}, expected: false },
    { date: '2025-03-03', cal: {}, expected: false },
    { date: '2025-03-03', cal: { includeOptional: false }, expected: true },
    { date: '2025-11-20', cal: {}, expected: false },
    { date: '2023-11-20', cal: {}, expected: true },
    { date: '2025-07-09', cal: {}, expected: true },
    { date: '2025-07-09', cal: { state: 'SP' }, expected: false },
  ])('$date under $cal: $expected', ({ date, cal, expected }) => {
    expect(isBusinessDay(d(date), cal)).toBe(expected);
  });
});

describe('businessDayOnOrAfter / businessDayOnOrBefore', () => {
  test.each([
    { date: '2025-06-06', after: '2025-06-06', before: '2025-06-06' },
    { date: '2025-06-07', after: '2025-06-09', before: '2025-06-06' },
    // Good Friday, weekend, Tiradentes on Monday
    { date: '2025-04-18', after: '2025-04-22', before: '2025-04-17' },
    { date: '2025-04-21', after: '2025-04-22', before: '2025-04-17' },
    { date: '2026-01-01', after: '2026-01-02', before: '2025-12-31' },
    // Carnaval: Saturday to Tuesday
    { date: '2025-03-01', after: '2025-03-05', before: '2025-02-28' },
  ])('$date → on/after $after, on/before $before', ({ date, after, before }) => {
    expect(businessDayOnOrAfter(d(date))).toBe(after);
    expect(businessDayOnOrBefore(d(date))).toBe(before);
  });
});

describe('addBusinessDays', () => {
  test.each<{ date: string; n: number; cal: HolidayCalendar; expected: string }>([
    { date: '2025-06-06', n: 1, cal: {}, expected: '2025-06-09' },
    { date: '2025-06-07', n: 1, cal: {}, expected: '2025-06-09' },
    { date: '2025-06-09', n: -1, cal: {}, expected: '2025-06-06' },
    { date: '2025-06-07', n: -1, cal: {}, expected: '2025-06-06' },
    { date: '2025-06-07', n: 0, cal: {}, expected: '2025-06-07' },
    { date: '2025-04-17', n: 1, cal: {}, expected: '2025-04-22' },
    { date: '2025-06-18', n: 1, cal: {}, expected: '2025-06-20' },
    { date: '2025-12-31', n: 1, cal: {}, expected: '2026-01-02' },
    // STJ Súmula 548: paid Wed 16 April 2025, listing removed within 5 business days
    { date: '2025-04-16', n: 5, cal: {}, expected: '2025-04-25' },
    { date: '2025-04-16', n: 5, cal: rj, expected: '2025-04-28' },
    { date: '2025-07-08', n: 1, cal: {}, expected: '2025-07-09' },
    { date: '2025-07-08', n: 1, cal: { state: 'SP' }, expected: '2025-07-10' },
    { date: '2025-02-28', n: 1, cal: {}, expected: '2025-03-05' },
    { date: '2025-02-28', n: 1, cal: { includeOptional: false }, expected: '2025-03-03' },
    { date: '2025-01-02', n: 20, cal: {}, expected: '2025-01-30' },
  ])('$date + $n under $cal → $expected', ({ date, n, cal, expected }) => {
    expect(addBusinessDays(d(date), n, cal)).toBe(expected);
  });

  test('refuses a fractional count', () => {
    expect(() => addBusinessDays(d('2025-01-01'), 1.5)).toThrow(RangeError);
  });
});

describe('businessDaysBetween', () => {
  test.each<{ from: string; to: string; cal?: HolidayCalendar; expected: number }>([
    { from: '2025-06-06', to: '2025-06-09', expected: 1 },
    { from: '2025-06-09', to: '2025-06-06', expected: -1 },
    { from: '2025-06-07', to: '2025-06-08', expected: 0 },
    { from: '2025-06-06', to: '2025-06-06', expected: 0 },
    { from: '2025-04-16', to: '2025-04-25', expected: 5 },
    { from: '2025-04-16', to: '2025-04-25', cal: rj, expected: 4 },
    // 260 weekdays after 1 Jan 2025, minus 8 falling on weekday holidays (Carnaval ×2, Good Friday,
    // Tiradentes, 1 May, Corpus Christi, 20 Nov, Christmas); 7 Sep, 12 Oct, 2 and 15 Nov are weekends
    { from: '2025-01-01', to: '2025-12-31', expected: 252 },
    { from: '2025-01-01', to: '2025-12-31', cal: { includeOptional: false }, expected: 255 },
  ])('$from → $to: $expected', ({ from, to, cal, expected }) => {
    expect(businessDaysBetween(d(from), d(to), cal)).toBe(expected);
  });

  test('inverts addBusinessDays in both directions', () => {
    const start = d('2024-01-01');
    const calendars: HolidayCalendar[] = [{}, { state: 'SP' }, { includeOptional: false }, rj];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 3 }),
        fc.integer({ min: -60, max: 60 }),
        fc.constantFrom(...calendars),
        (offset, n, cal) => {
          const date = addDays(start, offset);
          const moved = addBusinessDays(date, n, cal);
          expect(isBusinessDay(moved, cal) || n === 0).toBe(true);
          expect(businessDaysBetween(date, moved, cal)).toBe(n);
        },
      ),
    );
  });
});
