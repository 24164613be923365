/**
 * Maintained per-debtor summaries (`debtor_summaries`, migration 0440): what the owner's portfolio
 * and the office's search need of each debtor's derived state, as of a day, so those reads are one
 * grouped query / one statement a page instead of deriving 100,000 states.
 *
 * The values come from `debtorState` (the shared rules: balanceOn, promise status, the régua's plan;
 * one rule, one place); SQL never recomputes a balance. Freshness is decided by the database:
 * every write to a table the derivation reads marks its debtors stale through triggers (whatever
 * the writer), and a summary is trusted only when not stale and `as_of` is the reader's day.
 * Refreshed by one shared run per database (./summary-refresher.ts): after the writers' requests
 * committed, by the summary job when the day turns (date-dependent parts: interest, days
 * overdue, promises past their day, the régua's stage), and for a reader that meets a few stale
 * rows (never wrong, only slower); a portfolio read that meets many answers set-based instead
 * (./portfolio.repo.ts).
 *
 * Concurrency: `gen` is read BEFORE the facts and the row is written back only while `gen` is
 * unchanged; a write committed in between bumped it, so the row stays stale rather than wrongly
 * fresh.
 */
import type { DebtorStatus } from '#shared/api/ledger.schema';
import { debtorStage, type DebtorStage } from '#shared/cadence/debtor-stage';
import type { CalendarDate } from '#shared/time/calendar-date';
import type { Queryable } from '../db/db';
import { debtorState, loadDebtorFacts, type DebtorFacts, type DebtorState } from './debtor-state';
import { todayFor, type LedgerSettings } from './settings';

/** Overdue aging buckets, by days past due (the portfolio's, in this order). */
export const AGING_BUCKETS = [
  { id: '0-30', from: 1, to: 30 },
  { id: '31-60', from: 31, to: 60 },
  { id: '61-90', from: 61, to: 90 },
  { id: '90+', from: 91, to: null },
] as const;

export function bucketOf(daysOverdue: number): number {
  if (daysOverdue <= 30) return 0;
  if (daysOverdue <= 60) return 1;
  if (daysOverdue <= 90) return 2;
  return 3;
}

/** The régua stage a search shows. */
export function stageOf(state: DebtorState): DebtorStage {
  return debtorStage({
    plan: state.plan,
    daysOverdue: state.daysOverdue,
    currentStepKind: state.currentStep?.kind,
  });
}

/** One debtor's summary as of `asOf`. */
export interface Summary {
  asOf: CalendarDate;
  status: DebtorStatus;
  stage: DebtorStage;
  totalDue: number;
  daysOverdue: number;
  /** Open debts past their due date that still owe (covered debts by the agreement's ledger). */
  overdueCents: number;
  agingCents: [number, number, number, number];
  agingDebts: [number, number, number, number];
  promisesKept: number;
  promisesBroken: number;
  promisesActive: number;
  /** Not merged into another debtor. */
  live: boolean;
  collectorId: string | null;
}

/** The summary of a debtor's derived state. */
export function summaryOf(facts: DebtorFacts, state: DebtorState): Summary {
  const agingCents: Summary['agingCents'] = [0, 0, 0, 0];
  const agingDebts: Summary['agingDebts'] = [0, 0, 0, 0];
  let overdueCents = 0;
  for (const d of state.debts) {
    const { balance } = d;
    if (d.row.status !== 'open' || balance.totalDue <= 0 || balance.daysOverdue <= 0) continue;
    const b = bucketOf(balance.daysOverdue);
    agingCents[b] = (agingCents[b] ?? 0) + balance.totalDue;
    agingDebts[b] = (agingDebts[b] ?? 0) + 1;
    overdueCents += balance.totalDue;
  }
  let kept = 0;
  let broken = 0;
  let active = 0;
  for (const s of state.promiseStatuses.values()) {
    if (s === 'kept') kept++;
    else if (s === 'broken') broken++;
    else if (s === 'active') active++;
  }
  return {
    asOf: state.today,
    status: state.status,
    stage: stageOf(state),
    totalDue: state.totals.totalDue,
    daysOverdue: state.daysOverdue,
    overdueCents,
    agingCents,
    agingDebts,
    promisesKept: kept,
    promisesBroken: broken,
    promisesActive: active,
    // SELECT * carries merged_into (not in DebtorRow: no screen reads it from there).
    live: ((facts.debtor as { merged_into?: string | null }).merged_into ?? null) === null,
    collectorId: facts.assignment?.collector_id ?? null,
  };
}

