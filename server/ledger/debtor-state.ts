/**
 * Everything derived about a debtor, from the stored facts and shared/ rules only: each debt's
 * itemised balance as of today (`balanceOn`), promise statuses (`promiseStatus`), the régua's plan
 * (`planNextActions`), the send-time verdict (`mayContactNow`), the contact budget left and the
 * status badge. Nothing here is stored: balances are never typed in, they are recomputed.
 */
import type { BalanceTotals, DebtorStatus } from '#shared/api/ledger.schema';
import {
  ContactChannels as CadenceChannels,
  PreferableChannels,
  type CadenceStep,
  type ContactChannel as CadenceChannel,
  type ContactLogEntry,
  type DebtorContactProfile,
} from '#shared/cadence/cadence.schema';
import { contactClock, mayContactNow, type ContactDecision } from '#shared/cadence/contact-guard';
import { planNextActions, type CadencePlan } from '#shared/cadence/plan-next-actions';
import { balanceOn } from '#shared/charges/balance';
import type { Breakdown } from '#shared/charges/charges.schema';
import { isUf } from '#shared/identity/uf';
import { cents } from '#shared/money/money';
import { promiseStatus } from '#shared/negotiation/promise';
import { addDays, daysBetween, localDateTime, type CalendarDate } from '#shared/time/calendar-date';
import type { Queryable } from '../db/db';
import { debtTerms, type DebtTermsRow } from './debt-terms';
import { ledgerOf } from './ledger-view';
import type { AgreementView, DebtorLedger } from '#shared/ledger/debtor-ledger';
import type {
  AgreementDebtRow,
  AgreementRow,
  AssignmentRow,
  ContactPointRow,
  ContactRow,
  DebtorRow,
  DebtRow,
  DisputeRow,
  EscalationRow,
  InstallmentRow,
  NoticeRow,
  PaymentRow,
  PromiseRow,
  VisitRow,
} from './rows';
import { todayFor, type LedgerSettings } from './settings';

/** The stored facts of one debtor. */
export interface DebtorFacts {
  debtor: DebtorRow;
  contactPoints: ContactPointRow[];
  debts: DebtRow[];
  payments: PaymentRow[];
  promises: PromiseRow[];
  agreements: AgreementRow[];
  installments: InstallmentRow[];
  /** Which debts each agreement covers. */
  agreementDebts: AgreementDebtRow[];
  disputes: DisputeRow[];
  notices: NoticeRow[];
  escalations: EscalationRow[];
  contacts: ContactRow[];
  visits: VisitRow[];
  assignment: AssignmentRow | null;
}

/** Rows grouped by their debtor, in query order. */
export function groupBy<T extends { debtor_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.debtor_id);
    if (list) list.push(row);
    else map.set(row.debtor_id, [row]);
  }
  return map;
}

