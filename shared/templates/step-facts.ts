/**
 * Every fact a cadence step's message may use, for one debt (the server's queue) or one debtor's
 * open debts together (the collector's phone): the creditor identity, the itemised balance as of
 * today, the PIX code and payment link, the notice deadline, an installment offer within the
 * negotiation policy and, only at steps that unlock it, the policy's discount. One function, so a
 * message the phone opens reads exactly like the one the server sends. A fact that cannot be
 * known is left out, so rendering names it instead of sending a message with a hole.
 */
import { noticeDaysFor } from '../cadence/plan-next-actions';
import type { CadencePolicy, DebtorContactProfile } from '../cadence/cadence.schema';
import type { Breakdown } from '../charges/charges.schema';
import { applyRateBps, cents, roundDiv, type Cents } from '../money/money';
import { txidForInstallment } from '../pix/pix-txid';
import type { NegotiationPolicy } from '../negotiation/negotiation.schema';
import { maxDiscountBpsFor } from '../negotiation/validate-proposal';
import { addDays, daysBetween, type CalendarDate } from '../time/calendar-date';
import { creditorFacts, paymentLink, pixCopyPaste, type CreditorSettings } from './creditor-facts';
import { greetingName } from './greeting';
import type { MessageFacts } from './placeholders';

export { greetingName, isCompanyName } from './greeting';

export interface StepFactsInput {
  org: CreditorSettings;
  cadence: CadencePolicy;
  negotiation: NegotiationPolicy;
  debtor: {
    name: string;
    state: DebtorContactProfile['state'];
    kind?: 'person' | 'company' | undefined;
  };
  /** The debt the step is about (its txid goes in the PIX code and the payment link). */
  debt: { id: string; description: string };
  balance: Pick<
    Breakdown,
    'totalDue' | 'principal' | 'fine' | 'interest' | 'dueDate' | 'daysOverdue'
  >;
  allowsDiscount: boolean;
  collectorName: string | null;
  today: CalendarDate;
  /** The creditor's facts when the caller already has them (the queue renders thousands). */
  creditor?: MessageFacts;
  /**
   * The PIX copy-and-paste when the caller builds its own (the phone: one code for the debtor's
   * whole balance); null leaves it out. Default: the debt's code for the balance.
   */
  pix?: string | null;
  /**
   * An installment step (the régua of an active agreement): the message is about this installment
   * — its amount still open, due date, number and last day to pay — and its PIX code and payment
   * link carry the installment's txid.
   */
  installment?: {
    agreementId: string;
    number: number;
    dueDate: CalendarDate;
    amount: Cents;
    lastDayToPay: CalendarDate;
  };
  /**
   * The debtor's own page link (Quita's `/p/<token>`, minted by the server): `{{payment_link}}`
   * when the organisation configured no outside payment page; null or absent leaves it out.
   */
  portalLink?: string | null;
}

/** The facts of an installment step: the installment is what is due. */
function installmentFacts(
  input: StepFactsInput,
  installment: NonNullable<StepFactsInput['installment']>,
): MessageFacts {
  const { org, today } = input;
  const txid = txidForInstallment(installment.agreementId, installment.number);
  const pix =
    input.pix === undefined
      ? pixCopyPaste(org, input.debt.id, installment.amount, txid)
      : input.pix;
  const link = paymentLink(org, input.debt.id, txid) ?? input.portalLink ?? undefined;
  return {
    ...(input.creditor ?? creditorFacts(org)),
    ...debtorNameFacts(input.debtor.name, input.debtor.kind),
    ...(input.debt.description.trim() === '' ? {} : { debt_reference: input.debt.description }),
    amount_due: installment.amount,
    installment_amount: installment.amount,
    installment_number: installment.number,
    due_date: installment.dueDate,
    agreement_deadline: installment.lastDayToPay,
    days_overdue: Math.max(0, daysBetween(installment.dueDate, today)),
    ...(pix === undefined || pix === null ? {} : { pix_copy_paste: pix }),
    ...(link === undefined ? {} : { payment_link: link }),
    ...(input.collectorName ? { collector_name: input.collectorName } : {}),
    notice_deadline: addDays(today, noticeDaysFor(input.cadence, input.debtor.state)),
    today,
  };
}

/** debtor_name and debtor_first_name (the greeting), or nothing for a blank name. */
export function debtorNameFacts(name: string, kind?: 'person' | 'company'): MessageFacts {
  const trimmed = name.trim();
  if (trimmed === '') return {};
  return { debtor_name: trimmed, debtor_first_name: greetingName(trimmed, kind) };
}

export function stepFacts(input: StepFactsInput): MessageFacts {
  if (input.installment) return installmentFacts(input, input.installment);
  const { org, balance, today } = input;
  const amount = balance.totalDue;
  const pix = input.pix === undefined ? pixCopyPaste(org, input.debt.id, amount) : input.pix;
  // An outside payment page the owner configured wins; otherwise the debtor's own page.
  const link = paymentLink(org, input.debt.id) ?? input.portalLink ?? undefined;
  const facts: MessageFacts = {
    ...(input.creditor ?? creditorFacts(org)),
    ...debtorNameFacts(input.debtor.name, input.debtor.kind),
    ...(input.debt.description.trim() === '' ? {} : { debt_reference: input.debt.description }),
    amount_due: amount,
    original_amount: balance.principal,
    fine_amount: balance.fine,
    interest_amount: balance.interest,
    due_date: balance.dueDate,
    days_overdue: Math.max(0, balance.daysOverdue),
    ...(pix === undefined || pix === null ? {} : { pix_copy_paste: pix }),
    ...(link === undefined ? {} : { payment_link: link }),
    ...(input.collectorName ? { collector_name: input.collectorName } : {}),
    notice_deadline: addDays(today, noticeDaysFor(input.cadence, input.debtor.state)),
    today,
  };
  const policy = input.negotiation;
  // An installment offer is not a concession: "em até N× de R$ X", as many installments as the
  // policy allows without going below its minimum installment.
  const byMinimum =
    policy.minInstallment > 0 ? Math.floor(amount / policy.minInstallment) : policy.maxInstallments;
  const count = Math.max(1, Math.min(policy.maxInstallments, byMinimum));
  Object.assign(facts, { installment_count: count, installment_amount: roundDiv(amount, count) });
  // Discounts are a last resort: only at the steps that unlock them, within the policy's band.
  if (input.allowsDiscount) {
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
