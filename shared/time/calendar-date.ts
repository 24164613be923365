/**
 * Calendar dates as 'YYYY-MM-DD' strings with a brand. A date is a day in the organisation's time
 * zone, never an instant; instants (epoch milliseconds) are converted only by `localDateTime`, with
 * the zone passed in. This module never reads the clock: "today" is always a parameter.
 */
import type * as v from 'valibot';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a real 'YYYY-MM-DD' day (2025-02-30 is not). */
export function isRealDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

/** A real day as 'YYYY-MM-DD'; `CalendarDateSchema` (calendar-date.schema.ts) validates and brands it. */
export type CalendarDate = string & v.Brand<'CalendarDate'>;

export const DEFAULT_TIME_ZONE = 'America/Sao_Paulo';

/** Brands a 'YYYY-MM-DD' string; throws with the offending text on anything else (e.g. 2025-02-30). */
export function calendarDate(value: string): CalendarDate {
  if (!isRealDate(value))
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(value)}`);
  return value as CalendarDate;
}

/** 28–31: days in month `month` (1–12) of `year`, Gregorian leap rules. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Year, month (1–12) and day of a date. */
export function dateParts(date: CalendarDate): { year: number; month: number; day: number } {
  return {
    year: Number(date.slice(0, 4)),
    month: Number(date.slice(5, 7)),
    day: Number(date.slice(8, 10)),
  };
}

/** The date for year, month (1–12) and day; throws when they name no real day. */
export function fromParts(year: number, month: number, day: number): CalendarDate {
  return calendarDate(
    `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  );
}

/**
 * Parsing memos. The cadence asks the same few hundred dates the same questions for every debtor
 * of a portfolio (due dates, today, the days of a contact window), so parsing 'YYYY-MM-DD' and
 * formatting it back were most of planning 100k debtors. Day numbers (days since 1970-01-01,
 * UTC) by date text and date text by day number; pure functions, so memoising is safe; bounded,
 * so they never grow past a few hundred KB.
 */
const dayNumbers = new Map<string, number>();
const datesByDay = new Map<number, CalendarDate>();
const PARSE_MEMO_MAX = 16_384;

function dayNumber(date: CalendarDate): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    const { year, month, day } = dateParts(date);
    n = Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
    if (dayNumbers.size >= PARSE_MEMO_MAX) dayNumbers.clear();
    dayNumbers.set(date, n);
  }
  return n;
}

function fromDayNumber(n: number): CalendarDate {
  let date = datesByDay.get(n);
  if (date === undefined) {
    const d = new Date(n * DAY_MS);
    date = fromParts(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
    if (datesByDay.size >= PARSE_MEMO_MAX) datesByDay.clear();
    datesByDay.set(n, date);
  }
  return date;
}

/** The instant of midnight UTC starting `date` (epoch ms): calendar arithmetic for other modules. */
export function utcMidnight(date: CalendarDate): number {
  return dayNumber(date) * DAY_MS;
}

/** The date `days` later (earlier when negative). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDayNumber(Math.floor(dayNumber(date) + days));
}

/** Whole days from `from` to `to`; negative when `to` is earlier. Interest and cadence use this count. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * Adds calendar months keeping the day of month; when the target month is shorter the date is
 * clamped to its last day (Jan 31 + 1 month = Feb 28/29), the usual rule for installment due dates.
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const { year, month, day } = dateParts(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return fromParts(y, m, Math.min(day, daysInMonth(y, m)));
}

/** 0 = Sunday … 6 = Saturday (1970-01-01, day 0, was a Thursday). */
export function dayOfWeek(date: CalendarDate): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

/** Negative, zero or positive as `a` is before, equal to or after `b` (for Array.sort). */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface LocalDateTime {
  date: CalendarDate;
  /** 0–23 */
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/**
 * Results by zone and whole second. `formatToParts` costs microseconds and the cadence asks for the
 * same instants (now, local midnights) for every debtor of a portfolio, so planning 100k debtors
 * spent most of its time here. Pure function, so memoising is safe; bounded so it never grows.
 * The results are frozen and shared.
 */
const memo = new Map<string, Map<number, Readonly<LocalDateTime>>>();
const MEMO_MAX = 8192;

/** The wall-clock date and time at instant `epochMs` in `timeZone` (IANA name). */
export function localDateTime(
  epochMs: number,
  timeZone: string = DEFAULT_TIME_ZONE,
): Readonly<LocalDateTime> {
  let zoneMemo = memo.get(timeZone);
  if (!zoneMemo) {
    zoneMemo = new Map();
    memo.set(timeZone, zoneMemo);
  }
  const second = Math.floor(epochMs / 1000);
  const hit = zoneMemo.get(second);
  if (hit) return hit;
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, fmt);
  }
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  const date = calendarDate(`${parts['year']}-${parts['month']}-${parts['day']}`);
  const result = Object.freeze({
    date,
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    weekday: dayOfWeek(date),
  });
  if (zoneMemo.size >= MEMO_MAX) zoneMemo.clear();
  zoneMemo.set(second, result);
  return result;
}

/** Today's date in `timeZone` for the instant `epochMs` (the caller owns the clock). */
export function todayIn(epochMs: number, timeZone: string = DEFAULT_TIME_ZONE): CalendarDate {
  return localDateTime(epochMs, timeZone).date;
}

/** The outcome of `tryParseBrazilianDate`: the date, or a pt-BR message fit for a CSV import report. */
export type ParseDateResult = { ok: true; value: CalendarDate } | { ok: false; message: string };

const BR_DATE_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/**
 * Reads a date written as ISO 'YYYY-MM-DD' or Brazilian 'DD/MM/AAAA' (day first always; one-digit
 * day and month, as spreadsheets write them, are accepted). Two-digit years are refused (which
 * century?), as are years before 1000 and days that do not exist, like 31/04 or 29/02/2025.
 */
export function tryParseBrazilianDate(text: string): ParseDateResult {
  const shown = text.trim();
  if (shown === '') return { ok: false, message: 'a data está vazia' };
  let year: number;
  let month: number;
  let day: number;
  const iso = DATE_RE.exec(shown);
  const br = BR_DATE_RE.exec(shown);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (br) {
    [day, month, year] = [Number(br[1]), Number(br[2]), Number(br[3])];
  } else if (/^\d{1,2}\/\d{1,2}\/\d{2}$/.test(shown)) {
    return {
      ok: false,
      message: `a data "${shown}" tem ano com 2 dígitos; escreva o ano completo (DD/MM/AAAA)`,
    };
  } else {
    return {
      ok: false,
      message: `a data "${shown}" não está no formato DD/MM/AAAA nem AAAA-MM-DD`,
    };
  }
  if (year < 1000)
    return { ok: false, message: `a data "${shown}" tem um ano improvável: ${year}` };
  if (month < 1 || month > 12)
    return {
      ok: false,
      message: `a data "${shown}" não tem mês ${month} (os meses vão de 1 a 12)`,
    };
  if (day < 1 || day > daysInMonth(year, month))
    return {
      ok: false,
      message: `a data "${shown}" não existe (o mês ${month} de ${year} tem ${daysInMonth(year, month)} dias)`,
    };
  return { ok: true, value: fromParts(year, month, day) };
}

/** `tryParseBrazilianDate` that throws a RangeError with the same message. */
export function parseBrazilianDate(text: string): CalendarDate {
  const result = tryParseBrazilianDate(text);
  if (!result.ok) throw new RangeError(result.message);
  return result.value;
}

/** "31/01/2025": the date as Brazilians write it. */
export function formatBrazilianDate(date: CalendarDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}
