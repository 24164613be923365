/**
 * The extension's costs, each beside a no-op measured in the same run:
 * - content-script size (gzip) per site, beside a no-op content script built the same way (Vite IIFE);
 * - conversation switch → overlay showing the new debtor, on WhatsApp Web, Gmail and Outlook on
 *   the web, uncached (lookups and detail through the real server) and cached (within the lookup
 *   TTL), beside a no-op content script loaded in the same browser as a second extension: it
 *   watches the page with the same observer and debounce, reads the conversation's id and makes
 *   one round trip to its own service worker, then marks the page (the floor any content script
 *   pays: the site re-renders, something notices, the worker hears about it).
 * The uncached switch is also put beside the two requests it makes, sent over HTTP from Node to
 * the same server (lookup, then the debtor's detail): what remains is the extension's own share.
 * Runs the real stack: server on in-memory PGlite, Chromium with the built extension.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Frame, Page } from 'playwright-core';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { EXTENSION_DIST } from '../../extension/build';
import { bundleForPage, ensureExtensionBuilt, fixture } from '../extension-harness';
import {
  CARLOS,
  GMAIL_URL,
  MARIA,
  OUTLOOK_URL,
  extraPhone,
  overlayFrame,
  serveGmail,
  serveOutlook,
  serveWhatsApp,
  startStack,
  switchChat,
  switchView,
} from '../extension-stack';
import { compare, type BenchResult } from './harness';

const ROUNDS = 7;

async function sizes(): Promise<BenchResult[]> {
  await ensureExtensionBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'quita-noop-'));
  try {
    const entry = join(dir, 'noop-content.ts');
    writeFileSync(entry, "chrome.runtime.sendMessage({ type: 'noop' }).catch(() => undefined);\n");
    const noop = gzipSync(await bundleForPage(entry, 'noop')).length;
    return ['content-gmail.js', 'content-outlook.js', 'content-whatsapp.js'].map((file) => {
      const bytes = gzipSync(readFileSync(join(EXTENSION_DIST, file))).length;
      return {
        group: 'extension: content script size',
        unit: 'gzip bytes (the "median" columns are bytes, not ms)',
        subject: { name: file, medianMs: bytes, runs: 1 },
        baseline: { name: 'no-op content script', medianMs: noop, runs: 1 },
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The no-op extension: same MutationObserver options and 60 ms debounce as Quita's content
 * script, reads the open conversation's id, one round trip to its worker, marks the page.
 */
function noopExtension(dir: string): void {
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'no-op',
      version: '1.0.0',
      background: { service_worker: 'noop-worker.js' },
      content_scripts: [
        {
          matches: [
            'https://mail.google.com/*',
            'https://outlook.office.com/*',
            'https://web.whatsapp.com/*',
          ],
          js: ['noop-content.js'],
          run_at: 'document_idle',
        },
      ],
    }),
  );
  writeFileSync(
    join(dir, 'noop-worker.js'),
    'chrome.runtime.onMessage.addListener((m, _s, reply) => { reply({ seen: m.id }); return false; });\n',
  );
  writeFileSync(
    join(dir, 'noop-content.js'),
    `(() => {
  let timer, last = '';
  const shown = (sel) => [...document.querySelectorAll(sel)].find((e) => e.checkVisibility());
  const id = () =>
    shown('#main header span[title]')?.getAttribute('title') ??
    shown('[data-thread-perm-id]')?.getAttribute('data-thread-perm-id') ??
    shown('[data-app-section="ConversationContainer"]')?.getAttribute('data-convid') ?? '';
  const report = async () => {
    timer = undefined;
    const now = id();
    if (now === last) return;
    last = now;
    const answer = await chrome.runtime.sendMessage({ id: now });
    document.documentElement.setAttribute('data-noop-seen', answer.seen);
  };
  new MutationObserver(() => { timer ??= setTimeout(report, 60); }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true,
    attributeFilter: ['style', 'hidden', 'class', 'data-id', 'title', 'data-thread-perm-id', 'data-convid'],
  });
  report();
})();\n`,
  );
}

interface Site {
  name: string;
  /** The lookup query the overlay makes for `who`. */
  query(who: { email: string; phone: string }): string;
  open(page: Page): Promise<void>;
  /** The page of a conversation with `email`/`phone`, and its id as the no-op reads it. */
  conversation(i: number, who: { email: string; phone: string }): { html: string; id: string };
  switch(page: Page, html: string): Promise<void>;
}

const b = (i: number) => String(1789000000000001000 + i);

const SITES: Site[] = [
  {
    name: 'WhatsApp Web',
    query: (who) => `phone=${encodeURIComponent(who.phone)}`,
    async open(page) {
      await page.goto('https://web.whatsapp.com/');
    },
    conversation(_i, who) {
      const user = who.phone.slice(1);
      const shown = `+${user.slice(0, 2)} ${user.slice(2, 4)} ${user.slice(4, 9)}-${user.slice(9)}`;
      const html = fixture('whatsapp-2026-11-chat.html')
        .replaceAll('551187654321@c.us', `${user}@c.us`)
        .replaceAll('+55 11 98765-4321', shown);
      return { html, id: shown };
    },
    switch: switchChat,
  },
  {
    name: 'Gmail',
    query: (who) => `email=${encodeURIComponent(who.email)}`,
    async open(page) {
      await page.goto(`${GMAIL_URL}#inbox/FMfcgzQZTMxKcWvXjLqPbRzA`);
    },
    conversation(i, who) {
      const id = `thread-f:${b(i)}`;
      const html = fixture('gmail-2026-11-thread.html')
        .replace('thread-f:1789000000000000042', id)
        .replaceAll(/maria\.silva@example\.com\.br/gi, who.email);
      return { html, id };
    },
    switch: (page, html) => switchView(page, html, '.nH:not([style]) > [role=main]'),
  },
  {
    name: 'Outlook on the web',
    query: (who) => `email=${encodeURIComponent(who.email)}`,
    async open(page) {
      await page.goto(OUTLOOK_URL);
    },
    conversation(i, who) {
      const id = `AAQkADAwATM3ZmYAZS1lOGYxLTAwAi0wMAoAEAB${b(i)}`;
      const html = fixture('outlook-2026-12-reading-pane.html')
        .replaceAll('AAQkADAwATM3ZmYAZS1lOGYxLTAwAi0wMAoAEAB1c1Hq', id)
        .replaceAll('maria.silva@example.com.br', who.email);
      return { html, id };
    },
    switch: (page, html) => switchView(page, html, '#ReadingPaneContainerId'),
  },
];

