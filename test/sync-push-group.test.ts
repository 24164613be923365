/**
 * Group commit of pushes (server/sync/push-group.ts), on PGlite and PostgreSQL: requests queued
 * together are applied in one transaction with one statement per step, each answered with what it
 * would have got alone; one bad request sends every request of its group to run alone (and fails
 * only itself); replays inside and across groups are answered from the record, never applied
 * twice; a device the group cannot take (new, another user's) is handled alone.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { CLIENT_SCHEMA_VERSION, type MutationInput } from '#shared/sync/envelope.schema';
import { createApp } from '../server/app';
import type { Db, Tx } from '../server/db/db';
import { problemOf } from '../server/http/problem';
import type { PushInput, PushOutcome } from '../server/sync/push';
import { createPushGrouper } from '../server/sync/push-group';
import { seedUser, type SeededUser } from './helpers/auth';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import { health, localIso, paymentPayload, visitPayload } from './helpers/sync';
import { forEachDb, openTestDb } from './helpers/test-db';

const NOW = new Date('2025-03-10T15:00:00Z');

/** One collector's phone with an assigned debtor (R$ 1.000 open) and its own sequence. */
interface Phone {
  collector: SeededUser;
  deviceId: string;
  debtor: string;
  debt: string;
  seq: number;
}

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  /** Every transaction's statements, one list per transaction, while set. */
  let txLog: string[][] | null = null;

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', logError: () => {} });
    owner = await seedUser(db, 'owner');
  });
  afterAll(async () => {
    await db.close();
  });

  const logged: Db = {
    get kind() {
      return db.kind;
    },
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
    transaction: (fn, options) =>
      db.transaction((tx) => {
        const seen: string[] = [];
        txLog?.push(seen);
        return fn({
          kind: tx.kind,
          afterCommit: (cb) => tx.afterCommit(cb),
          exec: (sql) => tx.exec(sql),
          query: (sql, params) => {
            seen.push(sql.trim());
            return tx.query(sql, params);
          },
        } satisfies Tx);
      }, options),
  };

  async function phone(collector?: SeededUser): Promise<Phone> {
    const who = collector ?? (await seedUser(db, 'collector'));
    const debtor = await createDebtor(app, owner);
    const debt = await createDebt(app, owner, debtor);
    await assign(app, owner, who.user.id, [debtor]);
    const p: Phone = { collector: who, deviceId: crypto.randomUUID(), debtor, debt, seq: 0 };
    // Registered (the group takes known devices only; a new one is covered below).
    const grouper = createPushGrouper(db);
    await grouper(input(p, []));
    return p;
  }

  const mutation = (p: Phone, type: string, payload: unknown): MutationInput => ({
    mutation_id: uuidv7(),
    device_id: p.deviceId,
    device_seq: ++p.seq,
    type,
    type_version: 1,
    debtor_id: p.debtor,
    occurred_at: localIso(NOW.getTime() - 60_000),
    payload,
  });
  const visit = (p: Phone) => mutation(p, 'visit.recorded', visitPayload());
  const payment = (p: Phone, amount: number, receipt: string) =>
    mutation(p, 'payment.recorded', paymentPayload(p.debt, amount, receipt));
  const promise = (p: Phone, amount: number) =>
    mutation(p, 'promise.created', {
      debtIds: [p.debt],
      amount,
      dueDate: '2025-03-20',
      madeOn: '2025-03-10',
    });

  function input(p: Phone, mutations: MutationInput[]): PushInput {
    return {
      request: {
        protocol: 1,
        device_id: p.deviceId,
        app_version: '1.0.0',
        schema_version: CLIENT_SCHEMA_VERSION,
        device_now: localIso(NOW.getTime()),
        health: health({ outbox_pending: mutations.length }),
        mutations,
      },
      collectorId: p.collector.user.id,
      now: NOW,
      clockOffsetMs: 0,
    };
  }

  /**
   * Sends every request in one event-loop turn to a grouper with one slot: they are grouped
   * greedily in arrival order (one request per phone and no mutation id twice per group).
   */
  async function together(
    requests: readonly [Phone, MutationInput[]][],
  ): Promise<{ outcomes: PushOutcome[]; transactions: string[][] }> {
    const grouper = createPushGrouper(logged, { slots: 1 });
    txLog = [];
    try {
      const outcomes = await Promise.all(requests.map(([p, m]) => grouper(input(p, m))));
      return { outcomes, transactions: txLog };
    } finally {
      txLog = null;
    }
  }

  const statuses = (o: PushOutcome | undefined) =>
    o?.results.map((r) => [r.status, 'reason' in r ? r.reason : undefined]);
  const count = async (sql: string, params: unknown[]) =>
    (await db.query<{ n: number }>(sql, params))[0]?.n;
  const stored = (ids: string[]) =>
    Promise.all([
      count('SELECT count(*)::int AS n FROM sync_mutations WHERE mutation_id = ANY($1::uuid[])', [
        ids,
      ]),
      count('SELECT count(*)::int AS n FROM visits WHERE id = ANY($1::uuid[])', [ids]),
      count('SELECT count(*)::int AS n FROM payments WHERE id = ANY($1::uuid[])', [ids]),
      count('SELECT count(*)::int AS n FROM changes WHERE entity_id = ANY($1::text[])', [ids]),
    ]);

  test('concurrent requests of several phones: one transaction, one INSERT per table, each answered its own', async () => {
    const phones = await Promise.all([phone(), phone(), phone(), phone(), phone()]);
    const requests = phones.map(
      (p) =>
        [p, [visit(p), payment(p, 1_000, `G-${p.deviceId.slice(0, 8)}`), visit(p)]] as [
          Phone,
          MutationInput[],
        ],
    );
    const { outcomes, transactions } = await together(requests);
    for (const [i, o] of outcomes.entries()) {
      expect(o.acked_through_seq).toBe(3);
      expect(o.transientError).toBeUndefined();
      expect(o.results.map((r) => r.mutation_id)).toEqual(
        requests[i]?.[1].map((m) => m.mutation_id),
      );
      expect(statuses(o)).toEqual([
        ['applied', undefined],
        ['applied', undefined],
        ['applied', undefined],
      ]);
    }
    // All five in one group.
    expect(transactions).toHaveLength(1);
    const group = transactions[0] ?? [];
    for (const start of [
      'INSERT INTO sync_mutations',
      'INSERT INTO visits',
      'INSERT INTO payments',
      'INSERT INTO contact_log',
      'INSERT INTO changes',
    ])
      expect(
        group.filter((s) => s.startsWith(start)),
        start,
      ).toHaveLength(1);
    expect(group.filter((s) => s.includes('FROM assignments'))).toHaveLength(1);
    expect(group.filter((s) => s.startsWith('SAVEPOINT'))).toHaveLength(0);
    const ids = requests.flatMap(([, m]) => m.map((x) => x.mutation_id));
    expect(await stored(ids)).toEqual([15, 10, 5, 15]);
    const seqs = await db.query<{ last_seq: number }>(
      'SELECT last_seq FROM sync_devices WHERE id = ANY($1::uuid[])',
      [phones.map((p) => p.deviceId)],
    );
    expect(seqs.map((s) => Number(s.last_seq))).toEqual([3, 3, 3, 3, 3]);
  });

  test('one bad request among them: the group runs request by request, the bad one fails alone', async () => {
    const phones = await Promise.all([phone(), phone(), phone(), phone()]);
    const [a, b, c, d] = phones as [Phone, Phone, Phone, Phone];
    const requests: [Phone, MutationInput[]][] = [
      [a, [visit(a)]],
      [b, [visit(b), payment(b, 2_000, 'B-1')]],
      // A second active promise: refused by a rule, which fails the group's transaction.
      [c, [visit(c), promise(c, 30_000), promise(c, 20_000), visit(c)]],
      [d, [payment(d, 3_000, 'D-1'), visit(d)]],
    ];
    const { outcomes, transactions } = await together(requests);
    expect(outcomes.map((o) => o.acked_through_seq)).toEqual([1, 2, 4, 2]);
    expect(outcomes.map(statuses)).toEqual([
      [['applied', undefined]],
      [
        ['applied', undefined],
        ['applied', undefined],
      ],
      [
        ['applied', undefined],
        ['applied', undefined],
        ['rejected', 'promise_active'],
        ['applied', undefined],
      ],
      [
        ['applied', undefined],
        ['applied', undefined],
      ],
    ]);
    // The group of a, b, c, d rolled back; a, b and d alone set-based; c set-based (rolled
    // back), then c one fact at a time.
    expect(transactions).toHaveLength(6);
    const ids = requests.flatMap(([, m]) => m.map((x) => x.mutation_id));
    expect(await stored(ids)).toEqual([9, 5, 2, 8]);
    expect(
      await count('SELECT count(*)::int AS n FROM promises WHERE debtor_id = $1', [c.debtor]),
    ).toBe(1);
  });

  test('replays: the same request twice in the queue, resent after commit, and an id reused by another phone', async () => {
    const [a, b, c] = (await Promise.all([phone(), phone(), phone()])) as [Phone, Phone, Phone];
    const first0 = visit(a);
    const batch = [visit(a), payment(a, 1_000, 'A-R')];
    const own = visit(b);
    const stolen = { ...visit(b), mutation_id: batch[0]?.mutation_id ?? '' };
    const first = await together([
      [a, [first0]],
      [a, batch],
      [a, batch],
    ]);
    // One phone: three groups, one after the other.
    expect(first.transactions).toHaveLength(3);
    const [, original, resent] = first.outcomes;
    expect(statuses(original)).toEqual([
      ['applied', undefined],
      ['applied', undefined],
    ]);
    // The resend could not share the original's group (same phone): answered from the record.
    expect(resent?.acked_through_seq).toBe(3);
    expect(resent?.results).toEqual([
      expect.objectContaining({ status: 'duplicate', original: { status: 'applied' } }),
      expect.objectContaining({ status: 'duplicate', original: { status: 'applied' } }),
    ]);
    // Another phone's fact under a's id: never applied, the owner is told.
    const [other] = (await together([[b, [own, stolen]]])).outcomes;
    expect(statuses(other)).toEqual([
      ['applied', undefined],
      ['rejected', 'idempotency_mismatch'],
    ]);
    expect(other?.acked_through_seq).toBe(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'sync.idempotency_mismatch' AND entity_id = $1`,
        [stolen.mutation_id],
      ),
    ).toBe(1);
    // Resent again later, grouped with new facts of a third phone.
    const again = await together([
      [c, [visit(c)]],
      [a, batch],
      [c, [visit(c)]],
    ]);
    expect(again.outcomes[1]?.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(again.outcomes.map((o) => o.acked_through_seq)).toEqual([1, 3, 2]);
    expect(again.transactions).toHaveLength(2);
    const ids = batch.map((m) => m.mutation_id);
    expect(await stored(ids)).toEqual([2, 1, 1, 2]);
  });

  test('receipts and what is open are decided across the group as if one ran after the other', async () => {
    const collector = await seedUser(db, 'collector');
    // Two phones of one collector, one debtor: R$ 1.000 open.
    const a = await phone(collector);
    const b: Phone = { ...(await phone(collector)), debtor: a.debtor, debt: a.debt };
    const res = await together([
      [a, [payment(a, 60_000, 'SAME')]],
      // Same receipt number from the collector's other phone: a duplicate.
      [b, [payment(b, 1_000, 'SAME'), payment(b, 60_000, 'OTHER')]],
    ]);
    expect(statuses(res.outcomes[0])).toEqual([['applied', undefined]]);
    const [dup, above] = res.outcomes[1]?.results ?? [];
    expect(dup).toMatchObject({ status: 'rejected', reason: 'duplicate_receipt' });
    // 60,000 waiting from the first phone: another 60,000 is above the 100,000 open.
    expect(above?.status).toBe('rejected');
    expect('reason' in (above ?? {}) ? (above as { reason: string }).reason : '').toMatch(
      /^policy: /,
    );
    expect(res.transactions).toHaveLength(1);
  });

  test('a device the group cannot take runs alone: a new phone is registered, another user’s is refused', async () => {
    const [a, b] = (await Promise.all([phone(), phone()])) as [Phone, Phone];
    const fresh: Phone = { ...a, deviceId: crypto.randomUUID(), seq: 0 };
    // b's phone id pushed by a's collector: another user's device.
    const intruder: Phone = { ...a, deviceId: b.deviceId, seq: 100 };
    const grouper = createPushGrouper(db, { slots: 1 });
    const settled = await Promise.allSettled([
      grouper(input(b, [visit(b)])),
      grouper(input(a, [visit(a)])),
      grouper(input(fresh, [visit(fresh)])),
      grouper(input(intruder, [visit(intruder)])),
    ]);
    const value = (i: number) => {
      const s = settled[i];
      return s?.status === 'fulfilled' ? s.value : undefined;
    };
    expect(statuses(value(1))).toEqual([['applied', undefined]]);
    expect(value(2)?.acked_through_seq).toBe(1);
    expect(statuses(value(2))).toEqual([['applied', undefined]]);
    const refused = settled[3];
    expect(refused?.status).toBe('rejected');
    const p = refused?.status === 'rejected' ? problemOf(refused.reason) : undefined;
    expect(p?.problem.status).toBe(403);
    expect(
      await count(
        'SELECT count(*)::int AS n FROM sync_devices WHERE id = $1 AND collector_id = $2',
        [fresh.deviceId, a.collector.user.id],
      ),
    ).toBe(1);
    expect(
      await count('SELECT last_seq::int AS n FROM sync_devices WHERE id = $1', [b.deviceId]),
    ).toBe(1);
  });
});
