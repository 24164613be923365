/**
 * The régua planner: given a debtor's facts and `now`, what should happen next and when.
 *
 * Rules, in order:
 * 1. Nothing open (every debt paid, or its balance ≤ 0) → 'stopped' / 'all_paid'.
 * 2. Do-not-contact for all channels → 'stopped' / 'do_not_contact': no action at all.
 * 3. An open dispute, an active agreement or an active promise → 'paused' (in that precedence),
 *    with no actions. A promise still 'active' after its date is treated as broken: the day after
 *    the promised date the régua resumes by itself, from the CURRENT days overdue.
 * 4. The carrying debt is the oldest open one (earliest due date, then id); one régua per debtor,
 *    never one per debt, so several debts never multiply the messages.
 * 5. The due step is the LATEST step whose offset ≤ days overdue. Earlier steps that were missed
 *    (paused, budget, downtime) are not replayed: the debtor gets the message that fits today.
 *    A step counts as done when an outbound contact carries its stepId within this cycle (on or
 *    after due date + the first offset, and for this debt when the contact names one).
 * 6. The plan lists the due step if not done, then the next future step as a projection, so a
 *    screen can show "next send". Paused or blocked actions keep their time so nothing is silent.
 * 7. A reminder moves to the debtor's preferred remote channel when that channel is not blocked and
 *    the template id follows `<key>.<channel>`; negotiation, notice and escalation keep theirs.
 * 8. `earliestAt` honours windows, holidays, preferred hours and the budget counted from the
 *    history (see `contact-guard.ts`); the projection does not count the pending due step.
 * 9. Steps that require a written notice need one logged at least N days earlier (N by the
 *    debtor's UF), and 'min_days_overdue' needs MORE than `minDaysOverdueForNegativacao` days.
 * 10. An active agreement pauses the régua, but its own installment steps run
 *    (`installmentSteps`, default DEFAULT_INSTALLMENT_STEPS): keyed on days from the due date of
 *    the first installment with something left, the same way as rule 5 (the latest step due and
 *    not done in this installment's cycle, then the next one as a projection). Each action
 *    carries the installment; `carrying` names the agreement's oldest debt and the installment's
 *    due date, so an installment's steps are a cycle of their own. A broken agreement no longer
 *    pauses anything: the régua resumes on what is left.
 */
import {
  addDays,
  daysBetween,
  localDateTime,
  todayIn,
  type CalendarDate,
} from '../time/calendar-date';
import type { HolidayCalendar } from '../time/holidays';
import type { Channel } from '../templates/template.schema';
import {
  type AgreementState,
  type CadenceDebt,
  type CadencePolicy,
  type CadenceStep,
  type ContactLogEntry,
  type DebtorContactProfile,
  type DisputeState,
  type PaymentPromise,
  type WrittenNotice,
} from './cadence.schema';
import { contactClock, earliestContactAt, type ContactClock } from './contact-guard';
import { DEFAULT_INSTALLMENT_STEPS } from './default-policy';
import { isPlain, plainShape } from './plan-memo';
import { zonedEpoch } from './zoned-time';

export interface CadenceInput {
  debtor: DebtorContactProfile;
  debts: readonly CadenceDebt[];
  history: readonly ContactLogEntry[];
  promises: readonly PaymentPromise[];
  agreements: readonly AgreementState[];
  disputes: readonly DisputeState[];
  notices: readonly WrittenNotice[];
  policy: CadencePolicy;
  now: number;
  holidays?: HolidayCalendar;
}

export const PlanStates = ['active', 'paused', 'stopped'] as const;
export type PlanState = (typeof PlanStates)[number];

export const PlanReasons = [
  'all_paid',
  'do_not_contact',
  'dispute_open',
  'agreement_active',
  'promise_active',
  'step_due',
  'waiting',
  'cadence_complete',
] as const;
export type PlanReason = (typeof PlanReasons)[number];

export const ActionBlocks = [
  'channel_blocked',
  'notice_missing',
  'notice_too_recent',
  'not_overdue_enough',
  'no_contact_window',
] as const;
export type ActionBlock = (typeof ActionBlocks)[number];

export interface ActionBlocker {
  readonly code: ActionBlock;
  /** The day the blocker lifts, when that is known (notice period, days overdue). */
  readonly allowedOn?: CalendarDate;
}

