/**
 * Spreadsheets in the owner's app, in real headless Chromium against the real server serving the
 * built PWA (PGlite): a file from another system, saved by Excel in Windows-1252 with `;` and
 * its own headers, goes through the column-mapping step (axe-clean), imports with a warning for
 * a CPF that already had a debtor; the next file with the same headers imports without asking;
 * the portfolio export downloads as an Excel CSV and parses back; the data-subject report shows
 * and offers print. At 1280×800 (an office desktop) and the mapping step also at 360×640.
 */
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../server/db/db';
import { encodeWindows1252 } from '../server/import/decode';
import { PORTFOLIO_HEADERS } from '../server/export/portfolio-export';
import { seedUser, TEST_PASSWORD, type SeededUser } from './helpers/auth';
import { cpf, createDebt, createDebtor } from './helpers/ledger';
import { openTestDb } from './helpers/test-db';
import { expectAxeClean, screenshot, startPwaServer, type PwaServer } from './helpers/pwa-browser';

const OWNER_EMAIL = 'lucia@armarinho.example.com.br';
const HEADER = 'Cód. Cliente;Razão Social;CPF ou CNPJ;Celular;Nº Fatura;Valor Total;Data Venc.';

function erpFile(rows: string[]): Buffer {
  return Buffer.from(encodeWindows1252(`${HEADER}\r\n${rows.join('\r\n')}\r\n`));
}

