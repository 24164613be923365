/**
 * Tokens of the debtor's page links.
 *
 * A token is 24 bytes in base64url (32 characters, short enough for an SMS): 16 random bytes (the
 * nonce, 128 bits from the CSPRNG) followed by the first 8 bytes of HMAC-SHA256(secret, nonce).
 * The database keeps the nonce and SHA-256(token); the secret stays outside it (QUITA_PORTAL_SECRET
 * or a file beside the data, `loadPortalSecret`). So:
 * - checking a token needs only its hash (a database lookup, like the API's bearer tokens);
 * - the server re-renders the SAME link for every message from the stored nonce (the queue, the
 *   phone's feed and the extension all show the one current link of a debtor);
 * - a copy of the database alone cannot produce a working link (the MAC needs the secret), and
 *   guessing one means guessing 128 random bits plus a 64-bit MAC, at the rate limits' pace.
 * A secret that changes only means new links are minted: old ones keep working until they expire.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const NONCE_BYTES = 16;
const MAC_BYTES = 8;
export const TOKEN_RE = /^[A-Za-z0-9_-]{32}$/;

/** The secret links are derived with, and its public fingerprint (`key_id` of a link row). */
export interface PortalKey {
  secret: Buffer;
  id: string;
}

/** Wraps raw secret bytes (at least 32) as a key. */
export function portalKey(secret: Buffer): PortalKey {
  if (secret.length < 32) throw new Error('the portal secret must have at least 32 bytes');
  const id = createHmac('sha256', secret).update('quita-portal-key-id').digest('hex').slice(0, 16);
  return { secret, id };
}

/** A throwaway key (tests, and an app built without one: links then last for the process). */
export function randomPortalKey(): PortalKey {
  return portalKey(randomBytes(32));
}

/**
 * The server's key: QUITA_PORTAL_SECRET (any text of 32+ characters, hashed to 32 bytes) when
 * set — required when several server processes share one database — else the file
 * `<dataDir>/portal-secret`, created with 32 random bytes (mode 0600) on first start.
 */
export function loadPortalSecret(options: { envSecret?: string | undefined; dataDir: string }): {
  key: PortalKey;
  source: string;
} {
  if (options.envSecret !== undefined) {
    if (options.envSecret.length < 32)
      throw new Error('QUITA_PORTAL_SECRET: deve ter pelo menos 32 caracteres');
    return {
      key: portalKey(createHash('sha256').update(options.envSecret).digest()),
      source: 'QUITA_PORTAL_SECRET',
    };
  }
  const file = join(options.dataDir, 'portal-secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const text = readFileSync(file, 'utf8').trim();
  const secret = Buffer.from(text, 'base64url');
  return { key: portalKey(secret), source: file };
}

function mac(key: PortalKey, nonce: Buffer): Buffer {
  return createHmac('sha256', key.secret)
    .update('quita-portal-link:')
    .update(nonce)
    .digest()
    .subarray(0, MAC_BYTES);
}

/** SHA-256 hex of a token (what the database stores and looks up). */
export function hashPortalToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new link's nonce (base64url), token and token hash. */
export function newPortalToken(key: PortalKey): { nonce: string; token: string; hash: string } {
  const nonce = randomBytes(NONCE_BYTES);
  const token = Buffer.concat([nonce, mac(key, nonce)]).toString('base64url');
  return { nonce: nonce.toString('base64url'), token, hash: hashPortalToken(token) };
}

/** The token of a stored link, re-derived from its nonce. */
export function portalTokenOf(key: PortalKey, nonce: string): string {
  const bytes = Buffer.from(nonce, 'base64url');
  return Buffer.concat([bytes, mac(key, bytes)]).toString('base64url');
}

/** The page's URL for `token` under `base` (an origin, possibly with a path prefix). */
export function portalUrl(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/p/${token}`;
}
