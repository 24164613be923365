import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { DEFAULT_CADENCE_POLICY } from '#shared/cadence/default-policy';
import { PullResponseSchema, type PullResponse, type SyncChange } from '#shared/sync/pull.schema';
import { openDb, type QuitaDb } from '../db/db';
import { applyPullPage } from './pull-apply';

const X = 'debtor-x';
const Y = 'debtor-y';

async function freshDb(): Promise<QuitaDb> {
  const result = await openDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  if (!result.ok) throw new Error(result.failure.message);
  await result.db.device.put({
    key: 'device',
    device_id: 'd',
    collector_id: 'c',
    next_seq: 1,
    cursor: null,
    epoch: null,
    schema_version: 1,
    last_push_ok_at: null,
    last_pull_ok_at: null,
    last_error: null,
  });
  return result.db;
}

function page(changes: SyncChange[], cursor = 'c1'): PullResponse {
  return {
    changes,
    cursor,
    has_more: false,
    epoch: 1,
    acked_through_seq: 0,
    server_now: '2026-11-26T12:00:00Z',
  };
}

const debtor = (id: string, version: number, name = `v${version}`): SyncChange => ({
  op: 'put',
  entity: 'debtor',
  id,
  data: { id, version, name },
});
const debt = (id: string, debtorId: string, version: number): SyncChange => ({
  op: 'put',
  entity: 'debt',
  id,
  data: { id, debtorId, version },
});
const visit = (id: string, debtorId: string): SyncChange => ({
  op: 'put',
  entity: 'visit',
  id,
  data: { id, debtorId, version: 1 },
});
const remove = (entity: SyncChange['entity'], id: string): SyncChange => ({
  op: 'remove',
  entity,
  id,
});

interface Snapshot {
  debtors: Record<string, number>;
  debts: string[];
  facts: string[];
}

async function snapshot(db: QuitaDb): Promise<Snapshot> {
  const debtors = Object.fromEntries((await db.debtors.toArray()).map((d) => [d.id, d.version]));
  return {
    debtors,
    debts: (await db.debts.toArray()).map((d) => d.id).sort(),
    facts: (await db.facts.toArray()).map((f) => f.id).sort(),
  };
}