/**
 * A planned step. Plans are values: their actions are read-only, and those of plain debtors are
 * shared, frozen, between every plan with the same shape (./plan-memo.ts).
 */
export interface PlannedAction {
  readonly stepId: string;
  /** For an installment step: which installment it is about. */
  readonly installment?: {
    readonly agreementId: string;
    readonly number: number;
    readonly dueDate: CalendarDate;
    readonly amount: number;
  };
  readonly channel: Channel;
  readonly templateId: string;
  readonly mode: CadenceStep['mode'];
  readonly kind: CadenceStep['kind'];
  readonly allowsDiscount: boolean;
  /** due date + step offset. */
  readonly dueOn: CalendarDate;
  /** First allowed instant at or after max(now, dueOn), or null when no window exists. */
  readonly earliestAt: number | null;
  readonly blockedBy?: readonly ActionBlocker[];
}

export interface CadencePlan {
  state: PlanState;
  reason: PlanReason;
  carrying?: { debtId: string; dueDate: CalendarDate; daysOverdue: number };
  readonly actions: readonly PlannedAction[];
}

function isOpen(debt: CadenceDebt): boolean {
  return debt.status === 'open' && (debt.balance === undefined || debt.balance > 0);
}

/** The oldest open debt (earliest due date, then id), which drives the régua; undefined when all are paid. */
export function carryingDebt(debts: readonly CadenceDebt[]): CadenceDebt | undefined {
  let oldest: CadenceDebt | undefined;
  for (const d of debts)
    if (
      isOpen(d) &&
      (oldest === undefined ||
        d.dueDate < oldest.dueDate ||
        (d.dueDate === oldest.dueDate && d.id < oldest.id))
    )
      oldest = d;
  return oldest;
}

/** Days of written notice required before negativação/protesto for a debtor of `state`. */
export function noticeDaysFor(policy: CadencePolicy, state: DebtorContactProfile['state']): number {
  return policy.noticeDays.byState[state] ?? policy.noticeDays.default;
}

function pauseReason(input: CadenceInput, today: CalendarDate): PlanReason | undefined {
  if (input.disputes.length === 0 && input.agreements.length === 0 && input.promises.length === 0)
    return undefined;
  if (input.disputes.some((d) => d.status === 'open')) return 'dispute_open';
  if (input.agreements.some((a) => a.status === 'active')) return 'agreement_active';
  if (input.promises.some((p) => p.status === 'active' && p.dueDate >= today))
    return 'promise_active';
  return undefined;
}

/** The blockers of an escalation step's prerequisites, empty when it may proceed. */
export function escalationBlockers(
  step: CadenceStep,
  debt: CadenceDebt,
  notices: readonly WrittenNotice[],
  input: {
    policy: CadencePolicy;
    state: DebtorContactProfile['state'];
    today: CalendarDate;
    cycleStart: CalendarDate;
  },
): ActionBlocker[] {
  const blockers: ActionBlocker[] = [];
  const { policy, today } = input;
  if (step.requires?.includes('written_notice')) {
    const latest = notices
      .filter((n) => (n.debtId === undefined ? n.sentOn >= input.cycleStart : n.debtId === debt.id))
      .map((n) => n.sentOn)
      .sort()
      .at(-1);
    if (latest === undefined) blockers.push({ code: 'notice_missing' });
    else {
      const allowedOn = addDays(latest, noticeDaysFor(policy, input.state));
      if (today < allowedOn) blockers.push({ code: 'notice_too_recent', allowedOn });
    }
  }
  if (step.requires?.includes('min_days_overdue')) {
    const allowedOn = addDays(debt.dueDate, policy.minDaysOverdueForNegativacao + 1);
    if (today < allowedOn) blockers.push({ code: 'not_overdue_enough', allowedOn });
  }
  return blockers;
}

function swapChannel(
  step: CadenceStep,
  debtor: DebtorContactProfile,
): { channel: Channel; templateId: string } {
  const preferred = debtor.preferredChannel;
  const suffix = `.${step.channel}`;
  if (
    step.kind !== 'reminder' ||
    preferred === undefined ||
    preferred === step.channel ||
    step.channel === 'visit' ||
    debtor.doNotContact.channels?.includes(preferred) ||
    !step.templateId.endsWith(suffix)
  )
    return { channel: step.channel, templateId: step.templateId };
  return {
    channel: preferred,
    templateId: `${step.templateId.slice(0, -suffix.length)}.${preferred}`,
  };
}

