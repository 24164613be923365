import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { calendarDate } from './calendar-date';
import {
  HolidayCalendarSchema,
  STATE_HOLIDAYS,
  easterSunday,
  holidayName,
  holidaysInYear,
  isHoliday,
  nationalHolidays,
} from './holidays';
import type { HolidayCalendar } from './holidays';

const d = calendarDate;

describe('easterSunday', () => {
  test.each([
    { year: 1818, expected: '1818-03-22' },
    { year: 1961, expected: '1961-04-02' },
    { year: 2000, expected: '2000-04-23' },
    { year: 2008, expected: '2008-03-23' },
    { year: 2019, expected: '2019-04-21' },
    { year: 2024, expected: '2024-03-31' },
    { year: 2025, expected: '2025-04-20' },
    { year: 2026, expected: '2026-04-05' },
    { year: 2027, expected: '2027-03-28' },
    { year: 2028, expected: '2028-04-16' },
    { year: 2029, expected: '2029-04-01' },
    { year: 2030, expected: '2030-04-21' },
    { year: 2038, expected: '2038-04-25' },
    { year: 2285, expected: '2285-03-22' },
  ])('$year → $expected', ({ year, expected }) => {
    expect(easterSunday(year)).toBe(expected);
  });
});

describe('nationalHolidays: Easter-based dates', () => {
  test.each([
    {
      year: 2024,
      carnavalMon: '2024-02-12',
      carnavalTue: '2024-02-13',
      goodFriday: '2024-03-29',
      corpus: '2024-05-30',
    },
    {
      year: 2025,
      carnavalMon: '2025-03-03',
      carnavalTue: '2025-03-04',
      goodFriday: '2025-04-18',
      corpus: '2025-06-19',
    },
    {
      year: 2026,
      carnavalMon: '2026-02-16',
      carnavalTue: '2026-02-17',
      goodFriday: '2026-04-03',
      corpus: '2026-06-04',
    },
    {
      year: 2027,
      carnavalMon: '2027-02-08',
      carnavalTue: '2027-02-09',
      goodFriday: '2027-03-26',
      corpus: '2027-05-27',
    },
    {
      year: 2028,
      carnavalMon: '2028-02-28',
      carnavalTue: '2028-02-29',
      goodFriday: '2028-04-14',
      corpus: '2028-06-15',
    },
    {
      year: 2029,
      carnavalMon: '2029-02-12',
      carnavalTue: '2029-02-13',
      goodFriday: '2029-03-30',
      corpus: '2029-05-31',
    },
    {
      year: 2030,
      carnavalMon: '2030-03-04',
      carnavalTue: '2030-03-05',
      goodFriday: '2030-04-19',
      corpus: '2030-06-20',
    },
  ])('$year', ({ year, carnavalMon, carnavalTue, goodFriday, corpus }) => {
    const byName = new Map(nationalHolidays(year).map((h) => [h.name, h]));
    expect(byName.get('Carnaval (segunda-feira)')).toEqual({
      date: carnavalMon,
      name: 'Carnaval (segunda-feira)',
      kind: 'optional',
    });
    expect(byName.get('Carnaval (terça-feira)')).toEqual({
      date: carnavalTue,
      name: 'Carnaval (terça-feira)',
      kind: 'optional',
    });
    expect(byName.get('Sexta-feira Santa')).toEqual({
      date: goodFriday,
      name: 'Sexta-feira Santa',
      kind: 'national',
    });
    expect(byName.get('Corpus Christi')).toEqual({
      date: corpus,
      name: 'Corpus Christi',
      kind: 'optional',
    });
  });
});

describe('nationalHolidays: the list', () => {
  test('2025 in date order', () => {
    expect(nationalHolidays(2025).map((h) => `${h.date} ${h.kind} ${h.name}`)).toEqual([
      '2025-01-01 national Confraternização Universal',
      '2025-03-03 optional Carnaval (segunda-feira)',
      '2025-03-04 optional Carnaval (terça-feira)',
      '2025-04-18 national Sexta-feira Santa',
      '2025-04-21 national Tiradentes',
      '2025-05-01 national Dia do Trabalho',
      '2025-06-19 optional Corpus Christi',
      '2025-09-07 national Independência do Brasil',
      '2025-10-12 national Nossa Senhora Aparecida',
      '2025-11-02 national Finados',
      '2025-11-15 national Proclamação da República',
      '2025-11-20 national Dia Nacional de Zumbi e da Consciência Negra',
      '2025-12-25 national Natal',
    ]);
  });

  test.each([
    { year: 2023, count: 12, consciencia: false },
    { year: 2024, count: 13, consciencia: true },
    { year: 2030, count: 13, consciencia: true },
  ])(
    'Consciência Negra is national from 2024: $year has $count',
    ({ year, count, consciencia }) => {
      expect(nationalHolidays(year)).toHaveLength(count);
      expect(isHoliday(d(`${year}-11-20`))).toBe(consciencia);
    },
  );
});

