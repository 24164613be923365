/**
 * Where the service worker keeps the signed-in session (server URL, personal API token, user),
 * the hand links of hidden-id chats and the tokens whose sign-out has not reached the server yet:
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
  /** The address the user signed in with: their own, never part of a conversation's audience. */
  email: v.optional(v.string(), ''),
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
  await (await sessionArea()).remove([KEY, LINKS_KEY]);
  // Both areas, in case an older version or a fallback wrote the other one.
  await chrome.storage.session.remove([KEY, LINKS_KEY]);
}

const LINKS_KEY = 'quita.links';

/** A hand link: the user's claim that a hidden-id chat is this debtor (not a verification). */
export const ChatLinkSchema = v.object({ debtorId: v.string(), name: v.string() });
export type ChatLink = v.InferOutput<typeof ChatLinkSchema>;

/**
 * Hidden-id chats the user linked to a debtor by hand: JID → link (same restricted area). Read
 * from storage each time (only hidden-id chats ask), so nothing stale survives a change there.
 */
export async function chatLinks(): Promise<Record<string, ChatLink>> {
  const stored: Record<string, unknown> = await (await sessionArea()).get(LINKS_KEY);
  // Links of an older format (a bare debtor id) are dropped: the user links again.
  const parsed = v.safeParse(v.record(v.string(), v.unknown()), stored[LINKS_KEY]);
  const links: Record<string, ChatLink> = {};
  if (parsed.success)
    for (const [jid, value] of Object.entries(parsed.output)) {
      const link = v.safeParse(ChatLinkSchema, value);
      if (link.success) links[jid] = link.output;
    }
  return links;
}

export async function linkChat(jid: string, link: ChatLink | null): Promise<void> {
  const next = { ...(await chatLinks()) };
  if (link === null) delete next[jid];
  else next[jid] = link;
  await (await sessionArea()).set({ [LINKS_KEY]: next });
}

const PENDING_KEY = 'quita.pendingRevocations';

/** A token signed out while the server could not be reached: revoked at the next chance. */
export const PendingRevocationSchema = v.object({
  serverUrl: v.string(),
  token: v.string(),
  tokenId: v.string(),
  /** When the user signed out (epoch ms). */
  since: v.number(),
});
export type PendingRevocation = v.InferOutput<typeof PendingRevocationSchema>;

export async function pendingRevocations(): Promise<PendingRevocation[]> {
  const stored: Record<string, unknown> = await (await sessionArea()).get(PENDING_KEY);
  const parsed = v.safeParse(v.array(PendingRevocationSchema), stored[PENDING_KEY]);
  return parsed.success ? parsed.output : [];
}

export async function savePendingRevocations(list: PendingRevocation[]): Promise<void> {
  const area = await sessionArea();
  if (list.length === 0) await area.remove(PENDING_KEY);
  else await area.set({ [PENDING_KEY]: list });
}