/** Rule 10: the installment steps of an active agreement, or undefined when there are none. */
function planInstallment(
  input: CadenceInput,
  today: CalendarDate,
  debt: CadenceDebt,
): CadencePlan | undefined {
  const { debtor, policy, now } = input;
  const next = input.agreements.find((a) => a.status === 'active')?.nextInstallment;
  const steps = [...(policy.installmentSteps ?? DEFAULT_INSTALLMENT_STEPS)].sort(
    (a, b) => a.offsetDays - b.offsetDays,
  );
  if (!next || steps.length === 0) return undefined;
  const days = daysBetween(next.dueDate, today);
  const carrying = { debtId: debt.id, dueDate: next.dueDate, daysOverdue: days };
  const cycleStart = addDays(next.dueDate, steps[0]?.offsetDays ?? 0);
  const ids = new Set(steps.map((s) => s.id));
  const done = new Set(
    input.history
      .filter(
        (c) =>
          c.direction === 'outbound' &&
          c.stepId !== undefined &&
          ids.has(c.stepId) &&
          localDateTime(c.at, policy.timeZone).date >= cycleStart,
      )
      .map((c) => c.stepId),
  );
  const due = steps.filter((s) => s.offsetDays <= days).at(-1);
  const upcoming = steps.find((s) => s.offsetDays > days);
  const clock = contactClock(debtor, input.history, policy, input.holidays);
  const plan = (step: CadenceStep): PlannedAction => {
    const dueOn = addDays(next.dueDate, step.offsetDays);
    const { channel, templateId } = swapChannel(step, debtor);
    const blockers: ActionBlocker[] = [];
    if (debtor.doNotContact.channels?.includes(channel)) blockers.push({ code: 'channel_blocked' });
    const earliestAt = earliestContactAt(
      Math.max(now, zonedEpoch(dueOn, 0, clock.timeZone)),
      clock,
    );
    if (earliestAt === null) blockers.push({ code: 'no_contact_window' });
    return {
      stepId: step.id,
      installment: { ...next },
      channel,
      templateId,
      mode: step.mode,
      kind: step.kind,
      allowsDiscount: false,
      dueOn,
      earliestAt,
      ...(blockers.length > 0 ? { blockedBy: blockers } : {}),
    };
  };
  const pending = due !== undefined && !done.has(due.id) ? due : undefined;
  const actions = [pending, upcoming].filter((s) => s !== undefined).map(plan);
  if (pending) return { state: 'active', reason: 'step_due', carrying, actions };
  return { state: 'paused', reason: 'agreement_active', carrying, actions };
}

/**
 * The policy's steps by offset, once per steps list (by identity, re-sorted if its length
 * changed): every debtor of a portfolio is planned under the same policy object.
 */
const sortedByList = new WeakMap<readonly CadenceStep[], readonly CadenceStep[]>();

function sortedSteps(steps: readonly CadenceStep[]): readonly CadenceStep[] {
  const hit = sortedByList.get(steps);
  if (hit && hit.length === steps.length) return hit;
  const sorted = Object.freeze([...steps].sort((a, b) => a.offsetDays - b.offsetDays));
  sortedByList.set(steps, sorted);
  return sorted;
}

/** What one planned step needs to know about its debtor (resolved once per plan). */
interface PlanContext {
  input: CadenceInput;
  debt: CadenceDebt;
  today: CalendarDate;
  cycleStart: CalendarDate;
  clock: ContactClock;
}

