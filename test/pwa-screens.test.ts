/**
 * Every screen of both faces of the PWA, in every state a person meets, with the demo portfolio
 * (`quita demo`'s seeder): photographed at 360×640 and 1280×800 under test-output/screens/ for
 * review, and read for raw codes — any enum value, field name or step/template id derived from
 * the shared schemas (helpers/raw-codes.ts) or an English browser error on screen fails the run.
 * Screens the navigation offers that this file does not name are visited too
 * (helpers/screens.ts `walkNavigation`), so a screen merged later is checked without a new line.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../server/db/db';
import { seedDemo } from '../server/demo/seed-demo';
import { seedUser, TEST_PASSWORD, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { expectAxeClean, startPwaServer, type PwaServer } from './helpers/pwa-browser';
import { PT_BR_ARGS, screenReview, walkNavigation } from './helpers/screens';
import { openTestDb } from './helpers/test-db';

const COLLECTOR_EMAIL = 'cobrador1@quita.demo';

describe('every screen in words, at 360×640 and 1280×800', () => {
  let db: Db;
  let pwa: PwaServer | undefined;
  let browser: Browser;
  let owner: SeededUser;
  const pageErrors: string[] = [];

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: { width: 360, height: 640 },
      deviceScaleFactor: 1,
      locale: 'pt-BR',
      timezoneId: 'America/Sao_Paulo',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    return { context, page };
  }

  async function signIn(page: Page, email: string, name: string): Promise<void> {
    await page.goto(`${pwa?.base}/`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Senha').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { level: 1, name: `Olá, ${name}` }).waitFor();
  }

  const go = async (page: Page, link: string, heading: string | RegExp) => {
    await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  beforeAll(async () => {
    db = await openTestDb('pglite');
    pwa = await startPwaServer(db);
    owner = await seedUser(db, 'owner', { name: 'Rosa Almeida' });
    // The demo seeder keeps users it finds: this collector signs in with the test password.
    await seedUser(db, 'collector', { email: COLLECTOR_EMAIL, name: 'Carlos Cobrador' });
    const put = await call(pwa.app, 'PUT', '/api/settings/organisation', {
      headers: owner.headers,
      json: {
        legalName: 'Ferreira Materiais de Construção Ltda',
        tradeName: 'Casa Ferreira',
        document: '11.222.333/0001-81',
        address: {
          street: 'Avenida Brasil',
          number: '1500',
          district: 'Jardim Chapadão',
          city: 'Campinas',
          state: 'SP',
          postalCode: '13070-178',
        },
        pix: { key: '11.222.333/0001-81', keyType: 'cnpj' },
      },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    await seedDemo(db, { now: new Date(), debtors: 240 });
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
        ...PT_BR_ARGS,
      ],
    });
    // The build, the demo portfolio and a browser: minutes on a busy machine.
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await pwa?.close();
    await db?.close();
  });

  test(
    'signed out: sign in (and a refused password), first-run setup without its link',
    { timeout: 120_000 },
    async () => {
      const review = screenReview('signed-out');
      const { context, page } = await newPage();
      try {
        await page.goto(`${pwa?.base}/`);
        await page.getByRole('heading', { level: 1, name: 'Entrar' }).waitFor();
        await review.check(page, 'sign-in');
        await page.getByLabel('E-mail').fill(COLLECTOR_EMAIL);
        await page.getByLabel('Senha').fill('senha errada demais');
        await page.getByRole('button', { name: 'Entrar' }).click();
        await page.getByRole('alert').waitFor();
        await review.check(page, 'sign-in-refused');
        await page.goto(`${pwa?.base}/setup`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await review.check(page, 'setup-without-link');
      } finally {
        await context.close();
      }
      review.expectWords();
    },
  );

  test('the collector: every screen and state, offline too', { timeout: 420_000 }, async () => {
    const review = screenReview('collector');
    const { context, page } = await newPage();
    const waiting = page.getByTestId('sync-waiting');
    try {
      await signIn(page, COLLECTOR_EMAIL, 'Carlos Cobrador');
      await page.getByTestId('sync-indicator').waitFor();
      await expect.poll(() => page.getByTestId('first-sync').count(), { timeout: 90_000 }).toBe(0);
      await review.check(page, 'home');

      await go(page, 'Hoje', 'Hoje');
      await page.locator('.vrow').first().waitFor();
      await review.check(page, 'today');
      await expectAxeClean(page, 'collector-today');
      await page.getByLabel('Filtro').selectOption('pending');
      await page.getByText('Nenhum cliente encontrado.').waitFor();
      await review.check(page, 'today-nothing-waiting');
      await page.getByLabel('Filtro').selectOption('all');

      // The debtor first in the route (or the list), with each recording form.
      await page.locator('.vrow a').first().click();
      await page.getByTestId('debtor-balance').waitFor();
      await review.check(page, 'debtor');
      await page.getByRole('button', { name: 'Visita', exact: true }).click();
      await review.check(page, 'debtor-visit-form');
      await page.getByLabel('Prometeu pagar').check();
      await page.getByRole('button', { name: 'Salvar visita' }).click();
      await page.getByTestId('promise-from-visit').waitFor();
      await review.check(page, 'debtor-promise-after-visit');
      await page.getByRole('button', { name: 'Pagamento recebido', exact: true }).click();
      await page.getByLabel('Valor recebido').fill('-10');
      await review.check(page, 'debtor-payment-negative');
      await page.getByLabel('Valor recebido').fill('25,00');
      await page.getByRole('button', { name: 'Salvar pagamento' }).click();
      await page.getByTestId('receipt').waitFor();
      await page.getByTestId('receipt').scrollIntoViewIfNeeded();
      await review.check(page, 'debtor-receipt');
      await page.getByRole('button', { name: 'Proposta de acordo', exact: true }).click();
      await page.getByLabel('Parcelas').fill('100');
      await page.getByLabel('Entrada').fill('-10');
      await page.locator('#ag-count-error').waitFor();
      await page.getByLabel('Parcelas').scrollIntoViewIfNeeded();
      await review.check(page, 'debtor-agreement-refused');
      await page.getByLabel('Entrada').fill('');
      await page.getByLabel('Parcelas').fill('3');
      await page.getByTestId('schedule').waitFor();
      await review.check(page, 'debtor-agreement-schedule');
      await page.getByRole('button', { name: 'Proposta de acordo', exact: true }).click();
      await page.getByRole('heading', { name: 'Histórico' }).scrollIntoViewIfNeeded();
      await review.check(page, 'debtor-timeline');

      await page.evaluate(() => scrollTo(0, 0));
      await page.getByRole('link', { name: 'PIX do saldo total' }).click();
      await page.getByTestId('pix-code').waitFor();
      await review.check(page, 'pix');
      await page.getByRole('button', { name: 'Tela cheia' }).click();
      await page.getByRole('dialog').waitFor();
      await review.check(page, 'pix-full-screen');
      await page.getByRole('button', { name: 'Fechar' }).click();

      // Offline with work waiting: a visit saved on the phone, the sync line, Today, and the
      // guarded sign-out.
      await context.setOffline(true);
      await page.goBack();
      await page.getByRole('button', { name: 'Visita', exact: true }).click();
      await page.getByLabel('Não estava').check();
      await page.getByRole('button', { name: 'Salvar visita' }).click();
      await page.getByTestId('form-saved').waitFor();
      await go(page, 'Hoje', 'Hoje');
      await expect.poll(() => waiting.textContent()).toMatch(/^\d+ aguardando envio$/);
      await review.check(page, 'today-offline-waiting');
      await page.getByRole('button', { name: 'Sair' }).click();
      await page.getByTestId('signout-guard').waitFor();
      await review.check(page, 'sign-out-blocked');
      await page.getByRole('button', { name: 'Continuar conectado' }).click();
      await context.setOffline(false);
      await expect.poll(() => waiting.textContent(), { timeout: 30_000 }).toBe('tudo enviado');

      await page.goto(`${pwa?.base}/nao-existe`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await review.check(page, 'not-found');
      await page.goto(`${pwa?.base}/hoje`);
      await page.locator('.vrow').first().waitFor();
      await walkNavigation(page, review);
    } finally {
      await context.close();
    }
    review.expectWords();
    expect(pageErrors).toEqual([]);
  });

  test(
    'the owner: every screen of the navigation and its states',
    { timeout: 180_000 },
    async () => {
      const review = screenReview('owner');
      const { context, page } = await newPage();
      try {
        await signIn(page, owner.user.email, 'Rosa Almeida');
        await review.check(page, 'home');

        await go(page, 'Trabalho', 'Trabalho');
        await page.locator('#sheet-file').setInputFiles({
          name: 'clientes.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(
            [
              'external_id,name,document,email,phone,address,city,state,debt_id,description,amount,due_date',
              'X-1,Cliente Bom,,,,,Campinas,SP,X-D1,Compra,10.00,2026-01-10',
              'X-2,CPF Errado,181.590.830-00,,,,,,X-D2,Compra,10.00,2026-01-10',
              'X-3,Valor Errado,,,,,,,X-D3,Compra,dez reais,2026-01-10',
              'X-4,Data Errada,,,,,,,X-D4,Compra,10.00,31/02/2026',
            ].join('\n'),
          ),
        });
        // The screen reads the file first (encoding, separator, headers), then imports.
        await page.getByTestId('sheet-read-as').waitFor();
        await review.check(page, 'work-import-read');
        await page.getByRole('button', { name: 'Importar', exact: true }).click();
        await page.getByTestId('import-errors').waitFor();
        await page.getByTestId('import-errors').scrollIntoViewIfNeeded();
        await review.check(page, 'work-import-errors');

        await go(page, 'Ajustes', 'Ajustes');
        await page.getByLabel('Razão social').waitFor();
        await review.check(page, 'settings');
        await page.getByLabel('Razão social').fill('');
        await page.getByLabel('Chave', { exact: true }).fill('123');
        await page.getByRole('button', { name: 'Salvar' }).first().click();
        await page.getByRole('alert').first().waitFor();
        await review.check(page, 'settings-organisation-refused');
        await page.reload();
        await page.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();
        await page.getByLabel('Modelo', { exact: true }).first().waitFor();
        await page.getByTestId('sms-count').scrollIntoViewIfNeeded();
        await review.check(page, 'settings-templates');

        // From the menu, with no debtor to name in the code: it says so (reconciliation).
        await go(page, 'PIX', 'Cobrar com PIX');
        await page.getByTestId('pix-no-debtor').waitFor();
        await review.check(page, 'pix-without-debtor');

        await walkNavigation(page, review, (p) =>
          p.getByRole('heading', { level: 1 }).first().waitFor(),
        );
      } finally {
        await context.close();
      }
      review.expectWords();
    },
  );
});