/** Loads the facts of several debtors with one query per table (never one per debtor). */
export async function loadDebtorFacts(
  q: Queryable,
  debtorIds: readonly string[],
  options: { ledgerOnly?: boolean } = {},
): Promise<Map<string, DebtorFacts>> {
  const result = new Map<string, DebtorFacts>();
  if (debtorIds.length === 0) return result;
  const ids = [...new Set(debtorIds)];
  // `ledgerOnly` (what `ledgerState` reads): contacts, visits and notices are left
  // empty, which a 100,000-debtor export does not need to read.
  const of = <T extends object>(sql: string) => q.query<T>(sql, [ids]);
  const unlessLedgerOnly = <T extends object>(sql: string) =>
    options.ledgerOnly ? Promise.resolve([] as T[]) : of<T>(sql);
  const [
    debtors,
    points,
    debts,
    payments,
    promises,
    agreements,
    installments,
    agreementDebts,
    disputes,
    notices,
    escalations,
    contacts,
    visits,
    assignments,
  ] = await Promise.all([
    of<DebtorRow>('SELECT * FROM debtors WHERE id = ANY($1::uuid[])'),
    of<ContactPointRow>(
      'SELECT * FROM contact_points WHERE debtor_id = ANY($1::uuid[]) ORDER BY created_at, id',
    ),
    of<DebtRow>('SELECT * FROM debts WHERE debtor_id = ANY($1::uuid[]) ORDER BY due_on, id'),
    of<PaymentRow>(
      'SELECT * FROM payments WHERE debtor_id = ANY($1::uuid[]) ORDER BY paid_on, created_at, id',
    ),
    of<PromiseRow>(
      'SELECT * FROM promises WHERE debtor_id = ANY($1::uuid[]) ORDER BY created_at, id',
    ),
    of<AgreementRow>(
      'SELECT * FROM agreements WHERE debtor_id = ANY($1::uuid[]) ORDER BY created_at, id',
    ),
    of<InstallmentRow & { debtor_id: string }>(
      'SELECT * FROM installments WHERE debtor_id = ANY($1::uuid[]) ORDER BY agreement_id, seq',
    ),
    of<AgreementDebtRow>(
      `SELECT x.agreement_id, x.debt_id, a.debtor_id FROM agreement_debts x
       JOIN agreements a ON a.id = x.agreement_id WHERE a.debtor_id = ANY($1::uuid[])`,
    ),
    of<DisputeRow>(
      'SELECT * FROM disputes WHERE debtor_id = ANY($1::uuid[]) ORDER BY created_at, id',
    ),
    unlessLedgerOnly<NoticeRow>(
      'SELECT * FROM notices WHERE debtor_id = ANY($1::uuid[]) ORDER BY sent_on, id',
    ),
    of<EscalationRow>(
      'SELECT * FROM escalations WHERE debtor_id = ANY($1::uuid[]) ORDER BY created_at, id',
    ),
    unlessLedgerOnly<ContactRow>(
      'SELECT * FROM contact_log WHERE debtor_id = ANY($1::uuid[]) ORDER BY at, id',
    ),
    unlessLedgerOnly<VisitRow>(
      'SELECT * FROM visits WHERE debtor_id = ANY($1::uuid[]) ORDER BY visited_at, id',
    ),
    of<AssignmentRow>(
      `SELECT a.id, a.debtor_id, a.collector_id, u.name AS collector_name, a.started_at
       FROM assignments a JOIN users u ON u.id = a.collector_id
       WHERE a.debtor_id = ANY($1::uuid[]) AND a.ended_at IS NULL`,
    ),
  ]);
  const g = {
    points: groupBy(points),
    debts: groupBy(debts),
    payments: groupBy(payments),
    promises: groupBy(promises),
    agreements: groupBy(agreements),
    installments: groupBy(installments),
    agreementDebts: groupBy(agreementDebts),
    disputes: groupBy(disputes),
    notices: groupBy(notices),
    escalations: groupBy(escalations),
    contacts: groupBy(contacts),
    visits: groupBy(visits),
    assignments: groupBy(assignments),
  };
  for (const debtor of debtors) {
    const id = debtor.id;
    result.set(id, {
      debtor,
      contactPoints: g.points.get(id) ?? [],
      debts: g.debts.get(id) ?? [],
      payments: g.payments.get(id) ?? [],
      promises: g.promises.get(id) ?? [],
      agreements: g.agreements.get(id) ?? [],
      installments: g.installments.get(id) ?? [],
      agreementDebts: g.agreementDebts.get(id) ?? [],
      disputes: g.disputes.get(id) ?? [],
      notices: g.notices.get(id) ?? [],
      escalations: g.escalations.get(id) ?? [],
      contacts: g.contacts.get(id) ?? [],
      visits: g.visits.get(id) ?? [],
      assignment: g.assignments.get(id)?.[0] ?? null,
    });
  }
  return result;
}

export { debtTerms };

/**
 * Confirmed payments of one debt, as `balanceOn` reads them. Money paid to an agreement
 * (`agreement_id`) is the agreement's, not the debt's (see ./ledger-view.ts).
 */
export function confirmedPaymentsOf(payments: readonly PaymentRow[], debtId: string) {
  return payments
    .filter((p) => p.status === 'confirmed' && p.debt_id === debtId && p.agreement_id === null)
    .map((p) => ({ id: p.id, date: p.paid_on as CalendarDate, amount: cents(p.amount_cents) }));
}

/** The balance of one debt as of `asOf`. */
export function debtBalance(
  row: DebtTermsRow,
  payments: readonly PaymentRow[],
  asOf: CalendarDate,
): Breakdown {
  return balanceOn(debtTerms(row), confirmedPaymentsOf(payments, row.id), asOf);
}

