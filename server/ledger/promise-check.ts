/**
 * Judging a new promise to pay against a debtor's current state: the covered debts must be the
 * debtor's, no other promise may be active, and the promise policy (`validatePromise`) decides on
 * amount, date and broken-promise history. The office route and the collectors' sync applier both
 * ask this one question and only word the answer differently (problem+json vs a sync rejection).
 */
import type { CalendarDate } from '#shared/time/calendar-date';
import { cents, type Cents } from '#shared/money/money';
import { validatePromise } from '#shared/negotiation/promise';
import type { DebtorState } from './debtor-state';
import type { LedgerSettings } from './settings';

export type PromiseCheck =
  | { kind: 'unknown_debt' }
  | { kind: 'promise_active' }
  | { kind: 'judged'; verdict: ReturnType<typeof validatePromise> };

/** The verdict on a promise of `amount` by `dueDate` covering `debtIds`, judged as of `today`. */
export function checkNewPromise(
  state: DebtorState,
  settings: LedgerSettings,
  promise: { debtIds: readonly string[]; amount: Cents; dueDate: CalendarDate },
  today: CalendarDate,
): PromiseCheck {
  const covered = state.debts.filter((d) => promise.debtIds.includes(d.row.id));
  if (covered.length !== promise.debtIds.length) return { kind: 'unknown_debt' };
  const statuses = [...state.promiseStatuses.values()];
  if (statuses.includes('active')) return { kind: 'promise_active' };
  const verdict = validatePromise(
    settings.promise,
    { amount: promise.amount, dueDate: promise.dueDate },
    {
      today,
      balance: cents(
        covered
          .filter((d) => d.row.status === 'open')
          .reduce((sum, d) => sum + d.balance.totalDue, 0),
      ),
      brokenPromisesCount: statuses.filter((s) => s === 'broken').length,
    },
  );
  return { kind: 'judged', verdict };
}
