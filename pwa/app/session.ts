/**
 * The signed-in user. Decision: the session lives in localStorage — it is read synchronously at
 * boot (the first screen needs no await), the origin serves nothing but this app, and IndexedDB
 * would be no safer against script injection. Sign-out forgets it locally even when offline and
 * tells the server when it can.
 */
import { computed, signal } from '@preact/signals';
import type { Role } from '#shared/auth/user.schema';
import type { DeviceInUse, OpenDbOptions } from '../db/db';
import { num } from '../i18n/format';
import { t } from '../i18n/messages';

export interface Session {
  token: string;
  expiresAt: string;
  user: { id: string; name: string; role: Role };
}

const KEY = 'quita.session';

function load(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Session;
    if (typeof parsed.token !== 'string' || Date.parse(parsed.expiresAt) <= Date.now()) return null;
    return parsed;
  } catch {
    return null;
  }
}

export const session = signal<Session | null>(load());
export const role = computed(() => session.value?.user.role ?? null);

/** The session token as the API wants it (nothing when signed out). */
export function authHeaders(): Record<string, string> {
  const s = session.value;
  return s ? { authorization: `Bearer ${s.token}` } : {};
}

export function signIn(next: Session): void {
  localStorage.setItem(KEY, JSON.stringify(next));
  session.value = next;
}

export function signOutLocally(): void {
  localStorage.removeItem(KEY);
  session.value = null;
}

/** Ends the session on the server when reachable; locally always. */
export async function signOut(): Promise<void> {
  const current = session.value;
  signOutLocally();
  if (current) await revokeToken(current.token);
}

async function revokeToken(token: string): Promise<void> {
  try {
    await fetch('/api/auth/logout', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
  } catch {
    // Offline: the token expires on its own; nothing on this device can use it any more.
  }
}

/** "Este aparelho tem 3 registros de Ana aguardando envio…" */
export function deviceInUseMessage(inUse: DeviceInUse): string {
  const count = `${num(inUse.unsent)} ${t(inUse.unsent === 1 ? 'auth.deviceBusy.one' : 'auth.deviceBusy.many')}`;
  const template = inUse.collectorName ? t('auth.deviceBusy') : t('auth.deviceBusyUnnamed');
  return template.replaceAll('{count}', count).replaceAll('{name}', inUse.collectorName ?? '');
}

/**
 * Before a collector's session is stored: makes this phone theirs (db.ts `claimDevice` — a new
 * collector gets a wiped database and a fresh device), or returns why not (another collector's
 * facts still wait to be sent; that collector can still sign in). Owners and staff never use
 * the device database, so signing in on a collector's phone leaves it alone.
 */
export async function claimDeviceFor(
  user: Session['user'],
  options: OpenDbOptions = {},
): Promise<string | null> {
  if (user.role !== 'collector') return null;
  // Imported here, not statically: Dexie must not weigh on owners' and staff's first screen.
  // UUIDv7 from the project's library (crypto.getRandomValues): crypto.randomUUID exists only in
  // a secure context, and the app may be served over plain http on a LAN name.
  const [{ claimDevice, openDb }, { uuidv7 }] = await Promise.all([
    import('../db/db'),
    import('uuidv7'),
  ]);
  const opened = await openDb(options);
  // Not openable (data from a newer app…): the collector runtime reports it after sign-in.
  if (!opened.ok) return null;
  try {
    const claim = await claimDevice(opened.db, {
      collectorId: user.id,
      collectorName: user.name,
      newId: uuidv7,
    });
    return claim.ok ? null : deviceInUseMessage(claim.inUse);
  } finally {
    opened.db.close();
  }
}

/** Signs in unless this phone must stay another collector's for now; returns that refusal. */
export async function signInOnThisDevice(next: Session): Promise<string | null> {
  const refusal = await claimDeviceFor(next.user);
  if (refusal) {
    // The token just issued is not kept anywhere: end it.
    void revokeToken(next.token);
    return refusal;
  }
  signIn(next);
  return null;
}
