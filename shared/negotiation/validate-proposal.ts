/**
 * Checks a collector's proposal against the negotiation policy and names EVERY broken rule, so
 * the screen can show the collector all that must change at once, not one fix per round trip.
 *
 * Money: the balance is Σ totalDue of the covered debts (from `balanceOn`). Waivers remove the
 * open multa and/or juros; the discount is then taken from what is left, so it never applies to
 * money already waived. Waivers are governed only by `waiverAllowed` (an "isenção de multa" is a
 * routine first concession), while a discount also needs the cadence step to allow it. All three
 * count as concessions for the approval threshold: waived juros is money given away like a discount.
 */
import { applyRateBps, cents, formatBRL, roundDiv, type Cents } from '../money/money';
import { daysBetween, formatBrazilianDate, type CalendarDate } from '../time/calendar-date';
import type { HolidayCalendar } from '../time/holidays';
import type { Breakdown } from '../charges/charges.schema';
import { formatBps } from '../charges/format-rate';
import type {
  DiscountBand,
  NegotiationPolicy,
  Proposal,
  ProposalResult,
  RuleFinding,
} from './negotiation.schema';
import { buildSchedule, scheduleProblem } from './schedule';

/** The parts of a debt's breakdown a negotiation reads. */
export type DebtBalance = Pick<Breakdown, 'totalDue' | 'daysOverdue' | 'open'>;