function shows(overlay: Frame, name: string) {
  return overlay.waitForFunction(
    (n) =>
      document.querySelector('[data-debtor-name]')?.textContent === n &&
      document.querySelector('[data-total]') !== null,
    name,
    { polling: 'raf', timeout: 15_000 },
  );
}

export async function run(): Promise<BenchResult[]> {
  const results = await sizes();
  // Two uncached comparisons per site, each on debtors never looked up before (the warm-up too).
  const perSite = 2 * (ROUNDS + 1);
  const db = await openPglite();
  await migrate(db);
  const noopDir = mkdtempSync(join(tmpdir(), 'quita-noop-ext-'));
  noopExtension(noopDir);
  const stack = await startStack({
    openDb: async () => db,
    extraDebtors: SITES.length * perSite,
    extraExtensions: [noopDir],
  });
  try {
    serveWhatsApp(stack.site, 'whatsapp-2026-11-chat.html');
    serveGmail(stack.site, 'gmail-2026-11-thread.html');
    serveOutlook(stack.site, 'outlook-2026-12-reading-pane.html');
    for (const [s, site] of SITES.entries()) {
      const page = await stack.browser.context.newPage();
      await site.open(page);
      const overlay = await overlayFrame(page);
      await shows(overlay, MARIA.name);
      // The no-op's switch: between two pages no debtor is looked up for.
      let noopToggle = false;
      const noop = {
        name: 'same switch, no-op content script + its worker',
        run: async () => {
          noopToggle = !noopToggle;
          const next = site.conversation(9000 + (noopToggle ? 1 : 2), {
            email: `ninguem${noopToggle ? 1 : 2}@example.com.br`,
            phone: noopToggle ? '+5511900000001' : '+5511900000002',
          });
          await site.switch(page, next.html);
          await page.waitForFunction(
            (id) => document.documentElement.getAttribute('data-noop-seen') === id,
            next.id,
            { polling: 'raf', timeout: 15_000 },
          );
        },
      };
      let next = s * perSite;
      // The same two requests the uncached switch makes, over HTTP, no browser in between.
      let direct = s * perSite;
      const requests = {
        name: 'its 2 API requests alone (lookup, detail), over HTTP from Node',
        run: async () => {
          const i = direct++;
          const who = { email: `cliente${i}@example.com.br`, phone: extraPhone(i) };
          const res = await fetch(`${stack.apiUrl}/api/debtors/lookup?${site.query(who)}`, {
            headers: stack.ownerHeaders,
          });
          const found = (await res.json()) as { matches: { id: string }[] };
          const id = found.matches[0]?.id;
          if (!id) throw new Error(`no debtor for ${who.email}`);
          await (
            await fetch(`${stack.apiUrl}/api/debtors/${id}`, { headers: stack.ownerHeaders })
          ).json();
        },
      };
      results.push(
        await compare(
          `extension: ${site.name} switch → overlay`,
          '1 switch',
          {
            name: 'uncached (server lookup + detail)',
            run: async () => {
              const i = next++;
              const who = { email: `cliente${i}@example.com.br`, phone: extraPhone(i) };
              await site.switch(page, site.conversation(i, who).html);
              await shows(overlay, `Cliente ${i}`);
            },
          },
          requests,
          ROUNDS,
        ),
      );
      results.push(
        await compare(
          `extension: ${site.name} switch → overlay`,
          '1 switch',
          {
            name: 'uncached (server lookup + detail)',
            run: async () => {
              const i = next++;
              const who = { email: `cliente${i}@example.com.br`, phone: extraPhone(i) };
              await site.switch(page, site.conversation(i, who).html);
              await shows(overlay, `Cliente ${i}`);
            },
          },
          noop,
          ROUNDS,
        ),
      );
      let cachedToggle = false;
      const carlos = site.conversation(8000, { email: CARLOS.email, phone: CARLOS.phone });
      const maria = site.conversation(8001, { email: MARIA.email, phone: '+551187654321' });
      await site.switch(page, carlos.html);
      await shows(overlay, CARLOS.name);
      results.push(
        await compare(
          `extension: ${site.name} switch → overlay`,
          '1 switch',
          {
            name: 'cached (lookup within its TTL)',
            run: async () => {
              cachedToggle = !cachedToggle;
              await site.switch(page, (cachedToggle ? maria : carlos).html);
              await shows(overlay, cachedToggle ? MARIA.name : CARLOS.name);
            },
          },
          noop,
          ROUNDS,
        ),
      );
      await page.close();
    }
  } finally {
    await stack.close();
    rmSync(noopDir, { recursive: true, force: true });
  }
  return results;
}