describe('applyPullPage', () => {
  test.each<{ name: string; pages: SyncChange[][]; expected: Snapshot }>([
    {
      name: 'puts land in their tables',
      pages: [[debtor(X, 1), debt('d1', X, 1), visit('f1', X)]],
      expected: { debtors: { [X]: 1 }, debts: ['d1'], facts: ['f1'] },
    },
    {
      name: 'an older version never overwrites a newer one (replayed page)',
      pages: [[debtor(X, 3)], [debtor(X, 2)]],
      expected: { debtors: { [X]: 3 }, debts: [], facts: [] },
    },
    {
      name: 'the same id twice in one page keeps the newer version',
      pages: [[debtor(X, 5), debtor(X, 4)]],
      expected: { debtors: { [X]: 5 }, debts: [], facts: [] },
    },
    {
      name: 'puts before a remove in the same page are removed with the debtor',
      pages: [[debtor(X, 1), debt('d1', X, 1), visit('f1', X), debtor(Y, 1), remove('debtor', X)]],
      expected: { debtors: { [Y]: 1 }, debts: [], facts: [] },
    },
    {
      name: 'a remove then a put in the same page ends with the put',
      pages: [
        [debtor(X, 1), debt('d1', X, 1)],
        [remove('debtor', X), debtor(X, 2)],
      ],
      expected: { debtors: { [X]: 2 }, debts: [], facts: [] },
    },
    {
      name: 'removing a single debt or fact leaves the rest',
      pages: [
        [debtor(X, 1), debt('d1', X, 1), debt('d2', X, 1), visit('f1', X), visit('f2', X)],
        [remove('debt', 'd1'), remove('visit', 'f2')],
      ],
      expected: { debtors: { [X]: 1 }, debts: ['d2'], facts: ['f1'] },
    },
  ])('$name', async ({ pages, expected }) => {
    const db = await freshDb();
    for (const [i, changes] of pages.entries())
      await applyPullPage(db, page(changes, `c${i}`), { now: '2026-11-26T12:00:00Z' });
    expect(await snapshot(db)).toEqual(expected);
    db.close();
  });

  test('a page applied twice changes nothing, and the cursor moves with the data', async () => {
    const db = await freshDb();
    const p = page([debtor(X, 1), debt('d1', X, 1), visit('f1', X)], 'cursor-7');
    await applyPullPage(db, p, { now: '2026-11-26T12:00:00Z' });
    const once = await snapshot(db);
    await applyPullPage(db, p, { now: '2026-11-26T12:00:00Z' });
    expect(await snapshot(db)).toEqual(once);
    expect((await db.device.get('device'))?.cursor).toBe('cursor-7');
    db.close();
  });

  const setting = (key: string, version: number, value: unknown): SyncChange => ({
    op: 'put',
    entity: 'setting',
    id: key,
    data: { version, value },
  });

  const policyWithBudget = (maxPerDay: number) => ({
    ...DEFAULT_CADENCE_POLICY,
    budget: { maxPerDay, maxPer7Days: 7 },
  });

  test('settings sections land in db.settings by key, never going back in version', async () => {
    const db = await freshDb();
    await applyPullPage(
      db,
      page([setting('organisation', 2, { tradeName: 'Pão Quente' }), debtor(X, 1)]),
      { now: '2026-11-26T12:00:00Z' },
    );
    // A replayed older page, then a newer one in which the same key appears twice.
    await applyPullPage(db, page([setting('organisation', 1, { tradeName: 'Antigo' })]), {
      now: '2026-11-26T12:00:00Z',
    });
    await applyPullPage(
      db,
      page([
        setting('cadence', 4, policyWithBudget(2)),
        setting('cadence', 3, policyWithBudget(1)),
      ]),
      { now: '2026-11-26T12:00:00Z' },
    );
    expect(await db.settings.toArray()).toEqual([
      { key: 'cadence', version: 4, value: policyWithBudget(2) },
      { key: 'organisation', version: 2, value: { tradeName: 'Pão Quente' } },
    ]);
    // Sections are not debtor data: removing a debtor leaves them.
    await applyPullPage(db, page([remove('debtor', X)]), { now: '2026-11-26T12:00:00Z' });
    expect(await db.settings.count()).toBe(2);
    expect(await db.debtors.count()).toBe(0);
    db.close();
  });

  test('a cadence policy this client cannot read is stored as null, a readable one as parsed', async () => {
    const db = await freshDb();
    // A newer server's step channel this build does not know, then a policy without steps.
    const unknownChannel = {
      ...DEFAULT_CADENCE_POLICY,
      steps: [{ ...DEFAULT_CADENCE_POLICY.steps[0], channel: 'pombo-correio' }],
    };
    await applyPullPage(db, page([setting('cadence', 1, unknownChannel)]), {
      now: '2026-11-26T12:00:00Z',
    });
    expect(await db.settings.get('cadence')).toEqual({ key: 'cadence', version: 1, value: null });
    await applyPullPage(db, page([setting('cadence', 2, { budget: 2 })]), {
      now: '2026-11-26T12:00:00Z',
    });
    expect((await db.settings.get('cadence'))?.value).toBeNull();
    await applyPullPage(db, page([setting('cadence', 3, policyWithBudget(3))]), {
      now: '2026-11-26T12:00:00Z',
    });
    expect(await db.settings.get('cadence')).toEqual({
      key: 'cadence',
      version: 3,
      value: policyWithBudget(3),
    });
    db.close();
  });

  test('a contact is a fact of its debtor, removed with it', async () => {
    const db = await freshDb();
    const contact: SyncChange = {
      op: 'put',
      entity: 'contact',
      id: 'k1',
      data: {
        id: 'k1',
        debtorId: X,
        channel: 'whatsapp',
        occurredAt: '2026-11-26T12:00:00Z',
        version: 1,
      },
    };
    await applyPullPage(db, page([debtor(X, 1), contact]), { now: '2026-11-26T12:00:00Z' });
    expect(await db.facts.get('k1')).toMatchObject({ type: 'contact', debtor_id: X });
    await applyPullPage(db, page([remove('debtor', X)]), { now: '2026-11-26T12:00:00Z' });
    expect(await db.facts.count()).toBe(0);
    db.close();
  });

  test('entries about entities this client does not know are parsed and dropped, not fatal', async () => {
    const wire = {
      ...page([debtor(X, 1)]),
      changes: [
        { op: 'put', entity: 'hologram', id: 'h1', data: { version: 1 } },
        debtor(X, 1),
        { op: 'remove', entity: 'hologram', id: 'h2' },
      ],
    };
    const parsed = v.parse(PullResponseSchema, wire);
    expect(parsed.changes).toEqual([debtor(X, 1)]);
    // A known entity stays strict: a malformed entry still fails the page.
    expect(
      v.safeParse(PullResponseSchema, { ...wire, changes: [{ op: 'put', entity: 'debtor' }] })
        .success,
    ).toBe(false);
    const db = await freshDb();
    await applyPullPage(db, parsed, { now: '2026-11-26T12:00:00Z' });
    expect(await snapshot(db)).toEqual({ debtors: { [X]: 1 }, debts: [], facts: [] });
    db.close();
  });
});
