/**
 * The day's work queue: for a page of debtors with open debts, what the régua asks for today.
 *
 * Loading is set-based: one query per table for the whole page (debtors, assignments, contact
 * points, open debts, confirmed payments, open promises, active agreements, open disputes,
 * notices, the contact log of the last 8 days plus every step-carrying contact, outbox tasks),
 * never one per debtor. Pages walk debtors by id (keyset), so a 100k portfolio is served in
 * bounded pages and a client follows `nextCursor`.
 *
 * What is derived reuses the ledger's rules (`debtorState`: balances, promise statuses, the
 * plan) so the queue and the debtor screen never disagree. An item is today's work when the plan
 * has a step due and not done whose earliest allowed instant falls before the end of today; each
 * item carries the send-time guard's verdict for NOW (`mayContactNow`); its message and PIX code
 * are rendered when the item is opened (`queueItemsWithMessages`), never for a whole page.
 *
 * Who sees what: collectors their assigned debtors' visits; staff the remote messages (escalation
 * steps are the owner's decision); owners everything plus escalations awaiting a decision
 * (proposed negativação/protesto, and listings to remove after payment, STJ Súmula 548).
 */
import type { Role } from '#shared/auth/user.schema';
import type { PlannedAction } from '#shared/cadence/plan-next-actions';
import { zonedEpoch } from '#shared/cadence/zoned-time';
import { isTemplateRenderError, renderTemplate } from '#shared/templates/render-message';
import type { Channel } from '#shared/templates/template.schema';
import { addDays, type CalendarDate } from '#shared/time/calendar-date';
import type { Queryable } from '../db/db';
import {
  contactVerdict,
  debtorState,
  groupBy,
  verdictJson,
  type DebtorFacts,
  type DebtorState,
} from '../ledger/debtor-state';
import type {
  AgreementDebtRow,
  AgreementRow,
  InstallmentRow,
  AssignmentRow,
  ContactPointRow,
  ContactRow,
  DebtorRow,
  DebtRow,
  DisputeRow,
  NoticeRow,
  PaymentRow,
  PromiseRow,
} from '../ledger/rows';
import { renderOptions } from '#shared/settings/message-settings.schema';
import type { EffectiveSettings } from '../settings/settings.repo';
import { stepFacts } from './facts';

export const MAX_PAGE_DEBTORS = 5000;
export const DEFAULT_PAGE_DEBTORS = 500;
const FIRST_CURSOR = '00000000-0000-0000-0000-000000000000';
/** Contacts this far back cover the 7-day budget in any zone. */
const HISTORY_DAYS = 8;
const DAY_MS = 86_400_000;

/** A row of the automatic-send outbox. */
export interface TaskRow {
  id: string;
  debtor_id: string;
  debt_id: string;
  cycle_due_on: string;
  step_id: string;
  channel: 'email';
  template_id: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'uncertain' | 'cancelled';
  attempts: number;
  next_attempt_at: Date;
  claimed_by: string | null;
  claimed_until: Date | null;
  recipient: string | null;
  contact_log_id: string | null;
  message_id: string | null;
  last_error: string | null;
  sent_at: Date | null;
}

export function taskKey(debtId: string, cycleDueOn: string, stepId: string): string {
  return `${debtId}|${cycleDueOn}|${stepId}`;
}

/** One page of debtors with everything the plan and the messages need. */
export interface QueuePage {
  facts: DebtorFacts[];
  tasks: Map<string, TaskRow>;
  /** The last debtor id of a full page; null when this was the last page. */
  nextCursor: string | null;
}

export interface PageOptions {
  /** Debtor id to continue after (exclusive). */
  cursor?: string;
  limit: number;
  /** Only debtors currently assigned to this collector. */
  collectorId?: string;
  /** Only these debtors (the worker re-checks one debtor before sending). */
  debtorIds?: readonly string[];
}

