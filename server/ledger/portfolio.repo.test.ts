/**
 * The set-based portfolio figures equal, figure for figure, what every debtor's full derived
 * state says (the per-debtor computation the route used before), on a mixed portfolio: debts
 * overdue in every bucket, not yet due, paid off, settled and cancelled; payments this month,
 * last month, partial and pending; promises open (active and past their date), kept, broken and
 * cancelled; five collectors and unassigned debtors; and a debtor whose debt an agreement covers
 * (owed through the agreement's ledger, derived whole), beside another debt of theirs outside it.
 * Both answers are checked: from the maintained summaries, and set-based from the facts (what a
 * read answers when too many summaries are outdated, after a bulk write or at the day turn); on
 * the same portfolio they give identical figures.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CalendarDate } from '#shared/time/calendar-date';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser } from '#test/helpers/auth';
import { call } from '#test/helpers/http';
import { createDebt, createDebtor } from '#test/helpers/ledger';
import { createApp } from '../app';
import { debtorState, derivedPromiseStatus, loadDebtorFacts } from './debtor-state';
import { AGING_BUCKETS, FALLBACK_ABOVE, readPortfolio, tooManyOutdated } from './portfolio.repo';
import { setBasedFigures } from './portfolio-set';
import { catchUpSummaries, summariesSettled } from './summary-refresher';
import { walkWriters } from '#test/helpers/summary-walk';
import { loadLedgerSettings } from './settings';
import { refreshOutdated } from './summaries';

const TODAY = '2025-03-10' as CalendarDate;
const NOW = new Date('2025-03-10T15:00:00Z');
const N = 240;

/** The figures from every debtor's derived state, as the route computed them before. */
async function reference(db: Db) {
  const settings = await loadLedgerSettings(db);
  const ids = (
    await db.query<{ id: string }>('SELECT id FROM debtors WHERE merged_into IS NULL ORDER BY id')
  ).map((r) => r.id);
  const facts = await loadDebtorFacts(db, ids);
  let totalOverdue = 0;
  let overdueDebtors = 0;
  let recovered = 0;
  const aging = AGING_BUCKETS.map(() => ({ amount: 0, debts: 0 }));
  const promises = { kept: 0, broken: 0, active: 0 };
  const byCollector = new Map<string | null, { debtors: number; totalOverdue: number }>();
  for (const f of facts.values()) {
    const state = debtorState(f, settings, NOW);
    let overdue = 0;
    for (const d of state.debts) {
      if (d.row.status !== 'open' || d.balance.totalDue <= 0 || d.balance.daysOverdue <= 0)
        continue;
      overdue += d.balance.totalDue;
      const days = d.balance.daysOverdue;
      const bucket = aging[days <= 30 ? 0 : days <= 60 ? 1 : days <= 90 ? 2 : 3]!;
      bucket.amount += d.balance.totalDue;
      bucket.debts += 1;
    }
    totalOverdue += overdue;
    overdueDebtors += overdue > 0 ? 1 : 0;
    recovered += f.payments
      .filter((p) => p.status === 'confirmed' && p.paid_on.startsWith('2025-03'))
      .reduce((s, p) => s + p.amount_cents, 0);
    for (const p of f.promises) {
      const status = derivedPromiseStatus(p, f.payments, TODAY);
      if (status !== 'cancelled') promises[status]++;
    }
    const key = f.assignment?.collector_id ?? null;
    const mine = byCollector.get(key) ?? { debtors: 0, totalOverdue: 0 };
    mine.debtors++;
    mine.totalOverdue += overdue;
    byCollector.set(key, mine);
  }
  return { totalOverdue, overdueDebtors, recovered, aging, promises, byCollector };
}

test.each([
  // [outdated, live debtors, answered set-based]
  [0, 100_000, false],
  [2_000, 2_000, false], // a small portfolio all outdated: derived (≤ 2,000)
  [2_001, 2_001, true], // an import of a small portfolio
  [2_001, 100_000, false], // a few thousand among many: derived
  [14_000, 100_000, false],
  [14_500, 100_000, true], // more than a seventh of the portfolio
  [100_000, 100_000, true], // after a 100,000-debtor import, at the day turn
])('%i outdated of %i debtors: set-based %s', (outdated, live, fallback) => {
  expect(tooManyOutdated(outdated, live)).toBe(fallback);
});

