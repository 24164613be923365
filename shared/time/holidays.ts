/**
 * Brazilian holidays: the national ones (Lei 662/1949, Lei 6.802/1980, Lei 14.759/2023), the
 * Easter-based ones, the state holidays of all 27 units (./state-holidays.ts, each with its law),
 * and whatever municipal or company days the organisation adds. Collection contacts never happen on a holiday (SP Lei 15.426/2014) and
 * deadlines counted in business days skip them.
 *
 * Carnaval Monday and Tuesday and Corpus Christi are "pontos facultativos" federally, not
 * holidays by law, yet banks, courts and most businesses close, so they are kind 'optional' and
 * counted as holidays unless a calendar sets `includeOptional: false`.
 */
import * as v from 'valibot';
import { UfSchema } from '../identity/uf';
import type { UF } from '../identity/uf';
import { addDays, dateParts, dayOfWeek, daysInMonth, fromParts } from './calendar-date';
import { STATE_HOLIDAYS, type StateHoliday } from './state-holidays';

export { STATE_HOLIDAYS, type StateHoliday } from './state-holidays';
import { CalendarDateSchema } from './calendar-date.schema';
import type { CalendarDate } from './calendar-date';

export const HolidayKinds = ['national', 'optional', 'state', 'local'] as const;
export const HolidayKindSchema = v.picklist(HolidayKinds);
/** 'national' by federal law, 'optional' federal ponto facultativo, 'state', or 'local' (configured). */
export type HolidayKind = v.InferOutput<typeof HolidayKindSchema>;

/** One holiday on one date. */
export interface Holiday {
  date: CalendarDate;
  name: string;
  kind: HolidayKind;
}

function isMonthDay(value: string): boolean {
  const m = /^(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [month, day] = [Number(m[1]), Number(m[2])];
  // 2000 is a leap year, so '02-29' is allowed; it then applies only in leap years.
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(2000, month);
}

/** A day that recurs every year, as 'MM-DD'. */
export const MonthDaySchema = v.pipe(
  v.string('o dia deve ser um texto no formato MM-DD'),
  v.check(isMonthDay, 'o dia anual deve estar no formato MM-DD, como 01-25'),
);

/** A configured holiday: a single date ('YYYY-MM-DD') or a yearly one ('MM-DD'). */
export const ExtraHolidaySchema = v.object({
  date: v.union(
    [CalendarDateSchema, MonthDaySchema],
    'a data deve estar no formato AAAA-MM-DD, ou MM-DD para um feriado anual',
  ),
  name: v.pipe(
    v.string('o nome do feriado deve ser um texto'),
    v.trim(),
    v.minLength(1, 'informe o nome do feriado'),
  ),
});
export type ExtraHoliday = v.InferOutput<typeof ExtraHolidaySchema>;

/** Which holidays apply to an organisation or debtor beyond the national ones. */
export const HolidayCalendarSchema = v.object({
  state: v.exactOptional(UfSchema),
  extra: v.exactOptional(v.array(ExtraHolidaySchema)),
  /** Count Carnaval and Corpus Christi as holidays; default true. */
  includeOptional: v.exactOptional(v.boolean()),
});
export type HolidayCalendar = v.InferOutput<typeof HolidayCalendarSchema>;

/**
 * Easter Sunday of a Gregorian year by the anonymous algorithm (Meeus/Jones/Butcher), which needs
 * no table and holds for every year from 1583.
 */
export function easterSunday(year: number): CalendarDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return fromParts(year, month, day);
}

const FIXED_NATIONAL: readonly { monthDay: string; name: string; since?: number }[] = [
  { monthDay: '01-01', name: 'Confraternização Universal' },
  { monthDay: '04-21', name: 'Tiradentes' },
  { monthDay: '05-01', name: 'Dia do Trabalho' },
  { monthDay: '09-07', name: 'Independência do Brasil' },
  { monthDay: '10-12', name: 'Nossa Senhora Aparecida' },
  { monthDay: '11-02', name: 'Finados' },
  { monthDay: '11-15', name: 'Proclamação da República' },
  // Lei 14.759, of 21 December 2023, made it national from 2024 on.
  { monthDay: '11-20', name: 'Dia Nacional de Zumbi e da Consciência Negra', since: 2024 },
  { monthDay: '12-25', name: 'Natal' },
];

