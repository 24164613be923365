/**
 * The debtor's page in real headless Chromium (playwright-core, /usr/bin/chromium) against the
 * real server on a real port, on PGlite and PostgreSQL, with the collector's phone as the PWA's
 * own Dexie database and sync engine (fake-indexeddb) syncing over HTTP:
 * the link the phone holds for {{payment_link}} → the first view (creditor only, nothing about a
 * debt) → a wrong answer → the right six digits → the itemised balance and PIX → 3 installments,
 * reviewed and confirmed → the agreement active on the server and, after a sync, on the phone.
 * The same again with JavaScript disabled (the page has no script it depends on). A forwarded
 * link opened in another browser shows nothing. The first view's transferred size is measured
 * (≤ 30 KB) with every request the page made (one, same origin: no third-party requests), axe-core
 * finds no serious violation, the CSP reports nothing, and 360×640 screenshots are kept in
 * test-output/screenshots/portal-*.png.
 */
import 'fake-indexeddb/auto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Db } from '../server/db/db';
import type { QuitaDb } from '../pwa/db/db';
import type { SyncEngine } from '../pwa/sync/sync-engine';
import { seedUser, TEST_PASSWORD, type SeededUser } from './helpers/auth';
import { assign, cpf, createDebt, createDebtor } from './helpers/ledger';
import { setUpCreditor } from './helpers/portal';
import { SHOTS, startPwaServer, type PwaServer } from './helpers/pwa-browser';
import {
  expectAxeCleanUnderCsp as expectAxeClean,
  phoneOf,
  readQr,
} from './helpers/portal-browser';
import { forEachDb, openTestDb } from './helpers/test-db';

const DAY = 86_400_000;
const FIRST_VIEW_BUDGET = 30 * 1024;
const SIZES = join(import.meta.dirname, '..', 'test-output', 'portal-sizes.json');

/** 'YYYY-MM-DD' `days` from today in São Paulo (the server uses the real clock here). */
function spDay(days: number): string {
  return new Date(Date.now() - 3 * 3_600_000 + days * DAY).toISOString().slice(0, 10);
}

const sizes: Record<string, unknown> = {};

