/**
 * Signing in and out. Sign-in exchanges the password for a personal API token (scope
 * `extension`) and keeps only the token; wrong credentials are reported as such, never as an
 * expired session. Sign-out forgets the token at once and revokes it on the server with the
 * token's own logout; when the server cannot be reached the token is kept aside (in the same
 * restricted storage) and revoked at the next chance — when the options or popup page opens, when
 * the worker starts, on sign-in, and every minute by an alarm — and the user is told so.
 */
import * as v from 'valibot';
import { LoginResponseSchema, CreatedApiTokenSchema } from '#shared/auth/auth.schema';
import type { PageRequest, PageResponse } from '#shared/extension/page-messages';
import { t } from '../i18n';
import { ApiError, request } from './api-client';
import { forgetAll } from './data';
import {
  clearSession,
  loadSession,
  pendingRevocations,
  saveSession,
  savePendingRevocations,
  type PendingRevocation,
  type Session,
} from './session-store';

export const REVOCATION_ALARM = 'quita.revoke';
const REVOKE_TIMEOUT_MS = 5_000;

/** What the options page and the popup show about the session. */
export type SessionStatus = (
  | { signedIn: true; name: string; server: string }
  | { signedIn: false }
) & {
  /** When the oldest revocation still pending was asked for (epoch ms), or null. */
  pendingSince: number | null;
  /** Revocations that went through while answering this request. */
  revokedNow: number;
};

function signInError(error: unknown, server: string): Error {
  if (!(error instanceof ApiError))
    return error instanceof Error ? error : new Error(String(error));
  if (error.status === 401) return new Error(t('signIn.badCredentials'));
  if (error.status === 0) return new Error(t('signIn.unreachable', { origin: server }));
  return error;
}

export async function signIn(
  req: Extract<PageRequest, { type: 'sign-in' }>,
  onSignedIn: () => void,
): Promise<PageResponse> {
  const server = new URL(req.serverUrl).origin;
  if (!(await chrome.permissions.contains({ origins: [`${server}/*`] })))
    return { ok: false, message: t('error.permission', { origin: server }) };
  try {
    const login = await request(server, null, '/api/auth/login', LoginResponseSchema, {
      method: 'POST',
      body: { email: req.email, password: req.password },
    });
    const created = await request(server, login.token, '/api/auth/tokens', CreatedApiTokenSchema, {
      method: 'POST',
      body: { name: 'Extensão Chrome', expiresInDays: 90, scope: 'extension' },
    });
    // The session token was only needed to mint the personal one.
    await request(server, login.token, '/api/auth/logout', v.unknown(), { method: 'POST' }).catch(
      () => undefined,
    );
    forgetAll();
    const session: Session = {
      serverUrl: server,
      token: created.token,
      tokenId: created.id,
      user: login.user,
      email: req.email.trim().toLowerCase(),
    };
    await saveSession(session);
    onSignedIn();
    void retryRevocations();
    return { ok: true, value: { name: session.user.name, server } };
  } catch (error) {
    return { ok: false, message: signInError(error, server).message };
  }
}

/** Revokes `token` with its own logout; true when the server no longer accepts it. */
async function revoke(item: Pick<PendingRevocation, 'serverUrl' | 'token'>): Promise<boolean> {
  try {
    await request(item.serverUrl, item.token, '/api/auth/logout', v.unknown(), {
      method: 'POST',
      timeoutMs: REVOKE_TIMEOUT_MS,
    });
    return true;
  } catch (error) {
    // 401: already revoked or expired; the goal is met.
    return error instanceof ApiError && error.status === 401;
  }
}

async function syncAlarm(pending: number): Promise<void> {
  if (pending > 0) await chrome.alarms.create(REVOCATION_ALARM, { periodInMinutes: 1 });
  else await chrome.alarms.clear(REVOCATION_ALARM);
}

let retrying: Promise<number> | undefined;

/** Tries every pending revocation once; resolves to how many are still pending. */
export function retryRevocations(): Promise<number> {
  retrying ??= (async () => {
    try {
      const left: PendingRevocation[] = [];
      for (const item of await pendingRevocations()) if (!(await revoke(item))) left.push(item);
      await savePendingRevocations(left);
      await syncAlarm(left.length);
      return left.length;
    } finally {
      retrying = undefined;
    }
  })();
  return retrying;
}

/**
 * Signs out: the token is forgotten locally first (nothing more is looked up with it), then
 * revoked on the server; if the server cannot be reached the revocation is queued and retried.
 */
export async function signOut(onSignedOut: () => void): Promise<PageResponse> {
  const session = await loadSession();
  await clearSession();
  forgetAll();
  onSignedOut();
  if (!session) return { ok: true, value: { revoked: true } };
  if (await revoke(session)) return { ok: true, value: { revoked: true } };
  const pending = await pendingRevocations();
  pending.push({
    serverUrl: session.serverUrl,
    token: session.token,
    tokenId: session.tokenId,
    since: Date.now(),
  });
  await savePendingRevocations(pending);
  await syncAlarm(pending.length);
  return { ok: true, value: { revoked: false } };
}

/** Forgets a session the server refused (401): nothing to revoke, the server already did. */
export async function forgetRefusedSession(onSignedOut: () => void): Promise<void> {
  await clearSession();
  forgetAll();
  onSignedOut();
}

export async function status(): Promise<SessionStatus> {
  // Opening the options page or the popup is a good moment to try again.
  const before = (await pendingRevocations()).length;
  const left = before === 0 ? 0 : await retryRevocations().catch(() => before);
  const pending = left > 0 ? await pendingRevocations() : [];
  const extra = { pendingSince: pending[0]?.since ?? null, revokedNow: Math.max(0, before - left) };
  const session = await loadSession();
  return session
    ? { signedIn: true, name: session.user.name, server: session.serverUrl, ...extra }
    : { signedIn: false, ...extra };
}
