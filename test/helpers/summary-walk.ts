/**
 * Walks every kind of writer over a database whose summaries are fresh and checks after each that
 * the maintained debtor summaries (server/ledger/summaries.ts) never lie: once the writes'
 * background refresh settled, every live debtor's summary is fresh and equal, field for field, to
 * the debtor's derived state; and the portfolio's figures equal every debtor's derived state.
 * A writer whose rows escaped the triggers would leave a fresh summary that no longer matches.
 */
import { expect, test } from 'vitest';
import { txidForDebt } from '#shared/pix/pix-txid';
import type { CalendarDate } from '#shared/time/calendar-date';
import { createApp } from '../../server/app';
import type { Db } from '../../server/db/db';
import { debtorState, loadDebtorFacts } from '../../server/ledger/debtor-state';
import { loadLedgerSettings } from '../../server/ledger/settings';
import { refreshOutdated, summaryOf } from '../../server/ledger/summaries';
import { summariesSettled } from '../../server/ledger/summary-refresher';
import { seedUser, type SeededUser } from './auth';
import { call } from './http';
import { assign, cpf, createDebt, createDebtor } from './ledger';
import { ofxFile } from './ofx';
import { paymentPayload, testDevice } from './sync';

const TODAY = '2025-03-10' as CalendarDate;
const NOW = new Date('2025-03-10T15:00:00Z');

interface StoredSummary {
  debtor_id: string;
  stale: boolean;
  as_of: string | null;
  status: string | null;
  stage: string | null;
  total_due: string | number;
  days_overdue: number;
  overdue_cents: string | number;
  aging_cents: (string | number)[];
  aging_debts: (string | number)[];
  promises_kept: number;
  promises_broken: number;
  promises_active: number;
  live_row: boolean;
  collector_id: string | null;
}

/** Every live debtor's summary that is fresh equals its derivation; answers [fresh, live]. */
export async function checkSummaries(db: Db, step: string): Promise<[number, number]> {
  const settings = await loadLedgerSettings(db);
  const rows = await db.query<StoredSummary & { debtor: string }>(
    `SELECT s.*, d.id AS debtor, s.live AS live_row, s.as_of::text AS as_of FROM debtors d
       LEFT JOIN debtor_summaries s ON s.debtor_id = d.id WHERE d.merged_into IS NULL`,
  );
  const facts = await loadDebtorFacts(
    db,
    rows.map((r) => r.debtor),
  );
  let fresh = 0;
  for (const r of rows) {
    if (r.debtor_id === null || r.stale || r.as_of !== TODAY) continue;
    fresh++;
    const f = facts.get(r.debtor);
    if (!f) throw new Error(`${step}: no facts for ${r.debtor}`);
    const want = summaryOf(f, debtorState(f, settings, NOW));
    expect(
      {
        status: r.status,
        stage: r.stage,
        totalDue: Number(r.total_due),
        daysOverdue: r.days_overdue,
        overdueCents: Number(r.overdue_cents),
        agingCents: r.aging_cents.map(Number),
        agingDebts: r.aging_debts.map(Number),
        promisesKept: r.promises_kept,
        promisesBroken: r.promises_broken,
        promisesActive: r.promises_active,
        live: r.live_row,
        collectorId: r.collector_id,
      },
      `${step}: the summary of ${r.debtor}`,
    ).toEqual({
      status: want.status,
      stage: want.stage,
      totalDue: want.totalDue,
      daysOverdue: want.daysOverdue,
      overdueCents: want.overdueCents,
      agingCents: want.agingCents,
      agingDebts: want.agingDebts,
      promisesKept: want.promisesKept,
      promisesBroken: want.promisesBroken,
      promisesActive: want.promisesActive,
      live: want.live,
      collectorId: want.collectorId,
    });
  }
  return [fresh, rows.length];
}

