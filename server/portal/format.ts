/** Money and dates on the debtor's page, as Brazilians read them (Intl, pt-BR). */
import { cents, formatBRL } from '#shared/money/money';

const LOCALE = 'pt-BR';
const shortDate = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'short', timeZone: 'UTC' });
const longDate = new Intl.DateTimeFormat(LOCALE, {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const weekdayDate = new Intl.DateTimeFormat(LOCALE, {
  weekday: 'short',
  day: '2-digit',
  month: '2-digit',
  timeZone: 'UTC',
});

/** Centavos as "R$ 1.234,56". */
export const brl = (amount: number): string => formatBRL(cents(amount), LOCALE);

/** 'YYYY-MM-DD' as "05/03/2025". */
export const date = (day: string): string => shortDate.format(new Date(`${day}T00:00:00Z`));

/** 'YYYY-MM-DD' as "5 de março de 2025". */
export const dateLong = (day: string): string => longDate.format(new Date(`${day}T00:00:00Z`));

/** 'YYYY-MM-DD' as "qua., 05/03" (choices of a date). */
export const dateWithWeekday = (day: string): string =>
  weekdayDate.format(new Date(`${day}T00:00:00Z`));
