/**
 * The in-page footprint of the overlay: a host element whose CLOSED shadow root holds an
 * extension-origin iframe (overlay.html) and a collapse button. No debt data ever passes through
 * here: the iframe is cross-origin to the page and gets its data from the service worker itself;
 * its URL carries nothing (the dynamic web-accessible URL, no query, no fragment).
 */
import { tc as t } from '../i18n/content';

export interface OverlayHost {
  show(visible: boolean): void;
}

const STYLE = `
:host { all: initial; }
.wrap { position: fixed; right: 16px; bottom: 16px; z-index: 2147483646; display: flex;
  flex-direction: column; align-items: flex-end; gap: 6px; font: 13px system-ui, sans-serif; }
.wrap[hidden] { display: none; }
iframe { width: 340px; height: 480px; border: 1px solid #c9d3cf; border-radius: 10px;
  background: #fff; box-shadow: 0 6px 24px rgba(0,0,0,.18); color-scheme: light; }
iframe[hidden] { display: none; }
button { border: 0; border-radius: 999px; padding: 6px 12px; background: #1f6f5c; color: #fff;
  font: inherit; cursor: pointer; }
`;

export function mountOverlayHost(doc: Document): OverlayHost {
  const host = doc.createElement('quita-overlay');
  const root = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  const wrap = doc.createElement('div');
  wrap.className = 'wrap';
  wrap.hidden = true;
  const frame = doc.createElement('iframe');
  frame.src = chrome.runtime.getURL('overlay.html');
  frame.title = t('overlay.title');
  frame.setAttribute('allow', 'clipboard-write');
  const toggle = doc.createElement('button');
  toggle.type = 'button';
  toggle.textContent = t('overlay.hide');
  toggle.addEventListener('click', () => {
    frame.hidden = !frame.hidden;
    toggle.textContent = t(frame.hidden ? 'overlay.show' : 'overlay.hide');
  });
  wrap.append(frame, toggle);
  root.append(style, wrap);
  (doc.body ?? doc.documentElement).append(host);
  return {
    show(visible) {
      wrap.hidden = !visible;
      // Gmail and WhatsApp re-render their roots; put the host back if it was removed.
      if (!host.isConnected) (doc.body ?? doc.documentElement).append(host);
    },
  };
}
