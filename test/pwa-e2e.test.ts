/**
 * The owner's PWA end to end, in real headless Chromium (Debian /usr/bin/chromium through
 * playwright-core) against the real server in-process (createApp + @hono/node-server on a random
 * port, a PGlite test database) serving the BUILT app with its real service worker:
 * sign in → portfolio → CSV import with progress and per-row errors → bulk assignment → offline
 * reload still renders the shell → the other screens. axe-core checks each main screen (no serious
 * or critical violations) and screenshots at 360×640 land in test-output/screenshots/.
 */
import { CLIENT_SCHEMA_VERSION } from '#shared/sync/envelope.schema';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatBRL, cents } from '#shared/money/money';
import { txidForDebtor } from '#shared/pix/pix-txid';
import type { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { seedUser, TEST_PASSWORD, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { assign, cpf, createDebt, createDebtor } from './helpers/ledger';
import { testDevice } from './helpers/sync';
import { openTestDb } from './helpers/test-db';
import { expectAxeClean, screenshot, startPwaServer, type PwaServer } from './helpers/pwa-browser';

const OWNER_EMAIL = 'dona.rosa@padaria.example.com.br';
const DAY = 86_400_000;

/** 'YYYY-MM-DD' `days` before today in São Paulo (the app runs on the real clock here). */
function daysAgo(days: number): string {
  return new Date(Date.now() - 3 * 3_600_000 - days * DAY).toISOString().slice(0, 10);
}

const HEADER =
  'external_id,name,document,email,phone,address,city,state,debt_id,description,amount,due_date';

function importCsv(): { text: string; good: number; bad: number[] } {
  const rows: string[] = [];
  for (let i = 0; i < 20; i++)
    rows.push(
      `IMP-${i},Cliente Importado ${String(i).padStart(2, '0')},${cpf(9000 + i)},,,,Campinas,SP,IMP-D${i},Compra,${100 + i}.50,${daysAgo(10 + i * 5)}`,
    );
  // Line numbers count the header as line 1: these are lines 22 and 23.
  rows.push(`IMP-BAD1,CPF Errado,181.590.830-00,,,,,,IMP-DB1,Compra,10.00,${daysAgo(3)}`);
  rows.push(`IMP-BAD2,Data Errada,${cpf(9100)},,,,,,IMP-DB2,Compra,10.00,31/02/2026`);
  return { text: [HEADER, ...rows].join('\n') + '\n', good: 20, bad: [22, 23] };
}

describe('owner PWA in Chromium', () => {
  let db: Db;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let owner: SeededUser;
  let collector: SeededUser;
  let app: ReturnType<typeof createApp>;
  let pwa: PwaServer | undefined;
  const pageErrors: string[] = [];

  const axe = (name: string) => expectAxeClean(page, name);

  const debtorIds: string[] = [];
  const shot = (name: string) => screenshot(page, name);

  async function go(label: string, heading: string): Promise<void> {
    await page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  }

  beforeAll(async () => {
    db = await openTestDb('pglite');
    pwa = await startPwaServer(db);
    ({ app, base } = pwa);

    owner = await seedUser(db, 'owner', { email: OWNER_EMAIL, name: 'Rosa Almeida' });
    collector = await seedUser(db, 'collector', { name: 'Carlos Cobrador' });
    const put = await call(app, 'PUT', '/api/settings/organisation', {
      headers: owner.headers,
      json: {
        legalName: 'Padaria Pão Quente Ltda',
        tradeName: 'Pão Quente',
        document: '11.222.333/0001-81',
        address: {
          street: 'Rua das Flores',
          number: '123',
          district: 'Centro',
          city: 'Campinas',
          state: 'SP',
          postalCode: '13010-000',
        },
        pix: { key: '11.222.333/0001-81', keyType: 'cnpj' },
      },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    for (const [name, due] of [
      ['Ana Beatriz Lima', daysAgo(20)],
      ['Bruno Costa', daysAgo(45)],
      ['Célia Ramos', daysAgo(120)],
    ] as const) {
      const id = await createDebtor(app, owner, { name });
      debtorIds.push(id);
      await createDebt(app, owner, id, { issueDate: daysAgo(200), dueDate: due });
    }

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
    context = await browser.newContext({
      viewport: { width: 360, height: 640 },
      deviceScaleFactor: 1,
      locale: 'pt-BR',
      timezoneId: 'America/Sao_Paulo',
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      // Failed requests are expected here (a wrong password, offline, the 404 of a missing
      // endpoint); the screens handle them. Anything else logged as an error is a bug.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        pageErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await pwa?.close();
    await db?.close();
  });

  test('sign in; the service worker takes control', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { level: 1, name: 'Entrar' }).waitFor();
    await axe('sign-in');
    await shot('01-sign-in');
    await page.getByLabel('E-mail').fill(OWNER_EMAIL);
    await page.getByLabel('Senha').fill('not the password');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('e-mail ou senha incorretos');
    await page.getByLabel('Senha').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Olá, Rosa Almeida' }).waitFor();
    const active = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return reg.active?.scriptURL ?? null;
    });
    expect(active).toBe(`${base}/sw.js`);
    await expect.poll(() => page.getByTestId('sw-state').textContent()).toBe('sim');
    // Headless Chromium answers persist() without a prompt; either answer is shown, never "verificando".
    await expect
      .poll(() => page.getByTestId('persist-state').textContent())
      .toMatch(/concedido|negado|não suportado/);
    await axe('home');
    await shot('02-home');
  });

  test('portfolio: total overdue, aging chart, per collector', async () => {
    await go('Carteira', 'Carteira');
    const res = await call<{ totalOverdue: number }>(app, 'GET', '/api/portfolio', {
      headers: owner.headers,
    });
    await expect
      .poll(() => page.getByTestId('total-overdue').textContent())
      .toBe(formatBRL(cents(res.body.totalOverdue)));
    const chart = page.getByRole('img', { name: /Atraso por faixa de dias/ });
    await chart.waitFor();
    expect(await chart.locator('rect.bar').count()).toBe(4);
    await axe('portfolio');
    await shot('03-portfolio');
  });

  test('work: CSV import with progress and per-row errors, then bulk assignment', async () => {
    await go('Trabalho', 'Trabalho');
    const csv = importCsv();
    await page.getByLabel('Planilha (.csv)').setInputFiles({
      name: 'devedores.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv.text, 'utf8'),
    });
    await page.getByTestId('sheet-read-as').waitFor();
    await page.getByRole('button', { name: 'Importar', exact: true }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    await expect.poll(() => report.textContent()).toContain('20 novos');
    const progress = page.locator('progress#sheet-progress');
    expect(await progress.getAttribute('value')).toBe(await progress.getAttribute('max'));
    expect(await page.getByTestId('import-rows').textContent()).toContain('22 linhas');
    const lines = await page
      .getByTestId('import-errors')
      .locator('tbody tr td:first-child')
      .allTextContents();
    expect(lines.map(Number)).toEqual(csv.bad);
    await axe('work-import');
    await shot('04-import');

    // Bulk assignment: search the imported debtors, pick two, give them to the collector.
    await page.getByRole('searchbox').fill('Cliente Importado 0');
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.getByLabel(/Cliente Importado 00/).check();
    await page.getByLabel(/Cliente Importado 01/).check();
    await page.getByLabel('Cobrador', { exact: true }).selectOption({ label: 'Carlos Cobrador' });
    await page.getByRole('button', { name: /Atribuir selecionados/ }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'atribuídos' }).textContent())
      .toContain('2 atribuídos');
    const mine = await call<{ items: { name: string }[] }>(
      app,
      'GET',
      `/api/debtors?collector=${collector.user.id}`,
      { headers: owner.headers },
    );
    expect(mine.body.items.map((d) => d.name).sort()).toEqual([
      'Cliente Importado 00',
      'Cliente Importado 01',
    ]);
    await axe('work-assign');
    await shot('05-assign');
  });

  test('offline: a reload still renders the shell, owner screens say they need a connection', async () => {
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Trabalho' }).waitFor();
    expect(await page.locator('.pill').textContent()).toBe('Sem conexão');
    await go('Carteira', 'Carteira');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Esta tela precisa de conexão');
    await shot('06-offline');
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Tentar de novo' }).click();
    await page.getByTestId('total-overdue').waitFor();
  });

  test('review, settings (SMS segments as you type), devices and PIX screens', async () => {
    await go('Revisão', 'Revisão');
    await page.getByText('Nenhum pagamento aguardando.').waitFor();
    await axe('review');

    await go('Ajustes', 'Ajustes');
    // Contact windows: Saturday until 13:00, saved with the version read (If-Match).
    const windows = page.locator('form[aria-labelledby="win-title"]');
    await windows.locator('#saturday-to').fill('13:00');
    await windows.getByRole('button', { name: 'Salvar' }).click();
    await windows.getByRole('status').filter({ hasText: 'Salvo.' }).waitFor();
    const saved = await call<{ value: { windows: { saturday: { to: string } | null } } }>(
      app,
      'GET',
      '/api/settings/contact-windows',
      { headers: owner.headers },
    );
    expect(saved.body.value.windows.saturday?.to).toBe('13:00');
    const body = page.getByLabel('Texto', { exact: true });
    await body.waitFor();
    await body.fill('Olá');
    await expect
      .poll(() => page.getByTestId('sms-count').textContent())
      .toMatch(/1 parte · 3 caracteres/);
    await body.fill('x'.repeat(161));
    await expect.poll(() => page.getByTestId('sms-count').textContent()).toMatch(/2 partes · 161/);
    await axe('settings');
    await shot('07-settings');
    // The edited template makes the page dirty: leaving asks first (dismissed = stay).
    page.once('dialog', (d) => void d.dismiss());
    await page.getByRole('navigation').getByRole('link', { name: 'Dispositivos' }).click();
    expect(new URL(page.url()).pathname).toBe('/ajustes');
    // A collector's phone reports in (not installed, storage not persistent): the owner sees it.
    const registered = await call(app, 'POST', '/api/sync/devices', {
      headers: collector.headers,
      json: {
        protocol: 1,
        device_id: crypto.randomUUID(),
        device_now: new Date().toISOString(),
        health: {
          app_version: '0.1.0',
          schema_version: CLIENT_SCHEMA_VERSION,
          outbox_pending: 0,
          outbox_oldest_pending_at: null,
          outbox_rejected: 0,
          persisted: false,
          storage_usage: null,
          storage_quota: null,
          installed: false,
          last_error: null,
          user_agent: 'e2e',
        },
      },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBeLessThan(300);
    // A second phone of the same collector went silent four days ago holding three unsent items
    // (its last report, then the clock moved on: the row is dated back as four days would).
    const silentId = crypto.randomUUID();
    const silent = await call(app, 'POST', '/api/sync/devices', {
      headers: collector.headers,
      json: {
        protocol: 1,
        device_id: silentId,
        device_now: new Date().toISOString(),
        health: {
          app_version: '0.1.0',
          schema_version: CLIENT_SCHEMA_VERSION,
          outbox_pending: 3,
          outbox_oldest_pending_at: new Date().toISOString(),
          outbox_rejected: 0,
          persisted: true,
          storage_usage: null,
          storage_quota: null,
          installed: true,
          last_error: null,
          user_agent: 'e2e silent',
        },
      },
    });
    expect(silent.status, JSON.stringify(silent.body)).toBeLessThan(300);
    await db.query(
      `UPDATE sync_devices SET last_seen_at = now() - interval '4 days',
         first_seen_at = now() - interval '5 days',
         last_push_ok_at = now() - interval '4 days', last_pull_ok_at = now() - interval '4 days',
         outbox_oldest_pending_at = now() - interval '4 days 2 hours'
       WHERE id = $1`,
      [silentId],
    );
    page.once('dialog', (d) => void d.accept());
    await go('Dispositivos', 'Sincronização dos aparelhos');
    const cards = page.getByTestId('device');
    await expect.poll(() => cards.count()).toBe(2);
    // The phone that reports in but is not installed and may lose its data: amber, with why.
    const amber = cards.filter({ hasText: 'não está instalado' });
    expect(await amber.getAttribute('class')).toBe('light-amber');
    expect(await amber.textContent()).toContain('Carlos Cobrador');
    expect(await amber.textContent()).toContain('armazenamento não persistente');
    // The silent one holding unsent items: red, saying for how long and how many.
    const red = cards.filter({ hasText: 'registro(s) pendente(s)' });
    expect(await red.getAttribute('class')).toBe('light-red');
    expect(await red.textContent()).toMatch(/Sem contato há .+ com 3 registro\(s\) pendente\(s\)/);

    await axe('devices');
    await shot('08-devices');

    await go('PIX', 'Cobrar com PIX');
    // Without a debtor there is nothing for the txid to name: no code, and the screen says why.
    expect(await page.getByTestId('pix-no-debtor').textContent()).toContain(
      'Abra o PIX pela tela do cliente',
    );
    const ana = debtorIds[0] ?? '';
    await page.goto(`${base}/pix?cliente=${ana}`);
    await page.getByRole('heading', { level: 1, name: 'Cobrar com PIX' }).waitFor();
    await page.getByLabel('Valor').fill('150,00');
    const code = await page.getByTestId('pix-code').inputValue();
    expect(code.startsWith('000201')).toBe(true);
    expect(code).toContain('5406150.00');
    expect(code).toContain(`0525${txidForDebtor(ana)}`);
    await page.getByRole('img', { name: /QR Code PIX de R\$\s150,00/ }).waitFor();
    await axe('pix');
    await shot('09-pix');
    expect(pageErrors).toEqual([]);
  }, 60_000); // the settings screen is big now (editable régua and windows): axe takes a while

  test('review: a stale field fix from a phone is a conflict; keep or restore removes it', async () => {
    const device = testDevice(app, collector.headers, () => new Date());
    const debtorRow = async (id: string) =>
      (
        await db.query<{ version: number; preferred_channel: string | null }>(
          'SELECT version, preferred_channel FROM debtors WHERE id = $1',
          [id],
        )
      )[0];
    const version = async (id: string) => (await debtorRow(id))?.version ?? 0;
    const officeEdit = async (id: string, notes: string) => {
      const res = await call(app, 'PATCH', `/api/debtors/${id}`, {
        headers: owner.headers,
        json: { version: await version(id), notes },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    /** The phone sets `field` (current), the office edits, the phone sets it again from the old base. */
    const staleFix = async (name: string, field: string, first: unknown, stale: unknown) => {
      const id = await createDebtor(app, owner, { name });
      await assign(app, owner, collector.user.id, [id]);
      const base = await version(id);
      const edit = (value: unknown, v: number) =>
        device.mutation(
          'debtor.field_updated',
          id,
          { field, new_value: value },
          { base_version: v },
        );
      const ok = await device.push([edit(first, base)]);
      expect(ok.body.results[0]?.status, JSON.stringify(ok.body)).toBe('applied');
      const seen = await version(id);
      await officeEdit(id, 'atualizado no escritório');
      const late = await device.push([edit(stale, seen)]);
      expect(late.body.results[0]?.status, JSON.stringify(late.body)).toBe('conflict');
      return id;
    };
    const diego = await staleFix('Diego Conflito', 'preferredChannel', 'whatsapp', 'sms');
    const elisa = await staleFix(
      'Elisa Conflito',
      'geoPin',
      { lat: -22.9056, lng: -47.0608 },
      { lat: -22.91, lng: -47.07 },
    );

    await go('Revisão', 'Revisão');
    const items = page.getByTestId('conflict');
    await expect.poll(() => items.count()).toBe(2);
    const diegoItem = items.filter({ hasText: 'Diego Conflito' });
    const diegoText = await diegoItem.textContent();
    for (const part of [
      'Canal preferido',
      'Valor do celular (aplicado): SMS',
      'Valor anterior: WhatsApp',
      'Carlos Cobrador',
    ])
      expect(diegoText).toContain(part);
    await axe('review-conflicts');
    await shot('11-review-conflicts');

    // The office changes Elisa again: restoring would undo that edit, so the server refuses (409).
    await officeEdit(elisa, 'mudou de novo');
    const elisaItem = items.filter({ hasText: 'Elisa Conflito' });
    expect(await elisaItem.textContent()).toContain('Localização no mapa');
    await elisaItem.getByRole('button', { name: 'Restaurar valor anterior' }).click();
    await expect
      .poll(() => elisaItem.getByRole('alert').textContent())
      .toContain('mudou depois desta correção');
    await shot('12-review-conflict-stale');
    expect(await items.count()).toBe(2);
    await elisaItem.getByRole('button', { name: 'Manter valor do celular' }).click();
    await expect.poll(() => items.count()).toBe(1);

    await diegoItem.getByRole('button', { name: 'Restaurar valor anterior' }).click();
    await page.getByText('Nenhum conflito aguardando.').waitFor();
    expect(await items.count()).toBe(0);
    expect((await debtorRow(diego))?.preferred_channel).toBe('whatsapp');
    const resolved = await call<{ items: { debtor: { id: string }; resolution: string }[] }>(
      app,
      'GET',
      '/api/status/conflicts?state=resolved',
      { headers: owner.headers },
    );
    expect(resolved.body.items.map((k) => [k.debtor.id, k.resolution]).sort()).toEqual(
      [
        [diego, 'restore_previous'],
        [elisa, 'keep_applied'],
      ].sort(),
    );
    expect(pageErrors).toEqual([]);
  });

  test('a service-worker update is offered as a prompt and never reloads over a dirty form', async () => {
    await go('Ajustes', 'Ajustes');
    const body = page.getByLabel('Texto', { exact: true });
    await body.waitFor();
    await body.fill('Rascunho que não pode se perder');
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    // Ship a new version: any byte change to sw.js makes the browser install it as "waiting".
    if (!pwa) throw new Error('the server did not start');
    appendFileSync(join(pwa.served, 'sw.js'), '\n// next version\n');
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    await page.getByText('Nova versão disponível.').waitFor();
    await shot('10-update-prompt');
    await page.getByRole('button', { name: 'Atualizar agora' }).click();
    await page.getByText('Salve ou descarte o formulário aberto antes de atualizar.').waitFor();
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await body.inputValue()).toBe('Rascunho que não pode se perder');
    expect(
      await page.evaluate(
        async () => (await navigator.serviceWorker.getRegistration())?.waiting != null,
      ),
    ).toBe(true);

    // Leaving the form (confirmed) clears the dirty flag; now the update applies and reloads.
    page.once('dialog', (d) => void d.accept());
    await go('Início', 'Olá, Rosa Almeida');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Atualizar agora' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: 'Olá, Rosa Almeida' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(
      undefined,
    );
    expect(await page.getByText('Nova versão disponível.').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  test('settings: the owner edits the régua and a state’s contact window; bad input saves nothing', async () => {
    type Policy = {
      version: number;
      value: {
        steps: {
          id: string;
          offsetDays: number;
          channel: string;
          mode: string;
          templateId: string;
        }[];
        stateWindows: Record<string, { weekdays: unknown; saturday: { to: string } | null }>;
      };
    };
    const readPolicy = async () =>
      (await call<Policy>(app, 'GET', '/api/settings/cadence', { headers: owner.headers })).body;
    // A custom template the owner will pick, deleted behind the page's back before the save:
    // only the server can tell, and its problem+json must land beside the step's template.
    const custom = {
      id: 'aviso-extra.sms',
      channel: 'sms',
      tone: 'friendly',
      privacySafe: false,
      body: 'Oi, {{debtor_first_name}}. Sua conta de {{amount_due}} venceu. Para pagar: {{payment_link}}.',
    };
    const made = await call(app, 'PUT', `/api/settings/templates/${custom.id}`, {
      headers: owner.headers,
      json: custom,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);

    await go('Ajustes', 'Ajustes');
    const stepsForm = page.locator('form[aria-labelledby="steps-title"]');
    const steps = stepsForm.getByTestId('cadence-step');
    await expect.poll(() => steps.count()).toBe(9);
    await stepsForm.getByRole('button', { name: 'Adicionar etapa' }).click();
    expect(await steps.count()).toBe(10);
    const added = steps.last();
    const offset = added.getByLabel('Dia (em relação ao vencimento)');
    // The new step's day takes the focus, ready to type.
    expect(await offset.evaluate((el) => el === document.activeElement)).toBe(true);
    await offset.fill('7');
    await added.getByLabel('Canal').selectOption('sms');
    await added.getByLabel('Modo').selectOption('automatic');
    await added.getByLabel('Modelo').selectOption(custom.id);
    await added.scrollIntoViewIfNeeded();
    await shot('13-settings-steps');
    const gone = await call(app, 'DELETE', `/api/settings/templates/${custom.id}`, {
      headers: owner.headers,
    });
    expect(gone.status, JSON.stringify(gone.body)).toBe(200);
    const before = await readPolicy();
    await stepsForm.getByRole('button', { name: 'Salvar' }).click();
    const templateError = stepsForm.locator('#err-steps-9-templateId');
    await expect.poll(() => templateError.textContent()).toContain(custom.id);
    const template = added.getByLabel('Modelo');
    expect(await template.getAttribute('aria-invalid')).toBe('true');
    expect(await template.getAttribute('aria-describedby')).toBe('err-steps-9-templateId');
    expect((await readPolicy()).version).toBe(before.version);

    await template.selectOption('d0.sms');
    expect(await template.getAttribute('aria-invalid')).toBe(null);
    await stepsForm.getByRole('button', { name: 'Salvar' }).click();
    await stepsForm.getByRole('status').filter({ hasText: 'Salvo.' }).waitFor();
    // Saved in day order: the step 7 days after the due date is now the fifth.
    expect(await steps.nth(4).locator('legend').first().textContent()).toBe(
      'Etapa 5 · 7 dias após o vencimento',
    );

    // A rule for SP, Saturdays until noon, saved with the version the step save just produced.
    const windows = page.locator('form[aria-labelledby="win-title"]');
    await windows.getByLabel('Estado (UF)').selectOption('SP');
    await windows.getByRole('button', { name: 'Adicionar estado' }).click();
    await windows.locator('#st-SP-saturday-to').fill('12:00');
    await windows.getByRole('button', { name: 'Salvar' }).click();
    await windows.getByRole('status').filter({ hasText: 'Salvo.' }).waitFor();

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();
    await expect.poll(() => steps.count()).toBe(10);
    const seventh = steps.nth(4);
    expect(await seventh.getByLabel('Dia (em relação ao vencimento)').inputValue()).toBe('7');
    expect(await seventh.getByLabel('Canal').inputValue()).toBe('sms');
    expect(await seventh.getByLabel('Modo').inputValue()).toBe('automatic');
    expect(await seventh.getByLabel('Modelo').inputValue()).toBe('d0.sms');
    expect(await windows.locator('#st-SP-saturday-to').inputValue()).toBe('12:00');
    const saved = await readPolicy();
    expect(saved.value.steps).toContainEqual(
      expect.objectContaining({
        id: 'd+7',
        offsetDays: 7,
        channel: 'sms',
        mode: 'automatic',
        templateId: 'd0.sms',
      }),
    );
    expect(saved.value.steps).toHaveLength(10);
    expect(saved.value.stateWindows.SP?.saturday).toEqual({ from: '08:00', to: '12:00' });

    // Weekdays in SP ending before they start: the error is beside the day, nothing is sent.
    await windows.locator('#st-SP-weekdays-from').fill('18:00');
    await windows.locator('#st-SP-weekdays-to').fill('09:00');
    await windows.getByRole('button', { name: 'Salvar' }).click();
    const rangeError = windows.locator('#err-stateWindows-SP-weekdays');
    await expect
      .poll(() => rangeError.textContent())
      .toBe('O horário final deve ser depois do inicial.');
    const from = windows.locator('#st-SP-weekdays-from');
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    expect(await from.getAttribute('aria-describedby')).toBe('err-stateWindows-SP-weekdays');
    expect(await from.evaluate((el) => el === document.activeElement)).toBe(true);
    const after = await readPolicy();
    expect(after.version).toBe(saved.version);
    expect(after.value.stateWindows.SP?.weekdays).toEqual({ from: '08:00', to: '20:00' });
    await axe('settings-windows-error');
    await shot('14-settings-window-error');
    expect(pageErrors).toEqual([]);
    // A long flow on a big form (axe over ten steps and four weeks of windows): 30 s is tight on a
    // loaded 2-core machine.
  }, 60_000);

  test('settings: creditor identity and PIX key (a bad key saves nothing), negotiation policy, a template the linter flags', async () => {
    await go('Ajustes', 'Ajustes');
    const org = page.locator('form[aria-labelledby="org-title"]');
    const before = await call<{ tradeName: string; pix?: { key: string } }>(
      app,
      'GET',
      '/api/settings/organisation',
      { headers: owner.headers },
    );
    await org.locator('#org-tradeName').fill('Pão Quente Centro');
    await org.locator('#org-pixKeyType').selectOption({ label: 'E-mail' });
    await org.locator('#org-pixKey').fill('isto não é um e-mail');
    await org.getByRole('button', { name: 'Salvar' }).click();
    // The form says nothing was saved; the reason sits under the PIX key, tied to it.
    await expect
      .poll(() => org.getByRole('alert').textContent())
      .toBe('Corrija os campos indicados; nada foi salvo.');
    expect(await org.locator('#err-pixKey').textContent()).toMatch(/chave|e-mail/i);
    expect(await org.locator('#org-pixKey').getAttribute('aria-describedby')).toBe('err-pixKey');
    const unchanged = await call<{ tradeName: string }>(app, 'GET', '/api/settings/organisation', {
      headers: owner.headers,
    });
    expect(unchanged.body.tradeName).toBe(before.body.tradeName);
    await org.locator('#org-pixKey').fill('pix@paoquente.com.br');
    await org.getByRole('button', { name: 'Salvar' }).click();
    await org.getByRole('status').filter({ hasText: 'Salvo.' }).waitFor();
    const saved = await call<{ tradeName: string; pix: { key: string; keyType: string } }>(
      app,
      'GET',
      '/api/settings/organisation',
      { headers: owner.headers },
    );
    expect(saved.body).toMatchObject({
      tradeName: 'Pão Quente Centro',
      pix: { key: 'pix@paoquente.com.br', keyType: 'email' },
    });

    const negotiation = page.locator('form[aria-labelledby="neg-title"]');
    await negotiation.locator('#neg-max').fill('8');
    await negotiation.getByRole('button', { name: 'Salvar' }).click();
    await negotiation.getByRole('status').filter({ hasText: 'Salvo.' }).waitFor();
    const policy = await call<{ value: { maxInstallments: number } }>(
      app,
      'GET',
      '/api/settings/negotiation',
      { headers: owner.headers },
    );
    expect(policy.body.value.maxInstallments).toBe(8);

    // The linter (on the server, with the creditor's data) flags a threat as it is typed.
    const body = page.getByLabel('Texto', { exact: true });
    await body.fill('Pague hoje ou vamos entrar com um processo judicial contra você.');
    await expect
      .poll(() => page.locator('#tpl-findings').textContent(), { timeout: 10_000 })
      .toContain('Ameaça de processo judicial');
    await axe('settings-findings');
    await shot('10-settings-findings');
    // Leave without saving the template (the page is dirty: accept).
    page.once('dialog', (d) => void d.accept());
    await go('Início', 'Olá, Rosa Almeida');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  test('install: the browser offers it, the home screen shows the button, tapping it prompts', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { level: 1, name: 'Olá, Rosa Almeida' }).waitFor();
    const install = page.getByRole('button', { name: 'Instalar o app' });
    expect(await install.count()).toBe(0);
    // What Chromium fires when the app meets the install criteria (not in headless mode).
    await page.evaluate(() => {
      const event = new Event('beforeinstallprompt', { cancelable: true }) as Event & {
        prompt: () => Promise<void>;
        userChoice: Promise<{ outcome: string }>;
      };
      event.prompt = async () => {
        (window as unknown as { prompted: number }).prompted =
          ((window as unknown as { prompted?: number }).prompted ?? 0) + 1;
      };
      event.userChoice = Promise.resolve({ outcome: 'accepted' });
      window.dispatchEvent(event);
    });
    await install.waitFor();
    await install.click();
    await expect.poll(() => install.count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { prompted?: number }).prompted)).toBe(
      1,
    );
  });
});