describe('spreadsheets in the owner PWA (Chromium)', () => {
  let db: Db;
  let pwa: PwaServer | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let owner: SeededUser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    db = await openTestDb('pglite');
    pwa = await startPwaServer(db);
    owner = await seedUser(db, 'owner', { email: OWNER_EMAIL, name: 'Lúcia Prado' });
    const existing = await createDebtor(pwa.app, owner, {
      name: 'Joana Darc Ferreira',
      document: cpf(4401),
    });
    await createDebt(pwa.app, owner, existing);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
    });
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'pt-BR',
      timezoneId: 'America/Sao_Paulo',
      acceptDownloads: true,
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

  test('sign in and open Trabalho', async () => {
    await page.goto(`${pwa?.base}/`);
    await page.getByLabel('E-mail').fill(OWNER_EMAIL);
    await page.getByLabel('Senha').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { level: 1, name: /Olá/ }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Trabalho', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Trabalho' }).waitFor();
  });

  test('a Windows-1252 file with other headers: map the columns once, import with a warning', async () => {
    await page.getByLabel('Planilha (.csv)').setInputFiles({
      name: 'erp-novembro.csv',
      mimeType: 'text/csv',
      buffer: erpFile([
        `ERP-1;Armarinho São José;${cpf(4402)};(11) 98888-1111;F-1;"1.250,00";10/11/2026`,
        `ERP-2;JOANA D. FERREIRA;${cpf(4401)};(11) 97777-2222;F-2;89,90;15/11/2026`,
      ]),
    });
    await expect
      .poll(() => page.getByTestId('sheet-read-as').textContent())
      .toContain('codificação antiga do Excel (ANSI), separador “;”');
    const map = page.getByTestId('column-map');
    await map.waitFor();
    // The headers were read with their accents (Windows-1252 decoded, not mojibake).
    const options = await page.locator('#map-name option').allTextContents();
    expect(options).toContain('Razão Social');
    expect(options).toContain('Cód. Cliente');
    await expectAxeClean(page, 'sheets-mapping-desktop');
    await screenshot(page, 'sheets-01-mapping-1280');
    await page.setViewportSize({ width: 360, height: 640 });
    await map.scrollIntoViewIfNeeded();
    await expectAxeClean(page, 'sheets-mapping-phone');
    await screenshot(page, 'sheets-02-mapping-360');
    await page.setViewportSize({ width: 1280, height: 800 });

    const save = page.getByRole('button', { name: 'Salvar associação e importar' });
    expect(await save.isDisabled()).toBe(true);
    for (const [field, header] of [
      ['#map-external_id', 'Cód. Cliente'],
      ['#map-name', 'Razão Social'],
      ['#map-document', 'CPF ou CNPJ'],
      ['#map-phone', 'Celular'],
      ['#map-debt_id', 'Nº Fatura'],
      ['#map-amount', 'Valor Total'],
      ['#map-due_date', 'Data Venc.'],
    ] as const)
      await page.locator(field).selectOption({ label: header });
    // The example column shows the first value of the chosen column, decoded.
    await expect
      .poll(() => map.locator('tr', { hasText: 'Nome' }).locator('td').last().textContent())
      .toBe('Armarinho São José');
    await save.click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    await expect.poll(() => report.textContent()).toContain('1 novos');
    await expect.poll(() => report.textContent()).toContain('1 avisos');
    const warning = await page.getByTestId('import-warnings').locator('tbody tr').textContent();
    expect(warning).toContain('"Joana Darc Ferreira"');
    expect(warning).toContain('"JOANA D. FERREIRA"');
    await expectAxeClean(page, 'sheets-report');
    await screenshot(page, 'sheets-03-report');
    const [stored] = await db.query(`SELECT name FROM debtors WHERE external_id = 'ERP-1'`);
    expect(stored).toEqual({ name: 'Armarinho São José' });
  });

  test('the next file with the same headers imports without asking', async () => {
    await page.getByLabel('Planilha (.csv)').setInputFiles({
      name: 'erp-dezembro.csv',
      mimeType: 'text/csv',
      buffer: erpFile([
        `ERP-3;Bazar Três Irmãos;${cpf(4403)};(21) 96666-3333;F-3;"2.000,00";10/12/2026`,
      ]),
    });
    await expect
      .poll(() => page.getByTestId('sheet-read-as').textContent())
      .toContain('associação salva');
    expect(await page.getByTestId('column-map').count()).toBe(0);
    await page.getByRole('button', { name: 'Importar', exact: true }).click();
    await expect.poll(() => page.getByTestId('import-report').textContent()).toContain('1 novos');
  });

  test('the portfolio downloads as an Excel CSV that parses back', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Exportar carteira (.csv)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^carteira-\d{4}-\d{2}-\d{2}\.csv$/);
    const path = await download.path();
    const bytes = readFileSync(path);
    expect(Array.from(bytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    const rows = Papa.parse<string[]>(new TextDecoder().decode(bytes).trim(), {
      delimiter: ';',
    }).data;
    expect(rows[0]).toEqual([...PORTFOLIO_HEADERS]);
    const names = rows.slice(1).map((r) => r[1]);
    expect(names).toEqual(
      expect.arrayContaining(['Armarinho São José', 'Bazar Três Irmãos', 'Joana Darc Ferreira']),
    );
    const armarinho = rows.find((r) => r[0] === 'ERP-1');
    expect(armarinho?.[11]).toBe('1250,00');
    await page.getByRole('status').filter({ hasText: 'Arquivo baixado' }).waitFor();
    await screenshot(page, 'sheets-04-exported');
  });

  test('the data-subject report shows everything about one CPF and can be printed', async () => {
    await page
      .getByRole('navigation')
      .getByRole('link', { name: 'Privacidade', exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Privacidade (LGPD)' }).waitFor();
    const doc = cpf(4401);
    await page
      .getByLabel('CPF ou CNPJ')
      .fill(`${doc.slice(0, 3)}.${doc.slice(3, 6)}.${doc.slice(6, 9)}-${doc.slice(9)}`);
    await page.getByRole('button', { name: 'Gerar relatório' }).click();
    const subject = page.getByTestId('subject');
    await subject.waitFor();
    expect(await subject.locator('h3').textContent()).toBe('Joana Darc Ferreira');
    // Both debts (the one typed in and the one the spreadsheet attached) and who saw the data.
    expect(await subject.locator('table').first().locator('tbody tr').count()).toBe(2);
    await expect.poll(() => subject.textContent()).toContain('exportou para planilha');
    expect(await page.getByRole('button', { name: 'Imprimir' }).isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'Imprimir' }).isVisible()).toBe(false);
    expect(await page.locator('header.top').isVisible()).toBe(false);
    await screenshot(page, 'sheets-05-subject-report-print');
    await page.emulateMedia({ media: 'screen' });
    await expectAxeClean(page, 'privacy');
    expect(pageErrors).toEqual([]);
  });
});
