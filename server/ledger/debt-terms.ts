/** The `balanceOn` terms of a stored debt row. */
import * as v from 'valibot';
import { FeeSchema, type DebtTerms } from '#shared/charges/charges.schema';
import { cents } from '#shared/money/money';
import type { CalendarDate } from '#shared/time/calendar-date';
import type { DebtRow } from './rows';

const FeesSchema = v.array(FeeSchema);

/** The columns of a debt its `balanceOn` terms come from (a read may select only these). */
export type DebtTermsRow = Pick<
  DebtRow,
  | 'id'
  | 'principal_cents'
  | 'issued_on'
  | 'due_on'
  | 'debt_kind'
  | 'fine_bps'
  | 'interest_monthly_bps'
  | 'fees'
  | 'grace_days'
  | 'punctuality_discount_bps'
>;

/** The `balanceOn` terms of a stored debt. */
export function debtTerms(row: DebtTermsRow): DebtTerms {
  // Most debts carry no fee: nothing to validate.
  const none = Array.isArray(row.fees) && row.fees.length === 0;
  const fees = none ? { success: true as const, output: [] } : v.safeParse(FeesSchema, row.fees);
  return {
    principal: cents(row.principal_cents),
    issueDate: (row.issued_on ?? row.due_on) as CalendarDate,
    dueDate: row.due_on as CalendarDate,
    kind: row.debt_kind,
    fineBps: row.fine_bps,
    monthlyInterestBps: row.interest_monthly_bps,
    fees: fees.success ? fees.output : [],
    graceDays: row.grace_days,
    ...(row.punctuality_discount_bps === null
      ? {}
      : { punctualityDiscountBps: row.punctuality_discount_bps }),
  };
}
