/** Numbers, money and dates as Brazilians read them, through Intl (money via shared formatBRL). */
import { cents, formatBRL } from '#shared/money/money';

const LOCALE = 'pt-BR';
const dateFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'short', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'short', timeStyle: 'short' });
const numberFormat = new Intl.NumberFormat(LOCALE);
const percentFormat = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 0 });

/** Integer centavos as "R$ 1.234,56". */
export const brl = (amount: number): string => formatBRL(cents(amount), LOCALE);

/** A calendar date 'YYYY-MM-DD' as "05/03/2025" (no time-zone shift: it is a date, not an instant). */
export const date = (day: string): string => dateFormat.format(new Date(`${day}T00:00:00Z`));

/** An instant in the device's zone, "05/03/2025, 14:30". */
export const dateTime = (iso: string | number): string => dateTimeFormat.format(new Date(iso));

const timeFormat = new Intl.DateTimeFormat(LOCALE, { hour: '2-digit', minute: '2-digit' });
const dayMonthTime = new Intl.DateTimeFormat(LOCALE, {
  day: '2-digit',
  month: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * An instant as short as a one-line status allows, in the device's zone: "às 14:05" today,
 * "em 01/12, 14:05" otherwise (`at` and `on` are the words before each).
 */
export function shortDateTime(
  iso: string | number,
  at: string,
  on: string,
  now: number = Date.now(),
): string {
  const when = new Date(iso);
  return when.toDateString() === new Date(now).toDateString()
    ? `${at} ${timeFormat.format(when)}`
    : `${on} ${dayMonthTime.format(when)}`;
}

export const num = (n: number): string => numberFormat.format(n);
export const percent = (ratio: number): string => percentFormat.format(ratio);
