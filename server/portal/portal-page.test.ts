/**
 * The debtor's page on both databases, through HTTP as a browser would use it: the first view says
 * nothing about a debt, the identity check opens a short session, the balance is itemised exactly
 * as shared `balanceOn` computes it, the PIX code pays that amount with a matchable txid, and each
 * action is stored as the same fact the office and the phone record.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { balanceOn } from '#shared/charges/balance';
import { formatBRL, cents } from '#shared/money/money';
import { agreementRuleText, DEFAULT_AGREEMENT_RULES } from '#shared/negotiation/agreement-rules';
import { parsePixPayload } from '#shared/pix/pix-payload';
import { pixTxidFor, txidForDebt, txidForDebtor } from '#shared/pix/pix-txid';
import { calendarDate } from '#shared/time/calendar-date';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call } from '#test/helpers/http';
import { cpf, createDebt, createDebtor } from '#test/helpers/ledger';
import { pageClient, pageText, portalLink, setUpCreditor } from '#test/helpers/portal';
import { portalCsp } from './portal-style';

const DEBT_WORDS =
  /d[ií]vida|d[ée]bito|cobran[çc]a|pagamento|pagar|parcela|acordo|vencid|atraso|boleto|pix|negativ|serasa|spc|r\$|juros|multa|quita/i;

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  const clock = testClock('2025-03-10T12:00:00Z');
  let n = 0;

  /** A debtor 30 days late on R$ 1.000,00 (R$ 1.030,00 today), signed in on the page. */
  async function signedIn(
    options: { principal?: number; name?: string; contactPoints?: unknown[] } = {},
  ) {
    n++;
    const document = cpf(8_000 + n);
    const name = options.name ?? `Maria ${n} Oliveira`;
    const id = await createDebtor(app, owner, {
      name,
      document,
      ...(options.contactPoints ? { contactPoints: options.contactPoints } : {}),
    });
    const debt = await createDebt(
      app,
      owner,
      id,
      options.principal ? { principal: options.principal } : {},
    );
    const link = await portalLink(app, owner, id);
    const page = pageClient(app, { ip: `10.20.${n}.1` });
    const first = await page.get(link.path);
    const opened = await page.post(`${link.path}/confirmar`, {
      csrf: page.csrf(first.text),
      doc: document.slice(0, 6),
    });
    expect(opened.status).toBe(303);
    const main = await page.get(link.path);
    expect(main.status).toBe(200);
    return { id, debt, document, name, link, page, main, csrf: page.csrf(main.text) };
  }

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now, trustProxy: true });
    owner = await seedUser(db, 'owner', { name: 'Rosa Almeida', now: clock.now() });
    await setUpCreditor(app, owner);
  });
  afterAll(async () => {
    await db.close();
  });

  describe('before the identity check', () => {
    test('a forwarded link shows the creditor and a neutral line: no name, no amount, no debt word', async () => {
      const document = cpf(8_999);
      const id = await createDebtor(app, owner, { name: 'Joana Prado Sigilosa', document });
      await createDebt(app, owner, id, { description: 'Mensalidade escolar' });
      const link = await portalLink(app, owner, id);
      const res = await pageClient(app, { ip: '10.30.0.1' }).get(link.path);
      expect(res.status).toBe(200);
      const text = pageText(res.text);
      expect(text).toContain('Há um assunto para tratar com Pão Quente.');
      // CDC art. 42-A: who the creditor is.
      expect(text).toContain('Padaria Pão Quente Ltda');
      expect(text).toContain('CNPJ 11.222.333/0001-81');
      expect(text).toContain('Rua das Flores, 123, Centro, Campinas/SP, CEP 13010-000');
      expect(text).toContain('Os 6 primeiros dígitos do CPF ou CNPJ cadastrado');
      for (const secret of [
        'Joana',
        'Prado',
        'Mensalidade',
        '1.030',
        '1.000',
        document.slice(0, 6),
      ])
        expect(res.text).not.toContain(secret);
      expect(text).not.toMatch(DEBT_WORDS);
      expect(res.text).not.toMatch(/<title>[^<]*(Quita|d[ií]vida)/i);
    });

    test('no page without the creditor’s identity to show (CDC art. 42-A)', async () => {
      const bare = await openTestDb(kind);
      try {
        const bareApp = createApp({ db: bare, version: 'test', now: clock.now });
        const res = await pageClient(bareApp).get(`/p/${'a'.repeat(32)}`);
        expect(res.status).toBe(503);
        expect(pageText(res.text)).toContain('Esta página ainda não está disponível.');
      } finally {
        await bare.close();
      }
    });

    test('every answer carries the page’s own CSP and privacy headers; nothing is cached or referred', async () => {
      const { link } = await signedIn();
      for (const res of [
        await pageClient(app, { ip: '10.30.0.2' }).get(link.path),
        await pageClient(app, { ip: '10.30.0.2' }).get('/p/not-a-token'),
      ]) {
        expect(res.headers.get('content-security-policy')).toBe(portalCsp(false));
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      }
      // The inline style and script are exactly the hashed text (a reformat would void the hash).
      const hashOf = (text: string) =>
        `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
      const main = await signedIn();
      const style = /<style>([\s\S]*?)<\/style>/.exec(main.main.text)?.[1] ?? '';
      const script = /<script>([\s\S]*?)<\/script>/.exec(main.main.text)?.[1] ?? '';
      expect(main.main.headers.get('content-security-policy')).toContain(
        `style-src ${hashOf(style)}`,
      );
      expect(main.main.headers.get('content-security-policy')).toContain(
        `script-src ${hashOf(script)}`,
      );
      const csp = portalCsp(true);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-inline|https?:/);
    });

    test('the session cookie is HttpOnly, SameSite=Strict, scoped to the link, Secure behind HTTPS', async () => {
      const document = cpf(8_998);
      const id = await createDebtor(app, owner, { name: 'Cookie Teste', document });
      await createDebt(app, owner, id);
      const link = await portalLink(app, owner, id);
      const page = pageClient(app, { ip: '10.30.0.3' });
      const first = await page.get(link.path, { 'x-forwarded-proto': 'https' });
      const res = await page.post(
        `${link.path}/confirmar`,
        { csrf: page.csrf(first.text), doc: document.slice(0, 6) },
        { 'x-forwarded-proto': 'https', origin: 'https://localhost' },
      );
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('quita_p='));
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Secure/);
      expect(cookie).toContain(`Path=${link.path}`);
    });

    test('forms are refused without the form token or from another site', async () => {
      const { id, link, page, csrf } = await signedIn();
      const plan = { primeiro: '2025-03-10', opcao: 'p3', confirmar: '1', total: '103000' };
      expect((await page.post(`${link.path}/acordo`, { ...plan, csrf: 'x' })).status).toBe(403);
      expect((await page.post(`${link.path}/acordo`, plan)).status).toBe(403);
      expect(
        (
          await page.post(
            `${link.path}/acordo`,
            { ...plan, csrf },
            { origin: 'https://evil.example' },
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await page.post(
            `${link.path}/acordo`,
            { ...plan, csrf },
            { 'sec-fetch-site': 'cross-site' },
          )
        ).status,
      ).toBe(403);
      // A different browser (no cookie) gets the identity check, never the page.
      const stranger = pageClient(app, { ip: '10.30.0.4' });
      const res = await stranger.post(`${link.path}/acordo`, { ...plan, csrf });
      expect(res.status).toBe(401);
      expect(pageText(res.text)).toContain('Confirme de novo');
      expect(await db.query('SELECT 1 FROM agreements WHERE debtor_id = $1', [id])).toEqual([]);
    });

    test('a session opens one link only, and ends after 20 minutes idle', async () => {
      const a = await signedIn();
      const other = await createDebtor(app, owner, { document: cpf(8_997) });
      await createDebt(app, owner, other);
      const b = await portalLink(app, owner, other);
      // The same browser on another debtor's link: its cookie is not even sent there.
      const there = await a.page.get(b.path);
      expect(pageText(there.text)).toContain('Há um assunto para tratar');
      clock.advance(21 * 60_000);
      const later = await a.page.get(a.link.path);
      expect(pageText(later.text)).toContain('Há um assunto para tratar');
      expect(pageText(later.text)).not.toContain(a.name.split(' ')[0] ?? '');
    });
  });

  describe('after the identity check', () => {
    test('the balance is itemised exactly as shared balanceOn computes it, with a PIX code for it', async () => {
      const { debt, main } = await signedIn();
      const expected = balanceOn(
        {
          principal: cents(100_000),
          issueDate: calendarDate('2025-01-08'),
          dueDate: calendarDate('2025-02-08'),
          kind: 'consumer',
          fineBps: 200,
          monthlyInterestBps: 100,
          fees: [],
          graceDays: 0,
        },
        [],
        calendarDate('2025-03-10'),
      );
      const text = pageText(main.text);
      // pageText folds the no-break space Intl puts after "R$".
      const money = (c: number) => formatBRL(cents(c)).replace(/\u00a0/g, ' ');
      expect(text).toContain(`Valor original ${money(expected.principal)}`);
      expect(text).toContain(`Multa (2%) ${money(expected.fine)}`);
      expect(text).toContain(`Juros de mora (1% ao mês) ${money(expected.interest)}`);
      expect(text).toContain(`Total hoje ${money(expected.totalDue)}`);
      expect(expected.totalDue).toBe(103_000);
      expect(text).toContain('30 dias de atraso');
      const code = /<textarea class="pix" id="pix-d0"[^>]*>([^<]+)<\/textarea>/.exec(
        main.text,
      )?.[1];
      const parsed = parsePixPayload(code ?? '');
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.value.amount).toBe(103_000);
      expect(parsed.value.txid).toBe(pixTxidFor(debt));
      expect(parsed.value.key).toBe('11222333000181');
      expect(main.text).toMatch(
        /<svg\s+class="qr"\s+viewBox="0 0 \d+ \d+"\s+role="img"\s+aria-label="QR Code PIX de R\$/,
      );
      expect(main.headers.get('content-security-policy')).toBe(portalCsp(true));
    });

    test('with two debts, one code pays everything (txid of the debtor) and each debt has its own', async () => {
      const { id, debt, link, page } = await signedIn();
      const second = await createDebt(app, owner, id, {
        description: 'Mensalidade março',
        principal: 50_000,
        dueDate: '2025-03-08',
        issueDate: '2025-02-08',
      });
      const html = (await page.get(link.path)).text;
      const code = (name: string) =>
        parsePixPayload(
          new RegExp(`<textarea class="pix" id="${name}"[^>]*>([^<]+)</textarea>`).exec(
            html,
          )?.[1] ?? '',
        );
      const total = code('pix-total');
      const first = code('pix-d0');
      const other = code('pix-d1');
      if (!total.ok || !first.ok || !other.ok) throw new Error('a code does not parse');
      expect(total.value.txid).toBe(txidForDebtor(id));
      expect(first.value.txid).toBe(txidForDebt(debt));
      expect(other.value.txid).toBe(txidForDebt(second));
      expect(total.value.amount).toBe((first.value.amount ?? 0) + (other.value.amount ?? 0));
      expect(pageText(html)).toContain(
        `Pagar tudo de uma vez: ${formatBRL(cents(total.value.amount ?? 0)).replace(/\u00a0/g, ' ')}`,
      );
    });

    test('3 installments: reviewed, then an active agreement with the page as its source', async () => {
      const { id, link, page, csrf } = await signedIn();
      const review = await page.post(`${link.path}/acordo`, {
        csrf,
        primeiro: '2025-03-10',
        opcao: 'p3',
      });
      expect(review.status).toBe(200);
      const text = pageText(review.text);
      expect(text).toContain('3× de R$ 343,34');
      expect(text).toContain('1ª (entrada) 10/03/2025 R$ 343,34');
      expect(text).toContain('2ª 10/04/2025 R$ 343,33');
      expect(text).toContain('3ª 12/05/2025 R$ 343,33');
      // The agreement's own rule (shared/negotiation/agreement-rules.ts), read before accepting.
      expect(text).toContain(
        'Se uma parcela ficar sem pagamento por mais de 5 dias depois do vencimento, o acordo é desfeito.',
      );
      expect(text).toContain(agreementRuleText(DEFAULT_AGREEMENT_RULES, false));
      expect(await db.query('SELECT 1 FROM agreements WHERE debtor_id = $1', [id])).toEqual([]);
      const total = /name="total" value="(\d+)"/.exec(review.text)?.[1] ?? '';
      const done = await page.post(`${link.path}/acordo`, {
        csrf,
        primeiro: '2025-03-10',
        opcao: 'p3',
        total,
        confirmar: '1',
      });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe(`${link.path}?feito=acordo`);
      const [agreement] = await db.query<{
        id: string;
        status: string;
        total_cents: number;
        proposed_by: string | null;
        portal_link_id: string | null;
      }>('SELECT * FROM agreements WHERE debtor_id = $1', [id]);
      expect(agreement).toMatchObject({
        status: 'active',
        total_cents: 103_000,
        proposed_by: null,
      });
      expect(agreement?.portal_link_id).not.toBeNull();
      const installments = await db.query<{ amount_cents: number }>(
        'SELECT amount_cents FROM installments WHERE agreement_id = $1 ORDER BY seq',
        [agreement?.id],
      );
      expect(installments.map((i) => i.amount_cents)).toEqual([34_334, 34_333, 34_333]);
      // The same fact everywhere: the office's debtor view, the change feed, the audit log.
      const office = await call<{ status: string }>(app, 'GET', `/api/debtors/${id}`, {
        headers: owner.headers,
      });
      expect(office.body.status).toBe('acordo');
      expect(
        await db.query(`SELECT 1 FROM changes WHERE entity = 'agreement' AND entity_id = $1`, [
          agreement?.id,
        ]),
      ).toHaveLength(1);
      const [entry] = await db.query<{
        actor_id: string | null;
        ip: string;
        detail: { via: string };
      }>(
        `SELECT actor_id, ip, detail FROM audit_log WHERE action = 'agreement.propose' AND entity_id = $1`,
        [agreement?.id],
      );
      expect(entry).toMatchObject({ actor_id: null, ip: '10.20.' + String(n) + '.1' });
      const after = pageText((await page.get(done.headers.get('location') ?? '')).text);
      expect(after).toContain('Acordo fechado.');
      expect(after).toContain('Seu acordo');
      expect(after).toContain('Parcela a pagar agora: 1ª (entrada) — 10/03/2025');
      expect(after).toContain('Valor: R$ 343,34');
      // No second plan while this one lives.
      expect(after).not.toContain('Parcelar ou pagar à vista');
    });

    test('a plan above the approval limit goes to Revisão and the debtor is told; the owner approves it', async () => {
      const { id, link, page, csrf } = await signedIn({ principal: 1_200_000 });
      const review = await page.post(`${link.path}/acordo`, {
        csrf,
        primeiro: '2025-03-12',
        opcao: 'p6',
      });
      expect(pageText(review.text)).toContain('precisa da aprovação de Pão Quente');
      const total = /name="total" value="(\d+)"/.exec(review.text)?.[1] ?? '';
      const done = await page.post(`${link.path}/acordo`, {
        csrf,
        primeiro: '2025-03-12',
        opcao: 'p6',
        total,
        confirmar: '1',
      });
      expect(done.headers.get('location')).toBe(`${link.path}?feito=proposta`);
      const told = pageText((await page.get(done.headers.get('location') ?? '')).text);
      expect(told).toContain('Proposta enviada. Ela precisa da aprovação de Pão Quente');
      expect(told).toContain('Proposta de acordo em análise');
      const pending = await call<{ items: { id: string; status: string }[] }>(
        app,
        'GET',
        `/api/agreements?debtorId=${id}&status=pending_approval`,
        { headers: owner.headers },
      );
      expect(pending.body.items).toHaveLength(1);
      await call(app, 'POST', `/api/agreements/${pending.body.items[0]?.id}/reject`, {
        headers: owner.headers,
        json: { reason: 'o valor pede uma entrada maior' },
      });
      const rejected = pageText((await page.get(link.path)).text);
      expect(rejected).toContain(
        'Pão Quente não aprovou sua última proposta de acordo: o valor pede uma entrada maior.',
      );
      // Another plan may be chosen; this one the owner approves.
      const again = await page.post(`${link.path}/acordo`, {
        csrf,
        primeiro: '2025-03-12',
        opcao: 'p4',
      });
      const againTotal = /name="total" value="(\d+)"/.exec(again.text)?.[1] ?? '';
      await page.post(`${link.path}/acordo`, {
        csrf,
        primeiro: '2025-03-12',
        opcao: 'p4',
        total: againTotal,
        confirmar: '1',
      });
      const second = await call<{ items: { id: string }[] }>(
        app,
        'GET',
        `/api/agreements?debtorId=${id}&status=pending_approval`,
        { headers: owner.headers },
      );
      await call(app, 'POST', `/api/agreements/${second.body.items[0]?.id}/approve`, {
        headers: owner.headers,
      });
      expect(pageText((await page.get(link.path)).text)).toContain('Seu acordo');
    });

    test('a changed amount between review and confirmation asks again', async () => {
      const { id, link, page, csrf } = await signedIn();
      const done = await page.post(`${link.path}/acordo`, {
        csrf,
        primeiro: '2025-03-10',
        opcao: 'p2',
        total: '1',
        confirmar: '1',
      });
      expect(done.status).toBe(200);
      expect(pageText(done.text)).toContain('Os valores mudaram');
      expect(await db.query('SELECT 1 FROM agreements WHERE debtor_id = $1', [id])).toEqual([]);
      const bad = await page.post(`${link.path}/acordo`, {
        csrf,
        primeiro: '2025-03-10',
        opcao: 'p99',
      });
      expect(bad.status).toBe(422);
      expect(pageText(bad.text)).toContain('Esta opção não está mais disponível');
    });

    test('a promise within the rules pauses the régua; outside them it is explained', async () => {
      const { id, link, page, csrf } = await signedIn();
      const low = await page.post(`${link.path}/promessa`, {
        csrf,
        data: '2025-03-15',
        valor: '5,00',
      });
      expect(low.status).toBe(422);
      expect(pageText(low.text)).toContain('abaixo do mínimo de R$ 10,00');
      const far = await page.post(`${link.path}/promessa`, {
        csrf,
        data: '2025-05-01',
        valor: '100,00',
      });
      expect(pageText(far.text)).toContain('Escolha uma das datas da lista.');
      const ok = await page.post(`${link.path}/promessa`, {
        csrf,
        data: '2025-03-15',
        valor: '1.030,00',
      });
      expect(ok.headers.get('location')).toBe(`${link.path}?feito=promessa`);
      const [promise] = await db.query<{
        amount_cents: number;
        created_by: string | null;
        promised_on: string;
      }>('SELECT * FROM promises WHERE debtor_id = $1', [id]);
      expect(promise).toMatchObject({
        amount_cents: 103_000,
        created_by: null,
        promised_on: '2025-03-15',
      });
      const office = await call<{ status: string; cadence: { state: string } }>(
        app,
        'GET',
        `/api/debtors/${id}`,
        { headers: owner.headers },
      );
      expect(office.body.status).toBe('promessa');
      const after = pageText((await page.get(`${link.path}?feito=promessa`)).text);
      expect(after).toContain('Combinado: pagamento de R$ 1.030,00 até 15/03/2025.');
    });

    test('a new due date beyond the promise window is a request for the office', async () => {
      const { id, link, page, csrf } = await signedIn();
      const bad = await page.post(`${link.path}/vencimento`, { csrf, data: '2025-03-01' });
      expect(bad.status).toBe(422);
      const ok = await page.post(`${link.path}/vencimento`, {
        csrf,
        data: '2025-05-05',
        motivo: 'Recebo o salário só em maio.',
      });
      expect(ok.status).toBe(303);
      expect(
        await db.query<{ requested_on: string; status: string }>(
          'SELECT requested_on, status FROM due_date_requests WHERE debtor_id = $1',
          [id],
        ),
      ).toEqual([{ requested_on: '2025-05-05', status: 'open' }]);
      const again = pageText((await page.get(link.path)).text);
      expect(again).toContain('Pedido de nova data (05/05/2025) em análise.');
      expect(again).not.toContain('Pedir outra data de vencimento');
      // The office sees it in its list and on the timeline, and grants it: a promise for that date.
      const open = await call<{ items: { id: string; debtor: { id: string }; reason: string }[] }>(
        app,
        'GET',
        '/api/portal/requests',
        { headers: owner.headers },
      );
      const request = open.body.items.find((r) => r.debtor.id === id);
      expect(request?.reason).toBe('Recebo o salário só em maio.');
      const timeline = await call<{ events: { type: string }[] }>(
        app,
        'GET',
        `/api/debtors/${id}/timeline`,
        { headers: owner.headers },
      );
      expect(timeline.body.events.map((e) => e.type)).toContain('due_date_request');
      const granted = await call<{ status: string }>(
        app,
        'POST',
        `/api/portal/requests/${request?.id}/grant`,
        { headers: owner.headers, json: { note: 'Combinado.' } },
      );
      expect(granted.body.status).toBe('granted');
      const twice = await call(app, 'POST', `/api/portal/requests/${request?.id}/refuse`, {
        headers: owner.headers,
        json: { note: 'não' },
      });
      expect(twice.status).toBe(409);
      const [promise] = await db.query<{
        promised_on: string;
        amount_cents: number;
        created_by: string;
      }>('SELECT promised_on, amount_cents, created_by FROM promises WHERE debtor_id = $1', [id]);
      expect(promise).toEqual({
        promised_on: '2025-05-05',
        amount_cents: 103_000,
        created_by: owner.user.id,
      });
      const answered = pageText((await page.get(link.path)).text);
      expect(answered).toContain('O pedido de nova data (05/05/2025) foi aceito.');
      expect(answered).toContain('Você combinou pagar R$ 1.030,00 até 5 de maio de 2025.');
    });

    test('a refused request tells the debtor why', async () => {
      const { id, link, page, csrf } = await signedIn();
      await page.post(`${link.path}/vencimento`, { csrf, data: '2025-06-10' });
      const [row] = await db.query<{ id: string }>(
        'SELECT id FROM due_date_requests WHERE debtor_id = $1',
        [id],
      );
      const refused = await call(app, 'POST', `/api/portal/requests/${row?.id}/refuse`, {
        headers: owner.headers,
        json: { note: 'Podemos parcelar em até 12 vezes.' },
      });
      expect(refused.status).toBe(200);
      expect(pageText((await page.get(link.path)).text)).toContain(
        'O pedido de nova data (10/06/2025) não foi aceito: Podemos parcelar em até 12 vezes.',
      );
    });

    test('a dispute ("já paguei") pauses the collection of that debt; "outro motivo" needs words', async () => {
      const { id, debt, link, page, csrf } = await signedIn();
      const empty = await page.post(`${link.path}/contestacao`, {
        csrf,
        divida: debt,
        motivo: 'other',
      });
      expect(empty.status).toBe(422);
      expect(pageText(empty.text)).toContain('Conte o que aconteceu.');
      const ok = await page.post(`${link.path}/contestacao`, {
        csrf,
        divida: debt,
        motivo: 'already_paid',
        descricao: 'Paguei no dia 9 pelo app do banco.',
      });
      expect(ok.status).toBe(303);
      const [dispute] = await db.query<{
        reason: string;
        opened_by: string | null;
        description: string;
      }>('SELECT * FROM disputes WHERE debtor_id = $1', [id]);
      expect(dispute).toMatchObject({ reason: 'already_paid', opened_by: null });
      const office = await call<{ status: string }>(app, 'GET', `/api/debtors/${id}`, {
        headers: owner.headers,
      });
      expect(office.body.status).toBe('disputa');
      const after = pageText((await page.get(link.path)).text);
      expect(after).toContain('Em contestação: aguardando a resposta de Pão Quente.');
      expect(after).toContain('Contestação em análise (Já paguei)');
    });

    test('contact preferences: preferred channel and hours, channels refused; the office’s own blocks stay', async () => {
      const { id, link, page, csrf, main } = await signedIn({
        contactPoints: [
          { kind: 'phone', value: '(19) 99876-5432', isWhatsapp: true },
          { kind: 'email', value: 'outra.pessoa@example.com' },
        ],
      });
      // Contact points are shown masked: enough to recognise, not to read out.
      const shown = pageText(main.text);
      expect(shown).toContain('(19) •••••-5432');
      expect(shown).toContain('o•••••••••••@example.com');
      expect(main.text).not.toContain('99876-5432');
      const points = await db.query<{ id: string; kind: string }>(
        'SELECT id, kind FROM contact_points WHERE debtor_id = $1',
        [id],
      );
      const phoneId = points.find((p) => p.kind === 'phone')?.id ?? '';
      const emailId = points.find((p) => p.kind === 'email')?.id ?? '';
      await db.query(`UPDATE debtors SET blocked_channels = '{visit}' WHERE id = $1`, [id]);
      const bad = await page.post(`${link.path}/preferencias`, {
        csrf,
        canal: 'sms',
        das: '18:00',
        ate: '09:00',
        bloquear: ['sms'],
      });
      expect(bad.status).toBe(422);
      const badText = pageText(bad.text);
      expect(badText).toContain('O horário de início deve ser antes do horário de término.');
      const ok = await page.post(`${link.path}/preferencias`, {
        csrf,
        canal: 'whatsapp',
        das: '09:00',
        ate: '12:00',
        bloquear: ['phone', 'email'],
        [`contato-${phoneId}`]: 'meu',
        [`contato-${emailId}`]: 'nao',
      });
      expect(ok.status).toBe(303);
      // "É meu" verifies the point (source: the debtor's page); "não é meu" marks it wrong.
      const verified = await db.query<{
        kind: string;
        verification: string;
        verification_source: string;
      }>(
        'SELECT kind, verification, verification_source FROM contact_points WHERE debtor_id = $1 ORDER BY kind',
        [id],
      );
      expect(verified).toEqual([
        { kind: 'email', verification: 'wrong', verification_source: 'debtor_page' },
        { kind: 'phone', verification: 'verified', verification_source: 'debtor_page' },
      ]);
      const [row] = await db.query<{
        preferred_channel: string;
        preferred_hours: unknown;
        blocked_channels: string[];
      }>('SELECT * FROM debtors WHERE id = $1', [id]);
      expect(row?.preferred_channel).toBe('whatsapp');
      expect(row?.preferred_hours).toEqual({ from: '09:00', to: '12:00' });
      expect([...(row?.blocked_channels ?? [])].sort()).toEqual(['email', 'phone', 'visit']);
    });

    test('leaving ends the session', async () => {
      const { link, page, csrf, name } = await signedIn();
      const out = await page.post(`${link.path}/sair`, { csrf });
      expect(out.status).toBe(303);
      const after = pageText((await page.get(link.path)).text);
      expect(after).toContain('Há um assunto para tratar');
      expect(after).not.toContain(name.split(' ')[0] ?? '');
    });
  });
});
