/**
 * The office in the app, in real headless Chromium against the real server (built PWA, PGlite):
 * - the owner at 1280×800 and staff at 360×640 each find a debtor (accent-free search), read the
 *   whole story (imported address with a map link, itemised balance, every kind of event in
 *   words), fix a phone and mark it WhatsApp + verified in one tap, and record a counter payment;
 * - the owner adds a collector (a weak password refused in pt-BR, as typed and by the server) and
 *   makes a one-time reset link that a fresh browser uses to set a new password, once;
 * - the collector's phone, after sync, shows the WhatsApp link for the number the office fixed and
 *   verified.
 * axe-core on every screen; screenshots under test-output/screenshots; no raw code, English word
 * or "undefined" on any screen.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cents, formatBRL } from '#shared/money/money';
import type { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { seedUser, TEST_PASSWORD, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { assign, cpf, createDebt } from './helpers/ledger';
import { contactWindowMorning } from './helpers/pwa-contact';
import { expectAxeClean, screenshot, startPwaServer, type PwaServer } from './helpers/pwa-browser';
import { testDevice, visitPayload } from './helpers/sync';
import { openTestDb } from './helpers/test-db';

const DAY = 86_400_000;
const STRONG = 'jabuticaba no quintal 1987';

function spDay(days: number): string {
  return new Date(Date.now() - 3 * 3_600_000 + days * DAY).toISOString().slice(0, 10);
}

/** Codes and words that must never reach a person's screen. */
const RAW =
  /\b(undefined|null|NaN|em_dia|unverified|verified|wrong|cash|pending|confirmed|negativacao|protesto_|reminder|negotiation|preventive|do_not_contact|step_due|waiting|outbound|inbound|not_home|pending_approval|requested|removal_pending|whatsapp|sms|email|owner|staff|collector|Loading|Save|Search)\b/;

async function expectNoRawText(page: Page, name: string): Promise<void> {
  const text = await page.locator('main').innerText();
  expect(RAW.exec(text)?.[0] ?? null, `${name}: raw text on screen`).toBeNull();
}

const brlText = (n: number) => formatBRL(cents(n));

