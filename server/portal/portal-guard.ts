/**
 * What stands between a link and a debt: rate limits, the identity check's bookkeeping and the
 * short session a passed check opens.
 *
 * Limits (decided; README "A página do cliente"):
 * - a client address that presented 20 unknown, expired or revoked tokens in 15 minutes is refused
 *   (429) on every link for the rest of that window: guessing a token needs ~2^128 tries;
 * - identity answers: 5 wrong ones per link in 15 minutes (since its last right one) make that link
 *   wait; 10 wrong ones from one address in 15 minutes make that address wait on every link;
 *   10 wrong ones on a link within 24 hours LOCK the link (revoked 'locked', audited; the office
 *   sends a new one). Every wrong answer is audited;
 * - raw request volume, per process and in memory: 300 page requests per address and 120 per
 *   link in 15 minutes (a crawler or a script hammering a link).
 * Failures live in the database so the limits hold across server processes; a request refused
 * with 429 is not counted again, so waiting always ends the block.
 *
 * Sessions: 32 random bytes in an HttpOnly, SameSite=Strict cookie scoped to the link's path
 * (Secure over HTTPS), stored as SHA-256; 20 minutes idle, 2 hours at most; each carries its own
 * CSRF token for the page's forms. Revoking a link ends its sessions.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable, Tx } from '../db/db';

const MINUTE = 60_000;
export const WINDOW_MS = 15 * MINUTE;
export const LIMITS = {
  badTokensPerAddress: 20,
  wrongAnswersPerLink: 5,
  wrongAnswersPerAddress: 10,
  wrongAnswersToLock: 10,
  lockWindowMs: 24 * 60 * MINUTE,
  requestsPerAddress: 300,
  requestsPerLink: 120,
} as const;
const RETENTION_MS = 24 * 60 * MINUTE;
export const SESSION_IDLE_MS = 20 * MINUTE;
export const SESSION_MAX_MS = 120 * MINUTE;

function retryAfter(oldest: Date | undefined, windowMs: number, now: Date): number | null {
  if (!oldest) return null;
  return Math.max(1, Math.ceil((oldest.getTime() + windowMs - now.getTime()) / 1000));
}

/** Seconds an address must wait before presenting another token, or null. */
export async function badTokenWait(q: Queryable, ip: string, now: Date): Promise<number | null> {
  const rows = await q.query<{ at: Date }>(
    `SELECT at FROM portal_attempts WHERE ip = $1 AND kind = 'bad_token' AND at > $2
      ORDER BY at DESC LIMIT $3`,
    [ip, new Date(now.getTime() - WINDOW_MS), LIMITS.badTokensPerAddress],
  );
  return retryAfter(rows[LIMITS.badTokensPerAddress - 1]?.at, WINDOW_MS, now);
}

/** Seconds before another identity answer is taken for this link from this address, or null. */
export async function identityWait(
  q: Queryable,
  linkId: string,
  ip: string,
  now: Date,
): Promise<number | null> {
  const since = new Date(now.getTime() - WINDOW_MS);
  const [perLink, perAddress] = await Promise.all([
    q.query<{ at: Date }>(
      `SELECT at FROM portal_attempts
        WHERE link_id = $1 AND kind = 'identity_failed' AND at > $2
          AND at > coalesce((SELECT max(at) FROM portal_attempts
                              WHERE link_id = $1 AND kind = 'identity_ok'), '-infinity')
        ORDER BY at DESC LIMIT $3`,
      [linkId, since, LIMITS.wrongAnswersPerLink],
    ),
    q.query<{ at: Date }>(
      `SELECT at FROM portal_attempts WHERE ip = $1 AND kind = 'identity_failed' AND at > $2
        ORDER BY at DESC LIMIT $3`,
      [ip, since, LIMITS.wrongAnswersPerAddress],
    ),
  ]);
  const waits = [
    retryAfter(perLink[LIMITS.wrongAnswersPerLink - 1]?.at, WINDOW_MS, now),
    retryAfter(perAddress[LIMITS.wrongAnswersPerAddress - 1]?.at, WINDOW_MS, now),
  ].filter((w): w is number => w !== null);
  return waits.length === 0 ? null : Math.max(...waits);
}

