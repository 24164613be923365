/**
 * Revisão → Conciliação bancária in real headless Chromium against the real server (built PWA,
 * PGlite): the owner uploads a bank's OFX (SGML, Windows-1252) and reads what happened; a credit
 * whose PIX txid named a debt was confirmed alone and can be undone with a reason; a credit found
 * only by its amount waits with the debtor's name and why, and one tap confirms it; a credit
 * that is nobody's is listed and marked as not collection money; the same file again changes
 * nothing, and the screen says so. axe-core, no raw codes on screen, screenshots for reviewers.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { txidForDebt } from '#shared/pix/pix-txid';
import type { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { seedUser, TEST_PASSWORD, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { createDebt, createDebtor } from './helpers/ledger';
import { ofxFile } from './helpers/ofx';
import { expectAxeClean, screenshot, startPwaServer, type PwaServer } from './helpers/pwa-browser';
import { openTestDb } from './helpers/test-db';

const RAW =
  /\b(undefined|null|NaN|auto_confirmed|suggested|unmatched|ignored|txid|nome_parcial|acordo_inativo|acima|record|report|link|debtor|installment|debt)\b/;

function spDay(days = 0): string {
  return new Date(Date.now() - 3 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

describe('bank reconciliation in Revisão (Chromium)', () => {
  let db: Db;
  let pwa: PwaServer | undefined;
  let app: ReturnType<typeof createApp>;
  let base: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let owner: SeededUser;
  let ana: { debtor: string; debt: string };
  let bruno: { debtor: string; debt: string };
  let statement: Uint8Array<ArrayBuffer>;

  async function check(name: string) {
    await expectAxeClean(page, name);
    const text = await page.locator('main').innerText();
    expect(RAW.exec(text)?.[0] ?? null, `${name}: raw text on screen`).toBeNull();
    await screenshot(page, name);
  }

  beforeAll(async () => {
    db = await openTestDb('pglite');
    pwa = await startPwaServer(db);
    ({ app, base } = pwa);
    owner = await seedUser(db, 'owner', {
      email: 'rosa@padaria.example.com.br',
      name: 'Rosa Almeida',
    });
    const make = async (name: string, principal: number) => {
      const debtor = await createDebtor(app, owner, { name });
      const debt = await createDebt(app, owner, debtor, {
        principal,
        description: 'Mensalidade de março',
        issueDate: spDay(-20),
        dueDate: spDay(20),
      });
      return { debtor, debt };
    };
    ana = await make('Ana Beatriz Lima', 12_417);
    bruno = await make('Bruno Costa', 38_950);
    statement = ofxFile([
      {
        fitid: 'E1',
        date: spDay(),
        amount: 12_417,
        memo: `PIX RECEBIDO ${txidForDebt(ana.debt)} ANA B LIMA`,
      },
      { fitid: 'E2', date: spDay(), amount: 38_950, memo: 'TED RECEBIDA 001 0001' },
      { fitid: 'E3', date: spDay(), amount: 7_777, memo: 'RESGATE APLICAÇÃO AUTOMÁTICA' },
      { fitid: 'E4', date: spDay(), amount: -1_290, memo: 'TARIFA PACOTE' },
    ]);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
    });
    const context = await browser.newContext({
      viewport: { width: 360, height: 640 },
      deviceScaleFactor: 1,
      locale: 'pt-BR',
      timezoneId: 'America/Sao_Paulo',
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        pageErrors.push(m.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await pwa?.close();
    await db?.close();
  });

  test('upload, read, confirm with one tap, ignore, undo; the same file again changes nothing', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('E-mail').fill('rosa@padaria.example.com.br');
    await page.getByLabel('Senha', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Olá, Rosa Almeida' }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Revisão', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Revisão' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Conciliação bancária' }).waitFor();

    await page.getByLabel(/Extrato do banco/).setInputFiles({
      name: 'extrato-marco.ofx',
      mimeType: 'application/x-ofx',
      buffer: Buffer.from(statement),
    });
    await page.getByRole('button', { name: 'Conciliar extrato' }).click();
    await expect
      .poll(() => page.getByTestId('bank-summary').textContent())
      .toBe(
        'Créditos no extrato: 3 — conciliados automaticamente: 1; para revisar: 1; sem correspondência: 1; já conciliados antes: 0.',
      );
    // Confirmed alone: Ana's PIX named her debt.
    const auto = page.getByTestId('credit-auto');
    await expect.poll(() => auto.count()).toBe(1);
    expect(await auto.textContent()).toContain('Ana Beatriz Lima');
    expect(await auto.textContent()).toContain('pagamento registrado');
    // Waiting: Bruno's TED, found by its amount, with the reason in words.
    const waiting = page.getByTestId('credit-to-review');
    await expect.poll(() => waiting.count()).toBe(1);
    const text = (await waiting.textContent()) ?? '';
    expect(text).toContain('Bruno Costa');
    expect(text).toContain('Dívida: Mensalidade de março');
    expect(text).toContain('Por quê: valor exato do que estava em aberto');
    expect(await page.getByTestId('credit-unmatched').textContent()).toContain(
      'RESGATE APLICAÇÃO AUTOMÁTICA',
    );
    await check('10-bank-uploaded');

    await waiting.getByRole('button', { name: 'Confirmar' }).click();
    await expect.poll(() => waiting.count()).toBe(0);
    const brunoNow = await call<{ debts: { status: string }[] }>(
      app,
      'GET',
      `/api/debtors/${bruno.debtor}`,
      { headers: owner.headers },
    );
    expect(brunoNow.body.debts[0]?.status).toBe('settled');

    const unmatched = page.getByTestId('credit-unmatched');
    await unmatched.getByRole('button', { name: 'Não é cobrança' }).click();
    await unmatched.getByLabel(/Motivo/).fill('resgate de aplicação');
    await unmatched.getByRole('button', { name: 'Marcar como não é cobrança' }).click();
    await expect.poll(() => unmatched.count()).toBe(0);

    await auto.getByRole('button', { name: 'Desfazer' }).click();
    await auto.getByLabel(/Motivo/).fill('PIX devolvido pelo banco');
    await auto.getByRole('button', { name: 'Desfazer a conciliação' }).click();
    await expect.poll(() => auto.count()).toBe(0);
    // Undone, Ana's credit waits again with her debt as the suggestion.
    await expect.poll(() => waiting.count()).toBe(1);
    const again = (await waiting.textContent()) ?? '';
    expect(again).toContain('Ana Beatriz Lima');
    expect(again).toContain('R$\u00a0124,17 em aberto');
    expect(again).toContain(
      'Por quê: o PIX identifica a cobrança; a conciliação foi desfeita; confira antes de confirmar de novo',
    );
    const anaNow = await call<{ debts: { status: string }[] }>(
      app,
      'GET',
      `/api/debtors/${ana.debtor}`,
      {
        headers: owner.headers,
      },
    );
    expect(anaNow.body.debts[0]?.status).toBe('open');
    await check('11-bank-reviewed');

    await page.getByLabel(/Extrato do banco/).setInputFiles({
      name: 'extrato-marco.ofx',
      mimeType: 'application/x-ofx',
      buffer: Buffer.from(statement),
    });
    await page.getByRole('button', { name: 'Conciliar extrato' }).click();
    await expect
      .poll(() => page.getByTestId('bank-summary').textContent())
      .toBe('Nenhum crédito novo: este extrato já tinha sido conciliado.');
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
