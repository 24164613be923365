/**
 * Token lookups of concurrent requests in one statement: every request resolves its bearer token
 * (server/http/auth.ts), and under load (fifty phones pushing at once) one SELECT per request was
 * a good part of the statements the server ran — on PGlite each also waits its turn on the one
 * connection. The lookups that arrive in the same turn of the event loop are answered by one
 * `token_hash = ANY(...)` read; each is then judged on its own (`expires_at` against its own
 * `now`, exactly the single lookup's conditions) and touched as before (tokens.repo.ts). Nothing
 * is cached: a revoked or expired token is refused by the very next lookup.
 */
import type { Queryable } from '../db/db';
import { hashToken } from './tokens';
import { type TokenUserRow, touchToken, type AuthUser } from './tokens.repo';

interface Lookup {
  hash: string;
  now: Date;
  resolve: (user: AuthUser | undefined) => void;
  reject: (error: unknown) => void;
}

const waiting = new WeakMap<Queryable, Lookup[]>();

async function lookUp(db: Queryable, batch: readonly Lookup[]): Promise<void> {
  let rows: (TokenUserRow & { token_hash: string; expires_at: Date })[];
  try {
    rows = await db.query(
      `SELECT t.token_hash, t.expires_at, t.id AS token_id, t.kind, t.scope, t.last_used_at,
              u.id, u.email, u.name, u.role
         FROM auth_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = ANY($1::text[]) AND t.revoked_at IS NULL AND u.active`,
      [[...new Set(batch.map((l) => l.hash))]],
    );
  } catch (error) {
    for (const l of batch) l.reject(error);
    return;
  }
  const byHash = new Map(rows.map((r) => [r.token_hash, r]));
  await Promise.all(
    batch.map(async (l) => {
      const row = byHash.get(l.hash);
      if (!row || row.expires_at.getTime() <= l.now.getTime()) return l.resolve(undefined);
      try {
        l.resolve(await touchToken(db, row, l.now));
      } catch (error) {
        l.reject(error);
      }
    }),
  );
}

/** `authenticateToken` (tokens.repo.ts), batched with the lookups of the same event-loop turn. */
export function authenticateTokenBatched(
  db: Queryable,
  token: string,
  now: Date,
): Promise<AuthUser | undefined> {
  return new Promise((resolve, reject) => {
    let batch = waiting.get(db);
    if (!batch) {
      const mine: Lookup[] = [];
      batch = mine;
      waiting.set(db, mine);
      setImmediate(() => {
        waiting.delete(db);
        void lookUp(db, mine);
      });
    }
    batch.push({ hash: hashToken(token), now, resolve, reject });
  });
}
