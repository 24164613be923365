/**
 * The owner's portfolio figures (`GET /api/portfolio`) in two statements, whatever the portfolio's
 * size: one grouped query over the maintained per-debtor summaries (server/ledger/summaries.ts:
 * each debtor's overdue balances by aging bucket and promise statuses as of the day, derived by
 * the shared rules — balanceOn, the agreements' ledger, derivedPromiseStatus — and kept fresh on
 * write and by the worker) and one over this month's confirmed payments. Nothing is derived here
 * unless a summary is outdated.
 */
import type { Queryable } from '../db/db';
import type { CalendarDate } from '#shared/time/calendar-date';
import { addDays } from '#shared/time/calendar-date';
import type { LedgerSettings } from './settings';
import { AGING_BUCKETS, OUTDATED, refreshOutdated } from './summaries';

export { AGING_BUCKETS };

export interface Figures {
  debtors: number;
  overdueDebtors: number;
  totalOverdue: number;
  recoveredThisMonth: number;
  promisesKept: number;
  promisesBroken: number;
}

const emptyFigures = (): Figures => ({
  debtors: 0,
  overdueDebtors: 0,
  totalOverdue: 0,
  recoveredThisMonth: 0,
  promisesKept: 0,
  promisesBroken: 0,
});

/** The current collector of a debtor: the live assignment, if any. */
const ASSIGNED = `LEFT JOIN assignments a ON a.debtor_id = {debtor} AND a.ended_at IS NULL`;
const assigned = (debtor: string) => ASSIGNED.replace('{debtor}', debtor);

interface GroupRow {
  collector_id: string | null;
  name: string | null;
  debtors: string;
  outdated: string;
  overdue_debtors: string;
  total_overdue: string;
  a0: string;
  a1: string;
  a2: string;
  a3: string;
  n0: string;
  n1: string;
  n2: string;
  n3: string;
  kept: string;
  broken: string;
  active: string;
}

/**
 * Live debtors per current collector with their summaries' sums, from `debtor_summaries` alone (a
 * narrow table: no debtor row, no assignment read); `outdated` counts rows that cannot be used as
 * of the day (left out of the sums, derived before reading again).
 */
const GROUPED = `
  SELECT g.*, u.name FROM (
    SELECT s.collector_id,
           count(*) FILTER (WHERE s.live) AS debtors,
           count(*) FILTER (WHERE ${OUTDATED}) AS outdated,
           count(*) FILTER (WHERE s.live AND s.overdue_cents > 0) AS overdue_debtors,
           coalesce(sum(s.overdue_cents) FILTER (WHERE s.live), 0) AS total_overdue,
           coalesce(sum(s.aging_cents[1]) FILTER (WHERE s.live), 0) AS a0,
           coalesce(sum(s.aging_cents[2]) FILTER (WHERE s.live), 0) AS a1,
           coalesce(sum(s.aging_cents[3]) FILTER (WHERE s.live), 0) AS a2,
           coalesce(sum(s.aging_cents[4]) FILTER (WHERE s.live), 0) AS a3,
           coalesce(sum(s.aging_debts[1]) FILTER (WHERE s.live), 0) AS n0,
           coalesce(sum(s.aging_debts[2]) FILTER (WHERE s.live), 0) AS n1,
           coalesce(sum(s.aging_debts[3]) FILTER (WHERE s.live), 0) AS n2,
           coalesce(sum(s.aging_debts[4]) FILTER (WHERE s.live), 0) AS n3,
           coalesce(sum(s.promises_kept) FILTER (WHERE s.live), 0) AS kept,
           coalesce(sum(s.promises_broken) FILTER (WHERE s.live), 0) AS broken,
           coalesce(sum(s.promises_active) FILTER (WHERE s.live), 0) AS active
      FROM debtor_summaries s
     GROUP BY s.collector_id) g
  LEFT JOIN users u ON u.id = g.collector_id`;

/** Rounds of "refresh what is outdated, read again" before answering (concurrent writes). */
const ROUNDS = 3;

/**
 * The portfolio as of `today` (the organisation's date at `now`): one grouped query over the
 * maintained summaries (server/ledger/summaries.ts) and one over this month's confirmed payments.
 * Debtors whose summary is missing, stale or of another day are derived first (after a large
 * import, or when the worker has not turned the day yet): slower, never wrong.
 */
export async function portfolioFigures(
  q: Queryable,
  settings: LedgerSettings,
  now: Date,
  today: CalendarDate,
) {
  const month = today.slice(0, 7);
  const monthStart = `${month}-01`;
  // The first day of the next month: the 28th plus 4 days is always in the next month.
  const nextMonth = `${addDays(`${month}-28` as CalendarDate, 4).slice(0, 7)}-01`;
  const recoveredQuery = q.query<{ collector_id: string | null; amount: string }>(
    `SELECT a.collector_id, sum(p.amount_cents) AS amount
       FROM payments p ${assigned('p.debtor_id')}
      WHERE p.status = 'confirmed' AND p.paid_on >= $1::date AND p.paid_on < $2::date
      GROUP BY a.collector_id`,
    [monthStart, nextMonth],
  );
  let groups: GroupRow[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    groups = await q.query<GroupRow>(GROUPED, [today]);
    if (!groups.some((g) => Number(g.outdated) > 0)) break;
    await refreshOutdated(q, settings, now);
  }
  const recovered = await recoveredQuery;

  const total = emptyFigures();
  const aging = AGING_BUCKETS.map((b) => ({ ...b, amount: 0, debts: 0 }));
  const promiseCounts = { kept: 0, broken: 0, active: 0 };
  const byCollector = new Map<string | null, Figures & { name: string | null }>();
  const figuresOf = (id: string | null) => {
    let mine = byCollector.get(id);
    if (!mine) {
      mine = { ...emptyFigures(), name: null };
      byCollector.set(id, mine);
    }
    return mine;
  };
  for (const g of groups) {
    // A collector whose debtors were all merged away is no group.
    if (Number(g.debtors) === 0) continue;
    const mine = figuresOf(g.collector_id);
    mine.name = g.name;
    const add = {
      debtors: Number(g.debtors),
      overdueDebtors: Number(g.overdue_debtors),
      totalOverdue: Number(g.total_overdue),
      promisesKept: Number(g.kept),
      promisesBroken: Number(g.broken),
    };
    for (const t of [total, mine]) {
      t.debtors += add.debtors;
      t.overdueDebtors += add.overdueDebtors;
      t.totalOverdue += add.totalOverdue;
      t.promisesKept += add.promisesKept;
      t.promisesBroken += add.promisesBroken;
    }
    [g.a0, g.a1, g.a2, g.a3].forEach((v, i) => (aging[i]!.amount += Number(v)));
    [g.n0, g.n1, g.n2, g.n3].forEach((v, i) => (aging[i]!.debts += Number(v)));
    promiseCounts.kept += add.promisesKept;
    promiseCounts.broken += add.promisesBroken;
    promiseCounts.active += Number(g.active);
  }
  for (const row of recovered) {
    figuresOf(row.collector_id).recoveredThisMonth += Number(row.amount);
    total.recoveredThisMonth += Number(row.amount);
  }

  const collectors = [...byCollector.entries()]
    .map(([id, f]) => ({ id, ...f }))
    // Named collectors alphabetically, the unassigned pile last.
    .sort((a, b) =>
      a.id === null ? 1 : b.id === null ? -1 : (a.name ?? '').localeCompare(b.name ?? '', 'pt-BR'),
    );
  return { ...total, aging, promises: promiseCounts, collectors };
}
