/**
 * The owner's portfolio figures computed set-based from the facts, without the maintained
 * summaries: the answer of `GET /api/portfolio` when too many summaries are outdated to derive
 * them while the owner waits (after a bulk import, at the day turn; ./portfolio.repo.ts), and the
 * computation the summaries' figures are checked against. A few statements whatever the
 * portfolio's size (about 2 s for 100,000 debtors), never per debtor except those with debts in
 * agreements.
 *
 * What SQL can answer exactly, it answers grouped by current collector: live debtors, money
 * received this month. What depends on the shared rules stays in them, one rule in one place:
 * each overdue debt's balance is `balanceOn` over its own confirmed payments (fines and interest
 * as of today, exactly as the debtor's page shows), and each open promise's status is
 * `derivedPromiseStatus` over its debtor's confirmed payments. Only the rows those rules need
 * are read: open debts already past their due date (a debt is overdue only then) with their
 * payments, and promises (terminal ones are counted in SQL).
 */
import type { Queryable } from '../db/db';
import type { CalendarDate } from '#shared/time/calendar-date';
import { addDays } from '#shared/time/calendar-date';
import { debtBalance, debtorState, derivedPromiseStatus, loadDebtorFacts } from './debtor-state';
import type { LedgerSettings } from './settings';
import type { DebtTermsRow } from './debt-terms';
import type { DebtRow, PaymentRow, PromiseRow } from './rows';
import { AGING_BUCKETS, bucketOf } from './summaries';

export interface Figures {
  debtors: number;
  overdueDebtors: number;
  totalOverdue: number;
  recoveredThisMonth: number;
  promisesKept: number;
  promisesBroken: number;
}

export const emptyFigures = (): Figures => ({
  debtors: 0,
  overdueDebtors: 0,
  totalOverdue: 0,
  recoveredThisMonth: 0,
  promisesKept: 0,
  promisesBroken: 0,
});

/** The current collector of a debtor: the live assignment, if any. */
const ASSIGNED = `LEFT JOIN assignments a ON a.debtor_id = {debtor} AND a.ended_at IS NULL`;
export const assigned = (debtor: string) => ASSIGNED.replace('{debtor}', debtor);

/** The columns of a debt `debtTerms` reads, and who collects it. */
type OverdueDebt = DebtTermsRow & Pick<DebtRow, 'debtor_id'> & { collector_id: string | null };
type PaymentOf = Pick<
  PaymentRow,
  'id' | 'debt_id' | 'agreement_id' | 'amount_cents' | 'paid_on' | 'status'
>;

/** Debtors whose state is read whole at a time (those with debts in agreements). */
const FULL_BATCH = 500;

/**
 * The portfolio as of `today` (the organisation's date at `now`), from the facts. A debt an agreement covers owes
 * through the agreement's ledger (money paid to it, what a broken one hands back): those few
 * debtors are derived whole (`debtorState`, batches of 500); every other debt is `balanceOn`
 * over its own confirmed payments, which is what the ledger gives a debt outside agreements.
 */