/**
 * Sums the breakdowns of several debts line by line. `inAgreement` is what active agreements
 * still expect for the debts they cover (whose own breakdowns are left out): it is added to
 * `totalDue` and reported on its own.
 */
export function totalsOf(
  breakdowns: readonly Breakdown[],
  asOf: CalendarDate,
  inAgreement = 0,
): BalanceTotals {
  // One pass, no closure (a queue page totals 5,000 debtors).
  let principal = 0;
  let fine = 0;
  let interest = 0;
  let fees = 0;
  let paid = 0;
  let discount = 0;
  let totalDue = 0;
  let credit = 0;
  for (const b of breakdowns) {
    principal += b.principal;
    fine += b.fine;
    interest += b.interest;
    fees += b.fees;
    paid += b.paid;
    discount += b.discount;
    totalDue += b.totalDue;
    credit += b.credit;
  }
  return {
    asOf,
    principal: cents(principal),
    fine: cents(fine),
    interest: cents(interest),
    fees: cents(fees),
    paid: cents(paid),
    discount: cents(discount),
    totalDue: cents(totalDue + inAgreement),
    credit: cents(credit),
    ...(inAgreement > 0 ? { inAgreement: cents(inAgreement) } : {}),
  };
}

/** The promise's status as of `today`: stored terminal states win, 'open' is derived. */
export function derivedPromiseStatus(
  promise: PromiseRow,
  payments: readonly PaymentRow[],
  today: CalendarDate,
): 'active' | 'kept' | 'broken' | 'cancelled' {
  if (promise.status === 'cancelled' || promise.status === 'kept' || promise.status === 'broken')
    return promise.status;
  const madeOn = promise.made_on ?? promise.created_at.toISOString().slice(0, 10);
  const covered = new Set(promise.debt_ids);
  const since = payments
    .filter(
      (p) =>
        p.status === 'confirmed' &&
        p.paid_on >= madeOn &&
        // Money recorded before the promise was made belongs to an earlier commitment.
        p.created_at >= promise.created_at &&
        (covered.size === 0 || (p.debt_id !== null && covered.has(p.debt_id))),
    )
    .map((p) => ({ date: p.paid_on as CalendarDate, amount: cents(p.amount_cents) }));
  return promiseStatus(
    { amount: cents(promise.amount_cents), dueDate: promise.promised_on as CalendarDate },
    since,
    today,
  );
}

const isCadenceChannel = (c: string): c is CadenceChannel =>
  (CadenceChannels as readonly string[]).includes(c);

/** What the cadence rules need to know about the debtor. */
export function contactProfile(debtor: DebtorRow, settings: LedgerSettings): DebtorContactProfile {
  const preferred = debtor.preferred_channel;
  return {
    id: debtor.id,
    state: debtor.state !== null && isUf(debtor.state) ? debtor.state : settings.state,
    doNotContact: {
      all: debtor.do_not_contact,
      channels: debtor.blocked_channels.filter(isCadenceChannel),
    },
    ...(preferred !== null && (PreferableChannels as readonly string[]).includes(preferred)
      ? { preferredChannel: preferred as (typeof PreferableChannels)[number] }
      : {}),
    ...(debtor.preferred_hours ? { preferredHours: debtor.preferred_hours } : {}),
  };
}

/** The contact log as the cadence reads it; letters are not in its channel list (not timed). */
export function contactHistory(contacts: readonly ContactRow[]): ContactLogEntry[] {
  return contacts.flatMap((c) =>
    isCadenceChannel(c.channel) && c.status !== 'failed' && c.status !== 'queued'
      ? [
          {
            at: c.at.getTime(),
            channel: c.channel,
            direction: c.direction,
            automated: c.automated,
            ...(c.cadence_step === null ? {} : { stepId: c.cadence_step }),
            ...(c.debt_id === null ? {} : { debtId: c.debt_id }),
          },
        ]
      : [],
  );
}

