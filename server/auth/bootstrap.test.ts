import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { testClock } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { bootstrapOwner } from './bootstrap';

const PASSWORD = 'owner passphrase 1';

forEachDb((kind) => {
  describe('owner from the environment', () => {
    let db: Db;
    beforeAll(async () => {
      db = await openTestDb(kind);
    });
    afterAll(async () => {
      await db.close();
    });

    test.each([
      { email: 'not-an-email', password: PASSWORD, error: /^QUITA_OWNER_EMAIL: e-mail inválido/ },
      {
        email: 'dona@example.com',
        password: 'short',
        error: /^QUITA_OWNER_PASSWORD: .*10 caracteres/,
      },
      { email: undefined, password: PASSWORD, error: /^QUITA_OWNER_EMAIL/ },
    ])('refuses email=$email password=$password', async ({ email, password, error }) => {
      await expect(bootstrapOwner(db, { email, password }, new Date())).rejects.toThrow(error);
      expect(await db.query('SELECT 1 FROM users')).toEqual([]);
    });

    test('creates the owner once; the owner can log in', async () => {
      const owner = { email: 'Dona@Example.com', password: PASSWORD, name: 'Dona Rosa' };
      expect(await bootstrapOwner(db, owner, new Date())).toEqual({
        kind: 'owner-created',
        email: 'dona@example.com',
      });
      expect(await bootstrapOwner(db, owner, new Date())).toEqual({ kind: 'ready' });
      const app = createApp({ db, version: 'test' });
      const login = await call(app, 'POST', '/api/auth/login', {
        json: { email: 'dona@example.com', password: PASSWORD },
      });
      expect(login.body).toMatchObject({ user: { name: 'Dona Rosa', role: 'owner' } });
      expect(
        await db.query(`SELECT 1 FROM audit_log WHERE action = 'user.bootstrap'`),
      ).toHaveLength(1);
      // A name given by a person: the first-run guide does not ask for it.
      expect(await db.query(`SELECT state FROM onboarding_steps WHERE step = 'name'`)).toEqual([
        { state: 'done' },
      ]);
    });
  });

  describe('owner from the environment, without QUITA_OWNER_NAME', () => {
    let db: Db;
    beforeAll(async () => {
      db = await openTestDb(kind);
    });
    afterAll(async () => {
      await db.close();
    });

    test('is named from the e-mail address, and the guide will ask to confirm it', async () => {
      await bootstrapOwner(
        db,
        { email: 'rosa.almeida@padaria.com.br', password: PASSWORD },
        new Date(),
      );
      expect(await db.query(`SELECT name FROM users`)).toEqual([{ name: 'Rosa Almeida' }]);
      expect(await db.query(`SELECT 1 FROM onboarding_steps`)).toEqual([]);
    });
  });

  describe('one-time setup link', () => {
    let db: Db;
    const clock = testClock();
    beforeAll(async () => {
      db = await openTestDb(kind);
    });
    afterAll(async () => {
      await db.close();
    });

    test('a link expires after 24 hours; a fresh one creates the first owner exactly once', async () => {
      const app = createApp({ db, version: 'test', now: clock.now });
      const stale = await bootstrapOwner(db, {}, clock.now());
      if (stale.kind !== 'setup') throw new Error(`expected a setup token, got ${stale.kind}`);
      clock.advance(24 * 3_600_000 + 1);
      const late = {
        token: stale.token,
        email: 'late@example.com',
        name: 'Late',
        password: PASSWORD,
      };
      expectProblem(
        await call(app, 'POST', '/api/setup', { json: late }),
        403,
        'invalid-setup-token',
      );

      const boot = await bootstrapOwner(db, {}, clock.now());
      if (boot.kind !== 'setup') throw new Error(`expected a setup token, got ${boot.kind}`);
      expect(boot.token).toMatch(/^quita_setup_/);
      const body = {
        token: boot.token,
        email: 'dono@example.com',
        name: 'Seu Zé',
        password: PASSWORD,
      };

      expectProblem(
        await call(app, 'POST', '/api/setup', { json: { ...body, token: 'quita_setup_guess' } }),
        403,
        'invalid-setup-token',
      );
      expectProblem(
        await call(app, 'POST', '/api/setup', { json: { ...body, password: 'short' } }),
        422,
        'validation',
        'password',
      );

      const done = await call<{ token: string }>(app, 'POST', '/api/setup', { json: body });
      expect(done.status).toBe(201);
      expect(done.body).toMatchObject({ user: { name: 'Seu Zé', role: 'owner' } });
      const me = await call(app, 'GET', '/api/auth/me', {
        headers: { authorization: `Bearer ${done.body.token}` },
      });
      expect(me.body).toMatchObject({ email: 'dono@example.com', role: 'owner' });

      expectProblem(await call(app, 'POST', '/api/setup', { json: body }), 410, 'setup-done');
      expectProblem(
        await call(app, 'POST', '/api/setup', { json: { ...body, email: 'other@example.com' } }),
        410,
        'setup-done',
      );
      expect(await db.query('SELECT email FROM users')).toEqual([{ email: 'dono@example.com' }]);
      expect(await bootstrapOwner(db, {}, clock.now())).toEqual({ kind: 'ready' });
    });
  });
});
