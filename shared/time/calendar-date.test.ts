import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { BrazilianDateSchema } from './calendar-date.schema';
import {
  calendarDate,
  formatBrazilianDate,
  parseBrazilianDate,
  tryParseBrazilianDate,
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
