import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { assign, createDebt, createDebtor } from '#test/helpers/ledger';

const HOUR = 3_600_000;

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const clock = testClock('2025-03-10T12:00:00Z'); // Monday 09:00 in São Paulo

  const logContact = (headers: Record<string, string>, json: Record<string, unknown>) =>
    call<{ verdict: { allowed: boolean; overridden?: boolean; reason?: string } }>(
      app,
      'POST',
      '/api/contacts',
      {
        headers,
        json,
      },
    );
  const contacts = async (debtorId: string) =>
    (await db.query('SELECT 1 FROM contact_log WHERE debtor_id = $1', [debtorId])).length;

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  test('the second contact of the day is refused with the reason and the next allowed instant', async () => {
    const debtor = await createDebtor(app, users.owner);
    await createDebt(app, users.owner, debtor);
    const first = await logContact(users.staff.headers, { debtorId: debtor, channel: 'whatsapp' });
    expect(first.status).toBe(201);
    expect(first.body.verdict).toEqual({ allowed: true });
    const second = await logContact(users.staff.headers, { debtorId: debtor, channel: 'phone' });
    expectProblem(second, 422, 'contact-refused');
    // Next day 08:00 in São Paulo.
    expect(second.body).toMatchObject({
      reason: 'daily_budget',
      nextAllowedAt: '2025-03-11T11:00:00.000Z',
    });
    expect((second.body as unknown as { detail: string }).detail).toBe(
      'Este cliente já recebeu um contato hoje.',
    );
    expect(await contacts(debtor)).toBe(1);

    expectProblem(
      await logContact(users.staff.headers, {
        debtorId: debtor,
        channel: 'phone',
        override: { reason: 'cliente pediu retorno' },
      }),
      403,
      'override-forbidden',
    );
    const overridden = await logContact(users.owner.headers, {
      debtorId: debtor,
      channel: 'phone',
      override: { reason: 'cliente pediu retorno' },
    });
    expect(overridden.status).toBe(201);
    expect(overridden.body.verdict).toMatchObject({
      allowed: false,
      reason: 'daily_budget',
      overridden: true,
    });
    const [entry] = await db.query<{
      actor_id: string;
      detail: { reason: string; refusedFor: string };
    }>(`SELECT actor_id, detail FROM audit_log WHERE action = 'contact.override'`);
    expect(entry).toMatchObject({
      actor_id: users.owner.user.id,
      detail: { reason: 'cliente pediu retorno', refusedFor: 'daily_budget' },
    });

    // An inbound message is logged whatever the budget says.
    const inbound = await logContact(users.staff.headers, {
      debtorId: debtor,
      channel: 'whatsapp',
      direction: 'inbound',
    });
    expect(inbound.status).toBe(201);
  });

  test.each([
    ['Sunday', '2025-03-16T15:00:00Z', 'sunday'],
    ['a weekday at 21:00', '2025-03-11T00:00:00Z', 'outside_window'],
    ['Carnaval', '2025-03-04T15:00:00Z', 'holiday'],
  ])('refuses on %s', async (_label, at, reason) => {
    const local = testClock(at);
    const localApp = createApp({ db, version: 'test', now: local.now });
    const debtor = await createDebtor(app, users.owner);
    const res = await logContact(users.owner.headers, { debtorId: debtor, channel: 'sms' });
    expect(res.status).toBe(201); // the shared app's clock is Monday 09:00
    const refused = await call(localApp, 'POST', '/api/contacts', {
      headers: users.owner.headers,
      json: { debtorId: debtor, channel: 'email' },
    });
    expectProblem(refused, 422, 'contact-refused');
    expect(refused.body).toMatchObject({ reason });
  });

  test('a blocked channel is refused; a collector may log only for assigned debtors', async () => {
    const debtor = await createDebtor(app, users.owner, {
      doNotContact: { channels: ['whatsapp'] },
    });
    const other = await createDebtor(app, users.owner);
    await assign(app, users.owner, users.collector.user.id, [debtor]);
    const refused = await logContact(users.collector.headers, {
      debtorId: debtor,
      channel: 'whatsapp',
    });
    expectProblem(refused, 422, 'contact-refused');
    expect(refused.body).toMatchObject({ reason: 'channel_blocked' });
    expect(
      (await logContact(users.collector.headers, { debtorId: debtor, channel: 'visit' })).status,
    ).toBe(201);
    expectProblem(
      await logContact(users.collector.headers, { debtorId: other, channel: 'visit' }),
      404,
      'not-found',
    );
  });

  test('two contacts racing for the last slot: exactly one is logged', async () => {
    const debtor = await createDebtor(app, users.owner);
    clock.advance(HOUR);
    const results = await Promise.all(
      ['whatsapp', 'sms', 'email', 'phone'].map((channel) =>
        logContact(users.staff.headers, { debtorId: debtor, channel }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 422, 422, 422]);
    expect(await contacts(debtor)).toBe(1);
  });
});
