/**
 * Wall-clock time in a zone → instant. `calendar-date.ts` only converts the other way
 * (`localDateTime`); contact windows need both. The offset is found by asking Intl what local time a
 * guess lands on and correcting by the difference, which converges in one or two steps for every
 * zone (Brazil has had no DST since 2019, but the debtor's zone is configurable).
 */
import { localDateTime, utcMidnight, type CalendarDate } from '../time/calendar-date';

const MINUTE_MS = 60_000;

/**
 * Results by zone and wall-clock minute: the contact windows of a portfolio ask for the same few
 * local times (midnights, window edges) of the same days for every debtor. Pure, so memoising is
 * safe; bounded.
 */
const memo = new Map<string, Map<number, number>>();
const MEMO_MAX = 16_384;

/** The epoch ms at which the clock in `timeZone` reads `minuteOfDay` minutes after midnight of `date`. */
export function zonedEpoch(date: CalendarDate, minuteOfDay: number, timeZone: string): number {
  const wanted = utcMidnight(date) + minuteOfDay * MINUTE_MS;
  let zoneMemo = memo.get(timeZone);
  if (!zoneMemo) {
    zoneMemo = new Map();
    memo.set(timeZone, zoneMemo);
  }
  const hit = zoneMemo.get(wanted);
  if (hit !== undefined) return hit;
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const local = localDateTime(guess, timeZone);
    const seen = utcMidnight(local.date) + (local.hour * 60 + local.minute) * MINUTE_MS;
    if (seen === wanted) break;
    guess += wanted - seen;
  }
  if (zoneMemo.size >= MEMO_MAX) zoneMemo.clear();
  zoneMemo.set(wanted, guess);
  return guess;
}

/** Minutes since local midnight of the instant, ignoring seconds. */
export function minuteOfDay(epochMs: number, timeZone: string): number {
  const { hour, minute } = localDateTime(epochMs, timeZone);
  return hour * 60 + minute;
}
