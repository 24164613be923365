/**
 * Where incoming money goes, and whether it is too much. One rule for the office's payment form,
 * the collector's field report, the bank statement's credits and the debtor's own PIX:
 *
 * - To a debt: what the debt owes now; if an active agreement covers it, the money pays the
 *   agreement (installments in order) instead.
 * - To an installment (its txid): the agreement, installments in order; the agreement must be
 *   active.
 * - To the debtor (a QC txid, or "everything"): an active agreement first, then the other open
 *   debts, oldest due date first.
 * - More than what is open is refused (`surplus` > 0): a R$ 99.999,99 payment on a R$ 124,17 debt
 *   must never turn into a negative balance. The office may still record it as a credit to return
 *   to the payer (the surplus is kept apart and listed until it is returned).
 *
 * `exact` says whether the amount is one the debtor was asked for — the whole debt, the named
 * installment, the next open installment, the agreement's remaining or everything owed — which
 * is what lets a bank credit with a txid be confirmed without a person.
 */
import { cents, formatBRL, type Cents } from '../money/money';
import type { AgreementView, DebtorLedger } from './debtor-ledger';

export type PaymentTarget =
  | { kind: 'debt'; debtId: string }
  | { kind: 'installment'; agreementId: string; number: number }
  | { kind: 'debtor' };

/** One payment row the money becomes: to a debt or to an agreement. */
export interface PaymentPart {
  debtId: string | null;
  agreementId: string | null;
  amount: Cents;
}

export type PlanProblem = 'unknown_target' | 'nothing_open' | 'agreement_not_active' | 'above_open';

export interface PaymentPlan {
  /** What the target owes now (0 when nothing can be paid to it). */
  owed: Cents;
  parts: PaymentPart[];
  /** Money beyond `owed`. */
  surplus: Cents;
  /** The amount is exactly one the debtor was asked for (see the module comment). */
  exact: boolean;
  /** Why the money cannot all go where it was sent; pt-BR in `message`. */
  problem: PlanProblem | null;
  message: string | null;
}

const AGREEMENT_STATUS_TEXT: Record<string, string> = {
  pending_approval: 'o acordo ainda aguarda aprovação',
  completed: 'o acordo já foi quitado',
  broken: 'o acordo foi desfeito por falta de pagamento',
  cancelled: 'o acordo foi cancelado',
  rejected: 'o acordo foi recusado',
};

function activeAgreementOf(ledger: DebtorLedger, debtId: string): AgreementView | undefined {
  return ledger.agreements.find((a) => a.status === 'active' && a.debtIds.includes(debtId));
}

function agreementAmounts(a: AgreementView, named?: number): number[] {
  const amounts = [a.remaining];
  if (a.next) amounts.push(a.next.remaining);
  if (named !== undefined) {
    const inst = a.installments.find((i) => i.number === named);
    if (inst && inst.remaining > 0) amounts.push(inst.remaining);
  }
  return amounts;
}

function plan(
  owed: number,
  amount: number,
  parts: PaymentPart[],
  exactAmounts: readonly number[],
): PaymentPlan {
  const surplus = Math.max(0, amount - owed);
  if (owed <= 0)
    return {
      owed: cents(0),
      parts: [],
      surplus: cents(amount),
      exact: false,
      problem: 'nothing_open',
      message: 'não há nada em aberto para receber este pagamento',
    };
  return {
    owed: cents(owed),
    parts,
    surplus: cents(surplus),
    exact: surplus === 0 && exactAmounts.includes(amount),
    problem: surplus > 0 ? 'above_open' : null,
    message:
      surplus > 0
        ? `o valor (${formatBRL(cents(amount))}) passa do que está em aberto (${formatBRL(cents(owed))}) em ${formatBRL(cents(surplus))}`
        : null,
  };
}

/** Splits `amount` over `slots` in order, each up to what it owes. */
function fill(
  amount: number,
  slots: readonly { debtId: string | null; agreementId: string | null; owed: number }[],
): PaymentPart[] {
  const parts: PaymentPart[] = [];
  let left = amount;
  for (const slot of slots) {
    if (left <= 0) break;
    const take = Math.min(left, slot.owed);
    if (take <= 0) continue;
    parts.push({ debtId: slot.debtId, agreementId: slot.agreementId, amount: cents(take) });
    left -= take;
  }
  return parts;
}

/** Where `amount` sent to `target` goes (see the module comment). */
export function planPayment(
  ledger: DebtorLedger,
  target: PaymentTarget,
  amount: Cents,
): PaymentPlan {
  if (target.kind === 'installment') {
    const a = ledger.agreements.find((x) => x.id === target.agreementId);
    if (!a)
      return {
        owed: cents(0),
        parts: [],
        surplus: amount,
        exact: false,
        problem: 'unknown_target',
        message: 'acordo não encontrado',
      };
    if (a.status !== 'active')
      return {
        owed: cents(0),
        parts: [],
        surplus: amount,
        exact: false,
        problem: 'agreement_not_active',
        message: AGREEMENT_STATUS_TEXT[a.status] ?? 'o acordo não está ativo',
      };
    return plan(
      a.remaining,
      amount,
      fill(amount, [{ debtId: null, agreementId: a.id, owed: a.remaining }]),
      agreementAmounts(a, target.number),
    );
  }
  if (target.kind === 'debt') {
    const debt = ledger.debts.find((d) => d.id === target.debtId);
    if (!debt)
      return {
        owed: cents(0),
        parts: [],
        surplus: amount,
        exact: false,
        problem: 'unknown_target',
        message: 'dívida não encontrada',
      };
    const a = activeAgreementOf(ledger, debt.id);
    if (a)
      return plan(
        a.remaining,
        amount,
        fill(amount, [{ debtId: null, agreementId: a.id, owed: a.remaining }]),
        agreementAmounts(a),
      );
    const owed = debt.status === 'open' && debt.agreementId === null ? debt.breakdown.totalDue : 0;
    return plan(owed, amount, fill(amount, [{ debtId: debt.id, agreementId: null, owed }]), [owed]);
  }
  const slots: { debtId: string | null; agreementId: string | null; owed: number }[] = [];
  const active = ledger.agreements.filter((a) => a.status === 'active');
  for (const a of active) slots.push({ debtId: null, agreementId: a.id, owed: a.remaining });
  const open = ledger.debts
    .filter((d) => d.status === 'open' && d.agreementId === null && d.breakdown.totalDue > 0)
    .sort((x, y) =>
      x.breakdown.dueDate < y.breakdown.dueDate
        ? -1
        : x.breakdown.dueDate > y.breakdown.dueDate
          ? 1
          : x.id < y.id
            ? -1
            : 1,
    );
  for (const d of open) slots.push({ debtId: d.id, agreementId: null, owed: d.breakdown.totalDue });
  const owed = slots.reduce((sum, s) => sum + s.owed, 0);
  const exact = [owed, ...active.flatMap((a) => agreementAmounts(a))];
  return plan(owed, amount, fill(amount, slots), exact);
}
