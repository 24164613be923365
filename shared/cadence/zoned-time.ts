/**
 * Wall-clock time in a zone → instant. `calendar-date.ts` only converts the other way
 * (`localDateTime`); contact windows need both. The offset is found by asking Intl what local time a
 * guess lands on and correcting by the difference, which converges in one or two steps for every
 * zone (Brazil has had no DST since 2019, but the debtor's zone is configurable).
 */
import { dateParts, localDateTime, type CalendarDate } from '../time/calendar-date';

/** The epoch ms at which the clock in `timeZone` reads `minuteOfDay` minutes after midnight of `date`. */
export function zonedEpoch(date: CalendarDate, minuteOfDay: number, timeZone: string): number {
  const { year, month, day } = dateParts(date);
  const wanted = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const local = localDateTime(guess, timeZone);
    const lp = dateParts(local.date);
    const seen = Date.UTC(lp.year, lp.month - 1, lp.day, local.hour, local.minute);
    if (seen === wanted) break;
    guess += wanted - seen;
  }
  return guess;
}

/** Minutes since local midnight of the instant, ignoring seconds. */
export function minuteOfDay(epochMs: number, timeZone: string): number {
  const { hour, minute } = localDateTime(epochMs, timeZone);
  return hour * 60 + minute;
}