/** Loads one page of debtors that have an open debt, with their facts (one query per table). */
export async function loadQueuePage(
  q: Queryable,
  now: Date,
  options: PageOptions,
): Promise<QueuePage> {
  const params: unknown[] = [options.cursor ?? FIRST_CURSOR, options.limit];
  let filter = '';
  if (options.collectorId !== undefined) {
    params.push(options.collectorId);
    filter += ` AND EXISTS (SELECT 1 FROM assignments a WHERE a.debtor_id = d.id AND a.ended_at IS NULL AND a.collector_id = $${params.length})`;
  }
  if (options.debtorIds !== undefined) {
    params.push(options.debtorIds);
    filter += ` AND d.id = ANY($${params.length}::uuid[])`;
  }
  const debtors = await q.query<DebtorRow>(
    `SELECT d.* FROM debtors d
     WHERE d.id > $1 AND d.anonymised_at IS NULL
       AND EXISTS (SELECT 1 FROM debts x WHERE x.debtor_id = d.id AND x.status = 'open')${filter}
     ORDER BY d.id LIMIT $2`,
    params,
  );
  const ids = debtors.map((d) => d.id);
  const last = debtors.at(-1);
  const nextCursor = debtors.length === options.limit && last ? last.id : null;
  if (ids.length === 0) return { facts: [], tasks: new Map(), nextCursor: null };
  const since = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  // The page is a contiguous run of debtor ids: without a filter that skips debtors inside it,
  // each table is read by one index range (cursor, last] instead of probing 5,000 ids one by one
  // (rows of debtors in the range that the page left out, e.g. nothing open, are grouped under
  // ids the page does not hold and never read).
  const ranged = options.collectorId === undefined && options.debtorIds === undefined;
  const base: unknown[] = ranged && last ? [options.cursor ?? FIRST_CURSOR, last.id] : [ids];
  const inPage = (column: string) =>
    base.length === 2
      ? `${column} > $1::uuid AND ${column} <= $2::uuid`
      : `${column} = ANY($1::uuid[])`;
  const of = <T extends object>(sql: string, extra: unknown[] = []) =>
    q.query<T>(sql, [...base, ...extra]);
  const [
    assignments,
    points,
    debts,
    payments,
    promises,
    agreements,
    installments,
    agreementDebts,
    disputes,
    notices,
    contacts,
    tasks,
  ] = await Promise.all([
    of<AssignmentRow>(
      `SELECT a.id, a.debtor_id, a.collector_id, u.name AS collector_name, a.started_at
         FROM assignments a JOIN users u ON u.id = a.collector_id
         WHERE ${inPage('a.debtor_id')} AND a.ended_at IS NULL`,
    ),
    of<ContactPointRow>(
      `SELECT * FROM contact_points WHERE ${inPage('debtor_id')} AND NOT do_not_contact
           AND verification <> 'wrong'
         ORDER BY verified DESC, created_at, id`,
    ),
    of<DebtRow>(
      `SELECT * FROM debts WHERE ${inPage('debtor_id')} AND status = 'open' ORDER BY due_on, id`,
    ),
    of<PaymentRow>(
      `SELECT p.* FROM payments p
         WHERE ${inPage('p.debtor_id')} AND p.status = 'confirmed'
           AND (p.debt_id IS NULL OR EXISTS (SELECT 1 FROM debts x WHERE x.id = p.debt_id AND x.status = 'open'))
         ORDER BY p.paid_on, p.id`,
    ),
    of<PromiseRow>(
      `SELECT * FROM promises WHERE ${inPage('debtor_id')} AND status = 'open' ORDER BY created_at, id`,
    ),
    // Active agreements (their installment steps and what is owed through them) and broken ones
    // (what was paid through them comes off the debts they covered): schedules and debts too.
    of<AgreementRow>(
      `SELECT * FROM agreements WHERE ${inPage('debtor_id')} AND status IN ('active', 'broken')`,
    ),
    of<InstallmentRow & { debtor_id: string }>(
      `SELECT i.* FROM installments i JOIN agreements a ON a.id = i.agreement_id
         WHERE ${inPage('a.debtor_id')} AND a.status IN ('active', 'broken')
         ORDER BY i.agreement_id, i.seq`,
    ),
    of<AgreementDebtRow>(
      `SELECT x.agreement_id, x.debt_id, a.debtor_id FROM agreement_debts x
         JOIN agreements a ON a.id = x.agreement_id
         WHERE ${inPage('a.debtor_id')} AND a.status IN ('active', 'broken')`,
    ),
    of<DisputeRow>(`SELECT * FROM disputes WHERE ${inPage('debtor_id')} AND status = 'open'`),
    of<NoticeRow>(`SELECT * FROM notices WHERE ${inPage('debtor_id')} ORDER BY sent_on, id`),
    // By id always: debtors the page skipped (paid off) may carry years of step contacts.
    q.query<ContactRow>(
      `SELECT * FROM contact_log WHERE debtor_id = ANY($1::uuid[])
           AND (at >= $2 OR cadence_step IS NOT NULL) ORDER BY at, id`,
      [ids, since],
    ),
    of<TaskRow>(`SELECT * FROM cadence_tasks WHERE ${inPage('debtor_id')}`),
  ]);
  const g = {
    assignments: groupBy(assignments),
    points: groupBy(points),
    debts: groupBy(debts),
    payments: groupBy(payments),
    promises: groupBy(promises),
    agreements: groupBy(agreements),
    installments: groupBy(installments),
    agreementDebts: groupBy(agreementDebts),
    disputes: groupBy(disputes),
    notices: groupBy(notices),
    contacts: groupBy(contacts),
  };
  const facts = debtors.map((debtor): DebtorFacts => ({
    debtor,
    contactPoints: g.points.get(debtor.id) ?? [],
    debts: g.debts.get(debtor.id) ?? [],
    payments: g.payments.get(debtor.id) ?? [],
    promises: g.promises.get(debtor.id) ?? [],
    agreements: g.agreements.get(debtor.id) ?? [],
    installments: g.installments.get(debtor.id) ?? [],
    agreementDebts: g.agreementDebts.get(debtor.id) ?? [],
    disputes: g.disputes.get(debtor.id) ?? [],
    notices: g.notices.get(debtor.id) ?? [],
    escalations: [],
    contacts: g.contacts.get(debtor.id) ?? [],
    visits: [],
    assignment: g.assignments.get(debtor.id)?.[0] ?? null,
  }));
  return {
    facts,
    tasks: new Map(tasks.map((t) => [taskKey(t.debt_id, t.cycle_due_on, t.step_id), t])),
    nextCursor,
  };
}

