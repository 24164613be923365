/**
 * Business days: Monday to Friday and not a holiday of the given calendar. Legal deadlines such as
 * removing a credit-bureau listing within 5 business days of payment (STJ Súmula 548) count them.
 */
import { addDays, dayOfWeek } from './calendar-date';
import type { CalendarDate } from './calendar-date';
import { isHoliday } from './holidays';
import type { HolidayCalendar } from './holidays';

/** True on Monday–Friday when `date` is not a holiday under `calendar`. */
export function isBusinessDay(date: CalendarDate, calendar: HolidayCalendar = {}): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6 && !isHoliday(date, calendar);
}

/** `date` itself when it is a business day, otherwise the first business day after it. */
export function businessDayOnOrAfter(
  date: CalendarDate,
  calendar: HolidayCalendar = {},
): CalendarDate {
  let day = date;
  while (!isBusinessDay(day, calendar)) day = addDays(day, 1);
  return day;
}

/** `date` itself when it is a business day, otherwise the last business day before it. */
export function businessDayOnOrBefore(
  date: CalendarDate,
  calendar: HolidayCalendar = {},
): CalendarDate {
  let day = date;
  while (!isBusinessDay(day, calendar)) day = addDays(day, -1);
  return day;
}

/**
 * The business day `n` business days after `date` (before it when `n` is negative), not counting
 * `date` itself: Friday + 1 is Monday, and so is Saturday + 1. `n` = 0 returns `date` unchanged.
 */
export function addBusinessDays(
  date: CalendarDate,
  n: number,
  calendar: HolidayCalendar = {},
): CalendarDate {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a whole number of days: ${n}`);
  const step = n < 0 ? -1 : 1;
  let day = date;
  for (let left = Math.abs(n); left > 0;) {
    day = addDays(day, step);
    if (isBusinessDay(day, calendar)) left -= 1;
  }
  return day;
}

/**
 * Business days from `from` to `to`, the inverse of `addBusinessDays`: when `to` is later, the
 * business days after `from` up to and including `to`; when earlier, minus the business days from
 * `to` up to but excluding `from`. So businessDaysBetween(d, addBusinessDays(d, n)) = n.
 */
export function businessDaysBetween(
  from: CalendarDate,
  to: CalendarDate,
  calendar: HolidayCalendar = {},
): number {
  let count = 0;
  if (from <= to) {
    for (let day = addDays(from, 1); day <= to; day = addDays(day, 1))
      if (isBusinessDay(day, calendar)) count += 1;
    return count;
  }
  for (let day = to; day < from; day = addDays(day, 1))
    if (isBusinessDay(day, calendar)) count -= 1;
  return count;
}
