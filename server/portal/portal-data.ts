/**
 * What the debtor's page shows after the identity check, derived only from the ledger's facts and
 * shared/ rules: each open debt's itemised balance as of today exactly as `debtorState` (shared
 * `balanceOn`) computes it for the office and the phone, the live agreements with the payments
 * still due, the active promise, open disputes and requests, and the choices the policies allow
 * today (installment plans, promise dates). Nothing here writes.
 */
import type { Breakdown } from '#shared/charges/charges.schema';
import { cents, type Cents } from '#shared/money/money';
import { planOptions, type PlanOption } from '#shared/negotiation/plan-options';
import { addDays, type CalendarDate } from '#shared/time/calendar-date';
import type { Queryable } from '../db/db';
import { proposalContext } from '../ledger/agreement-write';
import {
  debtorState,
  loadDebtorFacts,
  type DebtorFacts,
  type DebtorState,
} from '../ledger/debtor-state';
import type { AgreementView as LedgerAgreementView } from '#shared/ledger/debtor-ledger';
import type { AgreementRow, DebtRow, InstallmentRow } from '../ledger/rows';
import { loadSettings, type EffectiveSettings } from '../settings/settings.repo';

/** One open debt as the page lists it. */
export interface DebtView {
  row: DebtRow;
  balance: Breakdown;
  disputed: boolean;
}

/** An installment of a live agreement with what is still owed on it. */
export interface InstallmentView {
  row: InstallmentRow;
  paid: Cents;
  open: Cents;
  state: 'paid' | 'overdue' | 'due' | 'upcoming';
  /** The last day it may be paid before the agreement breaks (the agreement's rule). */
  lastDayToPay: CalendarDate;
}

export interface AgreementView {
  row: AgreementRow;
  installments: InstallmentView[];
  /** The installments to pay now: every overdue one, else the next one. */
  payable: InstallmentView[];
}

export interface DueDateRequestRow {
  id: string;
  requested_on: string;
  reason: string | null;
  status: 'open' | 'granted' | 'refused';
  decision_note: string | null;
  created_at: Date;
}

export interface PortalModel {
  settings: EffectiveSettings;
  facts: DebtorFacts;
  state: DebtorState;
  today: CalendarDate;
  /** Open debts with something owed that no live agreement covers. */
  debts: DebtView[];
  /** Σ totalDue of `debts`. */
  totalDue: Cents;
  agreements: AgreementView[];
  promise: { id: string; amount: Cents; dueDate: CalendarDate } | null;
  disputes: { debtId: string | null; reason: string; openedOn: string | null }[];
  requests: DueDateRequestRow[];
  /** Installment plans for the undisputed debts, when no agreement is live. */
  plan: {
    debtIds: string[];
    firstDates: CalendarDate[];
    firstDue: CalendarDate;
    options: PlanOption[];
  } | null;
  /** Dates a promise may name, when one may be made. */
  promiseDates: CalendarDate[];
}

/**
 * An agreement's installments as the page shows them, from the ledger's own allocation
 * (shared/ledger/debtor-ledger.ts: payments to installments in order, entrada first) so the page,
 * the office, the phone and the break job never disagree about what is paid.
 */
export function installmentViews(
  rows: readonly InstallmentRow[],
  view: Pick<LedgerAgreementView, 'installments'> | undefined,
  today: CalendarDate,
): InstallmentView[] {
  return [...rows]
    .sort((a, b) => a.seq - b.seq)
    .map((row) => {
      const progress = view?.installments.find((i) => i.number === row.seq);
      const paid = progress?.paid ?? cents(0);
      const open = progress?.remaining ?? cents(row.amount_cents);
      const state =
        open === 0
          ? 'paid'
          : row.due_on < today
            ? 'overdue'
            : row.due_on === today
              ? 'due'
              : 'upcoming';
      return {
        row,
        paid,
        open,
        state,
        lastDayToPay: progress?.lastDayToPay ?? (row.due_on as CalendarDate),
      };
    });
}

