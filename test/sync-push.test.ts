/**
 * Push exactly-once (reference/sync.md §5.3, §5.10 A, D, F) against the real app on PGlite and
 * PostgreSQL: duplicates, lost responses, a crash before commit, concurrent pushes from one device,
 * id reuse with other content, gaps, reordering, permanent errors, unknown types, clocks, field
 * edits with conflicts, and facts from a collector who lost the debtor meanwhile.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../server/app';
import type { Db, Tx } from '../server/db/db';
import { forEachDb, openTestDb } from './helpers/test-db';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { issueToken } from '../server/auth/tokens.repo';
import { reprocessDeferred } from '../server/sync/maintenance';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import { paymentPayload, testDevice, visitPayload } from './helpers/sync';

const DAY = 86_400_000;

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  let collector: SeededUser;
  let other: SeededUser;
  const clock = testClock('2025-03-10T12:00:00Z');
  /** The next this-many fact-writing transactions fail after their work, before COMMIT (a crash). */
  let crashCommits = 0;

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query<{ n: number }>(sql, params))[0]?.n ?? -1);

  /** A debtor with one open debt, assigned to `who`. */
  const debtorFor = async (who: SeededUser = collector) => {
    const debtor = await createDebtor(app, owner);
    const debt = await createDebt(app, owner, debtor);
    await assign(app, owner, who.user.id, [debtor]);
    return { debtor, debt };
  };

  /** A new session for `who` at the test clock's time (sessions expire like real ones). */
  const freshSession = async (who: SeededUser) => {
    const { token } = await db.transaction((tx) =>
      issueToken(tx, { userId: who.user.id, kind: 'session', now: clock.now() }),
    );
    return { authorization: `Bearer ${token}` };
  };

  beforeAll(async () => {
    db = await openTestDb(kind);
    // The app sees a Db whose transactions can be made to die just before COMMIT.
    const faulty: Db = {
      ...db,
      kind: db.kind,
      query: (sql, params) => db.query(sql, params),
      exec: (sql) => db.exec(sql),
      close: () => db.close(),
      transaction: <T>(fn: (tx: Tx) => Promise<T>, options?: Parameters<Db['transaction']>[1]) =>
        db.transaction(async (tx) => {
          let wroteFact = false;
          const spy: Tx = {
            kind: tx.kind,
            afterCommit: (cb) => tx.afterCommit(cb),
            exec: (sql) => tx.exec(sql),
            query: (sql, params) => {
              if (sql.includes('INSERT INTO sync_mutations')) wroteFact = true;
              return tx.query(sql, params);
            },
          };
          const result = await fn(spy);
          if (crashCommits > 0 && wroteFact) {
            crashCommits--;
            throw new Error('simulated crash before commit');
          }
          return result;
        }, options),
    };
    app = createApp({ db: faulty, version: 'test', now: clock.now, logError: () => {} });
    owner = await seedUser(db, 'owner', { now: clock.now() });
    collector = await seedUser(db, 'collector', { now: clock.now() });
    other = await seedUser(db, 'collector', { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  test('duplicate batch and lost response: the retry answers the stored results, no double effect', async () => {
    const { debtor, debt } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const batch = [
      device.mutation('visit.recorded', debtor, visitPayload('paid')),
      device.mutation('payment.recorded', debtor, paymentPayload(debt, 5_000, 'R-100')),
    ];
    const first = await device.push(batch);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.acked_through_seq).toBe(2);
    expect(first.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    // The response is "lost": the client resends the same batch, twice.
    for (let i = 0; i < 2; i++) {
      const again = await device.push(batch);
      expect(again.body.acked_through_seq).toBe(2);
      expect(again.body.results).toEqual([
        expect.objectContaining({ status: 'duplicate', original: { status: 'applied' } }),
        expect.objectContaining({ status: 'duplicate', original: { status: 'applied' } }),
      ]);
    }
    const ids = batch.map((m) => m.mutation_id);
    expect(
      await count('SELECT count(*)::int AS n FROM visits WHERE id = ANY($1::uuid[])', [ids]),
    ).toBe(1);
    expect(
      await count('SELECT count(*)::int AS n FROM payments WHERE id = ANY($1::uuid[])', [ids]),
    ).toBe(1);
    const [payment] = await db.query<{ status: string; reported_by: string; device_id: string }>(
      'SELECT status, reported_by, device_id FROM payments WHERE id = $1',
      [batch[1]?.mutation_id],
    );
    expect(payment).toEqual({
      status: 'pending',
      reported_by: collector.user.id,
      device_id: device.id,
    });
  });

  test('crash before commit: nothing is kept, the resend applies exactly once', async () => {
    const { debtor } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    // Registration first, so the crash hits the mutation's own transaction.
    expect((await device.push([])).status).toBe(200);
    const m = device.mutation('visit.recorded', debtor, visitPayload());
    // Every way of applying the batch dies: the grouped attempt (server/sync/push-group.ts: the
    // device is known), then the request alone set-based, then its per-fact fallback.
    crashCommits = 3;
    const crashed = await device.push([m]);
    expect(crashCommits).toBe(0);
    expect(crashed.status).toBe(503);
    expect(crashed.body.acked_through_seq).toBe(0);
    expect(
      await count('SELECT count(*)::int AS n FROM visits WHERE id = $1', [m.mutation_id]),
    ).toBe(0);
    const retry = await device.push([m]);
    expect(retry.body.results.map((r) => r.status)).toEqual(['applied']);
    expect(
      await count('SELECT count(*)::int AS n FROM visits WHERE id = $1', [m.mutation_id]),
    ).toBe(1);
  });

  test('a set-based attempt that dies before COMMIT leaves nothing; the per-fact fallback applies each fact once', async () => {
    const { debtor, debt } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const batch = [
      device.mutation('visit.recorded', debtor, visitPayload()),
      device.mutation('payment.recorded', debtor, paymentPayload(debt, 700, 'R-CRASH')),
      device.mutation('visit.recorded', debtor, visitPayload('refused')),
    ];
    crashCommits = 1;
    const res = await device.push(batch);
    expect(crashCommits).toBe(0);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.acked_through_seq).toBe(3);
    expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const ids = batch.map((m) => m.mutation_id);
    expect(
      await count('SELECT count(*)::int AS n FROM visits WHERE id = ANY($1::uuid[])', [ids]),
    ).toBe(2);
    expect(
      await count('SELECT count(*)::int AS n FROM payments WHERE id = ANY($1::uuid[])', [ids]),
    ).toBe(1);
    expect(
      await count(
        'SELECT count(*)::int AS n FROM changes WHERE entity_id::text = ANY($1::text[])',
        [ids],
      ),
    ).toBe(3);
    expect(
      await count('SELECT count(*)::int AS n FROM sync_mutations WHERE device_id = $1', [
        device.id,
      ]),
    ).toBe(3);
  });

  test('two concurrent pushes of the same batch from one device apply each fact once', async () => {
    const { debtor, debt } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const batch = [
      device.mutation('visit.recorded', debtor, visitPayload()),
      device.mutation('payment.recorded', debtor, paymentPayload(debt, 1_000, 'R-200')),
      device.mutation('visit.recorded', debtor, visitPayload('refused')),
    ];
    const [a, b, c] = await Promise.all([
      device.push(batch),
      device.push(batch),
      device.push(batch),
    ]);
    for (const res of [a, b, c]) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.acked_through_seq).toBe(3);
    }
    // Across the three answers, each mutation was applied by exactly one of them.
    for (const m of batch) {
      const statuses = [a, b, c].map(
        (res) => res.body.results.find((r) => r.mutation_id === m.mutation_id)?.status,
      );
      expect(statuses.filter((s) => s === 'applied')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(2);
    }
    const ids = batch.map((m) => m.mutation_id);
    expect(
      await count('SELECT count(*)::int AS n FROM visits WHERE id = ANY($1::uuid[])', [ids]),
    ).toBe(2);
    expect(
      await count('SELECT count(*)::int AS n FROM payments WHERE id = ANY($1::uuid[])', [ids]),
    ).toBe(1);
    expect(
      await count('SELECT count(*)::int AS n FROM sync_mutations WHERE device_id = $1', [
        device.id,
      ]),
    ).toBe(3);
  });

  test('same mutation id with other content is rejected, nothing applied, an alert is logged', async () => {
    const { debtor, debt } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const original = device.mutation(
      'payment.recorded',
      debtor,
      paymentPayload(debt, 2_000, 'R-300'),
    );
    await device.push([original]);
    const tampered = { ...original, payload: paymentPayload(debt, 200_000, 'R-300') };
    const res = await device.push([tampered]);
    expect(res.body.results).toEqual([
      { mutation_id: original.mutation_id, status: 'rejected', reason: 'idempotency_mismatch' },
    ]);
    const [row] = await db.query<{ amount_cents: number }>(
      'SELECT amount_cents FROM payments WHERE id = $1',
      [original.mutation_id],
    );
    expect(row?.amount_cents).toBe(2_000);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'sync.idempotency_mismatch' AND entity_id = $1`,
        [original.mutation_id],
      ),
    ).toBe(1);
  });

  test('a gap stops the batch at acked_through_seq; resending from there applies in order', async () => {
    const { debtor } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const m1 = device.mutation('visit.recorded', debtor, visitPayload());
    const m2 = device.mutation('visit.recorded', debtor, visitPayload('refused'));
    const m3 = device.mutation('visit.recorded', debtor, visitPayload('moved'));
    const gap = await device.push([m2, m3]);
    expect(gap.body).toMatchObject({ acked_through_seq: 0, results: [] });
    expect(
      await count('SELECT count(*)::int AS n FROM visits WHERE id = ANY($1::uuid[])', [
        [m2.mutation_id, m3.mutation_id],
      ]),
    ).toBe(0);
    // Reordered on the wire: processed in device_seq order.
    const all = await device.push([m3, m1, m2]);
    expect(all.body.acked_through_seq).toBe(3);
    expect(all.body.results.map((r) => r.device_seq)).toEqual([1, 2, 3]);
  });

  test('promise created then cancelled offline, pushed in any split, ends cancelled', async () => {
    const { debtor, debt } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const created = device.mutation('promise.created', debtor, {
      debtIds: [debt],
      amount: 50_000,
      dueDate: '2025-03-20',
      madeOn: '2025-03-10',
    });
    const cancelled = device.mutation('promise.cancelled', debtor, {
      promiseId: created.mutation_id,
      reason: 'devedor desistiu',
    });
    // The cancellation travels first and alone: it waits for its predecessor (gap).
    expect((await device.push([cancelled])).body.acked_through_seq).toBe(0);
    const res = await device.push([cancelled, created]);
    expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const [row] = await db.query<{ status: string }>('SELECT status FROM promises WHERE id = $1', [
      created.mutation_id,
    ]);
    expect(row?.status).toBe('cancelled');
  });

  test('a permanent error is recorded and never blocks the next mutation; unknown types are deferred and kept', async () => {
    const { debtor, debt } = await debtorFor();
    const { debt: foreignDebt } = await debtorFor(other);
    const device = testDevice(app, collector.headers, clock.now);
    const bad = device.mutation('payment.recorded', debtor, paymentPayload(debt, -5, 'R-400'));
    const foreign = device.mutation(
      'payment.recorded',
      debtor,
      paymentPayload(foreignDebt, 100, 'R-401'),
    );
    const future = device.mutation('visit.photographed', debtor, { photo: 'abc' });
    const newer = device.mutation(
      'visit.recorded',
      debtor,
      { outcome: 'not_home', mood: 'ok' },
      { type_version: 2 },
    );
    const good = device.mutation('visit.recorded', debtor, visitPayload());
    const res = await device.push([bad, foreign, future, newer, good]);
    expect(res.body.acked_through_seq).toBe(5);
    expect(res.body.results.map((r) => [r.status, r.reason?.split(':')[0]])).toEqual([
      ['rejected', 'invalid_payload'],
      ['rejected', 'debt_not_found'],
      ['deferred', 'unknown_type'],
      ['deferred', 'unknown_type'],
      ['applied', undefined],
    ]);
    const kept = await db.query<{ mutation: { payload: unknown }; status: string }>(
      'SELECT mutation, status FROM sync_mutations WHERE mutation_id = $1',
      [future.mutation_id],
    );
    expect(kept).toEqual([
      { mutation: expect.objectContaining({ payload: { photo: 'abc' } }), status: 'deferred' },
    ]);
    const listed = await call<{
      items: { mutationId: string; status: string; mutation: unknown; debtorName: unknown }[];
    }>(app, 'GET', '/api/status/rejections', { headers: owner.headers });
    expect(listed.body.items.find((i) => i.mutationId === foreign.mutation_id)).toMatchObject({
      status: 'rejected',
      mutation: { payload: { receiptNumber: 'R-401' } },
    });
    // The owner's list names the debtor (the foreign one is still a debtor row, just not this
    // collector's); the deferred one too.
    for (const item of listed.body.items) expect(typeof item.debtorName).toBe('string');
    // Rejections are permanent: resending answers the stored outcome.
    const again = await device.push([bad]);
    expect(again.body.results[0]).toMatchObject({
      status: 'duplicate',
      original: { status: 'rejected' },
    });
  });

  test('deferred mutations are applied by reprocessing once the server understands them', async () => {
    const { debtor } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const newer = device.mutation(
      'visit.recorded',
      debtor,
      { outcome: 'refused' },
      { type_version: 2 },
    );
    const later = device.mutation('visit.recorded', debtor, visitPayload());
    const res = await device.push([newer, later]);
    expect(res.body.results.map((r) => r.status)).toEqual(['deferred', 'applied']);
    const before = await reprocessDeferred(db, clock.now());
    expect(before).toMatchObject({ applied: 0, rejected: 0 });
    expect(before.stillDeferred).toBeGreaterThanOrEqual(1);
    // "Upgrade": this build learns version 2 — simulated by the stored envelope naming version 1.
    await db.query(
      `UPDATE sync_mutations SET mutation = jsonb_set(mutation, '{type_version}', '1') WHERE mutation_id = $1`,
      [newer.mutation_id],
    );
    expect(await reprocessDeferred(db, clock.now())).toEqual({
      applied: 1,
      conflict: 0,
      rejected: 0,
      stillDeferred: before.stillDeferred - 1,
    });
    const [visit] = await db.query<{ outcome: string }>(
      'SELECT outcome FROM visits WHERE id = $1',
      [newer.mutation_id],
    );
    expect(visit?.outcome).toBe('refused');
    const again = await device.push([newer]);
    expect(again.body.results[0]).toMatchObject({
      status: 'duplicate',
      original: { status: 'applied' },
    });
  });

  test('a receipt number used twice by the collector is rejected without wedging', async () => {
    const { debtor, debt } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const a = device.mutation('payment.recorded', debtor, paymentPayload(debt, 100, 'R-DUP'));
    const b = device.mutation('payment.recorded', debtor, paymentPayload(debt, 200, 'R-DUP'));
    const c = device.mutation('visit.recorded', debtor, visitPayload());
    const res = await device.push([a, b, c]);
    expect(res.body.results.map((r) => r.reason ?? r.status)).toEqual([
      'applied',
      'duplicate_receipt',
      'applied',
    ]);
  });

  test('retry after 30 days offline is still deduplicated (no key expiry)', async () => {
    const { debtor } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const m = device.mutation('visit.recorded', debtor, visitPayload());
    await device.push([m]);
    clock.advance(31 * DAY);
    try {
      Object.assign(device.headers, await freshSession(collector));
      const again = await device.push([m]);
      expect(again.body.results[0]?.status).toBe('duplicate');
    } finally {
      clock.advance(-31 * DAY);
    }
  });

  describe('clocks', () => {
    test.each([
      ['+2 h', 2 * 3_600_000],
      ['−2 h', -2 * 3_600_000],
      ['year 2038', Date.parse('2038-01-20T00:00:00Z') - Date.parse('2025-03-10T12:00:00Z')],
      // A phone whose battery died and whose clock restarted at the epoch.
      ['year 1970', Date.parse('1970-01-01T00:05:00Z') - Date.parse('2025-03-10T12:00:00Z')],
    ])('device clock %s: accepted, flagged, offset stored', async (_name, skew) => {
      const { debtor } = await debtorFor();
      const device = testDevice(app, collector.headers, clock.now, { skewMs: skew });
      const res = await device.push([device.mutation('visit.recorded', debtor, visitPayload())]);
      expect(res.body.results[0]?.status).toBe('applied');
      expect(res.body.clock_flagged).toBe(true);
      expect(Math.abs(res.body.clock_offset_ms + skew)).toBeLessThan(1000);
      const [row] = await db.query<{ clock_offset_ms: number }>(
        'SELECT clock_offset_ms FROM sync_devices WHERE id = $1',
        [device.id],
      );
      expect(Math.abs(Number(row?.clock_offset_ms) + skew)).toBeLessThan(1000);
      const status = await call<{
        items: { deviceId: string; level: string; reasons: { code: string }[] }[];
      }>(app, 'GET', '/api/status/devices', { headers: owner.headers });
      const mine = status.body.items.find((i) => i.deviceId === device.id);
      expect(mine?.level).toBe('red');
      expect(mine?.reasons.map((r) => r.code)).toContain('clock_offset');
    });
  });

  test('field edits: current base applies, stale base applies LWW and records a conflict', async () => {
    const { debtor } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const [before] = await db.query<{ version: number }>(
      'SELECT version FROM debtors WHERE id = $1',
      [debtor],
    );
    const v0 = before?.version ?? 0;
    const first = device.mutation(
      'debtor.field_updated',
      debtor,
      { field: 'preferredChannel', new_value: 'whatsapp' },
      { base_version: v0 },
    );
    const stale = device.mutation(
      'debtor.field_updated',
      debtor,
      { field: 'geoPin', new_value: { lat: -23.55, lng: -46.63 } },
      { base_version: v0 },
    );
    const res = await device.push([first, stale]);
    expect(res.body.results.map((r) => [r.status, r.reason])).toEqual([
      ['applied', undefined],
      ['conflict', 'base_version_mismatch'],
    ]);
    const [row] = await db.query<{ preferred_channel: string; geo_pin: unknown }>(
      'SELECT preferred_channel, geo_pin FROM debtors WHERE id = $1',
      [debtor],
    );
    expect(row).toEqual({ preferred_channel: 'whatsapp', geo_pin: { lat: -23.55, lng: -46.63 } });
    const conflicts = await db.query<{
      field: string;
      base_version: number;
      current_version: number;
    }>('SELECT field, base_version, current_version FROM sync_conflicts WHERE debtor_id = $1', [
      debtor,
    ]);
    expect(conflicts).toEqual([{ field: 'geoPin', base_version: v0, current_version: v0 + 1 }]);
    const review = await call<{
      items: { debtor: { id: string }; field: string; appliedValue: unknown }[];
    }>(app, 'GET', '/api/status/conflicts', { headers: owner.headers });
    expect(review.body.items.filter((i) => i.debtor.id === debtor)).toEqual([
      expect.objectContaining({ field: 'geoPin', appliedValue: { lat: -23.55, lng: -46.63 } }),
    ]);
  });

  test('a phone fix replaces the contact points; an agreement proposal goes through the negotiation policy', async () => {
    const { debtor, debt } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const [row] = await db.query<{ version: number }>('SELECT version FROM debtors WHERE id = $1', [
      debtor,
    ]);
    const phone = device.mutation(
      'debtor.field_updated',
      debtor,
      {
        field: 'contactPoints',
        new_value: [{ kind: 'phone', value: '11 98888-7777', isWhatsapp: true }],
      },
      { base_version: row?.version ?? 0 },
    );
    const proposal = device.mutation('agreement.proposed', debtor, {
      debtIds: [debt],
      downPayment: 20_000,
      installments: 4,
      firstDueDate: '2025-03-20',
    });
    const greedy = device.mutation('agreement.proposed', debtor, {
      debtIds: [debt],
      installments: 2,
      firstDueDate: '2025-03-20',
    });
    const res = await device.push([phone, proposal, greedy]);
    expect(res.body.results.map((r) => [r.status, r.reason])).toEqual([
      ['applied', undefined],
      ['applied', undefined],
      ['rejected', 'agreement_active'],
    ]);
    const points = await db.query<{ value: string; is_whatsapp: boolean }>(
      'SELECT value, is_whatsapp FROM contact_points WHERE debtor_id = $1',
      [debtor],
    );
    expect(points).toEqual([{ value: '+5511988887777', is_whatsapp: true }]);
    const [agreement] = await db.query<{ status: string; proposed_by: string }>(
      'SELECT status, proposed_by FROM agreements WHERE id = $1',
      [proposal.mutation_id],
    );
    expect(agreement).toEqual({ status: 'active', proposed_by: collector.user.id });
    await device.sync();
    expect(device.state.get(`debtor:${debtor}`)?.['contactPoints']).toEqual([
      expect.objectContaining({ value: '+5511988887777', isWhatsapp: true }),
    ]);
    expect(device.state.get(`agreement:${proposal.mutation_id}`)).toMatchObject({
      status: 'active',
    });
  });

  test('reassignment while the old collector holds unsent facts: facts accepted and flagged, field edits refused', async () => {
    const { debtor, debt } = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    await device.sync();
    expect(device.state.has(`debtor:${debtor}`)).toBe(true);
    // Offline, the collector records a visit, a payment and a phone fix…
    const visit = device.mutation('visit.recorded', debtor, visitPayload('paid'));
    const payment = device.mutation(
      'payment.recorded',
      debtor,
      paymentPayload(debt, 3_000, 'R-500'),
    );
    const edit = device.mutation(
      'debtor.field_updated',
      debtor,
      { field: 'preferredChannel', new_value: 'sms' },
      { base_version: 1 },
    );
    // …while the owner moves the debtor to another collector.
    await assign(app, owner, other.user.id, [debtor]);
    const res = await device.push([visit, payment, edit]);
    expect(res.body.results.map((r) => [r.status, r.reason])).toEqual([
      ['applied', 'recorded_while_unassigned'],
      ['applied', 'recorded_while_unassigned'],
      ['rejected', 'not_assigned'],
    ]);
    const [flag] = await db.query<{ recorded_while_unassigned: boolean }>(
      'SELECT recorded_while_unassigned FROM visits WHERE id = $1',
      [visit.mutation_id],
    );
    expect(flag?.recorded_while_unassigned).toBe(true);
    // The old device loses the debtor on its next pull; the new collector sees the facts.
    await device.sync();
    expect(
      [...device.state.keys()].filter(
        (k) => k.endsWith(debtor) || device.state.get(k)?.['debtorId'] === debtor,
      ),
    ).toEqual([]);
    const theirs = testDevice(app, other.headers, clock.now);
    await theirs.sync();
    expect(theirs.state.has(`visit:${visit.mutation_id}`)).toBe(true);
    expect(theirs.state.get(`payment:${payment.mutation_id}`)?.['status']).toBe('pending');
    // Long after the grace window, facts about a debtor they lost are refused.
    clock.advance(40 * DAY);
    try {
      Object.assign(device.headers, await freshSession(collector));
      const late = device.mutation('visit.recorded', debtor, visitPayload());
      // occurred_at is "now" on the device, after the revocation and past the grace window.
      const lateRes = await device.push([late]);
      expect(lateRes.body.results[0]).toMatchObject({ status: 'rejected', reason: 'not_assigned' });
    } finally {
      clock.advance(-40 * DAY);
    }
  });

  test('a device id is bound to its collector; another user cannot push with it', async () => {
    const device = testDevice(app, collector.headers, clock.now);
    expect((await device.push([])).status).toBe(200);
    const thief = testDevice(app, other.headers, clock.now, { id: device.id });
    const res = await thief.push([]);
    expect(res.status).toBe(403);
    const office = testDevice(app, owner.headers, clock.now);
    expect((await office.push([])).status).toBe(403);
  });

  test('owner status: green for a healthy device, red for rejects and for a replaced device with pending items', async () => {
    const healthy = testDevice(app, other.headers, clock.now);
    await healthy.push([]);
    await healthy.sync();
    const lost = testDevice(app, collector.headers, clock.now);
    await lost.push([], {
      outbox_pending: 3,
      outbox_oldest_pending_at: '2025-03-10T08:00:00-03:00',
    });
    const replacement = testDevice(app, collector.headers, clock.now);
    await replacement.push([], { outbox_rejected: 1 });
    const res = await call<{
      items: { deviceId: string; level: string; asOf: string; reasons: { code: string }[] }[];
    }>(app, 'GET', '/api/status/devices', { headers: owner.headers });
    expect(res.status).toBe(200);
    const byId = new Map(res.body.items.map((i) => [i.deviceId, i]));
    expect(byId.get(healthy.id)).toMatchObject({
      level: 'green',
      reasons: [],
      asOf: clock.now().toISOString(),
    });
    expect(byId.get(lost.id)?.reasons.map((r) => r.code)).toContain('replaced_with_pending');
    expect(byId.get(healthy.id)?.reasons.map((r) => r.code)).not.toContain('storage_full');
    expect(byId.get(replacement.id)?.reasons.map((r) => r.code)).toContain('rejected_mutations');
    expect(
      (await call(app, 'GET', '/api/status/devices', { headers: collector.headers })).status,
    ).toBe(403);
  });

  test('two phones record payments for one debt at once: both kept, the balance drops by the sum', async () => {
    const { debtor, debt } = await debtorFor();
    const totalOf = async () => {
      const res = await call<{ totals: { totalDue: number } }>(
        app,
        'GET',
        `/api/debtors/${debtor}`,
        { headers: owner.headers },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.totals.totalDue;
    };
    const before = await totalOf();
    const a = testDevice(app, collector.headers, clock.now);
    const b = testDevice(app, collector.headers, clock.now);
    const pa = a.mutation('payment.recorded', debtor, paymentPayload(debt, 3_000, 'R-A1'));
    const pb = b.mutation('payment.recorded', debtor, paymentPayload(debt, 2_000, 'R-B1'));
    const [ra, rb] = await Promise.all([a.push([pa]), b.push([pb])]);
    expect([ra.body.results[0]?.status, rb.body.results[0]?.status]).toEqual([
      'applied',
      'applied',
    ]);
    for (const id of [pa.mutation_id, pb.mutation_id]) {
      const confirmed = await call(app, 'POST', `/api/payments/${id}/confirm`, {
        headers: owner.headers,
      });
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    }
    // Money adds up, never last-writer-wins.
    expect(await totalOf()).toBe(before - 5_000);
    // Each phone sees the other's payment too.
    await a.sync();
    await b.sync();
    for (const phone of [a, b])
      expect([pa, pb].map((m) => phone.state.get(`payment:${m.mutation_id}`)?.['amount'])).toEqual([
        3_000, 2_000,
      ]);
  });

  test('a phone that ran out of space says so; red until a later report clears it', async () => {
    const phone = testDevice(app, other.headers, clock.now);
    const levelOf = async () => {
      const res = await call<{
        items: { deviceId: string; level: string; reasons: { code: string; message: string }[] }[];
      }>(app, 'GET', '/api/status/devices', { headers: owner.headers });
      return res.body.items.find((i) => i.deviceId === phone.id);
    };
    await phone.push([], { storage_full: true, storage_usage: 500, storage_quota: 1_000 });
    const full = await levelOf();
    expect(full?.level).toBe('red');
    expect(full?.reasons.find((r) => r.code === 'storage_full')?.message).toMatch(/sem espaço/);
    await phone.push([], { storage_full: false });
    expect((await levelOf())?.reasons.map((r) => r.code)).not.toContain('storage_full');
    // Older apps do not send the flag at all: that reads as "not full".
    await phone.push([]);
    expect((await levelOf())?.reasons.map((r) => r.code)).not.toContain('storage_full');
  });
});
