/**
 * The payment schedule of an agreement. Amounts come from `splitCents`, so they sum to the agreed
 * total exactly; the leftover centavos go to the first installments.
 *
 * Dates: `firstDueDate` is the date of the agreement's first payment, whatever it is. With a down
 * payment, the down payment (number 0) is due then and installment k is due k months later; without
 * one, installment 1 is due then. (No separate "today" for the down payment: the collector who takes
 * it on the spot sets firstDueDate to today, and the policy bounds how far away it may be.) Monthly
 * dates are computed from firstDueDate with `addMonths` (31 Jan → 28/29 Feb → 31 Mar, no drift) and
 * each is then moved to the next business day, as boletos and banks do.
 */
import { cents, splitCents, type Cents } from '../money/money';
import { businessDayOnOrAfter } from '../time/business-days';
import { addMonths, type CalendarDate } from '../time/calendar-date';
import type { HolidayCalendar } from '../time/holidays';
import type { ScheduleEntry } from './negotiation.schema';

/** Why `total`, `downPayment` and `count` cannot form a schedule, or undefined when they can. */
export function scheduleProblem(
  total: Cents,
  downPayment: Cents,
  count: number,
): string | undefined {
  if (total <= 0) return `o total deve ser maior que zero: ${total}`;
  if (downPayment < 0) return `a entrada não pode ser negativa: ${downPayment}`;
  if (!Number.isSafeInteger(count) || count < 0)
    return `o número de parcelas deve ser um inteiro ≥ 0: ${count}`;
  if (count === 0 && downPayment !== total) return 'sem parcelas, a entrada deve ser o total';
  if (count > 0 && downPayment >= total) return 'a entrada não deixa nada para as parcelas';
  if (count > total - downPayment) return 'uma parcela ficaria com R$ 0,00';
  return undefined;
}

/** The down payment (number 0, when > 0) and `count` monthly installments summing exactly to `total`. */
export function buildSchedule(
  total: Cents,
  downPayment: Cents,
  count: number,
  firstDueDate: CalendarDate,
  calendar: HolidayCalendar = {},
): ScheduleEntry[] {
  const problem = scheduleProblem(total, downPayment, count);
  if (problem) throw new RangeError(problem);
  const schedule: ScheduleEntry[] = [];
  if (downPayment > 0) {
    schedule.push({
      number: 0,
      dueDate: businessDayOnOrAfter(firstDueDate, calendar),
      amount: downPayment,
    });
  }
  if (count === 0) return schedule;
  const firstMonth = downPayment > 0 ? 1 : 0;
  splitCents(cents(total - downPayment), count).forEach((amount, i) => {
    schedule.push({
      number: i + 1,
      dueDate: businessDayOnOrAfter(addMonths(firstDueDate, firstMonth + i), calendar),
      amount,
    });
  });
  return schedule;
}
