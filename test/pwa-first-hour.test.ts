/**
 * The first hour with Quita, as a new owner lives it, in real headless Chromium against the real
 * `quita serve` process (built app, PGlite) started on an EMPTY data directory:
 * - the owner opens the one-time setup link the server printed, creates the account and follows
 *   Primeiros passos at 1280×800 (creditor, PIX key with its R$ 0,01 test QR decoded, the first
 *   collector with a sign-in QR, the template downloaded and filled, the file imported, the
 *   debtors handed to the collector); the home screen then has nothing missing;
 * - the collector's phone (360×640) opens the link decoded from that QR, signs in without typing
 *   anything, syncs, records a visit, and the owner reads it in the debtor's story;
 * - on another empty server, the owner loads the demo with the app's button while it runs, and
 *   `quita demo` in a terminal beside it adds nothing (idempotent both ways).
 * No CLI step between the server's start and the visit. axe-core on every screen; no raw code or
 * "undefined" on any; screenshots under test-output/screenshots (and, with QUITA_README_SHOTS=1,
 * the README's quick-start pictures under test/quick-start/).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensurePwaBuilt } from '../server/pwa-build';
import { runQuita, startQuitaServer } from './helpers/cli';
import { readQr } from './helpers/portal-browser';
import { expectAxeClean, SHOTS, screenshot } from './helpers/pwa-browser';

export const README_SHOTS = join(import.meta.dirname, 'quick-start');
const PASSWORD = 'jabuticaba no quintal 1987';

/** Codes and words that must never reach a person's screen. */
const RAW =
  /\b(undefined|null|NaN|todo|skipped|done|owner|staff|collector|not_home|creditor|pix_key|Loading|Save|Skip)\b/;

type Server = Awaited<ReturnType<typeof startQuitaServer>>;

