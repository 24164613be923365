/**
 * The whole loop, from a reminder to money reconciled, in real headless Chromium against the real
 * server on a real port, on PGlite and on PostgreSQL (the debtor's page with JavaScript on PGlite
 * and with JavaScript disabled on PostgreSQL: the page needs no script), with the collector's phone
 * as the PWA's own Dexie database and sync engine over HTTP and the server's clock injected:
 *
 * 1. the owner's own WhatsApp reminder for the day after the due date carries {{payment_link}};
 *    the queue (GET /api/cadence/today) renders it with the debtor's page link;
 * 2. the debtor opens it: the first view shows the creditor only; the identity check; the balance;
 *    "3×" reviewed with the agreement's rule in words (what a missed installment does), confirmed;
 * 3. the agreement is active on the server and, after a sync, on the collector's phone;
 * 4. the debtor's page shows the first installment's PIX; its txid (read from the code the page
 *    showed) comes back in a bank statement: the owner uploads the OFX in Revisão and the credit is
 *    confirmed automatically; the page then reads the first installment as paid;
 * 5. the clock moves past the second installment's last day to pay: the break job marks the
 *    agreement broken; the régua resumes on what is left (a debt step, not an installment step,
 *    with the debt's balance less what was paid); the phone pulls the break; the owner reads it in
 *    Revisão → Acordos desfeitos.
 * One browser and one PWA build for the file; screenshots in test-output/screenshots/loop-*.png.
 */
import 'fake-indexeddb/auto';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { balanceOn } from '#shared/charges/balance';
import { cents, formatBRL } from '#shared/money/money';
import { parsePixPayload } from '#shared/pix/pix-payload';
import { defaultTemplate } from '#shared/templates/default-templates';
import type { CalendarDate } from '#shared/time/calendar-date';
import { issueToken } from '../server/auth/tokens.repo';
import { sweepAgreements } from '../server/agreements/agreement-job';
import type { Db } from '../server/db/db';
import { seedUser, testClock, TEST_PASSWORD, type SeededUser } from './helpers/auth';
import { assign, cpf, createDebt, createDebtor } from './helpers/ledger';
import { ofxFile } from './helpers/ofx';
import { setUpCreditor } from './helpers/portal';
import { expectAxeCleanUnderCsp, phoneOf } from './helpers/portal-browser';
import { SHOTS, startPwaServer, type PwaServer } from './helpers/pwa-browser';
import { forEachDb, openTestDb } from './helpers/test-db';

const DAY = 86_400_000;

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** 'YYYY-MM-DD' in São Paulo for an instant. */
function spDate(at: Date): string {
  return new Date(at.getTime() - 3 * 3_600_000).toISOString().slice(0, 10);
}

/** "dd/mm/aaaa" as the screens print a day. */
function br(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
}