/** Who the item is for, by the role asking. */
export function visibleTo(role: Role, action: Pick<PlannedAction, 'channel' | 'kind'>): boolean {
  if (role === 'owner') return true;
  if (role === 'collector') return action.channel === 'visit';
  return action.channel !== 'visit' && action.kind !== 'escalation';
}

/** Sends done by the server itself: automatic e-mail steps (SMTP). Everything else is a person's. */
export function isServerSent(action: Pick<PlannedAction, 'mode' | 'channel'>): boolean {
  return action.mode === 'automatic' && action.channel === 'email';
}

function recipientFor(facts: DebtorFacts, channel: Channel) {
  if (channel === 'visit') return null;
  const points = facts.contactPoints.filter((p) =>
    channel === 'email' ? p.kind === 'email' : p.kind === 'phone',
  );
  const point =
    (channel === 'whatsapp' ? points.find((p) => p.is_whatsapp) : undefined) ?? points[0];
  return point
    ? { contactPointId: point.id, kind: point.kind, value: point.value, verified: point.verified }
    : null;
}

/** The pending step of a plan that is today's work, if any. */
export function todaysAction(state: DebtorState, endOfToday: number): PlannedAction | undefined {
  if (state.plan.reason !== 'step_due') return undefined;
  const action = state.plan.actions[0];
  if (!action || action.dueOn > state.today) return undefined;
  if (action.earliestAt === null || action.earliestAt >= endOfToday) return undefined;
  return action;
}

/** The instant today ends in the organisation's zone. */
export function endOfDay(today: CalendarDate, timeZone: string): number {
  return zonedEpoch(addDays(today, 1), 0, timeZone);
}