forEachDb((kind) => {
  let db: Db;
  let pwa: PwaServer | undefined;
  let base: string;
  let browser: Browser;
  let owner: SeededUser;
  let collector: SeededUser;
  let phone: { db: QuitaDb; engine: SyncEngine };
  const consoleErrors: string[] = [];

  /** A debtor 30 days late on R$ 1.000,00 (R$ 1.030,00 today), assigned to the collector. */
  async function debtor(name: string, n: number) {
    const document = cpf(9_100 + n);
    const id = await createDebtor({ request: (p, i) => fetch(`${base}${p}`, i) }, owner, {
      name,
      document,
      contactPoints: [
        {
          kind: 'phone',
          value: `(19) 99876-54${String(10 + n)}`,
          isWhatsapp: true,
          verified: true,
        },
      ],
    });
    await createDebt({ request: (p, i) => fetch(`${base}${p}`, i) }, owner, id, {
      description: 'Mensalidade de fevereiro',
      issueDate: spDay(-60),
      dueDate: spDay(-30),
    });
    await assign({ request: (p, i) => fetch(`${base}${p}`, i) }, owner, collector.user.id, [id]);
    return { id, document };
  }

  async function newContext(javaScriptEnabled: boolean): Promise<BrowserContext> {
    return browser.newContext({
      viewport: { width: 360, height: 640 },
      deviceScaleFactor: 1,
      locale: 'pt-BR',
      timezoneId: 'America/Sao_Paulo',
      javaScriptEnabled,
    });
  }

  function watch(page: Page, label: string) {
    page.on('console', (m) => {
      // The wrong answer is a deliberate 422 (the form shown again); anything else is a failure,
      // a CSP refusal ("Refused to apply inline style…") included.
      if (m.type() === 'error' && !/status of 422/.test(m.text()))
        consoleErrors.push(`${label}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${label}: ${String(e)}`));
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `portal-${name}-${kind}.png`), fullPage: false });

  /** The phone's pulled agreement rows of a debtor. */
  async function phoneAgreements(debtorId: string) {
    const facts = await phone.db.table('facts').where('debtor_id').equals(debtorId).toArray();
    return facts
      .filter((f: { type: string }) => f.type === 'agreement')
      .map((f: { data: Record<string, unknown> }) => f.data);
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    db = await openTestDb(kind);
    // The real app with the built PWA (the owner answers requests in Revisão), on a real port.
    pwa = await startPwaServer(db);
    base = pwa.base;
    owner = await seedUser(db, 'owner', { name: 'Rosa Almeida' });
    collector = await seedUser(db, 'collector', { name: 'Carlos Campo' });
    await setUpCreditor({ request: (p, i) => fetch(`${base}${p}`, i) }, owner);
    phone = await phoneOf(base, collector);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    phone?.db.close();
    await pwa?.close();
    await db?.close();
    mkdirSync(join(SHOTS, '..'), { recursive: true });
    writeFileSync(SIZES, `${JSON.stringify(sizes, null, 2)}\n`);
  });

  for (const javaScript of [true, false]) {
    test(`link → identity check → 3 installments → active on the server and the phone (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const label = javaScript ? 'js' : 'nojs';
      const first = javaScript ? 'Ana' : 'Bruno';
      const who = await debtor(
        javaScript ? 'Ana Beatriz Lima' : 'Bruno Costa Reis',
        javaScript ? 1 : 2,
      );
      // The collector's phone holds the link its messages carry for {{payment_link}}.
      await phone.engine.requestSync('manual');
      const held = await phone.db.table('debtors').get(who.id);
      const link =
        (held?.data as { portalLink?: { url: string } } | undefined)?.portalLink?.url ?? '';
      expect(link).toMatch(new RegExp(`^${base}/p/[A-Za-z0-9_-]{32}$`));

      const context = await newContext(javaScript);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      watch(page, label);
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      const response = await page.goto(link);
      if (!response) throw new Error('no response');
      await page
        .getByRole('heading', { level: 1, name: 'Há um assunto para tratar com Pão Quente.' })
        .waitFor();
      const transferred = await response.request().sizes();
      const firstView = transferred.responseBodySize + transferred.responseHeadersSize;
      sizes[`${kind}-${label}-first-view`] = {
        ...transferred,
        transferred: firstView,
        requests: requests.length,
        encoding: response.headers()['content-encoding'] ?? 'identity',
      };
      expect(firstView).toBeLessThanOrEqual(FIRST_VIEW_BUDGET);
      // One request for the whole first view, to this server: no favicon, no font, no third party.
      expect(requests).toEqual([link]);
      const body = await page.locator('body').innerText();
      for (const secret of [
        first,
        'Mensalidade',
        '1.030',
        'R$',
        'parcela',
        'dívida',
        who.document.slice(0, 6),
      ])
        expect(body).not.toContain(secret);
      await expect.poll(() => page.getByText('CNPJ 11.222.333/0001-81').isVisible()).toBe(true);
      await shot(page, `1-first-view-${label}`);
      if (javaScript) await expectAxeClean(page, 'first view');

      const digits = page.getByLabel('Os 6 primeiros dígitos do CPF ou CNPJ cadastrado');
      await digits.fill(who.document.startsWith('9') ? '111111' : '999999');
      await page.getByRole('button', { name: 'Continuar' }).click();
      await page.getByRole('alert').getByText('Os dígitos não conferem').waitFor();
      await shot(page, `2-wrong-digits-${label}`);
      if (javaScript) await expectAxeClean(page, 'wrong digits');

      await digits.fill(`${who.document.slice(0, 3)}.${who.document.slice(3, 6)}`);
      await page.getByRole('button', { name: 'Continuar' }).click();
      await page.getByRole('heading', { level: 1, name: `Olá, ${first}.` }).waitFor();
      const table = page.getByRole('table', {
        name: 'Composição do valor de Mensalidade de fevereiro',
      });
      await expect
        .poll(() => table.getByRole('row', { name: /Total hoje/ }).innerText())
        .toMatch(/R\$\s1\.030,00/);
      await expect
        .poll(() => table.getByRole('row', { name: /Multa/ }).innerText())
        .toMatch(/R\$\s20,00/);
      await expect
        .poll(() => page.getByRole('img', { name: /QR Code PIX de R\$\s1\.030,00/ }).isVisible())
        .toBe(true);
      // The QR a banking app reads is exactly the copia-e-cola beside it.
      const qr = page.getByRole('img', { name: /QR Code PIX de R\$\s1\.030,00/ });
      if (javaScript) {
        const code = await page.getByLabel('PIX copia e cola').inputValue();
        expect(code).toMatch(/^000201/);
        expect(await readQr(page, await qr.screenshot())).toBe(code);
      }
      // The copy button exists only where a script can copy.
      expect(await page.getByRole('button', { name: 'Copiar código' }).isVisible()).toBe(
        javaScript,
      );
      await shot(page, `3-debts-${label}`);
      await page.screenshot({
        path: join(SHOTS, `portal-3-debts-full-${label}-${kind}.png`),
        fullPage: true,
      });
      if (javaScript) await expectAxeClean(page, 'debts');

      await page.getByText('Parcelar ou pagar à vista').click();
      await page.getByLabel('3× de R$ 343,34').check();
      await page.getByLabel('3× de R$ 343,34').scrollIntoViewIfNeeded();
      await shot(page, `4-plan-options-${label}`);
      if (javaScript) await expectAxeClean(page, 'plan options');
      await page.getByRole('button', { name: 'Ver as datas e confirmar' }).click();
      await page.getByRole('heading', { name: 'Confira o acordo' }).waitFor();
      const schedule = page.getByRole('table', { name: 'Parcelas do acordo' });
      expect(await schedule.getByRole('row').count()).toBe(5);
      await shot(page, `5-review-${label}`);
      if (javaScript) await expectAxeClean(page, 'review');
      await page.getByRole('button', { name: 'Confirmar acordo' }).click();
      await page.getByRole('status').getByText('Acordo fechado.').waitFor();
      await page.getByRole('heading', { name: 'Seu acordo' }).waitFor();
      await shot(page, `6-agreement-${label}`);
      await page.screenshot({
        path: join(SHOTS, `portal-6-agreement-full-${label}-${kind}.png`),
        fullPage: true,
      });
      if (javaScript) await expectAxeClean(page, 'agreement');

      // On the server: one active agreement of 3 payments summing to the balance.
      const res = await fetch(`${base}/api/agreements?debtorId=${who.id}`, {
        headers: owner.headers,
      });
      const { items } = (await res.json()) as {
        items: { status: string; total: number; installments: { amount: number }[] }[];
      };
      expect(items).toHaveLength(1);
      expect(items[0]?.status).toBe('active');
      expect(items[0]?.installments.map((i) => i.amount)).toEqual([34_334, 34_333, 34_333]);
      // On the collector's phone after its next sync: the same agreement, active; the badge 'acordo'.
      await phone.engine.requestSync('manual');
      const pulled = await phoneAgreements(who.id);
      expect(pulled).toHaveLength(1);
      expect(pulled[0]).toMatchObject({ status: 'active', total: 103_000 });
      expect(
        ((await phone.db.table('debtors').get(who.id))?.data as { status?: string } | undefined)
          ?.status,
      ).toBe('acordo');

      // The link forwarded to someone else: another browser sees the first view only.
      const other = await newContext(javaScript);
      const forwarded = await other.newPage();
      watch(forwarded, `${label}-forwarded`);
      await forwarded.goto(link);
      await forwarded
        .getByRole('heading', { level: 1, name: 'Há um assunto para tratar com Pão Quente.' })
        .waitFor();
      const seen = await forwarded.locator('body').innerText();
      for (const secret of [first, 'acordo', 'R$', '343,34', 'Mensalidade'])
        expect(seen).not.toContain(secret);
      await shot(forwarded, `7-forwarded-${label}`);
      await other.close();
      await context.close();
      expect(consoleErrors).toEqual([]);
    }, 180_000);
  }

  test('a new due date asked on the page is answered in Revisão, and the debtor reads the answer', async () => {
    const who = await debtor('Carla Nunes Prado', 3);
    const issued = await fetch(`${base}/api/debtors/${who.id}/portal-links`, {
      method: 'POST',
      headers: owner.headers,
    });
    const { url } = (await issued.json()) as { url: string };
    const context = await newContext(true);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watch(page, 'request');
    await page.goto(url);
    await page
      .getByLabel('Os 6 primeiros dígitos do CPF ou CNPJ cadastrado')
      .fill(who.document.slice(0, 6));
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Olá, Carla.' }).waitFor();
    await page.getByText('Pedir outra data de vencimento').click();
    const wanted = spDay(60);
    await page.getByLabel('Nova data desejada').fill(wanted);
    await page.getByLabel('Motivo (opcional)').fill('Recebo o décimo terceiro em dois meses.');
    await page.getByRole('button', { name: 'Enviar pedido' }).click();
    await page.getByRole('status').getByText('Pedido enviado.').waitFor();
    const shown = `${wanted.slice(8, 10)}/${wanted.slice(5, 7)}/${wanted.slice(0, 4)}`;
    await page.getByText(`Pedido de nova data (${shown}) em análise.`).waitFor();
    await shot(page, '8-request-sent');

    // The owner, on their own browser, answers it in Revisão.
    const office = await browser.newContext({
      viewport: { width: 360, height: 640 },
      locale: 'pt-BR',
      timezoneId: 'America/Sao_Paulo',
    });
    const ownerPage = await office.newPage();
    ownerPage.setDefaultTimeout(20_000);
    watch(ownerPage, 'owner');
    await ownerPage.goto(`${base}/`);
    await ownerPage.getByLabel('E-mail').fill(owner.user.email);
    await ownerPage.getByLabel('Senha').fill(TEST_PASSWORD);
    await ownerPage.getByRole('button', { name: 'Entrar' }).click();
    await ownerPage.getByRole('heading', { level: 1, name: 'Olá, Rosa Almeida' }).waitFor();
    await ownerPage.getByRole('navigation').getByRole('link', { name: 'Revisão' }).click();
    await ownerPage
      .getByRole('heading', { level: 2, name: 'Novas datas pedidas pelos clientes' })
      .waitFor();
    const item = ownerPage.getByTestId('due-date-request').filter({ hasText: 'Carla Nunes Prado' });
    await item.getByText(`Pede para pagar em ${shown}`).waitFor();
    await item.getByText('Recebo o décimo terceiro em dois meses.').waitFor();
    await item.scrollIntoViewIfNeeded();
    await ownerPage.screenshot({ path: join(SHOTS, `portal-9-owner-review-${kind}.png`) });
    await expectAxeClean(ownerPage, 'owner review with a due-date request');
    await item.getByRole('button', { name: 'Conceder a nova data' }).click();
    await expect.poll(() => item.count()).toBe(0);
    // The owner also sets how long a link works, in Ajustes (refused below 14 days, with the reason).
    await ownerPage.getByRole('navigation').getByRole('link', { name: 'Ajustes' }).click();
    const form = ownerPage.getByRole('form', { name: 'Página do cliente' });
    await form.getByLabel('Validade do link (dias, de 14 a 365)').fill('7');
    await form.getByRole('button', { name: 'Salvar' }).click();
    await form.getByRole('alert').getByText('pelo menos 14 dias').waitFor();
    await form.getByLabel('Validade do link (dias, de 14 a 365)').fill('45');
    await form.getByRole('button', { name: 'Salvar' }).click();
    await form.getByRole('status').getByText('Salvo.').waitFor();
    await form.scrollIntoViewIfNeeded();
    await ownerPage.screenshot({ path: join(SHOTS, `portal-11-owner-settings-${kind}.png`) });
    const saved = await fetch(`${base}/api/settings/portal`, { headers: owner.headers });
    expect(((await saved.json()) as { value: { linkDays: number } }).value.linkDays).toBe(45);
    await office.close();

    // The debtor opens the link again: granted, and the promise for that date pauses the régua.
    await page.goto(url);
    await page.getByText(`O pedido de nova data (${shown}) foi aceito.`).waitFor();
    await page.getByText(/Você combinou pagar R\$\s1\.030,00 até/).waitFor();
    await shot(page, '10-request-granted');
    await context.close();
    expect(consoleErrors).toEqual([]);
  }, 180_000);
});
