import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as v from 'valibot';
import type { Role } from '#shared/auth/user.schema';
import { DebtorLookupResponseSchema } from '#shared/api/ledger.schema';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { assign, cpf, createDebt, createDebtor } from '#test/helpers/ledger';

interface Detail {
  status: string;
  daysOverdue: number;
  totals: { principal: number; fine: number; interest: number; totalDue: number; asOf: string };
  debts: {
    id: string;
    balance: { totalDue: number; fine: number; interest: number; lines: unknown[] };
  }[];
  debtor: { version: number; contactPoints: { kind: string; value: string; verified: boolean }[] };
  cadence: { state: string; reason: string; currentStepId: string | null };
  assignment: { collectorId: string } | null;
}

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const clock = testClock('2025-03-10T12:00:00Z'); // Monday 09:00 in São Paulo
  let maria: string;
  let mariaDebt: string;
  let joao: string;

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
    maria = await createDebtor(app, users.owner, {
      name: 'Maria da Silva',
      document: cpf(1),
      externalId: 'ERP-1',
      contactPoints: [
        { kind: 'phone', value: '(11) 98765-4321', verified: true, isWhatsapp: true },
        { kind: 'email', value: 'Maria.Silva@Example.com' },
      ],
      address: {
        street: 'Rua das Flores',
        number: '10',
        district: 'Centro',
        city: 'São Paulo',
        state: 'SP',
        postalCode: '01001-000',
      },
    });
    mariaDebt = await createDebt(app, users.owner, maria);
    joao = await createDebtor(app, users.owner, { name: 'João Souza', document: cpf(2) });
    await createDebt(app, users.owner, joao, { dueDate: '2025-03-20', issueDate: '2025-02-20' });
    await assign(app, users.owner, users.collector.user.id, [maria]);
  });
  afterAll(async () => {
    await db.close();
  });

  describe('detail', () => {
    test('itemises each debt as of today and derives status and cadence', async () => {
      const res = await call<Detail>(app, 'GET', `/api/debtors/${maria}`, {
        headers: users.staff.headers,
      });
      expect(res.status).toBe(200);
      // 30 days late: 2% multa on R$ 1.000,00 and 1% a.m. juros pro rata for 30 days.
      expect(res.body.totals).toMatchObject({
        asOf: '2025-03-10',
        principal: 100_000,
        fine: 2_000,
        interest: 1_000,
        totalDue: 103_000,
      });
      expect(res.body.debts[0]?.balance).toMatchObject({
        totalDue: 103_000,
        fine: 2_000,
        interest: 1_000,
      });
      expect(res.body.status).toBe('vencido');
      expect(res.body.daysOverdue).toBe(30);
      expect(res.body.cadence).toMatchObject({ state: 'active', currentStepId: 'd+30' });
      expect(res.body.assignment).toMatchObject({ collectorId: users.collector.user.id });
      expect(res.body.debtor.contactPoints).toEqual([
        expect.objectContaining({ kind: 'phone', value: '+5511987654321', verified: true }),
        expect.objectContaining({
          kind: 'email',
          value: 'maria.silva@example.com',
          verified: false,
        }),
      ]);
    });

    test('every read is audit-logged with who looked', async () => {
      await call(app, 'GET', `/api/debtors/${maria}`, { headers: users.owner.headers });
      await call(app, 'GET', `/api/debtors/${maria}/timeline`, { headers: users.staff.headers });
      const rows = await db.query<{ actor_id: string; action: string }>(
        `SELECT actor_id, action FROM audit_log WHERE entity = 'debtor' AND entity_id = $1 AND action IN ('debtor.view', 'debtor.timeline') ORDER BY id`,
        [maria],
      );
      expect(rows).toEqual(
        expect.arrayContaining([
          { actor_id: users.owner.user.id, action: 'debtor.view' },
          { actor_id: users.staff.user.id, action: 'debtor.timeline' },
        ]),
      );
    });

    test('a collector sees an assigned debtor and gets 404 for any other', async () => {
      expect(
        (await call(app, 'GET', `/api/debtors/${maria}`, { headers: users.collector.headers }))
          .status,
      ).toBe(200);
      expectProblem(
        await call(app, 'GET', `/api/debtors/${joao}`, { headers: users.collector.headers }),
        404,
        'not-found',
      );
      expectProblem(
        await call(app, 'GET', '/api/debtors/01890a5d-ac96-774b-bcce-b302099a8057', {
          headers: users.collector.headers,
        }),
        404,
        'not-found',
      );
    });
  });

  describe('search', () => {
    test.each([
      ['name fragment', 'silva'],
      ['document', cpf(1)],
      ['phone without the 9th digit', '11 8765-4321'],
      ['phone with it', '+55 11 98765-4321'],
      ['email in another case', 'MARIA.SILVA@example.com'],
      ['external id', 'ERP-1'],
    ])('finds Maria by %s', async (_label, q) => {
      const res = await call<{ items: { id: string; status: string; totalDue: number }[] }>(
        app,
        'GET',
        `/api/debtors?q=${encodeURIComponent(q)}`,
        { headers: users.staff.headers },
      );
      expect(res.status).toBe(200);
      expect(res.body.items.map((i) => i.id)).toEqual([maria]);
      expect(res.body.items[0]).toMatchObject({ status: 'vencido', totalDue: 103_000 });
    });

    test('pages with a keyset cursor without repeats or gaps', async () => {
      const extra: string[] = [];
      for (let i = 0; i < 5; i++)
        extra.push(
          await createDebtor(app, users.owner, { name: `Página ${i}`, document: cpf(100 + i) }),
        );
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const path: string = `/api/debtors?q=p%C3%A1gina&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await call<{ items: { id: string }[]; nextCursor: string | null }>(
          app,
          'GET',
          path,
          {
            headers: users.owner.headers,
          },
        );
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((i) => i.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(extra.sort());
    });

    test('filters by derived status and by collector; a collector sees only assigned debtors', async () => {
      const overdue = await call<{ items: { id: string }[] }>(
        app,
        'GET',
        '/api/debtors?status=vencido',
        { headers: users.owner.headers },
      );
      expect(overdue.body.items.map((i) => i.id)).toEqual([maria]);
      const current = await call<{ items: { id: string }[] }>(
        app,
        'GET',
        '/api/debtors?status=em_dia',
        { headers: users.owner.headers },
      );
      expect(current.body.items.map((i) => i.id)).toContain(joao);
      const byCollector = await call<{ items: { id: string }[] }>(
        app,
        'GET',
        `/api/debtors?collector=${users.collector.user.id}`,
        {
          headers: users.owner.headers,
        },
      );
      expect(byCollector.body.items.map((i) => i.id)).toEqual([maria]);
      const mine = await call<{ items: { id: string }[] }>(app, 'GET', '/api/debtors', {
        headers: users.collector.headers,
      });
      expect(mine.body.items.map((i) => i.id)).toEqual([maria]);
    });

    test.each(['limit=0', 'limit=abc', 'status=quitado', 'cursor=xyz'])(
      'rejects %s with 422',
      async (qs) => {
        expectProblem(
          await call(app, 'GET', `/api/debtors?${qs}`, { headers: users.owner.headers }),
          422,
          'validation',
        );
      },
    );
  });

  describe('create and patch', () => {
    test.each([
      [{ kind: 'person', name: 'X', document: '123.456.789-00' }, 'document'],
      [{ kind: 'company', name: 'X', document: cpf(9) }, 'document'],
      [{ kind: 'person', name: ' ' }, 'name'],
      [
        { kind: 'person', name: 'X', contactPoints: [{ kind: 'phone', value: '123' }] },
        'contactPoints[0].value',
      ],
    ])('rejects %j naming %s', async (json, field) => {
      const res = await call(app, 'POST', '/api/debtors', { headers: users.owner.headers, json });
      expect([400, 422]).toContain(res.status);
      expectProblem(res, res.status, 'validation', field);
    });

    test('collectors cannot create debtors', async () => {
      expectProblem(
        await call(app, 'POST', '/api/debtors', {
          headers: users.collector.headers,
          json: { kind: 'person', name: 'X' },
        }),
        403,
        'forbidden',
      );
    });

    test('a duplicate externalId is a 409', async () => {
      const res = await call(app, 'POST', '/api/debtors', {
        headers: users.owner.headers,
        json: { kind: 'person', name: 'Outra', externalId: 'ERP-1' },
      });
      expectProblem(res, 409, 'duplicate-external-id');
    });

    test('patch replaces contact points (match keys follow) and a stale version is a 409', async () => {
      const before = await call<Detail>(app, 'GET', `/api/debtors/${maria}`, {
        headers: users.owner.headers,
      });
      const version = before.body.debtor.version;
      const res = await call<{ version: number; doNotContact: { channels: string[] } }>(
        app,
        'PATCH',
        `/api/debtors/${maria}`,
        {
          headers: users.staff.headers,
          json: {
            version,
            contactPoints: [{ kind: 'phone', value: '11 99999-8888', verified: true }],
            doNotContact: { channels: ['sms'] },
          },
        },
      );
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(version + 1);
      expect(res.body.doNotContact.channels).toEqual(['sms']);
      const old = await call<{ matches: unknown[] }>(
        app,
        'GET',
        '/api/debtors/lookup?phone=11987654321',
        { headers: users.staff.headers },
      );
      expect(old.body.matches).toEqual([]);
      const stale = await call(app, 'PATCH', `/api/debtors/${maria}`, {
        headers: users.owner.headers,
        json: { version, name: 'Maria S.' },
      });
      expectProblem(stale, 409, 'stale-version');
      expect(stale.body).toMatchObject({ currentVersion: version + 1 });
      const [row] = await db.query<{ name: string }>('SELECT name FROM debtors WHERE id = $1', [
        maria,
      ]);
      expect(row?.name).toBe('Maria da Silva');
    });

    test('a collector may correct contact data of an assigned debtor, not identity', async () => {
      const detail = await call<Detail>(app, 'GET', `/api/debtors/${maria}`, {
        headers: users.collector.headers,
      });
      const version = detail.body.debtor.version;
      const ok = await call(app, 'PATCH', `/api/debtors/${maria}`, {
        headers: users.collector.headers,
        json: {
          version,
          contactPoints: [{ kind: 'phone', value: '11 98765-4321', verified: true }],
        },
      });
      expect(ok.status).toBe(200);
      expectProblem(
        await call(app, 'PATCH', `/api/debtors/${maria}`, {
          headers: users.collector.headers,
          json: { version: version + 1, name: 'Outra' },
        }),
        403,
        'forbidden',
      );
      expectProblem(
        await call(app, 'PATCH', `/api/debtors/${joao}`, {
          headers: users.collector.headers,
          json: { version: 1, preferredChannel: 'sms' },
        }),
        404,
        'not-found',
      );
    });
  });

  describe('lookup for the extension', () => {
    test('matches a phone with or without the 9th digit and answers the schema', async () => {
      for (const phone of ['+551187654321', '(11) 98765-4321']) {
        const res = await call(
          app,
          'GET',
          `/api/debtors/lookup?phone=${encodeURIComponent(phone)}`,
          { headers: users.staff.headers },
        );
        expect(res.status).toBe(200);
        const body = v.parse(DebtorLookupResponseSchema, res.body);
        expect(body.matches).toHaveLength(1);
        expect(body.matches[0]).toMatchObject({
          id: maria,
          name: 'Maria da Silva',
          status: 'vencido',
          daysOverdue: 30,
          balance: { totalDue: 103_000, fine: 2_000, interest: 1_000 },
          lastContact: null,
          contactBudgetLeft: { today: 1, last7Days: 2 },
          contactWindowOpen: true,
          contactNow: { allowed: true },
          cadenceState: 'active',
          cadenceStepDue: { stepId: 'd+30', allowsDiscount: true },
          contactPointVerified: true,
        });
      }
    });

    test('matches a normalised e-mail and reports an unverified point', async () => {
      await call(app, 'PATCH', `/api/debtors/${joao}`, {
        headers: users.owner.headers,
        json: { version: 1, contactPoints: [{ kind: 'email', value: 'joao@empresa.com.br' }] },
      });
      const res = await call<{
        matches: { id: string; contactPointVerified: boolean; status: string }[];
      }>(app, 'GET', '/api/debtors/lookup?email=%20JOAO@Empresa.com.br', {
        headers: users.staff.headers,
      });
      expect(res.body.matches).toEqual([
        expect.objectContaining({ id: joao, contactPointVerified: false, status: 'em_dia' }),
      ]);
      const [entry] = await db.query<{
        actor_id: string;
        detail: { matches: string[]; by: string };
      }>(
        `SELECT actor_id, detail FROM audit_log WHERE action = 'debtor.lookup' ORDER BY id DESC LIMIT 1`,
      );
      expect(entry).toMatchObject({
        actor_id: users.staff.user.id,
        detail: { by: 'email', matches: [joao] },
      });
    });

    test('a collector looking up an unassigned debtor finds nothing', async () => {
      const res = await call<{ matches: unknown[] }>(
        app,
        'GET',
        '/api/debtors/lookup?email=joao@empresa.com.br',
        {
          headers: users.collector.headers,
        },
      );
      expect(res.body.matches).toEqual([]);
    });

    test.each(['', 'email=a@b.co&phone=11987654321'])(
      'needs exactly one of email or phone (%s)',
      async (qs) => {
        expectProblem(
          await call(app, 'GET', `/api/debtors/lookup?${qs}`, { headers: users.staff.headers }),
          422,
          'validation',
        );
      },
    );
  });

  describe('timeline', () => {
    test('merges contacts, payments and promises newest first', async () => {
      await call(app, 'POST', '/api/contacts', {
        headers: users.staff.headers,
        json: { debtorId: maria, channel: 'whatsapp', debtIds: [mariaDebt] },
      });
      clock.advance(60_000);
      await call(app, 'POST', '/api/payments', {
        headers: users.staff.headers,
        json: { debtId: mariaDebt, date: '2025-03-10', amount: 10_000, method: 'pix' },
      });
      const res = await call<{ events: { type: string; at: string }[] }>(
        app,
        'GET',
        `/api/debtors/${maria}/timeline`,
        {
          headers: users.owner.headers,
        },
      );
      expect(res.body.events.map((e) => e.type).slice(0, 2)).toEqual(['payment', 'contact']);
      const ats = res.body.events.map((e) => e.at);
      expect([...ats].sort().reverse()).toEqual(ats);
    });
  });
});
