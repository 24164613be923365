/**
 * The debtor's page links and their guards on both databases: one current link per debtor reused
 * by every caller, the lifetime from settings, renewal a week before expiry, revocation, nothing
 * but a hash and a nonce in the database, and the limits on token guessing and identity answers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { assign, cpf, createDebt, createDebtor } from '#test/helpers/ledger';
import { CREDITOR, pageClient, pageText, portalLink, setUpCreditor } from '#test/helpers/portal';
import { testDevice } from '#test/helpers/sync';
import { hashPortalToken } from './portal-token';

const DAY = 86_400_000;
const MINUTE = 60_000;

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  let collector: SeededUser;
  const clock = testClock('2025-03-10T12:00:00Z');
  let n = 0;

  /** A debtor with a document and an open debt; answers its id and document. */
  async function debtor(): Promise<{ id: string; document: string }> {
    n++;
    const document = cpf(7_000 + n);
    const id = await createDebtor(app, owner, { name: `Cliente ${n} Souza`, document });
    await createDebt(app, owner, id);
    return { id, document };
  }

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now, trustProxy: true });
    owner = await seedUser(db, 'owner', { now: clock.now() });
    collector = await seedUser(db, 'collector', { now: clock.now() });
    await setUpCreditor(app, owner);
  });
  afterAll(async () => {
    await db.close();
  });

  describe('one link everywhere', () => {
    // First in the file: the clock is still Monday 09:00 in São Paulo, inside the contact window.
    test('the cadence queue, the collector’s feed and the extension’s endpoint carry the same link', async () => {
      const document = cpf(6_999);
      const id = await createDebtor(app, owner, {
        name: 'Lúcia Mensagem',
        document,
        contactPoints: [{ kind: 'email', value: 'lucia@example.com', verified: true }],
      });
      // 5 days late: the d+5 reminder e-mail, whose default template carries {{payment_link}}.
      await createDebt(app, owner, id, { dueDate: '2025-03-05', issueDate: '2025-02-05' });
      await assign(app, owner, collector.user.id, [id]);
      // The queue page lists the item; opening it renders the message (and mints the link).
      const queue = await call<{ items: { debtor: { id: string } }[] }>(
        app,
        'GET',
        '/api/cadence/today',
        { headers: owner.headers },
      );
      expect(queue.body.items.map((i) => i.debtor.id)).toContain(id);
      const opened = await call<{ item: { message: { body: string } | null } }>(
        app,
        'GET',
        `/api/cadence/today/${id}`,
        { headers: owner.headers },
      );
      const item = opened.body.item;
      const url = /http:\/\/localhost\/p\/[A-Za-z0-9_-]{32}/.exec(item?.message?.body ?? '')?.[0];
      expect(url, JSON.stringify(item)).toBeDefined();
      const phone = testDevice(app, collector.headers, clock.now);
      await phone.sync();
      const pulled = phone.state.get(`debtor:${id}`) as { portalLink?: { url: string } };
      expect(pulled.portalLink?.url).toBe(url);
      expect((await portalLink(app, collector, id)).url).toBe(url);
      // An outside payment page, once configured, wins (shared stepFacts): the queue carries it.
      const put = await call(app, 'PUT', '/api/settings/organisation', {
        headers: owner.headers,
        json: { ...CREDITOR, paymentLinkTemplate: 'https://pague.example/{txid}' },
      });
      expect(put.status).toBe(200);
      const outside = await call<{ item: { message: { body: string } | null } }>(
        app,
        'GET',
        `/api/cadence/today/${id}`,
        { headers: owner.headers },
      );
      const body = outside.body.item.message?.body ?? '';
      expect(body).toContain('https://pague.example/');
      expect(body).not.toContain('/p/');
      await setUpCreditor(app, owner);
    });
  });

  describe('links', () => {
    test('one current link per debtor: every caller gets the same URL, 30 days by default, only a hash stored', async () => {
      const d = await debtor();
      await assign(app, owner, collector.user.id, [d.id]);
      const first = await portalLink(app, owner, d.id);
      const again = await portalLink(app, collector, d.id);
      expect(again.url).toBe(first.url);
      expect(first.url).toMatch(/^http:\/\/localhost\/p\/[A-Za-z0-9_-]{32}$/);
      expect(first.expiresAt).toBe(new Date(clock.now().getTime() + 30 * DAY).toISOString());
      const rows = await db.query<{ token_hash: string; nonce: string; created_by: string }>(
        'SELECT * FROM portal_links WHERE debtor_id = $1',
        [d.id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.token_hash).toBe(hashPortalToken(first.token));
      // The token itself is nowhere in the database, not even in the audit log.
      const dump = JSON.stringify(await db.query('SELECT * FROM portal_links'));
      const audit = JSON.stringify(await db.query('SELECT * FROM audit_log'));
      expect(dump).not.toContain(first.token);
      expect(audit).not.toContain(first.token);
      expect(
        await db.query(
          `SELECT actor_id FROM audit_log WHERE action = 'portal.link.issue' AND detail->>'debtorId' = $1`,
          [d.id],
        ),
      ).toHaveLength(2);
    });

    test('the lifetime comes from the portal settings; a link with less than a week left is renewed', async () => {
      const bad = await call(app, 'PUT', '/api/settings/portal', {
        headers: owner.headers,
        json: { linkDays: 3 },
      });
      expectProblem(bad, 422, 'validation', 'linkDays');
      const put = await call(app, 'PUT', '/api/settings/portal', {
        headers: owner.headers,
        json: { linkDays: 14 },
      });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      const d = await debtor();
      const first = await portalLink(app, owner, d.id);
      expect(first.expiresAt).toBe(new Date(clock.now().getTime() + 14 * DAY).toISOString());
      clock.advance(6 * DAY);
      expect((await portalLink(app, owner, d.id)).url).toBe(first.url);
      clock.advance(2 * DAY);
      const renewed = await portalLink(app, owner, d.id);
      expect(renewed.url).not.toBe(first.url);
      // The old link still opens until it really expires.
      expect((await pageClient(app, { ip: '10.1.0.1' }).get(first.path)).status).toBe(200);
      clock.advance(7 * DAY);
      expect((await pageClient(app, { ip: '10.1.0.1' }).get(first.path)).status).toBe(410);
      await call(app, 'PUT', '/api/settings/portal', {
        headers: owner.headers,
        json: { linkDays: 30 },
      });
    });

    test('revoking ends the link and its sessions; the next message carries a new one', async () => {
      const d = await debtor();
      const link = await portalLink(app, owner, d.id);
      const page = pageClient(app, { ip: '10.2.0.1' });
      const first = await page.get(link.path);
      const ok = await page.post(`${link.path}/confirmar`, {
        csrf: page.csrf(first.text),
        doc: d.document.slice(0, 6),
      });
      expect(ok.status).toBe(303);
      expect(pageText((await page.get(link.path)).text)).toContain('Total hoje');
      const revoked = await call<{ revoked: number }>(
        app,
        'DELETE',
        `/api/debtors/${d.id}/portal-links`,
        { headers: owner.headers },
      );
      expect(revoked.body.revoked).toBe(1);
      const gone = await page.get(link.path);
      expect(gone.status).toBe(410);
      expect(pageText(gone.text)).not.toContain('Total hoje');
      const list = await call<{ items: { status: string; verifiedAt: string | null }[] }>(
        app,
        'GET',
        `/api/debtors/${d.id}/portal-links`,
        { headers: owner.headers },
      );
      expect(list.body.items[0]).toMatchObject({ status: 'revoked' });
      expect(list.body.items[0]?.verifiedAt).not.toBeNull();
      expect((await portalLink(app, owner, d.id)).url).not.toBe(link.url);
    });

    test('no link for a debtor without a CPF/CNPJ: nothing to check the reader against', async () => {
      const id = await createDebtor(app, owner, { name: 'Sem Documento', document: undefined });
      const res = await call(app, 'POST', `/api/debtors/${id}/portal-links`, {
        headers: owner.headers,
      });
      expectProblem(res, 422, 'no-document');
      expect(await db.query('SELECT 1 FROM portal_links WHERE debtor_id = $1', [id])).toEqual([]);
    });
  });

  describe('guessing', () => {
    test('token guessing: 20 unknown tokens from an address block it for 15 minutes, even on a real link', async () => {
      const d = await debtor();
      const link = await portalLink(app, owner, d.id);
      const guesser = pageClient(app, { ip: '10.3.0.1' });
      for (let i = 0; i < 20; i++) {
        const res = await guesser.get(`/p/${'A'.repeat(31)}${String.fromCharCode(65 + i)}`);
        expect(res.status).toBe(404);
        expect(pageText(res.text)).toContain('Este link não é válido ou expirou');
      }
      const blocked = await guesser.get(link.path);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      // Malformed tokens count too, and never reach the database as a query.
      expect((await guesser.get('/p/x')).status).toBe(429);
      // Another address is not affected; after the window the guesser may try again.
      expect((await pageClient(app, { ip: '10.3.0.2' }).get(link.path)).status).toBe(200);
      clock.advance(15 * MINUTE + 1_000);
      expect((await guesser.get(link.path)).status).toBe(200);
    });

    test('identity answers: 5 wrong per link wait 15 minutes, each one audited; the right one then opens', async () => {
      const d = await debtor();
      const link = await portalLink(app, owner, d.id);
      const page = pageClient(app, { ip: '10.4.0.1' });
      const csrf = page.csrf((await page.get(link.path)).text);
      const wrong = d.document.startsWith('9') ? '111111' : '999999';
      for (let i = 0; i < 5; i++) {
        const res = await page.post(`${link.path}/confirmar`, { csrf, doc: wrong });
        expect(res.status).toBe(422);
        expect(pageText(res.text)).toContain('Os dígitos não conferem');
      }
      const waiting = await page.post(`${link.path}/confirmar`, {
        csrf,
        doc: d.document.slice(0, 6),
      });
      expect(waiting.status).toBe(429);
      expect(pageText(waiting.text)).toContain('aguarde 15 minutos');
      const audited = await db.query(
        `SELECT ip FROM audit_log WHERE action = 'portal.identity.failed' AND entity_id = (SELECT id::text FROM portal_links WHERE debtor_id = $1)`,
        [d.id],
      );
      expect(audited).toHaveLength(5);
      expect(audited.every((r) => (r as { ip: string }).ip === '10.4.0.1')).toBe(true);
      clock.advance(15 * MINUTE + 1_000);
      const opened = await page.post(`${link.path}/confirmar`, {
        csrf,
        doc: d.document.slice(0, 6),
      });
      expect(opened.status).toBe(303);
    });

    test('a company with an alphanumeric CNPJ types its letters; a letter for a numeric document costs no attempt', async () => {
      // The Receita Federal's published alphanumeric example (Nota Técnica COCAD/SUARA/RFB 49/2024).
      const id = await createDebtor(app, owner, {
        kind: 'company',
        name: 'Padaria Letra Ltda',
        document: '12.ABC.345/01DE-35',
      });
      await createDebt(app, owner, id);
      const link = await portalLink(app, owner, id);
      const page = pageClient(app, { ip: '10.4.1.1' });
      const first = await page.get(link.path);
      expect(pageText(first.text)).toContain(
        'Os 6 primeiros caracteres (letras e números) do CNPJ cadastrado',
      );
      expect(first.text).toContain('inputmode="text"');
      const csrf = page.csrf(first.text);
      const wrong = await page.post(`${link.path}/confirmar`, { csrf, doc: '12ABD3' });
      expect(wrong.status).toBe(422);
      expect(pageText(wrong.text)).toContain('não conferem');
      // Lower case and punctuation, as a phone keyboard gives them.
      const opened = await page.post(`${link.path}/confirmar`, { csrf, doc: '12.abc.3' });
      expect(opened.status).toBe(303);

      // A numeric CPF: the numeric keypad, and letters are refused before they count as an answer.
      const d = await debtor();
      const cpfLink = await portalLink(app, owner, d.id);
      const other = pageClient(app, { ip: '10.4.1.2' });
      const shown = await other.get(cpfLink.path);
      expect(shown.text).toContain('inputmode="numeric"');
      expect(pageText(shown.text)).toContain('Os 6 primeiros dígitos do CPF ou CNPJ cadastrado');
      const otherCsrf = other.csrf(shown.text);
      for (let i = 0; i < 6; i++) {
        const typo = await other.post(`${cpfLink.path}/confirmar`, {
          csrf: otherCsrf,
          doc: 'abcdef',
        });
        expect(typo.status).toBe(422);
        expect(pageText(typo.text)).toContain('Digite os 6 primeiros dígitos, só números.');
      }
      const failed = await db.query(
        `SELECT 1 FROM audit_log WHERE action = 'portal.identity.failed' AND entity_id = (SELECT id::text FROM portal_links WHERE debtor_id = $1)`,
        [d.id],
      );
      expect(failed).toHaveLength(0);
      const ok = await other.post(`${cpfLink.path}/confirmar`, {
        csrf: otherCsrf,
        doc: d.document.slice(0, 6),
      });
      expect(ok.status).toBe(303);
    });

    test('10 wrong answers in a day lock the link; the office sees it locked', async () => {
      const d = await debtor();
      const link = await portalLink(app, owner, d.id);
      const wrong = d.document.startsWith('9') ? '111111' : '999999';
      let last = 0;
      for (let round = 0; round < 2; round++) {
        // A fresh address each round: the per-address limit is not what stops this.
        const page = pageClient(app, { ip: `10.5.${round}.1` });
        const csrf = page.csrf((await page.get(link.path)).text);
        for (let i = 0; i < 5; i++)
          last = (await page.post(`${link.path}/confirmar`, { csrf, doc: wrong })).status;
        clock.advance(16 * MINUTE);
      }
      expect(last).toBe(410);
      const res = await pageClient(app, { ip: '10.5.9.1' }).get(link.path);
      expect(res.status).toBe(410);
      expect(pageText(res.text)).toContain('bloqueado depois de muitas tentativas');
      const list = await call<{ items: { status: string }[] }>(
        app,
        'GET',
        `/api/debtors/${d.id}/portal-links`,
        { headers: owner.headers },
      );
      expect(list.body.items[0]?.status).toBe('locked');
      expect(
        await db.query(
          `SELECT 1 FROM audit_log WHERE action = 'portal.link.locked' AND detail->>'debtorId' = $1`,
          [d.id],
        ),
      ).toHaveLength(1);
      // The office's next link is a new one that works.
      expect((await portalLink(app, owner, d.id)).url).not.toBe(link.url);
    });

    test('10 wrong answers from one address across links make that address wait on every link', async () => {
      const page = pageClient(app, { ip: '10.6.0.1' });
      const targets = [await debtor(), await debtor(), await debtor()];
      const links = [];
      for (const t of targets) links.push(await portalLink(app, owner, t.id));
      for (const [i, link] of links.slice(0, 2).entries()) {
        const csrf = page.csrf((await page.get(link.path)).text);
        const wrong = targets[i]?.document.startsWith('9') ? '111111' : '999999';
        for (let k = 0; k < 5; k++) await page.post(`${link.path}/confirmar`, { csrf, doc: wrong });
      }
      const third = links[2];
      if (!third) throw new Error('no third link');
      const csrf = page.csrf((await page.get(third.path)).text);
      const res = await page.post(`${third.path}/confirmar`, {
        csrf,
        doc: targets[2]?.document.slice(0, 6) ?? '',
      });
      expect(res.status).toBe(429);
      clock.advance(16 * MINUTE);
    });
  });
});
