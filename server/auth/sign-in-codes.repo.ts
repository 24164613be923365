/**
 * One-time sign-in codes (0250 sign_in_codes), the QR code the owner shows to put a phone in a
 * person's hands already signed in. A code works once, for SIGN_IN_CODE_TTL_MS; creating another
 * for the same person retires the older ones; only the SHA-256 of the secret is stored. Spending
 * one issues an ordinary session (the same as a login with the password).
 */
import { randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { SIGN_IN_CODE_PATH, SIGN_IN_CODE_PREFIX } from '#shared/auth/sign-in-code.schema';
import type { Role } from '#shared/auth/user.schema';
import type { Queryable, Tx } from '../db/db';
import { hashToken } from './tokens';

/** Long enough to walk to the phone and scan, short enough that a photographed QR goes stale. */
export const SIGN_IN_CODE_TTL_MS = 15 * 60_000;
export { SIGN_IN_CODE_PATH };

/** Roles a code may sign in: the people who work in the field or the office, never an owner. */
export const CODE_ROLES: readonly Role[] = ['collector', 'staff'];

export interface NewSignInCode {
  id: string;
  code: string;
  expiresAt: Date;
}

export async function createSignInCode(
  tx: Tx,
  input: { userId: string; createdBy: string; now: Date },
): Promise<NewSignInCode> {
  await tx.query(
    `UPDATE sign_in_codes SET retired_at = $2
      WHERE user_id = $1 AND used_at IS NULL AND retired_at IS NULL`,
    [input.userId, input.now],
  );
  const code = SIGN_IN_CODE_PREFIX + randomBytes(32).toString('base64url');
  const id = uuidv7();
  const expiresAt = new Date(input.now.getTime() + SIGN_IN_CODE_TTL_MS);
  await tx.query(
    `INSERT INTO sign_in_codes (id, user_id, code_hash, created_by, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, input.userId, hashToken(code), input.createdBy, input.now, expiresAt],
  );
  return { id, code, expiresAt };
}

export type CodeState = 'valid' | 'expired' | 'used' | 'unknown';

export interface CodeRow {
  id: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
  retired_at: Date | null;
  name: string;
  email: string;
  role: Role;
  active: boolean;
}

/** The code behind `code` and whether it may still be used at `now`. */
export async function findSignInCode(
  q: Queryable,
  code: string,
  now: Date,
  lock = false,
): Promise<{ state: CodeState; row: CodeRow | undefined }> {
  const [row] = await q.query<CodeRow>(
    `SELECT s.id, s.user_id, s.expires_at, s.used_at, s.retired_at, u.name, u.email, u.role, u.active
       FROM sign_in_codes s JOIN users u ON u.id = s.user_id
      WHERE s.code_hash = $1${lock ? ' FOR UPDATE OF s' : ''}`,
    [hashToken(code)],
  );
  // A person deactivated, or whose role changed to one codes do not serve, has no usable code.
  if (!row || !row.active || !CODE_ROLES.includes(row.role))
    return { state: 'unknown', row: undefined };
  if (row.used_at !== null) return { state: 'used', row };
  if (row.retired_at !== null || row.expires_at.getTime() <= now.getTime())
    return { state: 'expired', row };
  return { state: 'valid', row };
}

export async function markCodeUsed(
  tx: Tx,
  input: { id: string; tokenId: string; now: Date },
): Promise<void> {
  await tx.query('UPDATE sign_in_codes SET used_at = $2, used_token_id = $3 WHERE id = $1', [
    input.id,
    input.now,
    input.tokenId,
  ]);
}
