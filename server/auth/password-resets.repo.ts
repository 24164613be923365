/**
 * One-time password-reset links (0110 password_resets). The owner creates one for a person and
 * hands it over (WhatsApp, in person); it works once, for RESET_TTL_MS, and creating another
 * retires the older ones. Only the SHA-256 of the secret is stored.
 */
import { uuidv7 } from 'uuidv7';
import type { Queryable, Tx } from '../db/db';
import { generateToken, hashToken } from './tokens';

export const RESET_TTL_MS = 24 * 3_600_000;
/** Where the PWA takes the secret from (in the fragment: never sent to a server, never logged). */
export const RESET_PATH = '/redefinir-senha';

export interface ResetLink {
  id: string;
  token: string;
  expiresAt: Date;
}

export async function createReset(
  tx: Tx,
  input: { userId: string; createdBy: string; now: Date },
): Promise<ResetLink> {
  await tx.query(
    `UPDATE password_resets SET retired_at = $2
      WHERE user_id = $1 AND used_at IS NULL AND retired_at IS NULL`,
    [input.userId, input.now],
  );
  const { token } = generateToken('setup');
  const secret = token.replace(/^quita_setup_/, 'quita_reset_');
  const id = uuidv7();
  const expiresAt = new Date(input.now.getTime() + RESET_TTL_MS);
  await tx.query(
    `INSERT INTO password_resets (id, user_id, token_hash, created_by, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, input.userId, hashToken(secret), input.createdBy, input.now, expiresAt],
  );
  return { id, token: secret, expiresAt };
}

export type ResetState = 'valid' | 'expired' | 'used' | 'unknown';

export interface ResetRow {
  id: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
  retired_at: Date | null;
  name: string;
  email: string;
  active: boolean;
}

/** The link behind `token` and whether it may still be used at `now`. */
export async function findReset(
  q: Queryable,
  token: string,
  now: Date,
  lock = false,
): Promise<{ state: ResetState; row: ResetRow | undefined }> {
  const [row] = await q.query<ResetRow>(
    `SELECT r.id, r.user_id, r.expires_at, r.used_at, r.retired_at, u.name, u.email, u.active
       FROM password_resets r JOIN users u ON u.id = r.user_id
      WHERE r.token_hash = $1${lock ? ' FOR UPDATE OF r' : ''}`,
    [hashToken(token)],
  );
  if (!row || !row.active) return { state: 'unknown', row: undefined };
  if (row.used_at !== null) return { state: 'used', row };
  if (row.retired_at !== null || row.expires_at.getTime() <= now.getTime())
    return { state: 'expired', row };
  return { state: 'valid', row };
}

export async function markUsed(tx: Tx, id: string, now: Date): Promise<void> {
  await tx.query('UPDATE password_resets SET used_at = $2 WHERE id = $1', [id, now]);
}
