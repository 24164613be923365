/**
 * The service worker: the only context with network access and the token. It routes messages:
 * content scripts may only report their own site's conversation context; extension pages (the
 * overlay iframe, popup, options) ask for everything else. Every message is parsed with its schema
 * and checked against its sender. Per-tab state lives in ./tabs, sign-in and sign-out in ./session.
 *
 * "Inserir" is bound to the conversation its message was written for: the worker refuses when the
 * tab's conversation changed since, and hands the content script the conversation's key, which it
 * checks again against the page right before writing.
 */
import * as v from 'valibot';
import { conversationKey } from '#shared/extension/audience';
import {
  ContentToWorkerSchema,
  ConversationContextSchema,
  InsertResultSchema,
  type ConversationContext,
  type InsertResult,
  type Site,
  type WorkerToContent,
} from '#shared/extension/content-messages';
import {
  PageRequestSchema,
  type PageRequest,
  type PageResponse,
  type WorkerToOverlay,
} from '#shared/extension/page-messages';
import { t } from '../i18n';
import { ApiError, api } from './api-client';
import { confirmChatIdentity, forgetAll, undoChatIdentity } from './data';
import {
  REVOCATION_ALARM,
  forgetRefusedSession,
  retryRevocations,
  signIn,
  signOut,
  status,
} from './session';
import { linkChat, loadSession, sessionArea } from './session-store';
import { allTabIds, entryOf, forgetTab, refreshTab, showSignedOut } from './tabs';

const SITE_ORIGINS: Record<string, Site> = {
  'https://mail.google.com': 'gmail',
  'https://outlook.office.com': 'outlook',
  'https://outlook.office365.com': 'outlook',
  'https://outlook.live.com': 'outlook',
  'https://web.whatsapp.com': 'whatsapp',
};

function onUnauthorized(): Promise<void> {
  return forgetRefusedSession(showSignedOut);
}

function refresh(tabId: number, options: { quiet?: boolean } = {}): Promise<void> {
  return refreshTab(tabId, options, onUnauthorized);
}

function onContext(tabId: number, context: ConversationContext): void {
  entryOf(tabId).context = context;
  void refresh(tabId);
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

const CHANGED: PageResponse<InsertResult> = {
  ok: true,
  value: { ok: false, reason: 'conversation-changed' },
};

async function insertInTab(tabId: number, messageId: string): Promise<PageResponse<InsertResult>> {
  const entry = entryOf(tabId);
  const sendable = entry.sendables.get(messageId);
  // The overlay showed a message for a conversation that is no longer the tab's.
  if (!sendable) return CHANGED;
  if (entry.context && conversationKey(entry.context) !== sendable.conversation) return CHANGED;
  const message: WorkerToContent = {
    type: 'insert',
    text: sendable.text,
    conversation: sendable.conversation,
  };
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
  void refresh(tabId, { quiet: true });
  return { ok: true, value: null };
}

/** The link and identity actions of a hidden-id chat. */
async function chatAction(
  tabId: number,
  req: Extract<
    PageRequest,
    { type: 'link-chat' | 'unlink-chat' | 'confirm-identity' | 'undo-identity' }
  >,
): Promise<PageResponse> {
  const hidden = entryOf(tabId).hidden;
  const session = await loadSession();
  if (!hidden || !session) return { ok: false, message: t('error.forbidden') };
  switch (req.type) {
    case 'link-chat':
      await linkChat(hidden.jid, { debtorId: req.debtorId, name: req.name });
      break;
    case 'unlink-chat':
      await linkChat(hidden.jid, null);
      break;
    case 'confirm-identity':
      // Only what the overlay showed as linked can be confirmed.
      if (hidden.debtorId !== req.debtorId) return { ok: false, message: t('error.forbidden') };
      await confirmChatIdentity(session, hidden.chat, req.debtorId);
      break;
    case 'undo-identity':
      if (hidden.identityId) await undoChatIdentity(session, hidden.chat, hidden.identityId);
      await linkChat(hidden.jid, null);
      break;
  }
  void refresh(tabId);
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
  items: v.array(v.looseObject({ id: v.string(), name: v.string() })),
});

async function handlePage(req: PageRequest, tabId: number | undefined): Promise<PageResponse> {
  switch (req.type) {
    case 'status':
      return { ok: true, value: await status() };
    case 'sign-in':
      return signIn(req, () => {
        for (const id of allTabIds()) void refresh(id);
      });
    case 'sign-out':
      return signOut(showSignedOut);
    case 'retry-revocation':
      return { ok: true, value: { pending: await retryRevocations() } };
    case 'queue':
    case 'search': {
      const session = await loadSession();
      if (!session) return { ok: false, message: t('popup.signedOut') };
      if (req.type === 'queue')
        return { ok: true, value: await api(session, '/api/cadence/today?limit=50', QueueSchema) };
      const q = encodeURIComponent(req.query);
      // Names only: a search result never shows an amount or a status.
      const found = await api(session, `/api/debtors?q=${q}&limit=20`, SearchSchema);
      return { ok: true, value: { items: found.items.map((i) => ({ id: i.id, name: i.name })) } };
    }
    default: {
      // Only an overlay inside a tab acts on that tab.
      if (tabId === undefined) return { ok: false, message: t('error.forbidden') };
      switch (req.type) {
        case 'insert':
          return insertInTab(tabId, req.messageId);
        case 'log-contact':
          return logContact(tabId, req.messageId);
        case 'refresh':
          forgetAll();
          void refresh(tabId);
          return { ok: true, value: null };
        default:
          return chatAction(tabId, req);
      }
    }
  }
}

function isExtensionPage(sender: chrome.runtime.MessageSender): boolean {
  return sender.id === chrome.runtime.id && (sender.url ?? '').startsWith('chrome-extension://');
}

function contentSite(sender: chrome.runtime.MessageSender): Site | null {
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
        if (error instanceof ApiError && error.status === 401) await onUnauthorized();
        const message = error instanceof Error ? error.message : String(error);
        sendResponse({ ok: false, message } satisfies PageResponse);
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
  else void refresh(tabId);
});

chrome.tabs.onRemoved.addListener((tabId) => forgetTab(tabId));

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === REVOCATION_ALARM) void retryRevocations();
});

// Restrict the storage areas before anything can be written, then retry what sign-out left.
void sessionArea().then(() => retryRevocations().catch(() => undefined));
