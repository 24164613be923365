/**
 * The owner's portfolio figures (`GET /api/portfolio`) in two statements, whatever the portfolio's
 * size: one grouped query over the maintained per-debtor summaries (server/ledger/summaries.ts:
 * each debtor's overdue balances by aging bucket and promise statuses as of the day, derived by
 * the shared rules — balanceOn, the agreements' ledger, derivedPromiseStatus — and kept fresh on
 * write and by the summary job) and one over this month's confirmed payments.
 *
 * When summaries are outdated (written since their derivation, or of another day):
 * - a few (`tooManyOutdated` says how many), the read joins the shared catch-up run
 *   (./summary-refresher.ts), which derives them, and reads again;
 * - many (after a bulk import, at the day turn before the job has run), the read does not
 *   wait for 100,000 derivations (about a minute): it answers from the facts set-based
 *   (./portfolio-set.ts, the same figures in about 2 s) and asks the shared run to catch up in
 *   the background.
 */
import type { Db } from '../db/db';
import type { CalendarDate } from '#shared/time/calendar-date';
import { addDays } from '#shared/time/calendar-date';
import type { LedgerSettings } from './settings';
import { AGING_BUCKETS, OUTDATED } from './summaries';
import { catchUpSummaries, kickSummaries } from './summary-refresher';
import { assigned, figuresTally, setBasedFigures, type Figures } from './portfolio-set';

export { AGING_BUCKETS, type Figures };

/**
 * When a portfolio read answers set-based: more outdated summaries than `FALLBACK_ABOVE` and than
 * a seventh of the live debtors. Measured in one process on PGlite, 100,000 seeded debtors
 * (`test/bench/reads.bench.ts` seed, timed in process): deriving costs 0.24 ms a debtor (the
 * régua's plan included; 0.5–1.5 ms under the HTTP bench's load), the set-based answer 3.1–3.8 s
 * for the whole portfolio, 0.03–0.04 ms a debtor: past a seventh of the portfolio the set-based
 * answer is the faster one; and up to 2,000 derivations (about half a second, a few seconds
 * under load) the read derives them, so what it reads stays maintained.
 */
export const FALLBACK_ABOVE = 2000;
const FALLBACK_SHARE = 7;

/** Whether `outdated` summaries among `live` debtors are too many to derive while the owner waits. */
export function tooManyOutdated(outdated: number, live: number, above = FALLBACK_ABOVE): boolean {
  return outdated > above && outdated * FALLBACK_SHARE > live;
}

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

/** Rounds of "catch up, read again" before answering set-based (writes keep arriving). */
const ROUNDS = 3;

export type PortfolioFigures = Awaited<ReturnType<typeof setBasedFigures>>;

/**
 * The portfolio as of `today` (the organisation's date at `now`), and where it came from:
 * `summaries` (the maintained rows, the few outdated ones derived first) or `set-based` (too many
 * outdated: computed from the facts while the catch-up runs in the background).
 */
export async function readPortfolio(
  db: Db,
  settings: LedgerSettings,
  now: Date,
  today: CalendarDate,
  options: { fallbackAbove?: number } = {},
): Promise<{ figures: PortfolioFigures; source: 'summaries' | 'set-based'; outdated: number }> {
  const fallbackAbove = options.fallbackAbove ?? FALLBACK_ABOVE;
  const month = today.slice(0, 7);
  const monthStart = `${month}-01`;
  // The first day of the next month: the 28th plus 4 days is always in the next month.
  const nextMonth = `${addDays(`${month}-28` as CalendarDate, 4).slice(0, 7)}-01`;
  // This month's money, beside the summaries' scan (the same in both answers).
  const recoveredQuery = db.query<{ collector_id: string | null; amount: string }>(
    `SELECT a.collector_id, sum(p.amount_cents) AS amount
       FROM payments p ${assigned('p.debtor_id')}
      WHERE p.status = 'confirmed' AND p.paid_on >= $1::date AND p.paid_on < $2::date
      GROUP BY a.collector_id`,
    [monthStart, nextMonth],
  );
  let groups: GroupRow[] = [];
  let outdated = 0;
  for (let round = 0; ; round++) {
    groups = await db.query<GroupRow>(GROUPED, [today]);
    outdated = groups.reduce((n, g) => n + Number(g.outdated), 0);
    if (outdated === 0) break;
    const live = groups.reduce((n, g) => n + Number(g.debtors), 0);
    if (tooManyOutdated(outdated, live, fallbackAbove) || round === ROUNDS) {
      recoveredQuery.catch(() => undefined);
      // The catch-up goes on in the background (the shared run; a run in flight is joined).
      kickSummaries(db, () => now);
      return {
        figures: await setBasedFigures(db, settings, now, today),
        source: 'set-based',
        outdated,
      };
    }
    // A failed run (a concurrent write's serialisation error) is not the reader's: read again,
    // and after the last round answer set-based.
    await catchUpSummaries(db, () => now).catch(() => undefined);
  }
  const recovered = await recoveredQuery;

  const tally = figuresTally();
  const { total, aging, promises: promiseCounts, of: figuresOf } = tally;
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

  return {
    figures: tally.figures(),
    source: 'summaries',
    outdated,
  };
}

/** The portfolio as of `today`: see `readPortfolio`. */
export async function portfolioFigures(
  db: Db,
  settings: LedgerSettings,
  now: Date,
  today: CalendarDate,
): Promise<PortfolioFigures> {
  return (await readPortfolio(db, settings, now, today)).figures;
}