describe('the office in the app (Chromium)', () => {
  let db: Db;
  let pwa: PwaServer | undefined;
  let app: ReturnType<typeof createApp>;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let owner: SeededUser;
  let staff: SeededUser;
  let carlos: SeededUser;
  let maria: string;
  let jose: string;

  async function open(width: number, height: number, clockAt?: number): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height },
      deviceScaleFactor: 1,
      locale: 'pt-BR',
      timezoneId: 'America/Sao_Paulo',
    });
    if (clockAt !== undefined) await context.clock.install({ time: clockAt });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        pageErrors.push(m.text());
    });
    return page;
  }

  async function signIn(page: Page, email: string, password: string, name: string) {
    await page.goto(`${base}/`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Senha', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { level: 1, name: `Olá, ${name}` }).waitFor();
  }

  async function go(page: Page, label: string, heading: string) {
    await page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  }

  async function check(page: Page, name: string) {
    await expectAxeClean(page, name);
    await expectNoRawText(page, name);
    await screenshot(page, name);
  }

  async function totalDue(id: string): Promise<number> {
    const res = await call<{ totals: { totalDue: number } }>(
      app,
      'GET',
      `/api/debtors/${id}/story`,
      {
        headers: owner.headers,
      },
    );
    return res.body.totals.totalDue;
  }

  beforeAll(async () => {
    db = await openTestDb('pglite');
    pwa = await startPwaServer(db);
    ({ app, base } = pwa);
    owner = await seedUser(db, 'owner', {
      email: 'rosa@padaria.example.com.br',
      name: 'Rosa Almeida',
    });
    staff = await seedUser(db, 'staff', {
      email: 'sandra@padaria.example.com.br',
      name: 'Sandra Lopes',
    });
    carlos = await seedUser(db, 'collector', {
      email: 'carlos@padaria.example.com.br',
      name: 'Carlos Campo',
    });
    const h = owner.headers;
    const put = await call(app, 'PUT', '/api/settings/organisation', {
      headers: h,
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

    // Maria comes from a spreadsheet: free-text address, a landline typed where her mobile is.
    const csv = [
      'external_id,name,document,email,phone,address,city,state,debt_id,description,amount,due_date',
      `CLI-77,Maria da Conceição,${cpf(7001)},maria.conceicao@exemplo.com.br,(81) 3333-4444,Rua do Sol 45 casa 2,Olinda,PE,CLI-77-1,Mensalidade de setembro,480.00,${spDay(-70)}`,
      `CLI-77,Maria da Conceição,${cpf(7001)},maria.conceicao@exemplo.com.br,(81) 3333-4444,Rua do Sol 45 casa 2,Olinda,PE,CLI-77-2,Mensalidade de outubro,480.00,${spDay(-40)}`,
    ].join('\n');
    const imported = await call(app, 'POST', '/api/import/debtors', {
      headers: { ...h, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const [row] = await db.query<{ id: string }>(
      `SELECT id FROM debtors WHERE external_id = 'CLI-77'`,
    );
    maria = row?.id ?? '';
    const [debt1, debt2] = (
      await db.query<{ id: string }>('SELECT id FROM debts WHERE debtor_id = $1 ORDER BY due_on', [
        maria,
      ])
    ).map((r) => r.id);
    await assign(app, owner, carlos.user.id, [maria]);
    const ok = async (path: string, json: unknown) => {
      const res = await call<{ id: string }>(app, 'POST', path, { headers: h, json });
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBeLessThan(300);
      return res.body?.id;
    };
    // The whole story: a field visit, an SMS, a payment, a promise (later cancelled), an
    // agreement proposal with installments, a written notice and a negativação request.
    const device = testDevice(app, carlos.headers, () => new Date());
    await device.sync();
    const pushed = await device.push([device.mutation('visit.recorded', maria, visitPayload())]);
    expect(pushed.status).toBe(200);
    await ok('/api/contacts', {
      debtorId: maria,
      channel: 'sms',
      override: { reason: 'lembrete combinado' },
    });
    await ok('/api/payments', { debtId: debt1, date: spDay(-20), amount: 10_000, method: 'pix' });
    const promise = await ok('/api/promises', {
      debtorId: maria,
      debtIds: [debt1],
      amount: 20_000,
      dueDate: spDay(5),
      channel: 'phone',
    });
    await ok(`/api/promises/${promise}/cancel`, { reason: 'cliente pediu parcelamento' });
    await ok('/api/notices', {
      debtorId: maria,
      debtId: debt1,
      purpose: 'negativacao',
      method: 'registered_letter',
      sentTo: 'Rua do Sol 45 casa 2 – Olinda/PE',
      sentOn: spDay(-30),
      amountStated: 48_000,
    });
    await ok('/api/escalations', { debtorId: maria, debtId: debt1, kind: 'negativacao' });
    await ok('/api/agreements', {
      debtorId: maria,
      debtIds: [debt2],
      downPayment: 10_000,
      installments: 3,
      firstDueDate: spDay(10),
    });

    // José: created in the office with no phone, assigned to Carlos.
    const created = await call<{ id: string }>(app, 'POST', '/api/debtors', {
      headers: h,
      json: {
        kind: 'person',
        name: 'José Pereira',
        document: cpf(7002),
        address: {
          street: 'Rua B',
          number: '20',
          district: 'Centro',
          city: 'Campinas',
          state: 'SP',
          postalCode: '13010-100',
        },
      },
    });
    expect(created.status).toBe(201);
    jose = created.body.id;
    await createDebt(app, owner, jose, {
      issueDate: spDay(-200),
      dueDate: spDay(-12),
      principal: 35_000,
    });
    await assign(app, owner, carlos.user.id, [jose]);

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await pwa?.close();
    await db?.close();
  }, 120_000);

  test('owner at 1280×800: find, read the whole story, fix a phone, WhatsApp + verified, counter payment', async () => {
    const page = await open(1280, 800);
    await signIn(page, 'rosa@padaria.example.com.br', TEST_PASSWORD, 'Rosa Almeida');
    await go(page, 'Devedores', 'Devedores');
    await page.getByLabel('Nome, CPF/CNPJ, telefone, e-mail ou código').fill('conceicao');
    await page.getByRole('button', { name: 'Buscar' }).click();
    const result = page.getByRole('link', { name: 'Maria da Conceição' });
    await result.waitFor();
    await check(page, 'office-01-debtors-1280');
    await result.click();
    await page.getByRole('heading', { level: 1, name: 'Maria da Conceição' }).waitFor();
    await page.getByTestId('timeline').locator('li').first().waitFor();

    // The imported address, with a map link.
    expect(await page.getByTestId('address-line').textContent()).toBe(
      'Rua do Sol 45 casa 2 – Olinda/PE',
    );
    const map = page.getByRole('link', { name: 'Ver no mapa' });
    expect(await map.getAttribute('href')).toContain('Rua%20do%20Sol%2045');
    // Every kind of event, in words, with who recorded it.
    const timeline = (await page.getByTestId('timeline').innerText()).replace(/\s+/g, ' ');
    for (const words of [
      'Visita',
      'ninguém em casa',
      'SMS · Nós contatamos · enviado',
      'Pagamento',
      'R$ 100,00 · PIX',
      'Promessa',
      'R$ 200,00 para',
      'cancelada',
      'Acordo',
      'Parcela 1: R$',
      'Notificação',
      'Negativação · Carta registrada (AR)',
      'Negativação/protesto',
      'Negativação · solicitada',
      'por Rosa Almeida',
      'por Carlos Campo',
    ])
      expect(timeline).toContain(words);
    expect(await page.getByTestId('total-due').textContent()).toBe(brlText(await totalDue(maria)));
    expect(await page.getByTestId('cadence').innerText()).toMatch(/Por quê: /);
    expect(await page.getByTestId('collector').textContent()).toContain('Carlos Campo');
    await check(page, 'office-02-story-1280');

    // Fix the landline into her mobile, mark it WhatsApp, then verified in one tap.
    const point = page.getByTestId('point-+558133334444');
    await point.getByRole('button', { name: 'Corrigir' }).click();
    await point.getByLabel('Número ou e-mail').fill('(81) 99123-4567');
    await point.getByLabel('Tem WhatsApp').check();
    await point.getByRole('button', { name: 'Salvar' }).click();
    const fixed = page.getByTestId('point-+5581991234567');
    await fixed.waitFor();
    expect(await fixed.innerText()).toContain('Não verificado');
    await fixed.getByRole('button', { name: 'Confirmar que é do devedor' }).click();
    await expect.poll(() => fixed.innerText()).toContain('Verificado');
    expect(await fixed.locator('.badge.wa').textContent()).toBe('WhatsApp');
    const [audited] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'contact_point.verification' AND entity_id = $1`,
      [maria],
    );
    expect(audited?.n).toBe(1);

    // A payment received at the counter: the balance is recomputed by the server.
    const before = await totalDue(maria);
    await page.getByText('Pagamento no balcão').click();
    await page.getByLabel('Valor (R$)').fill('50,00');
    await page.getByLabel('Forma de pagamento').selectOption('cash');
    await page.getByRole('button', { name: 'Registrar pagamento' }).click();
    await page.getByText('Pagamento registrado; o saldo foi recalculado.').waitFor();
    await expect.poll(() => totalDue(maria)).toBe(before - 5_000);
    await expect
      .poll(() => page.getByTestId('total-due').textContent())
      .toBe(brlText(before - 5_000));
    await check(page, 'office-03-story-after-1280');
  }, 120_000);

  test('staff at 360×640: find by CPF, read, mark the phone WhatsApp + verified, counter payment', async () => {
    const page = await open(360, 640);
    await signIn(page, staff.user.email, TEST_PASSWORD, 'Sandra Lopes');
    await go(page, 'Devedores', 'Devedores');
    await page.getByLabel('Nome, CPF/CNPJ, telefone, e-mail ou código').fill(cpf(7002).slice(0, 6));
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.getByRole('link', { name: 'José Pereira' }).waitFor();
    await check(page, 'office-04-debtors-360');
    await page.getByRole('link', { name: 'José Pereira' }).click();
    await page.getByRole('heading', { level: 1, name: 'José Pereira' }).waitFor();
    // Staff see no merge and no People screen.
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Pessoas' }).count()).toBe(
      0,
    );
    // Staff add his mobile: the WhatsApp box comes ticked (a mobile is presumed on WhatsApp).
    await page.getByText('Adicionar contato', { exact: true }).first().click();
    await page.locator('#np-value').fill('(19) 98888-1234');
    await expect.poll(() => page.getByLabel('Tem WhatsApp').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Adicionar contato' }).click();
    const point = page.getByTestId('point-+5519988881234');
    await point.waitFor();
    expect(await point.locator('.badge.wa').textContent()).toBe('WhatsApp');
    expect(await point.innerText()).toContain('Não verificado');
    await point.getByRole('button', { name: 'Confirmar que é do devedor' }).click();
    await expect.poll(() => point.innerText()).toContain('Verificado');
    const before = await totalDue(jose);
    await page.getByText('Pagamento no balcão').click();
    await page.getByLabel('Valor (R$)').fill('20');
    await page.getByRole('button', { name: 'Registrar pagamento' }).click();
    await page.getByText('Pagamento registrado; o saldo foi recalculado.').waitFor();
    await expect.poll(() => totalDue(jose)).toBe(before - 2_000);
    await page.getByTestId('address-line').scrollIntoViewIfNeeded();
    await check(page, 'office-05-story-360');
  }, 120_000);

  test("the collector's phone shows the WhatsApp link for the verified number after sync", async () => {
    const phone = await open(360, 640, contactWindowMorning());
    await signIn(phone, 'carlos@padaria.example.com.br', TEST_PASSWORD, 'Carlos Campo');
    await go(phone, 'Hoje', 'Hoje');
    await phone.getByRole('link', { name: /José Pereira/ }).click();
    await phone.getByRole('heading', { level: 1, name: 'José Pereira' }).waitFor();
    const wa = phone.getByTestId('link-whatsapp');
    await wa.waitFor();
    const href = (await wa.getAttribute('href')) ?? '';
    expect(href).toMatch(/^https:\/\/wa\.me\/5519988881234\?text=/);
    // Verified: the message may carry the amount and names the creditor.
    expect(decodeURIComponent(href)).toContain('Pão Quente');
    await screenshot(phone, 'office-06-collector-whatsapp-360');
  }, 120_000);

  test('owner: add a collector (weak password refused in pt-BR), make a reset link, the person uses it once', async () => {
    const page = await open(1280, 800);
    await signIn(page, 'rosa@padaria.example.com.br', TEST_PASSWORD, 'Rosa Almeida');
    await go(page, 'Pessoas', 'Pessoas');
    await page.getByLabel('Nome', { exact: true }).fill('Joana Nova');
    await page.getByLabel('E-mail').fill('joana.nova@padaria.example.com.br');
    await page.getByLabel('Papel', { exact: true }).selectOption('collector');
    await page.getByLabel('Senha inicial').fill('joananova2025');
    // The strength check arrives with its own chunk and answers as she types.
    await expect
      .poll(() => page.locator('#np-password-hint').textContent(), { timeout: 20_000 })
      .toMatch(/^senha fraca/);
    await page.getByRole('button', { name: 'Adicionar', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/senha fraca/);
    await page.getByLabel('Senha inicial').fill(STRONG);
    await expect.poll(() => page.locator('#np-password-hint').textContent()).toMatch(/^Pelo menos/);
    await page.getByRole('button', { name: 'Adicionar', exact: true }).click();
    await page.getByText('Pessoa adicionada.').waitFor();
    const joana = page.getByTestId('person-joana.nova@padaria.example.com.br');
    await joana.waitFor();
    expect(await joana.getByLabel('Mudar papel').inputValue()).toBe('collector');
    await check(page, 'office-07-people-1280');

    await joana.getByRole('button', { name: 'Criar link para nova senha' }).click();
    const url = (await joana.getByTestId('reset-link').textContent()) ?? '';
    expect(url).toMatch(new RegExp(`^${base}/redefinir-senha#quita_reset_`));
    await joana.getByRole('button', { name: 'Aparelhos e acessos' }).click();
    await joana.getByTestId('access').waitFor();
    await check(page, 'office-08-people-access-1280');

    // Joana opens the link on her phone, with no session.
    const phone = await open(360, 640);
    await phone.goto(url);
    await phone.getByRole('heading', { level: 1, name: 'Nova senha' }).waitFor();
    await phone.getByText('Joana Nova').waitFor();
    await phone.getByLabel('Nova senha', { exact: true }).fill('joana12345');
    await expect
      .poll(() => phone.locator('#reset-password-hint').textContent(), { timeout: 20_000 })
      .toMatch(/^senha fraca/);
    await phone.getByLabel('Nova senha', { exact: true }).fill(`${STRONG} da Joana`);
    await phone.getByLabel('Repita a nova senha').fill(`${STRONG} da Joana`);
    await check(phone, 'office-09-reset-360');
    await phone.getByRole('button', { name: 'Salvar a nova senha' }).click();
    await expect
      .poll(() => phone.locator('main').innerText(), { timeout: 20_000 })
      .toContain('Senha alterada. Entre com a nova senha.');
    await check(phone, 'office-10-reset-done-360');
    const login = await call(app, 'POST', '/api/auth/login', {
      json: { email: 'joana.nova@padaria.example.com.br', password: `${STRONG} da Joana` },
    });
    expect(login.status).toBe(200);
    // The same link, again (a new tab): refused in words.
    const again = await phone.context().newPage();
    await again.goto(url);
    await expect
      .poll(() => again.getByRole('alert').textContent())
      .toBe('este link já foi usado; peça um novo ao proprietário');

    // The People screen on a phone too.
    const small = await open(360, 640);
    await signIn(small, 'rosa@padaria.example.com.br', TEST_PASSWORD, 'Rosa Almeida');
    await go(small, 'Pessoas', 'Pessoas');
    await small.getByTestId('person-joana.nova@padaria.example.com.br').waitFor();
    await check(small, 'office-11-people-360');
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
