/**
 * The extension's costs, each beside a no-op measured in the same run:
 * - content-script size (gzip) beside a no-op content script built the same way (Vite IIFE);
 * - chat switch → overlay showing the new debtor, uncached (a lookup through the real server) and
 *   cached, beside the same switch observed by a page-side MutationObserver (the floor any content
 *   script pays: WhatsApp re-renders #main, something notices).
 * Runs the real stack: server on in-memory PGlite, Chromium with the built extension.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { EXTENSION_DIST } from '../../extension/build';
import { bundleForPage, ensureExtensionBuilt, fixture } from '../extension-harness';
import {
  CARLOS,
  MARIA,
  extraPhone,
  overlayFrame,
  serveWhatsApp,
  startStack,
  switchChat,
} from '../extension-stack';
import { compare, type BenchResult } from './harness';

const ROUNDS = 7;

function chatFor(phone: string): string {
  const user = phone.slice(1);
  const shown = `+${user.slice(0, 2)} ${user.slice(2, 4)} ${user.slice(4, 9)}-${user.slice(9)}`;
  return fixture('whatsapp-2026-11-chat.html')
    .replaceAll('551187654321@c.us', `${user}@c.us`)
    .replaceAll('+55 11 98765-4321', shown);
}

async function sizes(): Promise<BenchResult[]> {
  await ensureExtensionBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'quita-noop-'));
  try {
    const entry = join(dir, 'noop-content.ts');
    writeFileSync(entry, "chrome.runtime.sendMessage({ type: 'noop' }).catch(() => undefined);\n");
    const noop = gzipSync(await bundleForPage(entry, 'noop')).length;
    return ['content-gmail.js', 'content-whatsapp.js'].map((file) => {
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

export async function run(): Promise<BenchResult[]> {
  const results = await sizes();
  const db = await openPglite();
  await migrate(db);
  const stack = await startStack({ openDb: async () => db, extraDebtors: 2 * (ROUNDS + 1) });
  try {
    serveWhatsApp(stack.site, 'whatsapp-2026-11-chat.html');
    const page = await stack.browser.context.newPage();
    await page.goto('https://web.whatsapp.com/');
    const overlay = await overlayFrame(page);
    const shows = (name: string) =>
      overlay.waitForFunction(
        (n) => document.querySelector('[data-debtor-name]')?.textContent === n,
        name,
        { polling: 'raf', timeout: 15_000 },
      );
    await shows(MARIA.name);
    // The no-op: the page itself notices the new #main, as the cheapest content script would.
    await page.evaluate(() => {
      const w = window as unknown as { seenTitle: string };
      w.seenTitle = '';
      new MutationObserver(() => {
        w.seenTitle =
          document.querySelector('#main header span[title]')?.getAttribute('title') ?? '';
      }).observe(document.body, { childList: true, subtree: true });
    });
    let noopToggle = false;
    const noop = {
      name: 'same switch seen by a page MutationObserver',
      run: async () => {
        noopToggle = !noopToggle;
        const html = noopToggle ? chatFor('+5511900000001') : chatFor('+5511900000002');
        const title = noopToggle ? '+55 11 90000-0001' : '+55 11 90000-0002';
        await switchChat(page, html);
        await page.waitForFunction(
          (t) => (window as unknown as { seenTitle: string }).seenTitle === t,
          title,
          {
            polling: 'raf',
          },
        );
      },
    };
    let next = 0;
    results.push(
      await compare(
        'extension: chat switch → overlay',
        '1 switch',
        {
          name: 'uncached (server lookup + detail)',
          run: async () => {
            const i = next++;
            await switchChat(page, chatFor(extraPhone(i)));
            await shows(`Cliente ${i}`);
          },
        },
        noop,
        ROUNDS,
      ),
    );
    let cachedToggle = false;
    await switchChat(page, chatFor(CARLOS.phone));
    await shows(CARLOS.name);
    results.push(
      await compare(
        'extension: chat switch → overlay',
        '1 switch',
        {
          name: 'cached (lookup within its TTL)',
          run: async () => {
            cachedToggle = !cachedToggle;
            const who = cachedToggle ? MARIA : CARLOS;
            await switchChat(page, chatFor(who === MARIA ? '+551187654321' : who.phone));
            await shows(who.name);
          },
        },
        noop,
        ROUNDS,
      ),
    );
    await page.close();
  } finally {
    await stack.close();
  }
  return results;
}