describe('isHoliday and holidayName', () => {
  const sp: HolidayCalendar = { state: 'SP' };
  const noOptional: HolidayCalendar = { includeOptional: false };
  const saoPauloCity: HolidayCalendar = {
    state: 'SP',
    extra: [
      { date: '01-25', name: 'Aniversário de São Paulo' },
      { date: '2025-06-10', name: 'Inventário anual' },
      { date: '02-29', name: 'Dia bissexto' },
    ],
  };
  test.each<{ date: string; cal: HolidayCalendar; name: string | undefined }>([
    { date: '2025-12-25', cal: {}, name: 'Natal' },
    { date: '2025-12-24', cal: {}, name: undefined },
    { date: '2025-03-04', cal: {}, name: 'Carnaval (terça-feira)' },
    { date: '2025-03-04', cal: noOptional, name: undefined },
    { date: '2025-06-19', cal: noOptional, name: undefined },
    { date: '2025-04-18', cal: noOptional, name: 'Sexta-feira Santa' },
    { date: '2025-07-09', cal: {}, name: undefined },
    { date: '2025-07-09', cal: sp, name: 'Revolução Constitucionalista de 1932' },
    { date: '2025-04-23', cal: { state: 'RJ' }, name: 'Dia de São Jorge' },
    { date: '2025-04-23', cal: sp, name: undefined },
    { date: '2025-07-02', cal: { state: 'BA' }, name: 'Independência da Bahia' },
    { date: '2025-09-20', cal: { state: 'RS' }, name: 'Revolução Farroupilha' },
    { date: '2025-09-20', cal: { state: 'MG' }, name: undefined },
    { date: '2024-01-25', cal: saoPauloCity, name: 'Aniversário de São Paulo' },
    { date: '2031-01-25', cal: saoPauloCity, name: 'Aniversário de São Paulo' },
    { date: '2025-06-10', cal: saoPauloCity, name: 'Inventário anual' },
    { date: '2026-06-10', cal: saoPauloCity, name: undefined },
    { date: '2024-02-29', cal: saoPauloCity, name: 'Dia bissexto' },
    { date: '2025-07-09', cal: saoPauloCity, name: 'Revolução Constitucionalista de 1932' },
    // national wins the name when a configured day coincides
    {
      date: '2025-12-25',
      cal: { extra: [{ date: '12-25', name: 'Festa da firma' }] },
      name: 'Natal',
    },
  ])('$date under $cal → $name', ({ date, cal, name }) => {
    expect(holidayName(d(date), cal)).toBe(name);
    expect(isHoliday(d(date), cal)).toBe(name !== undefined);
  });

  test('a leap-day recurring holiday is simply absent in other years', () => {
    const names = holidaysInYear(2025, saoPauloCity).map((h) => h.name);
    expect(names).not.toContain('Dia bissexto');
    expect(names).toContain('Aniversário de São Paulo');
    expect(holidaysInYear(2025, saoPauloCity)).toHaveLength(16);
  });

  test('every built-in state holiday is a real recurring day', () => {
    for (const list of Object.values(STATE_HOLIDAYS))
      for (const { monthDay } of list)
        if (monthDay !== undefined) expect(() => d(`2025-${monthDay}`)).not.toThrow();
  });
});

describe('HolidayCalendarSchema', () => {
  test('accepts a full calendar', () => {
    const input = {
      state: 'SP',
      includeOptional: false,
      extra: [
        { date: '01-25', name: ' Aniversário de São Paulo ' },
        { date: '2025-06-10', name: 'Inventário' },
      ],
    };
    expect(v.parse(HolidayCalendarSchema, input)).toEqual({
      ...input,
      extra: [
        { date: '01-25', name: 'Aniversário de São Paulo' },
        { date: '2025-06-10', name: 'Inventário' },
      ],
    });
  });

  test.each([
    { cal: { state: 'XX' } },
    { cal: { extra: [{ date: '02-30', name: 'x' }] } },
    { cal: { extra: [{ date: '13-01', name: 'x' }] } },
    { cal: { extra: [{ date: '2025-02-29', name: 'x' }] } },
    { cal: { extra: [{ date: '25/01', name: 'x' }] } },
    { cal: { extra: [{ date: '01-25', name: '  ' }] } },
    { cal: { includeOptional: 'yes' } },
  ])('refuses $cal', ({ cal }) => {
    expect(v.safeParse(HolidayCalendarSchema, cal).success).toBe(false);
  });

  test('an unparsed calendar with a bad extra date fails loudly instead of being ignored', () => {
    expect(() =>
      isHoliday(d('2025-01-01'), { extra: [{ date: '2025-13-01', name: 'x' }] }),
    ).toThrow('invalid date');
  });
});

describe('memoised years follow the calendar, not the object', () => {
  test('replacing a field of the same calendar object changes the answer', () => {
    const cal: HolidayCalendar = { state: 'SP' };
    const july9 = d('2025-07-09');
    expect(isHoliday(july9, cal)).toBe(true);
    cal.state = 'RJ';
    expect(isHoliday(july9, cal)).toBe(false);
    expect(isHoliday(d('2025-04-23'), cal)).toBe(true);
    cal.extra = [{ date: '07-09', name: 'Festa da firma' }];
    expect(holidayName(july9, cal)).toBe('Festa da firma');
    // Corpus Christi: a federal ponto facultativo, not an RJ state holiday (RJ's Carnaval is).
    cal.includeOptional = false;
    expect(isHoliday(d('2025-06-19'), cal)).toBe(false);
    expect(isHoliday(d('2025-03-04'), cal)).toBe(true);
    cal.includeOptional = true;
    expect(isHoliday(d('2025-06-19'), cal)).toBe(true);
  });

  test('an extra holiday appended to the same list is seen', () => {
    const extra = [{ date: '01-25', name: 'Aniversário de São Paulo' }];
    const cal: HolidayCalendar = { extra };
    expect(isHoliday(d('2025-06-10'), cal)).toBe(false);
    extra.push({ date: '2025-06-10', name: 'Inventário' });
    expect(isHoliday(d('2025-06-10'), cal)).toBe(true);
  });

  test('two calendars with the same content answer alike; a returned list is the caller’s own', () => {
    const a = holidaysInYear(2025, { state: 'BA' });
    const b = holidaysInYear(2025, { state: 'BA' });
    expect(a).toEqual(b);
    a.length = 0;
    expect(holidaysInYear(2025, { state: 'BA' })).toEqual(b);
    expect(isHoliday(d('2025-07-02'), { state: 'BA' })).toBe(true);
  });
});
