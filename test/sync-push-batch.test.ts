/**
 * One push = one transaction (issue 4) and the re-base after a server restore, against the real
 * app on PGlite and PostgreSQL: a permanent error mid-batch rolls back only its fact, a transient
 * one rolls back the whole request, a device whose server forgot seqs it can no longer send is
 * re-based past them on record (and shown red to the owner), and a device the restored server
 * does not know re-registers with its own id.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CLIENT_SCHEMA_VERSION, type MutationInput } from '#shared/sync/envelope.schema';
import type { PushResult } from '#shared/sync/push.schema';
import { createApp } from '../server/app';
import type { Db, Tx } from '../server/db/db';
import { issueToken } from '../server/auth/tokens.repo';
import { forEachDb, openTestDb } from './helpers/test-db';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import {
  health,
  localIso,
  paymentPayload,
  testDevice,
  type TestDevice,
  visitPayload,
} from './helpers/sync';

const DAY = 86_400_000;

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  let collector: SeededUser;
  let other: SeededUser;
  const clock = testClock('2025-03-10T12:00:00Z');
  /** Called with every statement the app runs in a transaction; a thrown error is the fault. */
  let inject: ((sql: string, params: readonly unknown[]) => void) | null = null;

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query<{ n: number }>(sql, params))[0]?.n ?? -1);

  const debtorFor = async (who: SeededUser = collector) => {
    const debtor = await createDebtor(app, owner);
    const debt = await createDebt(app, owner, debtor);
    await assign(app, owner, who.user.id, [debtor]);
    return { debtor, debt };
  };

  const push = (device: TestDevice, mutations: readonly MutationInput[], retained?: number) =>
    call<PushResult & { type?: string }>(app, 'POST', '/api/sync/push', {
      headers: device.headers,
      json: {
        protocol: 1,
        device_id: device.id,
        app_version: '1.0.0',
        schema_version: CLIENT_SCHEMA_VERSION,
        device_now: localIso(clock.now().getTime()),
        health: health(),
        ...(retained === undefined ? {} : { retained_from_seq: retained }),
        mutations,
      },
    });

  const register = (device: TestDevice) =>
    call<{ acked_through_seq: number; created: boolean }>(app, 'POST', '/api/sync/devices', {
      headers: device.headers,
      json: {
        protocol: 1,
        device_id: device.id,
        device_now: localIso(clock.now().getTime()),
        health: health(),
      },
    });

  const lastSeq = async (deviceId: string) =>
    Number(
      (
        await db.query<{ last_seq: number }>('SELECT last_seq FROM sync_devices WHERE id = $1', [
          deviceId,
        ])
      )[0]?.last_seq ?? -1,
    );

  const visitsOf = (ids: string[]) =>
    count('SELECT count(*)::int AS n FROM visits WHERE id = ANY($1::uuid[])', [ids]);

  /**
   * What restoring a backup taken when the device was at `seq` leaves: its later facts, their
   * effects and feed entries gone; with `seq` null the device was registered after the backup.
   */
  const restoreTo = async (deviceId: string, seq: number | null) => {
    const ids = (
      await db.query<{ mutation_id: string }>(
        'SELECT mutation_id FROM sync_mutations WHERE device_id = $1 AND device_seq > $2',
        [deviceId, seq ?? 0],
      )
    ).map((r) => r.mutation_id);
    await db.query('DELETE FROM visits WHERE id = ANY($1::uuid[])', [ids]);
    await db.query('DELETE FROM payments WHERE id = ANY($1::uuid[])', [ids]);
    await db.query('DELETE FROM changes WHERE entity_id::text = ANY($1::text[])', [ids]);
    await db.query('DELETE FROM sync_mutations WHERE mutation_id = ANY($1::uuid[])', [ids]);
    if (seq === null) {
      await db.query('DELETE FROM sync_seq_losses WHERE device_id = $1', [deviceId]);
      await db.query('DELETE FROM sync_devices WHERE id = $1', [deviceId]);
    } else await db.query('UPDATE sync_devices SET last_seq = $2 WHERE id = $1', [deviceId, seq]);
  };

  /** `n` visits about `debtor`, seqs continuing the device's counter. */
  const visits = (device: TestDevice, debtor: string, n: number) =>
    Array.from({ length: n }, () => device.mutation('visit.recorded', debtor, visitPayload()));

  const statusOf = async (deviceId: string) => {
    const res = await call<{
      items: { deviceId: string; level: string; reasons: { code: string; message: string }[] }[];
    }>(app, 'GET', '/api/status/devices', { headers: owner.headers });
    expect(res.status).toBe(200);
    return res.body.items.find((i) => i.deviceId === deviceId);
  };

  beforeAll(async () => {
    db = await openTestDb(kind);
    const wrap = (tx: Tx): Tx => ({
      kind: tx.kind,
      afterCommit: (cb) => tx.afterCommit(cb),
      exec: (sql) => tx.exec(sql),
      query: (sql, params = []) => {
        inject?.(sql, params);
        return tx.query(sql, params);
      },
    });
    const faulty: Db = {
      kind: db.kind,
      query: (sql, params) => db.query(sql, params),
      exec: (sql) => db.exec(sql),
      close: () => db.close(),
      transaction: (fn, options) => db.transaction((tx) => fn(wrap(tx)), options),
    };
    app = createApp({ db: faulty, version: 'test', now: clock.now, logError: () => {} });
    owner = await seedUser(db, 'owner', { now: clock.now() });
    collector = await seedUser(db, 'collector', { now: clock.now() });
    other = await seedUser(db, 'collector', { now: clock.now() });
  });
  afterAll(async () => {
    inject = null;
    await db.close();
  });

  test('a permanent error mid-batch rolls back only its fact, feed entries included; the others apply in one request', async () => {
    const { debtor, debt } = await debtorFor();
    const { debtor: other2, debt: otherDebt } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const first = device.mutation('visit.recorded', debtor, visitPayload());
    const bad = device.mutation('agreement.proposed', other2, {
      debtIds: [otherDebt],
      downPayment: 20_000,
      installments: 4,
      firstDueDate: '2025-03-20',
    });
    const third = device.mutation('visit.recorded', debtor, visitPayload('refused'));
    const payment = device.mutation('payment.recorded', debtor, paymentPayload(debt, 700, 'B-1'));
    const last = device.mutation('visit.recorded', other2, visitPayload('moved'));
    // The agreement row (and its feed entry) is written, then a later statement of the same fact
    // fails as a constraint would.
    inject = (sql, params) => {
      if (sql.startsWith('INSERT INTO agreement_debts') && params[0] === bad.mutation_id)
        throw Object.assign(new Error('simulated check violation'), { code: '23514' });
    };
    const res = await push(device, [first, bad, third, payment, last]).finally(() => {
      inject = null;
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.acked_through_seq).toBe(5);
    expect(res.body.results.map((r) => [r.device_seq, r.status, r.reason?.split(':')[0]])).toEqual([
      [1, 'applied', undefined],
      [2, 'rejected', 'invalid_data'],
      [3, 'applied', undefined],
      [4, 'applied', undefined],
      [5, 'applied', undefined],
    ]);
    expect(
      await count('SELECT count(*)::int AS n FROM agreements WHERE id = $1', [bad.mutation_id]),
    ).toBe(0);
    expect(
      await count('SELECT count(*)::int AS n FROM changes WHERE debtor_id = $1 AND entity = $2', [
        other2,
        'agreement',
      ]),
    ).toBe(0);
    const ok = [first, third, last].map((m) => m.mutation_id);
    expect(await visitsOf(ok)).toBe(3);
    // Every applied fact after the rolled-back one reached the pull feed, in seq order.
    const feed = await db.query<{ entity_id: string }>(
      'SELECT entity_id::text AS entity_id FROM changes WHERE entity_id::text = ANY($1::text[]) ORDER BY id',
      [[...ok, payment.mutation_id, bad.mutation_id]],
    );
    expect(feed.map((r) => r.entity_id)).toEqual([
      first.mutation_id,
      third.mutation_id,
      payment.mutation_id,
      last.mutation_id,
    ]);
    expect(
      await db.query('SELECT status FROM sync_mutations WHERE mutation_id = $1', [bad.mutation_id]),
    ).toEqual([{ status: 'rejected' }]);
    expect(await lastSeq(device.id)).toBe(5);
    // A device pulling now gets the applied facts and nothing of the rejected one.
    await device.sync();
    expect(device.state.has(`visit:${last.mutation_id}`)).toBe(true);
    expect(device.state.has(`agreement:${bad.mutation_id}`)).toBe(false);
    // The same mutation twice in one request: applied once, then answered as a duplicate.
    const again = device.mutation('visit.recorded', debtor, visitPayload());
    const twice = await push(device, [again, again]);
    expect(twice.body.results.map((r) => r.status)).toEqual(['applied', 'duplicate']);
    expect(await visitsOf([again.mutation_id])).toBe(1);
  });

  test.each([
    [
      'in the 4th fact',
      // The visit rows travel as one JSON parameter (server/db/bulk.ts), in both ways of applying.
      (sql: string, params: readonly unknown[], victim: string) =>
        sql.startsWith('INSERT INTO visits') && String(params[0]).includes(victim),
    ],
    [
      'at the feed write just before COMMIT',
      (sql: string) => sql.startsWith('INSERT INTO changes'),
    ],
  ])(
    'a transient error %s that persists rolls the whole request back; the resend applies it once',
    async (_name, hits) => {
      const { debtor, debt } = await debtorFor();
      const device = testDevice(app, collector.headers, clock.now);
      const warmup = visits(device, debtor, 2);
      expect((await push(device, warmup)).body.acked_through_seq).toBe(2);
      const batch = [
        ...visits(device, debtor, 2),
        device.mutation(
          'payment.recorded',
          debtor,
          paymentPayload(debt, 900, `B-2-${_name.length}`),
        ),
        ...visits(device, debtor, 2),
      ];
      const victim = batch[3]?.mutation_id;
      let fired = 0;
      inject = (sql, params) => {
        if (hits(sql, params, victim ?? '')) {
          fired++;
          throw new Error('connection reset by peer');
        }
      };
      const res = await push(device, batch).finally(() => {
        inject = null;
      });
      // Once in the grouped attempt (server/sync/push-group.ts), once in the request's own
      // set-based attempt, once in its per-fact fallback: then the request gives up.
      expect(fired).toBe(3);
      expect(res.status).toBe(503);
      expect(res.body.acked_through_seq).toBe(2);
      const ids = batch.map((m) => m.mutation_id);
      expect(await visitsOf(ids)).toBe(0);
      expect(
        await count('SELECT count(*)::int AS n FROM payments WHERE id = ANY($1::uuid[])', [ids]),
      ).toBe(0);
      expect(
        await count(
          'SELECT count(*)::int AS n FROM sync_mutations WHERE mutation_id = ANY($1::uuid[])',
          [ids],
        ),
      ).toBe(0);
      expect(
        await count(
          'SELECT count(*)::int AS n FROM changes WHERE entity_id::text = ANY($1::text[])',
          [ids],
        ),
      ).toBe(0);
      expect(await lastSeq(device.id)).toBe(2);
      const retry = await push(device, batch);
      expect(retry.status).toBe(200);
      expect(retry.body.acked_through_seq).toBe(7);
      expect(retry.body.results.map((r) => r.status)).toEqual(Array(5).fill('applied'));
      expect(await visitsOf(ids)).toBe(4);
    },
  );

  test('after a restore to seq 5, a device holding only 11.. is re-based: loss 6..10 recorded, audited, shown red', async () => {
    const { debtor } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const all = visits(device, debtor, 13);
    expect((await push(device, all.slice(0, 10))).body.acked_through_seq).toBe(10);
    await restoreTo(device.id, 5);
    const res = await push(device, all.slice(10), 11);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.acked_through_seq).toBe(13);
    expect(res.body.results.map((r) => [r.device_seq, r.status])).toEqual([
      [11, 'applied'],
      [12, 'applied'],
      [13, 'applied'],
    ]);
    expect(await visitsOf(all.slice(10).map((m) => m.mutation_id))).toBe(3);
    expect(await lastSeq(device.id)).toBe(13);
    expect(
      await db.query(
        'SELECT collector_id, from_seq, to_seq FROM sync_seq_losses WHERE device_id = $1',
        [device.id],
      ),
    ).toEqual([{ collector_id: collector.user.id, from_seq: 6, to_seq: 10 }]);
    expect(
      await db.query(
        `SELECT actor_id, detail FROM audit_log WHERE action = 'sync.seq_rebased' AND entity_id = $1`,
        [device.id],
      ),
    ).toEqual([
      {
        actor_id: collector.user.id,
        detail: { lostFromSeq: 6, lostToSeq: 10, retainedFromSeq: 11 },
      },
    ]);
    // The resend of a lost range answers nothing new: it is behind last_seq now.
    const lateResend = await push(device, all.slice(10), 11);
    expect(lateResend.body.results.map((r) => r.status)).toEqual(Array(3).fill('duplicate'));
    expect(
      await count('SELECT count(*)::int AS n FROM sync_seq_losses WHERE device_id = $1', [
        device.id,
      ]),
    ).toBe(1);

    const status = await statusOf(device.id);
    expect(status?.level).toBe('red');
    const lost = status?.reasons.find((r) => r.code === 'seq_lost');
    expect(lost?.message).toContain('nº 6 a 10');
    // Past the 7-day window the light no longer shows it (the loss stays recorded).
    clock.advance(8 * DAY);
    try {
      const { token } = await db.transaction((tx) =>
        issueToken(tx, { userId: owner.user.id, kind: 'session', now: clock.now() }),
      );
      const later = await call<{ items: { deviceId: string; reasons: { code: string }[] }[] }>(
        app,
        'GET',
        '/api/status/devices',
        { headers: { authorization: `Bearer ${token}` } },
      );
      const mine = later.body.items.find((i) => i.deviceId === device.id);
      expect(mine?.reasons.map((r) => r.code)).not.toContain('seq_lost');
    } finally {
      clock.advance(-8 * DAY);
    }
  });

  test('a device that still holds the missing seqs gets the gap answer; nothing applies until they arrive', async () => {
    const { debtor } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const all = visits(device, debtor, 12);
    expect((await push(device, all.slice(0, 10))).body.acked_through_seq).toBe(10);
    await restoreTo(device.id, 5);
    for (const retained of [6, 1, undefined]) {
      const gap = await push(device, all.slice(10), retained);
      expect(gap.status).toBe(200);
      expect(gap.body).toMatchObject({ acked_through_seq: 5, results: [] });
    }
    expect(await visitsOf(all.slice(5).map((m) => m.mutation_id))).toBe(0);
    const full = await push(device, all.slice(5), 6);
    expect(full.body.acked_through_seq).toBe(12);
    expect(full.body.results.map((r) => r.status)).toEqual(Array(7).fill('applied'));
    expect(await visitsOf(all.map((m) => m.mutation_id))).toBe(12);
    expect(
      await count('SELECT count(*)::int AS n FROM sync_seq_losses WHERE device_id = $1', [
        device.id,
      ]),
    ).toBe(0);
    expect((await statusOf(device.id))?.reasons.map((r) => r.code)).not.toContain('seq_lost');
  });

  test('retained_from_seq above the first seq sent never counts a sent seq as lost', async () => {
    const { debtor } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const all = visits(device, debtor, 9);
    await push(device, all.slice(0, 5));
    await restoreTo(device.id, 3);
    const res = await push(device, all.slice(6), 20);
    expect(res.body.acked_through_seq).toBe(9);
    expect(
      await db.query('SELECT from_seq, to_seq FROM sync_seq_losses WHERE device_id = $1', [
        device.id,
      ]),
    ).toEqual([{ from_seq: 4, to_seq: 6 }]);
  });

  test('a device registered after the backup re-registers with its own id and pushes on; its id stays its collector’s', async () => {
    const { debtor } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    expect((await register(device)).status).toBe(201);
    const all = visits(device, debtor, 5);
    expect((await push(device, all.slice(0, 3))).body.acked_through_seq).toBe(3);
    await restoreTo(device.id, null);
    const again = await register(device);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ acked_through_seq: 0, created: true });
    const res = await push(device, all.slice(3), 4);
    expect(res.body.acked_through_seq).toBe(5);
    expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(
      await db.query('SELECT from_seq, to_seq FROM sync_seq_losses WHERE device_id = $1', [
        device.id,
      ]),
    ).toEqual([{ from_seq: 1, to_seq: 3 }]);
    // Another collector cannot take the id over, before or after a restore.
    const thief = testDevice(app, other.headers, clock.now, { id: device.id });
    expect((await register(thief)).status).toBe(403);
    expect((await push(thief, [], 1)).status).toBe(403);
  });
});
