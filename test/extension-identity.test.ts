/**
 * A WhatsApp chat on a hidden id (@lid) shows no phone number: nothing on the page says who it is.
 * In real Chromium with the built extension against the real server:
 * - before any link: nobody named, privacy-safe only, the link form offered;
 * - after a hand link: the linked person's name and nothing else (a claim is not a verification),
 *   with "Confirmar identidade" explained;
 * - after the one-tap confirmation: the full card (balance, status, step message), the
 *   confirmation recorded and audited on the server, still there after the browser forgets its
 *   own link (organisation-wide, server-side);
 * - "Não é esta pessoa" revokes it (audited) and the chat is back to unidentified.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './extension-harness';
import { CARLOS, overlayFrame, serveWhatsApp, startStack, type Stack } from './extension-stack';

const DEBT_WORDS =
  /R\$|vencid|venciment|atras|d[ií]vida|d[ée]bito|cobran|pagamento|parcela|acordo|promessa|negativ|protesto|saldo|multa|juros|etapa|r[ée]gua|\bd[+-]\d/i;
const LID = '204283749201837@lid';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

test('hand-linked hidden-id chat: the name only until staff confirms identity, then the card', async () => {
  serveWhatsApp(stack.site, 'whatsapp-2026-11-lid.html');
  const page = await stack.browser.context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto('https://web.whatsapp.com/');
  const overlay = await overlayFrame(page);
  const reason = () => overlay.locator('[data-reason]').getAttribute('data-reason');

  // Before: nobody to name.
  await expect.poll(reason, { timeout: 10_000 }).toBe('unidentified');
  expect(await overlay.locator('main').textContent()).toContain(
    'Esta conversa do WhatsApp não mostra o número da pessoa.',
  );
  expect(await overlay.locator('[data-debtor-name]').count()).toBe(0);

  // The hand link is a claim: Carlos's name, no amount, no status, no stage.
  await overlay.fill('[data-link] input[name=q]', 'Eduardo');
  await overlay.press('[data-link] input[name=q]', 'Enter');
  await overlay.locator(`[data-link-to="${stack.debtors.carlos}"]`).click();
  await expect.poll(reason).toBe('claimed');
  expect(await overlay.locator('[data-debtor-name]').textContent()).toBe(CARLOS.name);
  const claimed = (await overlay.locator('main').textContent()) ?? '';
  expect(claimed).not.toMatch(DEBT_WORDS);
  expect(claimed).toContain('o vínculo ainda não confirma quem é');
  expect(claimed).toContain('Confirme só depois que a pessoa se identificar');
  expect(await overlay.locator('[data-total], .chip').count()).toBe(0);
  expect(await overlay.locator('.msg').getAttribute('data-template')).toBe('privacy.whatsapp');
  expect(await stack.db.query('SELECT 1 FROM chat_identities')).toHaveLength(0);
  mkdirSync(join(ROOT, 'test-output/extension'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'test-output/extension/whatsapp-claimed.png') });

  // One tap: confirmed on the server, audited, and the card appears.
  await overlay.locator('[data-action=confirm-identity]').click();
  await expect.poll(() => overlay.locator('[data-total]').count(), { timeout: 10_000 }).toBe(1);
  expect(await overlay.locator('.chip').textContent()).toMatch(/^vencido há \d+ dias?$/);
  expect(await overlay.locator('[data-confirmed]').textContent()).toContain(
    'Identidade confirmada por Joana Atendente em 24/11/2026.',
  );
  expect(await overlay.locator('.msg').first().locator('pre').textContent()).toMatch(/R\$\s\d/);
  const stored = await stack.db.query<{ chat_key_hash: string; debtor_id: string }>(
    'SELECT chat_key_hash, debtor_id FROM chat_identities WHERE revoked_at IS NULL',
  );
  expect(stored).toEqual([
    {
      chat_key_hash: createHash('sha256').update(`whatsapp:${LID}`).digest('hex'),
      debtor_id: stack.debtors.carlos,
    },
  ]);
  const confirmAudit = await stack.db.query<{ actor: string }>(
    `SELECT u.name AS actor FROM audit_log a JOIN users u ON u.id = a.actor_id
      WHERE a.action = 'chat_identity.confirm' AND a.entity_id = $1`,
    [stack.debtors.carlos],
  );
  expect(confirmAudit).toEqual([{ actor: 'Joana Atendente' }]);

  // The confirmation lives on the server: a browser without the hand link still sees it.
  await stack.browser.worker.evaluate(async () => {
    await chrome.storage.local.remove('quita.links');
    await chrome.storage.session.remove('quita.links');
  });
  const fresh = await stack.browser.context.newPage();
  await fresh.goto('https://web.whatsapp.com/');
  const again = await overlayFrame(fresh);
  await expect.poll(() => again.locator('[data-total]').count(), { timeout: 10_000 }).toBe(1);
  expect(await again.locator('[data-debtor-name]').textContent()).toBe(CARLOS.name);
  await fresh.close();

  // "Não é esta pessoa": revoked (audited), back to nobody.
  await overlay.locator('[data-action=undo-identity]').click();
  await expect.poll(reason, { timeout: 10_000 }).toBe('unidentified');
  expect(await overlay.locator('main').textContent()).not.toContain(CARLOS.name);
  expect(
    await stack.db.query('SELECT 1 FROM chat_identities WHERE revoked_at IS NULL'),
  ).toHaveLength(0);
  expect(
    await stack.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'chat_identity.revoke' AND entity_id = $1`,
      [stack.debtors.carlos],
    ),
  ).toHaveLength(1);
  await page.close();
});
