/**
 * A debtor's money as of a day, agreements included: what each debt owes, where each agreement
 * stands (installments paid in order, completed, broken), and what is owed in all. Pure: the
 * server (debtor screens, sync summary, cadence, reconciliation) and any other face derive the
 * same figures from the same stored facts. Nothing here is stored; `debtorLedger` recomputes.
 *
 * Money that pays an agreement (a payment with `agreementId`) belongs to the agreement, not to a
 * debt. What the agreement's state means for the debts it covers (./agreement-rules.ts):
 * - active: the debts are frozen at their balance on the agreement's day (no multa or juros run
 *   while it is kept); the agreement's remaining is what is owed for them;
 * - completed: the debts are settled by the agreement (a closing line says so);
 * - broken: the agreement's payments (and, when its rule keeps them, its concessions) are spread
 *   over its debts oldest first, on their own days, and the debts run again from there;
 * - pending approval, rejected, cancelled: the agreement does not touch the debts.
 * A stored 'active' agreement is judged here as of `asOf` (completed when every installment is
 * paid; broken from the day after an installment's last day to pay), so a reader never waits for
 * the daily job that writes the same verdict.
 */
import { balanceOn } from '../charges/balance';
import type { Breakdown, DebtTerms, Payment } from '../charges/charges.schema';
import { cents, type Cents } from '../money/money';
import { lastDayToPay, type AgreementRules } from '../negotiation/agreement-rules';
import { addDays, formatBrazilianDate, type CalendarDate } from '../time/calendar-date';

export interface LedgerDebt {
  id: string;
  terms: DebtTerms;
  status: 'open' | 'settled' | 'cancelled';
}

/** A CONFIRMED payment: to a debt (`debtId`) or to an agreement (`agreementId`). */
export interface LedgerPayment {
  id: string;
  debtId: string | null;
  agreementId: string | null;
  date: CalendarDate;
  amount: Cents;
}

export const StoredAgreementStatuses = [
  'pending_approval',
  'active',
  'completed',
  'broken',
  'cancelled',
  'rejected',
] as const;
export type StoredAgreementStatus = (typeof StoredAgreementStatuses)[number];

export interface LedgerInstallment {
  /** 0 is the down payment. */
  number: number;
  dueDate: CalendarDate;
  amount: Cents;
}

export interface LedgerAgreement {
  id: string;
  status: StoredAgreementStatus;
  agreedOn: CalendarDate;
  debtIds: readonly string[];
  total: Cents;
  /** Discount + waived multa + waived juros + waived fees, as granted. */
  concessions: Cents;
  installments: readonly LedgerInstallment[];
  rules: AgreementRules;
  /** Stored verdicts, when the job or a payment already wrote them. */
  brokenOn?: CalendarDate | null;
  completedOn?: CalendarDate | null;
}

export const InstallmentStates = ['paid', 'partial', 'open', 'late'] as const;
export type InstallmentState = (typeof InstallmentStates)[number];

/** One installment with the money allocated to it, in order. */
export interface InstallmentProgress extends LedgerInstallment {
  paid: Cents;
  remaining: Cents;
  /** The day the payment that completed it was made; null while something is left. */
  paidOn: CalendarDate | null;
  /** The last day it may be paid without breaking the agreement. */
  lastDayToPay: CalendarDate;
  /** paid; late (past its due date, within the tolerance or not); partial; open. */
  state: InstallmentState;
}

export type AgreementStatus = StoredAgreementStatus;

export interface AgreementView {
  id: string;
  /** The status as of `asOf` (a stored 'active' may read completed or broken). */
  status: AgreementStatus;
  storedStatus: StoredAgreementStatus;
  agreedOn: CalendarDate;
  debtIds: readonly string[];
  total: Cents;
  concessions: Cents;
  rules: AgreementRules;
  paid: Cents;
  remaining: Cents;
  /** Money past the total (a credit to return). */
  unapplied: Cents;
  installments: InstallmentProgress[];
  /** The first installment with something left. */
  next: InstallmentProgress | null;
  completedOn: CalendarDate | null;
  brokenOn: CalendarDate | null;
}

export interface DebtView {
  id: string;
  status: LedgerDebt['status'];
  breakdown: Breakdown;
  /** The agreement whose state decides this debt's figures (active or completed), if any. */
  agreementId: string | null;
  agreementStatus: 'active' | 'completed' | null;
}

export interface DebtorLedger {
  asOf: CalendarDate;
  debts: DebtView[];
  agreements: AgreementView[];
  /** Open debts outside active agreements, plus what active agreements still expect. */
  totalDue: Cents;
  /** The part of `totalDue` owed through active agreements. */
  inAgreement: Cents;
}

