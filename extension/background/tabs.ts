/**
 * Per-tab state of the service worker: the conversation context the tab's content script
 * reported, the overlay state built for it and the messages it offers, pushed to the tab's overlay
 * iframe over a port. `refreshTab` applies the one audience rule: it looks the primary person up,
 * asks the server whether every other member of the audience is a verified contact point of the
 * same debtor (or whether staff confirmed a hidden-id chat), and only then fetches debt details.
 * When the server cannot be reached it says so and tries again by itself with a growing delay
 * (2 s, 4 s, 8 s, 15 s, then every 30 s) until it answers; "Tentar de novo" tries at once.
 */
import type { DebtorLookupMatch } from '#shared/api/ledger.schema';
import {
  audienceOf,
  channelOf,
  conversationKey,
  privacyVerdict,
  sameMember,
  type ConversationAudience,
  type Member,
} from '#shared/extension/audience';
import type { ConversationContext } from '#shared/extension/content-messages';
import type { OverlayState, WorkerToOverlay } from '#shared/extension/page-messages';
import { t } from '../i18n';
import { creditorFacts } from '../core/creditor';
import {
  buildOverlay,
  type Decision,
  type OverlayInput,
  type Sendable,
} from '../core/overlay-state';
import { ApiError, isTransient } from './api-client';
import {
  chatIdentity,
  debtorFacts,
  isLookupCached,
  keyOfDebtor,
  loadSettings,
  lookup,
  todayFor,
} from './data';
import { chatLinks, loadSession, type Session } from './session-store';

/** Delays between automatic retries while the server cannot be reached. */
export const RETRY_DELAYS_MS = [2_000, 4_000, 8_000, 15_000, 30_000] as const;

/** What a hidden-id chat's overlay rests on, for the link and confirmation actions. */
export interface HiddenChat {
  chat: string;
  jid: string;
  /** The debtor the chat is linked or confirmed to, if any. */
  debtorId: string | null;
  /** The server's confirmation, when there is one. */
  identityId: string | null;
}

export interface TabEntry {
  context: ConversationContext | null;
  state: OverlayState;
  sendables: Map<string, Sendable>;
  /** Bumped on every refresh so a slow answer for an old conversation is dropped. */
  seq: number;
  ports: Set<chrome.runtime.Port>;
  /** Failed attempts in a row and the pending automatic retry. */
  attempt: number;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  hidden: HiddenChat | null;
}

const tabs = new Map<number, TabEntry>();

export function entryOf(tabId: number): TabEntry {
  let entry = tabs.get(tabId);
  if (!entry) {
    entry = {
      context: null,
      state: { view: 'idle' },
      sendables: new Map(),
      seq: 0,
      ports: new Set(),
      attempt: 0,
      retryTimer: undefined,
      hidden: null,
    };
    tabs.set(tabId, entry);
  }
  return entry;
}

export function forgetTab(tabId: number): void {
  const entry = tabs.get(tabId);
  if (entry?.retryTimer !== undefined) clearTimeout(entry.retryTimer);
  tabs.delete(tabId);
}

export function allTabIds(): number[] {
  return [...tabs.keys()];
}

function publish(entry: TabEntry): void {
  const message: WorkerToOverlay = { type: 'state', state: entry.state };
  for (const port of entry.ports) port.postMessage(message);
}

export function setState(entry: TabEntry, state: OverlayState, sendables: Sendable[] = []): void {
  entry.state = state;
  entry.sendables = new Map(sendables.map((s) => [s.id, s]));
  publish(entry);
}

/** Every open overlay shows the sign-in prompt (after sign-out or a refused token). */
export function showSignedOut(): void {
  for (const entry of tabs.values()) {
    if (entry.retryTimer !== undefined) clearTimeout(entry.retryTimer);
    entry.retryTimer = undefined;
    entry.hidden = null;
    setState(entry, { view: 'signed-out' });
  }
}

/** Is `member` a verified contact point of debtor `debtorId`? The server's lookup says. */
async function verifiedFor(
  session: Session,
  member: Member,
  primary: Member,
  match: DebtorLookupMatch,
): Promise<boolean> {
  if (sameMember(member, primary)) return match.contactPointVerified;
  const found = await lookup(session, member);
  return found.matches.some((m) => m.id === match.id && m.contactPointVerified);
}

/** A hand-linked or confirmed debtor's lookup entry, found by one of their own contact points. */
async function matchOf(session: Session, debtorId: string): Promise<DebtorLookupMatch> {
  const key = await keyOfDebtor(session, debtorId);
  const match = key ? (await lookup(session, key)).matches.find((m) => m.id === debtorId) : null;
  if (!match) throw new ApiError(404, t('error.noContactPoint'));
  return match;
}

