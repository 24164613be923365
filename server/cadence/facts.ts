/**
 * The facts a cadence message is rendered with, from stored data and shared rules only: the
 * creditor identity (CDC art. 42-A), the debt's itemised balance as of today (`balanceOn`), a PIX
 * copy-and-paste for exactly that amount with the debt's reconciliation txid, and, at steps that
 * allow it, the discount and installment offer the negotiation policy permits. A fact that cannot
 * be known (no PIX key, no payment link configured) is left out, so `renderTemplate` names it
 * instead of sending a message with a hole.
 */
import type { PlannedAction } from '#shared/cadence/plan-next-actions';
import { noticeDaysFor } from '#shared/cadence/plan-next-actions';
import type { DebtorContactProfile } from '#shared/cadence/cadence.schema';
import type { Breakdown } from '#shared/charges/charges.schema';
import { applyRateBps, cents, roundDiv } from '#shared/money/money';
import { maxDiscountBpsFor } from '#shared/negotiation/validate-proposal';
import {
  creditorFacts as sharedCreditorFacts,
  paymentLink,
  pixCopyPaste,
} from '#shared/templates/creditor-facts';
import type { MessageFacts } from '#shared/templates/placeholders';
import { addDays, type CalendarDate } from '#shared/time/calendar-date';
import type { EffectiveSettings, OrganisationView } from '../settings/settings.repo';

const creditorMemo = new WeakMap<OrganisationView, MessageFacts>();

/** The creditor's part of the facts, computed once per settings load (the queue renders thousands). */
export function creditorFacts(org: OrganisationView): MessageFacts {
  const memo = creditorMemo.get(org);
  if (memo) return memo;
  const facts = sharedCreditorFacts(org);
  creditorMemo.set(org, facts);
  return facts;
}

export interface StepFactsInput {
  settings: EffectiveSettings;
  debtor: { name: string; profile: DebtorContactProfile };
  debt: { id: string; description: string };
  balance: Breakdown;
  action: Pick<PlannedAction, 'allowsDiscount'>;
  collectorName: string | null;
  today: CalendarDate;
}

/** Every fact a default or custom template of a cadence step may use. */
export function stepFacts(input: StepFactsInput): MessageFacts {
  const { settings, balance, today } = input;
  const org = settings.organisation;
  const amount = balance.totalDue;
  const pix = pixCopyPaste(org, input.debt.id, amount);
  const link = paymentLink(org, input.debt.id);
  const firstName = input.debtor.name.trim().split(/\s+/)[0] ?? input.debtor.name;
  const facts: MessageFacts = {
    ...creditorFacts(org),
    debtor_name: input.debtor.name,
    debtor_first_name: firstName,
    ...(input.debt.description.trim() === '' ? {} : { debt_reference: input.debt.description }),
    amount_due: amount,
    original_amount: balance.principal,
    fine_amount: balance.fine,
    interest_amount: balance.interest,
    due_date: balance.dueDate,
    days_overdue: Math.max(0, balance.daysOverdue),
    ...(pix === undefined ? {} : { pix_copy_paste: pix }),
    ...(link === undefined ? {} : { payment_link: link }),
    ...(input.collectorName === null ? {} : { collector_name: input.collectorName }),
    notice_deadline: addDays(today, noticeDaysFor(settings.cadence, input.debtor.profile.state)),
    today,
  };
  const policy = settings.negotiation;
  // An installment offer is not a concession: "em até N× de R$ X", as many installments as the
  // policy allows without going below its minimum installment.
  const byMinimum =
    policy.minInstallment > 0 ? Math.floor(amount / policy.minInstallment) : policy.maxInstallments;
  const count = Math.max(1, Math.min(policy.maxInstallments, byMinimum));
  Object.assign(facts, { installment_count: count, installment_amount: roundDiv(amount, count) });
  // Discounts are a last resort: only at the steps that unlock them, within the policy's band.
  if (input.action.allowsDiscount) {
    const discount = applyRateBps(
      amount,
      maxDiscountBpsFor(policy.discountBands, balance.daysOverdue),
    );
    Object.assign(facts, {
      discount_amount: discount,
      discounted_amount: cents(amount - discount),
      discount_until: addDays(today, policy.maxFirstDueDays),
    });
  }
  return facts;
}