/** Allocates payments (any order; sorted by date, then as given) to installments in order. */
export function allocateInstallments(
  installments: readonly LedgerInstallment[],
  payments: readonly { date: CalendarDate; amount: Cents }[],
  rules: AgreementRules,
  asOf: CalendarDate,
): { installments: InstallmentProgress[]; unapplied: Cents } {
  const ordered = [...installments].sort((a, b) => a.number - b.number);
  const money = payments
    .map((p, i) => ({ ...p, i }))
    .filter((p) => p.date <= asOf)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.i - b.i));
  const progress = ordered.map((inst) => ({ inst, paid: 0, paidOn: null as CalendarDate | null }));
  let unapplied = 0;
  let k = 0;
  for (const p of money) {
    let left: number = p.amount;
    while (left > 0 && k < progress.length) {
      const slot = progress[k];
      if (!slot) break;
      const take = Math.min(left, slot.inst.amount - slot.paid);
      slot.paid += take;
      left -= take;
      if (slot.paid === slot.inst.amount) {
        slot.paidOn = p.date;
        k++;
      }
    }
    unapplied += left;
  }
  return {
    installments: progress.map(({ inst, paid, paidOn }) => {
      const remaining = inst.amount - paid;
      const state: InstallmentState =
        remaining === 0 ? 'paid' : asOf > inst.dueDate ? 'late' : paid > 0 ? 'partial' : 'open';
      return {
        ...inst,
        paid: cents(paid),
        remaining: cents(remaining),
        paidOn,
        lastDayToPay: lastDayToPay(inst.dueDate, rules),
        state,
      };
    }),
    unapplied: cents(unapplied),
  };
}

/** The first day an agreement counts as broken, or null while no installment was missed. */
export function breachDay(
  installments: readonly InstallmentProgress[],
  asOf: CalendarDate,
): CalendarDate | null {
  let first: CalendarDate | null = null;
  for (const inst of installments) {
    const missed =
      inst.paidOn === null ? asOf > inst.lastDayToPay : inst.paidOn > inst.lastDayToPay;
    if (!missed) continue;
    const day = addDays(inst.lastDayToPay, 1);
    if (first === null || day < first) first = day;
  }
  return first;
}

/** Where one agreement stands as of `asOf`, from its confirmed payments. */
export function agreementView(
  agreement: LedgerAgreement,
  payments: readonly { date: CalendarDate; amount: Cents }[],
  asOf: CalendarDate,
): AgreementView {
  const { installments, unapplied } = allocateInstallments(
    agreement.installments,
    payments,
    agreement.rules,
    asOf,
  );
  const paid = cents(installments.reduce((sum, i) => sum + i.paid, 0));
  const next = installments.find((i) => i.remaining > 0) ?? null;
  let status: AgreementStatus = agreement.status;
  let brokenOn = agreement.brokenOn ?? null;
  let completedOn = agreement.completedOn ?? null;
  if (agreement.status === 'active') {
    const breach = breachDay(installments, asOf);
    if (breach !== null && breach <= asOf) {
      status = 'broken';
      brokenOn = breach;
    } else if (next === null) {
      status = 'completed';
      completedOn = installments.reduce<CalendarDate>(
        (last, i) => (i.paidOn !== null && i.paidOn > last ? i.paidOn : last),
        agreement.agreedOn,
      );
    }
  }
  return {
    id: agreement.id,
    status,
    storedStatus: agreement.status,
    agreedOn: agreement.agreedOn,
    debtIds: agreement.debtIds,
    total: agreement.total,
    concessions: agreement.concessions,
    rules: agreement.rules,
    paid,
    remaining: cents(agreement.total - paid),
    unapplied,
    installments,
    next,
    completedOn,
    brokenOn,
  };
}

const byDue = (a: LedgerDebt, b: LedgerDebt) =>
  a.terms.dueDate < b.terms.dueDate
    ? -1
    : a.terms.dueDate > b.terms.dueDate
      ? 1
      : a.id < b.id
        ? -1
        : 1;

/**
 * Spreads `items` (in date order) over `debts` oldest first: each item pays what each debt owes on
 * the item's day, in turn; what no debt owes goes to the last one (a credit there).
 */
function spread(
  debts: readonly LedgerDebt[],
  itemsByDebt: Map<string, Payment[]>,
  items: readonly Payment[],
): void {
  if (debts.length === 0) return;
  for (const item of items) {
    let left: number = item.amount;
    for (const debt of debts) {
      if (left === 0) break;
      const list = itemsByDebt.get(debt.id) ?? [];
      const owed = balanceOn(debt.terms, list, item.date).totalDue;
      const take = Math.min(left, owed);
      if (take <= 0) continue;
      list.push({ ...item, amount: cents(take) });
      itemsByDebt.set(debt.id, list);
      left -= take;
    }
    if (left > 0) {
      const last = debts[debts.length - 1];
      if (!last) continue;
      const list = itemsByDebt.get(last.id) ?? [];
      list.push({ ...item, amount: cents(left) });
      itemsByDebt.set(last.id, list);
    }
  }
}