/** A stored row of `debtor_summaries`, as read back. */
export interface SummaryRow {
  stale: boolean;
  as_of: string | null;
  status: string | null;
  stage: string | null;
  total_due: string | number;
  days_overdue: number;
}

/** Whether a stored row may be used as of `today`. */
export function isFresh(row: Pick<SummaryRow, 'stale' | 'as_of'> | null, today: CalendarDate) {
  return row !== null && !row.stale && row.as_of === today;
}

/** Debtors summarised per batch (facts read with one query per table). */
export const REFRESH_BATCH = 1000;
/** Debtors derived between two turns of the event loop (about 25 ms of CPU). */
const DERIVE_SLICE = 100;

/**
 * Derives and stores the summaries of `debtorIds` as of `now`; answers every computed summary
 * (also those a concurrent write made stale again before they could be stored: they are right
 * as of the facts read, and the row stays stale for the next reader).
 */
export async function refreshSummaries(
  q: Queryable,
  debtorIds: readonly string[],
  settings: LedgerSettings,
  now: Date,
): Promise<Map<string, Summary>> {
  const out = new Map<string, Summary>();
  const all = [...new Set(debtorIds)];
  for (let i = 0; i < all.length; i += REFRESH_BATCH) {
    const ids = all.slice(i, i + REFRESH_BATCH);
    // The generation first: a write committed after this read bumps it.
    const gens = new Map(
      (
        await q.query<{ debtor_id: string; gen: string }>(
          'SELECT debtor_id, gen FROM debtor_summaries WHERE debtor_id = ANY($1::uuid[])',
          [ids],
        )
      ).map((r) => [r.debtor_id, Number(r.gen)]),
    );
    const facts = await loadDebtorFacts(q, ids);
    const rows: { id: string; gen: number; s: Summary }[] = [];
    let sinceTurn = 0;
    for (const f of facts.values()) {
      // Deriving is this thread's CPU (~0.25 ms a debtor): requests get a turn every slice.
      if (++sinceTurn > DERIVE_SLICE) {
        sinceTurn = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const s = summaryOf(f, debtorState(f, settings, now));
      out.set(f.debtor.id, s);
      rows.push({ id: f.debtor.id, gen: gens.get(f.debtor.id) ?? 0, s });
    }
    // A debtor deleted since: its row goes (unless written again meanwhile).
    const gone = ids.filter((id) => !facts.has(id) && gens.has(id));
    if (gone.length > 0)
      await q.query(
        `DELETE FROM debtor_summaries s USING unnest($1::uuid[], $2::bigint[]) AS u(id, gen)
          WHERE s.debtor_id = u.id AND s.gen = u.gen`,
        [gone, gone.map((id) => gens.get(id))],
      );
    if (rows.length === 0) continue;
    const col = <T>(get: (s: Summary) => T) => rows.map((r) => get(r.s));
    await q.query(
      `INSERT INTO debtor_summaries AS t (debtor_id, gen, stale, as_of, status, stage, total_due,
              days_overdue, overdue_cents, aging_cents, aging_debts, promises_kept,
              promises_broken, promises_active, live, collector_id, refreshed_at)
       SELECT u.id, u.gen, false, u.as_of, u.status, u.stage, u.total_due, u.days_overdue,
              u.overdue, ARRAY[u.a0, u.a1, u.a2, u.a3], ARRAY[u.n0, u.n1, u.n2, u.n3],
              u.kept, u.broken, u.active, u.live, u.collector_id, now()
         FROM unnest($1::uuid[], $2::bigint[], $3::date[], $4::text[], $5::text[], $6::bigint[],
                     $7::integer[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[],
                     $12::bigint[], $13::integer[], $14::integer[], $15::integer[], $16::integer[],
                     $17::integer[], $18::integer[], $19::integer[], $20::boolean[], $21::uuid[])
           AS u(id, gen, as_of, status, stage, total_due, days_overdue, overdue, a0, a1, a2, a3,
                n0, n1, n2, n3, kept, broken, active, live, collector_id)
       ON CONFLICT (debtor_id) DO UPDATE SET
         stale = false, as_of = EXCLUDED.as_of, status = EXCLUDED.status, stage = EXCLUDED.stage,
         total_due = EXCLUDED.total_due, days_overdue = EXCLUDED.days_overdue,
         overdue_cents = EXCLUDED.overdue_cents, aging_cents = EXCLUDED.aging_cents,
         aging_debts = EXCLUDED.aging_debts, promises_kept = EXCLUDED.promises_kept,
         promises_broken = EXCLUDED.promises_broken, promises_active = EXCLUDED.promises_active,
         live = EXCLUDED.live, collector_id = EXCLUDED.collector_id,
         refreshed_at = EXCLUDED.refreshed_at
       WHERE t.gen = EXCLUDED.gen`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.gen),
        col((s) => s.asOf),
        col((s) => s.status),
        col((s) => s.stage),
        col((s) => s.totalDue),
        col((s) => s.daysOverdue),
        col((s) => s.overdueCents),
        ...[0, 1, 2, 3].map((b) => col((s) => s.agingCents[b])),
        ...[0, 1, 2, 3].map((b) => col((s) => s.agingDebts[b])),
        col((s) => s.promisesKept),
        col((s) => s.promisesBroken),
        col((s) => s.promisesActive),
        col((s) => s.live),
        col((s) => s.collectorId),
      ],
    );
  }
  return out;
}

