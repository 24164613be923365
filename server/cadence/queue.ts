/**
 * The day's work queue: for a page of debtors with open debts (loaded by ./queue-page.ts), what
 * the régua asks for today.
 *
 * What is derived reuses the ledger's rules (`debtorState`: balances, promise statuses, the
 * plan) so the queue and the debtor screen never disagree. An item is today's work when the plan
 * has a step due and not done whose earliest allowed instant falls before the end of today; each
 * item carries the send-time guard's verdict for NOW (`mayContactNow`); its message and PIX code
 * are rendered when the item is opened (./queue-item.ts), never for a whole page.
 *
 * Who sees what: collectors their assigned debtors' visits; staff the remote messages (escalation
 * steps are the owner's decision); owners everything plus escalations awaiting a decision
 * (proposed negativação/protesto, and listings to remove after payment, STJ Súmula 548).
 */
import type { Role } from '#shared/auth/user.schema';
import type { PlannedAction } from '#shared/cadence/plan-next-actions';
import { zonedEpoch } from '#shared/cadence/zoned-time';
import type { Channel } from '#shared/templates/template.schema';
import { addDays, type CalendarDate } from '#shared/time/calendar-date';
import type { Queryable } from '../db/db';
import {
  contactVerdict,
  debtorState,
  verdictJson,
  type DebtorFacts,
  type DebtorState,
} from '../ledger/debtor-state';
import type { EffectiveSettings } from '../settings/settings.repo';
import { taskKey, type QueuePage, type TaskRow } from './queue-page';

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

/** What the items of one page (one instant, one settings object) share. */
interface PageMemo {
  /** An instant as ISO text: a page's debtors share few (now, a window's opening). */
  iso: (epochMs: number) => string;
  /** The send-time verdict as JSON for the item's debtor and step, now. */
  guard: (state: DebtorState, action: PlannedAction) => ReturnType<typeof verdictJson>;
}

function pageMemo(settings: EffectiveSettings, now: Date): PageMemo {
  const isoTexts = new Map<number, string>();
  const verdicts = new Map<string, ReturnType<typeof verdictJson>>();
  const iso = (epochMs: number) => {
    let text = isoTexts.get(epochMs);
    if (text === undefined) {
      text = new Date(epochMs).toISOString();
      isoTexts.set(epochMs, text);
    }
    return text;
  };
  const guard = (state: DebtorState, action: PlannedAction) => {
    const automated = action.mode === 'automatic';
    const { profile } = state;
    // Without contacts, preferred hours or blocked channels the verdict depends only on the
    // debtor's state and zone, the channel, who sends and the plan's state (see mayContactNow).
    const plain =
      state.history.length === 0 &&
      profile.preferredHours === undefined &&
      profile.doNotContact.all !== true &&
      (profile.doNotContact.channels ?? []).length === 0;
    if (!plain) return verdictJson(contactVerdict(state, settings, action.channel, now, automated));
    const key = `${profile.state}|${profile.timeZone ?? ''}|${action.channel}|${automated}|${state.plan.state}`;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = verdictJson(contactVerdict(state, settings, action.channel, now, automated));
      verdicts.set(key, verdict);
    }
    return { ...verdict };
  };
  return { iso, guard };
}

/** One item of today's work with what rendering its message needs. */
export interface Work {
  item: ReturnType<typeof itemOf>;
  facts: DebtorFacts;
  state: DebtorState;
  action: PlannedAction;
  /** The carrying debt with its itemised balance. */
  debt: DebtorState['debts'][number];
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
  memo: PageMemo = pageMemo(settings, now),
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
      // What the list shows; the itemised lines come with the opened item (./queue-item.ts).
      balance: { totalDue: balance.totalDue },
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
    earliestAt: action.earliestAt === null ? null : memo.iso(action.earliestAt),
    blockedBy: action.blockedBy ?? [],
    guard: memo.guard(state, action),
    delivery: serverSent ? ('smtp' as const) : ('person' as const),
    recipient: recipientFor(facts, action.channel),
    address: action.channel === 'visit' ? (facts.debtor.address ?? null) : null,
    task: serverSent
      ? taskJson(page.tasks.get(taskKey(debt.row.id, carrying.dueDate, action.stepId)))
      : null,
  };
}

/** Today's work on one page for `role`, in queue order, messages not rendered. */
export function todaysWork(
  page: QueuePage,
  settings: EffectiveSettings,
  now: Date,
  options: { role: Role; channel?: Channel },
): Work[] {
  const work: Work[] = [];
  let endOfToday: number | undefined;
  const memo = pageMemo(settings, now);
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
      item: itemOf(page, settings, now, facts, state, action, carrying, debt, memo),
      facts,
      state,
      action,
      debt,
    });
  }
  // Earliest first (none first), then most overdue: by the instants, not their ISO text
  // (`localeCompare` was a tenth of a page).
  const at = (w: Work) => w.action.earliestAt ?? Number.NEGATIVE_INFINITY;
  return work.sort(
    (a, b) =>
      (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0) ||
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