export async function setBasedFigures(
  q: Queryable,
  settings: LedgerSettings,
  now: Date,
  today: CalendarDate,
) {
  const month = today.slice(0, 7);
  const monthStart = `${month}-01`;
  // The first day of the next month: the 28th plus 4 days is always in the next month.
  const nextMonth = `${addDays(`${month}-28` as CalendarDate, 4).slice(0, 7)}-01`;
  const [people, recovered, debts, payments, promises] = await Promise.all([
    q.query<{ collector_id: string | null; name: string | null; debtors: string }>(
      `SELECT a.collector_id, u.name, count(*) AS debtors
         FROM debtors d ${assigned('d.id')} LEFT JOIN users u ON u.id = a.collector_id
        WHERE d.merged_into IS NULL
        GROUP BY a.collector_id, u.name`,
    ),
    q.query<{ collector_id: string | null; amount: string }>(
      `SELECT a.collector_id, sum(p.amount_cents) AS amount
         FROM payments p ${assigned('p.debtor_id')}
        WHERE p.status = 'confirmed' AND p.paid_on >= $1::date AND p.paid_on < $2::date
        GROUP BY a.collector_id`,
      [monthStart, nextMonth],
    ),
    q.query<OverdueDebt>(
      // Only what `balanceOn` reads: 100,000 rows cross the wire on a large portfolio.
      `SELECT t.id, t.debtor_id, t.principal_cents, t.issued_on, t.due_on, t.debt_kind,
              t.fine_bps, t.interest_monthly_bps, t.fees, t.grace_days,
              t.punctuality_discount_bps, a.collector_id
         FROM debts t ${assigned('t.debtor_id')}
        WHERE t.status = 'open' AND t.due_on < $1::date
          AND NOT EXISTS (SELECT 1 FROM agreement_debts x WHERE x.debt_id = t.id)`,
      [today],
    ),
    q.query<PaymentOf>(
      `SELECT p.id, p.debt_id, p.agreement_id, p.amount_cents, p.paid_on, p.status
         FROM payments p JOIN debts t ON t.id = p.debt_id
        WHERE p.status = 'confirmed' AND p.agreement_id IS NULL
          AND t.status = 'open' AND t.due_on < $1::date`,
      [today],
    ),
    // Terminal promises are counted; open ones carry their debtor's confirmed payments.
    q.query<
      PromiseRow & { collector_id: string | null; count: string; payments: PaymentRow[] | null }
    >(
      `SELECT a.collector_id, x.status, count(*) AS count, NULL::jsonb AS payments,
              NULL::uuid AS id, NULL::date AS promised_on, NULL::bigint AS amount_cents,
              NULL::date AS made_on, NULL::timestamptz AS created_at, NULL::jsonb AS debt_ids
         FROM promises x ${assigned('x.debtor_id')}
        WHERE x.status IN ('kept', 'broken')
        GROUP BY a.collector_id, x.status
       UNION ALL
       SELECT a.collector_id, x.status, 1,
              (SELECT jsonb_agg(jsonb_build_object('id', p.id, 'debt_id', p.debt_id,
                        'amount_cents', p.amount_cents, 'paid_on', p.paid_on,
                        'status', p.status, 'created_at', p.created_at))
                 FROM payments p WHERE p.debtor_id = x.debtor_id AND p.status = 'confirmed'),
              x.id, x.promised_on, x.amount_cents, x.made_on, x.created_at, x.debt_ids
         FROM promises x ${assigned('x.debtor_id')}
        WHERE x.status = 'open'`,
    ),
  ]);

  const tally = figuresTally();
  const { total, aging, promises: promiseCounts, of: figuresOf } = tally;
  for (const row of people) {
    const mine = figuresOf(row.collector_id);
    mine.name = row.name;
    mine.debtors += Number(row.debtors);
    total.debtors += Number(row.debtors);
  }
  for (const row of recovered) {
    figuresOf(row.collector_id).recoveredThisMonth += Number(row.amount);
    total.recoveredThisMonth += Number(row.amount);
  }

  const paymentsByDebt = new Map<string, PaymentRow[]>();
  for (const p of payments) {
    if (p.debt_id === null) continue;
    const list = paymentsByDebt.get(p.debt_id);
    if (list) list.push(p as PaymentRow);
    else paymentsByDebt.set(p.debt_id, [p as PaymentRow]);
  }
  // Per debtor: what is overdue and who collects it.
  const overdueByDebtor = new Map<string, { amount: number; collector: string | null }>();
  for (const debt of debts) {
    const balance = debtBalance(debt, paymentsByDebt.get(debt.id) ?? [], today);
    if (balance.totalDue <= 0 || balance.daysOverdue <= 0) continue;
    const bucket = aging[bucketOf(balance.daysOverdue)];
    if (bucket) {
      bucket.amount += balance.totalDue;
      bucket.debts += 1;
    }
    const seen = overdueByDebtor.get(debt.debtor_id);
    if (seen) seen.amount += balance.totalDue;
    else
      overdueByDebtor.set(debt.debtor_id, {
        amount: balance.totalDue,
        collector: debt.collector_id,
      });
  }
  // Debtors with debts in agreements: their covered debts from the whole derived state.
  const inAgreements = (
    await q.query<{ debtor_id: string }>(
      `SELECT DISTINCT t.debtor_id FROM agreement_debts x JOIN debts t ON t.id = x.debt_id
        WHERE t.status = 'open' AND t.due_on < $1::date`,
      [today],
    )
  ).map((r) => r.debtor_id);
  for (let i = 0; i < inAgreements.length; i += FULL_BATCH) {
    const facts = await loadDebtorFacts(q, inAgreements.slice(i, i + FULL_BATCH));
    const covered = new Set<string>();
    for (const f of facts.values()) {
      covered.clear();
      for (const x of f.agreementDebts) covered.add(x.debt_id);
      const state = debtorState(f, settings, now);
      for (const d of state.debts) {
        if (!covered.has(d.row.id)) continue;
        const { balance } = d;
        if (d.row.status !== 'open' || balance.totalDue <= 0 || balance.daysOverdue <= 0) continue;
        const bucket = aging[bucketOf(balance.daysOverdue)];
        if (bucket) {
          bucket.amount += balance.totalDue;
          bucket.debts += 1;
        }
        const seen = overdueByDebtor.get(f.debtor.id);
        if (seen) seen.amount += balance.totalDue;
        else
          overdueByDebtor.set(f.debtor.id, {
            amount: balance.totalDue,
            collector: f.assignment?.collector_id ?? null,
          });
      }
    }
  }
  for (const { amount, collector } of overdueByDebtor.values()) {
    for (const t of [total, figuresOf(collector)]) {
      t.overdueDebtors += 1;
      t.totalOverdue += amount;
    }
  }

  for (const row of promises) {
    let status: string = row.status;
    if (status === 'open')
      status = derivedPromiseStatus(
        { ...row, created_at: new Date(row.created_at) },
        (row.payments ?? []).map((p) => ({ ...p, created_at: new Date(p.created_at) })),
        today,
      );
    const count = Number(row.count);
    if (status === 'active') promiseCounts.active += count;
    else if (status === 'kept' || status === 'broken') {
      const mine = figuresOf(row.collector_id);
      if (status === 'kept') {
        promiseCounts.kept += count;
        total.promisesKept += count;
        mine.promisesKept += count;
      } else {
        promiseCounts.broken += count;
        total.promisesBroken += count;
        mine.promisesBroken += count;
      }
    }
  }

  return tally.figures();
}

