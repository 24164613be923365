/**
 * The service worker: the only context with network access and the token. It keeps, per tab, the
 * conversation context the content script reported and the overlay state built from the server's
 * answers, pushes that state to the tab's overlay iframe over a port, and performs the overlay's
 * actions (insert a message through the content script, log a contact). Every message is parsed
 * with its schema and checked against its sender: content scripts may only report a context.
 */
import * as v from 'valibot';
import { LoginResponseSchema, CreatedApiTokenSchema } from '#shared/auth/auth.schema';
import {
  ContentToWorkerSchema,
  ConversationContextSchema,
  InsertResultSchema,
  type ConversationContext,
  type InsertResult,
  type WorkerToContent,
} from '#shared/extension/content-messages';
import {
  PageRequestSchema,
  type OverlayState,
  type PageRequest,
  type PageResponse,
  type WorkerToOverlay,
} from '#shared/extension/page-messages';
import { t } from '../i18n';
import { audienceOf } from '../core/conversation';
import { creditorFacts } from '../core/creditor';
import { buildOverlay, type OverlayInput, type Sendable } from '../core/overlay-state';
import { ApiError, api, request } from './api-client';
import {
  debtorFacts,
  forgetAll,
  isLookupCached,
  keyOfDebtor,
  loadSettings,
  lookup,
  todayFor,
} from './data';
import {
  chatLinks,
  clearSession,
  linkChat,
  loadSession,
  saveSession,
  sessionArea,
  type Session,
} from './session-store';

const SITE_ORIGINS: Record<string, ConversationContext['site']> = {
  'https://mail.google.com': 'gmail',
  'https://web.whatsapp.com': 'whatsapp',
};

interface TabEntry {
  context: ConversationContext | null;
  state: OverlayState;
  sendables: Map<string, Sendable>;
  /** Bumped on every context change so a slow answer for an old chat is dropped. */
  seq: number;
  ports: Set<chrome.runtime.Port>;
}

const tabs = new Map<number, TabEntry>();

function entryOf(tabId: number): TabEntry {
  let entry = tabs.get(tabId);
  if (!entry) {
    entry = {
      context: null,
      state: { view: 'idle' },
      sendables: new Map(),
      seq: 0,
      ports: new Set(),
    };
    tabs.set(tabId, entry);
  }
  return entry;
}

function publish(entry: TabEntry): void {
  const message: WorkerToOverlay = { type: 'state', state: entry.state };
  for (const port of entry.ports) port.postMessage(message);
}

function setState(entry: TabEntry, state: OverlayState, sendables: Sendable[] = []): void {
  entry.state = state;
  entry.sendables = new Map(sendables.map((s) => [s.id, s]));
  publish(entry);
}