/** Everything derived about one debtor as of `now`. */
export interface DebtorState {
  today: CalendarDate;
  debts: { row: DebtRow; balance: Breakdown }[];
  totals: BalanceTotals;
  daysOverdue: number;
  promiseStatuses: Map<string, 'active' | 'kept' | 'broken' | 'cancelled'>;
  plan: CadencePlan;
  status: DebtorStatus;
  profile: DebtorContactProfile;
  history: ContactLogEntry[];
  budgetLeft: { today: number; last7Days: number };
  /** The step whose turn it is for the carrying debt (for discountUnlocked), even when paused. */
  currentStep: CadenceStep | undefined;
  /** Agreements as of today (a stored 'active' may read completed or broken). */
  agreements: AgreementView[];
  /** The whole ledger the balances came from. */
  ledger: DebtorLedger;
}

const WINDOW_REFUSALS = new Set(['outside_window', 'sunday', 'holiday', 'preferred_hours']);

/** Derives the debtor's state; pure apart from reading `now`. */
/**
 * The ledger half of `debtorState`: each debt's itemised balance as of today, the totals, days
 * overdue, promise statuses and the status badge, without the régua's plan or the contact clock
 * (what a portfolio export needs, for 100,000 debtors).
 */
export function ledgerState(facts: DebtorFacts, settings: LedgerSettings, now: Date) {
  const today = todayFor(settings, now);
  const ledger = ledgerOf(facts, today);
  const views = new Map(ledger.debts.map((v) => [v.id, v]));
  const debts = facts.debts.map((row) => ({
    row,
    balance: views.get(row.id)?.breakdown ?? debtBalance(row, facts.payments, today),
  }));
  const live = debts.filter((d) => d.row.status !== 'cancelled');
  // Debts an active agreement covers are owed through the agreement (ledger.inAgreement).
  const covered = new Set(
    ledger.debts.filter((v) => v.agreementStatus === 'active').map((v) => v.id),
  );
  const owed = live.filter(
    (d) => d.row.status === 'open' && !covered.has(d.row.id) && d.balance.totalDue > 0,
  );
  const daysOverdue = Math.max(0, ...owed.map((d) => d.balance.daysOverdue));
  const promiseStatuses = new Map(
    facts.promises.map((p) => [p.id, derivedPromiseStatus(p, facts.payments, today)] as const),
  );
  let status: DebtorStatus = 'em_dia';
  if (facts.disputes.some((d) => d.status === 'open')) status = 'disputa';
  else if (facts.escalations.some((e) => e.status === 'listed' || e.status === 'removal_due'))
    status = 'negativado';
  else if (ledger.agreements.some((a) => a.status === 'active')) status = 'acordo';
  else if ([...promiseStatuses.values()].includes('active')) status = 'promessa';
  else if (daysOverdue > 0) status = 'vencido';
  return { today, ledger, views, covered, debts, live, daysOverdue, promiseStatuses, status };
}

