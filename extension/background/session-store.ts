/**
 * Where the service worker keeps the signed-in session (server URL, personal API token, user):
 * `chrome.storage.local` restricted to trusted contexts (extension pages and the worker), so a
 * content script cannot read it; where that restriction is unsupported, `storage.session`, which
 * is trusted-only by default and forgotten when the browser closes.
 */
import * as v from 'valibot';

export const SessionSchema = v.object({
  serverUrl: v.string(),
  token: v.string(),
  tokenId: v.string(),
  user: v.object({ id: v.string(), name: v.string(), role: v.string() }),
});
export type Session = v.InferOutput<typeof SessionSchema>;

const KEY = 'quita.session';

interface AccessLevelArea {
  setAccessLevel?: (options: {
    accessLevel: 'TRUSTED_CONTEXTS' | 'TRUSTED_AND_UNTRUSTED_CONTEXTS';
  }) => Promise<void>;
}

let areaReady: Promise<chrome.storage.StorageArea> | undefined;

async function restrict(area: chrome.storage.StorageArea): Promise<boolean> {
  const setter = (area as unknown as AccessLevelArea).setAccessLevel;
  if (typeof setter !== 'function') return false;
  try {
    await setter.call(area, { accessLevel: 'TRUSTED_CONTEXTS' });
    return true;
  } catch {
    return false;
  }
}

/** The storage area for the session, restricted before first use (on every worker start). */
export function sessionArea(): Promise<chrome.storage.StorageArea> {
  areaReady ??= (async () => {
    await restrict(chrome.storage.session);
    return (await restrict(chrome.storage.local)) ? chrome.storage.local : chrome.storage.session;
  })();
  return areaReady;
}

let cached: Session | null | undefined;

export async function loadSession(): Promise<Session | null> {
  if (cached !== undefined) return cached;
  const area = await sessionArea();
  const stored: Record<string, unknown> = await area.get(KEY);
  const parsed = v.safeParse(SessionSchema, stored[KEY]);
  cached = parsed.success ? parsed.output : null;
  return cached;
}

export async function saveSession(session: Session): Promise<void> {
  await (await sessionArea()).set({ [KEY]: session });
  cached = session;
}

export async function clearSession(): Promise<void> {
  cached = null;
  links = undefined;
  await (await sessionArea()).remove([KEY, LINKS_KEY]);
  // Both areas, in case an older version or a fallback wrote the other one.
  await chrome.storage.session.remove([KEY, LINKS_KEY]);
}

const LINKS_KEY = 'quita.links';
let links: Record<string, string> | undefined;

/** WhatsApp LID chats the user linked to a debtor by hand: JID → debtor id (same restricted area). */
export async function chatLinks(): Promise<Record<string, string>> {
  if (links) return links;
  const stored: Record<string, unknown> = await (await sessionArea()).get(LINKS_KEY);
  const parsed = v.safeParse(v.record(v.string(), v.string()), stored[LINKS_KEY]);
  links = parsed.success ? parsed.output : {};
  return links;
}

export async function linkChat(jid: string, debtorId: string): Promise<void> {
  links = { ...(await chatLinks()), [jid]: debtorId };
  await (await sessionArea()).set({ [LINKS_KEY]: links });
}