function datesFrom(today: CalendarDate, days: number): CalendarDate[] {
  return Array.from({ length: Math.max(0, days) + 1 }, (_, i) => addDays(today, i));
}

/** Everything the page shows for `debtorId` as of `now`; null when the debtor is gone. */
export async function loadPortalModel(
  q: Queryable,
  debtorId: string,
  now: Date,
  options: { firstDue?: CalendarDate } = {},
): Promise<PortalModel | null> {
  const [facts, settings, requests, agreementDebts] = await Promise.all([
    loadDebtorFacts(q, [debtorId]).then((m) => m.get(debtorId)),
    loadSettings(q),
    q.query<DueDateRequestRow>(
      `SELECT id, requested_on, reason, status, decision_note, created_at FROM due_date_requests
        WHERE debtor_id = $1 ORDER BY created_at DESC LIMIT 20`,
      [debtorId],
    ),
    q.query<{ agreement_id: string; debt_id: string }>(
      `SELECT ad.agreement_id, ad.debt_id FROM agreement_debts ad
         JOIN agreements a ON a.id = ad.agreement_id
        WHERE a.debtor_id = $1 AND a.status IN ('active', 'pending_approval')`,
      [debtorId],
    ),
  ]);
  if (!facts) return null;
  const state = debtorState(facts, settings, now);
  const today = state.today;
  const liveAgreements = facts.agreements.filter(
    (a) => a.status === 'active' || a.status === 'pending_approval',
  );
  const covered = new Set(agreementDebts.map((r) => r.debt_id));
  const openDisputes = facts.disputes.filter((d) => d.status === 'open');
  const disputed = new Set(openDisputes.flatMap((d) => (d.debt_id === null ? [] : [d.debt_id])));
  const debts = state.debts
    .filter((d) => d.row.status === 'open' && d.balance.totalDue > 0 && !covered.has(d.row.id))
    .map((d) => ({ row: d.row, balance: d.balance, disputed: disputed.has(d.row.id) }));
  const agreements = liveAgreements.map((row) => {
    const installments = installmentViews(
      facts.installments.filter((i) => i.agreement_id === row.id),
      state.agreements.find((a) => a.id === row.id),
      today,
    );
    const overdue = installments.filter((i) => i.state === 'overdue');
    const next = installments.find((i) => i.state !== 'paid');
    return {
      row,
      installments,
      payable: row.status !== 'active' ? [] : overdue.length > 0 ? overdue : next ? [next] : [],
    };
  });
  const activePromise = facts.promises.find((p) => state.promiseStatuses.get(p.id) === 'active');
  const plannable = debts.filter((d) => !d.disputed).map((d) => d.row.id);
  let plan: PortalModel['plan'] = null;
  if (liveAgreements.length === 0 && plannable.length > 0) {
    const firstDates = datesFrom(today, settings.negotiation.maxFirstDueDays);
    const firstDue =
      options.firstDue !== undefined && firstDates.includes(options.firstDue)
        ? options.firstDue
        : today;
    plan = {
      debtIds: plannable,
      firstDates,
      firstDue,
      options: planOptions(
        settings.negotiation,
        plannable,
        firstDue,
        proposalContext(state, settings, facts),
      ),
    };
  }
  const mayPromise =
    activePromise === undefined &&
    !agreements.some((a) => a.row.status === 'active') &&
    debts.some((d) => !d.disputed);
  return {
    settings,
    facts,
    state,
    today,
    debts,
    totalDue: cents(debts.reduce((sum, d) => sum + d.balance.totalDue, 0)),
    agreements,
    promise: activePromise
      ? {
          id: activePromise.id,
          amount: cents(activePromise.amount_cents),
          dueDate: activePromise.promised_on as CalendarDate,
        }
      : null,
    disputes: openDisputes.map((d) => ({
      debtId: d.debt_id,
      reason: d.reason,
      openedOn: d.opened_on,
    })),
    requests,
    plan,
    promiseDates: mayPromise ? datesFrom(today, settings.promise.maxDaysAhead) : [],
  };
}
