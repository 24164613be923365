/**
 * `GET /api/portfolio`: the owner's dashboard figures, computed from the same derived state as
 * everything else (balances from `balanceOn`, promise statuses from `derivedPromiseStatus`), so
 * the chart never disagrees with a debtor's page.
 *
 * - `totalOverdue`: the amount due today on open debts past their due date;
 * - `aging`: that amount by days overdue, buckets 0–30, 31–60, 61–90, 90+ (each debt on its own
 *   age, not its debtor's oldest);
 * - `recoveredThisMonth`: confirmed payments received (paid_on) in the current calendar month;
 * - `promises`: kept / broken / active, all time;
 * - `collectors`: the same figures per current assignment (`id: null` = not assigned).
 *
 * Owners and staff (staff see every debtor anyway); collectors have their own device data.
 */
import { Hono } from 'hono';
import type { Deps } from '../app';
import { requireRole, type AppEnv } from '../http/auth';
import { debtorState, derivedPromiseStatus, loadDebtorFacts } from '../ledger/debtor-state';
import { loadLedgerSettings, todayFor } from '../ledger/settings';

const BATCH = 500;

export const AGING_BUCKETS = [
  { id: '0-30', from: 1, to: 30 },
  { id: '31-60', from: 31, to: 60 },
  { id: '61-90', from: 61, to: 90 },
  { id: '90+', from: 91, to: null },
] as const;

interface Figures {
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

function bucketOf(daysOverdue: number): number {
  if (daysOverdue <= 30) return 0;
  if (daysOverdue <= 60) return 1;
  if (daysOverdue <= 90) return 2;
  return 3;
}

/** `/api/portfolio`. */
export function portfolioRoutes({ db, now }: Deps) {
  return new Hono<AppEnv>().get('/', requireRole('owner', 'staff'), async (c) => {
    const at = now();
    const settings = await loadLedgerSettings(db);
    const today = todayFor(settings, at);
    const month = today.slice(0, 7);
    const total = emptyFigures();
    const aging = AGING_BUCKETS.map((b) => ({ ...b, amount: 0, debts: 0 }));
    const promises = { kept: 0, broken: 0, active: 0 };
    const byCollector = new Map<string | null, Figures & { name: string | null }>();
    let after = '00000000-0000-0000-0000-000000000000';
    // Keyset batches by id: one query per table per batch, bounded memory on large portfolios.
    for (;;) {
      const ids = await db.query<{ id: string }>(
        'SELECT id FROM debtors WHERE id > $1 ORDER BY id LIMIT $2',
        [after, BATCH],
      );
      if (ids.length === 0) break;
      after = ids.at(-1)?.id ?? after;
      const facts = await loadDebtorFacts(
        db,
        ids.map((r) => r.id),
      );
      for (const f of facts.values()) {
        const state = debtorState(f, settings, at);
        const key = f.assignment?.collector_id ?? null;
        let mine = byCollector.get(key);
        if (!mine) {
          mine = { ...emptyFigures(), name: f.assignment?.collector_name ?? null };
          byCollector.set(key, mine);
        }
        const targets = [total, mine];
        let overdue = 0;
        for (const d of state.debts) {
          if (d.row.status !== 'open' || d.balance.totalDue <= 0 || d.balance.daysOverdue <= 0)
            continue;
          overdue += d.balance.totalDue;
          const bucket = aging[bucketOf(d.balance.daysOverdue)];
          if (bucket) {
            bucket.amount += d.balance.totalDue;
            bucket.debts += 1;
          }
        }
        const recovered = f.payments
          .filter((p) => p.status === 'confirmed' && p.paid_on.startsWith(month))
          .reduce((sum, p) => sum + p.amount_cents, 0);
        let kept = 0;
        let broken = 0;
        for (const p of f.promises) {
          const status = derivedPromiseStatus(p, f.payments, today);
          if (status === 'kept') kept++;
          else if (status === 'broken') broken++;
          else if (status === 'active') promises.active++;
        }
        promises.kept += kept;
        promises.broken += broken;
        for (const t of targets) {
          t.debtors += 1;
          t.overdueDebtors += overdue > 0 ? 1 : 0;
          t.totalOverdue += overdue;
          t.recoveredThisMonth += recovered;
          t.promisesKept += kept;
          t.promisesBroken += broken;
        }
      }
      if (ids.length < BATCH) break;
    }
    const collectors = [...byCollector.entries()]
      .map(([id, f]) => ({ id, ...f }))
      // Named collectors alphabetically, the unassigned pile last.
      .sort((a, b) =>
        a.id === null
          ? 1
          : b.id === null
            ? -1
            : (a.name ?? '').localeCompare(b.name ?? '', 'pt-BR'),
      );
    return c.json({
      asOf: at.toISOString(),
      today,
      ...total,
      aging,
      promises,
      collectors,
    });
  });
}
