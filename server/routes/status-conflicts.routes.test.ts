/**
 * Owner review of field-edit conflicts (`/api/status/conflicts`, issue 4 §5.1 / issue 5) on both
 * databases: a collector's phone edits a field from a debtor version the office has since moved
 * past; the push applies it and records the conflict; the owner keeps it or restores the value it
 * overwrote, which must reach the phones through the pull feed and never undo a later edit.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import type { Conflict } from '#shared/sync/conflict.schema';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { assign, createDebtor } from '#test/helpers/ledger';
import { testDevice, type TestDevice } from '#test/helpers/sync';

const NO_ID = '01890a5d-ac96-774b-bcce-b302099a8057';

/** Per editable field: the phone's first (current) value and its later, stale one. */
const FIELDS = {
  geoPin: { first: { lat: -23.5505, lng: -46.6333 }, stale: { lat: -22.9056, lng: -47.0608 } },
  preferredChannel: { first: 'whatsapp', stale: 'sms' },
  preferredHours: { first: { from: '08:00', to: '12:00' }, stale: { from: '14:00', to: '18:00' } },
  address: {
    first: {
      street: 'Rua das Acácias',
      number: '12',
      district: 'Centro',
      city: 'Campinas',
      state: 'SP',
      postalCode: '13010-000',
    },
    stale: {
      street: 'Avenida Brasil',
      number: '900',
      complement: 'fundos',
      district: 'Jardim',
      city: 'Campinas',
      state: 'SP',
      postalCode: '13020-000',
    },
  },
  contactPoints: {
    first: [{ kind: 'phone', value: '11 98765-4321', label: 'casa', isWhatsapp: true }],
    stale: [{ kind: 'phone', value: '11 91234-5678' }],
  },
} as const;
type Field = keyof typeof FIELDS;

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const clock = testClock('2025-03-10T12:00:00Z');

  const version = async (debtor: string) =>
    Number(
      (
        await db.query<{ version: number }>('SELECT version FROM debtors WHERE id = $1', [debtor])
      )[0]?.version,
    );
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query<{ n: number }>(sql, params))[0]?.n ?? -1);
  const feedRows = (debtor: string) =>
    count('SELECT count(*)::int AS n FROM changes WHERE debtor_id = $1', [debtor]);

  const list = async (query = '') => {
    const res = await call<{ items: Conflict[] }>(app, 'GET', `/api/status/conflicts${query}`, {
      headers: users.owner.headers,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items;
  };
  const resolve = (id: string, json: unknown, who: SeededUser | null = users.owner) =>
    call<Conflict>(app, 'POST', `/api/status/conflicts/${id}/resolve`, {
      headers: who?.headers ?? {},
      json,
    });
  /** The office edits the debtor (an unrelated column): the phone's copy is now stale. */
  const officeEdit = async (debtor: string, notes: string) => {
    const res = await call(app, 'PATCH', `/api/debtors/${debtor}`, {
      headers: users.owner.headers,
      json: { version: await version(debtor), notes },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  /**
   * A debtor assigned to the collector whose `field` the phone set (current base), then, after an
   * office edit it had not pulled, set again from the old base: applied, and one open conflict.
   */
  const staleEdit = async (field: Field = 'geoPin') => {
    const debtor = await createDebtor(app, users.owner);
    await assign(app, users.owner, users.collector.user.id, [debtor]);
    const device = testDevice(app, users.collector.headers, clock.now);
    const { first, stale } = FIELDS[field];
    const base = await version(debtor);
    const ok = await device.push([
      device.mutation(
        'debtor.field_updated',
        debtor,
        { field, new_value: first },
        { base_version: base },
      ),
    ]);
    expect(ok.body.results.map((r) => r.status)).toEqual(['applied']);
    const seen = await version(debtor);
    await officeEdit(debtor, 'ligou no escritório');
    const late = await device.push([
      device.mutation(
        'debtor.field_updated',
        debtor,
        { field, new_value: stale },
        { base_version: seen },
      ),
    ]);
    expect(late.body.results.map((r) => r.status)).toEqual(['conflict']);
    const mine = (await list()).filter((k) => k.debtor.id === debtor);
    expect(mine).toHaveLength(1);
    const conflict = mine[0] as Conflict;
    // The edit overwrote the office's version and produced the next one.
    expect(await version(debtor)).toBe(conflict.currentVersion + 1);
    return { debtor, device, conflict };
  };

  /** The debtor as the collector's phone holds it after pulling everything. */
  const onPhone = async (device: TestDevice, debtor: string) => {
    await device.sync();
    return device.state.get(`debtor:${debtor}`) as Record<string, unknown>;
  };

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  test('keep_applied closes the conflict, leaves the phone value and writes nothing', async () => {
    const { debtor, conflict } = await staleEdit('geoPin');
    expect(conflict).toMatchObject({
      field: 'geoPin',
      previousValue: FIELDS.geoPin.first,
      appliedValue: FIELDS.geoPin.stale,
      collector: { id: users.collector.user.id },
      resolution: null,
    });
    const before = { v: await version(debtor), feed: await feedRows(debtor) };
    const res = await resolve(conflict.id, { resolution: 'keep_applied' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      id: conflict.id,
      resolution: 'keep_applied',
      resolvedAt: clock.now().toISOString(),
      resolvedBy: { id: users.owner.user.id, name: users.owner.user.name },
      restoredVersion: null,
    });
    expect({ v: await version(debtor), feed: await feedRows(debtor) }).toEqual(before);
    const [row] = await db.query<{ geo_pin: unknown }>(
      'SELECT geo_pin FROM debtors WHERE id = $1',
      [debtor],
    );
    expect(row?.geo_pin).toEqual(FIELDS.geoPin.stale);
    expect((await list()).map((k) => k.id)).not.toContain(conflict.id);
    expect((await list('?state=resolved')).find((k) => k.id === conflict.id)).toMatchObject({
      resolution: 'keep_applied',
    });
    const audits = await db.query<{ actor_id: string; detail: Record<string, unknown> }>(
      "SELECT actor_id, detail FROM audit_log WHERE action = 'sync.conflict_resolved' AND entity_id = $1",
      [conflict.id],
    );
    expect(audits).toEqual([
      {
        actor_id: users.owner.user.id,
        detail: expect.objectContaining({
          debtorId: debtor,
          field: 'geoPin',
          resolution: 'keep_applied',
        }),
      },
    ]);
  });

  describe.each(Object.keys(FIELDS) as Field[])('restore_previous of %s', (field) => {
    test('writes the overwritten value back as a new version that a collector pull carries', async () => {
      const { debtor, device, conflict } = await staleEdit(field);
      const phoneBefore = await onPhone(device, debtor);
      const applied = await version(debtor);
      const res = await resolve(conflict.id, { resolution: 'restore_previous' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        resolution: 'restore_previous',
        restoredVersion: applied + 1,
      });
      expect(await version(debtor)).toBe(applied + 1);
      const phone = await onPhone(device, debtor);
      expect(phone['version']).toBe(applied + 1);
      expect(phone['version']).not.toBe(phoneBefore['version']);
      if (field === 'contactPoints') {
        // Only kind and value were kept for the overwritten points: the number comes back.
        const points = phone['contactPoints'] as { kind: string; value: string }[];
        expect(points.map((p) => [p.kind, p.value])).toEqual([['phone', '+5511987654321']]);
      } else if (field === 'address') {
        // The phone also gets the address as one display line, derived from the parts.
        expect(phone[field]).toEqual({
          ...(conflict.previousValue as object),
          line: expect.stringContaining('Rua das Acácias, 12'),
        });
      } else expect(phone[field]).toEqual(conflict.previousValue);
      expect(conflict.previousValue).not.toBeNull();
    });
  });

  test('restore after a newer edit is 409 naming the field and versions; nothing is written', async () => {
    const { debtor, conflict } = await staleEdit('preferredChannel');
    await officeEdit(debtor, 'outra mudança depois do conflito');
    const now = await version(debtor);
    const feed = await feedRows(debtor);
    const res = await resolve(conflict.id, { resolution: 'restore_previous' });
    expectProblem(res, 409, 'stale-version');
    expect(res.body).toMatchObject({
      field: 'preferredChannel',
      expectedVersion: conflict.currentVersion + 1,
      currentVersion: now,
    });
    expect((res.body as unknown as { detail: string }).detail).toMatch(/^preferredChannel: /);
    expect({ v: await version(debtor), feed: await feedRows(debtor) }).toEqual({ v: now, feed });
    const [row] = await db.query<{ preferred_channel: string }>(
      'SELECT preferred_channel FROM debtors WHERE id = $1',
      [debtor],
    );
    expect(row?.preferred_channel).toBe('sms');
    expect((await list()).map((k) => k.id)).toContain(conflict.id);
    // A version the owner did not see is refused too; the version they saw is an explicit override.
    expectProblem(
      await resolve(conflict.id, { resolution: 'restore_previous', version: now - 1 }),
      409,
      'stale-version',
    );
    const forced = await resolve(conflict.id, { resolution: 'restore_previous', version: now });
    expect(forced.status, JSON.stringify(forced.body)).toBe(200);
    expect(forced.body.restoredVersion).toBe(now + 1);
  });

  test('repeating the same resolution answers the stored outcome; a different one is 409', async () => {
    const { debtor, conflict } = await staleEdit('geoPin');
    const first = await resolve(conflict.id, { resolution: 'restore_previous' });
    expect(first.status).toBe(200);
    const after = { v: await version(debtor), feed: await feedRows(debtor) };
    clock.advance(60_000);
    const again = await resolve(conflict.id, { resolution: 'restore_previous' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect({ v: await version(debtor), feed: await feedRows(debtor) }).toEqual(after);
    const other = await resolve(conflict.id, { resolution: 'keep_applied' });
    expectProblem(other, 409, 'conflict-already-resolved', 'resolution');
    expect(other.body).toMatchObject({ resolution: 'restore_previous' });
    expect(
      await count(
        "SELECT count(*)::int AS n FROM audit_log WHERE action = 'sync.conflict_resolved' AND entity_id = $1",
        [conflict.id],
      ),
    ).toBe(1);
  });

  test('two owners restoring at once: one write, both answered with it', async () => {
    const { debtor, conflict } = await staleEdit('geoPin');
    const applied = await version(debtor);
    const both = await Promise.all([
      resolve(conflict.id, { resolution: 'restore_previous' }),
      resolve(conflict.id, { resolution: 'restore_previous' }),
    ]);
    expect(both.map((r) => [r.status, r.body.restoredVersion])).toEqual([
      [200, applied + 1],
      [200, applied + 1],
    ]);
    expect(await version(debtor)).toBe(applied + 1);
  });

  test('only the owner resolves: collector and staff 403, anonymous 401, the conflict stays open', async () => {
    const { conflict } = await staleEdit('geoPin');
    for (const who of [users.collector, users.staff])
      expectProblem(
        await resolve(conflict.id, { resolution: 'keep_applied' }, who),
        403,
        'forbidden',
      );
    expect((await resolve(conflict.id, { resolution: 'keep_applied' }, null)).status).toBe(401);
    for (const who of [users.collector, users.staff]) {
      const res = await call(app, 'GET', '/api/status/conflicts', { headers: who.headers });
      expect(res.status).toBe(403);
    }
    expect((await list()).map((k) => k.id)).toContain(conflict.id);
  });

  test('unknown or malformed id is 404', async () => {
    expectProblem(await resolve(NO_ID, { resolution: 'keep_applied' }), 404, 'not-found');
    expectProblem(await resolve('not-a-uuid', { resolution: 'keep_applied' }), 404, 'not-found');
  });

  test('a bad body names the field; a bad state query too', async () => {
    expectProblem(await resolve(NO_ID, {}), 422, 'validation', 'resolution');
    expectProblem(await resolve(NO_ID, { resolution: 'undo' }), 422, 'validation', 'resolution');
    expectProblem(
      await resolve(NO_ID, { resolution: 'restore_previous', version: 0 }),
      422,
      'validation',
      'version',
    );
    // Not an object at all: the body's shape is wrong (400), not a field of it.
    expectProblem(await resolve(NO_ID, 'keep_applied'), 400, 'validation');
    const res = await call(app, 'GET', '/api/status/conflicts?state=closed', {
      headers: users.owner.headers,
    });
    expectProblem(res, 422, 'validation', 'state');
  });
});
