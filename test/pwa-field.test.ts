/**
 * The collector's phone as it is used in the street, in real headless Chromium against the real
 * server serving the built app: the day's route on one screen (seven rows and more visible at
 * 360×640, measured from the DOM, and "Abrir rota" with the visits in list order), the PIX QR
 * decoded by jsQR from a full-page screenshot with its amount on screen, "Prometeu pagar"
 * continuing into a pre-filled promise, radios and checkboxes on one row with their labels
 * (measured), the guarded sign-out, the device named at registration and renamed by the owner,
 * and the whole app signing in and saving over plain http on a LAN name (no secure context:
 * no crypto.randomUUID, no async clipboard).
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../server/db/db';
import { seedUser, TEST_PASSWORD, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import { expectAxeClean, screenshot, startPwaServer, type PwaServer } from './helpers/pwa-browser';
import { openTestDb } from './helpers/test-db';
import { readQr } from './helpers/portal-browser';

const DAY = 86_400_000;
const spDay = (days: number) =>
  new Date(Date.now() - 3 * 3_600_000 + days * DAY).toISOString().slice(0, 10);

describe('the collector in the street', () => {
  let db: Db;
  let pwa: PwaServer | undefined;
  let browser: Browser;
  let owner: SeededUser;
  let collector: SeededUser;
  const visitIds: string[] = [];

  async function phone(base: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: { width: 360, height: 640 },
      deviceScaleFactor: 1,
      locale: 'pt-BR',
      timezoneId: 'America/Sao_Paulo',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${base}/`);
    await page.getByLabel('E-mail').fill(collector.user.email);
    await page.getByLabel('Senha').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Olá, Carlos Campo' }).waitFor();
    await page.getByTestId('sync-indicator').waitFor();
    await expect.poll(() => page.getByTestId('first-sync').count(), { timeout: 60_000 }).toBe(0);
    return { context, page };
  }

  beforeAll(async () => {
    db = await openTestDb('pglite');
    pwa = await startPwaServer(db);
    owner = await seedUser(db, 'owner', { name: 'Rosa Almeida' });
    collector = await seedUser(db, 'collector', { name: 'Carlos Campo' });
    const put = await call(pwa.app, 'PUT', '/api/settings/organisation', {
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
    // Twelve debtors 20 days late (the d+15 visit is due), in twelve bairros, plus eight more.
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = await createDebtor(pwa.app, owner, {
        name: `Cliente ${String(i + 1).padStart(2, '0')}`,
        address: {
          street: 'Rua A',
          number: String(i + 1),
          district: `Bairro ${i + 1}`,
          city: 'Campinas',
          state: 'SP',
          postalCode: '13010-000',
        },
      });
      await createDebt(pwa.app, owner, id, {
        issueDate: spDay(-200),
        dueDate: spDay(i < 12 ? -20 - i : -2),
        principal: 61_230 + i * 100,
      });
      ids.push(id);
      if (i < 12) visitIds.push(id);
    }
    await assign(pwa.app, owner, collector.user.id, ids);
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
        // quita.lan is this machine: plain http on a LAN name, not a secure context.
        '--host-resolver-rules=MAP quita.lan 127.0.0.1',
      ],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await pwa?.close();
    await db?.close();
  });

  test(
    "the route on one screen: seven rows and more at 360×640, each in words, and the day's visits in the map app",
    { timeout: 180_000 },
    async () => {
      const { context, page } = await phone(pwa?.base ?? '');
      try {
        await page.getByRole('navigation').getByRole('link', { name: 'Hoje', exact: true }).click();
        await page.locator('[data-live="true"]').waitFor();
        // Measured: rows whose whole box is inside the 640 px viewport, with no scrolling.
        const visible = await page.evaluate(
          () =>
            [...document.querySelectorAll('.vrow')].filter((row) => {
              const r = row.getBoundingClientRect();
              return r.top >= 0 && r.bottom <= innerHeight && r.height > 0;
            }).length,
        );
        expect(visible).toBeGreaterThanOrEqual(7);
        // Each row: name, amount, next action and bairro in words, how late.
        const top = page.locator('.vrow').first();
        expect(await top.locator('.name').textContent()).toMatch(/^Cliente \d\d$/);
        expect(await top.locator('.amount').textContent()).toMatch(/^R\$\s[\d.]+,\d{2}$/);
        expect(await top.locator('[data-queue]').textContent()).toBe('Visitar');
        expect(await top.getByTestId('row-where').textContent()).toMatch(/ · Bairro \d+$/);
        expect(await top.locator('.due').textContent()).toMatch(/^\d+ dias em atraso$/);
        // The page is the scroll: no scroll box inside it.
        const scrollBoxes = await page.evaluate(
          () =>
            [...document.querySelectorAll('main *')].filter((el) => {
              const s = getComputedStyle(el);
              return /auto|scroll/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1;
            }).length,
        );
        expect(scrollBoxes).toBe(0);
        // "Abrir rota": the visits due, in list order, as one directions link (≤ 10 stops).
        const route = page.getByTestId('route-link');
        expect(await route.textContent()).toBe('Abrir rota (10)');
        const url = new URL((await route.getAttribute('href')) ?? '');
        expect(url.origin + url.pathname).toBe('https://www.google.com/maps/dir/');
        const stops = [
          ...(url.searchParams.get('waypoints') ?? '').split('|'),
          url.searchParams.get('destination') ?? '',
        ];
        expect(stops).toHaveLength(10);
        const names = await page.locator('.vrow .name').allTextContents();
        const order = (await page.locator('.vrow [data-testid="row-where"]').allTextContents()).map(
          (w) => w.replace(' · ', ''),
        );
        expect(stops.map((s) => /Bairro \d+/.exec(s)?.[0])).toEqual(order.slice(0, 10));
        expect(names.slice(0, 10).every((n) => /^Cliente \d\d$/.test(n))).toBe(true);
        await expectAxeClean(page, 'today-route');
        await screenshot(page, '40-collector-route');
      } finally {
        await context.close();
      }
    },
  );

  test(
    'PIX: QR and copy-and-paste above the fold, the QR decoded from a screenshot, its amount on screen',
    { timeout: 180_000 },
    async () => {
      const { context, page } = await phone(pwa?.base ?? '');
      try {
        await page.goto(`${pwa?.base}/pix?valor=61230&cliente=${visitIds[0]}`);
        await page.getByTestId('pix-code').waitFor();
        const code = await page.getByTestId('pix-code').inputValue();
        expect(code).toMatch(/^000201.*5406612\.30.*6304[0-9A-F]{4}$/);
        expect(await page.getByTestId('pix-amount-shown').textContent()).toMatch(/^R\$\s612,30$/);
        // Above the fold: the QR and the copy button end inside the first 640 px.
        const bottom = await page.evaluate(() =>
          Math.max(
            ...[document.querySelector('svg.qr'), document.querySelector('.pix-copy button')].map(
              (el) => el?.getBoundingClientRect().bottom ?? Infinity,
            ),
          ),
        );
        expect(bottom).toBeLessThanOrEqual(640);
        // A full-page screenshot, decoded as a customer's camera would read the screen.
        const png = await page.screenshot({ fullPage: true });
        const decoded = await readQr(page, png);
        expect(decoded).toBe(code);
        // Full screen: the QR alone, larger, with the amount and the brightness hint.
        await page.getByRole('button', { name: 'Tela cheia' }).click();
        const dialog = page.getByRole('dialog', { name: 'QR Code PIX em tela cheia' });
        await dialog.waitFor();
        expect(await page.getByTestId('pix-full-amount').textContent()).toMatch(/^R\$\s612,30$/);
        expect(await dialog.textContent()).toContain('brilho da tela ao máximo');
        const size = await dialog
          .locator('svg.qr')
          .evaluate((el) => el.getBoundingClientRect().width);
        expect(size).toBeGreaterThan(300);
        expect(await readQr(page, await page.screenshot({ fullPage: true }))).toBe(code);
        await screenshot(page, '41-collector-pix-full-screen');
        await page.getByRole('button', { name: 'Fechar' }).click();
        await expect.poll(() => dialog.count()).toBe(0);
      } finally {
        await context.close();
      }
    },
  );

  test(
    'a visit saved as "Prometeu pagar" continues into the promise, pre-filled; radios sit on one row with their labels',
    { timeout: 180_000 },
    async () => {
      const { context, page } = await phone(pwa?.base ?? '');
      try {
        await page.goto(`${pwa?.base}/cliente?id=${visitIds[0]}`);
        await page.getByTestId('debtor-balance').waitFor();
        expect(await page.getByTestId('debtor-address').textContent()).toContain(
          'Rua A, 1 - Bairro 1, Campinas - SP, 13010-000',
        );
        const map = new URL((await page.getByTestId('map-link').getAttribute('href')) ?? '');
        expect(map.searchParams.get('query')).toBe('Rua A, 1 - Bairro 1, Campinas - SP, 13010-000');
        await page.getByRole('button', { name: 'Visita', exact: true }).click();
        // Each radio and its label on one row: vertically centred on each other, side by side,
        // the whole row at least 48 px tall (a thumb's target).
        const rows = await page.locator('label.choice').evaluateAll((labels) =>
          labels.map((label) => {
            const box = label.getBoundingClientRect();
            const input = label.querySelector('input')?.getBoundingClientRect();
            const text = label.querySelector('span')?.getBoundingClientRect();
            return {
              height: box.height,
              centres:
                input && text
                  ? Math.abs(input.top + input.height / 2 - (text.top + text.height / 2))
                  : 99,
              sideBySide: input && text ? input.right <= text.left : false,
              inputSize: input ? input.width : 0,
              // A long label may wrap between words, never inside one ("Mudou-/se").
              lines: text ? Math.round(text.height / 22) : 0,
              overflows: label.querySelector('span')
                ? (label.querySelector('span') as HTMLElement).scrollWidth >
                  (label.querySelector('span') as HTMLElement).clientWidth
                : true,
            };
          }),
        );
        expect(rows.length).toBeGreaterThanOrEqual(8);
        for (const r of rows) {
          expect(r.height).toBeGreaterThanOrEqual(48);
          expect(r.centres).toBeLessThan(4);
          expect(r.sideBySide).toBe(true);
          expect(r.inputSize).toBeLessThan(30);
          expect(r.lines).toBeLessThanOrEqual(2);
          expect(r.overflows).toBe(false);
        }
        await page.getByLabel('Prometeu pagar').check();
        await page.getByRole('button', { name: 'Salvar visita' }).click();
        await page.getByTestId('promise-from-visit').waitFor();
        // Pre-filled: the balance shown on the screen, a date a week ahead, the amount focused.
        const balance = ((await page.getByTestId('debtor-balance').textContent()) ?? '').match(
          /R\$\s([\d.]+,\d{2})/,
        )?.[1];
        expect(await page.getByLabel('Valor prometido').inputValue()).toBe(
          balance?.replace(/\./g, ''),
        );
        expect(await page.getByLabel('Data prometida').inputValue()).toBe(spDay(7));
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('promise-amount');
        await page.getByRole('button', { name: 'Salvar promessa' }).click();
        await page.getByTestId('form-saved').waitFor();
        await expect
          .poll(
            async () =>
              (
                await db.query<{ n: number }>(
                  'SELECT count(*)::int AS n FROM promises WHERE debtor_id = $1',
                  [visitIds[0]],
                )
              )[0]?.n,
            { timeout: 20_000 },
          )
          .toBe(1);
        // A negative down payment says why "Enviar proposta" is off.
        await page.getByRole('button', { name: 'Proposta de acordo', exact: true }).click();
        await page.getByLabel('Entrada').fill('-10');
        expect(await page.locator('#ag-down-error').textContent()).toMatch(
          /^O valor "-10" é negativo/,
        );
        expect(await page.getByLabel('Entrada').getAttribute('aria-invalid')).toBe('true');
        expect(await page.getByRole('button', { name: 'Enviar proposta' }).isDisabled()).toBe(true);
        // 100 installments: the reason first, the schedule compact.
        await page.getByLabel('Entrada').fill('');
        await page.getByLabel('Parcelas').fill('100');
        expect(await page.locator('#ag-count-error').textContent()).toContain('o máximo é 12');
        expect(await page.getByTestId('schedule').locator('li').count()).toBeLessThanOrEqual(4);
        await expectAxeClean(page, 'agreement-refused');
      } finally {
        await context.close();
      }
    },
  );

  test(
    'sign-out waits for unsent work: the count, "Enviar agora", then out',
    { timeout: 180_000 },
    async () => {
      const { context, page } = await phone(pwa?.base ?? '');
      try {
        await page.goto(`${pwa?.base}/cliente?id=${visitIds[1]}`);
        await page.getByTestId('debtor-balance').waitFor();
        await context.setOffline(true);
        await page.getByRole('button', { name: 'Visita', exact: true }).click();
        await page.getByLabel('Não estava').check();
        await page.getByRole('button', { name: 'Salvar visita' }).click();
        await page.getByTestId('form-saved').waitFor();
        await page.getByRole('button', { name: 'Sair' }).click();
        const guard = page.getByTestId('signout-guard');
        await guard.waitFor();
        expect(await page.getByTestId('signout-count').textContent()).toContain('1 registro');
        const send = guard.getByRole('button', { name: 'Enviar agora' });
        expect(await send.isDisabled()).toBe(true);
        await expectAxeClean(page, 'sign-out-guard');
        await screenshot(page, '42-collector-sign-out-guard');
        // Still signed in; back online, "Enviar agora" sends, then sign-out goes through.
        expect(await page.getByTestId('sync-indicator').count()).toBe(1);
        await context.setOffline(false);
        // The engine may send on its own as the connection returns; otherwise the button does.
        const heading = () => guard.locator('h2').textContent();
        await expect
          .poll(
            async () =>
              (await heading()) === 'Tudo enviado' ||
              ((await send.count()) > 0 && (await send.isEnabled())),
            { timeout: 20_000 },
          )
          .toBe(true);
        if ((await send.count()) > 0) await send.click().catch(() => undefined);
        await expect
          .poll(() => guard.locator('h2').textContent(), { timeout: 30_000 })
          .toBe('Tudo enviado');
        await guard.getByRole('button', { name: 'Sair', exact: true }).click();
        await page.getByRole('heading', { level: 1, name: 'Entrar' }).waitFor();
      } finally {
        await context.close();
      }
    },
  );

  test(
    'over plain http on a LAN name: signs in, names the device, saves a payment; the owner renames the phone',
    { timeout: 180_000 },
    async () => {
      const port = new URL(pwa?.base ?? '').port;
      const { context, page } = await phone(`http://quita.lan:${port}`);
      try {
        expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
        await page.goto(`http://quita.lan:${port}/cliente?id=${visitIds[2]}`);
        await page.getByTestId('debtor-balance').waitFor();
        await page.getByRole('button', { name: 'Pagamento recebido', exact: true }).click();
        await page.getByLabel('Valor recebido').fill('20,00');
        await page.getByRole('button', { name: 'Salvar pagamento' }).click();
        const receipt = page.getByTestId('receipt');
        await receipt.waitFor();
        const text = (await receipt.textContent()) ?? '';
        expect(text).toContain('Padaria Pão Quente Ltda');
        expect(text).toContain('CNPJ 11.222.333/0001-81');
        expect(text).toMatch(/Saldo restante: R\$\s[\d.]+,\d{2}/);
        expect(text).toContain('Cobrador: Carlos Campo');
        expect(text).toMatch(/Aguardando confirmação/);
        // Copying works without the async clipboard (not a secure context).
        await page.getByRole('button', { name: 'Copiar texto' }).click();
        await page.getByText('Recibo copiado.').waitFor();
        await expect
          .poll(
            async () =>
              (
                await db.query<{ n: number }>(
                  `SELECT count(*)::int AS n FROM payments WHERE debtor_id = $1`,
                  [visitIds[2]],
                )
              )[0]?.n,
            { timeout: 30_000 },
          )
          .toBe(1);
      } finally {
        await context.close();
      }
      // Every phone of Carlos registered with a name; distinct ones.
      const devices = await call<{ items: { deviceId: string; name: string }[] }>(
        pwa?.app as PwaServer['app'],
        'GET',
        '/api/status/devices',
        { headers: owner.headers },
      );
      const names = devices.body.items.map((d) => d.name);
      expect(names.length).toBeGreaterThanOrEqual(2);
      expect(new Set(names).size).toBe(names.length);
      for (const name of names) expect(name).toMatch(/ de Carlos( \(\d+\))?$/);
      const target = devices.body.items[0];
      const renamed = await call(
        pwa?.app as PwaServer['app'],
        'PATCH',
        `/api/status/devices/${target?.deviceId}`,
        {
          headers: owner.headers,
          json: { name: '  Moto G de Carlos ' },
        },
      );
      expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
      const blank = await call(
        pwa?.app as PwaServer['app'],
        'PATCH',
        `/api/status/devices/${target?.deviceId}`,
        {
          headers: owner.headers,
          json: { name: '   ' },
        },
      );
      expect(blank.status).toBe(422);
      const after = await call<{ items: { deviceId: string; name: string }[] }>(
        pwa?.app as PwaServer['app'],
        'GET',
        '/api/status/devices',
        { headers: owner.headers },
      );
      expect(after.body.items.find((d) => d.deviceId === target?.deviceId)?.name).toBe(
        'Moto G de Carlos',
      );
    },
  );
});
