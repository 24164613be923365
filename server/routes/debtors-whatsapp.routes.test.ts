/**
 * The WhatsApp rule on `POST /api/debtors` and `PATCH /api/debtors/:id` (the same one as the
 * import and the contact-point route): a phone whose `isWhatsapp` is not stated is presumed on
 * WhatsApp when it is a mobile and not when it is a landline; a stated flag wins; a phone already
 * stored keeps its flag when a later edit does not state it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call } from '#test/helpers/http';
import { createDebtor } from '#test/helpers/ledger';

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  const clock = testClock('2025-03-10T12:00:00Z');

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    owner = await seedUser(db, 'owner', { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  const flags = async (debtorId: string) =>
    Object.fromEntries(
      (
        await db.query<{ value: string; is_whatsapp: boolean }>(
          'SELECT value, is_whatsapp FROM contact_points WHERE debtor_id = $1',
          [debtorId],
        )
      ).map((r) => [r.value, r.is_whatsapp]),
    );

  test('POST: a mobile is presumed on WhatsApp, a landline not, a stated flag wins', async () => {
    const id = await createDebtor(app, owner, {
      contactPoints: [
        { kind: 'phone', value: '(11) 98888-1111' },
        { kind: 'phone', value: '(11) 3333-4444' },
        { kind: 'phone', value: '(21) 97777-2222', isWhatsapp: false },
        { kind: 'phone', value: '(21) 2222-3333', isWhatsapp: true },
        { kind: 'email', value: 'a@exemplo.com.br' },
      ],
    });
    expect(await flags(id)).toEqual({
      '+5511988881111': true,
      '+551133334444': false,
      '+5521977772222': false,
      '+552122223333': true,
      'a@exemplo.com.br': false,
    });
  });

  test('PATCH: a kept phone keeps its flag unless stated; a new one gets the presumption', async () => {
    const id = await createDebtor(app, owner, {
      contactPoints: [
        { kind: 'phone', value: '(11) 3333-5555', isWhatsapp: true },
        { kind: 'phone', value: '(11) 98888-6666', isWhatsapp: false },
      ],
    });
    const read = await call<{ debtor: { version: number } }>(app, 'GET', `/api/debtors/${id}`, {
      headers: owner.headers,
    });
    const res = await call(app, 'PATCH', `/api/debtors/${id}`, {
      headers: owner.headers,
      json: {
        version: read.body.debtor.version,
        contactPoints: [
          { kind: 'phone', value: '+551133335555' },
          { kind: 'phone', value: '+5511988886666' },
          { kind: 'phone', value: '(11) 97777-7777' },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await flags(id)).toEqual({
      '+551133335555': true,
      '+5511988886666': false,
      '+5511977777777': true,
    });
  });

  test('a flag that is not a boolean is refused naming the field', async () => {
    const res = await call<{ errors: { field: string; message: string }[] }>(
      app,
      'POST',
      '/api/debtors',
      {
        headers: owner.headers,
        json: {
          kind: 'person',
          name: 'Flag errada',
          contactPoints: [{ kind: 'phone', value: '11988887777', isWhatsapp: 'sim' }],
        },
      },
    );
    expect(res.status).toBe(422);
    expect(res.body.errors[0]?.field).toBe('contactPoints[0].isWhatsapp');
    expect(res.body.errors[0]?.message).toBe('a marcação de WhatsApp deve ser true ou false');
  });
});