function onMonthDay(year: number, monthDay: string): CalendarDate | undefined {
  const month = Number(monthDay.slice(0, 2));
  const day = Number(monthDay.slice(3, 5));
  return day <= daysInMonth(year, month) ? fromParts(year, month, day) : undefined;
}

function byDate(a: Holiday, b: Holiday): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

/** The days off `rule` gives in `year` (none, one, or the law's date and its transfer). */
function stateHolidayDates(year: number, rule: StateHoliday): CalendarDate[] {
  if (
    (rule.since !== undefined && year < rule.since) ||
    (rule.until !== undefined && year > rule.until)
  )
    return [];
  const date =
    rule.easterOffset !== undefined
      ? addDays(easterSunday(year), rule.easterOffset)
      : rule.monthDay !== undefined
        ? onMonthDay(year, rule.monthDay)
        : undefined;
  if (!date) return [];
  const weekday = dayOfWeek(date);
  switch (rule.observed) {
    case 'next-sunday':
      return [weekday === 0 ? date : addDays(date, 7 - weekday)];
    case 'tue-to-mon-thu-to-fri':
      return [weekday === 2 ? addDays(date, -1) : weekday === 4 ? addDays(date, 1) : date];
    case 'also-friday-if-midweek':
      return weekday >= 2 && weekday <= 4 ? [date, addDays(date, 5 - weekday)] : [date];
    default:
      return [date];
  }
}

/** The state holidays of `uf` in `year`, as observed (see ./state-holidays.ts). */
export function stateHolidays(year: number, uf: UF): Holiday[] {
  return (STATE_HOLIDAYS[uf] ?? []).flatMap((rule) => {
    const legal =
      rule.monthDay !== undefined && rule.observed !== undefined
        ? onMonthDay(year, rule.monthDay)
        : undefined;
    return stateHolidayDates(year, rule).map((date) => ({
      date,
      name:
        legal === undefined || date === legal
          ? rule.name
          : `${rule.name} (comemoração transferida)`,
      kind: 'state' as const,
    }));
  });
}

const nationalCache = new Map<number, readonly Holiday[]>();

/**
 * National holidays of `year`, sorted by date: the fixed ones plus Carnaval Monday (Easter − 48)
 * and Tuesday (Easter − 47), Sexta-feira Santa (Easter − 2) and Corpus Christi (Easter + 60);
 * Carnaval and Corpus Christi have kind 'optional'.
 */
export function nationalHolidays(year: number): readonly Holiday[] {
  const cached = nationalCache.get(year);
  if (cached) return cached;
  const holidays: Holiday[] = [];
  for (const { monthDay, name, since } of FIXED_NATIONAL) {
    if (since !== undefined && year < since) continue;
    const date = onMonthDay(year, monthDay);
    if (date) holidays.push({ date, name, kind: 'national' });
  }
  const easter = easterSunday(year);
  holidays.push(
    { date: addDays(easter, -48), name: 'Carnaval (segunda-feira)', kind: 'optional' },
    { date: addDays(easter, -47), name: 'Carnaval (terça-feira)', kind: 'optional' },
    { date: addDays(easter, -2), name: 'Sexta-feira Santa', kind: 'national' },
    { date: addDays(easter, 60), name: 'Corpus Christi', kind: 'optional' },
  );
  holidays.sort(byDate);
  const frozen = Object.freeze(holidays.map((h) => Object.freeze(h)));
  nationalCache.set(year, frozen);
  return frozen;
}

/** One year of one calendar: every holiday, and by date. */
interface YearCalendar {
  list: readonly Holiday[];
  byDate: ReadonlyMap<string, readonly Holiday[]>;
}

/**
 * Year calendars by content (year, state, optional days, extra days). The contact guard asks
 * "is this day a holiday?" for every day of every debtor's contact window, and building the year
 * (Easter, state days, the configured ones, sorting) each time was a fifth of planning a
 * portfolio. Pure, so memoising is safe (the key is the calendar's content, not its identity, so
 * a changed calendar is a new entry); bounded so it never grows.
 */
