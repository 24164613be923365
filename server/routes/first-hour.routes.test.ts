/**
 * The first hour's routes: one-time sign-in codes (owner makes one, the phone checks and spends
 * it once; short-lived, hashed at rest, a newer code retires the older, rate-limited per address,
 * never for an owner or an inactive person), the guide's state (steps done by their data,
 * skipped by the owner, the owner's name confirmed) and the demo loader (owner on an organisation
 * without debtors of its own; the operator's CLI may force it; idempotent; fills the creditor and
 * a test PIX key only where unset).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LoginResponse } from '#shared/auth/auth.schema';
import type { SignInCodeCreated } from '#shared/auth/sign-in-code.schema';
import type { OnboardingStatus } from '#shared/onboarding/onboarding.schema';
import { createApp } from '../app';
import { hashToken } from '../auth/tokens';
import type { Db } from '../db/db';
import { loadDemo } from '../demo/load-demo';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';

const MINUTE = 60_000;

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  let collector: SeededUser;
  let staff: SeededUser;
  /** A staff member whose session no test ends (staff's is ended by deactivating them). */
  let office: SeededUser;
  const clock = testClock('2025-03-10T12:00:00Z');
  let address = 0;
  /** A fresh client address per test, so one test's refusals never rate-limit another's. */
  const from = () => ({ 'x-forwarded-for': `203.0.113.${(address += 1)}` });

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({
      db,
      version: 'test',
      now: clock.now,
      trustProxy: true,
      publicUrl: 'https://quita.padaria.example.com.br/',
      demoDebtors: 30,
    });
    owner = await seedUser(db, 'owner', { name: 'Rosa Almeida', now: clock.now() });
    collector = await seedUser(db, 'collector', { name: 'Carlos Campo', now: clock.now() });
    staff = await seedUser(db, 'staff', { name: 'Sandra Lopes', now: clock.now() });
    office = await seedUser(db, 'staff', { name: 'Otávio Escritório', now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  const makeCode = async (userId: string) => {
    const res = await call<SignInCodeCreated>(app, 'POST', `/api/users/${userId}/sign-in-code`, {
      headers: owner.headers,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { ...res.body, code: res.body.path.split('#')[1] ?? '' };
  };

  describe('sign-in codes', () => {
    test('the owner makes a code; the phone sees whose it is, then trades it for a session, once', async () => {
      const made = await makeCode(collector.user.id);
      expect(made.path).toMatch(/^\/entrar-com-codigo#quita_code_[A-Za-z0-9_-]{43}$/);
      expect(made.publicUrl).toBe('https://quita.padaria.example.com.br');
      expect(Date.parse(made.expiresAt) - clock.now().getTime()).toBe(15 * MINUTE);
      // Only the hash is stored.
      const rows = await db.query<{ code_hash: string }>(
        'SELECT code_hash FROM sign_in_codes WHERE user_id = $1',
        [collector.user.id],
      );
      expect(rows.map((r) => r.code_hash)).toEqual([hashToken(made.code)]);
      expect(JSON.stringify(rows)).not.toContain(made.code);

      const headers = from();
      const check = await call(app, 'POST', '/api/auth/code/check', {
        headers,
        json: { code: made.code },
      });
      expect(check.status).toBe(200);
      expect(check.body).toEqual({
        name: 'Carlos Campo',
        role: 'collector',
        expiresAt: made.expiresAt,
      });

      const used = await call<LoginResponse>(app, 'POST', '/api/auth/code', {
        headers,
        json: { code: made.code },
      });
      expect(used.status).toBe(200);
      expect(used.body.user).toEqual({
        id: collector.user.id,
        name: 'Carlos Campo',
        role: 'collector',
      });
      const me = await call<{ email: string }>(app, 'GET', '/api/auth/me', {
        headers: { authorization: `Bearer ${used.body.token}` },
      });
      expect(me.body.email).toBe(collector.user.email);

      const again = await call(app, 'POST', '/api/auth/code', {
        headers,
        json: { code: made.code },
      });
      expectProblem(again, 410, 'code-used');
      expect((again.body as { detail: string }).detail).toBe(
        'este código de acesso já foi usado; peça ao proprietário para mostrar um novo',
      );
      const [audited] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action IN ('user.sign_in_code', 'auth.login_code') AND entity_id = $1`,
        [collector.user.id],
      );
      expect(audited?.n).toBe(2);
    });

    test('expires after 15 minutes; a newer code retires the older', async () => {
      const first = await makeCode(collector.user.id);
      const second = await makeCode(collector.user.id);
      const headers = from();
      expectProblem(
        await call(app, 'POST', '/api/auth/code', { headers, json: { code: first.code } }),
        410,
        'code-expired',
      );
      clock.advance(15 * MINUTE);
      expectProblem(
        await call(app, 'POST', '/api/auth/code', { headers, json: { code: second.code } }),
        410,
        'code-expired',
      );
    });

    test('never for an owner, an inactive person, or someone since made owner', async () => {
      expectProblem(
        await call(app, 'POST', `/api/users/${owner.user.id}/sign-in-code`, {
          headers: owner.headers,
        }),
        422,
        'owner-code',
      );
      const made = await makeCode(staff.user.id);
      await call(app, 'PATCH', `/api/users/${staff.user.id}`, {
        headers: owner.headers,
        json: { role: 'owner' },
      });
      expectProblem(
        await call(app, 'POST', '/api/auth/code', { headers: from(), json: { code: made.code } }),
        410,
        'code-unknown',
      );
      await call(app, 'PATCH', `/api/users/${staff.user.id}`, {
        headers: owner.headers,
        json: { role: 'staff', active: false },
      });
      expectProblem(
        await call(app, 'POST', `/api/users/${staff.user.id}/sign-in-code`, {
          headers: owner.headers,
        }),
        409,
        'user-inactive',
      );
      await call(app, 'PATCH', `/api/users/${staff.user.id}`, {
        headers: owner.headers,
        json: { active: true },
      });
    });

    test('five refused codes from one address block it for 15 minutes (429 with Retry-After), others are not', async () => {
      const headers = from();
      for (let i = 0; i < 5; i += 1)
        expectProblem(
          await call(app, 'POST', i % 2 ? '/api/auth/code' : '/api/auth/code/check', {
            headers,
            json: { code: `quita_code_guess_${String(i).padStart(24, '0')}` },
          }),
          410,
          'code-unknown',
        );
      const good = await makeCode(collector.user.id);
      const blocked = await call(app, 'POST', '/api/auth/code', {
        headers,
        json: { code: good.code },
      });
      expectProblem(blocked, 429, 'rate-limited');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      // The code was not spent by the refused attempt: another address uses it.
      const other = await call(app, 'POST', '/api/auth/code', {
        headers: from(),
        json: { code: good.code },
      });
      expect(other.status).toBe(200);
      clock.advance(15 * MINUTE + 1000);
      const later = await makeCode(collector.user.id);
      expect(
        (await call(app, 'POST', '/api/auth/code', { headers, json: { code: later.code } })).status,
      ).toBe(200);
    });

    test('a malformed code is a 422 naming the field', async () => {
      expectProblem(
        await call(app, 'POST', '/api/auth/code', { headers: from(), json: { code: 'abc' } }),
        422,
        'validation',
        'code',
      );
    });
  });

  describe('the guide and the demo', () => {
    test('the import template opens in Excel and, sent back as it is, imports cleanly', async () => {
      const res = await app.request('/api/import/template.csv', { headers: office.headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toContain('modelo-importacao-quita.csv');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes.slice(3));
      const lines = text.split('\r\n');
      expect(lines[0]).toBe(
        'codigo_cliente;nome;cpf_cnpj;email;telefone;whatsapp;endereco;cidade;uf;codigo_divida;descricao;valor;vencimento',
      );
      expect(lines[1]).toContain('Maria da Conceição Souza;529.982.247-25');
      const dry = await call<{ rows: number; errorCount: number; debtors: { created: number } }>(
        app,
        'POST',
        '/api/import/debtors?dry_run=1',
        { headers: { ...office.headers, 'content-type': 'text/csv' }, body: text },
      );
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ rows: 2, errorCount: 0, debtors: { created: 2 } });
      expect(
        (await app.request('/api/import/template.csv', { headers: collector.headers })).status,
      ).toBe(403);
    });

    test('steps follow the data, skips are remembered, the name is confirmed once', async () => {
      const get = async () =>
        (await call<OnboardingStatus>(app, 'GET', '/api/onboarding', { headers: owner.headers }))
          .body;
      const start = await get();
      expect(start.steps).toEqual([
        { id: 'name', state: 'todo' },
        { id: 'creditor', state: 'todo' },
        { id: 'pix', state: 'todo' },
        { id: 'collector', state: 'done' },
        { id: 'import', state: 'todo' },
      ]);
      expect(start.next).toBe('name');
      expect(start.publicUrl).toBe('https://quita.padaria.example.com.br');
      expect(start.demo).toEqual({ loaded: false, available: true, collectors: [] });

      const named = await call<{ name: string }>(app, 'POST', '/api/onboarding/name', {
        headers: owner.headers,
        json: { name: '  Rosa Maria Almeida ' },
      });
      expect(named.body.name).toBe('Rosa Maria Almeida');
      const skipped = await call<OnboardingStatus>(app, 'PUT', '/api/onboarding/steps/creditor', {
        headers: owner.headers,
        json: { state: 'skipped' },
      });
      expect(skipped.body.steps.slice(0, 2)).toEqual([
        { id: 'name', state: 'done' },
        { id: 'creditor', state: 'skipped' },
      ]);
      expect(skipped.body.next).toBe('pix');
      const back = await call<OnboardingStatus>(app, 'PUT', '/api/onboarding/steps/creditor', {
        headers: owner.headers,
        json: { state: 'todo' },
      });
      expect(back.body.next).toBe('creditor');
      expectProblem(
        await call(app, 'PUT', '/api/onboarding/steps/regua', {
          headers: owner.headers,
          json: { state: 'skipped' },
        }),
        404,
        'not-found',
      );
      expectProblem(
        await call(app, 'PUT', '/api/onboarding/steps/pix', {
          headers: owner.headers,
          json: { state: 'done' },
        }),
        422,
        'validation',
        'state',
      );
      // Staff and collectors do not see the guide.
      expect((await call(app, 'GET', '/api/onboarding', { headers: office.headers })).status).toBe(
        403,
      );
    });

    test('the demo: owner only; fills creditor and PIX; idempotent; no passwords to the app', async () => {
      const first = await call<{
        organisation: { creditor: string; pix: string };
        users: { email: string; role: string; created: boolean; password?: string }[];
        inserted: Record<string, number>;
      }>(app, 'POST', '/api/demo', { headers: owner.headers, json: {} });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body.organisation).toEqual({ creditor: 'filled', pix: 'filled' });
      const created = first.body.users.filter((u) => u.created);
      expect(created.map((u) => u.email)).toEqual([
        'cobrador1@quita.demo',
        'cobrador2@quita.demo',
        'cobrador3@quita.demo',
      ]);
      expect(created.every((u) => u.password === undefined)).toBe(true);

      const org = await call<{ configured: boolean; legalName: string; pix: unknown }>(
        app,
        'GET',
        '/api/settings/organisation',
        { headers: owner.headers },
      );
      expect(org.body).toMatchObject({
        configured: true,
        legalName: 'Comércio Exemplo Ltda',
        pix: { key: 'pix@quita.demo', keyType: 'email' },
      });
      const status = (
        await call<OnboardingStatus>(app, 'GET', '/api/onboarding', { headers: owner.headers })
      ).body;
      expect(status.demo.loaded).toBe(true);
      expect(status.demo.available).toBe(true);
      expect(status.demo.collectors.map((c) => c.name)).toEqual([
        'Carlos Cobrador',
        'Fernanda Campo',
        'Rafael Rota',
      ]);
      expect(status.facts.debtors).toBe(30);
      expect(status.steps.every((s) => s.state === 'done')).toBe(true);

      // Again (the button pressed twice): nothing new.
      const again = await call<{ inserted: Record<string, number>; users: { created: boolean }[] }>(
        app,
        'POST',
        '/api/demo',
        { headers: owner.headers, json: {} },
      );
      expect(again.status).toBe(200);
      expect(Object.values(again.body.inserted).every((n) => n === 0)).toBe(true);
      expect(again.body.users.every((u) => !u.created)).toBe(true);
      expect((await call(app, 'POST', '/api/demo', { json: {} })).status).toBe(401);
      expect(
        (await call(app, 'POST', '/api/demo', { headers: office.headers, json: {} })).status,
      ).toBe(403);
    });

    test('an organisation with debtors of its own is refused (force only from the CLI on the server machine)', async () => {
      const res = await call(app, 'POST', '/api/debtors', {
        headers: owner.headers,
        json: { kind: 'person', name: 'Cliente Real' },
      });
      expect(res.status).toBe(201);
      expectProblem(
        await call(app, 'POST', '/api/demo', { headers: owner.headers, json: {} }),
        409,
        'has-debtors',
      );
      // `force` is the operator's word (quita demo --force), not a field of the app's request.
      expectProblem(
        await call(app, 'POST', '/api/demo', { headers: owner.headers, json: { force: true } }),
        422,
        'validation',
      );
      const forced = await loadDemo(db, { now: clock.now(), debtors: 30, force: true });
      expect(forced.import.debtors.unchanged).toBe(30);
      const status = (
        await call<OnboardingStatus>(app, 'GET', '/api/onboarding', { headers: owner.headers })
      ).body;
      expect(status.demo.available).toBe(false);
    });
  });
});
