/**
 * An inserted message is bound to the conversation it was written for, in real Chromium with the
 * built extension against the real server, on WhatsApp Web, Gmail and Outlook on the web. The
 * overlay shows a debtor's reminder with the amount; then the conversation changes and "Inserir"
 * is pressed:
 * - switch, then insert: the switch is complete before the click, with no waiting in between
 *   (the overlay may or may not have caught up: either way nothing may be written);
 * - switch in the same task as the insert: the page's own focus handler switches the
 *   conversation while the content script is inserting (deterministic: it runs inside the
 *   content script's focus call), which only the re-check right before writing can catch.
 * In both cases the other conversation's composer stays empty and the overlay says why.
 */
import type { ElementHandle, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixture } from './extension-harness';
import {
  GMAIL_URL,
  MARIA,
  OUTLOOK_URL,
  composerText,
  overlayFrame,
  serveGmail,
  serveOutlook,
  serveWhatsApp,
  startStack,
  appendOnFocus,
  switchChat,
  switchOnFocus,
  switchView,
  type Stack,
} from './extension-stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

interface SiteCase {
  site: string;
  open(): Promise<Page>;
  /** The element the site swaps on a conversation switch, and the other conversation's page. */
  view: string;
  other: string;
  /** The composer: the same selector finds the old and the new conversation's. */
  composer: string;
  switch(page: Page): Promise<void>;
  /** Webmail: where a Cc recipient appears in the compose box, and its markup. */
  cc?: { into: string; html: string };
}

async function openAt(url: string): Promise<Page> {
  const page = await stack.browser.context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  return page;
}

const CASES: SiteCase[] = [
  {
    site: 'WhatsApp Web',
    open: () => {
      serveWhatsApp(stack.site, 'whatsapp-2026-11-chat.html');
      return openAt('https://web.whatsapp.com/');
    },
    view: '#main',
    other: fixture('whatsapp-2026-11-group.html'),
    composer: '#main footer [data-lexical-editor]',
    switch: (page) => switchChat(page, fixture('whatsapp-2026-11-group.html')),
  },
  {
    site: 'Gmail',
    open: () => {
      serveGmail(stack.site, 'gmail-2027-renamed-classes.html');
      return openAt(`${GMAIL_URL}#inbox/FMfcgzQZTMxKcWvXjLqPbRzF`);
    },
    view: '[role=main]',
    other: fixture('gmail-2026-11-reply-compose.html'),
    composer: '[g_editable="true"]',
    switch: (page) => switchView(page, fixture('gmail-2026-11-reply-compose.html'), '[role=main]'),
    cc: {
      into: 'form',
      html: '<div name="cc"><div role="listbox"><div role="option" data-hovercard-id="contador@escritorio.example.com.br">Contador</div></div></div>',
    },
  },
  {
    site: 'Outlook on the web',
    open: () => {
      serveOutlook(stack.site, 'outlook-2026-12-reading-pane.html');
      return openAt(OUTLOOK_URL);
    },
    view: '#ReadingPaneContainerId',
    other: fixture('outlook-2026-12-reply-cc.html'),
    composer: '[aria-multiline="true"][contenteditable="true"]',
    switch: (page) =>
      switchView(page, fixture('outlook-2026-12-reply-cc.html'), '#ReadingPaneContainerId'),
    cc: {
      into: '[data-app-section="MailReadCompose"]',
      html: '<div role="textbox" contenteditable="true"><span draggable="true">contador@escritorio.example.com.br</span></div>',
    },
  },
];

/** The overlay showing Maria's reminder with the amount; its "Inserir" button. */
async function reminderShown(page: Page): Promise<{ overlay: Frame; button: ElementHandle }> {
  const overlay = await overlayFrame(page);
  await expect.poll(() => overlay.locator('[data-total]').count(), { timeout: 10_000 }).toBe(1);
  expect(await overlay.locator('[data-debtor-name]').textContent()).toBe(MARIA.name);
  const step = overlay.locator('.msg').first();
  expect(await step.locator('pre').textContent()).toMatch(/R\$\s\d/);
  const button = await step.locator('[data-action=insert]').elementHandle();
  if (!button) throw new Error('no insert button');
  return { overlay, button };
}

async function refused(overlay: Frame): Promise<void> {
  await expect
    .poll(() => overlay.locator('[data-notice]').textContent())
    .toBe(
      'A conversa mudou antes de inserir: nada foi inserido. Confira a mensagem desta conversa.',
    );
}

describe.each(CASES)('$site', (c) => {
  test('switch, then insert at once: the other conversation gets nothing', async () => {
    const page = await c.open();
    const { overlay, button } = await reminderShown(page);
    await c.switch(page);
    // No waiting for the overlay to follow: the old message's button is pressed right away.
    await button.evaluate((b) => (b as HTMLButtonElement).click());
    await refused(overlay);
    expect(await composerText(page, c.composer)).toBe('');
    // The overlay then follows the switch: the other conversation shows no amount.
    await expect.poll(() => overlay.locator('[data-total]').count()).toBe(0);
    await page.close();
  });

  test('switch in the same task as the insert: refused right before writing', async () => {
    const page = await c.open();
    const { overlay } = await reminderShown(page);
    // The page switches the conversation from inside the content script's own focus call.
    await switchOnFocus(page, c.composer, c.view, c.other);
    await overlay.locator('.msg').first().locator('[data-action=insert]').click();
    await refused(overlay);
    // The switch did happen, and neither the old (detached) nor the new composer got the text.
    expect(await page.locator(c.composer).count()).toBe(1);
    expect(await composerText(page, c.composer)).toBe('');
    await page.close();
  });
});

describe.each(CASES.filter((c) => c.cc !== undefined))('$site', (c) => {
  test('a Cc added in the same task as the insert: the same composer, another audience, refused', async () => {
    const page = await c.open();
    const { overlay } = await reminderShown(page);
    const cc = c.cc as { into: string; html: string };
    await appendOnFocus(page, c.composer, cc.into, cc.html);
    await overlay.locator('.msg').first().locator('[data-action=insert]').click();
    await refused(overlay);
    expect(await composerText(page, c.composer)).toBe('');
    // The overlay follows: a third party receives this reply now, so no amount.
    await expect
      .poll(() => overlay.locator('[data-reason]').getAttribute('data-reason'))
      .toBe('third-parties');
    await page.close();
  });
});