/**
 * The running totals both answers of the portfolio fill (this set-based one and the summaries'
 * in ./portfolio.repo.ts): the whole portfolio, its aging buckets, the promises' statuses and each
 * collector's figures (`of`, created on first use), then `figures()` in the answer's shape.
 */
export function figuresTally() {
  const total = emptyFigures();
  const aging = AGING_BUCKETS.map((b) => ({ ...b, amount: 0, debts: 0 }));
  const promises = { kept: 0, broken: 0, active: 0 };
  const byCollector = new Map<string | null, Figures & { name: string | null }>();
  const of = (id: string | null) => {
    let mine = byCollector.get(id);
    if (!mine) {
      mine = { ...emptyFigures(), name: null };
      byCollector.set(id, mine);
    }
    return mine;
  };
  const figures = () => ({ ...total, aging, promises, collectors: collectorList(byCollector) });
  return { total, aging, promises, of, figures };
}

/** Per-collector figures as the portfolio lists them: named collectors alphabetically, the
 * unassigned pile last. */
function collectorList(byCollector: Map<string | null, Figures & { name: string | null }>) {
  return [...byCollector.entries()]
    .map(([id, f]) => ({ id, ...f }))
    .sort((a, b) =>
      a.id === null ? 1 : b.id === null ? -1 : (a.name ?? '').localeCompare(b.name ?? '', 'pt-BR'),
    );
}
