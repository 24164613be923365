import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TOKEN_SCOPES } from '#shared/auth/auth.schema';
import { openTestDb } from '#test/helpers/test-db';
import { seedUser } from '#test/helpers/auth';
import type { Db } from '../db/db';
import { loadMigrations, migrate } from '../db/migrate';
import { openPglite } from '../db/pglite';
import { scopeAllows } from './token-scope';

describe('scopeAllows', () => {
  test.each([
    ['full', 'POST', '/api/users', true],
    ['extension', 'GET', '/api/debtors/lookup', true],
    ['extension', 'GET', '/api/debtors', true],
    ['extension', 'GET', '/api/debtors/', true],
    ['extension', 'HEAD', '/api/debtors/0190f2c4-0000-7000-8000-000000000001', true],
    ['extension', 'GET', '/api/debtors/0190f2c4-0000-7000-8000-000000000001', true],
    ['extension', 'GET', '/api/debtors/0190f2c4-0000-7000-8000-000000000001/timeline', false],
    ['extension', 'PATCH', '/api/debtors/0190f2c4-0000-7000-8000-000000000001', false],
    ['extension', 'POST', '/api/debtors/0190f2c4-0000-7000-8000-000000000001/portal-links', true],
    [
      'extension',
      'DELETE',
      '/api/debtors/0190f2c4-0000-7000-8000-000000000001/portal-links',
      false,
    ],
    ['extension', 'GET', '/api/debtors/0190f2c4-0000-7000-8000-000000000001/portal-links', false],
    ['extension', 'POST', '/api/users', false],
    ['extension', 'POST', '/api/auth/tokens', false],
    ['extension', 'DELETE', '/api/auth/tokens/0190f2c4-0000-7000-8000-000000000001', false],
    ['extension', 'POST', '/api/auth/logout', true],
    ['extension', 'GET', '/api/contacts', false],
    ['extension', 'POST', '/api/contacts', true],
    ['extension', 'PUT', '/api/settings/templates/x', false],
    ['extension', 'GET', '/api/settings/templatesx', false],
    ['extension', 'GET', '/api/a-route-added-tomorrow', false],
    // A named path under a pattern's `:id` is not an id: only UUIDs match it.
    ['extension', 'GET', '/api/debtors/duplicates', false],
    ['extension', 'GET', '/api/debtors/export.csv', false],
  ] as const)('%s token, %s %s → %s', (scope, method, path, allowed) => {
    expect(scopeAllows(scope, method, path)).toBe(allowed);
  });
});

describe('auth_tokens.scope', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb('pglite');
  });
  afterAll(async () => {
    await db.close();
  });

  test('the CHECK accepts exactly the shared TOKEN_SCOPES, and a session is always full', async () => {
    const { user } = await seedUser(db, 'staff');
    const insert = (kind: string, scope: string) =>
      db.query(
        `INSERT INTO auth_tokens (id, user_id, kind, scope, token_hash, display, created_at, expires_at)
         VALUES (gen_random_uuid(), $1, $2, $3, md5(random()::text), 'x', now(), now())`,
        [user.id, kind, scope],
      );
    const accepted: string[] = [];
    for (const scope of [...TOKEN_SCOPES, 'admin', 'EXTENSION', ''])
      for (const kind of ['session', 'api'])
        if (
          await insert(kind, scope).then(
            () => true,
            () => false,
          )
        )
          accepted.push(`${kind}:${scope}`);
    expect(accepted.sort()).toEqual(['api:extension', 'session:full']);
  });
});

test('migration 0100 turns every existing personal token into an extension token', async () => {
  const db = await openPglite();
  try {
    const all = loadMigrations();
    await migrate(
      db,
      all.filter((m) => m.version < 100),
    );
    const [user] = await db.query<{ id: string }>(
      `INSERT INTO users (id, email, name, role, password_hash)
       VALUES (gen_random_uuid(), 'dono@example.com', 'Dono', 'owner', 'x') RETURNING id`,
    );
    for (const kind of ['session', 'api'])
      await db.query(
        `INSERT INTO auth_tokens (id, user_id, kind, token_hash, display, created_at, expires_at)
         VALUES (gen_random_uuid(), $1, $2, md5(random()::text), 'x', now(), now() + interval '1 day')`,
        [user?.id, kind],
      );
    await migrate(db, all);
    const rows = await db.query<{ kind: string; scope: string }>(
      'SELECT kind, scope FROM auth_tokens ORDER BY kind',
    );
    expect(rows).toEqual([
      { kind: 'api', scope: 'extension' },
      { kind: 'session', scope: 'full' },
    ]);
  } finally {
    await db.close();
  }
}, 60_000);