async function signOutLocally(): Promise<void> {
  await clearSession();
  forgetAll();
  for (const entry of tabs.values()) setState(entry, { view: 'signed-out' });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Recomputes the overlay of a tab for its current context. `quiet` keeps the current view until
 * the new one is ready (after logging a contact, the same debtor is shown with fresh figures).
 */
async function refreshTab(tabId: number, quiet = false): Promise<void> {
  const entry = entryOf(tabId);
  const seq = ++entry.seq;
  const context = entry.context;
  const session = await loadSession();
  if (!session) return setState(entry, { view: 'signed-out' });
  if (!context) return setState(entry, { view: 'idle' });
  let audience = audienceOf(context);
  let linkedTo: string | undefined;
  if (context.site === 'whatsapp' && context.chat.kind === 'lid') {
    linkedTo = (await chatLinks())[context.chat.jid];
    const key =
      linkedTo === undefined ? null : await keyOfDebtor(session, linkedTo).catch(() => null);
    if (key) audience = { kind: 'person', key, others: false };
  }
  if (!quiet && audience.kind === 'person' && !isLookupCached(session, audience.key))
    setState(entry, { view: 'loading' });
  try {
    const { org, templates } = await loadSettings(session);
    if (!org.configured) throw new ApiError(409, t('error.organisation'));
    const input: OverlayInput = {
      context,
      creditor: creditorFacts(org),
      templates,
      userName: session.user.name,
      today: todayFor(org),
      debts: [],
      promiseUntil: null,
      matches: null,
    };
    if (audience.kind === 'person') {
      const found = await lookup(session, audience.key);
      input.matches = found.matches;
      if (linkedTo !== undefined) {
        input.linked = audience;
        input.matches = found.matches.filter((m) => m.id === linkedTo);
      }
      const first = input.matches[0];
      // Debt details (due dates, PIX) are fetched only when amounts may be shown at all.
      if ((first?.contactPointVerified || input.linked) && first && !audience.others) {
        const facts = await debtorFacts(session, org, first.id);
        input.debts = facts.debts;
        input.promiseUntil = facts.promiseUntil;
      }
    }
    if (seq !== entry.seq) return;
    const result = buildOverlay(input);
    setState(entry, result.state, result.sendables);
  } catch (error) {
    if (seq !== entry.seq) return;
    if (error instanceof ApiError && error.status === 401) return signOutLocally();
    setState(entry, { view: 'error', message: errorMessage(error) });
  }
}

function onContext(tabId: number, context: ConversationContext): void {
  const entry = entryOf(tabId);
  entry.context = context;
  void refreshTab(tabId);
}

async function askContext(tabId: number): Promise<void> {
  const message: WorkerToContent = { type: 'get-context' };
  try {
    const raw: unknown = await chrome.tabs.sendMessage(tabId, message, { frameId: 0 });
    const parsed = v.safeParse(ConversationContextSchema, raw);
    if (parsed.success) onContext(tabId, parsed.output);
  } catch {
    // No content script in this tab (yet): it reports on its own when it starts.
  }
}

// ---------------------------------------------------------------------------------------------
// Page requests (options, popup, overlay).

async function signIn(request_: Extract<PageRequest, { type: 'sign-in' }>): Promise<PageResponse> {
  const server = new URL(request_.serverUrl).origin;
  if (!(await chrome.permissions.contains({ origins: [`${server}/*`] })))
    return { ok: false, message: t('error.permission', { origin: server }) };
  const login = await request(server, null, '/api/auth/login', LoginResponseSchema, {
    method: 'POST',
    body: { email: request_.email, password: request_.password },
  });
  const created = await request(server, login.token, '/api/auth/tokens', CreatedApiTokenSchema, {
    method: 'POST',
    body: { name: 'Extensão Chrome', expiresInDays: 90 },
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
  };
  await saveSession(session);
  for (const tabId of tabs.keys()) void refreshTab(tabId);
  return { ok: true, value: { name: session.user.name, server } };
}

async function signOut(): Promise<PageResponse> {
  const session = await loadSession();
  if (session)
    // The token's own sign-out: the only revocation an extension-scoped token may perform.
    await api(session, '/api/auth/logout', v.unknown(), { method: 'POST' }).catch(() => undefined);
  await signOutLocally();
  return { ok: true, value: null };
}

const QueueSchema = v.looseObject({
  date: v.string(),
  items: v.array(
    v.looseObject({
      debtor: v.looseObject({ id: v.string(), name: v.string() }),
      step: v.looseObject({ id: v.string(), channel: v.string() }),
    }),
  ),
});

const SearchSchema = v.looseObject({
  items: v.array(
    v.looseObject({
      id: v.string(),
      name: v.string(),
      status: v.string(),
      daysOverdue: v.number(),
    }),
  ),
});

async function insertInTab(tabId: number, messageId: string): Promise<PageResponse<InsertResult>> {
  const sendable = entryOf(tabId).sendables.get(messageId);
  if (!sendable) return { ok: false, message: t('error.forbidden') };
  const message: WorkerToContent = { type: 'insert', text: sendable.text };
  const raw: unknown = await chrome.tabs.sendMessage(tabId, message, { frameId: 0 });
  const parsed = v.safeParse(InsertResultSchema, raw);
  return parsed.success
    ? { ok: true, value: parsed.output }
    : { ok: false, message: t('overlay.insertFailed') };
}

async function logContact(tabId: number, messageId: string): Promise<PageResponse> {
  const entry = entryOf(tabId);
  const sendable = entry.sendables.get(messageId);
  const session = await loadSession();
  if (!sendable?.debtorId || !session) return { ok: false, message: t('error.forbidden') };
  await api(session, '/api/contacts', v.unknown(), {
    method: 'POST',
    body: {
      debtorId: sendable.debtorId,
      debtIds: sendable.debtIds,
      channel: sendable.channel,
      direction: 'outbound',
      templateId: sendable.templateId,
      privacySafe: sendable.privacySafe,
      body: sendable.text,
      ...(sendable.stepId === null ? {} : { stepId: sendable.stepId }),
    },
  });
  // The budget and last contact changed: look the debtor up again.
  forgetAll();
  void refreshTab(tabId, true);
  return { ok: true, value: null };
}

async function handlePage(req: PageRequest, tabId: number | undefined): Promise<PageResponse> {
  switch (req.type) {
    case 'status': {
      const session = await loadSession();
      return {
        ok: true,
        value: session
          ? { signedIn: true, name: session.user.name, server: session.serverUrl }
          : { signedIn: false },
      };
    }
    case 'sign-in':
      return signIn(req);
    case 'sign-out':
      return signOut();
    case 'queue':
    case 'search': {
      const session = await loadSession();
      if (!session) return { ok: false, message: t('popup.signedOut') };
      if (req.type === 'queue')
        return { ok: true, value: await api(session, '/api/cadence/today?limit=50', QueueSchema) };
      const q = encodeURIComponent(req.query);
      return { ok: true, value: await api(session, `/api/debtors?q=${q}&limit=20`, SearchSchema) };
    }
    case 'insert':
    case 'log-contact':
    case 'link-chat':
    case 'refresh': {
      // Only an overlay inside a tab acts on that tab.
      if (tabId === undefined) return { ok: false, message: t('error.forbidden') };
      if (req.type === 'link-chat') {
        const context = entryOf(tabId).context;
        if (context?.site !== 'whatsapp' || context.chat.kind !== 'lid')
          return { ok: false, message: t('error.forbidden') };
        await linkChat(context.chat.jid, req.debtorId);
        void refreshTab(tabId);
        return { ok: true, value: null };
      }
      if (req.type === 'insert') return insertInTab(tabId, req.messageId);
      if (req.type === 'log-contact') return logContact(tabId, req.messageId);
      forgetAll();
      void refreshTab(tabId);
      return { ok: true, value: null };
    }
  }
}

function isExtensionPage(sender: chrome.runtime.MessageSender): boolean {
  return sender.id === chrome.runtime.id && (sender.url ?? '').startsWith('chrome-extension://');
}

function contentSite(sender: chrome.runtime.MessageSender): ConversationContext['site'] | null {
  if (sender.id !== chrome.runtime.id || !sender.tab || sender.frameId !== 0 || !sender.url)
    return null;
  return SITE_ORIGINS[new URL(sender.url).origin] ?? null;
}

chrome.runtime.onMessage.addListener((raw: unknown, sender, sendResponse) => {
  if (isExtensionPage(sender)) {
    const parsed = v.safeParse(PageRequestSchema, raw);
    if (!parsed.success) return false;
    handlePage(parsed.output, sender.tab?.id)
      .then(sendResponse)
      .catch(async (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) await signOutLocally();
        sendResponse({ ok: false, message: errorMessage(error) } satisfies PageResponse);
      });
    return true;
  }
  const site = contentSite(sender);
  const tabId = sender.tab?.id;
  if (site === null || tabId === undefined) return false;
  const parsed = v.safeParse(ContentToWorkerSchema, raw);
  // A content script may report only its own site's context.
  if (!parsed.success || parsed.output.context.site !== site) return false;
  onContext(tabId, parsed.output.context);
  return false;
});

chrome.runtime.onConnect.addListener((port) => {
  const tabId = port.sender?.tab?.id;
  if (
    port.name !== 'overlay' ||
    !port.sender ||
    !isExtensionPage(port.sender) ||
    tabId === undefined
  ) {
    port.disconnect();
    return;
  }
  const entry = entryOf(tabId);
  entry.ports.add(port);
  port.onDisconnect.addListener(() => entry.ports.delete(port));
  port.postMessage({ type: 'state', state: entry.state } satisfies WorkerToOverlay);
  if (entry.context === null) void askContext(tabId);
  else void refreshTab(tabId);
});

chrome.tabs.onRemoved.addListener((tabId) => tabs.delete(tabId));

// Restrict the storage areas before anything can be written (every worker start).
void sessionArea();
