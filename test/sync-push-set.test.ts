/**
 * The set-based push (server/sync/push-set.ts) against the per-fact one it replaced as the first
 * attempt, on PGlite and PostgreSQL:
 * - the same random batch (visits, payments in cash or PIX on open/cancelled/foreign debts, some
 *   above what is open, with reused receipt numbers, promises, unknown types, invalid payloads, resends within the batch) about the same
 *   kinds of debtors (assigned, formerly assigned within the grace window, never assigned,
 *   nonexistent) gets the same per-fact results and writes the same rows both ways;
 * - the shape that makes it fast: a batch of visits and payments is one INSERT per table, one
 *   assignment read, no savepoint, and a statement count that does not grow with the batch; a
 *   fact refused by a rule sends the batch to the per-fact fallback, which gives the same answers.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { CLIENT_SCHEMA_VERSION, type MutationInput } from '#shared/sync/envelope.schema';
import type { MutationResult } from '#shared/sync/push.schema';
import { createApp } from '../server/app';
import type { Db, Tx } from '../server/db/db';
import { issueToken } from '../server/auth/tokens.repo';
import { type Mode, pushMutations } from '../server/sync/push';
import { seedUser, type SeededUser } from './helpers/auth';
import { call, expectProblem } from './helpers/http';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import { health, localIso, paymentPayload, visitPayload } from './helpers/sync';
import { forEachDb, openTestDb } from './helpers/test-db';

const NOW = new Date('2025-03-10T15:00:00Z');

type FactSpec =
  | { kind: 'visit'; debtor: number; valid: boolean }
  | {
      kind: 'payment';
      debtor: number;
      debt: 'own' | 'cancelled' | 'other';
      receipt: 'R1' | 'R2' | 'R3' | 'new';
      /** 60,000 fits once in a R$ 1.000 debt, not twice; 500,000 never (refused above open). */
      amount: number;
      method: 'cash' | 'pix';
    }
  | { kind: 'promise'; debtor: number; amount: number }
  | { kind: 'unknown'; debtor: number }
  | { kind: 'resend'; of: number };