export function debtorState(facts: DebtorFacts, settings: LedgerSettings, now: Date): DebtorState {
  const { today, ledger, views, covered, debts, live, daysOverdue, promiseStatuses, status } =
    ledgerState(facts, settings, now);
  const profile = contactProfile(facts.debtor, settings);
  const history = contactHistory(facts.contacts);
  const plan = planNextActions({
    debtor: profile,
    debts: live.map((d) => ({
      id: d.row.id,
      dueDate: d.row.due_on as CalendarDate,
      status:
        d.row.status === 'open' && views.get(d.row.id)?.agreementStatus !== 'completed'
          ? ('open' as const)
          : ('paid' as const),
      balance: d.balance.totalDue,
    })),
    history,
    promises: facts.promises.flatMap((p) => {
      const status = promiseStatuses.get(p.id);
      return status === undefined || status === 'cancelled'
        ? []
        : [{ dueDate: p.promised_on as CalendarDate, amount: cents(p.amount_cents), status }];
    }),
    agreements: ledger.agreements.flatMap((a) =>
      a.status === 'active' || a.status === 'broken' || a.status === 'completed'
        ? [
            {
              status: a.status,
              ...(a.status === 'active' && a.next
                ? {
                    nextInstallment: {
                      agreementId: a.id,
                      number: a.next.number,
                      dueDate: a.next.dueDate,
                      amount: a.next.remaining,
                    },
                  }
                : {}),
            },
          ]
        : [],
    ),
    disputes: facts.disputes.map((d) => ({
      status: d.status === 'open' ? ('open' as const) : ('resolved' as const),
    })),
    notices: facts.notices.map((n) => ({ sentOn: n.sent_on as CalendarDate, debtId: n.debt_id })),
    policy: settings.cadence,
    now: now.getTime(),
    holidays: settings.holidays,
  });
  const carrying = plan.carrying;
  // The latest step whose offset has passed (steps by offset, as the planner orders them).
  let currentStep: CadenceStep | undefined;
  if (carrying !== undefined)
    for (const s of settings.cadence.steps)
      if (
        s.offsetDays <= carrying.daysOverdue &&
        (currentStep === undefined || s.offsetDays > currentStep.offsetDays)
      )
        currentStep = s;

  const clock = contactClock(profile, history, settings.cadence, settings.holidays);
  const localToday = localDateTime(now.getTime(), clock.timeZone).date;
  const weekStart = addDays(localToday, -6);
  const usedToday = clock.contactDates.filter((d) => d === localToday).length;
  const usedWeek = clock.contactDates.filter((d) => d >= weekStart && d <= localToday).length;
  return {
    today,
    debts,
    totals: totalsOf(
      live.filter((d) => !covered.has(d.row.id)).map((d) => d.balance),
      today,
      ledger.inAgreement,
    ),
    daysOverdue,
    promiseStatuses,
    plan,
    status,
    profile,
    history,
    budgetLeft: {
      today: Math.max(0, settings.cadence.budget.maxPerDay - usedToday),
      last7Days: Math.max(0, settings.cadence.budget.maxPer7Days - usedWeek),
    },
    currentStep,
    agreements: ledger.agreements,
    ledger,
  };
}

/** The send-time guard for `channel` now; letters are posted, not timed, and always pass. */
export function contactVerdict(
  state: DebtorState,
  settings: LedgerSettings,
  channel: string,
  now: Date,
  automated: boolean,
): ContactDecision {
  if (!isCadenceChannel(channel)) return { allowed: true };
  return mayContactNow({
    debtor: state.profile,
    history: state.history,
    now: now.getTime(),
    channel,
    policy: settings.cadence,
    holidays: settings.holidays,
    cadenceState: state.plan.state,
    automated,
  });
}

/** Whether the legal window (and preferred hours) is open now, budget aside. */
export function windowOpen(
  state: DebtorState,
  settings: LedgerSettings,
  channel: string,
  now: Date,
): boolean {
  if (!isCadenceChannel(channel)) return true;
  const verdict = mayContactNow({
    debtor: state.profile,
    history: [],
    now: now.getTime(),
    channel,
    policy: settings.cadence,
    holidays: settings.holidays,
    automated: false,
  });
  return verdict.allowed || !WINDOW_REFUSALS.has(verdict.reason);
}

/** The step due now and not done yet, in the lookup's shape. */
export function stepDue(state: DebtorState) {
  const action = state.plan.actions.find((a) => a.dueOn <= state.today);
  if (!action) return null;
  return {
    stepId: action.stepId,
    channel: action.channel,
    templateId: action.templateId,
    kind: action.kind,
    mode: action.mode,
    allowsDiscount: action.allowsDiscount,
    dueOn: action.dueOn,
    earliestAt: action.earliestAt === null ? null : new Date(action.earliestAt).toISOString(),
  };
}

/** The verdict as JSON (instants as ISO strings). */
export function verdictJson(decision: ContactDecision) {
  if (decision.allowed) return { allowed: true as const };
  return {
    allowed: false as const,
    reason: decision.reason,
    message: decision.message,
    ...(decision.nextAllowedAt === undefined
      ? {}
      : { nextAllowedAt: new Date(decision.nextAllowedAt).toISOString() }),
  };
}

/** Days between two dates, never negative (for "days since"). */
export function daysSince(from: CalendarDate, to: CalendarDate): number {
  return Math.max(0, daysBetween(from, to));
}

/**
 * Pending (reported, not yet checked) payments as one row per debtor and debt carrying their
 * total: all that the check of a new report against what is open reads of them (money.ts
 * `pendingFor` sums pending amounts by debt; the ledger counts confirmed payments only). Every
 * other column of such a row is empty.
 */
