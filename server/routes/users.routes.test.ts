import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, TEST_PASSWORD, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';

const NEW_PASSWORD = 'a brand new passphrase';

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const clock = testClock();

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  describe('authorisation', () => {
    const someId = '01890a5d-ac96-774b-bcce-b302099a8057';
    test.each([
      { role: 'staff', method: 'GET', path: '/api/users' },
      { role: 'staff', method: 'POST', path: '/api/users' },
      { role: 'staff', method: 'PATCH', path: `/api/users/${someId}` },
      { role: 'collector', method: 'GET', path: '/api/users' },
      { role: 'collector', method: 'POST', path: '/api/users' },
      { role: 'collector', method: 'GET', path: `/api/users/${someId}` },
      { role: 'collector', method: 'PATCH', path: `/api/users/${someId}` },
    ] as const)('$role: $method $path → 403', async ({ role, method, path }) => {
      const json = { email: 'x@example.com', name: 'X', role: 'staff', password: NEW_PASSWORD };
      const res = await call(app, method, path, {
        ...(method === 'GET' ? {} : { json }),
        headers: users[role].headers,
      });
      expectProblem(res, 403, 'forbidden');
    });

    test('without a token → 401 with WWW-Authenticate', async () => {
      const res = await call(app, 'GET', '/api/users');
      expectProblem(res, 401, 'unauthenticated');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    test('no user was created by the refused requests', async () => {
      expect(await db.query(`SELECT 1 FROM users WHERE email = 'x@example.com'`)).toEqual([]);
    });
  });

  describe('owner', () => {
    test('creates a user who can then log in', async () => {
      const res = await call<{ id: string }>(app, 'POST', '/api/users', {
        json: {
          email: ' Maria@Example.com ',
          name: ' Maria ',
          role: 'collector',
          password: NEW_PASSWORD,
        },
        headers: users.owner.headers,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        email: 'maria@example.com',
        name: 'Maria',
        role: 'collector',
        active: true,
      });
      expect(res.body).not.toHaveProperty('password');
      expect(res.body).not.toHaveProperty('passwordHash');
      const login = await call(app, 'POST', '/api/auth/login', {
        json: { email: 'maria@example.com', password: NEW_PASSWORD },
      });
      expect(login.status).toBe(200);
      const list = await call<{ id: string }[]>(app, 'GET', '/api/users', {
        headers: users.owner.headers,
      });
      expect(list.body.map((u) => u.id)).toContain(res.body.id);
      const [entry] = await db.query<{ action: string; actor_id: string }>(
        `SELECT action, actor_id FROM audit_log WHERE entity_id = $1`,
        [res.body.id],
      );
      expect(entry).toEqual({ action: 'user.create', actor_id: users.owner.user.id });
    });

    test.each([
      { json: { name: 'A', role: 'staff', password: NEW_PASSWORD }, field: 'email' },
      {
        json: { email: 'not-an-email', name: 'A', role: 'staff', password: NEW_PASSWORD },
        field: 'email',
      },
      {
        json: { email: 'a@example.com', name: '  ', role: 'staff', password: NEW_PASSWORD },
        field: 'name',
      },
      {
        json: { email: 'a@example.com', name: 'A', role: 'admin', password: NEW_PASSWORD },
        field: 'role',
      },
      {
        json: { email: 'a@example.com', name: 'A', role: 'staff', password: 'short' },
        field: 'password',
      },
      { json: { email: 'a@example.com', name: 'A', role: 'staff' }, field: 'password' },
    ])('rejects a new user without a valid $field (422)', async ({ json, field }) => {
      const res = await call(app, 'POST', '/api/users', { json, headers: users.owner.headers });
      expectProblem(res, 422, 'validation', field);
      expect((res.body as { detail: string }).detail).toMatch(new RegExp(`^${field}: `));
    });

    test('rejects a duplicate email with 409 naming the field', async () => {
      const res = await call(app, 'POST', '/api/users', {
        json: {
          email: users.staff.user.email.toUpperCase(),
          name: 'Dup',
          role: 'staff',
          password: NEW_PASSWORD,
        },
        headers: users.owner.headers,
      });
      expectProblem(res, 409, 'duplicate-email');
      expect(res.body).toMatchObject({ errors: [{ field: 'email' }] });
    });

    test('deactivating a user revokes their sessions and they can no longer log in', async () => {
      const victim = await seedUser(db, 'staff', { now: clock.now() });
      const res = await call(app, 'PATCH', `/api/users/${victim.user.id}`, {
        json: { active: false },
        headers: users.owner.headers,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ active: false });
      expectProblem(
        await call(app, 'GET', '/api/auth/me', { headers: victim.headers }),
        401,
        'unauthenticated',
      );
      const live = await db.query(
        `SELECT 1 FROM auth_tokens WHERE user_id = $1 AND revoked_at IS NULL`,
        [victim.user.id],
      );
      expect(live).toEqual([]);
      const login = await call(app, 'POST', '/api/auth/login', {
        json: { email: victim.user.email, password: TEST_PASSWORD },
      });
      expectProblem(login, 401, 'invalid-credentials');
      // Reactivation does not resurrect old sessions.
      await call(app, 'PATCH', `/api/users/${victim.user.id}`, {
        json: { active: true },
        headers: users.owner.headers,
      });
      expect((await call(app, 'GET', '/api/auth/me', { headers: victim.headers })).status).toBe(
        401,
      );
    });

    test('changing a password ends the user’s sessions; the new password works', async () => {
      const victim = await seedUser(db, 'collector', { now: clock.now() });
      const res = await call(app, 'PATCH', `/api/users/${victim.user.id}`, {
        json: { password: NEW_PASSWORD, name: 'Renamed' },
        headers: users.owner.headers,
      });
      expect(res.body).toMatchObject({ name: 'Renamed' });
      expect((await call(app, 'GET', '/api/auth/me', { headers: victim.headers })).status).toBe(
        401,
      );
      const login = await call(app, 'POST', '/api/auth/login', {
        json: { email: victim.user.email, password: NEW_PASSWORD },
      });
      expect(login.status).toBe(200);
      const [entry] = await db.query<{ detail: Record<string, unknown> }>(
        `SELECT detail FROM audit_log WHERE entity_id = $1 AND action = 'user.update'`,
        [victim.user.id],
      );
      expect(entry?.detail).toMatchObject({ tokensRevoked: 1 });
      expect((entry?.detail['changed'] as string[] | undefined)?.toSorted()).toEqual([
        'name',
        'password',
      ]);
      expect(JSON.stringify(entry)).not.toContain(NEW_PASSWORD);
    });

    test.each([
      { json: {}, status: 400, field: '' },
      { json: [], status: 400, field: '' },
      { json: { email: 'new@example.com' }, status: 422, field: 'email' },
      { json: { role: 'boss' }, status: 422, field: 'role' },
      { json: { active: 'no' }, status: 422, field: 'active' },
    ])('rejects the patch $json with $status', async ({ json, status, field }) => {
      const res = await call(app, 'PATCH', `/api/users/${users.staff.user.id}`, {
        json,
        headers: users.owner.headers,
      });
      expectProblem(res, status, 'validation', field);
    });

    test.each(['not-a-uuid', '01890a5d-ac96-774b-bcce-b302099a8057'])(
      'PATCH /api/users/%s → 404',
      async (id) => {
        const res = await call(app, 'PATCH', `/api/users/${id}`, {
          json: { name: 'X' },
          headers: users.owner.headers,
        });
        expectProblem(res, 404, 'not-found');
      },
    );

    test('the last active owner cannot be demoted or deactivated', async () => {
      const id = users.owner.user.id;
      for (const json of [{ role: 'staff' }, { active: false }]) {
        const res = await call(app, 'PATCH', `/api/users/${id}`, {
          json,
          headers: users.owner.headers,
        });
        expectProblem(res, 409, 'last-owner');
      }
      const second = await seedUser(db, 'owner', { now: clock.now() });
      const demoted = await call(app, 'PATCH', `/api/users/${id}`, {
        json: { role: 'staff' },
        headers: second.headers,
      });
      expect(demoted.body).toMatchObject({ role: 'staff' });
      // The demoted owner's next request is judged by the new role.
      expectProblem(
        await call(app, 'GET', '/api/users', { headers: users.owner.headers }),
        403,
        'forbidden',
      );
    });
  });
});
