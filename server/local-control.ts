/**
 * The running server's card, so the `quita` CLI on the same machine can work through it instead
 * of opening the embedded database a second time (PGlite allows one process per data directory).
 * On start a server on PGlite writes `<data dir>.server.json` beside the directory's lock file
 * (mode 0600): its process id, its address and a random secret generated for this run; it
 * deletes the card when it stops. The CLI presents the secret in the `X-Quita-Local-Token`
 * header; the server knows only the secret's SHA-256. Whoever can read the card can read the
 * database files next to it, so the secret grants nothing they did not have; it admits exactly
 * the routes that accept it (the demo loader), nothing else.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { hashToken } from './auth/tokens';

export const LOCAL_TOKEN_HEADER = 'x-quita-local-token';

export interface ServerCard {
  pid: number;
  url: string;
  token: string;
  startedAt: string;
}

/** The address a process on this machine reaches a server bound to `host`:`port` at. */
export function loopbackUrl(host: string, port: number): string {
  if (host === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Where the card of a server on `dataDir` lives. */
export function cardPath(dataDir: string): string {
  return `${resolve(dataDir)}.server.json`;
}

/** A fresh secret for this run and its hash (what the app keeps). */
export function newLocalToken(): { token: string; hash: string } {
  const token = `quita_local_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

/** Writes the card; returns a function that removes it (only if it is still this run's). */
export function writeCard(dataDir: string, card: ServerCard): () => void {
  const path = cardPath(dataDir);
  writeFileSync(path, `${JSON.stringify(card, null, 2)}\n`, { mode: 0o600 });
  return () => {
    if (readCard(dataDir)?.token === card.token) rmSync(path, { force: true });
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The card of a server on `dataDir` whose process is alive; undefined otherwise. */
export function readCard(dataDir: string): ServerCard | undefined {
  try {
    const card = JSON.parse(readFileSync(cardPath(dataDir), 'utf8')) as Partial<ServerCard>;
    if (
      typeof card.pid !== 'number' ||
      typeof card.url !== 'string' ||
      typeof card.token !== 'string' ||
      !isAlive(card.pid)
    )
      return undefined;
    return card as ServerCard;
  } catch {
    return undefined;
  }
}

/** True when `presented` is this run's secret (constant time). */
export function isLocalToken(presented: string | undefined, hash: string | undefined): boolean {
  if (!presented || !hash) return false;
  const a = Buffer.from(hashToken(presented), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
