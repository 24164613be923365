/**
 * The site adapters against saved, sanitised Gmail and WhatsApp Web fixtures (reference §7),
 * including a deploy where every obfuscated class changed. Run in real Chromium (visibility,
 * execCommand, synthetic paste need a real engine): each fixture is loaded with setContent and the
 * adapter module injected as a script.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type * as SitesModule from '../extension/sites/index';
import { bundleForPage, CHROMIUM, fixture } from './extension-harness';

let browser: Browser;
let page: Page;
let adapters: string;

beforeAll(async () => {
  [adapters, browser] = await Promise.all([
    bundleForPage('extension/sites/index.ts', 'QuitaSites'),
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
    }),
  ]);
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
});

async function load(name: string, extraScript?: string): Promise<void> {
  await page.setContent(fixture(name));
  await page.addScriptTag({ content: adapters });
  if (extraScript) await page.addScriptTag({ content: extraScript });
}

type Sites = typeof SitesModule;
function run<T>(fn: (sites: Sites, doc: Document) => T | Promise<T>): Promise<T> {
  return page.evaluate(`(${fn.toString()})(window.QuitaSites, document)`) as Promise<T>;
}

describe('Gmail adapter', () => {
  test('thread view: visible thread only, latest inbound sender first, self and hovercards ignored', async () => {
    await load('gmail-2026-11-thread.html');
    expect(await run((s, d) => s.readGmailContext(d))).toEqual({
      site: 'gmail',
      threadId: 'thread-f:1789000000000000042',
      correspondents: ['maria.silva@example.com.br'],
      compose: null,
    });
    expect(await run((s, d) => s.gmailSelfAddresses(d))).toEqual([
      'cobranca@padaria.example.com.br',
    ]);
  });

  test('inline reply: recipients from the peoplekit chips, Cc reported', async () => {
    await load('gmail-2026-11-reply-compose.html');
    expect(await run((s, d) => s.readGmailContext(d))).toEqual({
      site: 'gmail',
      threadId: 'thread-f:1789000000000000077',
      correspondents: ['carlos.souza@example.com.br', 'contador@escritorio.example.com.br'],
      compose: {
        kind: 'reply',
        to: ['carlos.souza@example.com.br'],
        cc: ['contador@escritorio.example.com.br'],
        bcc: [],
      },
    });
  });

  test('new compose over the inbox: no thread, the visible compose (not the hidden draft)', async () => {
    await load('gmail-2026-11-new-compose.html');
    expect(await run((s, d) => s.readGmailContext(d))).toEqual({
      site: 'gmail',
      threadId: null,
      correspondents: [],
      compose: { kind: 'new', to: ['ana.lima@example.com.br'], cc: [], bcc: [] },
    });
    expect(await run((s, d) => s.findGmailComposer(d)?.id)).toBe(':t3');
  });

  test('renamed obfuscated classes change nothing', async () => {
    await load('gmail-2027-renamed-classes.html');
    expect(await run((s, d) => s.readGmailContext(d))).toEqual({
      site: 'gmail',
      threadId: 'thread-f:1789000000000000099',
      correspondents: ['maria.silva@example.com.br'],
      compose: { kind: 'reply', to: ['maria.silva@example.com.br'], cc: [], bcc: [] },
    });
  });

  test('insert writes the exact multi-line text into the reply body and reads it back', async () => {
    await load('gmail-2026-11-reply-compose.html');
    const text = 'Olá, Carlos!\n\nSegue o PIX:\n000201abc\n\nPadaria';
    const result = await page.evaluate(
      `window.QuitaSites.insertIntoGmail(document, ${JSON.stringify(text)})`,
    );
    expect(result).toEqual({ ok: true, method: 'execCommand' });
    expect(await run((s, d) => s.editableText(s.findGmailComposer(d) as Element))).toBe(text);
    // Nothing was sent: the Send button was never clicked and the body is still there.
    expect(await page.locator('[data-tooltip="Enviar"]').count()).toBe(1);
  });

  test('no compose box: insert says so instead of guessing', async () => {
    await load('gmail-2026-11-thread.html');
    expect(await page.evaluate(`window.QuitaSites.insertIntoGmail(document, 'x')`)).toEqual({
      ok: false,
      reason: 'no-composer',
    });
  });
});

describe('WhatsApp adapter', () => {
  test('individual chat: number from the JID, 9th digit restored, same line as the header', async () => {
    await load('whatsapp-2026-11-chat.html');
    expect(await run((s, d) => s.readWhatsAppContext(d))).toEqual({
      site: 'whatsapp',
      chat: { kind: 'individual', jid: '551187654321@c.us', phone: '+5511987654321' },
      composer: true,
    });
    expect(await run((s) => s.sameWhatsAppNumber('+551187654321', '+55 11 98765-4321'))).toBe(true);
    expect(await run((s) => s.sameWhatsAppNumber('+5511987654321', '+5511987654322'))).toBe(false);
  });

  test('group chat is recognised from @g.us (never as the participant)', async () => {
    await load('whatsapp-2026-11-group.html');
    expect(await run((s, d) => s.readWhatsAppChat(d))).toEqual({
      kind: 'group',
      jid: '120363025246125486@g.us',
    });
  });

  test('@lid chat: no number, the title kept for linking', async () => {
    await load('whatsapp-2026-11-lid.html');
    expect(await run((s, d) => s.readWhatsAppChat(d))).toEqual({
      kind: 'lid',
      jid: '204283749201837@lid',
      title: 'Carlos',
    });
  });

  test('renamed classes and an empty new chat: the number comes from the header title', async () => {
    await load('whatsapp-2027-renamed-classes.html');
    expect(await run((s, d) => s.readWhatsAppContext(d))).toEqual({
      site: 'whatsapp',
      chat: { kind: 'individual', jid: null, phone: '+5521998765432' },
      composer: true,
    });
  });

  test('no chat open', async () => {
    await load('whatsapp-2026-11-no-chat.html');
    expect(await run((s, d) => s.readWhatsAppContext(d))).toEqual({
      site: 'whatsapp',
      chat: { kind: 'none' },
      composer: false,
    });
  });

  test('insert goes through a synthetic paste the Lexical-like editor accepts, verified by reading back', async () => {
    await load('whatsapp-2026-11-chat.html', fixture('lexical-shim.js'));
    const text = 'Olá, Maria!\n\nLinha 2';
    expect(
      await page.evaluate(
        `window.QuitaSites.insertIntoWhatsApp(document, ${JSON.stringify(text)})`,
      ),
    ).toEqual({
      ok: true,
      method: 'paste',
    });
    expect(await run((s, d) => s.editableText(s.findWhatsAppComposer(d) as Element))).toBe(text);
    expect(await page.locator('footer [data-lexical-editor] p').count()).toBe(3);
  });

  test('an editor that ignores synthetic input is reported as not verified, not as success', async () => {
    await load('whatsapp-2026-11-chat.html');
    expect(await page.evaluate(`window.QuitaSites.insertIntoWhatsApp(document, 'oi')`)).toEqual({
      ok: false,
      reason: 'not-verified',
    });
  });
});
