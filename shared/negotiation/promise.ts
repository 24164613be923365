/**
 * Promises to pay ("promessa de pagamento"): a date and an amount the debtor commits to, recorded
 * from a visit or a chat. An active promise pauses the cadence; a broken one resumes it. Promises
 * too far ahead only buy time, so the policy bounds them; a debtor who has already broken several
 * needs the owner's approval for the next.
 */
import * as v from 'valibot';
import { cents, formatBRL, minCents, type Cents } from '../money/money';
import { CentsSchema } from '../money/cents.schema';
import { daysBetween, formatBrazilianDate, type CalendarDate } from '../time/calendar-date';
import { CalendarDateSchema } from '../time/calendar-date.schema';
import type { RuleFinding } from './negotiation.schema';

const WholeSchema = v.pipe(
  v.number('deve ser um número'),
  v.safeInteger('deve ser um número inteiro'),
  v.minValue(0, 'não pode ser menor que zero'),
);

/** The owner's limits on promises to pay. */
export const PromisePolicySchema = v.object({
  /** Latest promised date, in calendar days from today. */
  maxDaysAhead: WholeSchema,
  /** Smallest promise accepted, unless the promise covers the whole balance. */
  minAmount: v.pipe(
    CentsSchema,
    v.minValue(cents(0), 'o valor mínimo não pode ser menor que zero'),
  ),
  /** From this many broken promises on, a new one needs the owner's approval. */
  maxBrokenPromises: WholeSchema,
});
export type PromisePolicy = v.InferOutput<typeof PromisePolicySchema>;

/** Two weeks ahead at most (a promise for "next month" is a request for an agreement), R$ 10,00 minimum, approval after 2 broken promises. */
export const DEFAULT_PROMISE_POLICY: PromisePolicy = v.parse(PromisePolicySchema, {
  maxDaysAhead: 15,
  minAmount: 1_000,
  maxBrokenPromises: 2,
});

/** A promise: this amount paid by the end of this date. */
export const PromiseSchema = v.object({
  amount: v.pipe(CentsSchema, v.minValue(cents(1), 'o valor prometido deve ser maior que zero')),
  dueDate: CalendarDateSchema,
});
export type PromiseToPay = v.InferOutput<typeof PromiseSchema>;

/** active until the date ends; kept when paid in time; broken otherwise. */
export const PromiseStatuses = ['active', 'kept', 'broken'] as const;
export const PromiseStatusSchema = v.picklist(PromiseStatuses);
export type PromiseStatus = v.InferOutput<typeof PromiseStatusSchema>;

/** What `validatePromise` needs besides the policy and the promise. */
export interface PromiseContext {
  today: CalendarDate;
  /** The debtor's current total due (Σ `balanceOn(...).totalDue`). */
  balance: Cents;
  brokenPromisesCount: number;
}

/** The verdict on a promise: every broken rule, and why the owner must approve it, if so. */
export interface PromiseValidation {
  ok: boolean;
  violations: RuleFinding[];
  needsApproval: boolean;
  approvalReasons: RuleFinding[];
}

/** Checks `promise` against `policy`, naming every broken rule. */
export function validatePromise(
  policy: PromisePolicy,
  promise: PromiseToPay,
  context: PromiseContext,
): PromiseValidation {
  const violations: RuleFinding[] = [];
  const approvalReasons: RuleFinding[] = [];
  if (context.balance <= 0) {
    violations.push({
      rule: 'nothing-owed',
      message: 'Não há saldo em aberto para prometer pagamento.',
      limit: 1,
      actual: context.balance,
      unit: 'cents',
    });
  }
  const ahead = daysBetween(context.today, promise.dueDate);
  const shown = formatBrazilianDate(promise.dueDate);
  if (ahead < 0) {
    violations.push({
      rule: 'promise-date-in-past',
      message: `A data prometida (${shown}) já passou.`,
      limit: 0,
      actual: ahead,
      unit: 'days',
    });
  } else if (ahead > policy.maxDaysAhead) {
    violations.push({
      rule: 'promise-date-too-far',
      message: `A data prometida (${shown}) está a ${ahead} dias; o máximo é ${policy.maxDaysAhead} dias.`,
      limit: policy.maxDaysAhead,
      actual: ahead,
      unit: 'days',
    });
  }
  // Promising the whole balance is always enough, even when it is below the policy's minimum.
  const minimum =
    context.balance > 0 ? minCents(policy.minAmount, context.balance) : policy.minAmount;
  if (promise.amount < minimum) {
    violations.push({
      rule: 'promise-below-minimum',
      message: `Valor prometido de ${formatBRL(promise.amount)} abaixo do mínimo de ${formatBRL(minimum)}.`,
      limit: minimum,
      actual: promise.amount,
      unit: 'cents',
    });
  }
  if (context.brokenPromisesCount >= policy.maxBrokenPromises) {
    approvalReasons.push({
      rule: 'too-many-broken-promises',
      message: `O devedor já quebrou ${context.brokenPromisesCount} ${context.brokenPromisesCount === 1 ? 'promessa' : 'promessas'}: nova promessa precisa de aprovação do gestor.`,
      limit: policy.maxBrokenPromises,
      actual: context.brokenPromisesCount,
      unit: 'count',
    });
  }
  return {
    ok: violations.length === 0,
    violations,
    needsApproval: approvalReasons.length > 0,
    approvalReasons,
  };
}

/**
 * kept once the payments made since the promise, up to the end of its due date, reach the
 * promised amount; broken when the due date has ended without that; active until then. Payments
 * after the due date do not mend a broken promise (they still lower the balance).
 */
export function promiseStatus(
  promise: PromiseToPay,
  paymentsSincePromise: readonly { date: CalendarDate; amount: Cents }[],
  today: CalendarDate,
): PromiseStatus {
  let paid = 0;
  for (const p of paymentsSincePromise) {
    if (p.date <= promise.dueDate && p.date <= today) paid += p.amount;
  }
  if (paid >= promise.amount) return 'kept';
  return today > promise.dueDate ? 'broken' : 'active';
}
