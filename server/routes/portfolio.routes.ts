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
 * - `collectors`: the same figures per current assignment (`id: null` = not assigned);
 * - `source`: `summaries` (the maintained per-debtor summaries, the steady state) or `facts`
 *   (computed set-based from the facts because many summaries are outdated, after a bulk import
 *   or at the day turn, while they catch up in the background). The same figures either way.
 *
 * Owners and staff (staff see every debtor anyway); collectors have their own device data.
 * Computed set-based (../ledger/portfolio.repo.ts): a few statements for any portfolio size.
 */
import { Hono } from 'hono';
import type { Deps } from '../app';
import { requireRole, type AppEnv } from '../http/auth';
import { readPortfolio } from '../ledger/portfolio.repo';
import { loadLedgerSettings, todayFor } from '../ledger/settings';

/** `/api/portfolio`. */
export function portfolioRoutes({ db, now }: Deps) {
  return new Hono<AppEnv>().get('/', requireRole('owner', 'staff'), async (c) => {
    const at = now();
    const settings = await loadLedgerSettings(db);
    const today = todayFor(settings, at);
    const read = await readPortfolio(db, settings, at, today);
    return c.json({
      asOf: at.toISOString(),
      today,
      ...read.figures,
      source: read.source === 'summaries' ? 'summaries' : 'facts',
    });
  });
}
