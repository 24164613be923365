import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { BrazilianDateSchema } from './calendar-date.schema';
import {
  addDays,
  calendarDate,
  dayOfWeek,
  daysBetween,
  formatBrazilianDate,
  localDateTime,
  parseBrazilianDate,
  tryParseBrazilianDate,
  utcMidnight,
} from './calendar-date';

describe('parseBrazilianDate', () => {
  test.each([
    { text: '2025-01-31', expected: '2025-01-31' },
    { text: '31/01/2025', expected: '2025-01-31' },
    { text: ' 05/03/2025 ', expected: '2025-03-05' },
    { text: '5/3/2025', expected: '2025-03-05' },
    { text: '29/02/2024', expected: '2024-02-29' },
    { text: '2000-02-29', expected: '2000-02-29' },
    { text: '31/12/1999', expected: '1999-12-31' },
  ])('reads "$text" as $expected', ({ text, expected }) => {
    expect(parseBrazilianDate(text)).toBe(expected);
    expect(v.parse(BrazilianDateSchema, text)).toBe(expected);
  });

  test.each([
    { text: '', message: 'a data está vazia' },
    { text: '29/02/2025', message: 'não existe (o mês 2 de 2025 tem 28 dias)' },
    { text: '1900-02-29', message: 'não existe (o mês 2 de 1900 tem 28 dias)' },
    { text: '31/04/2025', message: 'não existe (o mês 4 de 2025 tem 30 dias)' },
    { text: '00/01/2025', message: 'não existe' },
    { text: '12/13/2025', message: 'não tem mês 13' },
    { text: '2025-00-10', message: 'não tem mês 0' },
    { text: '31/01/25', message: 'ano com 2 dígitos' },
    { text: '01/01/0202', message: 'ano improvável: 202' },
    { text: '2025/01/31', message: 'não está no formato DD/MM/AAAA nem AAAA-MM-DD' },
    { text: '31-01-2025', message: 'não está no formato' },
    { text: '31.01.2025', message: 'não está no formato' },
    { text: '2025-1-31', message: 'não está no formato' },
    { text: '31/01/2025 10:00', message: 'não está no formato' },
    { text: 'amanhã', message: 'não está no formato' },
  ])('refuses "$text" ($message)', ({ text, message }) => {
    const result = tryParseBrazilianDate(text);
    expect(result).toEqual({ ok: false, message: expect.stringContaining(message) });
    expect(() => parseBrazilianDate(text)).toThrow(message);
    expect(v.safeParse(BrazilianDateSchema, text).issues?.[0]?.message).toContain(message);
  });
});

describe('formatBrazilianDate', () => {
  test.each([
    { date: '2025-01-31', expected: '31/01/2025' },
    { date: '2024-12-05', expected: '05/12/2024' },
  ])('$date → $expected', ({ date, expected }) => {
    expect(formatBrazilianDate(calendarDate(date))).toBe(expected);
    expect(parseBrazilianDate(expected)).toBe(date);
  });
});

describe('day arithmetic (memoised) against Date, across the memo bound', () => {
  const reference = (date: string, days: number) =>
    new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

  test.each([
    { date: '2024-02-28', days: 1, expected: '2024-02-29' },
    { date: '2025-02-28', days: 1, expected: '2025-03-01' },
    { date: '2025-01-01', days: -1, expected: '2024-12-31' },
    { date: '1969-12-31', days: 1, expected: '1970-01-01' },
    { date: '2100-02-28', days: 1, expected: '2100-03-01' },
  ])('$date + $days = $expected', ({ date, days, expected }) => {
    expect(addDays(calendarDate(date), days)).toBe(expected);
    expect(daysBetween(calendarDate(date), calendarDate(expected))).toBe(days);
  });

  test('addDays, daysBetween and dayOfWeek agree with Date for 40,000 random days (the memos refill)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 11, 31) }),
        fc.integer({ min: -5000, max: 5000 }),
        (ms, days) => {
          const date = calendarDate(new Date(ms).toISOString().slice(0, 10));
          const later = addDays(date, days);
          expect(later).toBe(reference(date, days));
          expect(daysBetween(date, later)).toBe(days);
          expect(dayOfWeek(later)).toBe(new Date(`${later}T00:00:00Z`).getUTCDay());
          expect(utcMidnight(later)).toBe(Date.parse(`${later}T00:00:00Z`));
        },
      ),
      { numRuns: 40_000 },
    );
  });

  test('localDateTime answers are shared and frozen: a caller cannot change the next answer', () => {
    const at = Date.parse('2025-03-07T11:00:00Z');
    const first = localDateTime(at, 'America/Sao_Paulo');
    expect(first).toEqual({ date: '2025-03-07', hour: 8, minute: 0, weekday: 5 });
    expect(Object.isFrozen(first)).toBe(true);
    expect(localDateTime(at, 'America/Manaus')).toEqual({
      date: '2025-03-07',
      hour: 7,
      minute: 0,
      weekday: 5,
    });
  });
});