function planStep(ctx: PlanContext, step: CadenceStep): PlannedAction {
  const { input, debt, today, cycleStart, clock } = ctx;
  const { debtor, policy, now } = input;
  const dueOn = addDays(debt.dueDate, step.offsetDays);
  const { channel, templateId } = swapChannel(step, debtor);
  // Most steps have no blocker: the list is made only when one appears.
  let blockers: ActionBlocker[] | undefined;
  if (debtor.doNotContact.channels?.includes(channel)) blockers = [{ code: 'channel_blocked' }];
  if (step.requires !== undefined && step.requires.length > 0) {
    const escalation = escalationBlockers(step, debt, input.notices, {
      policy,
      state: debtor.state,
      today: dueOn > today ? dueOn : today,
      cycleStart,
    });
    if (escalation.length > 0) blockers = [...(blockers ?? []), ...escalation];
  }
  let notBefore = Math.max(now, zonedEpoch(dueOn, 0, clock.timeZone));
  for (const b of blockers ?? [])
    if (b.allowedOn) notBefore = Math.max(notBefore, zonedEpoch(b.allowedOn, 0, clock.timeZone));
  const earliestAt = earliestContactAt(notBefore, clock);
  if (earliestAt === null) blockers = [...(blockers ?? []), { code: 'no_contact_window' }];
  const action: PlannedAction = {
    stepId: step.id,
    channel,
    templateId,
    mode: step.mode,
    kind: step.kind,
    allowsDiscount: step.allowsDiscount,
    dueOn,
    earliestAt,
    ...(blockers ? { blockedBy: blockers } : {}),
  };
  return action;
}

/** Whether an outbound contact of this cycle already carries `stepId` (rule 5). */
function stepDone(
  input: CadenceInput,
  debt: CadenceDebt,
  cycleStart: CalendarDate,
  stepId: string,
): boolean {
  for (const c of input.history)
    if (
      c.direction === 'outbound' &&
      c.stepId === stepId &&
      (c.debtId === undefined
        ? localDateTime(c.at, input.policy.timeZone).date >= cycleStart
        : c.debtId === debt.id)
    )
      return true;
  return false;
}

/** What the régua does next for one debtor; see the module comment for the rules. */
export function planNextActions(input: CadenceInput): CadencePlan {
  const { debtor, policy, now } = input;
  const today = todayIn(now, policy.timeZone);
  const debt = carryingDebt(input.debts);
  if (!debt) return { state: 'stopped', reason: 'all_paid', actions: [] };
  const daysOverdue = daysBetween(debt.dueDate, today);
  const carrying = { debtId: debt.id, dueDate: debt.dueDate, daysOverdue };
  if (debtor.doNotContact.all)
    return { state: 'stopped', reason: 'do_not_contact', carrying, actions: [] };
  const paused = pauseReason(input, today);
  if (paused === 'agreement_active') {
    const installmentPlan = planInstallment(input, today, debt);
    if (installmentPlan) return installmentPlan;
  }
  if (paused) return { state: 'paused', reason: paused, carrying, actions: [] };
  // Most of a portfolio: nothing of the debtor's own enters the steps (see `isPlain`), so the
  // steps are those of every such debtor under the same policy, instant, zone, state, preferred
  // channel and due date: derived once, then copied.
  if (!isPlain(input)) return { ...activeShape(input, debt, today, daysOverdue), carrying };
  const shape = plainShape(input, debt.dueDate, () => activeShape(input, debt, today, daysOverdue));
  // The frozen actions are shared: a plan is a value, never changed by its caller.
  return { state: shape.state, reason: shape.reason, carrying, actions: shape.actions };
}

/** A plan without its carrying debt: what `planStep` derives for the active régua. */
function activeShape(
  input: CadenceInput,
  debt: CadenceDebt,
  today: CalendarDate,
  daysOverdue: number,
): Omit<CadencePlan, 'carrying'> {
  const { debtor, policy } = input;
  const steps = sortedSteps(policy.steps);
  const cycleStart = addDays(debt.dueDate, steps[0]?.offsetDays ?? 0);
  // The due step is the latest one whose offset has passed; the next is the first still ahead.
  let due: CadenceStep | undefined;
  let next: CadenceStep | undefined;
  for (const s of steps)
    if (s.offsetDays <= daysOverdue) due = s;
    else {
      next = s;
      break;
    }
  const pending = due !== undefined && !stepDone(input, debt, cycleStart, due.id) ? due : undefined;
  if (pending === undefined && next === undefined)
    return { state: 'stopped', reason: 'cadence_complete', actions: [] };
  const ctx: PlanContext = {
    input,
    debt,
    today,
    cycleStart,
    clock: contactClock(debtor, input.history, policy, input.holidays),
  };
  const actions: PlannedAction[] = [];
  if (pending) actions.push(planStep(ctx, pending));
  if (next) actions.push(planStep(ctx, next));
  return { state: 'active', reason: pending ? 'step_due' : 'waiting', actions };
}