/**
 * Rows that cannot be used as of `today`: stale ones (a merged debtor's too, to learn it is not
 * live any more), and live debtors' rows of another day; at most `limit`, stale ones first.
 * Every debtor has a row (0440's triggers create it, 0441 backfilled older ones).
 */
export const OUTDATED = `s.stale OR (s.live AND s.as_of IS DISTINCT FROM $1::date)`;

/**
 * The next `limit` outdated rows after `after` (by debtor id) of one kind: `stale` ones (along
 * their partial index) or live rows of another day that are not stale (along the primary key).
 * Walking by id, a pass never scans what it has already passed.
 */
export async function outdatedDebtors(
  q: Queryable,
  today: CalendarDate,
  limit: number,
  kind: 'stale' | 'day' = 'stale',
  after: string | null = null,
): Promise<string[]> {
  const rows =
    kind === 'stale'
      ? await q.query<{ debtor_id: string }>(
          `SELECT s.debtor_id FROM debtor_summaries s
            WHERE s.stale AND ($2::uuid IS NULL OR s.debtor_id > $2::uuid)
            ORDER BY s.debtor_id LIMIT $1`,
          [limit, after],
        )
      : await q.query<{ debtor_id: string }>(
          `SELECT s.debtor_id FROM debtor_summaries s
            WHERE NOT s.stale AND s.live AND s.as_of IS DISTINCT FROM $3::date
              AND ($2::uuid IS NULL OR s.debtor_id > $2::uuid)
            ORDER BY s.debtor_id LIMIT $1`,
          [limit, after, today],
        );
  return rows.map((r) => r.debtor_id);
}

/**
 * Brings every live debtor's summary to `now`'s day, in batches of `batch` debtors (the worker's
 * refresh when the day turns, and a reader's catch-up): stale rows first, then rows of another
 * day, each walked once by debtor id. A row made stale again behind the walk waits for the next
 * pass (the refresher runs one when a write asks during a run). Answers how many were derived.
 */
export async function refreshOutdated(
  q: Queryable,
  settings: LedgerSettings,
  now: Date,
  options: { max?: number; stop?: () => boolean; batch?: number } = {},
): Promise<number> {
  const today = todayFor(settings, now);
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const batch = options.batch ?? REFRESH_BATCH;
  let done = 0;
  for (const kind of ['stale', 'day'] as const) {
    let after: string | null = null;
    while (done < max && options.stop?.() !== true) {
      const ids = await outdatedDebtors(q, today, Math.min(batch, max - done), kind, after);
      if (ids.length === 0) break;
      after = ids[ids.length - 1] ?? null;
      await refreshSummaries(q, ids, settings, now);
      done += ids.length;
    }
  }
  return done;
}
