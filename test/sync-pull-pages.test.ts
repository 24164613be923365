/**
 * How the initial snapshot is paged (issue 4): a page holds as many WHOLE debtors as fit in the
 * requested limit, counted by what each debtor really brings (its debts, facts, contacts), so a
 * 5,000-debtor first sync takes as few round trips as the limit allows. Never over the limit
 * unless one debtor alone is bigger; never an empty page at the end.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PullResponse } from '#shared/sync/pull.schema';
import { createApp } from '../server/app';
import { SYNCED_SETTINGS } from '../server/sync/settings-feed';
import type { Db } from '../server/db/db';
import { forEachDb, openTestDb } from './helpers/test-db';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import { testDevice } from './helpers/sync';

const LIMIT = 10;

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  let staff: SeededUser;
  // Monday 09:00 in São Paulo: inside the default contact window.
  const clock = testClock('2025-03-10T12:00:00Z');

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    owner = await seedUser(db, 'owner', { now: clock.now() });
    staff = await seedUser(db, 'staff', { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  test('snapshot pages are filled with whole debtors up to the limit, none empty', async () => {
    const collector = await seedUser(db, 'collector', { now: clock.now() });
    // Debts per debtor: small and large ones mixed, one bigger than a whole page.
    const sizes = [1, 3, 2, 1, 12, 1, 2, 3, 1, 1];
    const debtors: string[] = [];
    for (const debts of sizes) {
      const debtor = await createDebtor(app, owner);
      for (let i = 0; i < debts; i++) await createDebt(app, owner, debtor);
      debtors.push(debtor);
    }
    // A delivered contact is one more change of its debtor.
    const logged = await call(app, 'POST', '/api/contacts', {
      headers: staff.headers,
      json: { debtorId: debtors[0], channel: 'whatsapp', body: 'Olá, segue o boleto' },
    });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    await assign(app, owner, collector.user.id, debtors);

    const device = testDevice(app, collector.headers, clock.now);
    const pages: PullResponse[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const res = await device.pull(cursor, LIMIT);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      pages.push(res.body);
      cursor = res.body.cursor;
      if (!res.body.has_more) break;
    }
    expect(pages.at(-1)?.has_more).toBe(false);

    const debtorOf = new Map<string, string>();
    const pageOf = new Map<string, number>();
    pages.forEach((page, n) => {
      for (const c of page.changes) {
        if (c.entity === 'debtor') pageOf.set(c.id, n);
        else if (c.op === 'put' && typeof c.data['debtorId'] === 'string')
          debtorOf.set(`${c.entity}:${c.id}`, c.data['debtorId']);
      }
    });
    // Every debtor once, each with all its debts and its contact, on the debtor's own page.
    expect([...pageOf.keys()].sort()).toEqual([...debtors].sort());
    const size = new Map(debtors.map((d) => [d, 1]));
    for (const [key, debtor] of debtorOf) {
      size.set(debtor, (size.get(debtor) ?? 0) + 1);
      const n = pages.findIndex((p) => p.changes.some((c) => `${c.entity}:${c.id}` === key));
      expect(n, key).toBe(pageOf.get(debtor));
    }
    expect(size.get(debtors[0] ?? '')).toBe(3);
    expect(size.get(debtors[4] ?? '')).toBe(13);

    const heads = pages.map((p) => p.changes.filter((c) => c.entity === 'debtor').map((c) => c.id));
    pages.forEach((page, n) => {
      const own = heads[n] ?? [];
      // No empty page: the last one too holds a debtor.
      expect(own.length, `page ${n}`).toBeGreaterThan(0);
      // Over the limit only when one debtor alone is bigger than a page.
      if (own.length > 1) expect(page.changes.length, `page ${n}`).toBeLessThanOrEqual(LIMIT);
      // Filled: the next page's first debtor did not fit in this one.
      const next = heads[n + 1]?.[0];
      if (next !== undefined)
        expect(page.changes.length + (size.get(next) ?? 0), `page ${n}`).toBeGreaterThan(LIMIT);
    });
    // Every synced settings section rides on the first page and counts towards its limit.
    expect(pages[0]?.changes.filter((c) => c.entity === 'setting')).toHaveLength(
      SYNCED_SETTINGS.length,
    );
    expect(pages.length).toBeLessThan(debtors.length);
  });
});
