/**
 * The content script's whole job, for any site adapter (isolated world, DOM only): read the
 * conversation context, report it to the service worker when it changes (SPA navigation: hashchange,
 * popstate and a debounced MutationObserver), show or hide the overlay host, and insert text when
 * the service worker asks. It holds no token and never receives debt data.
 *
 * An insert carries the key of the conversation its text was written for. The page is read again
 * at that moment, synchronously, and again right before the adapter writes: when the open
 * conversation (chat, thread, anyone receiving it) is not that one any more, nothing is written
 * and the answer is `conversation-changed`. The debounced report is not trusted for this: a chat
 * switched a millisecond before "Inserir" has not been reported yet.
 */
import * as v from 'valibot';
import { conversationKey } from '#shared/extension/conversation-key';
import {
  WorkerToContentSchema,
  type ContentToWorker,
  type ConversationContext,
  type InsertResult,
} from '#shared/extension/content-messages';
import type { SiteAdapter } from '../sites/adapter';
import { mountOverlayHost } from './overlay-host';

/** Short enough to feel instant on a chat switch, long enough to skip a re-render's frames. */
const DEBOUNCE_MS = 60;

const ALWAYS_WATCHED = ['style', 'hidden', 'class', 'data-thread-perm-id'];

function hasConversation(context: ConversationContext): boolean {
  if (context.site === 'whatsapp') return context.chat.kind !== 'none';
  return context.threadId !== null || context.compose !== null || context.unreadable > 0;
}

export function runContent(site: SiteAdapter): void {
  const overlay = mountOverlayHost(document);
  let lastKey = '';
  let timer: ReturnType<typeof setTimeout> | undefined;

  const report = () => {
    timer = undefined;
    const current = site.read(document);
    const key = JSON.stringify(current);
    if (key === lastKey) return;
    lastKey = key;
    overlay.show(hasConversation(current));
    const message: ContentToWorker = { type: 'context', context: current };
    // The worker may be restarting; the overlay asks again for the context when it reconnects.
    chrome.runtime.sendMessage(message).catch(() => undefined);
  };
  const schedule = () => {
    if (timer === undefined) timer = setTimeout(report, DEBOUNCE_MS);
  };

  new MutationObserver(schedule).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: [...new Set([...ALWAYS_WATCHED, ...site.watch])],
  });
  window.addEventListener('hashchange', schedule);
  window.addEventListener('popstate', schedule);

  chrome.runtime.onMessage.addListener((raw: unknown, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || sender.tab) return false;
    const parsed = v.safeParse(WorkerToContentSchema, raw);
    if (!parsed.success) return false;
    const message = parsed.output;
    if (message.type === 'get-context') {
      sendResponse(site.read(document));
      return false;
    }
    const stillSame = () => conversationKey(site.read(document)) === message.conversation;
    if (!stillSame()) {
      // Tell the worker what is open now, so the overlay follows at once.
      schedule();
      sendResponse({ ok: false, reason: 'conversation-changed' } satisfies InsertResult);
      return false;
    }
    site
      .insert(document, message.text, stillSame)
      .then((result: InsertResult) => {
        if (!result.ok && result.reason === 'conversation-changed') schedule();
        sendResponse(result);
      })
      .catch(() => sendResponse({ ok: false, reason: 'not-verified' } satisfies InsertResult));
    return true;
  });
  report();
}
