/**
 * A hostile host page, on every site (WhatsApp Web, Gmail, Outlook on the web): a script in the
 * page's own world (installed before the page loads, as a compromised site bundle would be)
 * listens to every window event and postMessage, records every DOM mutation, scans the DOM
 * including open shadow roots and frames it can reach, and reads the page's storage, cookies, URL
 * and resource timings. With the overlay showing a debtor's name, status and balance, none of it
 * — nor the API token — may reach the page.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { fixture } from './extension-harness';
import {
  GMAIL_URL,
  MARIA,
  OUTLOOK_URL,
  overlayFrame,
  serveGmail,
  serveOutlook,
  serveWhatsApp,
  startStack,
  switchChat,
  switchView,
  type Stack,
} from './extension-stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await stack.browser.context.addInitScript({ content: HOSTILE });
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const HOSTILE = `(() => {
  const seen = [];
  const keep = (where, value) => { try { seen.push(where + ' ' + (typeof value === 'string' ? value : JSON.stringify(value))); } catch { seen.push(where + ' <unserialisable>'); } };
  const types = Object.getOwnPropertyNames(window).filter((k) => k.startsWith('on')).map((k) => k.slice(2));
  for (const type of new Set([...types, 'message', 'paste', 'beforeinput', 'input', 'quita', 'overlay'])) {
    window.addEventListener(type, (e) => keep('event', {
      type: e.type,
      data: 'data' in e ? e.data : null,
      detail: 'detail' in e ? e.detail : null,
      clip: e.clipboardData ? e.clipboardData.getData('text/plain') : null,
      transfer: e.dataTransfer ? e.dataTransfer.getData('text/plain') : null,
    }), true);
  }
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) keep('added', n.outerHTML ?? n.textContent);
      if (r.type === 'attributes' && r.target.getAttribute) keep('attr', r.target.getAttribute(r.attributeName));
      if (r.type === 'characterData') keep('text', r.target.data);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  const scan = () => {
    const out = [document.documentElement.outerHTML];
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        for (const a of el.attributes) out.push(a.value);
        if (el.shadowRoot) { out.push(el.shadowRoot.innerHTML); walk(el.shadowRoot); }
        if (el.tagName === 'IFRAME') {
          try { out.push(el.contentDocument ? el.contentDocument.documentElement.outerHTML : 'iframe:no-document'); }
          catch { out.push('iframe:blocked'); }
        }
      }
    };
    walk(document);
    out.push(JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }), document.cookie, location.href, window.name);
    out.push(...performance.getEntries().map((e) => e.name));
    return out;
  };
  window.__hostile = {
    async report() {
      const dbs = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [];
      return [...scan(), ...seen, JSON.stringify(dbs)].join('\\n');
    },
    hostShadowRoot: () => { const h = document.querySelector('quita-overlay'); return h ? String(h.shadowRoot) : 'no-host'; },
  };
})();`;

interface SiteCase {
  site: string;
  serve(): void;
  url: string;
  /** Switches to another conversation and back, so the spy sees the overlay follow. */
  away(page: Page): Promise<void>;
  back(page: Page): Promise<void>;
  /** Text of the page itself and of the other conversation: proof the spy saw the page. */
  seen: string[];
}

const SITES: SiteCase[] = [
  {
    site: 'WhatsApp Web',
    serve: () => serveWhatsApp(stack.site, 'whatsapp-2026-11-chat.html'),
    url: 'https://web.whatsapp.com/',
    away: (page) => switchChat(page, fixture('whatsapp-2026-11-group.html')),
    back: (page) => switchChat(page, fixture('whatsapp-2026-11-chat.html')),
    seen: ['Bom dia', 'Família Souza'],
  },
  {
    site: 'Gmail',
    serve: () => serveGmail(stack.site, 'gmail-2026-11-thread.html'),
    url: `${GMAIL_URL}#inbox/FMfcgzQZTMxKcWvXjLqPbRzA`,
    away: (page) =>
      switchView(
        page,
        fixture('gmail-2026-11-reply-compose.html'),
        '.nH:not([style]) > [role=main]',
      ),
    back: (page) =>
      switchView(page, fixture('gmail-2026-11-thread.html'), '.nH:not([style]) > [role=main]'),
    seen: ['Re: Conta de outubro', 'Re: Acordo'],
  },
  {
    site: 'Outlook on the web',
    serve: () => serveOutlook(stack.site, 'outlook-2026-12-reading-pane.html'),
    url: OUTLOOK_URL,
    away: (page) =>
      switchView(page, fixture('outlook-2026-12-reply-cc.html'), '#ReadingPaneContainerId'),
    back: (page) =>
      switchView(page, fixture('outlook-2026-12-reading-pane.html'), '#ReadingPaneContainerId'),
    seen: ['Qual o valor para pagar hoje', 'Podemos parcelar'],
  },
];

describe.each(SITES)('$site', (c) => {
  test('the host page learns nothing: no debtor data, no token, no closed shadow root', async () => {
    const { context, worker } = stack.browser;
    c.serve();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(c.url);
    const overlay = await overlayFrame(page);
    await expect
      .poll(() => overlay.locator('[data-debtor-name]').textContent(), { timeout: 10_000 })
      .toBe(MARIA.name);
    await expect.poll(() => overlay.locator('[data-total]').count()).toBe(1);
    const total = (await overlay.locator('[data-total]').textContent()) ?? '';
    const status = (await overlay.locator('.chip').textContent()) ?? '';
    // The overlay really is showing the secrets, so their absence below means something.
    expect(total).toMatch(/^R\$\s\d/);
    expect(status).toMatch(/vencido/);

    // Exercise the messaging a bit: a switch away and back.
    await c.away(page);
    await expect.poll(() => overlay.locator('main').textContent()).not.toContain(MARIA.name);
    await c.back(page);
    await expect.poll(() => overlay.locator('[data-debtor-name]').textContent()).toBe(MARIA.name);

    const token = await worker.evaluate(async () => {
      const all = {
        ...(await chrome.storage.local.get(null)),
        ...(await chrome.storage.session.get(null)),
      };
      return (all['quita.session'] as { token?: string } | undefined)?.token ?? '';
    });
    expect(token.length).toBeGreaterThan(20);

    const report = (await page.evaluate('window.__hostile.report()')) as string;
    // The spy works: it saw the page's own text, the switch's mutations and the overlay's host.
    for (const text of c.seen) expect(report).toContain(text);
    expect(report).toContain('quita-overlay');
    const amount = total.replace(/^R\$\s/, '');
    for (const secret of [
      MARIA.name,
      'Aparecida',
      amount,
      'R$',
      status,
      'vencido',
      token,
      stack.debtors.maria,
      '/api/',
    ])
      expect(report, `page saw ${secret}`).not.toContain(secret);
    expect(await page.evaluate('window.__hostile.hostShadowRoot()')).toBe('null');
    await page.close();
  });
});