const yearMemo = new Map<string, YearCalendar>();
const YEAR_MEMO_MAX = 1024;

/**
 * The same calendar object asked again (the contact guard asks about one debtor's days in a row):
 * its years by identity, checked against the fields it had, so replacing any of them (or the
 * `extra` list) is seen. Editing an `extra` list in place is not: calendars are values.
 */
const byIdentity = new WeakMap<
  HolidayCalendar,
  { seen: [unknown, unknown, unknown, number]; years: Map<number, YearCalendar> }
>();

function yearCalendar(year: number, calendar: HolidayCalendar): YearCalendar {
  const known = byIdentity.get(calendar);
  const extra = calendar.extra;
  const same =
    known !== undefined &&
    known.seen[0] === calendar.state &&
    known.seen[1] === calendar.includeOptional &&
    known.seen[2] === extra &&
    known.seen[3] === (extra?.length ?? 0);
  const hit = same ? known.years.get(year) : undefined;
  if (hit) return hit;
  const entry = yearByContent(year, calendar);
  if (same) known.years.set(year, entry);
  else
    byIdentity.set(calendar, {
      seen: [calendar.state, calendar.includeOptional, extra, extra?.length ?? 0],
      years: new Map([[year, entry]]),
    });
  return entry;
}

function yearByContent(year: number, calendar: HolidayCalendar): YearCalendar {
  let key = `${year}|${calendar.state ?? ''}|${calendar.includeOptional === false ? 0 : 1}`;
  for (const { date, name } of calendar.extra ?? []) key += `|${date}\u0000${name}`;
  const hit = yearMemo.get(key);
  if (hit) return hit;
  const list = Object.freeze(buildYear(year, calendar));
  const byDate = new Map<string, Holiday[]>();
  for (const h of list) byDate.set(h.date, [...(byDate.get(h.date) ?? []), h]);
  const entry = { list, byDate };
  if (yearMemo.size >= YEAR_MEMO_MAX) yearMemo.clear();
  yearMemo.set(key, entry);
  return entry;
}

function buildYear(year: number, calendar: HolidayCalendar): Holiday[] {
  const includeOptional = calendar.includeOptional ?? true;
  const holidays = nationalHolidays(year).filter((h) => includeOptional || h.kind !== 'optional');
  if (calendar.state)
    for (const h of stateHolidays(year, calendar.state)) holidays.push(Object.freeze(h));
  for (const { date, name } of calendar.extra ?? []) {
    if (v.is(MonthDaySchema, date)) {
      const recurring = onMonthDay(year, date);
      if (recurring)
        holidays.push(Object.freeze({ date: recurring, name, kind: 'local' as const }));
    } else if (v.is(CalendarDateSchema, date)) {
      if (dateParts(date).year === year)
        holidays.push(Object.freeze({ date, name, kind: 'local' as const }));
    } else {
      throw new RangeError(`holiday "${name}" has an invalid date: ${JSON.stringify(date)}`);
    }
  }
  return holidays.sort(byDate);
}

/**
 * Every holiday of `year` that `calendar` observes, sorted by date: national (optional ones only
 * when `includeOptional` is not false), the state's from `STATE_HOLIDAYS`, and the `extra` ones.
 * Two holidays on one date are both listed.
 */
export function holidaysInYear(year: number, calendar: HolidayCalendar = {}): Holiday[] {
  return [...yearCalendar(year, calendar).list];
}

/** The holidays on `date` under `calendar` (usually none or one). */
export function holidaysOn(date: CalendarDate, calendar: HolidayCalendar = {}): Holiday[] {
  return [...(yearCalendar(dateParts(date).year, calendar).byDate.get(date) ?? [])];
}

/** True when `date` is a holiday under `calendar` (national and optional ones by default). */
export function isHoliday(date: CalendarDate, calendar: HolidayCalendar = {}): boolean {
  return yearCalendar(dateParts(date).year, calendar).byDate.has(date);
}

/** The name of the holiday on `date` (national first when several coincide), or undefined. */
export function holidayName(
  date: CalendarDate,
  calendar: HolidayCalendar = {},
): string | undefined {
  return yearCalendar(dateParts(date).year, calendar).byDate.get(date)?.[0]?.name;
}