/** `breakdown` closed by a completed agreement: the rest is settled by it on `on`. */
function settledByAgreement(
  breakdown: Breakdown,
  agreedOn: CalendarDate,
  on: CalendarDate,
): Breakdown {
  const owed = breakdown.totalDue;
  return {
    ...breakdown,
    paid: cents(breakdown.paid + owed),
    totalDue: cents(0),
    daysOverdue: 0,
    open: { principal: cents(0), fine: cents(0), interest: cents(0), fees: cents(0) },
    lines:
      owed > 0
        ? [
            ...breakdown.lines,
            {
              kind: 'payment',
              label: `Quitada pelo acordo de ${formatBrazilianDate(agreedOn)}`,
              amount: cents(-owed),
              date: on,
            },
          ]
        : breakdown.lines,
  };
}

/** Everything a debtor owes as of `asOf`; see the module comment for the rules. */
export function debtorLedger(input: {
  debts: readonly LedgerDebt[];
  payments: readonly LedgerPayment[];
  agreements: readonly LedgerAgreement[];
  asOf: CalendarDate;
}): DebtorLedger {
  const { asOf } = input;
  const itemsByDebt = new Map<string, Payment[]>();
  const toAgreement = new Map<string, LedgerPayment[]>();
  for (const p of input.payments) {
    if (p.agreementId !== null) {
      const list = toAgreement.get(p.agreementId) ?? [];
      list.push(p);
      toAgreement.set(p.agreementId, list);
    } else if (p.debtId !== null) {
      const list = itemsByDebt.get(p.debtId) ?? [];
      list.push({ id: p.id, date: p.date, amount: p.amount });
      itemsByDebt.set(p.debtId, list);
    }
  }
  const agreements = [...input.agreements]
    .map((a, i) => ({ a, i }))
    .sort((x, y) =>
      x.a.agreedOn < y.a.agreedOn ? -1 : x.a.agreedOn > y.a.agreedOn ? 1 : x.i - y.i,
    )
    .map(({ a }) => agreementView(a, toAgreement.get(a.id) ?? [], asOf));
  const debtById = new Map(input.debts.map((d) => [d.id, d]));

  // Broken agreements hand their money (and kept concessions) back to their debts, in order.
  const decisive = new Map<string, AgreementView>();
  for (const view of agreements) {
    if (view.status === 'active' || view.status === 'completed')
      for (const id of view.debtIds) decisive.set(id, view);
    if (view.status !== 'broken') continue;
    for (const id of view.debtIds) decisive.delete(id);
    const covered = view.debtIds
      .map((id) => debtById.get(id))
      .filter((d): d is LedgerDebt => d !== undefined)
      .sort(byDue);
    const items: Payment[] = [];
    if (view.rules.concessionsOnBreak === 'kept' && view.concessions > 0)
      items.push({
        date: view.agreedOn,
        amount: view.concessions,
        label: `Concessões mantidas do acordo de ${formatBrazilianDate(view.agreedOn)}`,
      });
    const paidIn = (toAgreement.get(view.id) ?? [])
      .filter((p) => p.date <= asOf)
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    for (const p of paidIn)
      items.push({ id: p.id, date: p.date, amount: p.amount, label: 'Pagamento do acordo' });
    spread(covered, itemsByDebt, items);
  }

  let totalDue = 0;
  const debts = input.debts.map((debt): DebtView => {
    const items = itemsByDebt.get(debt.id) ?? [];
    const view = decisive.get(debt.id);
    if (view?.status === 'active') {
      const frozen = balanceOn(debt.terms, items, view.agreedOn < asOf ? view.agreedOn : asOf);
      return {
        id: debt.id,
        status: debt.status,
        breakdown: frozen,
        agreementId: view.id,
        agreementStatus: 'active',
      };
    }
    if (view?.status === 'completed') {
      const frozen = balanceOn(debt.terms, items, view.agreedOn < asOf ? view.agreedOn : asOf);
      return {
        id: debt.id,
        status: debt.status,
        breakdown: settledByAgreement(frozen, view.agreedOn, view.completedOn ?? asOf),
        agreementId: view.id,
        agreementStatus: 'completed',
      };
    }
    const breakdown = balanceOn(debt.terms, items, asOf);
    if (debt.status === 'open') totalDue += breakdown.totalDue;
    return {
      id: debt.id,
      status: debt.status,
      breakdown,
      agreementId: null,
      agreementStatus: null,
    };
  });
  const inAgreement = agreements
    .filter((a) => a.status === 'active')
    .reduce((sum, a) => sum + a.remaining, 0);
  return {
    asOf,
    debts,
    agreements,
    totalDue: cents(totalDue + inAgreement),
    inAgreement: cents(inAgreement),
  };
}
