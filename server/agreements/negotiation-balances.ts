/**
 * The balances an agreement proposal is judged against: each open debt as of today, counting the
 * field reports still waiting for the office as if confirmed. The collector's simulator counts the
 * same reports (their own, and any the phone pulled), so the schedule the phone showed is the one
 * the server builds; a report dated before the agreement is the debt's money, not an installment
 * (see ../ledger/money.ts). Should the office later reject such a report, the agreement keeps its
 * total and the debts' own figures show the difference again if the agreement breaks.
 */
import type { Breakdown } from '#shared/charges/charges.schema';
import type { CalendarDate } from '#shared/time/calendar-date';
import type { DebtorFacts } from '../ledger/debtor-state';
import { ledgerOf } from '../ledger/ledger-view';

export function negotiationBalances(
  facts: DebtorFacts,
  today: CalendarDate,
): { debtId: string; breakdown: Breakdown }[] {
  const payments = facts.payments.map((p) =>
    p.status === 'pending' && p.paid_on <= today ? { ...p, status: 'confirmed' as const } : p,
  );
  const ledger = ledgerOf({ ...facts, payments }, today);
  return ledger.debts
    .filter((d) => d.status === 'open' && d.agreementStatus === null)
    .map((d) => ({ debtId: d.id, breakdown: d.breakdown }));
}
