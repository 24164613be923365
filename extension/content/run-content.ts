/**
 * The content script's whole job, for any site adapter (isolated world, DOM only): read the
 * conversation context, report it to the service worker when it changes (SPA navigation: hashchange,
 * popstate and a debounced MutationObserver), show or hide the overlay host, and insert text when
 * the service worker asks. It holds no token and never receives debt data.
 */
import * as v from 'valibot';
import {
  WorkerToContentSchema,
  type ContentToWorker,
  type ConversationContext,
  type InsertResult,
} from '#shared/extension/content-messages';
import type { SiteAdapter } from '../sites';
import { mountOverlayHost } from './overlay-host';

/** Short enough to feel instant on a chat switch, long enough to skip a re-render's frames. */
const DEBOUNCE_MS = 60;

function hasConversation(context: ConversationContext): boolean {
  if (context.site === 'gmail') return context.threadId !== null || context.compose !== null;
  return context.chat.kind !== 'none';
}

export function runContent(site: SiteAdapter): void {
  const overlay = mountOverlayHost(document);
  let lastKey = '';
  let current: ConversationContext = site.read(document);
  let timer: ReturnType<typeof setTimeout> | undefined;

  const report = () => {
    timer = undefined;
    current = site.read(document);
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
    attributeFilter: ['style', 'hidden', 'class', 'data-id', 'title', 'data-thread-perm-id'],
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
    site
      .insert(document, message.text)
      .then((result: InsertResult) => sendResponse(result))
      .catch(() => sendResponse({ ok: false, reason: 'not-verified' } satisfies InsertResult));
    return true;
  });
  report();
}
