/**
 * Bad input is refused with a 422 naming the field, never a 500, and nothing is written: NUL and
 * other control characters, zero-width-only names, bidi overrides and lone surrogates, in bodies,
 * in query strings and inside fields kept as JSON. The alphanumeric CNPJ (July 2026) is accepted
 * end to end: created, read back, searched and edited. Both databases.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { forEachDb, openTestDb } from './helpers/test-db';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { call, expectProblem } from './helpers/http';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import { testDevice, visitPayload } from './helpers/sync';

const HOSTILE: readonly { what: string; text: string }[] = [
  { what: 'NUL', text: 'Maria\u0000 Silva' },
  { what: 'another control character', text: 'Maria\u0007Silva' },
  { what: 'a C1 control (cp1252 read as Latin-1)', text: 'Jo\u0083o' },
  { what: 'a bidi override', text: 'Maria \u202Eavlis' },
  { what: 'a bidi isolate', text: '\u2067Maria\u2069' },
  { what: 'a lone surrogate', text: 'Maria \uD800' },
];
const INVISIBLE: readonly string[] = ['\u200B', '\u200B\u200D\u2060', ' \u00A0\uFEFF ', '\u3164'];

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  const errors: unknown[] = [];

  beforeAll(async () => {
    db = await openTestDb(kind);
    const clock = testClock('2025-03-10T12:00:00Z');
    app = createApp({ db, version: 'test', now: clock.now, logError: (_m, e) => errors.push(e) });
    owner = await seedUser(db, 'owner', { now: clock.now() });
  });
  afterAll(async () => {
    expect(errors).toEqual([]);
    await db.close();
  });

  async function debtorCount(): Promise<number> {
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM debtors');
    return row?.n ?? -1;
  }

  describe('POST /api/debtors', () => {
    test.each(HOSTILE)(
      'a name with $what → 422 naming "name", nothing written',
      async ({ text }) => {
        const before = await debtorCount();
        const res = await call(app, 'POST', '/api/debtors', {
          headers: owner.headers,
          json: { kind: 'person', name: text },
        });
        expectProblem(res, 422, 'validation', 'name');
        expect(JSON.stringify(res.body)).toMatch(/caractere/);
        expect(await debtorCount()).toBe(before);
      },
    );

    test.each(INVISIBLE)(
      'a name of invisible characters only (%j) → 422 naming "name"',
      async (text) => {
        const res = await call(app, 'POST', '/api/debtors', {
          headers: owner.headers,
          json: { kind: 'person', name: text },
        });
        expectProblem(res, 422, 'validation', 'name');
      },
    );

    test('a zero-width joiner inside a visible name is kept (emoji, Indic scripts)', async () => {
      const res = await call<{ name: string }>(app, 'POST', '/api/debtors', {
        headers: owner.headers,
        json: { kind: 'person', name: 'Loja 👩‍🍳 da Ana' },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.name).toBe('Loja 👩‍🍳 da Ana');
    });

    test('NUL inside a nested field (the address) names the nested field', async () => {
      const res = await call(app, 'POST', '/api/debtors', {
        headers: owner.headers,
        json: {
          kind: 'person',
          name: 'Ana',
          address: {
            street: 'Rua\u0000 A',
            number: '1',
            district: 'Centro',
            city: 'São Paulo',
            state: 'SP',
            postalCode: '01001000',
          },
        },
      });
      expectProblem(res, 422, 'validation', 'address.street');
    });

    test('NUL in a key the schema does not know is refused too (it would reach a jsonb)', async () => {
      const res = await call(app, 'POST', '/api/debtors', {
        headers: owner.headers,
        json: { kind: 'person', name: 'Ana', 'x\u0000': 1 },
      });
      expect(res.status).toBe(422);
    });
  });

  describe('query strings', () => {
    test.each(['%00', 'ana%00', '%E2%80%AEana', '%07'])(
      'GET /api/debtors?q=%s → 422 naming q',
      async (q) => {
        const res = await call(app, 'GET', `/api/debtors?q=${q}`, { headers: owner.headers });
        expectProblem(res, 422, 'validation', 'q');
      },
    );

    test('a lookup with NUL in the e-mail → 422 naming email', async () => {
      const res = await call(app, 'GET', '/api/debtors/lookup?email=a%00%40b.com', {
        headers: owner.headers,
      });
      expectProblem(res, 422, 'validation', 'email');
    });
  });

  describe('settings kept as JSON', () => {
    test('a holiday name with NUL → 422 naming the item, nothing stored', async () => {
      const res = await call(app, 'PUT', '/api/settings/holidays', {
        headers: owner.headers,
        json: { extra: [{ date: '01-25', name: 'Aniversário\u0000' }] },
      });
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body)).toContain('extra[0].name');
    });
  });

  describe('sync push', () => {
    test('a mutation with NUL is rejected on its own (recorded, named), the next one applies', async () => {
      const clock = testClock('2025-03-10T12:00:00Z');
      const collector = await seedUser(db, 'collector', { now: clock.now() });
      const debtor = await createDebtor(app, owner);
      await createDebt(app, owner, debtor);
      await assign(app, owner, collector.user.id, [debtor]);
      const device = testDevice(app, collector.headers, clock.now);
      const bad = device.mutation('visit.recorded', debtor, {
        ...visitPayload(),
        notes: 'não\u0000estava',
      });
      const good = device.mutation('visit.recorded', debtor, visitPayload());
      const res = await device.push([bad, good]);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.acked_through_seq).toBe(2);
      expect(res.body.results.map((r) => r.status)).toEqual(['rejected', 'applied']);
      expect(res.body.results[0]?.reason).toMatch(/^invalid_payload: payload\.notes: .*U\+0000/);
      const [kept] = await db.query<{ mutation: { payload: { notes: string } } }>(
        'SELECT mutation FROM sync_mutations WHERE mutation_id = $1',
        [bad.mutation_id],
      );
      expect(kept?.mutation.payload.notes).toBe('não\uFFFDestava');
    });
  });

  describe('alphanumeric CNPJ (Receita Federal, July 2026)', () => {
    let id = '';
    test('POST /api/debtors with 12.ABC.345/01DE-35 → 201, stored normalised', async () => {
      const res = await call<{ id: string; document: string; kind: string }>(
        app,
        'POST',
        '/api/debtors',
        {
          headers: owner.headers,
          json: { kind: 'company', name: 'Empresa Nova Ltda', document: '12.abc.345/01de-35' },
        },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.document).toBe('12ABC34501DE35');
      id = res.body.id;
      const [row] = await db.query<{ document: string }>(
        'SELECT document FROM debtors WHERE id = $1',
        [id],
      );
      expect(row?.document).toBe('12ABC34501DE35');
    });

    test('read back and edited to another alphanumeric CNPJ', async () => {
      const read = await call<{ debtor: { document: string; version: number } }>(
        app,
        'GET',
        `/api/debtors/${id}`,
        { headers: owner.headers },
      );
      expect(read.status).toBe(200);
      expect(read.body.debtor.document).toBe('12ABC34501DE35');
      const patched = await call<{ document: string }>(app, 'PATCH', `/api/debtors/${id}`, {
        headers: owner.headers,
        json: { version: read.body.debtor.version, document: 'q1.w2e.3r4/t5y6-09' },
      });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect(patched.body.document).toBe('Q1W2E3R4T5Y609');
    });

    test('a CNPJ with wrong check digits → 422 naming document', async () => {
      const res = await call(app, 'POST', '/api/debtors', {
        headers: owner.headers,
        json: { kind: 'company', name: 'Empresa', document: '12.ABC.345/01DE-36' },
      });
      expectProblem(res, 422, 'validation', 'document');
    });
  });
});
