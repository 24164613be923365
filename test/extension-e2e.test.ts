/**
 * The extension end to end, in real headless Chromium with the built extension loaded, fixture
 * pages served as https://web.whatsapp.com and https://mail.google.com, against the real server:
 * the overlay shows the right debtor, "Inserir" puts the exact rendered text in the compose box
 * (never sends), the contact is logged and the guard's refusal is shown, switching chats updates
 * the overlay, and a group chat or a Cc to a third party gets no amounts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatBRL, cents } from '#shared/money/money';
import { fixture } from './extension-harness';
import {
  CARLOS,
  MARIA,
  composerText,
  overlayFrame,
  serveWhatsApp,
  startStack,
  switchChat,
  type Stack,
} from './extension-stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

async function lookupTotal(phone: string): Promise<string> {
  const res = await fetch(`${stack.apiUrl}/api/debtors/lookup?phone=${encodeURIComponent(phone)}`, {
    headers: stack.ownerHeaders,
  });
  const body = (await res.json()) as { matches: { balance: { totalDue: number } }[] };
  return formatBRL(cents(body.matches[0]?.balance.totalDue ?? -1));
}

const WA_COMPOSER = '#main footer [data-lexical-editor]';

describe('WhatsApp Web', () => {
  test('overlay, insert, log, guard refusal, chat switches, group without amounts', async () => {
    serveWhatsApp(stack.site, 'whatsapp-2026-11-chat.html');
    const page = await stack.browser.context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto('https://web.whatsapp.com/');
    const overlay = await overlayFrame(page);

    // The JID lacks the 9th digit; the server matches Maria's number with it.
    await expect
      .poll(() => overlay.locator('[data-debtor-name]').textContent(), { timeout: 10_000 })
      .toBe(MARIA.name);
    await expect(overlay.locator('.chip').textContent()).resolves.toMatch(/^vencido há \d+ dias$/);
    const total = await lookupTotal(MARIA.phone);
    expect(await overlay.locator('[data-total]').textContent()).toBe(total);

    // Insert the step's message: the box holds exactly the rendered text, and nothing is sent.
    const stepMessage = overlay.locator('.msg').first();
    const shown = await stepMessage.locator('pre').textContent();
    expect(shown).toContain(total);
    expect(shown).toContain('11.222.333/0001-81');
    await stepMessage.locator('[data-action=insert]').click();
    await expect
      .poll(() => overlay.locator('[data-notice]').textContent())
      .toContain('Texto inserido');
    expect(await composerText(page, WA_COMPOSER)).toBe(shown);

    // Log it: one row in the contact log, on WhatsApp, with the template.
    await stepMessage.locator('[data-action=log]').click();
    await expect
      .poll(() => overlay.locator('[data-notice]').textContent())
      .toBe('Contato registrado.');
    const rows = await stack.db.query<{ channel: string; template_id: string | null }>(
      'SELECT channel, template_id FROM contact_log WHERE debtor_id = $1',
      [stack.debtors.maria],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.channel).toBe('whatsapp');
    expect(rows[0]?.template_id).toMatch(/\.whatsapp$/);

    // A second contact today is over the budget: the guard refuses and says why.
    await expect.poll(() => overlay.locator('[data-guard]').count(), { timeout: 10_000 }).toBe(1);
    await overlay.locator('.msg').first().locator('[data-action=log]').click();
    await expect
      .poll(() => overlay.locator('[data-notice]').textContent())
      .toMatch(/^Contato não registrado: .+/);
    expect(
      await stack.db.query('SELECT 1 FROM contact_log WHERE debtor_id = $1', [stack.debtors.maria]),
    ).toHaveLength(1);

    // Switch to Carlos (a number with the 9th digit in the JID): the overlay follows.
    const carlosChat = fixture('whatsapp-2026-11-chat.html')
      .replaceAll('551187654321@c.us', '5521998765432@c.us')
      .replaceAll('+55 11 98765-4321', '+55 21 99876-5432');
    await switchChat(page, carlosChat);
    await expect
      .poll(() => overlay.locator('[data-debtor-name]').textContent(), { timeout: 10_000 })
      .toBe(CARLOS.name);

    // A group chat: no lookup, no name, no amount; only the privacy-safe message.
    await switchChat(page, fixture('whatsapp-2026-11-group.html'));
    await expect
      .poll(() => overlay.locator('[data-reason]').getAttribute('data-reason'), { timeout: 10_000 })
      .toBe('group');
    const groupText = (await overlay.locator('main').textContent()) ?? '';
    expect(groupText).not.toMatch(/R\$|vencid|Maria|Carlos|11\.222\.333/);
    expect(await overlay.locator('.msg').count()).toBe(1);
    expect(await overlay.locator('.msg').getAttribute('data-template')).toBe('privacy.whatsapp');

    // A LID chat: no number, so no lookup; the user links it to Carlos by hand, and it sticks
    // (as a claim: his name, nothing else — extension-identity.test.ts covers confirming it).
    await switchChat(page, fixture('whatsapp-2026-11-lid.html'));
    await expect
      .poll(() => overlay.locator('[data-reason]').getAttribute('data-reason'))
      .toBe('unidentified');
    expect(await overlay.locator('main').textContent()).not.toMatch(/R\$|Carlos Eduardo/);
    await overlay.fill('[data-link] input[name=q]', 'Eduardo');
    await overlay.press('[data-link] input[name=q]', 'Enter');
    await overlay.locator(`[data-link-to="${stack.debtors.carlos}"]`).click();
    await expect.poll(() => overlay.locator('[data-debtor-name]').textContent()).toBe(CARLOS.name);
    expect(await overlay.locator('main').textContent()).not.toMatch(/R\$|vencid/);
    await switchChat(page, fixture('whatsapp-2026-11-group.html'));
    await expect
      .poll(() => overlay.locator('[data-reason]').getAttribute('data-reason'))
      .toBe('group');
    await switchChat(page, fixture('whatsapp-2026-11-lid.html'));
    await expect.poll(() => overlay.locator('[data-debtor-name]').textContent()).toBe(CARLOS.name);

    // Back to Maria: served from the cache, the right debtor again.
    await switchChat(page, fixture('whatsapp-2026-11-chat.html'));
    await expect
      .poll(() => overlay.locator('[data-debtor-name]').textContent(), { timeout: 10_000 })
      .toBe(MARIA.name);
    await page.close();
  });
});

describe('Gmail', () => {
  test('a Cc to a third party hides amounts and offers only the privacy-safe message', async () => {
    stack.site.pages.set('mail.google.com/mail/u/0/', fixture('gmail-2026-11-reply-compose.html'));
    const page = await stack.browser.context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto('https://mail.google.com/mail/u/0/#inbox/FMfcgzQZTMxKcWvXjLqPbRzZ');
    const overlay = await overlayFrame(page);
    await expect
      .poll(() => overlay.locator('[data-debtor-name]').textContent(), { timeout: 10_000 })
      .toBe(CARLOS.name);
    const text = (await overlay.locator('main').textContent()) ?? '';
    expect(text).toContain('Outras pessoas recebem esta conversa');
    expect(text).toContain('contador@escritorio.example.com.br');
    expect(text).not.toMatch(/R\$|vencid/);
    expect(await overlay.locator('[data-balance]').count()).toBe(0);
    expect(await overlay.locator('.msg').count()).toBe(1);
    expect(await overlay.locator('.msg').getAttribute('data-template')).toBe('privacy.email');
    const safe = await overlay.locator('.msg pre').textContent();
    await overlay.locator('[data-action=insert]').click();
    await expect.poll(() => composerText(page, '[g_editable="true"]')).toBe(safe);
    await page.close();
  });

  test('a thread with the debtor alone shows the itemised balance; hash navigation is followed', async () => {
    stack.site.pages.set('mail.google.com/mail/u/0/', fixture('gmail-2026-11-thread.html'));
    const page = await stack.browser.context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto('https://mail.google.com/mail/u/0/#inbox/FMfcgzQZTMxKcWvXjLqPbRzA');
    const overlay = await overlayFrame(page);
    await expect
      .poll(() => overlay.locator('[data-debtor-name]').textContent(), { timeout: 10_000 })
      .toBe(MARIA.name);
    expect(await overlay.locator('[data-total]').textContent()).toBe(
      await lookupTotal(MARIA.phone),
    );
    expect(await overlay.locator('[data-balance] dt').allTextContents()).toEqual(
      expect.arrayContaining(['Valor original', 'Multa', 'Juros', 'Total devido']),
    );
    // Gmail swaps the view in place: the thread is replaced by Carlos's, and the hash changes.
    await page.evaluate(() => {
      const heading = document.querySelector(
        'h2[data-thread-perm-id="thread-f:1789000000000000042"]',
      );
      heading?.setAttribute('data-thread-perm-id', 'thread-f:1789000000000000050');
      for (const span of document.querySelectorAll(
        '[role=main] span[email="maria.silva@example.com.br"], [role=main] span[email="Maria.Silva@example.com.br"]',
      ))
        span.setAttribute('email', 'carlos.souza@example.com.br');
      location.hash = '#inbox/FMfcgzQZTMxKcWvXjLqPbRzB';
    });
    await expect
      .poll(() => overlay.locator('[data-debtor-name]').textContent(), { timeout: 10_000 })
      .toBe(CARLOS.name);
    await page.close();
  });
});

describe('popup and sign-out', () => {
  test("the popup lists today's queue and finds a debtor", async () => {
    const popup = await stack.browser.context.newPage();
    popup.setDefaultTimeout(10_000);
    await popup.goto(`chrome-extension://${stack.browser.extensionId}/popup.html`);
    await expect
      .poll(() => popup.locator('[data-queue] li').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining(CARLOS.name)]));
    await popup.fill('input[name=q]', 'Aparecida');
    await popup.press('input[name=q]', 'Enter');
    await expect
      .poll(() => popup.locator('[data-results] li').allTextContents())
      .toEqual([expect.stringContaining(MARIA.name)]);
    await popup.close();
  });

  test('signing out revokes the token, forgets it and every open overlay shows the sign-in prompt', async () => {
    serveWhatsApp(stack.site, 'whatsapp-2026-11-chat.html');
    const page = await stack.browser.context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto('https://web.whatsapp.com/');
    const overlay = await overlayFrame(page);
    await expect.poll(() => overlay.locator('[data-debtor-name]').textContent()).toBe(MARIA.name);

    const options = await stack.browser.context.newPage();
    await options.goto(`chrome-extension://${stack.browser.extensionId}/options.html`);
    await options.click('button:has-text("Sair")');
    await options.waitForSelector('[data-session]:has-text("Não conectado")');
    await expect.poll(() => overlay.locator('main').getAttribute('data-view')).toBe('signed-out');
    expect(await overlay.locator('main').textContent()).not.toContain(MARIA.name);
    const stored = await stack.browser.worker.evaluate(async () => ({
      ...(await chrome.storage.local.get(null)),
      ...(await chrome.storage.session.get(null)),
    }));
    expect(stored).toEqual({});
    const live = await stack.db.query(
      "SELECT 1 FROM auth_tokens WHERE kind = 'api' AND revoked_at IS NULL",
    );
    expect(live).toHaveLength(0);
    await Promise.all([options.close(), page.close()]);
  });
});
