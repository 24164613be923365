/**
 * Pull (reference/sync.md §5.4, §5.5, §5.10 C, D) against the real app: the initial snapshot in
 * pages, incremental pages, a page read twice, the atomic ack, unassign → remove, reassign → full
 * history, epoch reset and restore detection, the integrity check, and (PostgreSQL only, where
 * transactions really overlap) a long writing transaction that must never be skipped.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { decodeCursor } from '#shared/sync/cursor';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { insertEntity } from '../server/db/write';
import { forEachDb, openTestDb } from './helpers/test-db';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import {
  applyPage,
  health,
  localIso,
  paymentPayload,
  testDevice,
  visitPayload,
} from './helpers/sync';
import { CLIENT_SCHEMA_VERSION } from '#shared/sync/envelope.schema';
import { uuidv7 } from 'uuidv7';

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  const clock = testClock('2025-03-10T12:00:00Z');

  const newCollector = () => seedUser(db, 'collector', { now: clock.now() });
  const debtorsFor = async (who: SeededUser, n: number) => {
    const ids: { debtor: string; debt: string }[] = [];
    for (let i = 0; i < n; i++) {
      const debtor = await createDebtor(app, owner);
      ids.push({ debtor, debt: await createDebt(app, owner, debtor) });
    }
    await assign(
      app,
      owner,
      who.user.id,
      ids.map((d) => d.debtor),
    );
    return ids;
  };
  const debtorKeys = (state: Map<string, unknown>) =>
    [...state.keys()].filter((k) => k.startsWith('debtor:')).sort();

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    owner = await seedUser(db, 'owner', { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  test('initial snapshot in pages, then an empty incremental page; a page read twice is identical', async () => {
    const collector = await newCollector();
    const mine = await debtorsFor(collector, 4);
    await debtorsFor(await newCollector(), 2);
    const device = testDevice(app, collector.headers, clock.now);
    // limit 5 → one debtor per snapshot page.
    let cursor: string | undefined;
    const pages = [];
    for (let i = 0; i < 20; i++) {
      const res = await device.pull(cursor, 5);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      pages.push(res.body);
      const again = await device.pull(cursor, 5);
      expect(again.body.changes).toEqual(res.body.changes);
      expect(again.body.cursor).toBe(res.body.cursor);
      cursor = res.body.cursor;
      if (!res.body.has_more) break;
    }
    const seen = new Set(
      pages.flatMap((p) => p.changes.filter((c) => c.entity === 'debtor').map((c) => c.id)),
    );
    expect([...seen].sort()).toEqual(mine.map((d) => d.debtor).sort());
    const debts = pages.flatMap((p) => p.changes.filter((c) => c.entity === 'debt'));
    expect(debts).toHaveLength(4);
    const debtor = pages[0]?.changes.find((c) => c.entity === 'debtor');
    expect(debtor).toMatchObject({ op: 'put', data: { totalDue: expect.any(Number), version: 1 } });
    // Nothing changed since: the next pull is empty and small.
    const idle = await device.pull(cursor);
    expect(idle.body).toMatchObject({ changes: [], has_more: false });
    expect(JSON.stringify(idle.body).length).toBeLessThan(1024);
  });

  test('a pull reporting acked_through_seq n contains the effects of every mutation ≤ n', async () => {
    const collector = await newCollector();
    const [d] = await debtorsFor(collector, 1);
    if (!d) throw new Error('no debtor');
    const device = testDevice(app, collector.headers, clock.now);
    await device.sync();
    const visit = device.mutation('visit.recorded', d.debtor, visitPayload());
    const payment = device.mutation(
      'payment.recorded',
      d.debtor,
      paymentPayload(d.debt, 700, 'P-1'),
    );
    expect((await device.push([visit, payment])).body.acked_through_seq).toBe(2);
    const pages = await device.sync();
    expect(pages.at(-1)?.acked_through_seq).toBe(2);
    expect(device.state.get(`visit:${visit.mutation_id}`)).toMatchObject({ outcome: 'not_home' });
    expect(device.state.get(`payment:${payment.mutation_id}`)).toMatchObject({
      amount: 700,
      status: 'pending',
    });
  });

  test('atomic ack under concurrency: pulls racing pushes never report an ack without its effects', async () => {
    // On PostgreSQL the pushes commit while the pulls run (a pool of 5); a pull that read
    // acked_through_seq and the changes in two snapshots would report a seq whose fact it lacks.
    const collector = await newCollector();
    const [d] = await debtorsFor(collector, 1);
    if (!d) throw new Error('no debtor');
    const device = testDevice(app, collector.headers, clock.now);
    await device.sync();
    const visits = Array.from({ length: 24 }, () =>
      device.mutation('visit.recorded', d.debtor, visitPayload()),
    );
    let pushing = true;
    const pushes = (async () => {
      try {
        for (const visit of visits) {
          const res = await device.push([visit]);
          expect(res.status, JSON.stringify(res.body)).toBe(200);
        }
      } finally {
        pushing = false;
      }
    })();
    let checked = 0;
    let sawProgress = false;
    while (pushing || checked === 0) {
      const pages = await device.sync();
      const acked = pages.at(-1)?.acked_through_seq ?? 0;
      if (acked > 0 && acked < visits.length) sawProgress = true;
      // Everything acknowledged is in what this device now holds.
      for (const visit of visits.slice(0, acked))
        expect(device.state.has(`visit:${visit.mutation_id}`), `seq ${visit.device_seq}`).toBe(
          true,
        );
      checked++;
    }
    await pushes;
    const last = await device.sync();
    expect(last.at(-1)?.acked_through_seq).toBe(visits.length);
    for (const visit of visits) expect(device.state.has(`visit:${visit.mutation_id}`)).toBe(true);
    expect(checked).toBeGreaterThan(1);
    // The race happened: at least one pull landed between the first and the last push.
    expect(sawProgress).toBe(true);
  });

  test('incremental pages of a small limit deliver every change once paged through', async () => {
    const collector = await newCollector();
    const [d] = await debtorsFor(collector, 1);
    if (!d) throw new Error('no debtor');
    const device = testDevice(app, collector.headers, clock.now);
    await device.sync();
    const visits = Array.from({ length: 7 }, () =>
      device.mutation('visit.recorded', d.debtor, visitPayload()),
    );
    expect((await device.push(visits)).body.acked_through_seq).toBe(7);
    let cursor = device.cursor;
    const seen = new Set<string>();
    let pages = 0;
    for (; pages < 50; pages++) {
      const res = await device.pull(cursor, 3);
      for (const c of res.body.changes) if (c.entity === 'visit') seen.add(c.id);
      cursor = res.body.cursor;
      if (!res.body.has_more) break;
    }
    expect(pages).toBeGreaterThan(2);
    expect([...seen].sort()).toEqual(visits.map((v) => v.mutation_id).sort());
  });

  test('unassign sends an explicit remove; assigning back sends the debtor with its whole history', async () => {
    const a = await newCollector();
    const b = await newCollector();
    const [d] = await debtorsFor(a, 1);
    if (!d) throw new Error('no debtor');
    const deviceA = testDevice(app, a.headers, clock.now);
    const deviceB = testDevice(app, b.headers, clock.now);
    await deviceA.sync();
    await deviceB.sync();
    const visit = deviceA.mutation('visit.recorded', d.debtor, visitPayload());
    await deviceA.push([visit]);
    await assign(app, owner, b.user.id, [d.debtor]);
    const pagesA = await deviceA.sync();
    expect(pagesA.flatMap((p) => p.changes)).toContainEqual({
      op: 'remove',
      entity: 'debtor',
      id: d.debtor,
    });
    expect(debtorKeys(deviceA.state)).toEqual([]);
    expect([...deviceA.state.values()].filter((v) => v['debtorId'] === d.debtor)).toEqual([]);
    await deviceB.sync();
    expect(debtorKeys(deviceB.state)).toEqual([`debtor:${d.debtor}`]);
    expect(deviceB.state.has(`debt:${d.debt}`)).toBe(true);
    expect(deviceB.state.has(`visit:${visit.mutation_id}`)).toBe(true);
    // Unassigned entirely: B loses it too.
    const un = await call(app, 'POST', '/api/assignments/unassign', {
      headers: owner.headers,
      json: { debtorIds: [d.debtor] },
    });
    expect(un.status).toBe(200);
    await deviceB.sync();
    expect(debtorKeys(deviceB.state)).toEqual([]);
  });

  test('an owner edit shows up on the next pull with the new version', async () => {
    const collector = await newCollector();
    const [d] = await debtorsFor(collector, 1);
    if (!d) throw new Error('no debtor');
    const device = testDevice(app, collector.headers, clock.now);
    await device.sync();
    const res = await call(app, 'PATCH', `/api/debtors/${d.debtor}`, {
      headers: owner.headers,
      json: { version: 1, name: 'Nome Corrigido' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await device.sync();
    expect(device.state.get(`debtor:${d.debtor}`)).toMatchObject({
      name: 'Nome Corrigido',
      version: 2,
    });
  });

  test('epoch change and a restored (older) database answer reset_required; starting over converges', async () => {
    const collector = await newCollector();
    const mine = await debtorsFor(collector, 2);
    const device = testDevice(app, collector.headers, clock.now);
    await device.sync();
    const cursor = device.cursor as string;
    // A cursor ahead of the feed = the server was restored from an older backup.
    const decoded = decodeCursor(cursor);
    if (!decoded) throw new Error('bad cursor');
    const ahead = `c1.${decoded.epoch}.${decoded.seq + 1_000_000}`;
    expect((await device.pull(ahead)).body).toMatchObject({ reset_required: true, changes: [] });
    await db.query('UPDATE sync_state SET epoch = epoch + 1');
    try {
      const res = await device.pull(cursor);
      expect(res.body).toMatchObject({
        reset_required: true,
        changes: [],
        epoch: decoded.epoch + 1,
      });
      const pages = await device.sync();
      expect(pages[0]?.reset_required).toBe(true);
      expect(debtorKeys(device.state)).toEqual(mine.map((d) => `debtor:${d.debtor}`).sort());
    } finally {
      await db.query('UPDATE sync_state SET epoch = epoch - 1');
    }
  });

  test('integrity check names stale and missing debtors', async () => {
    const collector = await newCollector();
    const [kept, missing] = await debtorsFor(collector, 2);
    const stale = await createDebtor(app, owner);
    const res = await call<{ remove: string[]; missing: string[] }>(
      app,
      'POST',
      '/api/sync/integrity',
      {
        headers: collector.headers,
        json: {
          protocol: 1,
          device_id: crypto.randomUUID(),
          device_now: localIso(clock.now().getTime()),
          health: health(),
          debtor_ids: [kept?.debtor, stale],
        },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ remove: [stale], missing: [missing?.debtor] });
  });

  test('a client older than N−1: pushes applied, every pull page says upgrade_required, owner sees old_app', async () => {
    const collector = await newCollector();
    const [d] = await debtorsFor(collector, 1);
    if (!d) throw new Error('no debtor');
    const stale = testDevice(app, collector.headers, clock.now, {
      schemaVersion: CLIENT_SCHEMA_VERSION - 2,
    });
    const visit = stale.mutation('visit.recorded', d.debtor, visitPayload());
    const pushed = await stale.push([visit]);
    expect(pushed.body.results).toMatchObject([
      { mutation_id: visit.mutation_id, status: 'applied' },
    ]);
    const pages = await stale.sync();
    expect(pages.every((p) => p.upgrade_required === true)).toBe(true);
    // Still served: the old phone keeps showing its debtors (and its own visit) until it updates.
    expect(stale.state.get(`visit:${visit.mutation_id}`)).toMatchObject({ outcome: 'not_home' });
    const previous = testDevice(app, collector.headers, clock.now, {
      schemaVersion: CLIENT_SCHEMA_VERSION - 1,
    });
    expect((await previous.sync()).some((p) => p.upgrade_required)).toBe(false);
    const current = testDevice(app, collector.headers, clock.now);
    expect((await current.sync()).some((p) => p.upgrade_required)).toBe(false);
    const status = await call<{ items: { deviceId: string; reasons: { code: string }[] }[] }>(
      app,
      'GET',
      '/api/status/devices',
      { headers: owner.headers },
    );
    const codes = (id: string) =>
      status.body.items.find((i) => i.deviceId === id)?.reasons.map((r) => r.code) ?? [];
    expect(codes(stale.id)).toContain('old_app');
    expect(codes(previous.id)).not.toContain('old_app');
    expect(codes(current.id)).not.toContain('old_app');
  });

  test('a bad cursor is a 422 naming it; a missing device header is a 400', async () => {
    const collector = await newCollector();
    const device = testDevice(app, collector.headers, clock.now);
    expect((await device.pull('nope')).status).toBe(422);
    const res = await call(app, 'GET', '/api/sync/pull', { headers: collector.headers });
    expect(res.status).toBe(400);
  });

  if (kind === 'postgres')
    test('a long writing transaction is never skipped by a pull that ran while it was open', async () => {
      const collector = await newCollector();
      const [d] = await debtorsFor(collector, 1);
      if (!d) throw new Error('no debtor');
      const device = testDevice(app, collector.headers, clock.now);
      await device.sync();
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started: () => void = () => {};
      const inside = new Promise<void>((resolve) => (started = resolve));
      const slowVisit = uuidv7();
      // T1 takes its feed position and sleeps before committing.
      const t1 = db.transaction(async (tx) => {
        await insertEntity(tx, 'visit', {
          id: slowVisit,
          debtor_id: d.debtor,
          collector_id: collector.user.id,
          visited_at: clock.now(),
          outcome: 'not_home',
        });
        started();
        await gate;
      });
      await inside;
      // T2 writes too (about the same debtor, it waits for T1's key-share lock on the debtor row)
      // while a reader pulls in between.
      const fast = testDevice(app, collector.headers, clock.now);
      const fastVisit = fast.mutation('visit.recorded', d.debtor, visitPayload());
      const t2 = fast.push([fastVisit]);
      await new Promise((r) => setTimeout(r, 100));
      const during = await device.pull(device.cursor);
      expect(during.status).toBe(200);
      const ids = during.body.changes.map((c) => c.id);
      expect(ids).not.toContain(slowVisit);
      expect(ids).not.toContain(fastVisit.mutation_id);
      device.cursor = during.body.cursor;
      release();
      await t1;
      expect((await t2).body.results[0]?.status).toBe('applied');
      await device.sync();
      expect(device.state.has(`visit:${slowVisit}`)).toBe(true);
      expect(device.state.has(`visit:${fastVisit.mutation_id}`)).toBe(true);
    });

  if (kind === 'postgres')
    test('commits out of id order: a later writer delivered first, the earlier one still delivered after it commits', async () => {
      // Writers take no feed lock (server/sync/feed-sequence.ts): T2 commits while T1, which
      // wrote its feed row first (a lower id), is still open. A pull in between delivers T2; the
      // next pull after T1 commits must still deliver T1, though its id is below what was read.
      const collector = await newCollector();
      const [a, b] = await debtorsFor(collector, 2);
      if (!a || !b) throw new Error('no debtors');
      const device = testDevice(app, collector.headers, clock.now);
      await device.sync();
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started: () => void = () => {};
      const inside = new Promise<void>((resolve) => (started = resolve));
      const slowVisit = uuidv7();
      const t1 = db.transaction(async (tx) => {
        await insertEntity(tx, 'visit', {
          id: slowVisit,
          debtor_id: a.debtor,
          collector_id: collector.user.id,
          visited_at: clock.now(),
          outcome: 'not_home',
        });
        started();
        await gate;
      });
      await inside;
      const fast = testDevice(app, collector.headers, clock.now);
      const fastVisit = fast.mutation('visit.recorded', b.debtor, visitPayload());
      try {
        expect((await fast.push([fastVisit])).body.results[0]?.status).toBe('applied');
        const during = await device.pull(device.cursor);
        expect(during.status).toBe(200);
        const ids = during.body.changes.map((c) => c.id);
        expect(ids).toContain(fastVisit.mutation_id);
        expect(ids).not.toContain(slowVisit);
        applyPage(device.state, during.body);
        device.cursor = during.body.cursor;
      } finally {
        release();
      }
      await t1;
      const [order] = await db.query<{ slow: number; fast: number }>(
        `SELECT (SELECT id FROM changes WHERE entity_id = $1) AS slow,
                (SELECT id FROM changes WHERE entity_id = $2) AS fast`,
        [slowVisit, fastVisit.mutation_id],
      );
      // The case a cursor by id would lose: the row read later has the lower id.
      expect(Number(order?.slow)).toBeLessThan(Number(order?.fast));
      await device.sync();
      expect(device.state.has(`visit:${slowVisit}`)).toBe(true);
      expect(device.state.has(`visit:${fastVisit.mutation_id}`)).toBe(true);
    });
});