forEachDb((kind) => {
  const javaScript = kind === 'pglite';
  describe(`the whole loop (${kind}, debtor's page with JavaScript ${javaScript ? 'on' : 'off'})`, () => {
    let db: Db;
    let pwa: PwaServer | undefined;
    let base: string;
    const clock = testClock(new Date());
    let owner: SeededUser;
    let collector: SeededUser;
    const errors: string[] = [];
    const http = { request: (p: string, i?: RequestInit) => fetch(`${base}${p}`, i) };

    /** Bearer headers that outlive the clock's jump (a session token would expire). */
    async function longHeaders(user: SeededUser): Promise<SeededUser> {
      const { token } = await db.transaction((tx) =>
        issueToken(tx, {
          userId: user.user.id,
          kind: 'session',
          now: clock.now(),
          expiresAt: new Date(clock.now().getTime() + 365 * DAY),
        }),
      );
      return { ...user, token, headers: { authorization: `Bearer ${token}` } };
    }

    async function api<T>(user: SeededUser, path: string): Promise<T> {
      const res = await fetch(`${base}${path}`, { headers: user.headers });
      expect(res.status, path).toBe(200);
      return (await res.json()) as T;
    }

    function watch(page: Page, label: string) {
      page.on('console', (m) => {
        if (m.type() === 'error' && !/status of 422/.test(m.text()))
          errors.push(`${label}: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`${label}: ${String(e)}`));
    }

    const shot = (page: Page, name: string) =>
      page.screenshot({ path: join(SHOTS, `loop-${name}-${kind}.png`), fullPage: true });

    async function ownerPage(): Promise<Page> {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: 'pt-BR',
        timezoneId: 'America/Sao_Paulo',
      });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      watch(page, 'owner');
      await page.goto(`${base}/`);
      await page.getByLabel('E-mail').fill(owner.user.email);
      await page.getByLabel('Senha', { exact: true }).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Entrar' }).click();
      await page.getByRole('heading', { level: 1, name: 'Olá, Rosa Almeida' }).waitFor();
      await page
        .getByRole('navigation')
        .getByRole('link', { name: 'Revisão', exact: true })
        .click();
      await page.getByRole('heading', { level: 2, name: 'Conciliação bancária' }).waitFor();
      return page;
    }

    beforeAll(async () => {
      db = await openTestDb(kind);
      pwa = await startPwaServer(db, { now: clock.now });
      base = pwa.base;
      owner = await longHeaders(await seedUser(db, 'owner', { name: 'Rosa Almeida' }));
      collector = await longHeaders(await seedUser(db, 'collector', { name: 'Carlos Campo' }));
      await setUpCreditor(http, owner);
      // The owner's words for the day after the due date, with the debtor's page in them.
      const template = defaultTemplate('d+1.whatsapp');
      const saved = await fetch(`${base}/api/settings/templates/d+1.whatsapp`, {
        method: 'PUT',
        headers: { ...owner.headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          ...template,
          body: 'Oi, {{debtor_first_name}}, tudo bem? Aqui é da {{creditor_name}}. Ainda não identificamos o pagamento da sua conta de {{amount_due}}, que venceu em {{due_date}}. Para ver, pagar por PIX ou parcelar: {{payment_link}}',
        }),
      });
      expect(saved.status, await saved.text()).toBe(200);
    }, 180_000);
    afterAll(async () => {
      await pwa?.close();
      await db?.close();
    });

    test('reminder → page → 3× → phone → OFX auto-confirmed → missed → broken, régua resumed, owner sees it', async () => {
      const today = spDate(clock.now());
      const document = cpf(kind === 'pglite' ? 7_301 : 7_302);
      const name = 'Denise Farias Lopes';
      const debtorId = await createDebtor(http, owner, {
        name,
        document,
        contactPoints: [{ kind: 'email', value: 'denise.lopes@example.com.br', verified: true }],
      });
      const issued = spDate(new Date(clock.now().getTime() - 31 * DAY));
      const due = spDate(new Date(clock.now().getTime() - 1 * DAY));
      const debtId = await createDebt(http, owner, debtorId, {
        description: 'Mensalidade de fevereiro',
        issueDate: issued,
        dueDate: due,
      });
      await assign(http, owner, collector.user.id, [debtorId]);
      const phone = await phoneOf(base, collector);

      // 1. The reminder in the owner's queue carries the debtor's own page.
      const queue = await api<{ items: { debtor: { id: string } }[] }>(owner, '/api/cadence/today');
      expect(queue.items.map((i) => i.debtor.id)).toContain(debtorId);
      // The page lists the item; opening it renders its message (and mints the link).
      const opened = await api<{ item: { message?: { body: string } } }>(
        owner,
        `/api/cadence/today/${debtorId}`,
      );
      const reminder = opened.item.message?.body ?? '';
      const link = new RegExp(`${base}/p/[A-Za-z0-9_-]{32}`).exec(reminder)?.[0];
      expect(link, reminder).toBeDefined();

      // 2. The debtor opens it.
      const context = await browser.newContext({
        viewport: { width: 360, height: 640 },
        locale: 'pt-BR',
        timezoneId: 'America/Sao_Paulo',
        javaScriptEnabled: javaScript,
      });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      watch(page, 'debtor');
      await page.goto(link ?? '');
      await page
        .getByRole('heading', { level: 1, name: 'Há um assunto para tratar com Pão Quente.' })
        .waitFor();
      const first = await page.locator('body').innerText();
      for (const secret of ['Denise', 'Mensalidade', 'R$', 'dívida'])
        expect(first).not.toContain(secret);
      await page
        .getByLabel('Os 6 primeiros dígitos do CPF ou CNPJ cadastrado')
        .fill(document.slice(0, 6));
      await page.getByRole('button', { name: 'Continuar' }).click();
      await page.getByRole('heading', { level: 1, name: 'Olá, Denise.' }).waitFor();
      await page.getByText('Parcelar ou pagar à vista').click();
      await page.getByLabel(/^3×/).check();
      await page.getByRole('button', { name: 'Ver as datas e confirmar' }).click();
      await page.getByRole('heading', { name: 'Confira o acordo' }).waitFor();
      // The rule, in words, before the debtor accepts.
      await page
        .getByText(
          'Se uma parcela ficar sem pagamento por mais de 5 dias depois do vencimento, o acordo é desfeito.',
        )
        .waitFor();
      await shot(page, '1-review');
      if (javaScript) await expectAxeCleanUnderCsp(page, 'review');
      await page.getByRole('button', { name: 'Confirmar acordo' }).click();
      await page.getByRole('status').getByText('Acordo fechado.').waitFor();
      await page.getByRole('heading', { name: 'Seu acordo' }).waitFor();
      await page.getByText('Regra do acordo:').waitFor();

      // 3. Active on the server, and on the phone after its sync.
      const { items } = await api<{
        items: {
          id: string;
          status: string;
          installments: { number: number; dueDate: string; amount: number }[];
        }[];
      }>(owner, `/api/agreements?debtorId=${debtorId}`);
      expect(items).toHaveLength(1);
      const agreement = items[0];
      if (!agreement) throw new Error('no agreement');
      expect(agreement.status).toBe('active');
      const amounts = agreement.installments.map((i) => i.amount);
      expect(amounts).toHaveLength(3);
      const [entrada = 0] = amounts;
      expect(agreement.installments[0]?.dueDate).toBe(today);
      await phone.engine.requestSync('manual');
      const pulled = async () =>
        (await phone.db.table('facts').where('debtor_id').equals(debtorId).toArray())
          .filter((f: { type: string }) => f.type === 'agreement')
          .map((f: { data: Record<string, unknown> }) => f.data);
      expect(await pulled()).toMatchObject([
        { status: 'active', total: amounts.reduce((a, b) => a + b, 0) },
      ]);

      // 4. The first installment's PIX as the page shows it, paid, on the bank's statement.
      const codes = page.getByLabel('PIX copia e cola');
      expect(await codes.count()).toBe(1);
      const code = await codes.inputValue();
      const parsed = parsePixPayload(code);
      if (!parsed.ok) throw new Error(parsed.message);
      expect(parsed.value.amount).toBe(entrada);
      const txid = parsed.value.txid ?? '';
      expect(txid).toMatch(/^QP[0-9A-F]{23}$/);
      await shot(page, '2-agreement');

      const office = await ownerPage();
      await office.getByLabel(/Extrato do banco/).setInputFiles({
        name: 'extrato.ofx',
        mimeType: 'application/x-ofx',
        buffer: Buffer.from(
          ofxFile([
            {
              fitid: `LOOP-${kind}-1`,
              date: today,
              amount: entrada,
              memo: `PIX RECEBIDO ${txid} DENISE F LOPES`,
            },
          ]),
        ),
      });
      await office.getByRole('button', { name: 'Conciliar extrato' }).click();
      await expect
        .poll(() => office.getByTestId('bank-summary').textContent())
        .toBe(
          'Créditos no extrato: 1 — conciliados automaticamente: 1; para revisar: 0; sem correspondência: 0; já conciliados antes: 0.',
        );
      const auto = office.getByTestId('credit-auto').filter({ hasText: name });
      await expect.poll(() => auto.count()).toBe(1);
      await shot(office, '3-ofx-confirmed');
      await page.reload();
      const schedule = page.getByRole('table', { name: 'Parcelas do acordo' });
      await expect
        .poll(() => schedule.getByRole('row').nth(1).innerText())
        .toMatch(/1ª \(entrada\)[\s\S]*paga/);
      await expect
        .poll(() => schedule.getByRole('row').nth(2).innerText())
        .toMatch(/2ª[\s\S]*a vencer/);

      // 5. The second installment is missed: past its due date + 5 days, the agreement breaks.
      const second = agreement.installments[1]?.dueDate ?? '';
      const target = Date.parse(`${second}T15:00:00Z`) + 7 * DAY;
      clock.advance(target - clock.now().getTime());
      // Sessions idle that long have ended: the office and the phone sign in again.
      Object.assign(owner, await longHeaders(owner));
      Object.assign(collector, await longHeaders(collector));
      const swept = await sweepAgreements(db, clock.now());
      expect(swept.broken.map((b) => b.id)).toContain(agreement.id);
      const after = await api<{ items: { status: string; brokenOn: string }[] }>(
        owner,
        `/api/agreements?debtorId=${debtorId}`,
      );
      const lastDay = spDate(new Date(Date.parse(`${second}T12:00:00Z`) + 5 * DAY));
      const brokenOn = spDate(new Date(Date.parse(`${lastDay}T12:00:00Z`) + DAY));
      expect(after.items[0]).toMatchObject({ status: 'broken', brokenOn });
      // The régua resumes on what is left: a step of the debt (not an installment's), with the
      // original balance (no concessions were granted) less the installment paid.
      const now = spDate(clock.now()) as CalendarDate;
      const left = balanceOn(
        {
          principal: cents(100_000),
          issueDate: issued as CalendarDate,
          dueDate: due as CalendarDate,
          kind: 'consumer',
          fineBps: 200,
          monthlyInterestBps: 100,
          fees: [],
          graceDays: 0,
        },
        [{ date: today as CalendarDate, amount: cents(entrada) }],
        now,
      ).totalDue;
      const resumed = await api<{
        items: {
          debtor: { id: string };
          step: { installment: unknown };
          amountDue?: number;
          message?: { body: string };
        }[];
      }>(owner, '/api/cadence/today');
      expect(
        resumed.items.some((i) => i.debtor.id === debtorId),
        'the régua resumed',
      ).toBe(true);
      const step = (
        await api<{ item: (typeof resumed.items)[number] }>(owner, `/api/cadence/today/${debtorId}`)
      ).item;
      expect(step?.step.installment).toBeNull();
      // The reminder's amount is what is left, not the debt as if nothing had been paid.
      expect(step?.message?.body.replace(/\s/g, ' ')).toContain(
        formatBRL(cents(left)).replace(/\s/g, ' '),
      );
      const view = await api<{ totals: { totalDue: number }; debts: { id: string }[] }>(
        owner,
        `/api/debtors/${debtorId}`,
      );
      expect(view.debts.map((d) => d.id)).toEqual([debtId]);
      expect(view.totals.totalDue).toBe(left);
      // The phone pulls the break.
      await phone.engine.requestSync('manual');
      expect(await pulled()).toMatchObject([{ status: 'broken' }]);
      phone.db.close();
      // The owner reads it in Revisão.
      const later = await ownerPage();
      const broken = later.getByTestId('agreement-broken').filter({ hasText: name });
      await expect.poll(() => broken.count()).toBe(1);
      expect(await broken.innerText()).toContain(`desfeito em ${br(brokenOn)}`);
      await broken.scrollIntoViewIfNeeded();
      await shot(later, '4-owner-broken');
      // And the debtor's page (a new link: the first one expired meanwhile) shows the debt again
      // with what is left, instead of the agreement.
      const issuedLink = await fetch(`${base}/api/debtors/${debtorId}/portal-links`, {
        method: 'POST',
        headers: owner.headers,
      });
      const renewed = ((await issuedLink.json()) as { url: string }).url;
      const again = await browser.newContext({
        viewport: { width: 360, height: 640 },
        locale: 'pt-BR',
        timezoneId: 'America/Sao_Paulo',
        javaScriptEnabled: javaScript,
      });
      const debtorAgain = await again.newPage();
      watch(debtorAgain, 'debtor-after');
      await debtorAgain.goto(renewed);
      await debtorAgain
        .getByLabel('Os 6 primeiros dígitos do CPF ou CNPJ cadastrado')
        .fill(document.slice(0, 6));
      await debtorAgain.getByRole('button', { name: 'Continuar' }).click();
      const table = debtorAgain.getByRole('table', {
        name: 'Composição do valor de Mensalidade de fevereiro',
      });
      await expect
        .poll(async () =>
          (await table.getByRole('row', { name: /Total hoje/ }).innerText()).replace(/\s/g, ' '),
        )
        .toContain(formatBRL(cents(left)).replace(/\s/g, ' '));
      await shot(debtorAgain, '5-debtor-after-break');
      await again.close();
      await later.context().close();
      await office.context().close();
      await context.close();
      expect(errors).toEqual([]);
    }, 300_000);
  });
});
