/**
 * The valibot schemas for calendar dates, apart from calendar-date.ts so code that only computes
 * with dates (the collector's first screen) does not bundle the schema library.
 */
import * as v from 'valibot';
import { isRealDate, tryParseBrazilianDate, type CalendarDate } from './calendar-date';

export const CalendarDateSchema = v.pipe(
  v.string('a data deve ser um texto no formato AAAA-MM-DD'),
  v.check(isRealDate, 'a data deve existir e estar no formato AAAA-MM-DD, como 2025-03-10'),
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
