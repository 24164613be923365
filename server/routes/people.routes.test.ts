import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { testDevice } from '#test/helpers/sync';

const GOOD = 'sabiá laranjeira 1987 quintal';

let db: Db;
let app: ReturnType<typeof createApp>;
const users = {} as Record<Role, SeededUser>;
const clock = testClock('2025-03-10T12:00:00Z');

beforeAll(async () => {
  db = await openTestDb('pglite');
  app = createApp({ db, version: 'test', now: clock.now });
  for (const role of ['owner', 'staff', 'collector'] as const)
    users[role] = await seedUser(db, role, { now: clock.now(), name: `Pessoa ${role}` });
});
afterAll(async () => {
  await db.close();
});

describe('password policy (server side, always)', () => {
  test.each([
    ['senha12345', /senha fraca/],
    ['1234567890', /senha fraca/],
    ['joaosilva2025', /senha fraca: usa o seu nome ou o seu e-mail/],
    ['qwertyuiop', /senha fraca/],
  ])('a new user with %j is refused in pt-BR', async (password, reason) => {
    const res = await call<{ errors: { field: string; message: string }[] }>(
      app,
      'POST',
      '/api/users',
      {
        headers: users.owner.headers,
        json: { email: 'joao.silva@exemplo.com', name: 'João Silva', role: 'collector', password },
      },
    );
    expectProblem(res, 422, 'weak-password', 'password');
    expect(res.body.errors[0]?.message).toMatch(reason);
  });

  test('a strong one is accepted; a weak new password on PATCH is refused', async () => {
    const created = await call<{ id: string }>(app, 'POST', '/api/users', {
      headers: users.owner.headers,
      json: { email: 'ana@exemplo.com', name: 'Ana', role: 'collector', password: GOOD },
    });
    expect(created.status).toBe(201);
    expectProblem(
      await call(app, 'PATCH', `/api/users/${created.body.id}`, {
        headers: users.owner.headers,
        json: { password: 'anaana2025' },
      }),
      422,
      'weak-password',
      'password',
    );
  });
});

