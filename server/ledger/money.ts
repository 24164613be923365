/**
 * Money arriving, one path for every way it arrives — the office's form, a collector's report
 * confirmed, a bank statement's credit — so the same rules hold everywhere (shared/ledger):
 * - where it goes (`planPayment`: a debt, or the active agreement covering it, installments in
 *   order; "everything" spreads over an agreement then the open debts, oldest first);
 * - more than what is open is refused with the reason, unless the office records the surplus as a
 *   credit to return (`creditToReturn`): the payment keeps its full amount (what was received),
 *   `refund_due_cents` holds the surplus, and Revisão lists it until it is returned;
 * - the same money is never counted twice: a collector's report and the bank's credit for it end
 *   as one confirmed payment (the report, linked to the credit) and, when both were already
 *   recorded, the second copy is kept as 'merged', outside every balance.
 */
import { uuidv7 } from 'uuidv7';
import { cents, formatBRL, type Cents } from '#shared/money/money';
import type { DebtorLedger } from '#shared/ledger/debtor-ledger';
import { planPayment, type PaymentPlan, type PaymentTarget } from '#shared/ledger/plan-payment';
import { addDays, type CalendarDate } from '#shared/time/calendar-date';
import { audit } from '../db/audit';
import type { Tx } from '../db/db';
import { insertEntity, updateEntity } from '../db/write';
import { loadDebtorFacts, type DebtorFacts } from './debtor-state';
import { conflict, ruleProblem } from './http';
import { ledgerOf } from './ledger-view';
import { refreshDebtor } from './refresh';
import type { PaymentRow } from './rows';
import type { LedgerSettings } from './settings';

/** How far apart a report and the bank's credit for the same money may be dated. */
export const SAME_MONEY_WINDOW_DAYS = 7;
/** Methods whose money shows up on the bank statement. */
export const BANK_METHODS = ['pix', 'transfer'] as const;

export interface Planned {
  facts: DebtorFacts;
  ledger: DebtorLedger;
  plan: PaymentPlan;
}

/** The debtor's ledger as of `asOf` and where `amount` sent to `target` goes. */
export async function planFor(
  tx: Tx,
  debtorId: string,
  target: PaymentTarget,
  amount: Cents,
  asOf: CalendarDate,
): Promise<Planned> {
  const facts = (await loadDebtorFacts(tx, [debtorId])).get(debtorId);
  if (!facts) throw conflict('not-found', 'devedor não encontrado');
  const ledger = ledgerOf(facts, asOf);
  return { facts, ledger, plan: planPayment(ledger, target, amount) };
}

/** The problem for a plan that cannot take the money as it is. */
export function planProblem(plan: PaymentPlan, field = 'amount'): Error {
  if (plan.problem === 'agreement_not_active' || plan.problem === 'unknown_target')
    return conflict('agreement-not-active', plan.message ?? 'o acordo não está ativo');
  return ruleProblem(
    'payment-above-open',
    `${plan.message ?? 'o valor passa do que está em aberto'}. Para registrar mesmo assim, marque o excedente como crédito a devolver ao pagador.`,
    {
      errors: [{ field, message: plan.message ?? 'o valor passa do que está em aberto' }],
      owed: plan.owed,
      surplus: plan.surplus,
    },
  );
}

export interface RecordInput {
  debtorId: string;
  plan: PaymentPlan;
  amount: Cents;
  date: CalendarDate;
  method: string;
  reference?: string | null;
  pixTxid?: string | null;
  bankCreditId?: string | null;
  /** The id of the first (or only) row, when the caller chose it. */
  id?: string;
  actor: string;
  now: Date;
  /** Accept a surplus as a credit to return (office only). */
  creditToReturn: boolean;
}

/**
 * Inserts the confirmed payment rows of `plan` (one per part; the surplus, when accepted, on the
 * last part or, with nothing open, on a row for the debt named). Answers the row ids.
 */
