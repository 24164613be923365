/**
 * The planner's memo for "plain" debtors: most of a portfolio has no contact of its own in the
 * window that matters, no written notice, no preferred hours and no blocked channel, so the
 * active régua of such a debtor (which steps, their days, channels, blockers and contact windows)
 * depends only on the policy, the instant, the holiday calendar, the debtor's zone, state and
 * preferred channel, and the carrying debt's due date. That shape is derived once per key, frozen,
 * and shared by every debtor's plan with that key (a page or a whole portfolio planned at one
 * instant): plans are values (`PlannedAction` is read-only), never changed by their callers.
 *
 * Pure: no clock (the instant is the caller's `now`), no I/O. Correct by construction of the key:
 * everything `activeShape` reads for a plain debtor is either in the key or compared by identity
 * (the policy's fields, the calendar), and a change of any of them starts a new memo. The debt's
 * id is not read for a plain debtor (it matters only against contacts and notices). Bounded.
 */
import type { HolidayCalendar } from '../time/holidays';
import type { CalendarDate } from '../time/calendar-date';
import type { CadencePolicy } from './cadence.schema';
import type { CadenceInput, CadencePlan, PlannedAction } from './plan-next-actions';

/** A plan without its carrying debt. */
export interface PlanShape {
  state: CadencePlan['state'];
  reason: CadencePlan['reason'];
  actions: readonly PlannedAction[];
}

/** Whether nothing of the debtor's own (contacts, notices, hours, blocked channels) enters the steps. */
export function isPlain(input: CadenceInput): boolean {
  const { debtor } = input;
  return (
    input.history.length === 0 &&
    input.notices.length === 0 &&
    debtor.preferredHours === undefined &&
    (debtor.doNotContact.channels === undefined || debtor.doNotContact.channels.length === 0)
  );
}

type ByDueDate = Map<CalendarDate, PlanShape>;

type ByState = Map<string, Map<string, Map<string, ByDueDate>>>;

/** The shapes under one holiday calendar, with the calendar's fields as they were (by identity). */
interface ByCalendar {
  seen: readonly [unknown, unknown, unknown];
  byState: ByState;
}

/** One policy's shapes at one instant, by calendar, state, zone, channel and due date. */
interface Memo {
  now: number;
  /** The policy's fields as they were when the memo started (compared by identity). */
  seen: readonly unknown[];
  shapes: Map<HolidayCalendar | undefined, ByCalendar>;
  size: number;
  /** The last debtor's key and its due-date map: neighbours in a page usually share it. */
  last?: {
    calendar: HolidayCalendar | undefined;
    entry: ByCalendar;
    state: string;
    zone: string | undefined;
    channel: string | undefined;
    byDue: ByDueDate;
  };
}

const memos = new WeakMap<CadencePolicy, Memo>();
const MEMO_MAX = 50_000;

function policyFields(policy: CadencePolicy): unknown[] {
  return [
    policy.steps,
    policy.steps.length,
    policy.windows,
    policy.stateWindows,
    policy.budget,
    policy.noticeDays,
    policy.minDaysOverdueForNegativacao,
    policy.timeZone,
    policy.installmentSteps,
  ];
}

function sameFields(seen: readonly unknown[], policy: CadencePolicy): boolean {
  return (
    seen[0] === policy.steps &&
    seen[1] === policy.steps.length &&
    seen[2] === policy.windows &&
    seen[3] === policy.stateWindows &&
    seen[4] === policy.budget &&
    seen[5] === policy.noticeDays &&
    seen[6] === policy.minDaysOverdueForNegativacao &&
    seen[7] === policy.timeZone &&
    seen[8] === policy.installmentSteps
  );
}

function memoFor(input: CadenceInput): Memo {
  const { policy, now } = input;
  let memo = memos.get(policy);
  if (
    memo === undefined ||
    memo.now !== now ||
    memo.size >= MEMO_MAX ||
    !sameFields(memo.seen, policy)
  ) {
    memo = { now, seen: policyFields(policy), shapes: new Map(), size: 0 };
    memos.set(policy, memo);
  }
  return memo;
}

function calendarOf(memo: Memo, calendar: HolidayCalendar | undefined): ByCalendar {
  let entry = memo.shapes.get(calendar);
  if (
    entry === undefined ||
    entry.seen[0] !== calendar?.state ||
    entry.seen[1] !== calendar?.extra ||
    entry.seen[2] !== calendar?.includeOptional
  ) {
    entry = {
      seen: [calendar?.state, calendar?.extra, calendar?.includeOptional],
      byState: new Map(),
    };
    memo.shapes.set(calendar, entry);
  }
  return entry;
}

function newMap<K, V>(): Map<K, V> {
  return new Map<K, V>();
}

function child<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** The shape for a plain debtor whose carrying debt falls due on `dueDate`; `derive` on a miss. */
export function plainShape(
  input: CadenceInput,
  dueDate: CalendarDate,
  derive: () => PlanShape,
): PlanShape {
  const memo = memoFor(input);
  const { debtor, holidays } = input;
  const last = memo.last;
  let byDue: ByDueDate;
  if (
    last !== undefined &&
    last.calendar === holidays &&
    last.state === debtor.state &&
    last.zone === debtor.timeZone &&
    last.channel === debtor.preferredChannel &&
    memo.shapes.get(holidays) === last.entry &&
    last.entry.seen[0] === holidays?.state &&
    last.entry.seen[1] === holidays?.extra &&
    last.entry.seen[2] === holidays?.includeOptional
  )
    byDue = last.byDue;
  else {
    const entry = calendarOf(memo, holidays);
    byDue = byDueOf(entry.byState, debtor);
    memo.last = {
      calendar: holidays,
      entry,
      state: debtor.state,
      zone: debtor.timeZone,
      channel: debtor.preferredChannel,
      byDue,
    };
  }
  let shape = byDue.get(dueDate);
  if (shape === undefined) {
    shape = freezeShape(derive());
    byDue.set(dueDate, shape);
    memo.size += 1;
  }
  return shape;
}

function byDueOf(byState: ByState, debtor: CadenceInput['debtor']): ByDueDate {
  const byZone = child(byState, debtor.state as string, newMap<string, Map<string, ByDueDate>>);
  const byChannel = child(byZone, debtor.timeZone ?? '', newMap<string, ByDueDate>);
  const byDue = child(byChannel, debtor.preferredChannel ?? '', newMap<CalendarDate, PlanShape>);
  return byDue;
}

function freezeShape(shape: PlanShape): PlanShape {
  for (const action of shape.actions) {
    for (const b of action.blockedBy ?? []) Object.freeze(b);
    if (action.blockedBy) Object.freeze(action.blockedBy);
    Object.freeze(action);
  }
  return Object.freeze({ ...shape, actions: Object.freeze([...shape.actions]) });
}
