/**
 * Bearer tokens: 32 random bytes, base64url, behind a readable prefix (`quita_ses_` for login
 * sessions, `quita_pat_` for personal API tokens) so leaked tokens are easy to recognise and
 * scan for. Only the SHA-256 of a token is stored; a database leak does not leak sessions.
 */
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_KINDS = ['session', 'api'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

const PREFIX: Record<TokenKind, string> = { session: 'quita_ses_', api: 'quita_pat_' };
const DISPLAY_CHARS = 4;

/** A fresh token, its hash to store, and the few characters shown in token lists. */
export interface NewToken {
  token: string;
  hash: string;
  display: string;
}

/** Generates a token of `kind`. */
export function generateToken(kind: TokenKind | 'setup'): NewToken {
  const prefix = kind === 'setup' ? 'quita_setup_' : PREFIX[kind];
  const token = prefix + randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token), display: token.slice(0, prefix.length + DISPLAY_CHARS) };
}

/** SHA-256 hex of a token: what the database stores and looks up. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
