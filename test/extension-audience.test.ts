/**
 * The whole conversation's audience decides what the overlay shows, in real Chromium with the
 * built extension against the real server, on saved Gmail and Outlook on the web pages:
 * - a thread whose earlier message had a third party in Cc, the reply box addressing only the
 *   debtor: privacy-safe (the leak: a "Reply all" would reach the third party);
 * - a thread where a collapsed message hides a third participant: privacy-safe until expanded;
 * - the same debtor alone in the thread: the itemised balance and the step message;
 * - Outlook's reply with Cc and pop-out reply window.
 * Privacy-safe means what a person reads: the name at most, no amount, no status or stage word,
 * and only the privacy-safe message, which is what "Inserir" writes.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT } from './extension-harness';
import {
  CARLOS,
  GMAIL_URL,
  MARIA,
  OUTLOOK_POPOUT_URL,
  OUTLOOK_URL,
  appendHtml,
  composerText,
  overlayFrame,
  serveGmail,
  serveOutlook,
  startStack,
  type Stack,
} from './extension-stack';

/** Words that tell a reader there is a debt: none may show in the privacy-safe mode. */
const DEBT_WORDS =
  /R\$|vencid|venciment|atras|d[ií]vida|d[ée]bito|cobran|pagamento|parcela|acordo|promessa|negativ|protesto|saldo|multa|juros|etapa|r[ée]gua|\bd[+-]\d/i;

const SHOTS = join(ROOT, 'test-output/extension');

let stack: Stack;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

async function open(url: string): Promise<{ page: Page; overlay: Frame }> {
  const page = await stack.browser.context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  return { page, overlay: await overlayFrame(page) };
}

/** The overlay in privacy-safe mode for `reason`, showing `name`: checked as a person reads it. */
async function expectPrivacySafe(overlay: Frame, reason: string, name: string): Promise<string> {
  await expect
    .poll(() => overlay.locator('[data-reason]').getAttribute('data-reason'), { timeout: 10_000 })
    .toBe(reason);
  expect(await overlay.locator('[data-debtor-name]').textContent()).toBe(name);
  const text = (await overlay.locator('main').textContent()) ?? '';
  // The addresses listed as receiving the conversation are the page's own data (an office
  // mailbox may well be called "cobranca@…"); everything the extension itself writes is checked.
  const others =
    (await overlay
      .locator('[data-others]')
      .textContent()
      .catch(() => '')) ?? '';
  expect(text.replace(others, '')).not.toMatch(DEBT_WORDS);
  expect(await overlay.locator('[data-balance], [data-total], .chip').count()).toBe(0);
  expect(await overlay.locator('.msg').count()).toBe(1);
  expect(await overlay.locator('.msg').getAttribute('data-template')).toBe('privacy.email');
  return text;
}

/** "Inserir" writes the privacy-safe message, exactly as shown. */
async function insertSafe(page: Page, overlay: Frame, composer: string): Promise<void> {
  const safe = (await overlay.locator('.msg pre').textContent()) ?? '';
  expect(safe).not.toMatch(DEBT_WORDS);
  await overlay.locator('[data-action=insert]').click();
  await expect
    .poll(() => overlay.locator('[data-notice]').textContent())
    .toContain('Texto inserido');
  await expect.poll(() => composerText(page, composer)).toContain(safe.split('\n')[0] ?? '');
}