describe('the first hour (Chromium, real quita serve, empty data directory)', () => {
  let browser: Browser;
  const dirs: string[] = [];
  const servers: Server[] = [];
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  async function serve(env: Record<string, string>): Promise<{ server: Server; dataDir: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'quita-first-hour-'));
    dirs.push(dir);
    const dataDir = join(dir, 'data'); // does not exist yet: a first start
    const server = await startQuitaServer(
      { QUITA_DATA_DIR: dataDir, QUITA_PWA: '1', QUITA_LOG_FORMAT: 'json', ...env },
      120_000,
    );
    servers.push(server);
    return { server, dataDir };
  }

  async function open(width: number, height: number): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height },
      deviceScaleFactor: 1,
      locale: 'pt-BR',
      timezoneId: 'America/Sao_Paulo',
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        pageErrors.push(m.text());
    });
    return page;
  }

  /** axe, no raw words, a screenshot (also a README picture when `readme` names one). */
  async function check(page: Page, name: string, readme?: string) {
    await expectAxeClean(page, name);
    const text = await page.locator('main').innerText();
    expect(RAW.exec(text)?.[0] ?? null, `${name}: raw text on screen`).toBeNull();
    await screenshot(page, `first-hour-${name}`);
    if (readme && process.env['QUITA_README_SHOTS'] === '1') {
      mkdirSync(README_SHOTS, { recursive: true });
      copyFileSync(join(SHOTS, `first-hour-${name}.png`), join(README_SHOTS, `${readme}.png`));
    }
  }

  beforeAll(async () => {
    // Built once here, so the server processes serve it without rebuilding.
    expect(await ensurePwaBuilt(() => undefined)).toBeDefined();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
    });
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    for (const s of servers) await s.stop().catch(() => undefined);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    expect(pageErrors).toEqual([]);
  }, 120_000);

  test(
    'a new owner follows the guide; the collector signs in by the QR on a phone and records a visit',
    { timeout: 420_000 },
    async () => {
      const { server } = await serve({});
      // What the terminal shows on a first start: where the app is and the one-time setup link.
      const line = server
        .output()
        .split('\n')
        .find((l) => l.includes('setupLink'));
      const setupLink = (JSON.parse(line ?? '{}') as { setupLink?: string }).setupLink ?? '';
      expect(setupLink).toMatch(new RegExp(`^${server.url}/setup\\?token=`));

      // ---- The owner, at the office computer.
      const owner = await open(1280, 800);
      await owner.goto(setupLink);
      await owner.getByRole('heading', { level: 1, name: 'Configuração inicial' }).waitFor();
      await owner.getByLabel('Seu nome').fill('Rosa Almeida');
      await owner.getByLabel('E-mail').fill('rosa@padaria.example.com.br');
      await owner.getByLabel('Senha', { exact: true }).fill(PASSWORD);
      await owner.getByLabel('Repita a senha').fill(PASSWORD);
      await check(owner, '01-setup', '01-setup');
      await owner.getByRole('button', { name: 'Criar conta' }).click();

      // Straight into the guide: the name typed at setup counts, the creditor comes next.
      await owner.getByRole('heading', { level: 1, name: 'Primeiros passos' }).waitFor();
      await owner.getByRole('heading', { level: 2, name: 'Quem é o credor' }).waitFor();
      expect(
        (await owner.locator('label[for="guide-progress"]').innerText()).replace(/\s+/g, ' '),
      ).toBe('Progresso: 1 de 5 passos feitos');
      expect(await owner.getByTestId('step-name').innerText()).toMatch(/Seu nome\s+feito/);
      await check(owner, '02-guide-creditor', '02-guide-creditor');
      await owner.getByLabel('Razão social (ou nome completo)').fill('Padaria Pão Quente Ltda');
      await owner.getByLabel('CNPJ ou CPF').fill('11.222.333/0001-81');
      await owner.getByLabel('CEP').fill('13010-000');
      await owner.getByLabel('Rua').fill('Rua das Flores');
      await owner.getByLabel('Número', { exact: true }).fill('123');
      await owner.getByLabel('Bairro').fill('Centro');
      await owner.getByLabel('Cidade').fill('Campinas');
      await owner.getByLabel('UF').fill('sp');
      await owner.getByRole('button', { name: 'Salvar e continuar' }).click();

      // PIX: the key is checked as typed, then a R$ 0,01 test QR for the owner's bank app.
      await owner.getByRole('heading', { level: 2, name: 'Chave PIX para receber' }).waitFor();
      await owner.getByLabel('Tipo de chave').selectOption({ label: 'CNPJ' });
      await owner.getByLabel('Chave PIX', { exact: true }).fill('11.222.333/0001-80');
      await owner
        .getByText(/dígito|inválid/i)
        .first()
        .waitFor();
      await owner.getByLabel('Chave PIX', { exact: true }).fill('11.222.333/0001-81');
      await owner.getByText('Chave válida').waitFor();
      await owner.getByRole('button', { name: 'Salvar', exact: true }).click();
      await owner.getByTestId('pix-test-qr').waitFor();
      const pix = await readQr(owner, await owner.getByTestId('pix-test-qr').screenshot());
      expect(pix).toMatch(/^000201/);
      expect(pix).toContain('11222333000181');
      expect(pix).toContain('54040.01');
      await check(owner, '03-guide-pix');
      await owner.getByRole('button', { name: 'Continuar' }).click();

      // The first collector: a name and an e-mail; the QR shows at once.
      await owner.getByRole('heading', { level: 2, name: 'Primeiro cobrador' }).waitFor();
      await owner.getByLabel('Nome do cobrador').fill('Carlos Campo');
      await owner.getByLabel('E-mail do cobrador').fill('carlos@padaria.example.com.br');
      await owner.getByRole('button', { name: 'Cadastrar cobrador' }).click();
      const qr = owner.getByTestId('sign-in-qr-code');
      await qr.waitFor();
      const link = await readQr(owner, await qr.screenshot());
      expect(link).toMatch(new RegExp(`^${server.url}/entrar-com-codigo#`));
      expect(await owner.getByTestId('sign-in-link').textContent()).toBe(link);
      await check(owner, '04-guide-collector', '04-guide-collector');
      await owner.getByRole('button', { name: 'Continuar' }).click();

      // The portfolio: the template downloaded, filled, sent; the debtors handed to Carlos.
      await owner.getByRole('heading', { level: 2, name: 'Carteira de devedores' }).waitFor();
      const [download] = await Promise.all([
        owner.waitForEvent('download'),
        owner.getByRole('button', { name: '1. Baixar o modelo da planilha' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('modelo-importacao-quita.csv');
      const template = readFileSync((await download.path()) ?? '', 'utf8');
      const header = template.replace(/^\uFEFF/, '').split('\r\n')[0] ?? '';
      expect(header.split(';')).toContain('vencimento');
      const filled = [
        header,
        'P-01;Maria das Dores Souza;529.982.247-25;;(19) 99876-5432;sim;Rua A, 10;Campinas;SP;V-01;Pão e frios - março;180,50;05/03/2026',
        'P-02;José Carlos Pereira;111.444.777-35;;(19) 98765-4321;;Rua B, 20;Campinas;SP;V-02;Encomenda de bolo;95,00;12/03/2026',
      ].join('\r\n');
      await owner.getByLabel('2. Arquivo preenchido (CSV)').setInputFiles({
        name: 'carteira.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`\uFEFF${filled}\r\n`, 'utf8'),
      });
      await owner.getByRole('button', { name: 'Importar' }).click();
      await owner.getByTestId('guide-import-report').waitFor();
      expect(await owner.getByTestId('guide-import-report').innerText()).toContain(
        '2 devedores novos · 2 dívidas novas',
      );
      await owner.getByText('2 devedores sem cobrador.').waitFor();
      await owner.getByLabel('Entregar a').selectOption({ label: 'Carlos Campo' });
      await owner.getByRole('button', { name: 'Entregar', exact: true }).click();
      await owner.getByText('2 devedores entregues.').waitFor();
      await check(owner, '05-guide-import', '05-guide-import');
      await owner.getByRole('button', { name: 'Continuar' }).click();
      await owner.getByRole('heading', { level: 2, name: 'Tudo pronto para cobrar' }).waitFor();
      expect(
        (await owner.locator('label[for="guide-progress"]').innerText()).replace(/\s+/g, ' '),
      ).toBe('Progresso: 5 de 5 passos feitos');
      await owner.goto(`${server.url}/`);
      await owner.getByRole('heading', { level: 1, name: 'Olá, Rosa Almeida' }).waitFor();
      await owner.getByText('A configuração essencial está feita.').waitFor();
      await check(owner, '06-home-ready');

      // ---- Carlos, in the street: the phone opens the QR's link; nobody types anything.
      const phone = await open(360, 640);
      await phone.goto(link ?? '');
      await phone.getByRole('heading', { level: 1, name: 'Entrar neste celular' }).waitFor();
      await phone.getByText('Este código entra no Quita como').waitFor();
      expect(await phone.locator('main').innerText()).toContain('Carlos Campo');
      await check(phone, '07-phone-code', '07-phone-code');
      await phone.getByRole('button', { name: 'Entrar' }).click();
      await phone.getByTestId('sync-indicator').waitFor();
      await expect.poll(() => phone.getByTestId('first-sync').count(), { timeout: 90_000 }).toBe(0);
      expect(new URL(phone.url()).pathname).toBe('/hoje');
      await phone.getByRole('link', { name: /Maria das Dores Souza/ }).waitFor();
      await phone.getByRole('link', { name: /José Carlos Pereira/ }).waitFor();
      await check(phone, '08-phone-today', '08-phone-today');
      // The same link, once more: spent.
      const again = await open(360, 640);
      await again.goto(link ?? '');
      await again.getByRole('alert').waitFor();
      expect(await again.getByRole('alert').innerText()).toMatch(/já foi usado|expirou|inválido/i);
      await again.context().close();

      await phone.getByRole('link', { name: /Maria das Dores Souza/ }).click();
      await phone.getByTestId('debtor-balance').waitFor();
      const debtorId = new URL(phone.url()).searchParams.get('id') ?? '';
      await phone.getByRole('button', { name: 'Visita', exact: true }).click();
      await phone.getByLabel('Não estava').check();
      await phone.getByLabel('Observações (opcional)').fill('Vizinha disse que volta às 17h.');
      await phone.getByRole('button', { name: 'Salvar visita' }).click();
      await expect
        .poll(() => phone.getByTestId('sync-waiting').innerText(), { timeout: 60_000 })
        .not.toMatch(/[1-9]/);
      await check(phone, '09-phone-visit');

      // ---- Back at the office: the visit is in Maria's story, in words.
      await expect
        .poll(
          async () => {
            await owner.goto(`${server.url}/devedor?id=${debtorId}`);
            await owner.getByTestId('timeline').waitFor();
            return (await owner.getByTestId('timeline').innerText()).replace(/\s+/g, ' ');
          },
          { timeout: 60_000, interval: 2000 },
        )
        .toMatch(/Visita.*ninguém em casa.*Vizinha disse que volta às 17h\..*Carlos Campo/);
      await check(owner, '10-owner-story', '10-owner-story');
    },
  );

  test(
    'the demo while the server runs: the app’s button, then quita demo beside it adds nothing',
    { timeout: 300_000 },
    async () => {
      const { server, dataDir } = await serve({
        QUITA_OWNER_EMAIL: 'rosa.almeida@padaria.example.com.br',
        QUITA_OWNER_PASSWORD: PASSWORD,
        QUITA_DEMO_DEBTORS: '40',
      });
      const owner = await open(1280, 800);
      await owner.goto(`${server.url}/`);
      await owner.getByLabel('E-mail').fill('rosa.almeida@padaria.example.com.br');
      await owner.getByLabel('Senha', { exact: true }).fill(PASSWORD);
      await owner.getByRole('button', { name: 'Entrar' }).click();
      // The name guessed from the address until the owner confirms it; the guide opens first.
      await owner.getByRole('heading', { level: 2, name: 'Como você quer ser chamado?' }).waitFor();
      expect(await owner.getByLabel('Seu nome').inputValue()).toBe('Rosa Almeida');
      await owner.goto(`${server.url}/primeiros-passos?passo=import`);
      await owner.getByTestId('demo-offer').waitFor();
      await owner.getByRole('button', { name: 'Carregar dados de exemplo' }).click();
      await owner.getByTestId('demo-collectors').waitFor({ timeout: 120_000 });
      const people = await owner.getByTestId('demo-collectors').innerText();
      for (const name of ['Carlos Cobrador', 'Fernanda Campo', 'Rafael Rota'])
        expect(people).toContain(name);
      // The creditor and a test PIX key were filled: those steps are done.
      for (const step of ['creditor', 'pix', 'collector', 'import'])
        expect(await owner.getByTestId(`step-${step}`).innerText()).toMatch(/feito$/);
      await owner.getByTestId('demo-collectors').getByRole('button').first().click();
      await owner.getByTestId('sign-in-qr-code').waitFor();
      await check(owner, '11-demo-loaded', '11-demo-loaded');

      // In a terminal beside the running server: through its admin socket, nothing new.
      const cli = await runQuita(['demo'], { QUITA_DATA_DIR: dataDir, QUITA_DEMO_DEBTORS: '40' });
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stderr).toContain('carregando os dados por ele');
      const summary = JSON.parse(cli.stdout) as {
        inserted: Record<string, number>;
        organisation: { creditor: string; pix: string };
        users: { created: boolean }[];
      };
      expect(Object.values(summary.inserted).every((n) => n === 0)).toBe(true);
      expect(summary.organisation).toEqual({ creditor: 'kept', pix: 'kept' });
      expect(summary.users.every((u) => !u.created)).toBe(true);
    },
  );
});