/** What the validator needs besides the policy and the proposal. */
export interface NegotiationContext {
  today: CalendarDate;
  /** The current cadence step allows discounts ("last resort"). */
  discountUnlocked: boolean;
  /** Current balances of the debtor's debts, computed by `balanceOn` on `today`. */
  balances: readonly { debtId: string; breakdown: DebtBalance }[];
  /** Defaults to the oldest covered debt's daysOverdue. */
  daysOverdue?: number;
  /** Holidays for moving due dates to business days. */
  calendar?: HolidayCalendar;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The discount ceiling for `daysOverdue`: the band with the largest minDaysOverdue not above it, or 0. */
export function maxDiscountBpsFor(bands: readonly DiscountBand[], daysOverdue: number): number {
  let max = 0;
  for (const band of bands) if (band.minDaysOverdue <= daysOverdue) max = band.maxDiscountBps;
  return max;
}

/** Checks `proposal` against `policy`, listing every violation and every reason for owner approval. */
export function validateProposal(
  policy: NegotiationPolicy,
  proposal: Proposal,
  context: NegotiationContext,
): ProposalResult {
  const violations: RuleFinding[] = [];
  const approvalReasons: RuleFinding[] = [];

  const byId = new Map(context.balances.map((b) => [b.debtId, b.breakdown]));
  const seen = new Set<string>();
  let balance = 0;
  let fineOpen = 0;
  let interestOpen = 0;
  let oldest = 0;
  for (const id of proposal.debtIds) {
    if (seen.has(id)) {
      violations.push({
        rule: 'duplicate-debt',
        message: `A dívida ${id} foi incluída mais de uma vez.`,
      });
      continue;
    }
    seen.add(id);
    const debt = byId.get(id);
    if (!debt) {
      violations.push({
        rule: 'unknown-debt',
        message: `A dívida ${id} não está entre as dívidas deste devedor.`,
      });
      continue;
    }
    if (debt.totalDue <= 0) {
      violations.push({
        rule: 'debt-already-settled',
        message: `A dívida ${id} já está quitada.`,
      });
      continue;
    }
    balance += debt.totalDue;
    fineOpen += debt.open.fine;
    interestOpen += debt.open.interest;
    oldest = Math.max(oldest, debt.daysOverdue);
  }
  const daysOverdue = context.daysOverdue ?? oldest;

  const fineWaived = proposal.waiveFine ? fineOpen : 0;
  const interestWaived = proposal.waiveInterest ? interestOpen : 0;
  if (proposal.waiveFine && !policy.waiverAllowed.fine) {
    violations.push({
      rule: 'fine-waiver-not-allowed',
      message: `A política não permite dispensar a multa (${formatBRL(cents(fineOpen))}).`,
      limit: 0,
      actual: fineOpen,
      unit: 'cents',
    });
  }
  if (proposal.waiveInterest && !policy.waiverAllowed.interest) {
    violations.push({
      rule: 'interest-waiver-not-allowed',
      message: `A política não permite dispensar os juros (${formatBRL(cents(interestOpen))}).`,
      limit: 0,
      actual: interestOpen,
      unit: 'cents',
    });
  }

  const base = cents(balance - fineWaived - interestWaived);
  const discount: number =
    proposal.discountBps !== undefined
      ? applyRateBps(base, proposal.discountBps)
      : (proposal.discountAmount ?? 0);
  const maxDiscountBps = maxDiscountBpsFor(policy.discountBands, daysOverdue);
  if (discount > 0 || (proposal.discountBps ?? 0) > 0) {
    if (!context.discountUnlocked) {
      violations.push({
        rule: 'discount-locked',
        message: 'Desconto ainda não liberado nesta etapa da cobrança.',
        limit: 0,
        actual: discount,
        unit: 'cents',
      });
    }
    const limitText = `${formatBps(maxDiscountBps)} para ${plural(daysOverdue, 'dia', 'dias')} de atraso`;
    if (proposal.discountBps !== undefined) {
      if (proposal.discountBps > maxDiscountBps) {
        violations.push({
          rule: 'discount-above-limit',
          message: `Desconto de ${formatBps(proposal.discountBps)} acima do máximo de ${limitText}.`,
          limit: maxDiscountBps,
          actual: proposal.discountBps,
          unit: 'bps',
        });
      }
    } else {
      // The largest amount within the band, exactly: base × maxBps / 10 000 rounded down, since
      // any centavo more would exceed the rate (a bound, not a rounded charge).
      const maxAmount = Number((BigInt(base) * BigInt(maxDiscountBps)) / 10_000n);
      if (discount > maxAmount) {
        violations.push({
          rule: 'discount-above-limit',
          message: `Desconto de ${formatBRL(cents(discount))} acima do máximo de ${formatBRL(cents(maxAmount))} (${limitText}).`,
          limit: maxAmount,
          actual: discount,
          unit: 'cents',
        });
      }
    }
  }

  const agreedTotal = cents(Math.max(0, base - discount));
  const { downPayment, installments } = proposal;
  if (balance > 0 && agreedTotal === 0) {
    violations.push({
      rule: 'nothing-to-pay',
      message: 'Com as concessões não sobra valor a pagar.',
      limit: 1,
      actual: 0,
      unit: 'cents',
    });
  }
  if (installments > policy.maxInstallments) {
    violations.push({
      rule: 'too-many-installments',
      message: `${plural(installments, 'parcela', 'parcelas')}: o máximo é ${policy.maxInstallments}.`,
      limit: policy.maxInstallments,
      actual: installments,
      unit: 'count',
    });
  }
  if (agreedTotal > 0) {
    checkAmounts(policy, agreedTotal, downPayment, installments, violations);
  }

  const lead = daysBetween(context.today, proposal.firstDueDate);
  const shown = formatBrazilianDate(proposal.firstDueDate);
  if (lead < 0) {
    violations.push({
      rule: 'first-due-date-in-past',
      message: `O primeiro vencimento (${shown}) já passou.`,
      limit: 0,
      actual: lead,
      unit: 'days',
    });
  } else if (lead > policy.maxFirstDueDays) {
    violations.push({
      rule: 'first-due-date-too-far',
      message: `O primeiro vencimento (${shown}) está a ${plural(lead, 'dia', 'dias')}; o máximo é ${plural(policy.maxFirstDueDays, 'dia', 'dias')}.`,
      limit: policy.maxFirstDueDays,
      actual: lead,
      unit: 'days',
    });
  }

  const conceded = discount + fineWaived + interestWaived;
  if (
    policy.approvalThresholdBps !== undefined &&
    balance > 0 &&
    BigInt(conceded) * 10_000n > BigInt(policy.approvalThresholdBps) * BigInt(balance)
  ) {
    const share = roundDiv(BigInt(conceded) * 10_000n, balance);
    approvalReasons.push({
      rule: 'concession-above-threshold',
      message: `Concessões de ${formatBRL(cents(conceded))} (${formatBps(share)} do saldo) acima de ${formatBps(policy.approvalThresholdBps)}: precisa de aprovação do gestor.`,
      limit: policy.approvalThresholdBps,
      actual: share,
      unit: 'bps',
    });
  }
  if (policy.approvalAboveTotal !== undefined && agreedTotal > policy.approvalAboveTotal) {
    approvalReasons.push({
      rule: 'total-above-limit',
      message: `Acordo de ${formatBRL(agreedTotal)} acima de ${formatBRL(policy.approvalAboveTotal)}: precisa de aprovação do gestor.`,
      limit: policy.approvalAboveTotal,
      actual: agreedTotal,
      unit: 'cents',
    });
  }

  return {
    ok: violations.length === 0,
    violations,
    needsApproval: approvalReasons.length > 0,
    approvalReasons,
    balance: cents(balance),
    agreedTotal,
    concessions: {
      discount: cents(discount),
      fineWaived: cents(fineWaived),
      interestWaived: cents(interestWaived),
    },
    daysOverdue,
    maxDiscountBps,
    schedule:
      scheduleProblem(agreedTotal, downPayment, installments) === undefined
        ? buildSchedule(
            agreedTotal,
            downPayment,
            installments,
            proposal.firstDueDate,
            context.calendar,
          )
        : [],
  };
}

// Down payment and installment rules apply only to agreements of two or more payments: a single
// payment of the whole agreed total is never too small, whatever the policy's minimums.
function checkAmounts(
  policy: NegotiationPolicy,
  agreedTotal: Cents,
  downPayment: Cents,
  installments: number,
  violations: RuleFinding[],
): void {
  if (installments === 0) {
    if (downPayment !== agreedTotal) {
      violations.push({
        rule: 'down-payment-must-equal-total',
        message: `Sem parcelas, o pagamento único deve ser o total do acordo: ${formatBRL(agreedTotal)}.`,
        limit: agreedTotal,
        actual: downPayment,
        unit: 'cents',
      });
    }
    return;
  }
  if (downPayment >= agreedTotal) {
    violations.push({
      rule: 'down-payment-covers-total',
      message: `A entrada de ${formatBRL(downPayment)} cobre todo o acordo (${formatBRL(agreedTotal)}); não há o que parcelar.`,
      limit: agreedTotal - 1,
      actual: downPayment,
      unit: 'cents',
    });
    return;
  }
  const payments = installments + (downPayment > 0 ? 1 : 0);
  if (payments < 2) return;
  // The smallest down payment meeting the rate, exactly: agreedTotal × bps / 10 000 rounded up (a
  // bound, not a rounded charge, so it does not go through roundDiv).
  const minDown = Number(
    (BigInt(agreedTotal) * BigInt(policy.minDownPaymentBps) + 9_999n) / 10_000n,
  );
  if (downPayment < minDown) {
    violations.push({
      rule: 'down-payment-below-minimum',
      message: `Entrada de ${formatBRL(downPayment)} abaixo do mínimo de ${formatBRL(cents(minDown))} (${formatBps(policy.minDownPaymentBps)} do acordo).`,
      limit: minDown,
      actual: downPayment,
      unit: 'cents',
    });
  }
  const smallest = Math.floor((agreedTotal - downPayment) / installments);
  if (smallest < policy.minInstallment) {
    violations.push({
      rule: 'installment-below-minimum',
      message: `Parcela de ${formatBRL(cents(smallest))} abaixo do mínimo de ${formatBRL(policy.minInstallment)}.`,
      limit: policy.minInstallment,
      actual: smallest,
      unit: 'cents',
    });
  }
}