const PENDING_TOTALS_SQL = `SELECT debtor_id, debt_id, sum(amount_cents)::bigint AS amount_cents,
    'pending' AS status FROM payments
  WHERE debtor_id = ANY($1::uuid[]) AND status = 'pending' GROUP BY debtor_id, debt_id`;

/**
 * The facts money needs (debts, payments, agreements with their installments and covered debts,
 * listings) for many debtors, one query per table; contacts, visits, promises and the rest are
 * left empty. For reconciliation and the verdicts it refreshes, not for the cadence.
 * `reportCheck`: only what checking a payment report against what is open needs (the sync push,
 * money.ts `aboveOpenIn`): confirmed payments whole, pending ones as totals per debt (see
 * PENDING_TOTALS_SQL), rejected/reversed/merged ones not at all. A collector's reports pile up
 * pending until the office checks them; reading each of them on every push made the push's cost
 * grow with the debtor's history.
 */
export async function loadMoneyFacts(
  q: Queryable,
  debtorIds: readonly string[],
  options: { reportCheck?: boolean } = {},
): Promise<Map<string, DebtorFacts>> {
  const result = new Map<string, DebtorFacts>();
  if (debtorIds.length === 0) return result;
  const ids = [...new Set(debtorIds)];
  const of = <T extends object>(sql: string) => q.query<T>(sql, [ids]);
  const payments = async (): Promise<PaymentRow[]> => {
    if (!options.reportCheck)
      return of<PaymentRow>(
        'SELECT * FROM payments WHERE debtor_id = ANY($1::uuid[]) ORDER BY paid_on, created_at, id',
      );
    const [confirmed, pending] = await Promise.all([
      of<PaymentRow>(
        `SELECT * FROM payments WHERE debtor_id = ANY($1::uuid[]) AND status = 'confirmed'
         ORDER BY paid_on, created_at, id`,
      ),
      of<Pick<PaymentRow, 'debtor_id' | 'debt_id' | 'amount_cents' | 'status'>>(PENDING_TOTALS_SQL),
    ]);
    return [
      ...confirmed,
      ...pending.map((p) => ({ ...p, amount_cents: Number(p.amount_cents) }) as PaymentRow),
    ];
  };
  const [debtors, debts, paymentRows, agreements, installments, agreementDebts, escalations] =
    await Promise.all([
      of<DebtorRow>('SELECT * FROM debtors WHERE id = ANY($1::uuid[])'),
      of<DebtRow>('SELECT * FROM debts WHERE debtor_id = ANY($1::uuid[]) ORDER BY due_on, id'),
      payments(),
      of<AgreementRow>(
        'SELECT * FROM agreements WHERE debtor_id = ANY($1::uuid[]) ORDER BY created_at, id',
      ),
      of<InstallmentRow & { debtor_id: string }>(
        'SELECT * FROM installments WHERE debtor_id = ANY($1::uuid[]) ORDER BY agreement_id, seq',
      ),
      of<AgreementDebtRow>(
        `SELECT x.agreement_id, x.debt_id, a.debtor_id FROM agreement_debts x
         JOIN agreements a ON a.id = x.agreement_id WHERE a.debtor_id = ANY($1::uuid[])`,
      ),
      of<EscalationRow>(
        `SELECT * FROM escalations WHERE debtor_id = ANY($1::uuid[])
           AND status IN ('listed', 'removal_due') ORDER BY created_at, id`,
      ),
    ]);
  const g = {
    debts: groupBy(debts),
    payments: groupBy(paymentRows),
    agreements: groupBy(agreements),
    installments: groupBy(installments),
    agreementDebts: groupBy(agreementDebts),
    escalations: groupBy(escalations),
  };
  for (const debtor of debtors)
    result.set(debtor.id, {
      debtor,
      contactPoints: [],
      debts: g.debts.get(debtor.id) ?? [],
      payments: g.payments.get(debtor.id) ?? [],
      promises: [],
      agreements: g.agreements.get(debtor.id) ?? [],
      installments: g.installments.get(debtor.id) ?? [],
      agreementDebts: g.agreementDebts.get(debtor.id) ?? [],
      disputes: [],
      notices: [],
      escalations: g.escalations.get(debtor.id) ?? [],
      contacts: [],
      visits: [],
      assignment: null,
    });
  return result;
}