async function decide(
  session: Session,
  audience: ConversationAudience,
  entry: TabEntry,
): Promise<Decision> {
  entry.hidden = null;
  switch (audience.kind) {
    case 'none':
      return { kind: 'none' };
    case 'group':
      return { kind: 'anonymous', reason: 'group', linkable: false };
    case 'unknown':
      return { kind: 'anonymous', reason: 'unidentified', linkable: false };
    case 'hidden': {
      const [identity, links] = await Promise.all([
        chatIdentity(session, audience.chat),
        chatLinks(),
      ]);
      const link = links[audience.jid];
      const debtorId = identity?.debtorId ?? link?.debtorId ?? null;
      entry.hidden = {
        chat: audience.chat,
        jid: audience.jid,
        debtorId,
        identityId: identity?.id ?? null,
      };
      if (identity) {
        // Confirmed by staff on the server: the audience rule lets amounts through.
        const match = await matchOf(session, identity.debtorId);
        return {
          kind: 'person',
          match,
          otherMatches: 0,
          verdict: privacyVerdict(audience, { verified: () => false, confirmed: true }),
          linkedTo: identity.debtorId,
          confirmedBy: { name: identity.confirmedBy.name, at: identity.confirmedAt },
        };
      }
      // A hand link is the user's claim: nothing about the debtor is fetched but their name.
      if (link) return { kind: 'claimed', debtorId: link.debtorId, name: link.name };
      return { kind: 'anonymous', reason: 'unidentified', linkable: true };
    }
    case 'people': {
      const found = await lookup(session, audience.primary);
      const match = found.matches[0];
      if (!match) return { kind: 'no-match' };
      const checks = await Promise.all(
        audience.members.map(
          async (m) => [m, await verifiedFor(session, m, audience.primary, match)] as const,
        ),
      );
      const verified = (member: Member) => checks.some(([m, ok]) => ok && sameMember(m, member));
      return {
        kind: 'person',
        match,
        otherMatches: found.matches.length - 1,
        verdict: privacyVerdict(audience, { verified }),
        linkedTo: null,
        confirmedBy: null,
      };
    }
  }
}

function scheduleRetry(tabId: number, entry: TabEntry): number {
  const delay = RETRY_DELAYS_MS[Math.min(entry.attempt, RETRY_DELAYS_MS.length - 1)] ?? 30_000;
  entry.attempt += 1;
  if (entry.retryTimer !== undefined) clearTimeout(entry.retryTimer);
  entry.retryTimer = setTimeout(() => {
    entry.retryTimer = undefined;
    void refreshTab(tabId, { quiet: true, retrying: true });
  }, delay);
  return Date.now() + delay;
}

/**
 * Recomputes the overlay of a tab for its current context. `quiet` keeps the current view until
 * the new one is ready (after logging a contact, the same debtor is shown with fresh figures);
 * `retrying` marks an automatic retry, which keeps counting the failed attempts.
 */
export async function refreshTab(
  tabId: number,
  options: { quiet?: boolean; retrying?: boolean } = {},
  onUnauthorized: () => Promise<void> = async () => undefined,
): Promise<void> {
  const entry = entryOf(tabId);
  const seq = ++entry.seq;
  if (!options.retrying) {
    entry.attempt = 0;
    if (entry.retryTimer !== undefined) clearTimeout(entry.retryTimer);
    entry.retryTimer = undefined;
  }
  const context = entry.context;
  const session = await loadSession();
  if (!session) return setState(entry, { view: 'signed-out' });
  if (!context) return setState(entry, { view: 'idle' });
  const audience = audienceOf(context, session.email ? [session.email] : []);
  if (audience.kind === 'none') return setState(entry, { view: 'idle' });
  // "Consultando…" only while the server is asked something not cached yet.
  const waiting = entry.state.view === 'error' || !options.quiet;
  const asks =
    audience.kind === 'hidden' ||
    (audience.kind === 'people' && !isLookupCached(session, audience.primary));
  if (waiting && asks) setState(entry, { view: 'loading' });
  try {
    const { org, templates } = await loadSettings(session);
    if (!org.configured) throw new ApiError(409, t('error.organisation'));
    const decision = await decide(session, audience, entry);
    const input: OverlayInput = {
      channel: channelOf(context),
      conversation: conversationKey(context),
      decision,
      creditor: creditorFacts(org),
      templates,
      userName: session.user.name,
      today: todayFor(org),
      debts: [],
      promiseUntil: null,
    };
    // Debt details (due dates, PIX) are fetched only when amounts may be shown at all.
    if (decision.kind === 'person' && decision.verdict.mode === 'full') {
      const facts = await debtorFacts(session, org, decision.match.id);
      input.debts = facts.debts;
      input.promiseUntil = facts.promiseUntil;
    }
    if (seq !== entry.seq) return;
    entry.attempt = 0;
    const result = buildOverlay(input);
    setState(entry, result.state, result.sendables);
  } catch (error) {
    if (seq !== entry.seq) return;
    if (error instanceof ApiError && error.status === 401) return onUnauthorized();
    const message = error instanceof Error ? error.message : String(error);
    const retryAt = isTransient(error) ? scheduleRetry(tabId, entry) : null;
    setState(entry, { view: 'error', message, retryAt });
  }
}
