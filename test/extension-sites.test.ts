/**
 * The site adapters against saved, sanitised Gmail, Outlook on the web and WhatsApp Web fixtures
 * (reference §7), including deploys where every obfuscated class changed. Run in real Chromium (visibility,
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
      participants: ['maria.silva@example.com.br'],
      unreadable: 0,
      compose: null,
    });
    expect(await run((s, d) => s.gmailSelfAddresses(d))).toEqual([
      'cobranca@padaria.example.com.br',
    ]);
    // The account is the title's last address: one in the subject is a participant, not self.
    await page.evaluate(() => {
      document.title =
        'Fwd: contador@escritorio.example.com.br - cobranca@padaria.example.com.br - Gmail';
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
      participants: ['carlos.souza@example.com.br', 'contador@escritorio.example.com.br'],
      unreadable: 0,
      compose: {
        kind: 'reply',
        to: ['carlos.souza@example.com.br'],
        cc: ['contador@escritorio.example.com.br'],
        bcc: [],
        unreadable: 0,
      },
    });
  });

  test('new compose over the inbox: no thread, the visible compose (not the hidden draft)', async () => {
    await load('gmail-2026-11-new-compose.html');
    expect(await run((s, d) => s.readGmailContext(d))).toEqual({
      site: 'gmail',
      threadId: null,
      participants: [],
      unreadable: 0,
      compose: { kind: 'new', to: ['ana.lima@example.com.br'], cc: [], bcc: [], unreadable: 0 },
    });
    expect(await run((s, d) => s.findGmailComposer(d)?.id)).toBe(':t3');
  });

  test('renamed obfuscated classes change nothing', async () => {
    await load('gmail-2027-renamed-classes.html');
    expect(await run((s, d) => s.readGmailContext(d))).toEqual({
      site: 'gmail',
      threadId: 'thread-f:1789000000000000099',
      participants: ['maria.silva@example.com.br'],
      unreadable: 0,
      compose: {
        kind: 'reply',
        to: ['maria.silva@example.com.br'],
        cc: [],
        bcc: [],
        unreadable: 0,
      },
    });
  });

  test('an earlier message with a third party in Cc: the whole thread is the audience, not the reply box', async () => {
    await load('gmail-2026-12-thread-cc-earlier.html');
    expect(await run((s, d) => s.readGmailContext(d))).toEqual({
      site: 'gmail',
      threadId: 'thread-f:1789000000000000120',
      participants: ['maria.silva@example.com.br', 'contador@escritorio.example.com.br'],
      unreadable: 0,
      compose: {
        kind: 'reply',
        to: ['maria.silva@example.com.br'],
        cc: [],
        bcc: [],
        unreadable: 0,
      },
    });
  });

  test('a collapsed message shows only its sender and a bundle shows nothing: both unreadable', async () => {
    await load('gmail-2026-12-thread-collapsed.html');
    const context = await run((s, d) => s.readGmailContext(d));
    expect(context).toMatchObject({
      threadId: 'thread-f:1789000000000000130',
      participants: ['maria.silva@example.com.br', 'joao.souza@example.com.br'],
      unreadable: 2,
    });
    // Expanding everything (Gmail renders the recipients) makes the thread fully readable.
    await page.evaluate(() => {
      document.querySelector('.kQ')?.remove();
      const collapsed = document.querySelector('.kv .gs');
      collapsed?.insertAdjacentHTML(
        'beforeend',
        '<div class="hb">para <span email="cobranca@padaria.example.com.br">mim</span></div>',
      );
    });
    expect(await run((s, d) => s.readGmailContext(d))).toMatchObject({ unreadable: 0 });
  });

  test('a recipient chip without an address is counted as unreadable', async () => {
    await load('gmail-2027-renamed-classes.html');
    await page.evaluate(() =>
      document
        .querySelector('[name="to"] [role="listbox"]')
        ?.insertAdjacentHTML('beforeend', '<div role="option" data-name="Zé">Zé</div>'),
    );
    expect(await run((s, d) => s.readGmailContext(d).compose)).toMatchObject({
      to: ['maria.silva@example.com.br'],
      unreadable: 1,
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

describe('Outlook on the web adapter', () => {
  const MARIA = 'maria.silva@example.com.br';
  test('reading pane: every message of the conversation, the To chip resolved by name, self removed', async () => {
    await load('outlook-2026-12-reading-pane.html');
    expect(await run((s, d) => s.outlookSelfAddresses(d))).toEqual([
      'cobranca@padaria.example.com.br',
    ]);
    expect(await run((s, d) => s.readOutlookContext(d))).toEqual({
      site: 'outlook',
      threadId: 'AAQkADAwATM3ZmYAZS1lOGYxLTAwAi0wMAoAEAB1c1Hq',
      participants: [MARIA],
      unreadable: 0,
      compose: { kind: 'reply', to: [MARIA], cc: [], bcc: [], unreadable: 0 },
    });
  });

  test('renamed classes change nothing', async () => {
    await load('outlook-2027-renamed-classes.html');
    expect(await run((s, d) => s.readOutlookContext(d))).toEqual({
      site: 'outlook',
      threadId: 'AAQkADAwATM3ZmYAZS1lOGYxLTAwAi0wMAoAEAB9z9Zz',
      participants: [MARIA],
      unreadable: 0,
      compose: { kind: 'reply', to: [MARIA], cc: [], bcc: [], unreadable: 0 },
    });
  });

  test('an earlier message with a third party in Cc is in the audience', async () => {
    await load('outlook-2026-12-thread-cc-earlier.html');
    expect(await run((s, d) => s.readOutlookContext(d))).toMatchObject({
      participants: [MARIA, 'contador@escritorio.example.com.br'],
      unreadable: 0,
      compose: { to: [MARIA], cc: [] },
    });
  });

  test('reply with Cc: the Cc well is read, its chip showing the address itself', async () => {
    await load('outlook-2026-12-reply-cc.html');
    expect(await run((s, d) => s.readOutlookContext(d))).toEqual({
      site: 'outlook',
      threadId: 'AAQkADAwATM3ZmYAZS1lOGYxLTAwAi0wMAoAEAB4f4Mt',
      participants: ['carlos.souza@example.com.br'],
      unreadable: 0,
      compose: {
        kind: 'reply',
        to: ['carlos.souza@example.com.br'],
        cc: ['contador@escritorio.example.com.br'],
        bcc: [],
        unreadable: 0,
      },
    });
  });

  test('a collapsed message shows only its sender: unreadable, its sender still a participant', async () => {
    await load('outlook-2026-12-collapsed.html');
    expect(await run((s, d) => s.readOutlookContext(d))).toMatchObject({
      participants: [MARIA, 'joao.souza@example.com.br'],
      unreadable: 1,
    });
  });

  test('a chip whose name nobody in the conversation has is unreadable, never guessed', async () => {
    await load('outlook-2026-12-reading-pane.html');
    await page.evaluate(() =>
      document
        .querySelector('[aria-label="Para"][role="textbox"]')
        ?.insertAdjacentHTML(
          'beforeend',
          '<span draggable="true"><span><span><span>Contador da Família</span></span></span></span>',
        ),
    );
    expect(await run((s, d) => s.readOutlookContext(d).compose)).toMatchObject({
      to: [MARIA],
      unreadable: 1,
    });
  });

  test('pop-out reply: names resolved through the quoted header, the unseen thread unreadable', async () => {
    await load('outlook-2026-12-popout-compose.html');
    // The pop-out has no account manager: the office's own address is not known here (the worker
    // removes the signed-in user's); the unseen thread makes the audience incomplete anyway.
    expect(await run((s, d) => s.readOutlookContext(d))).toEqual({
      site: 'outlook',
      threadId: null,
      participants: [MARIA, 'cobranca@padaria.example.com.br'],
      unreadable: 1,
      compose: { kind: 'reply', to: [MARIA], cc: [], bcc: [], unreadable: 0 },
    });
    // A new message popped out (no quoted header) to an address: its chips are the audience.
    await page.evaluate(() => {
      document.querySelector('#divRplyFwdMsg')?.remove();
      const chip = document.querySelector('[draggable="true"] span span span');
      if (chip) chip.textContent = 'carlos.souza@example.com.br';
    });
    expect(await run((s, d) => s.readOutlookContext(d))).toEqual({
      site: 'outlook',
      threadId: null,
      participants: [],
      unreadable: 0,
      compose: {
        kind: 'new',
        to: ['carlos.souza@example.com.br'],
        cc: [],
        bcc: [],
        unreadable: 0,
      },
    });
  });

  test('insert writes the exact text above the quoted message and reads it back', async () => {
    await load('outlook-2026-12-popout-compose.html');
    const text = 'Olá, Maria!\n\nLinha 2';
    expect(
      await page.evaluate(`window.QuitaSites.insertIntoOutlook(document, ${JSON.stringify(text)})`),
    ).toEqual({ ok: true, method: 'execCommand' });
    const body = (await run((s, d) => s.editableText(s.findOutlookComposer(d) as Element))) ?? '';
    expect(body.startsWith(text)).toBe(true);
    expect(body).toContain('De: Maria Silva');
  });

  test('insert refuses when the conversation changed right before writing', async () => {
    await load('outlook-2026-12-reading-pane.html');
    expect(
      await page.evaluate(`window.QuitaSites.insertIntoOutlook(document, 'x', () => false)`),
    ).toEqual({ ok: false, reason: 'conversation-changed' });
    expect(await run((s, d) => s.editableText(s.findOutlookComposer(d) as Element))).toBe('');
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

  test('@lid chat: no number, the title kept for linking; a header showing a number gives it', async () => {
    await load('whatsapp-2026-11-lid.html');
    expect(await run((s, d) => s.readWhatsAppChat(d))).toEqual({
      kind: 'lid',
      jid: '204283749201837@lid',
      title: 'Carlos',
    });
    await page.evaluate(() =>
      document
        .querySelector('#main header span[title]')
        ?.setAttribute('title', '+55 21 99876-5432'),
    );
    expect(await run((s, d) => s.readWhatsAppChat(d))).toEqual({
      kind: 'lid',
      jid: '204283749201837@lid',
      title: '+55 21 99876-5432',
      phone: '+5521998765432',
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

  test('a chat switched during the editor pause gets nothing', async () => {
    await load('whatsapp-2026-11-chat.html', fixture('lexical-shim.js'));
    // The conversation "changes" after the first check, i.e. during the focus pause.
    const result = await page.evaluate(`(() => {
      let calls = 0;
      return window.QuitaSites.insertIntoWhatsApp(document, 'Olá', () => ++calls === 1);
    })()`);
    expect(result).toEqual({ ok: false, reason: 'conversation-changed' });
    expect(await run((s, d) => s.editableText(s.findWhatsAppComposer(d) as Element))).toBe('');
  });

  test('an editor that ignores synthetic input is reported as not verified, not as success', async () => {
    await load('whatsapp-2026-11-chat.html');
    expect(await page.evaluate(`window.QuitaSites.insertIntoWhatsApp(document, 'oi')`)).toEqual({
      ok: false,
      reason: 'not-verified',
    });
  });
});