/** For an installment step, the last day its installment may be paid (the agreement's rule). */
function installmentDeadline(state: DebtorState, action: PlannedAction) {
  const inst = action.installment;
  if (!inst) return {};
  const agreement = state.agreements.find((a) => a.id === inst.agreementId);
  const progress = agreement?.installments.find((i) => i.number === inst.number);
  return progress ? { lastDayToPay: progress.lastDayToPay } : {};
}

/** The debtor's page link of each debtor (server/portal), for `{{payment_link}}`. */
export type PortalLinkMap = ReadonlyMap<string, string>;

/** The rendered message of an action, or why it cannot be rendered. */
export function renderAction(
  settings: EffectiveSettings,
  facts: DebtorFacts,
  state: DebtorState,
  action: PlannedAction,
  links?: PortalLinkMap,
) {
  const debt = state.debts.find((d) => d.row.id === state.plan.carrying?.debtId);
  const template = settings.templates.get(action.templateId);
  if (!debt || !template)
    return {
      message: null,
      pix: null,
      renderError: {
        code: 'missing_template',
        message: `O modelo ${action.templateId} não existe.`,
        placeholders: [],
      },
    };
  const facts_ = stepFacts({
    settings,
    debtor: { name: facts.debtor.name, profile: state.profile, kind: facts.debtor.kind },
    debt: { id: debt.row.id, description: debt.row.description },
    balance: debt.balance,
    action,
    collectorName: facts.assignment?.collector_name ?? null,
    today: state.today,
    ...installmentDeadline(state, action),
    portalLink: links?.get(facts.debtor.id),
  });
  const pix = facts_.pix_copy_paste ?? null;
  try {
    const rendered = renderTemplate(template, facts_, renderOptions(settings.messages));
    return {
      message: {
        ...(rendered.subject === undefined ? {} : { subject: rendered.subject }),
        body: rendered.body,
        privacySafe: template.privacySafe,
      },
      pix,
      renderError: null,
    };
  } catch (error) {
    if (!isTemplateRenderError(error)) throw error;
    return {
      message: null,
      pix,
      renderError: { code: error.code, message: error.message, placeholders: error.placeholders },
    };
  }
}

function taskJson(task: TaskRow | undefined) {
  if (!task) return null;
  return {
    id: task.id,
    status: task.status,
    attempts: task.attempts,
    nextAttemptAt: task.next_attempt_at.toISOString(),
    lastError: task.last_error,
    sentAt: task.sent_at?.toISOString() ?? null,
  };
}

/** One item of today's work with what rendering its message needs. */
interface Work {
  item: ReturnType<typeof itemOf>;
  facts: DebtorFacts;
  state: DebtorState;
  action: PlannedAction;
}

function itemOf(
  page: QueuePage,
  settings: EffectiveSettings,
  now: Date,
  facts: DebtorFacts,
  state: DebtorState,
  action: PlannedAction,
  carrying: NonNullable<DebtorState['plan']['carrying']>,
  debt: DebtorState['debts'][number],
) {
  const serverSent = isServerSent(action);
  const { balance } = debt;
  return {
    debtor: { id: facts.debtor.id, name: facts.debtor.name, state: state.profile.state },
    assignedTo: facts.assignment
      ? { id: facts.assignment.collector_id, name: facts.assignment.collector_name }
      : null,
    debt: {
      id: debt.row.id,
      description: debt.row.description,
      dueDate: carrying.dueDate,
      daysOverdue: Math.max(0, carrying.daysOverdue),
      balance: {
        principal: balance.principal,
        fine: balance.fine,
        interest: balance.interest,
        fees: balance.fees,
        paid: balance.paid,
        discount: balance.discount,
        totalDue: balance.totalDue,
      },
    },
    step: {
      id: action.stepId,
      kind: action.kind,
      mode: action.mode,
      channel: action.channel,
      templateId: action.templateId,
      dueOn: action.dueOn,
      allowsDiscount: action.allowsDiscount,
      // An installment step of an active agreement: which installment it is about.
      installment: action.installment ?? null,
    },
    earliestAt: action.earliestAt === null ? null : new Date(action.earliestAt).toISOString(),
    blockedBy: action.blockedBy ?? [],
    guard: verdictJson(
      contactVerdict(state, settings, action.channel, now, action.mode === 'automatic'),
    ),
    delivery: serverSent ? ('smtp' as const) : ('person' as const),
    recipient: recipientFor(facts, action.channel),
    address: action.channel === 'visit' ? (facts.debtor.address ?? null) : null,
    task: serverSent
      ? taskJson(page.tasks.get(taskKey(debt.row.id, carrying.dueDate, action.stepId)))
      : null,
  };
}