describe('one-time password reset link', () => {
  test('the owner makes a link; the person sets a strong password once; sessions end', async () => {
    const person = await seedUser(db, 'collector', { now: clock.now(), name: 'Carlos Souza' });
    expectProblem(
      await call(app, 'POST', `/api/users/${person.user.id}/password-reset`, {
        headers: users.staff.headers,
      }),
      403,
      'forbidden',
    );
    const made = await call<{ path: string; expiresAt: string }>(
      app,
      'POST',
      `/api/users/${person.user.id}/password-reset`,
      { headers: users.owner.headers },
    );
    expect(made.status).toBe(201);
    expect(made.body.path).toMatch(/^\/redefinir-senha#quita_reset_[\w-]+$/);
    expect(made.body.expiresAt).toBe('2025-03-11T12:00:00.000Z');
    const token = made.body.path.split('#')[1] ?? '';
    const [stored] = await db.query<{ token_hash: string }>(
      'SELECT token_hash FROM password_resets',
    );
    expect(stored?.token_hash).not.toContain(token);

    const check = await call<{ name: string }>(app, 'POST', '/api/password-reset/check', {
      json: { token },
    });
    expect(check.body.name).toBe('Carlos Souza');
    expectProblem(
      await call(app, 'POST', '/api/password-reset', { json: { token, password: 'carlos12345' } }),
      422,
      'weak-password',
      'password',
    );
    const done = await call(app, 'POST', '/api/password-reset', {
      json: { token, password: GOOD },
    });
    expect(done.status).toBe(204);
    // Every session of the person ended; the new password signs in.
    expectProblem(
      await call(app, 'GET', '/api/auth/me', { headers: person.headers }),
      401,
      'unauthenticated',
    );
    const login = await call(app, 'POST', '/api/auth/login', {
      json: { email: person.user.email, password: GOOD },
    });
    expect(login.status).toBe(200);
    expectProblem(
      await call(app, 'POST', '/api/password-reset', { json: { token, password: `${GOOD} 2` } }),
      410,
      'reset-used',
    );
    const audit = await db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity = 'user' AND entity_id = $1 ORDER BY id`,
      [person.user.id],
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.password_reset_link', 'user.password_reset']),
    );
  });

  test('a link expires after 24 h; a newer link retires the older one', async () => {
    const person = await seedUser(db, 'staff', { now: clock.now() });
    const link = async () => {
      const r = await call<{ path: string }>(
        app,
        'POST',
        `/api/users/${person.user.id}/password-reset`,
        {
          headers: users.owner.headers,
        },
      );
      return r.body.path.split('#')[1] ?? '';
    };
    const first = await link();
    const second = await link();
    expectProblem(
      await call(app, 'POST', '/api/password-reset/check', { json: { token: first } }),
      410,
      'reset-expired',
    );
    clock.advance(24 * 3_600_000 + 1);
    expectProblem(
      await call(app, 'POST', '/api/password-reset', { json: { token: second, password: GOOD } }),
      410,
      'reset-expired',
    );
    expectProblem(
      await call(app, 'POST', '/api/password-reset/check', {
        json: { token: 'quita_reset_nope_nope_nope_nope_nope' },
      }),
      410,
      'reset-unknown',
    );
  });
});

describe('devices and tokens of a person', () => {
  test('the owner sees and revokes an extension token and a phone', async () => {
    const staff = await seedUser(db, 'staff', { now: clock.now() });
    const pat = await call<{ id: string; token: string }>(app, 'POST', '/api/auth/tokens', {
      headers: staff.headers,
      json: { name: 'extensão Gmail' },
    });
    expect(pat.status).toBe(201);
    const access = await call<{ tokens: { id: string; kind: string; name: string | null }[] }>(
      app,
      'GET',
      `/api/users/${staff.user.id}/access`,
      { headers: users.owner.headers },
    );
    expect(access.body.tokens.map((t) => [t.kind, t.name])).toEqual([
      ['api', 'extensão Gmail'],
      ['session', null],
    ]);
    const revoked = await call(app, 'DELETE', `/api/users/${staff.user.id}/tokens/${pat.body.id}`, {
      headers: users.owner.headers,
    });
    expect(revoked.status).toBe(204);
    expectProblem(
      await call(app, 'GET', '/api/auth/me', {
        headers: { authorization: `Bearer ${pat.body.token}` },
      }),
      401,
      'unauthenticated',
    );

    const collector = await seedUser(db, 'collector', { now: clock.now() });
    const phone = testDevice(app, collector.headers, clock.now);
    await phone.sync();
    const seen = await call<{ devices: { id: string; revokedAt: string | null }[] }>(
      app,
      'GET',
      `/api/users/${collector.user.id}/access`,
      { headers: users.owner.headers },
    );
    expect(seen.body.devices.map((d) => d.id)).toEqual([phone.id]);
    const cut = await call<{ sessionRevoked: boolean }>(
      app,
      'POST',
      `/api/users/${collector.user.id}/devices/${phone.id}/revoke`,
      { headers: users.owner.headers },
    );
    expect(cut.body.sessionRevoked).toBe(true);
    expectProblem(await phone.pull(), 401, 'unauthenticated');
    // Signing in again on that phone does not bring it back.
    const again = await seedUser(db, 'collector', { now: clock.now() });
    await db.query('UPDATE auth_tokens SET user_id = $1 WHERE user_id = $2', [
      collector.user.id,
      again.user.id,
    ]);
    phone.headers['authorization'] = again.headers['authorization'] ?? '';
    expectProblem(await phone.pull(), 403, 'device-revoked');
    expectProblem(
      await call(app, 'POST', `/api/users/${collector.user.id}/devices/${phone.id}/revoke`, {
        headers: users.owner.headers,
      }),
      404,
      'not-found',
    );
  });
});
