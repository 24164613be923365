/**
 * The Today list's rows, derived in two steps so the heavy part happens once per debtor change:
 * - a base per debtor (name, search key, provisional balance, sync badges, oldest open due date),
 *   computed inside the read transaction and remembered by what it came from, so the 15,000 raw
 *   records a read returns are garbage right after it and a re-run re-derives only what changed;
 * - the day-dependent part (days overdue, cadence step, where the debtor is in the queue) and
 *   the cadence order, over the bases.
 * Pure: no Dexie, no signals.
 *
 * The order follows the server's cadence queue (server/cadence/queue.ts, shared planNextActions)
 * on what the phone holds, so it stays right for days offline: first the debtors whose step due
 * now is a visit not yet made (the collector's own queue), then those whose due step is another
 * contact a person makes, then everyone waiting (an active promise until its date, an active
 * agreement, an open dispute, a step already worked since it fell due, a step the server sends
 * by itself, or not yet at the first step), then those with nothing open; the most overdue first
 * within each group, then by name. "Worked" is any visit or outbound contact since the step's due
 * date (the phone's contacts carry no step id), the same cycle rule the planner uses.
 */
import type { CadencePolicy, CadenceStep } from '#shared/cadence/cadence.schema';
import { addDays, daysBetween, localDateTime, type CalendarDate } from '#shared/time/calendar-date';
import type { OutboxRow, SrvDebt, SrvDebtor, SrvFact } from '../db/db';
import { debtorView, groupBy, serverBalance, type DebtorView } from './merge';
import { addressLine, addressOf, areaOf, pinOf, type LatLng } from './where';

export interface TodayBase {
  id: string;
  name: string;
  /** Accent-folded, lower-case name and the phones' digits, built once per row for the filter. */
  search: string;
  balance: number;
  status: string;
  pending: number;
  rejected: number;
  /** The oldest open debt's due date, null without open debts. */
  oldestDue: string | null;
  /** The latest date an active promise (pulled, or saved here and not cancelled) runs to. */
  promiseUntil: string | null;
  agreementActive: boolean;
  /** Epoch ms of the latest visit or outbound contact (pulled or saved here), null if none. */
  lastWorkedAt: number | null;
  /** The bairro (else the city) for the row; "" without an address. */
  area: string;
  /** The address on one line, a stop of the day's route; "" without an address. */
  stop: string;
  /** Where the collector pinned the debtor, for the distance; null if never pinned. */
  pin: LatLng | null;
}

/** Where a debtor stands in today's cadence queue (see the module comment for the order). */
export type QueueState =
  | 'visit'
  | 'contact'
  | 'promise'
  | 'agreement'
  | 'dispute'
  | 'done'
  | 'automatic'
  | 'not_yet'
  | 'nothing';

/** Queue states by group: 0 visit now, 1 contact now, 2 waiting, 3 nothing open. */
export const QUEUE_GROUP: Record<QueueState, number> = {
  visit: 0,
  contact: 1,
  promise: 2,
  agreement: 2,
  dispute: 2,
  done: 2,
  automatic: 2,
  not_yet: 2,
  nothing: 3,
};

