import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Db } from '../db/db';
import { createApp } from '../app';
import { issueToken } from '../auth/tokens.repo';
import { chatKeyHash } from '../auth/chat-identities.repo';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { createDebtor } from '#test/helpers/ledger';

const CHAT = 'whatsapp:204283749201837@lid';
const PATH = '/api/extension/chat-identities';

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  let staff: SeededUser;
  /** The staff member's personal token, as the extension holds it. */
  let extension: Record<string, string>;
  let carlos: string;
  let maria: string;
  const clock = testClock('2026-11-24T17:00:00Z');

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    owner = await seedUser(db, 'owner', { now: clock.now() });
    staff = await seedUser(db, 'staff', { name: 'Joana Atendente', now: clock.now() });
    const { token } = await db.transaction((tx) =>
      issueToken(tx, {
        userId: staff.user.id,
        kind: 'api',
        name: 'Extensão Chrome',
        now: clock.now(),
        expiresAt: new Date(clock.now().getTime() + 86_400_000),
      }),
    );
    extension = { authorization: `Bearer ${token}` };
    carlos = await createDebtor(app, owner, { name: 'Carlos Eduardo Souza' });
    maria = await createDebtor(app, owner, { name: 'Maria Aparecida Silva' });
  });
  afterAll(async () => {
    await db.close();
  });

  const read = (chat = CHAT) =>
    call<{ identity: null | Record<string, unknown> }>(
      app,
      'GET',
      `${PATH}?chat=${encodeURIComponent(chat)}`,
      { headers: extension },
    );

  test('confirm with the extension token, read back, undo; every step audited', async () => {
    expect((await read()).body).toEqual({ identity: null });
    const created = await call<{ id: string }>(app, 'POST', PATH, {
      headers: extension,
      json: { chat: CHAT, debtorId: carlos },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      debtorId: carlos,
      debtorName: 'Carlos Eduardo Souza',
      confirmedAt: clock.now().toISOString(),
      confirmedBy: { id: staff.user.id, name: 'Joana Atendente' },
    });
    expect((await read()).body.identity).toEqual(created.body);
    // Confirming again for the same person changes nothing.
    const again = await call(app, 'POST', PATH, {
      headers: extension,
      json: { chat: CHAT, debtorId: carlos },
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);
    // The chat is stored only as its hash.
    const stored = await db.query<Record<string, unknown>>('SELECT * FROM chat_identities');
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain('204283749201837');
    expect(stored[0]?.['chat_key_hash']).toBe(chatKeyHash(CHAT));

    // Another person for the same chat: refused until the first confirmation is undone.
    expectProblem(
      await call(app, 'POST', PATH, { headers: extension, json: { chat: CHAT, debtorId: maria } }),
      409,
      'chat-identity-taken',
    );
    expect(
      (await call(app, 'DELETE', `${PATH}/${created.body.id}`, { headers: extension })).status,
    ).toBe(204);
    expect((await read()).body).toEqual({ identity: null });
    expectProblem(
      await call(app, 'DELETE', `${PATH}/${created.body.id}`, { headers: extension }),
      404,
      'not-found',
    );
    const moved = await call(app, 'POST', PATH, {
      headers: extension,
      json: { chat: CHAT, debtorId: maria },
    });
    expect(moved.status).toBe(201);

    const audits = await db.query<{ action: string; entity_id: string; actor_id: string }>(
      `SELECT action, entity_id, actor_id FROM audit_log
        WHERE action LIKE 'chat_identity.%' ORDER BY id`,
    );
    expect(audits).toEqual([
      { action: 'chat_identity.confirm', entity_id: carlos, actor_id: staff.user.id },
      { action: 'chat_identity.revoke', entity_id: carlos, actor_id: staff.user.id },
      { action: 'chat_identity.confirm', entity_id: maria, actor_id: staff.user.id },
    ]);
    const lookups = await db.query<{ detail: { by: string } }>(
      `SELECT detail FROM audit_log WHERE action = 'debtor.lookup' AND actor_id = $1`,
      [staff.user.id],
    );
    expect(lookups.map((l) => l.detail.by)).toEqual(['chat', 'chat', 'chat']);
  });

  test.each([
    { json: { chat: 'whatsapp:5511987654321@c.us', debtorId: '' }, field: 'chat' },
    { json: { chat: '204283749201837@lid' }, field: 'chat' },
    { json: { chat: CHAT, debtorId: 'x' }, field: 'debtorId' },
  ])('refuses $json naming $field', async ({ json, field }) => {
    const res = await call(app, 'POST', PATH, { headers: extension, json });
    expectProblem(res, 422, 'validation', field);
  });

  test('an unknown debtor is a 404, and collectors cannot confirm', async () => {
    expectProblem(
      await call(app, 'POST', PATH, {
        headers: extension,
        json: {
          chat: 'whatsapp:99999999999@lid',
          debtorId: '01890a5d-ac96-774b-bcce-b302099a8057',
        },
      }),
      404,
      'not-found',
    );
    const collector = await seedUser(db, 'collector', { now: clock.now() });
    expectProblem(
      await call(app, 'POST', PATH, {
        headers: collector.headers,
        json: { chat: 'whatsapp:99999999999@lid', debtorId: carlos },
      }),
      403,
      'forbidden',
    );
  });
});
