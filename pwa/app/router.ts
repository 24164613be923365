/**
 * A tiny history router: the path is a signal, links are plain <a href> intercepted here, and
 * the server (and the service worker's navigation fallback) answers every path with index.html.
 */
import { signal } from '@preact/signals';
import { clearDirty, dirty } from './dirty';
import { t } from '../i18n/messages';

export const path = signal(location.pathname);
export const query = signal(new URLSearchParams(location.search));

function sync(): void {
  path.value = location.pathname;
  query.value = new URLSearchParams(location.search);
}

/** Goes to `to`; asks first when a form has unsaved changes. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (dirty.value && !confirm(t('dirty.leave'))) return;
  clearDirty();
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  sync();
  // Move focus to the new screen's heading so screen readers announce the change.
  queueMicrotask(() => document.querySelector<HTMLElement>('main h1')?.focus());
}

addEventListener('popstate', sync);

addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const target = event.target instanceof Element ? event.target.closest('a') : null;
  if (!target || target.target || target.hasAttribute('download')) return;
  const url = new URL(target.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  // In-page anchors (the skip link) keep the browser's own behaviour.
  if (url.hash && url.pathname === location.pathname) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});
