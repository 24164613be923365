/**
 * The signed-in user. Decision: the session lives in localStorage — it is read synchronously at
 * boot (the first screen needs no await), the origin serves nothing but this app, and IndexedDB
 * would be no safer against script injection. Sign-out forgets it locally even when offline and
 * tells the server when it can.
 */
import { computed, signal } from '@preact/signals';
import type { Role } from '#shared/auth/user.schema';

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
  if (!current) return;
  try {
    await fetch('/api/auth/logout', {
      method: 'POST',
      headers: { authorization: `Bearer ${current.token}` },
    });
  } catch {
    // Offline: the token expires on its own; nothing on this device can use it any more.
  }
}
