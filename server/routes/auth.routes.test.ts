import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, TEST_PASSWORD, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';

const DAY = 86_400_000;

forEachDb((kind) => {
  let db: Db;
  let owner: SeededUser;
  let collector: SeededUser;
  const clock = testClock();
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now, trustProxy: true });
    owner = await seedUser(db, 'owner', { now: clock.now() });
    collector = await seedUser(db, 'collector', { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  const login = (email: string, password: string, ip = '10.0.0.1') =>
    call<{ token: string; user: { id: string; name: string; role: string } }>(
      app,
      'POST',
      '/api/auth/login',
      {
        json: { email, password },
        headers: { 'x-forwarded-for': ip },
      },
    );
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  describe('login', () => {
    test('answers a session token and the user summary; the email is case-insensitive', async () => {
      const res = await login(`  ${owner.user.email.toUpperCase()} `, TEST_PASSWORD);
      expect(res.status).toBe(200);
      expect(res.body.token).toMatch(/^quita_ses_[A-Za-z0-9_-]{43}$/);
      expect(res.body.user).toEqual({ id: owner.user.id, name: owner.user.name, role: 'owner' });
      const me = await call(app, 'GET', '/api/auth/me', { headers: bearer(res.body.token) });
      expect(me.body).toMatchObject({
        id: owner.user.id,
        email: owner.user.email,
        role: 'owner',
        active: true,
      });
    });

    test.each([
      { case: 'wrong password', email: () => owner.user.email, password: 'wrong password!' },
      { case: 'unknown email', email: () => 'nobody@example.com', password: TEST_PASSWORD },
    ])('refuses a $case with the same 401 problem', async ({ email, password }) => {
      const res = await login(email(), password, '10.0.0.2');
      expect(res.status).toBe(401);
      expectProblem(res, 401, 'invalid-credentials');
    });

    test('validates the body and names the failing field', async () => {
      const missing = await call(app, 'POST', '/api/auth/login', { json: { password: 'x' } });
      expect(missing.status).toBe(422);
      expectProblem(missing, 422, 'validation', 'email');
      expect(missing.body).toMatchObject({ errors: [{ field: 'email' }] });
      const badJson = await call(app, 'POST', '/api/auth/login', {
        body: '{"email": ',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(badJson, 400, 'malformed-json');
      const form = await call(app, 'POST', '/api/auth/login', {
        body: 'email=a',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectProblem(form, 415, 'unsupported-media-type');
    });

    test('5 failures per email and address in 15 minutes → 429 with Retry-After, even for the right password', async () => {
      const email = collector.user.email;
      for (let i = 0; i < 5; i++)
        expect((await login(email, 'bad password', '10.9.9.9')).status).toBe(401);
      clock.advance(60_000);
      const blocked = await login(email, TEST_PASSWORD, '10.9.9.9');
      expectProblem(blocked, 429, 'rate-limited');
      expect(Number(blocked.headers.get('retry-after'))).toBe(14 * 60);
      // Another client address is not blocked by this one's failures.
      expect((await login(email, TEST_PASSWORD, '10.9.9.10')).status).toBe(200);
      clock.advance(14 * 60_000 + 1_000);
      expect((await login(email, TEST_PASSWORD, '10.9.9.9')).status).toBe(200);
    });

    test('a successful login clears the failure count', async () => {
      const email = owner.user.email;
      for (let i = 0; i < 4; i++) await login(email, 'bad password', '10.7.7.7');
      expect((await login(email, TEST_PASSWORD, '10.7.7.7')).status).toBe(200);
      for (let i = 0; i < 4; i++) await login(email, 'bad password', '10.7.7.7');
      expect((await login(email, TEST_PASSWORD, '10.7.7.7')).status).toBe(200);
    });

    test('stores only the SHA-256 of the token and audits logins', async () => {
      const { body } = await login(owner.user.email, TEST_PASSWORD, '10.0.0.3');
      const rows = await db.query<Record<string, unknown>>('SELECT * FROM auth_tokens');
      expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toContain(body.token);
      expect(JSON.stringify(rows)).not.toContain(body.token.slice(12));
      const sha = createHash('sha256').update(body.token).digest('hex');
      expect(rows.filter((r) => r['token_hash'] === sha)).toHaveLength(1);
      const audits = await db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE ip = '10.0.0.3' ORDER BY id`,
      );
      expect(audits.map((a) => a.action)).toEqual(['auth.login']);
      const failed = await db.query(
        `SELECT 1 FROM audit_log WHERE action = 'auth.login_failed' AND ip = '10.0.0.2'`,
      );
      expect(failed).toHaveLength(2);
    });
  });

  describe('sessions', () => {
    test('logout revokes the token', async () => {
      const { body } = await login(owner.user.email, TEST_PASSWORD, '10.0.1.1');
      expect(
        (await call(app, 'POST', '/api/auth/logout', { headers: bearer(body.token) })).status,
      ).toBe(204);
      expectProblem(
        await call(app, 'GET', '/api/auth/me', { headers: bearer(body.token) }),
        401,
        'unauthenticated',
      );
    });

    test('expire 30 days after their last use (sliding)', async () => {
      const { body } = await login(owner.user.email, TEST_PASSWORD, '10.0.1.2');
      const me = () => call(app, 'GET', '/api/auth/me', { headers: bearer(body.token) });
      clock.advance(20 * DAY);
      expect((await me()).status).toBe(200);
      clock.advance(20 * DAY);
      expect((await me()).status).toBe(200);
      clock.advance(31 * DAY);
      expect((await me()).status).toBe(401);
    });
  });

  describe('personal API tokens', () => {
    let session: string;
    beforeAll(async () => {
      session = (await login(owner.user.email, TEST_PASSWORD, '10.0.2.1')).body.token;
    });

    test('are created once with their secret, listed without it, usable, and revocable', async () => {
      const created = await call<{ id: string; token: string; display: string; expiresAt: string }>(
        app,
        'POST',
        '/api/auth/tokens',
        { json: { name: 'Gmail extension', expiresInDays: 30 }, headers: bearer(session) },
      );
      expect(created.status).toBe(201);
      expect(created.body.token).toMatch(/^quita_pat_/);
      expect(created.body.display).toBe(created.body.token.slice(0, 14));
      expect(new Date(created.body.expiresAt).getTime() - clock.now().getTime()).toBe(30 * DAY);

      const list = await call<Record<string, unknown>[]>(app, 'GET', '/api/auth/tokens', {
        headers: bearer(session),
      });
      expect(list.body.map((t) => t['id'])).toContain(created.body.id);
      expect(JSON.stringify(list.body)).not.toContain(created.body.token);

      const pat = bearer(created.body.token);
      expect(created.body).toMatchObject({ scope: 'extension' });
      expect((await call(app, 'GET', '/api/auth/me', { headers: pat })).status).toBe(200);
      // A personal token is scoped to the extension: it cannot mint more tokens.
      expectProblem(
        await call(app, 'POST', '/api/auth/tokens', { json: { name: 'minted' }, headers: pat }),
        403,
        'token-scope',
      );

      const path = `/api/auth/tokens/${created.body.id}`;
      expect((await call(app, 'DELETE', path, { headers: bearer(session) })).status).toBe(204);
      expect((await call(app, 'GET', '/api/auth/me', { headers: pat })).status).toBe(401);
      expectProblem(
        await call(app, 'DELETE', path, { headers: bearer(session) }),
        404,
        'not-found',
      );
      const audits = await db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
        [created.body.id],
      );
      expect(audits.map((a) => a.action)).toEqual(['token.create', 'token.revoke']);
    });

    test('expire on their fixed date', async () => {
      const created = await call<{ token: string }>(app, 'POST', '/api/auth/tokens', {
        json: { name: 'short', expiresInDays: 1 },
        headers: bearer(session),
      });
      expect(
        (await call(app, 'GET', '/api/auth/me', { headers: bearer(created.body.token) })).status,
      ).toBe(200);
      clock.advance(DAY + 1);
      expect(
        (await call(app, 'GET', '/api/auth/me', { headers: bearer(created.body.token) })).status,
      ).toBe(401);
    });

    test.each([
      { json: { name: '' }, field: 'name' },
      { json: { name: 'x', expiresInDays: 366 }, field: 'expiresInDays' },
      { json: { name: 'x', expiresInDays: 1.5 }, field: 'expiresInDays' },
    ])('rejects $json naming $field', async ({ json, field }) => {
      const res = await call(app, 'POST', '/api/auth/tokens', { json, headers: bearer(session) });
      expectProblem(res, 422, 'validation', field);
    });

    test('collectors cannot have personal tokens', async () => {
      const fresh = await seedUser(db, 'collector', { now: clock.now() });
      const res = await call(app, 'POST', '/api/auth/tokens', {
        json: { name: 'x' },
        headers: fresh.headers,
      });
      expectProblem(res, 403, 'forbidden');
    });
  });
});
