/**
 * Login rate limit, stored in the database so it holds across several server processes:
 * at most 5 failed logins per (email, client address) in 15 minutes; a successful login clears
 * the count. Attempts refused with 429 are not recorded, so waiting always ends the block.
 * Two concurrent attempts may both pass the check; the limit can overshoot by the concurrency,
 * which is harmless for a guessing attack that needs thousands of tries.
 */
import type { Queryable, Tx } from '../db/db';

export const LOGIN_WINDOW_MS = 15 * 60_000;
export const LOGIN_MAX_FAILURES = 5;
const RETENTION_MS = 24 * 3_600_000;

/** Null when a login may be attempted, else the seconds to wait. */
export async function loginRetryAfter(
  db: Queryable,
  key: { email: string; ip: string },
  now: Date,
): Promise<number | null> {
  const failures = await db.query<{ at: Date }>(
    `SELECT at FROM login_attempts
      WHERE email = $1 AND ip = $2 AND NOT succeeded AND at > $3
        AND at > coalesce((SELECT max(at) FROM login_attempts
                            WHERE email = $1 AND ip = $2 AND succeeded), '-infinity')
      ORDER BY at DESC LIMIT $4`,
    [key.email, key.ip, new Date(now.getTime() - LOGIN_WINDOW_MS), LOGIN_MAX_FAILURES],
  );
  const oldest = failures[LOGIN_MAX_FAILURES - 1];
  if (!oldest) return null;
  return Math.max(1, Math.ceil((oldest.at.getTime() + LOGIN_WINDOW_MS - now.getTime()) / 1000));
}

/** Records one attempt and forgets attempts older than a day. */
export async function recordLoginAttempt(
  tx: Tx,
  attempt: { email: string; ip: string; succeeded: boolean; now: Date },
): Promise<void> {
  await tx.query('INSERT INTO login_attempts (email, ip, succeeded, at) VALUES ($1, $2, $3, $4)', [
    attempt.email,
    attempt.ip,
    attempt.succeeded,
    attempt.now,
  ]);
  await tx.query('DELETE FROM login_attempts WHERE at < $1', [
    new Date(attempt.now.getTime() - RETENTION_MS),
  ]);
}