forEachDb((kind) => {
  let db: Db;

  beforeAll(async () => {
    db = await openTestDb(kind);
    const collectors: string[] = [];
    for (let c = 0; c < 5; c++) collectors.push((await seedUser(db, 'collector')).user.id);
    await db.exec(`
      INSERT INTO debtors (id, kind, name, state)
        SELECT md5('pd' || i)::uuid, 'person', 'Devedor ' || i, 'SP' FROM generate_series(1, ${N}) i;
      -- Two debts a debtor: one due 1–150 days ago (or in the future for every 9th), one older.
      INSERT INTO debts (id, debtor_id, description, principal_cents, issued_on, due_on, status)
        SELECT md5('pt' || i)::uuid, md5('pd' || i)::uuid, 'a', 1000 + i * 37,
               date '2025-03-10' - (i % 150) + CASE WHEN i % 9 = 0 THEN 200 ELSE 0 END - 30,
               date '2025-03-10' - (i % 150) + CASE WHEN i % 9 = 0 THEN 200 ELSE 0 END,
               CASE WHEN i % 13 = 0 THEN 'settled' WHEN i % 17 = 0 THEN 'cancelled' ELSE 'open' END
        FROM generate_series(1, ${N}) i;
      INSERT INTO debts (id, debtor_id, description, principal_cents, issued_on, due_on, fine_bps)
        SELECT md5('pu' || i)::uuid, md5('pd' || i)::uuid, 'b', 500 + i, date '2024-10-01',
               date '2024-11-01' + (i % 40), 1000
        FROM generate_series(1, ${N}, 4) i;
      -- Payments: this month (some paying a debt off), last month, pending, without a debt.
      INSERT INTO payments (id, debtor_id, debt_id, amount_cents, paid_on, method, status)
        SELECT md5('pp' || i)::uuid, md5('pd' || i)::uuid,
               CASE WHEN i % 10 = 0 THEN NULL ELSE md5('pt' || i)::uuid END,
               CASE WHEN i % 6 = 0 THEN 1000000 ELSE 300 + i END,
               CASE WHEN i % 3 = 0 THEN date '2025-02-20' ELSE date '2025-03-02' END, 'pix',
               CASE WHEN i % 7 = 0 THEN 'pending' ELSE 'confirmed' END
        FROM generate_series(1, ${N}, 2) i;
      -- Promises: open (some past their date, some met by a payment), kept, broken, cancelled.
      INSERT INTO promises (id, debtor_id, debt_id, amount_cents, promised_on, status, made_on,
                            created_at, debt_ids)
        SELECT md5('pr' || i)::uuid, md5('pd' || i)::uuid, md5('pt' || i)::uuid, 200 + i,
               date '2025-03-10' + (i % 11) - 5,
               (ARRAY['open', 'open', 'open', 'kept', 'broken', 'cancelled'])[1 + i % 6],
               date '2025-03-01', timestamptz '2025-03-01 12:00Z', '[]'::jsonb
        FROM generate_series(1, ${N}, 3) i;
    `);
    await db.query(
      `INSERT INTO assignments (id, debtor_id, collector_id, started_at, ended_at)
         SELECT md5('pa' || i)::uuid, md5('pd' || i)::uuid, ($1::uuid[])[1 + i % 5],
                timestamptz '2025-01-01', CASE WHEN i % 11 = 0 THEN timestamptz '2025-02-01' END
         FROM generate_series(1, ${N}) i WHERE i % 4 <> 0`,
      [collectors],
    );
  });
  beforeAll(async () => {
    // An agreement through the API, as an owner makes one: its debt is owed through it.
    const app = createApp({ db, version: 'test', now: () => NOW });
    const owner = await seedUser(db, 'owner', { now: NOW });
    const debtor = await createDebtor(app, owner);
    const covered = await createDebt(app, owner, debtor, {
      dueDate: '2025-01-29',
      issueDate: '2024-12-29',
    });
    await createDebt(app, owner, debtor, { dueDate: '2025-02-20', issueDate: '2025-01-20' });
    const res = await call<{ status: string }>(app, 'POST', '/api/agreements', {
      headers: owner.headers,
      json: {
        debtorId: debtor,
        debtIds: [covered],
        downPayment: 20_000,
        installments: 3,
        firstDueDate: '2025-03-14',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('active');
  });
  afterAll(async () => {
    await db.close();
  });

  /** Fresh summaries as of TODAY. */
  const freshCount = async () =>
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM debtor_summaries WHERE NOT stale AND as_of = $1::date`,
        [TODAY],
      )
    )[0]?.n ?? 0;

  /** Figures (either answer) equal every debtor's derived state (`live` debtors in all). */
  async function expectReference(got: Awaited<ReturnType<typeof setBasedFigures>>, live: number) {
    const want = await reference(db);
    expect(got.totalOverdue).toBe(want.totalOverdue);
    expect(got.overdueDebtors).toBe(want.overdueDebtors);
    expect(got.recoveredThisMonth).toBe(want.recovered);
    expect(got.aging.map((b) => ({ amount: b.amount, debts: b.debts }))).toEqual(want.aging);
    expect(got.promises).toEqual(want.promises);
    expect(got.debtors).toBe(live);
    expect(
      new Map(
        got.collectors.map((c) => [c.id, { debtors: c.debtors, totalOverdue: c.totalOverdue }]),
      ),
    ).toEqual(want.byCollector);
    // Named collectors first, the unassigned pile last.
    expect(got.collectors.at(-1)?.id).toBeNull();
    return want;
  }

  /**
   * The summaries' answer (the few outdated rows derived first) equals every debtor's derived
   * state, and the set-based answer on the same portfolio is identical, figure for figure.
   */
  async function expectFigures(live: number) {
    const settings = await loadLedgerSettings(db);
    const read = await readPortfolio(db, settings, NOW, TODAY);
    expect(read.source).toBe('summaries');
    const want = await expectReference(read.figures, live);
    expect(await setBasedFigures(db, settings, NOW, TODAY)).toEqual(read.figures);
    return want;
  }

  test('many outdated summaries: the read answers set-based, the catch-up runs behind it', async () => {
    // Every row outdated, as after an import (the seed's statements marked every debtor; the
    // agreement's request may have caught some up since).
    await summariesSettled(db);
    await db.query(`UPDATE debtor_summaries SET gen = gen + 1, stale = true`);
    expect(await freshCount()).toBe(0);
    const read = await readPortfolio(db, await loadLedgerSettings(db), NOW, TODAY, {
      fallbackAbove: 100,
    });
    expect(read.source).toBe('set-based');
    expect(read.outdated).toBe(N + 1);
    await expectReference(read.figures, N + 1);
    // The read derived nothing itself; the shared run it asked for brings every row to the day.
    await summariesSettled(db);
    expect(await freshCount()).toBe(N + 1);
    // From the summaries now: the same figures.
    const again = await readPortfolio(db, await loadLedgerSettings(db), NOW, TODAY, {
      fallbackAbove: 100,
    });
    expect(again.source).toBe('summaries');
    expect(again.outdated).toBe(0);
    expect(again.figures).toEqual(read.figures);
    expect(FALLBACK_ABOVE).toBeGreaterThan(N);
  });

  test('figure for figure, the same as every debtor’s derived state', async () => {
    // Every row outdated again (a write to the settings marks them all), fewer than the threshold:
    // the read derives them (through the shared run) and answers from the summaries.
    await db.query(`UPDATE debtor_summaries SET gen = gen + 1, stale = true`);
    const want = await expectFigures(N + 1);
    expect(want.overdueDebtors).toBeGreaterThan(50);
    expect(want.promises.active + want.promises.broken + want.promises.kept).toBeGreaterThan(30);
    // The read derived and stored every summary: they are fresh.
    expect(await freshCount()).toBe(N + 1);
  });

  test('one catch-up at a time: a second asker joins the run in flight', async () => {
    await db.query(`UPDATE debtor_summaries SET gen = gen + 1, stale = true`);
    const first = catchUpSummaries(db, () => NOW);
    // Through a wrapper too (the routes get the metrics' instrumented handle of the same db).
    const second = catchUpSummaries(Object.create(db) as Db, () => NOW);
    expect(second).toBe(first);
    // Every outdated row derived once (a second run would have found none, or doubled the work).
    expect(await first).toBe(N + 1);
    expect(await freshCount()).toBe(N + 1);
    expect(await catchUpSummaries(db, () => NOW)).toBe(0);
  });

  test('a refresh walks stale rows first, then rows of another day, each once, by batches', async () => {
    await summariesSettled(db);
    const ids = (
      await db.query<{ debtor_id: string }>(
        'SELECT debtor_id FROM debtor_summaries ORDER BY debtor_id',
      )
    ).map((r) => r.debtor_id);
    // The last ten are stale (a write), ten in the middle are of yesterday (the day turn).
    const stale = ids.slice(-10);
    const old = ids.slice(100, 110);
    await db.query(
      `UPDATE debtor_summaries SET gen = gen + 1, stale = true WHERE debtor_id = ANY($1::uuid[])`,
      [stale],
    );
    await db.query(
      `UPDATE debtor_summaries SET as_of = as_of - 1 WHERE debtor_id = ANY($1::uuid[])`,
      [old],
    );
    const settings = await loadLedgerSettings(db);
    // Capped: the stale rows come first, whatever their place in the id order.
    expect(await refreshOutdated(db, settings, NOW, { max: 10, batch: 3 })).toBe(10);
    expect(await freshCount()).toBe(N + 1 - 10);
    const notFresh = await db.query<{ debtor_id: string }>(
      `SELECT debtor_id FROM debtor_summaries WHERE stale OR as_of <> $1::date ORDER BY debtor_id`,
      [TODAY],
    );
    expect(notFresh.map((r) => r.debtor_id)).toEqual(old);
    // The rest, in batches of 3: each row derived once.
    expect(await refreshOutdated(db, settings, NOW, { batch: 3 })).toBe(10);
    expect(await freshCount()).toBe(N + 1);
    expect(await refreshOutdated(db, settings, NOW, { batch: 3 })).toBe(0);
  });

  walkWriters(() => db, expectFigures);
});