/** Wrong answers left on this link before it must wait (for the page's warning). */
export async function answersLeft(q: Queryable, linkId: string, now: Date): Promise<number> {
  const [row] = await q.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM portal_attempts
      WHERE link_id = $1 AND kind = 'identity_failed' AND at > $2
        AND at > coalesce((SELECT max(at) FROM portal_attempts
                            WHERE link_id = $1 AND kind = 'identity_ok'), '-infinity')`,
    [linkId, new Date(now.getTime() - WINDOW_MS)],
  );
  return Math.max(0, LIMITS.wrongAnswersPerLink - Number(row?.n ?? 0));
}

/** True when the link's wrong answers in the last 24 hours reached the lock count. */
export async function shouldLock(q: Queryable, linkId: string, now: Date): Promise<boolean> {
  const [row] = await q.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM portal_attempts
      WHERE link_id = $1 AND kind = 'identity_failed' AND at > $2`,
    [linkId, new Date(now.getTime() - LIMITS.lockWindowMs)],
  );
  return Number(row?.n ?? 0) >= LIMITS.wrongAnswersToLock;
}

/** Records one attempt and forgets attempts older than a day. */
export async function recordAttempt(
  tx: Tx,
  attempt: {
    kind: 'bad_token' | 'identity_failed' | 'identity_ok';
    linkId: string | null;
    ip: string;
    now: Date;
  },
): Promise<void> {
  await tx.query('INSERT INTO portal_attempts (kind, link_id, ip, at) VALUES ($1, $2, $3, $4)', [
    attempt.kind,
    attempt.linkId,
    attempt.ip,
    attempt.now,
  ]);
  await tx.query('DELETE FROM portal_attempts WHERE at < $1', [
    new Date(attempt.now.getTime() - RETENTION_MS),
  ]);
}

/**
 * Sliding-window request counter kept in memory (per process). `hit` answers the seconds to wait
 * when the key is over `max` in `windowMs`, else records the hit and answers null. Bounded: at
 * most `maxKeys` keys, the stalest dropped first.
 */
export function windowCounter(max: number, windowMs: number, maxKeys = 50_000) {
  const hits = new Map<string, number[]>();
  return {
    hit(key: string, now: number): number | null {
      const list = (hits.get(key) ?? []).filter((t) => t > now - windowMs);
      if (list.length >= max) {
        hits.set(key, list);
        return Math.max(1, Math.ceil(((list[0] ?? now) + windowMs - now) / 1000));
      }
      list.push(now);
      hits.delete(key);
      hits.set(key, list);
      if (hits.size > maxKeys) {
        const stalest = hits.keys().next().value;
        if (stalest !== undefined) hits.delete(stalest);
      }
      return null;
    },
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A random token for a cookie or a form (base64url of `bytes` random bytes). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Constant-time equality of two short strings. */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** A live session: whose page it opens and the CSRF token its forms carry. */
export interface PortalSession {
  debtorId: string;
  linkId: string;
  csrf: string;
}

/** Opens a session for a passed identity check; answers the cookie value. */
export async function openSession(
  tx: Tx,
  link: { id: string; debtor_id: string },
  ip: string,
  now: Date,
): Promise<string> {
  const token = randomToken(32);
  await tx.query(
    `INSERT INTO portal_sessions (token_hash, link_id, debtor_id, csrf, ip, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      sha256(token),
      link.id,
      link.debtor_id,
      randomToken(18),
      ip,
      now,
      new Date(now.getTime() + SESSION_IDLE_MS),
    ],
  );
  await tx.query('DELETE FROM portal_sessions WHERE expires_at < $1', [
    new Date(now.getTime() - RETENTION_MS),
  ]);
  return token;
}

/**
 * The session a cookie names for this link, sliding its idle expiry (written at most once a
 * minute), or null when absent, ended, expired or opened through another link.
 */
export async function readSession(
  q: Queryable,
  cookie: string | undefined,
  linkId: string,
  now: Date,
): Promise<PortalSession | null> {
  if (!cookie || !/^[A-Za-z0-9_-]{43}$/.test(cookie)) return null;
  const [row] = await q.query<{
    debtor_id: string;
    link_id: string;
    csrf: string;
    created_at: Date;
    expires_at: Date;
  }>(
    `SELECT debtor_id, link_id, csrf, created_at, expires_at FROM portal_sessions
      WHERE token_hash = $1 AND ended_at IS NULL AND expires_at > $2`,
    [sha256(cookie), now],
  );
  if (row?.link_id !== linkId) return null;
  const next = Math.min(row.created_at.getTime() + SESSION_MAX_MS, now.getTime() + SESSION_IDLE_MS);
  if (next - row.expires_at.getTime() > MINUTE)
    await q.query('UPDATE portal_sessions SET expires_at = $2 WHERE token_hash = $1', [
      sha256(cookie),
      new Date(next),
    ]);
  return { debtorId: row.debtor_id, linkId: row.link_id, csrf: row.csrf };
}

/** Ends the session a cookie names. */
export async function endSession(
  q: Queryable,
  cookie: string | undefined,
  now: Date,
): Promise<void> {
  if (!cookie) return;
  await q.query(
    'UPDATE portal_sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL',
    [sha256(cookie), now],
  );
}