describe('Gmail', () => {
  const BODY = '[g_editable="true"]';

  test('an earlier message with a third party in Cc, the reply to the debtor alone: privacy-safe', async () => {
    serveGmail(stack.site, 'gmail-2026-12-thread-cc-earlier.html');
    const { page, overlay } = await open(`${GMAIL_URL}#inbox/FMfcgzQZTMxKcWvXjLqPbRzC`);
    const text = await expectPrivacySafe(overlay, 'third-parties', MARIA.name);
    expect(text).toContain('Outras pessoas recebem esta conversa');
    expect(await overlay.locator('[data-others]').textContent()).toContain(
      'contador@escritorio.example.com.br',
    );
    await page.screenshot({ path: join(SHOTS, 'gmail-cc-earlier.png') });
    await insertSafe(page, overlay, BODY);
    await page.close();
  });

  test('a collapsed message hides a third participant: privacy-safe until everything is shown', async () => {
    serveGmail(stack.site, 'gmail-2026-12-thread-collapsed.html');
    const { page, overlay } = await open(`${GMAIL_URL}#inbox/FMfcgzQZTMxKcWvXjLqPbRzD`);
    const text = await expectPrivacySafe(overlay, 'incomplete', MARIA.name);
    expect(text).toContain('2 mensagens recolhidas');
    expect(await overlay.locator('[data-others]').textContent()).toContain(
      'joao.souza@example.com.br',
    );
    await page.screenshot({ path: join(SHOTS, 'gmail-collapsed.png') });
    // Expanding shows the hidden messages' people: still a third participant, still safe.
    await page.evaluate(() => document.querySelector('.kQ')?.remove());
    await appendHtml(
      page,
      '.kv .gs',
      '<div class="hb">para <span email="cobranca@padaria.example.com.br">mim</span></div>',
    );
    await expectPrivacySafe(overlay, 'third-parties', MARIA.name);
    await page.close();
  });

  test('the debtor alone in every message and the reply: the balance and the step message', async () => {
    serveGmail(stack.site, 'gmail-2027-renamed-classes.html');
    const { page, overlay } = await open(`${GMAIL_URL}#inbox/FMfcgzQZTMxKcWvXjLqPbRzE`);
    await expect.poll(() => overlay.locator('[data-total]').count(), { timeout: 10_000 }).toBe(1);
    expect(await overlay.locator('[data-debtor-name]').textContent()).toBe(MARIA.name);
    expect(await overlay.locator('.chip').textContent()).toMatch(/^vencido há \d+ dias$/);
    expect(await overlay.locator('.msg').first().getAttribute('data-template')).toMatch(/\.email$/);
    // A Cc added to the reply box changes the audience at once.
    await appendHtml(
      page,
      'form',
      '<div name="cc"><div role="listbox"><div role="option" data-hovercard-id="contador@escritorio.example.com.br">Contador</div></div></div>',
    );
    await expectPrivacySafe(overlay, 'third-parties', MARIA.name);
    await page.close();
  });
});

describe('Outlook on the web', () => {
  const BODY = '[aria-multiline="true"][contenteditable="true"]';

  test('the debtor alone: the balance; the To chip shown by name is resolved through the thread', async () => {
    serveOutlook(stack.site, 'outlook-2026-12-reading-pane.html');
    const { page, overlay } = await open(OUTLOOK_URL);
    await expect.poll(() => overlay.locator('[data-total]').count(), { timeout: 10_000 }).toBe(1);
    expect(await overlay.locator('[data-debtor-name]').textContent()).toBe(MARIA.name);
    const step = overlay.locator('.msg').first();
    const shown = (await step.locator('pre').textContent()) ?? '';
    expect(shown).toMatch(/R\$\s\d/);
    await page.screenshot({ path: join(SHOTS, 'outlook-reading-pane.png') });
    await step.locator('[data-action=insert]').click();
    await expect
      .poll(() => overlay.locator('[data-notice]').textContent())
      .toContain('Texto inserido');
    expect(await composerText(page, BODY)).toContain(shown.split('\n')[0] ?? '');
    await page.close();
  });

  test('an earlier message with a third party in Cc: privacy-safe', async () => {
    serveOutlook(stack.site, 'outlook-2026-12-thread-cc-earlier.html');
    const { page, overlay } = await open(OUTLOOK_URL);
    await expectPrivacySafe(overlay, 'third-parties', MARIA.name);
    await insertSafe(page, overlay, BODY);
    await page.close();
  });

  test('a collapsed message hides a third participant: privacy-safe', async () => {
    serveOutlook(stack.site, 'outlook-2026-12-collapsed.html');
    const { page, overlay } = await open(OUTLOOK_URL);
    await expectPrivacySafe(overlay, 'incomplete', MARIA.name);
    expect(await overlay.locator('[data-others]').textContent()).toContain(
      'joao.souza@example.com.br',
    );
    await page.close();
  });

  test('reply with Cc: privacy-safe, the Cc named', async () => {
    serveOutlook(stack.site, 'outlook-2026-12-reply-cc.html');
    const { page, overlay } = await open(OUTLOOK_URL);
    await expectPrivacySafe(overlay, 'third-parties', CARLOS.name);
    expect(await overlay.locator('[data-others]').textContent()).toContain(
      'contador@escritorio.example.com.br',
    );
    await page.screenshot({ path: join(SHOTS, 'outlook-reply-cc.png') });
    await page.close();
  });

  test('a reply popped out into its own window: the thread is not there, so privacy-safe', async () => {
    serveOutlook(stack.site, 'outlook-2026-12-popout-compose.html', '/mail/deeplink/compose');
    const { page, overlay } = await open(OUTLOOK_POPOUT_URL);
    await expectPrivacySafe(overlay, 'incomplete', MARIA.name);
    await insertSafe(page, overlay, BODY);
    // The quoted message stays below the inserted text.
    expect(await composerText(page, BODY)).toContain('De: Maria Silva');
    await page.close();
  });
});