export interface TodayRow extends TodayBase {
  days: number | null;
  step: CadenceStep | null;
  queue: QueueState;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Accent-folded lower case: what the search compares on both sides. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Oldest due date among the open debts (callers pass one debtor's debts). */
export function oldestOpenDue(debts: readonly SrvDebt[] | undefined): string | null {
  let oldest: string | null = null;
  for (const d of debts ?? []) {
    if (d.data['status'] !== 'open') continue;
    const due = str(d.data['dueDate']);
    if (due && (oldest === null || due < oldest)) oldest = due;
  }
  return oldest;
}

function phoneDigits(data: Record<string, unknown>): string {
  const list = data['contactPoints'];
  if (!Array.isArray(list)) return '';
  return list.map((c: { value?: unknown }) => str(c?.value).replace(/\D/g, '')).join(' ');
}

const later = (a: string | null, b: string): string => (a === null || b > a ? b : a);

function epochOf(iso: unknown): number | null {
  if (typeof iso !== 'string') return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** What pauses or satisfies the régua, from the pulled facts and the outbox not yet refused. */
export function queueFacts(
  facts: readonly SrvFact[] | undefined,
  outbox: readonly OutboxRow[] | undefined,
): Pick<TodayBase, 'promiseUntil' | 'agreementActive' | 'lastWorkedAt'> {
  let promiseUntil: string | null = null;
  let agreementActive = false;
  let lastWorkedAt: number | null = null;
  const worked = (ms: number | null) => {
    if (ms !== null && (lastWorkedAt === null || ms > lastWorkedAt)) lastWorkedAt = ms;
  };
  const cancelled = new Set<string>();
  for (const row of outbox ?? [])
    if (row.state !== 'rejected' && row.type === 'promise.cancelled')
      cancelled.add(str((row.payload as { promiseId?: unknown } | null)?.promiseId));
  for (const f of facts ?? []) {
    const d = f.data;
    if (f.type === 'promise' && d['status'] === 'active' && !cancelled.has(f.id))
      promiseUntil = later(promiseUntil, str(d['dueDate']));
    else if (f.type === 'agreement' && d['status'] === 'active') agreementActive = true;
    else if (f.type === 'visit') worked(epochOf(d['visitedAt']));
    else if (f.type === 'contact' && d['direction'] === 'outbound')
      worked(epochOf(d['occurredAt']));
  }
  for (const row of outbox ?? []) {
    if (row.state === 'rejected') continue;
    if (row.type === 'visit.recorded' || row.type === 'contact.logged')
      worked(epochOf(row.occurred_at));
    else if (row.type === 'promise.created' && !cancelled.has(row.mutation_id))
      promiseUntil = later(
        promiseUntil,
        str((row.payload as { dueDate?: unknown } | null)?.dueDate),
      );
  }
  return { promiseUntil: promiseUntil || null, agreementActive, lastWorkedAt };
}

/** One debtor's base from its merged view, its debts and (for the queue) its facts and outbox. */
export function todayBase(
  view: DebtorView,
  debts: readonly SrvDebt[] | undefined,
  facts?: readonly SrvFact[],
  outbox?: readonly OutboxRow[],
): TodayBase {
  const name = str(view.data['name']);
  const address = addressOf(view.data);
  return {
    id: view.id,
    name,
    search: `${foldText(name)} ${phoneDigits(view.data)}`,
    balance: view.provisionalBalance,
    status: str(view.data['status']),
    pending: view.pending,
    rejected: view.rejected,
    oldestDue: oldestOpenDue(debts),
    ...queueFacts(facts, outbox),
    area: areaOf(address),
    stop: addressLine(address),
    pin: pinOf(view.data),
  };
}

/** A debtor with no pulled facts and no local ones is its server copy: skip the overlay. */
function viewOf(
  debtor: SrvDebtor,
  facts: readonly SrvFact[] | undefined,
  outbox: readonly OutboxRow[] | undefined,
): DebtorView {
  if (facts || outbox) return debtorView(debtor, facts ?? [], outbox ?? []);
  const balance = serverBalance(debtor);
  return {
    id: debtor.id,
    version: debtor.version,
    data: debtor.data,
    serverBalance: balance,
    provisionalBalance: balance,
    pending: 0,
    rejected: 0,
  };
}

/** What a base is derived from, as a short string (never the records themselves). */
function signature(
  debtor: SrvDebtor,
  debts: readonly SrvDebt[] | undefined,
  facts: readonly SrvFact[] | undefined,
  outbox: readonly OutboxRow[] | undefined,
): string {
  let key = String(debtor.version);
  for (const d of debts ?? []) key += `|${d.id}:${d.version}`;
  key += '#';
  for (const f of facts ?? []) key += `|${f.id}:${f.version}`;
  key += '#';
  for (const r of outbox ?? []) key += `|${r.mutation_id}:${r.state}:${r.reason ?? ''}`;
  return key;
}

export interface TodayTablesRead {
  debtors: readonly SrvDebtor[];
  debts: readonly SrvDebt[];
  facts: readonly SrvFact[];
  outbox: readonly OutboxRow[];
}

/**
 * Bases in debtor order, each reused (same object) while its signature is unchanged: a liveQuery
 * re-run after one visit or one pull page re-derives only the debtors it touched.
 */
export function todayBaseDeriver(): (read: TodayTablesRead) => TodayBase[] {
  let cache = new Map<string, { key: string; base: TodayBase }>();
  return (read) => {
    const debtsBy = groupBy(read.debts, (d) => d.debtor_id);
    const factsBy = groupBy(read.facts, (f) => f.debtor_id);
    const outboxBy = groupBy(read.outbox, (r) => r.debtor_id);
    const next = new Map<string, { key: string; base: TodayBase }>();
    const bases = read.debtors.map((debtor) => {
      const debts = debtsBy.get(debtor.id);
      const facts = factsBy.get(debtor.id);
      const outbox = outboxBy.get(debtor.id);
      const key = signature(debtor, debts, facts, outbox);
      let entry = cache.get(debtor.id);
      if (!entry || entry.key !== key)
        entry = { key, base: todayBase(viewOf(debtor, facts, outbox), debts, facts, outbox) };
      next.set(debtor.id, entry);
      return entry.base;
    });
    cache = next;
    return bases;
  };
}

/** The latest cadence step already reached at `days` overdue (the one to act on now). */
export function currentStep(policy: CadencePolicy, days: number | null): CadenceStep | null {
  if (days === null) return null;
  let step: CadenceStep | null = null;
  for (const s of policy.steps)
    if (s.offsetDays <= days && (!step || s.offsetDays >= step.offsetDays)) step = s;
  return step;
}

/** One collator for every comparison: `localeCompare(x, 'pt-BR')` builds one per call. */
const byName = new Intl.Collator('pt-BR');

/**
 * Each distinct name's place in the pt-BR collation (names the collator calls equal share one).
 * Sorting by these integers gives the collator's order without a collator call per comparison.
 */
export function nameRanks(names: Iterable<string>): Map<string, number> {
  const sorted = [...new Set(names)].sort(byName.compare);
  const ranks = new Map<string, number>();
  let rank = 0;
  sorted.forEach((name, i) => {
    if (i > 0 && byName.compare(sorted[i - 1] as string, name) !== 0) rank += 1;
    ranks.set(name, rank);
  });
  return ranks;
}

/** Automatic e-mail steps go out from the server (server/cadence/queue.ts `isServerSent`). */
const serverSends = (step: CadenceStep) => step.mode === 'automatic' && step.channel === 'email';

/** Where a base stands on `day`, given its days overdue and the step due now. */
export function queueState(
  base: TodayBase,
  days: number | null,
  step: CadenceStep | null,
  day: CalendarDate,
  timeZone: string,
): QueueState {
  if (base.oldestDue === null) return 'nothing';
  if (base.status === 'disputa') return 'dispute';
  if (base.agreementActive) return 'agreement';
  // A promise still open after its date is broken: the régua resumes the day after.
  if (base.promiseUntil !== null && base.promiseUntil >= day) return 'promise';
  if (!step || days === null) return 'not_yet';
  const stepDue = addDays(base.oldestDue as CalendarDate, step.offsetDays);
  if (base.lastWorkedAt !== null && localDateTime(base.lastWorkedAt, timeZone).date >= stepDue)
    return 'done';
  if (step.channel === 'visit') return 'visit';
  return serverSends(step) ? 'automatic' : 'contact';
}

/**
 * The Today order, following the cadence queue: by queue group (visit now, contact now,
 * waiting, nothing open), the most overdue first within a group, then by name.
 * A stable sort over numeric keys (group, days, name rank): rows equal on all keep their order.
 */
export function sortToday(
  rows: readonly TodayRow[],
  ranks: ReadonlyMap<string, number>,
): TodayRow[] {
  const group = new Int8Array(rows.length);
  const days = new Float64Array(rows.length);
  const rank = new Int32Array(rows.length);
  const order: number[] = [];
  rows.forEach((row, i) => {
    group[i] = QUEUE_GROUP[row.queue];
    days[i] = row.days ?? Number.NEGATIVE_INFINITY;
    rank[i] = ranks.get(row.name) ?? 0;
    order.push(i);
  });
  order.sort((a, b) => {
    const ga = group[a] as number;
    const gb = group[b] as number;
    if (ga !== gb) return ga - gb;
    const da = days[a] as number;
    const db = days[b] as number;
    return da !== db ? db - da : (rank[a] as number) - (rank[b] as number);
  });
  return order.map((i) => rows[i] as TodayRow);
}

/** A base's row on `day`; `daysTo` may memoise the day count per due date. */
export function todayRow(
  base: TodayBase,
  policy: CadencePolicy,
  day: CalendarDate,
  daysTo: (due: string) => number = (due) => daysBetween(due as CalendarDate, day),
): TodayRow {
  const days = base.oldestDue === null ? null : daysTo(base.oldestDue);
  const step = currentStep(policy, days);
  return { ...base, days, step, queue: queueState(base, days, step, day, policy.timeZone) };
}

/**
 * Bases → rows in Today order, remembering rows by base object (and the day and policy) and the
 * name ranks until a new name appears; used across liveQuery re-runs by one screen.
 */
export function todayRowsDeriver(): (
  bases: readonly TodayBase[],
  policy: CadencePolicy,
  day: CalendarDate,
) => TodayRow[] {
  let rows = new WeakMap<TodayBase, TodayRow>();
  const daysFor = new Map<string, number>();
  let ranks = new Map<string, number>();
  let lastDay = '';
  let lastPolicy: CadencePolicy | null = null;
  return (bases, policy, day) => {
    if (day !== lastDay || policy !== lastPolicy) {
      rows = new WeakMap();
      daysFor.clear();
    }
    lastDay = day;
    lastPolicy = policy;
    // A few hundred distinct due dates among thousands of debtors: count each once.
    const daysTo = (due: string): number => {
      let days = daysFor.get(due);
      if (days === undefined) {
        days = daysBetween(due as CalendarDate, day);
        daysFor.set(due, days);
      }
      return days;
    };
    let newName = false;
    const list = bases.map((base) => {
      let row = rows.get(base);
      if (!row) {
        row = todayRow(base, policy, day, daysTo);
        rows.set(base, row);
      }
      if (!ranks.has(row.name)) newName = true;
      return row;
    });
    if (newName) ranks = nameRanks(list.map((r) => r.name));
    return sortToday(list, ranks);
  };
}

export type TodayFilter = 'all' | 'overdue' | 'promise' | 'pending';

export function filterRows(
  rows: readonly TodayRow[],
  text: string,
  filter: TodayFilter,
): TodayRow[] {
  const q = foldText(text).trim();
  const digits = q.replace(/\D/g, '');
  const byDigits = digits.length >= 4;
  return rows.filter((r) => {
    if (filter === 'overdue' && !(r.days !== null && r.days > 0)) return false;
    if (filter === 'promise' && r.status !== 'promessa' && r.status !== 'acordo') return false;
    if (filter === 'pending' && r.pending === 0 && r.rejected === 0) return false;
    if (!q) return true;
    return r.search.includes(q) || (byDigits && r.search.includes(digits));
  });
}
