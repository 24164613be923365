/**
 * The push's payload fingerprint (shared/sync/payload-hash.ts) computed with Node's native
 * SHA-256: the same canonical text, the same hex. shared/ stays pure (its SHA-256 is plain
 * TypeScript, ~5–7% of the push's server CPU under 50 phones); the server has node:crypto.
 * Text holding a lone surrogate (possible in JSON) is hashed by the shared code: Buffer's UTF-8
 * would replace it with U+FFFD where the shared encoder writes its three bytes, and a resend must
 * match what was stored.
 */
import { createHash } from 'node:crypto';
import { payloadCanonical, sha256Hex } from '#shared/sync/payload-hash';

const LONE_SURROGATE = /\p{Cs}/u;

/** Hex SHA-256 of a mutation's canonical form: equal to `payloadHash` for every input. */
export function payloadHashNative(mutation: object): string {
  const text = payloadCanonical(mutation);
  return LONE_SURROGATE.test(text)
    ? sha256Hex(text)
    : createHash('sha256').update(text, 'utf8').digest('hex');
}