/** Today's work on one page for `role`, in queue order, messages not rendered. */
function todaysWork(
  page: QueuePage,
  settings: EffectiveSettings,
  now: Date,
  options: { role: Role; channel?: Channel },
): Work[] {
  const work: Work[] = [];
  let endOfToday: number | undefined;
  for (const facts of page.facts) {
    const state = debtorState(facts, settings, now);
    endOfToday ??= endOfDay(state.today, settings.timeZone);
    const action = todaysAction(state, endOfToday);
    if (!action || !visibleTo(options.role, action)) continue;
    if (options.channel !== undefined && action.channel !== options.channel) continue;
    const carrying = state.plan.carrying;
    const debt = state.debts.find((d) => d.row.id === carrying?.debtId);
    if (!carrying || !debt) continue;
    work.push({
      item: itemOf(page, settings, now, facts, state, action, carrying, debt),
      facts,
      state,
      action,
    });
  }
  return work.sort(
    (a, b) =>
      (a.item.earliestAt ?? '').localeCompare(b.item.earliestAt ?? '') ||
      b.item.debt.daysOverdue - a.item.debt.daysOverdue,
  );
}

/**
 * The work items of one page for `role`, WITHOUT their messages: rendering every template and PIX
 * code up front was a third of a page's cost and most are never opened. A screen asks for one
 * item's message when the person opens it (`queueItemsWithMessages` on a one-debtor page:
 * `GET /api/cadence/today/:debtorId`).
 */
export function queueItems(
  page: QueuePage,
  settings: EffectiveSettings,
  now: Date,
  options: { role: Role; channel?: Channel },
) {
  return todaysWork(page, settings, now, options).map((w) => w.item);
}
export type QueueItem = ReturnType<typeof queueItems>[number];

/**
 * The work items of a page with each one's rendered message and PIX code (or why not);
 * `links` are the debtors' page links `{{payment_link}}` carries (server/portal).
 */
export function queueItemsWithMessages(
  page: QueuePage,
  settings: EffectiveSettings,
  now: Date,
  options: { role: Role; channel?: Channel; links?: PortalLinkMap },
) {
  return todaysWork(page, settings, now, options).map((w) => ({
    ...w.item,
    ...renderAction(settings, w.facts, w.state, w.action, options.links),
  }));
}
export type RenderedQueueItem = ReturnType<typeof queueItemsWithMessages>[number];

/** Escalations waiting for the owner: proposals to decide and listings to remove (Súmula 548). */
export async function pendingEscalations(q: Queryable, limit = 500) {
  const rows = await q.query<{
    id: string;
    debtor_id: string;
    debtor_name: string;
    debt_id: string;
    kind: string;
    status: string;
    notice_id: string | null;
    removal_due_on: string | null;
    created_at: Date;
  }>(
    `SELECT e.id, e.debtor_id, d.name AS debtor_name, e.debt_id, e.kind, e.status, e.notice_id,
            e.removal_due_on, e.created_at
     FROM escalations e JOIN debtors d ON d.id = e.debtor_id
     WHERE e.status IN ('proposed', 'removal_due')
     ORDER BY e.removal_due_on NULLS LAST, e.created_at LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    id: r.id,
    debtor: { id: r.debtor_id, name: r.debtor_name },
    debtId: r.debt_id,
    kind: r.kind,
    status: r.status,
    noticeId: r.notice_id,
    removalDueOn: r.removal_due_on,
    createdAt: r.created_at.toISOString(),
  }));
}