export async function recordPlanned(
  tx: Tx,
  input: RecordInput,
  fallbackDebtId: string | null,
): Promise<string[]> {
  const { plan } = input;
  if (plan.problem === 'agreement_not_active' || plan.problem === 'unknown_target')
    throw planProblem(plan);
  if (plan.surplus > 0 && !input.creditToReturn) throw planProblem(plan);
  const parts = plan.parts.map((p) => ({ ...p, refund: 0 }));
  if (plan.surplus > 0) {
    const last = parts.at(-1);
    if (last) {
      last.amount = cents(last.amount + plan.surplus);
      last.refund = plan.surplus;
    } else
      parts.push({
        debtId: fallbackDebtId,
        agreementId: null,
        amount: cents(plan.surplus),
        refund: plan.surplus,
      });
  }
  const ids: string[] = [];
  for (const [i, part] of parts.entries()) {
    const id = i === 0 && input.id !== undefined ? input.id : uuidv7();
    await insertEntity(tx, 'payment', {
      id,
      debtor_id: input.debtorId,
      debt_id: part.agreementId === null ? part.debtId : null,
      agreement_id: part.agreementId,
      amount_cents: part.amount,
      paid_on: input.date,
      method: input.method,
      status: 'confirmed',
      reference: input.reference ?? null,
      pix_txid: input.pixTxid ?? null,
      bank_credit_id: input.bankCreditId ?? null,
      refund_due_cents: part.refund,
      reported_by: input.actor,
      reconciled_by: input.actor,
      reconciled_at: input.now,
    });
    ids.push(id);
  }
  return ids;
}

/** Confirmed payments and pending reports of one debt target still waiting (for "what is open"). */
export function pendingFor(facts: DebtorFacts, debtId: string, agreementId: string | null): number {
  return facts.payments
    .filter(
      (p) =>
        p.status === 'pending' &&
        (p.debt_id === debtId ||
          (agreementId !== null &&
            p.debt_id !== null &&
            facts.agreementDebts.some(
              (x) => x.agreement_id === agreementId && x.debt_id === p.debt_id,
            ))),
    )
    .reduce((sum, p) => sum + p.amount_cents, 0);
}

/**
 * A collector's report for money the bank statement already brought (a confirmed payment with a
 * bank credit, made by reconciliation, same debtor and amount, dated within the window, not yet
 * tied to a report): the report is confirmed in its place, keeping who collected it, and the
 * statement's copy becomes 'merged'. Answers whether it merged.
 */
export async function mergeLateReport(tx: Tx, report: PaymentRow, now: Date): Promise<boolean> {
  if (!(BANK_METHODS as readonly string[]).includes(report.method)) return false;
  const [twin] = await tx.query<PaymentRow>(
    `SELECT * FROM payments
     WHERE debtor_id = $1 AND status = 'confirmed' AND bank_credit_id IS NOT NULL
       AND receipt_number IS NULL AND amount_cents = $2 AND refund_due_cents = 0
       AND paid_on BETWEEN $3 AND $4
       AND NOT EXISTS (SELECT 1 FROM payments o WHERE o.bank_credit_id = payments.bank_credit_id AND o.id <> payments.id)
     ORDER BY paid_on, id LIMIT 1`,
    [
      report.debtor_id,
      report.amount_cents,
      addDays(report.paid_on as CalendarDate, -SAME_MONEY_WINDOW_DAYS),
      addDays(report.paid_on as CalendarDate, SAME_MONEY_WINDOW_DAYS),
    ],
  );
  if (!twin) return false;
  await updateEntity(tx, 'payment', report.id, {
    status: 'confirmed',
    bank_credit_id: twin.bank_credit_id,
    debt_id: twin.debt_id,
    agreement_id: twin.agreement_id,
    reconciled_by: twin.reconciled_by,
    reconciled_at: now,
  });
  await updateEntity(tx, 'payment', twin.id, {
    status: 'merged',
    merged_into: report.id,
    bank_credit_id: twin.bank_credit_id,
  });
  await audit(tx, {
    actor: null,
    action: 'payment.merge',
    entity: 'payment',
    entityId: report.id,
    detail: {
      statementCopy: twin.id,
      bankCreditId: twin.bank_credit_id,
      amount: report.amount_cents,
      why: 'o informe do cobrador e o crédito do extrato são o mesmo dinheiro',
    },
  });
  return true;
}