/** The walk, as tests of the calling suite (which seeded `db` and checks figures). */
export function walkWriters(dbOf: () => Db, expectFigures: (live: number) => Promise<unknown>) {
  test('every writer keeps the summaries true: API, sync push, import, OFX, merge, LGPD, raw SQL', async () => {
    const db = dbOf();
    const app = createApp({ db, version: 'test', now: () => NOW });
    const owner: SeededUser = await seedUser(db, 'owner', { now: NOW });
    const collector: SeededUser = await seedUser(db, 'collector', { now: NOW });
    const live = async () =>
      (
        await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM debtors WHERE merged_into IS NULL',
        )
      )[0]?.n ?? 0;
    /** After a write through the app: its refresh settled, everything fresh and true. */
    const afterWrite = async (step: string) => {
      await summariesSettled(db);
      const [fresh, all] = await checkSummaries(db, step);
      expect(fresh, `${step}: fresh summaries`).toBe(all);
    };
    const ok = async (step: string, path: string, json: unknown, status = 201) => {
      const r = await call(app, 'POST', path, { headers: owner.headers, json });
      expect(r.status, `${step}: ${JSON.stringify(r.body)}`).toBe(status);
      await afterWrite(step);
      return r.body as Record<string, unknown>;
    };
    // Open overdue debts of seeded debtors to write on.
    const open = await db.query<{ id: string; debtor_id: string }>(
      `SELECT id, debtor_id FROM debts WHERE status = 'open' AND due_on < $1::date
         AND NOT EXISTS (SELECT 1 FROM agreement_debts x WHERE x.debt_id = debts.id)
       ORDER BY principal_cents DESC, id LIMIT 8`,
      [TODAY],
    );
    const pick = (i: number) => {
      const d = open[i];
      if (!d) throw new Error('not enough open debts');
      return d;
    };

    // A first write through the app settles whatever was stale.
    await ok('payment (API)', '/api/payments', {
      debtId: pick(0).id,
      date: '2025-03-09',
      amount: 1_000,
      method: 'pix',
    });
    await ok('promise (API)', '/api/promises', {
      debtorId: pick(1).debtor_id,
      debtIds: [pick(1).id],
      amount: 2_000,
      dueDate: '2025-03-20',
      channel: 'phone',
    });
    await ok('agreement (API)', '/api/agreements', {
      debtorId: pick(2).debtor_id,
      debtIds: [pick(2).id],
      downPayment: 1_000,
      installments: 1,
      firstDueDate: '2025-03-14',
    });
    await ok('dispute (API)', '/api/disputes', {
      debtorId: pick(3).debtor_id,
      debtId: pick(3).id,
      reason: 'other',
    });

    // A new debtor, its debt, an assignment, then the collector's phone pushes a payment.
    const fresh = await createDebtor(app, owner, { name: 'Walk Sync Pereira' });
    const debt = await createDebt(app, owner, fresh, {
      dueDate: '2025-01-10',
      issueDate: '2024-12-10',
    });
    await assign(app, owner, collector.user.id, [fresh, pick(4).debtor_id]);
    await afterWrite('debtor, debt, assignment (API)');
    const device = testDevice(app, collector.headers, () => NOW);
    const pushed = await device.push([
      device.mutation('payment.recorded', fresh, paymentPayload(debt, 7_000, 'W-1')),
    ]);
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    await afterWrite('sync push');

    // A spreadsheet import: new debtors with debts.
    const csv =
      'external_id;name;document;email;phone;address;city;state;debt_id;description;amount;due_date\n' +
      `WALK-1;Walk Import Um;${cpf(900_001)};um@example.com;;;Campinas;SP;WD-1;Mensalidade;1.234,56;10/01/2025\n` +
      `WALK-2;Walk Import Dois;${cpf(900_002)};dois@example.com;;;Campinas;SP;WD-2;Mensalidade;987,00;10/02/2025\n`;
    const before = await live();
    const imported = await app.request('/api/import/debtors', {
      method: 'POST',
      headers: { ...owner.headers, 'content-type': 'text/csv' },
      body: csv,
    });
    const importText = await imported.text();
    expect(imported.status, importText).toBeLessThan(300);
    await afterWrite('import (CSV)');
    expect(await live(), importText).toBe(before + 2);

    // The bank statement: a partial PIX credit naming a debt's txid (left for review).
    const target = pick(5);
    const statement = await app.request('/api/reconciliation/statements', {
      method: 'POST',
      headers: { ...owner.headers, 'content-type': 'application/x-ofx' },
      body: ofxFile([
        {
          fitid: 'WALK-OFX-1',
          date: '2025-03-08',
          amount: 432,
          memo: `PIX RECEBIDO ${txidForDebt(target.id)} WALK`,
        },
      ]),
    });
    expect(statement.status, await statement.clone().text()).toBeLessThan(300);
    await afterWrite('reconciliation (OFX)');
    const [credited] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM bank_credits WHERE fitid = 'WALK-OFX-1'`,
    );
    expect(credited?.n).toBe(1);

    // A duplicate merged into its keeper: the tombstone leaves the portfolio.
    const keep = await createDebtor(app, owner, { name: 'Walk Merge Lima' });
    const dup = await createDebtor(app, owner, { name: 'WALK MERGE LIMA', document: undefined });
    await createDebt(app, owner, dup, { dueDate: '2025-02-01', issueDate: '2025-01-01' });
    const versions = await db.query<{ id: string; version: number }>(
      'SELECT id, version FROM debtors WHERE id = ANY($1::uuid[])',
      [[keep, dup]],
    );
    const v = (x: string) => versions.find((r) => r.id === x)?.version ?? 0;
    const merged = await call(app, 'POST', `/api/debtors/${keep}/merge`, {
      headers: owner.headers,
      json: { duplicateId: dup, version: v(keep), duplicateVersion: v(dup) },
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    await afterWrite('merge (API)');

    // LGPD: with no retention left, closed debtors are anonymised.
    await db.query('UPDATE organisation SET retention_days = 0 WHERE id = 1');
    await db.query(
      `UPDATE debts SET settled_on = date '2025-01-02' WHERE status = 'settled' AND settled_on IS NULL`,
    );
    const eligible = await call<{ items: { id: string }[] }>(
      app,
      'GET',
      '/api/lgpd/anonymisation',
      { headers: owner.headers },
    );
    expect(eligible.status).toBe(200);
    const ids = eligible.body.items.slice(0, 3).map((i) => i.id);
    expect(ids.length).toBeGreaterThan(0);
    await ok('anonymisation (API)', '/api/lgpd/anonymisation', { debtorIds: ids }, 200);

    // Raw SQL, no request: the trigger marks the debtor; nothing refreshed it, so it is stale
    // (never fresh and wrong), and the portfolio derives it when read.
    await db.query('UPDATE debts SET principal_cents = principal_cents + 777 WHERE id = $1', [
      pick(6).id,
    ]);
    const [freshNow, all] = await checkSummaries(db, 'raw SQL');
    expect(freshNow).toBe(all - 1);
    await expectFigures(await live());
    const [freshAfter, allAfter] = await checkSummaries(db, 'after the portfolio read');
    expect(freshAfter).toBe(allAfter);
  });

  test('the check fails when a writer escapes the triggers (it can fail)', async () => {
    const db = dbOf();
    await refreshOutdated(db, await loadLedgerSettings(db), NOW);
    await db.exec('ALTER TABLE payments DISABLE TRIGGER payments_summary_ins');
    try {
      const [debt] = await db.query<{ id: string; debtor_id: string }>(
        `SELECT id, debtor_id FROM debts WHERE status = 'open' AND due_on < $1::date
           AND NOT EXISTS (SELECT 1 FROM agreement_debts x WHERE x.debt_id = debts.id)
         ORDER BY id DESC LIMIT 1`,
        [TODAY],
      );
      if (!debt) throw new Error('no open debt');
      await db.query(
        `INSERT INTO payments (id, debtor_id, debt_id, amount_cents, paid_on, method, status)
         VALUES (gen_random_uuid(), $1, $2, 1000, $3::date, 'pix', 'confirmed')`,
        [debt.debtor_id, debt.id, TODAY],
      );
      await expect(checkSummaries(db, 'escaped')).rejects.toThrow(/the summary of/);
    } finally {
      await db.exec('ALTER TABLE payments ENABLE TRIGGER payments_summary_ins');
    }
  });
}
