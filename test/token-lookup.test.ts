/**
 * Batched token lookups (server/auth/token-lookup.ts) answer exactly what one lookup per request
 * answers (tokens.repo.ts authenticateToken): valid, revoked, expired (judged against each
 * request's own clock), unknown, an inactive user's — with one SELECT for the lookups of one
 * event-loop turn, on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Db } from '../server/db/db';
import { authenticateTokenBatched } from '../server/auth/token-lookup';
import { authenticateToken, issueToken } from '../server/auth/tokens.repo';
import { seedUser } from './helpers/auth';
import { forEachDb, openTestDb } from './helpers/test-db';

const NOW = new Date('2025-03-10T12:00:00Z');

forEachDb((kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  test('concurrent lookups: one statement, each answered as alone', async () => {
    const valid = await seedUser(db, 'collector', { now: NOW });
    const revoked = await seedUser(db, 'collector', { now: NOW });
    const inactive = await seedUser(db, 'owner', { now: NOW });
    const shortLived = await db.transaction((tx) =>
      issueToken(tx, {
        userId: valid.user.id,
        kind: 'session',
        now: NOW,
        expiresAt: new Date(NOW.getTime() + 60_000),
      }),
    );
    await db.query('UPDATE auth_tokens SET revoked_at = $2 WHERE user_id = $1', [
      revoked.user.id,
      NOW,
    ]);
    await db.query('UPDATE users SET active = false WHERE id = $1', [inactive.user.id]);
    // Used just now: no lookup below slides its expiry (a touch happens at most hourly).
    await db.query('UPDATE auth_tokens SET last_used_at = $2 WHERE id = $1', [shortLived.id, NOW]);
    const later = new Date(NOW.getTime() + 120_000);
    const cases: [string, Date][] = [
      [valid.token, NOW],
      [revoked.token, NOW],
      [inactive.token, NOW],
      ['qt_unknown_token', NOW],
      [shortLived.token, NOW],
      // The same token, judged against a clock past its expiry.
      [shortLived.token, later],
      [valid.token, later],
    ];
    const single = [];
    for (const [token, now] of cases) single.push(await authenticateToken(db, token, now));
    let selects = 0;
    const counted: Db = {
      ...db,
      kind: db.kind,
      query: (sql, params) => {
        if (sql.includes('FROM auth_tokens')) selects++;
        return db.query(sql, params);
      },
    };
    const batched = await Promise.all(
      cases.map(([token, now]) => authenticateTokenBatched(counted, token, now)),
    );
    expect(selects).toBe(1);
    expect(batched).toEqual(single);
    expect(batched.map((u) => u?.id)).toEqual([
      valid.user.id,
      undefined,
      undefined,
      undefined,
      valid.user.id,
      undefined,
      valid.user.id,
    ]);
  });
});
