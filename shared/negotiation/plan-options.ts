/**
 * The installment plans a debtor may choose by themselves (the debtor's page), each one a proposal
 * the negotiation policy was asked about through `validateProposal`, so the page never offers a
 * plan the office would refuse and the verdict (active at once, or the owner's approval) is known
 * before the debtor chooses.
 *
 * Rules decided here:
 * - "N×" means N payments in all: the first (the entrada) on the chosen first date, the others
 *   monthly after it; N never exceeds the policy's `maxInstallments` (the debtor reads "até 12×"
 *   as twelve payments, not a down payment plus twelve).
 * - Payments are as equal as the centavos allow; when an equal first share would be below the
 *   policy's minimum down payment, the entrada is that minimum and the rest is split evenly.
 *   A plan whose smaller payments fall below the minimum installment is not offered.
 * - A discount only on a single payment ("à vista"), and only when the régua's current step
 *   unlocks it: the band's ceiling for the days overdue. When that ceiling is above the owner's
 *   approval threshold, the page offers both the largest discount confirmed at once and the
 *   ceiling, marked as subject to approval. Waivers of multa or juros are concessions the office
 *   grants; the page never proposes them.
 */
import { cents, splitCents, type Cents } from '../money/money';
import type { CalendarDate } from '../time/calendar-date';
import type { NegotiationPolicy, Proposal, ProposalResult } from './negotiation.schema';
import { maxDiscountBpsFor, validateProposal, type NegotiationContext } from './validate-proposal';

/** One plan the debtor may pick. */
export interface PlanOption {
  /** Stable within a day: 'vista', 'vista-desconto', 'vista-desconto-max', 'p2'…'p12'. */
  id: string;
  /** Payments in all. */
  payments: number;
  proposal: Proposal;
  /** The policy's verdict: always ok; `needsApproval` says whether the owner must agree. */
  result: ProposalResult;
}

/** The proposal of N payments over `total` starting on `firstDueDate`, or null when N cannot work. */
function splitProposal(
  policy: NegotiationPolicy,
  debtIds: readonly string[],
  total: Cents,
  payments: number,
  firstDueDate: CalendarDate,
): Proposal | null {
  if (payments === 1)
    return {
      debtIds: [...debtIds],
      downPayment: total,
      installments: 0,
      firstDueDate,
      interval: 'monthly',
      waiveFine: false,
      waiveInterest: false,
    };
  const equal = splitCents(total, payments)[0] ?? total;
  const minDown = cents(
    Number((BigInt(total) * BigInt(policy.minDownPaymentBps) + 9_999n) / 10_000n),
  );
  const downPayment = equal >= minDown ? equal : minDown;
  if (downPayment >= total) return null;
  return {
    debtIds: [...debtIds],
    downPayment,
    installments: payments - 1,
    firstDueDate,
    interval: 'monthly',
    waiveFine: false,
    waiveInterest: false,
  };
}

/**
 * Every plan for `debtIds` the policy accepts on `context.today` with the first payment on
 * `firstDueDate`: single payments first (plain, then discounted), then 2×, 3×… in order.
 */
export function planOptions(
  policy: NegotiationPolicy,
  debtIds: readonly string[],
  firstDueDate: CalendarDate,
  context: NegotiationContext,
): PlanOption[] {
  if (debtIds.length === 0) return [];
  const ask = (proposal: Proposal) => validateProposal(policy, proposal, context);
  const options: PlanOption[] = [];
  const plain = splitProposal(policy, debtIds, cents(0), 1, firstDueDate);
  if (!plain) return [];
  // The balance (Σ totalDue) as the validator computes it: the single payment must equal it.
  const balance = ask({ ...plain, downPayment: cents(0) }).balance;
  if (balance <= 0) return [];
  const single = ask({ ...plain, downPayment: balance });
  if (single.ok)
    options.push({
      id: 'vista',
      payments: 1,
      proposal: { ...plain, downPayment: balance },
      result: single,
    });

  const ceiling = maxDiscountBpsFor(policy.discountBands, single.daysOverdue);
  if (context.discountUnlocked && ceiling > 0) {
    const discounted = (bps: number, id: string) => {
      // Rounded down: a discount of exactly `bps` never crosses a bound by a centavo.
      const discountAmount = cents(Number((BigInt(balance) * BigInt(bps)) / 10_000n));
      if (discountAmount <= 0) return;
      const proposal: Proposal = {
        ...plain,
        discountAmount,
        downPayment: cents(balance - discountAmount),
      };
      const result = ask(proposal);
      if (result.ok) options.push({ id, payments: 1, proposal, result });
    };
    const threshold = policy.approvalThresholdBps;
    if (threshold !== undefined && threshold < ceiling) {
      if (threshold > 0) discounted(threshold, 'vista-desconto');
      discounted(ceiling, 'vista-desconto-max');
    } else discounted(ceiling, 'vista-desconto');
  }

  for (let payments = 2; payments <= policy.maxInstallments; payments++) {
    const proposal = splitProposal(policy, debtIds, balance, payments, firstDueDate);
    if (!proposal) continue;
    const result = ask(proposal);
    if (result.ok) options.push({ id: `p${payments}`, payments, proposal, result });
  }
  return options;
}