const debtorArb = fc.nat({ max: 4 });
const factArb: fc.Arbitrary<FactSpec> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('visit' as const),
      debtor: debtorArb,
      valid: fc.boolean(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('payment' as const),
      debtor: debtorArb,
      debt: fc.constantFrom('own' as const, 'own' as const, 'cancelled' as const, 'other' as const),
      receipt: fc.constantFrom('R1' as const, 'R2' as const, 'R3' as const, 'new' as const),
      amount: fc.constantFrom(1_000, 1_000, 60_000, 500_000),
      method: fc.constantFrom('cash' as const, 'cash' as const, 'pix' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('promise' as const),
      debtor: debtorArb,
      amount: fc.integer({ min: 1, max: 200_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unknown' as const), debtor: debtorArb }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('resend' as const), of: fc.nat({ max: 30 }) }),
  },
);

/**
 * One collector's world: debtors 0–1 assigned (an open and a cancelled debt each), 2 assigned
 * until just now (inside the grace window), 3 never theirs, 4 nonexistent.
 */
interface World {
  collector: SeededUser;
  deviceId: string;
  debtors: string[];
  open: string[];
  cancelled: string[];
  seq: number;
}

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  /** Sees every statement of the app's transactions while set. */
  let spy: ((sql: string) => void) | null = null;

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', logError: () => {} });
    owner = await seedUser(db, 'owner');
  });
  afterAll(async () => {
    await db.close();
  });

  /** The Db the pushes below run on: the real one, every transaction statement shown to `spy`. */
  const spied = (): Db => ({
    kind: db.kind,
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
    transaction: (fn, options) =>
      db.transaction(
        (tx) =>
          fn({
            kind: tx.kind,
            afterCommit: (cb) => tx.afterCommit(cb),
            exec: (sql) => tx.exec(sql),
            query: (sql, params) => {
              spy?.(sql);
              return tx.query(sql, params);
            },
          } satisfies Tx),
        options,
      ),
  });

  const push = (world: World, mutations: MutationInput[], only?: Mode) =>
    pushMutations(spied(), {
      request: {
        protocol: 1,
        device_id: world.deviceId,
        app_version: '1.0.0',
        schema_version: CLIENT_SCHEMA_VERSION,
        device_now: localIso(NOW.getTime()),
        health: health(),
        mutations,
      },
      collectorId: world.collector.user.id,
      now: NOW,
      clockOffsetMs: 0,
      ...(only ? { only } : {}),
    });

  const mutation = (
    world: World,
    type: string,
    debtor: string,
    payload: unknown,
  ): MutationInput => ({
    mutation_id: uuidv7(),
    device_id: world.deviceId,
    device_seq: ++world.seq,
    type,
    type_version: 1,
    debtor_id: debtor,
    occurred_at: localIso(NOW.getTime() - 60_000),
    payload,
  });

  async function makeWorld(): Promise<World> {
    const collector = await seedUser(db, 'collector');
    const debtors: string[] = [];
    const open: string[] = [];
    const cancelled: string[] = [];
    for (let i = 0; i < 4; i++) {
      const debtor = await createDebtor(app, owner);
      debtors.push(debtor);
      open.push(await createDebt(app, owner, debtor));
      cancelled.push(await createDebt(app, owner, debtor));
    }
    await db.query(`UPDATE debts SET status = 'cancelled' WHERE id = ANY($1::uuid[])`, [cancelled]);
    debtors.push(uuidv7());
    open.push(uuidv7());
    cancelled.push(uuidv7());
    await assign(app, owner, collector.user.id, debtors.slice(0, 3));
    const un = await call(app, 'POST', '/api/assignments/unassign', {
      headers: owner.headers,
      json: { debtorIds: [debtors[2]] },
    });
    expect(un.status).toBe(200);
    const world: World = {
      collector,
      deviceId: crypto.randomUUID(),
      debtors,
      open,
      cancelled,
      seq: 0,
    };
    // A receipt the collector already used: a later R1 must be refused.
    const first = await push(world, [
      mutation(
        world,
        'payment.recorded',
        debtors[0] ?? '',
        paymentPayload(open[0] ?? '', 100, 'R1'),
      ),
    ]);
    expect(first.results.map((r) => r.status)).toEqual(['applied']);
    return world;
  }

  let receipts = 0;
  function build(world: World, specs: readonly FactSpec[]): MutationInput[] {
    const out: MutationInput[] = [];
    for (const spec of specs) {
      if (spec.kind === 'resend') {
        const again = out[spec.of % Math.max(out.length, 1)];
        if (again) out.push(again);
        continue;
      }
      const debtor = world.debtors[spec.debtor] ?? '';
      if (spec.kind === 'visit')
        out.push(
          mutation(
            world,
            'visit.recorded',
            debtor,
            visitPayload(spec.valid ? 'not_home' : 'dancing'),
          ),
        );
      else if (spec.kind === 'payment') {
        const debt =
          spec.debt === 'own'
            ? world.open[spec.debtor]
            : spec.debt === 'cancelled'
              ? world.cancelled[spec.debtor]
              : world.open[(spec.debtor + 1) % 4];
        const receipt = spec.receipt === 'new' ? `N${++receipts}` : spec.receipt;
        out.push(
          mutation(world, 'payment.recorded', debtor, {
            ...paymentPayload(debt ?? '', spec.amount, receipt),
            method: spec.method,
          }),
        );
      } else if (spec.kind === 'promise')
        out.push(
          mutation(world, 'promise.created', debtor, {
            debtIds: [world.open[spec.debtor]],
            amount: spec.amount,
            dueDate: '2025-03-20',
            madeOn: '2025-03-10',
          }),
        );
      else out.push(mutation(world, 'visit.teleported', debtor, {}));
    }
    return out;
  }

  /** Results with ids replaced by their position, so two worlds compare. */
  const shape = (results: readonly MutationResult[], batch: readonly MutationInput[]) =>
    results.map((r) => ({
      at: batch.findIndex((m) => m.mutation_id === r.mutation_id),
      status: r.status,
      reason: r.reason,
      original: r.original,
    }));

  /** What the world's debtors hold, by debtor position. */
  async function rows(world: World) {
    const count = async (table: string, extra = '') =>
      Promise.all(
        world.debtors.map(async (d) =>
          Number(
            (
              await db.query<{ n: number }>(
                `SELECT count(*)::int AS n FROM ${table} WHERE debtor_id = $1 ${extra}`,
                [d],
              )
            )[0]?.n,
          ),
        ),
      );
    return {
      visits: await count('visits'),
      contacts: await count('contact_log'),
      payments: await count('payments'),
      unassignedPayments: await count('payments', 'AND recorded_while_unassigned'),
      promises: await count('promises'),
      feed: await count('changes'),
    };
  }

  test('the same random batch gets the same answers and rows set-based and one fact at a time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(factArb, { minLength: 1, maxLength: 25 }), async (specs) => {
        const [a, b] = [await makeWorld(), await makeWorld()];
        const batchA = build(a, specs);
        const batchB = build(b, specs);
        const setBased = await push(a, batchA);
        const perFact = await push(b, batchB, 'per_fact');
        expect(setBased.transientError).toBeUndefined();
        expect(perFact.transientError).toBeUndefined();
        expect(setBased.acked_through_seq).toBe(perFact.acked_through_seq);
        expect(shape(setBased.results, batchA)).toEqual(shape(perFact.results, batchB));
        expect(await rows(a)).toEqual(await rows(b));
      }),
      { numRuns: 12 },
    );
  }, 240_000);

  test('a batch of visits and payments: one INSERT per table, one assignment read, no savepoint, a constant statement count', async () => {
    const world = await makeWorld();
    const statementsFor = async (size: number) => {
      const batch = Array.from({ length: size }, (_, i) =>
        i % 2 === 0
          ? mutation(world, 'visit.recorded', world.debtors[i % 2] ?? '', visitPayload())
          : mutation(
              world,
              'payment.recorded',
              world.debtors[1] ?? '',
              paymentPayload(world.open[1] ?? '', 500, `S${++receipts}`),
            ),
      );
      const seen: string[] = [];
      spy = (sql) => seen.push(sql.replace(/\s+/g, ' ').trim());
      const out = await push(world, batch, 'set').finally(() => {
        spy = null;
      });
      expect(out.transientError).toBeUndefined();
      expect(out.results.every((r) => r.status === 'applied')).toBe(true);
      return seen;
    };
    const small = await statementsFor(4);
    const large = await statementsFor(60);
    expect(large.length).toBe(small.length);
    // 14 for the writes and the reads of scope and debts, 7 for what is open (the money facts of
    // the batch's payers, one read per table, and the ledger settings), 1 for the receipt numbers
    // already used.
    expect(large.length).toBeLessThanOrEqual(22);
    const starting = (prefix: string) => large.filter((s) => s.startsWith(prefix)).length;
    expect(starting('SAVEPOINT')).toBe(0);
    expect(starting('INSERT INTO visits')).toBe(1);
    expect(starting('INSERT INTO contact_log')).toBe(1);
    expect(starting('INSERT INTO payments')).toBe(1);
    expect(starting('INSERT INTO sync_mutations')).toBe(1);
    expect(starting('INSERT INTO changes')).toBe(1);
    expect(large.filter((s) => s.includes('FROM assignments'))).toHaveLength(1);
  });

  test('a fact refused by a rule sends the batch to the per-fact fallback: same answers, savepoints there only', async () => {
    const world = await makeWorld();
    const debtor = world.debtors[0] ?? '';
    const promise = (amount: number) =>
      mutation(world, 'promise.created', debtor, {
        debtIds: [world.open[0]],
        amount,
        dueDate: '2025-03-20',
        madeOn: '2025-03-10',
      });
    const batch = [
      mutation(world, 'visit.recorded', debtor, visitPayload()),
      promise(30_000),
      // One active promise per debtor: refused.
      promise(20_000),
      mutation(world, 'visit.recorded', debtor, visitPayload('refused')),
    ];
    const seen: string[] = [];
    spy = (sql) => seen.push(sql);
    const out = await push(world, batch).finally(() => {
      spy = null;
    });
    expect(out.results.map((r) => [r.status, r.reason])).toEqual([
      ['applied', undefined],
      ['applied', undefined],
      ['rejected', 'promise_active'],
      ['applied', undefined],
    ]);
    expect(seen.filter((s) => s.startsWith('SAVEPOINT'))).toHaveLength(4);
    expect((await rows(world)).visits[0]).toBe(2);
    expect((await rows(world)).promises[0]).toBe(1);
  });

  test('the one-transaction device step: a revoked phone pushes nothing, a new session is tied to the phone', async () => {
    const world = await makeWorld();
    const body = (mutations: MutationInput[], pending: number) => ({
      protocol: 1,
      device_id: world.deviceId,
      app_version: '1.0.0',
      schema_version: CLIENT_SCHEMA_VERSION,
      device_now: localIso(Date.now()),
      health: health({ outbox_pending: pending }),
      mutations,
    });
    const tokenOf = async () =>
      (
        await db.query<{ token_id: string | null }>(
          'SELECT token_id FROM sync_devices WHERE id = $1',
          [world.deviceId],
        )
      )[0]?.token_id;
    const visit = mutation(world, 'visit.recorded', world.debtors[0] ?? '', visitPayload());
    // A second session of the same collector on the same phone: the device follows it.
    const other = await db.transaction((tx) =>
      issueToken(tx, { userId: world.collector.user.id, kind: 'session', now: new Date() }),
    );
    const before = await tokenOf();
    const moved = await call<{ acked_through_seq: number }>(app, 'POST', '/api/sync/push', {
      headers: { authorization: `Bearer ${other.token}` },
      json: body([visit], 7),
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.acked_through_seq).toBe(visit.device_seq);
    expect(await tokenOf()).toBe(other.id);
    expect(other.id).not.toBe(before);
    // The owner cuts the phone off; the collector signs in again on it and tries to push: nothing
    // of the request is kept, not even its health report.
    const cut = await call(
      app,
      'POST',
      `/api/users/${world.collector.user.id}/devices/${world.deviceId}/revoke`,
      { headers: owner.headers },
    );
    expect(cut.status).toBe(200);
    const fresh = await db.transaction((tx) =>
      issueToken(tx, { userId: world.collector.user.id, kind: 'session', now: new Date() }),
    );
    const late = mutation(world, 'visit.recorded', world.debtors[0] ?? '', visitPayload());
    const refused = await call(app, 'POST', '/api/sync/push', {
      headers: { authorization: `Bearer ${fresh.token}` },
      json: body([late], 9),
    });
    expectProblem(refused, 403, 'device-revoked');
    expect((await db.query('SELECT 1 FROM visits WHERE id = $1', [late.mutation_id])).length).toBe(
      0,
    );
    const [row] = await db.query<{ outbox_pending: number; last_seq: number }>(
      'SELECT outbox_pending, last_seq FROM sync_devices WHERE id = $1',
      [world.deviceId],
    );
    expect(row).toEqual({ outbox_pending: 7, last_seq: visit.device_seq });
  });
});
