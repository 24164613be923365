/**
 * Sign-in and recovery, in real Chromium with the built extension against the real server, which
 * the test takes down and brings back:
 * - the server down: the overlay says it could not reach the server, counts down to its next
 *   automatic try and offers "Tentar de novo"; back up, the overlay recovers by itself, without
 *   switching chats; the button tries at once;
 * - "Sair" while the server is down: the extension forgets the token at once, says the server did
 *   not answer and that the token will be revoked at the next chance; the token is still live on
 *   the server; once the server is back, opening the options page revokes it, and says so;
 * - a wrong password says "E-mail ou senha incorretos.", never that a session expired.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixture } from './extension-harness';
import {
  CARLOS,
  MARIA,
  STAFF_EMAIL,
  overlayFrame,
  serveWhatsApp,
  startStack,
  switchChat,
  type Stack,
} from './extension-stack';
import { TEST_PASSWORD } from './helpers/auth';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

function chatWith(phone: string, shown: string): string {
  return fixture('whatsapp-2026-11-chat.html')
    .replaceAll('551187654321@c.us', `${phone.slice(1)}@c.us`)
    .replaceAll('+55 11 98765-4321', shown);
}

async function optionsPage(): Promise<Page> {
  const page = await stack.browser.context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`chrome-extension://${stack.browser.extensionId}/options.html`);
  return page;
}

async function liveStaffTokens(): Promise<number> {
  return (
    await stack.db.query(
      `SELECT 1 FROM auth_tokens t JOIN users u ON u.id = t.user_id
        WHERE u.email = $1 AND t.kind = 'api' AND t.revoked_at IS NULL`,
      [STAFF_EMAIL],
    )
  ).length;
}

test('the server goes away and comes back: the overlay says so, retries by itself, and offers "Tentar de novo"', async () => {
  serveWhatsApp(stack.site, 'whatsapp-2026-11-chat.html');
  const page = await stack.browser.context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto('https://web.whatsapp.com/');
  const overlay = await overlayFrame(page);
  await expect
    .poll(() => overlay.locator('[data-debtor-name]').textContent(), { timeout: 10_000 })
    .toBe(MARIA.name);

  await stack.serverDown();
  await switchChat(page, chatWith(CARLOS.phone, '+55 21 99876-5432'));
  await expect
    .poll(() => overlay.locator('main').getAttribute('data-view'), { timeout: 10_000 })
    .toBe('error');
  expect(await overlay.locator('[data-error] .warn').textContent()).toMatch(
    /^Não consegui falar com o servidor do Quita/,
  );
  expect(await overlay.locator('[data-retry-in]').textContent()).toMatch(
    /^Nova tentativa automática em \d+ s\.$|^Tentando de novo…$/,
  );
  expect(await overlay.locator('[data-action=retry]').textContent()).toBe('Tentar de novo');

  // Back up: the overlay recovers on its own, the chat never switched.
  await stack.serverUp();
  await expect
    .poll(() => overlay.locator('[data-debtor-name]').textContent(), { timeout: 15_000 })
    .toBe(CARLOS.name);

  // Down again on a new chat; let the automatic retries back off past their first delay.
  await stack.serverDown();
  await switchChat(page, chatWith('+5511955554444', '+55 11 95555-4444'));
  await expect
    .poll(() => overlay.locator('[data-retry-in]').textContent(), { timeout: 15_000 })
    .toMatch(/em (3|4) s\./);
  // "Tentar de novo" tries at once: the back-off starts over from its first delay.
  await overlay.locator('[data-action=retry]').click();
  await expect
    .poll(() => overlay.locator('[data-retry-in]').textContent(), { timeout: 5_000 })
    .toMatch(/em (1|2) s\./);
  await stack.serverUp();
  await overlay.locator('[data-action=retry]').click();
  await expect
    .poll(() => overlay.locator('[data-reason]').getAttribute('data-reason'), { timeout: 5_000 })
    .toBe('no-match');
  await page.close();
});

test('"Sair" while the server is down: says so, and revokes the token when the server is back', async () => {
  expect(await liveStaffTokens()).toBe(1);
  await stack.serverDown();
  const options = await optionsPage();
  await options.waitForSelector('[data-session]:has-text("Conectado como Joana Atendente")');
  await options.click('button:has-text("Sair")');
  await options.waitForSelector('[data-session]:has-text("Não conectado")');
  await expect
    .poll(() => options.locator('[data-message]').textContent())
    .toBe(
      'Você saiu, mas o servidor não respondeu: o token desta extensão continua válido até ser revogado. Ele será revogado assim que o servidor voltar (nova tentativa a cada minuto).',
    );
  expect(await options.locator('[data-pending]').textContent()).toMatch(
    /^Revogação pendente do token usado até .+: o servidor ainda não respondeu/,
  );
  // Forgotten locally at once, still valid on the server (it could not be told).
  const session = await stack.browser.worker.evaluate(async () => ({
    ...(await chrome.storage.local.get('quita.session')),
    ...(await chrome.storage.session.get('quita.session')),
  }));
  expect(session).toEqual({});
  expect(await liveStaffTokens()).toBe(1);
  await options.close();

  // The server is back: the next time the options page opens, the token is revoked.
  await stack.serverUp();
  const later = await optionsPage();
  await expect
    .poll(() => later.locator('[data-message]').textContent(), { timeout: 10_000 })
    .toBe('O token anterior foi revogado no servidor.');
  expect(await later.locator('[data-pending]').count()).toBe(0);
  expect(await liveStaffTokens()).toBe(0);
  const stored = await stack.browser.worker.evaluate(async () => ({
    ...(await chrome.storage.local.get(null)),
    ...(await chrome.storage.session.get(null)),
  }));
  expect(stored).toEqual({});
  await later.close();
});

test('a wrong password says so, not that a session expired; the right one signs in', async () => {
  const options = await optionsPage();
  await options.waitForSelector('[data-session]:has-text("Não conectado")');
  await options.fill('input[name=server]', stack.apiUrl);
  await options.fill('input[name=email]', STAFF_EMAIL);
  await options.fill('input[name=password]', 'not the password');
  await options.click('button[type=submit]');
  await expect
    .poll(() => options.locator('[data-message]').textContent())
    .toBe('E-mail ou senha incorretos.');
  expect(await options.locator('[data-session]').textContent()).toBe('Não conectado.');

  await options.fill('input[name=password]', TEST_PASSWORD);
  await options.click('button[type=submit]');
  await options.waitForSelector('[data-session]:has-text("Conectado como Joana Atendente")');
  expect(await liveStaffTokens()).toBe(1);
  const scopes = await stack.db.query<{ scope: string }>(
    `SELECT t.scope FROM auth_tokens t JOIN users u ON u.id = t.user_id
      WHERE u.email = $1 AND t.kind = 'api' AND t.revoked_at IS NULL`,
    [STAFF_EMAIL],
  );
  expect(scopes).toEqual([{ scope: 'extension' }]);
  await options.close();
});

test('the server unreachable at sign-in: the address is named, no session is claimed', async () => {
  const options = await optionsPage();
  await options.waitForSelector('[data-session]:has-text("Conectado como Joana Atendente")');
  await options.click('button:has-text("Sair")');
  await options.waitForSelector('[data-session]:has-text("Não conectado")');
  await stack.serverDown();
  await options.fill('input[name=server]', stack.apiUrl);
  await options.fill('input[name=email]', STAFF_EMAIL);
  await options.fill('input[name=password]', TEST_PASSWORD);
  await options.click('button[type=submit]');
  await expect
    .poll(() => options.locator('[data-message]').textContent())
    .toBe(
      `Não consegui falar com o servidor do Quita em ${stack.apiUrl}. Confira o endereço e se o servidor está no ar.`,
    );
  expect(await options.locator('[data-session]').textContent()).toBe('Não conectado.');
  await stack.serverUp();
  await options.close();
});
