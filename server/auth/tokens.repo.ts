/**
 * Stored bearer tokens. Sessions expire 30 days after their last use (sliding; refreshed at most
 * once an hour so a busy client doesn't write on every request); personal API tokens expire on a
 * fixed date chosen at creation (default 90 days). Both can be revoked.
 */
import { uuidv7 } from 'uuidv7';
import type { Queryable, Tx } from '../db/db';
import type { Role } from '#shared/auth/user.schema';
import type { ApiToken, TokenScope } from '#shared/auth/auth.schema';
import { generateToken, hashToken, type TokenKind } from './tokens';

const DAY_MS = 86_400_000;
export const SESSION_TTL_MS = 30 * DAY_MS;
export const TOKEN_TOUCH_INTERVAL_MS = 3_600_000;
export const DEFAULT_API_TOKEN_DAYS = 90;

/** The authenticated caller resolved from a bearer token. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  tokenId: string;
  tokenKind: TokenKind;
  /** What the token may do: `full` (session) or `extension` (see server/auth/token-scope.ts). */
  tokenScope: TokenScope;
}

/** The scope a token of `kind` carries: a session is full, a personal token the extension's. */
export function scopeOf(kind: TokenKind): TokenScope {
  return kind === 'session' ? 'full' : 'extension';
}

/** Creates a token for `userId`; returns the secret (shown once) and its row data. */
export async function issueToken(
  tx: Tx,
  input: { userId: string; kind: TokenKind; name?: string | null; now: Date; expiresAt?: Date },
): Promise<{
  id: string;
  token: string;
  display: string;
  scope: TokenScope;
  createdAt: Date;
  expiresAt: Date;
}> {
  const { token, hash, display } = generateToken(input.kind);
  const id = uuidv7();
  const scope = scopeOf(input.kind);
  const expiresAt = input.expiresAt ?? new Date(input.now.getTime() + SESSION_TTL_MS);
  await tx.query(
    `INSERT INTO auth_tokens (id, user_id, kind, scope, name, token_hash, display, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [id, input.userId, input.kind, scope, input.name ?? null, hash, display, input.now, expiresAt],
  );
  return { id, token, display, scope, createdAt: input.now, expiresAt };
}

/** An active token's row joined with its user, as the lookups read it. */
export interface TokenUserRow {
  token_id: string;
  kind: TokenKind;
  scope: TokenScope;
  last_used_at: Date | null;
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** Resolves a presented token to its active user, sliding the session expiry; undefined if invalid. */
export async function authenticateToken(
  db: Queryable,
  token: string,
  now: Date,
): Promise<AuthUser | undefined> {
  const [row] = await db.query<TokenUserRow>(
    `SELECT t.id AS token_id, t.kind, t.scope, t.last_used_at, u.id, u.email, u.name, u.role
       FROM auth_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.active`,
    [hashToken(token), now],
  );
  return row ? touchToken(db, row, now) : undefined;
}

/**
 * The user of a valid token's row; at most once per TOKEN_TOUCH_INTERVAL_MS records its use and
 * slides a session's expiry.
 */
export async function touchToken(db: Queryable, row: TokenUserRow, now: Date): Promise<AuthUser> {
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= TOKEN_TOUCH_INTERVAL_MS) {
    await db.query(
      `UPDATE auth_tokens SET last_used_at = $2,
              expires_at = CASE WHEN kind = 'session' THEN $3 ELSE expires_at END
        WHERE id = $1 AND revoked_at IS NULL`,
      [row.token_id, now, new Date(now.getTime() + SESSION_TTL_MS)],
    );
  }
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    tokenId: row.token_id,
    tokenKind: row.kind,
    tokenScope: row.scope,
  };
}

/** Revokes one token of `userId`; false if it does not exist, is not theirs or was already revoked. */
export async function revokeToken(
  tx: Tx,
  input: { tokenId: string; userId: string; now: Date; kind?: TokenKind },
): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE auth_tokens SET revoked_at = $3
      WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND ($4::text IS NULL OR kind = $4)
      RETURNING id`,
    [input.tokenId, input.userId, input.now, input.kind ?? null],
  );
  return rows.length > 0;
}

/** Revokes every live token of a user except `keepTokenId`; returns how many. */
export async function revokeUserTokens(
  tx: Tx,
  input: { userId: string; now: Date; keepTokenId?: string },
): Promise<number> {
  const rows = await tx.query(
    `UPDATE auth_tokens SET revoked_at = $2
      WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3)
      RETURNING id`,
    [input.userId, input.now, input.keepTokenId ?? null],
  );
  return rows.length;
}

/** The user's personal API tokens that are neither revoked nor expired. */
export async function listApiTokens(db: Queryable, userId: string, now: Date): Promise<ApiToken[]> {
  const rows = await db.query<{
    id: string;
    name: string | null;
    display: string;
    scope: TokenScope;
    created_at: Date;
    expires_at: Date;
    last_used_at: Date | null;
  }>(
    `SELECT id, name, display, scope, created_at, expires_at, last_used_at FROM auth_tokens
      WHERE user_id = $1 AND kind = 'api' AND revoked_at IS NULL AND expires_at > $2
      ORDER BY created_at, id`,
    [userId, now],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name ?? '',
    display: r.display,
    scope: r.scope,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  }));
}

/** Expiry of a personal token created at `now` for `days`. */
export function apiTokenExpiry(now: Date, days: number = DEFAULT_API_TOKEN_DAYS): Date {
  return new Date(now.getTime() + days * DAY_MS);
}