/**
 * Confirms a pending report (office or reconciliation): it pays the debt it names or, when an
 * active agreement covers that debt, the agreement; a surplus is refused unless accepted as a
 * credit to return. Refreshes the debtor's stored verdicts.
 */
export async function confirmReport(
  tx: Tx,
  report: PaymentRow,
  input: {
    actor: string;
    now: Date;
    today: CalendarDate;
    settings: LedgerSettings;
    creditToReturn: boolean;
    bankCreditId?: string | null;
  },
): Promise<void> {
  if (report.debt_id === null) throw conflict('payment-without-debt', 'o informe não diz a dívida');
  const { plan, ledger } = await planFor(
    tx,
    report.debtor_id,
    { kind: 'debt', debtId: report.debt_id },
    cents(report.amount_cents),
    input.today,
  );
  const covering = ledger.agreements.find((a) => a.id === plan.parts[0]?.agreementId);
  // Money received on or before the agreement's day was counted in its starting balance
  // (../agreements/negotiation-balances.ts): it is the debt's, not an installment.
  const preAgreement = covering !== undefined && report.paid_on <= covering.agreedOn;
  if (!preAgreement) {
    if (plan.problem === 'agreement_not_active' || plan.problem === 'unknown_target')
      throw planProblem(plan);
    if (plan.surplus > 0 && !input.creditToReturn) throw planProblem(plan);
  }
  const toAgreement = preAgreement ? null : (plan.parts[0]?.agreementId ?? null);
  await updateEntity(tx, 'payment', report.id, {
    status: 'confirmed',
    reconciled_by: input.actor,
    reconciled_at: input.now,
    // The report keeps the debt it named (an undo restores it); agreement money is the agreement's.
    ...(toAgreement === null ? {} : { agreement_id: toAgreement }),
    ...(plan.surplus > 0 && !preAgreement ? { refund_due_cents: plan.surplus } : {}),
    ...(input.bankCreditId ? { bank_credit_id: input.bankCreditId } : {}),
  });
  await refreshDebtor(tx, report.debtor_id, input.settings, input.today, input.actor);
}

/**
 * Whether a collector's report is above what is still open for its debt (or the agreement
 * covering it), counting the reports already waiting for the office; the pt-BR reason, or null.
 * Checked after the report is compared with the bank's credits (the same money is merged, not
 * refused).
 */
export async function reportAboveOpen(
  tx: Tx,
  debt: { id: string; debtor_id: string },
  amount: Cents,
  today: CalendarDate,
): Promise<{ message: string; open: number } | null> {
  const facts = (await loadDebtorFacts(tx, [debt.debtor_id])).get(debt.debtor_id);
  if (!facts) throw conflict('not-found', 'devedor não encontrado');
  return aboveOpenIn(facts, debt.id, amount, today);
}

/**
 * The same check on facts already read (the set-based push reads its batch's debtors once):
 * null when `amount` fits in what is open for `debtId` less the reports still waiting.
 */
export function aboveOpenIn(
  facts: DebtorFacts,
  debtId: string,
  amount: Cents,
  today: CalendarDate,
): { message: string; open: number } | null {
  const plan = planPayment(ledgerOf(facts, today), { kind: 'debt', debtId }, amount);
  const agreementId = plan.parts[0]?.agreementId ?? null;
  const waiting = pendingFor(facts, debtId, agreementId);
  const open = Math.max(0, plan.owed - waiting);
  if (amount <= open) return null;
  return {
    open,
    message:
      waiting > 0
        ? `o valor (${brl(amount)}) passa do que está em aberto (${brl(open)}, já descontados ${brl(waiting)} informados e ainda não conferidos)`
        : `o valor (${brl(amount)}) passa do que está em aberto (${brl(open)})`,
  };
}

/** "R$ 10,00" for messages. */
export function brl(amount: number): string {
  return formatBRL(cents(amount));
}
