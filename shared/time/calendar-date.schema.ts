/**
 * The valibot schemas for calendar dates, apart from calendar-date.ts so code that only computes
 * with dates (the collector's first screen) does not bundle the schema library.
 */
import * as v from 'valibot';
import { isRealDate, tryParseBrazilianDate, type CalendarDate } from './calendar-date';

/**
 * The years a date of this product may fall in. PostgreSQL refuses year 0000 (a 500 before this
 * bound) and a debt due in year 0001 would make the interest of two thousand years overflow;
 * nothing collected or promised here lies outside 1900–2199.
 */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

/** True when the 'YYYY…' text starts with a year inside MIN_YEAR–MAX_YEAR. */
export function yearInRange(value: string): boolean {
  const year = Number(value.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

export const CalendarDateSchema = v.pipe(
  v.string('a data deve ser um texto no formato AAAA-MM-DD'),
  v.check(isRealDate, 'a data deve existir e estar no formato AAAA-MM-DD, como 2025-03-10'),
  v.check(yearInRange, `o ano da data deve estar entre ${MIN_YEAR} e ${MAX_YEAR}`),
  v.brand('CalendarDate'),
);

/** A date typed by a person or read from a spreadsheet ('DD/MM/AAAA' or 'YYYY-MM-DD'), output as a CalendarDate. */
export const BrazilianDateSchema = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }): CalendarDate => {
    const result = tryParseBrazilianDate(dataset.value);
    if (result.ok) return result.value;
    addIssue({ message: result.message });
    return NEVER;
  }),
);
