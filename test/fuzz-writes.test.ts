/**
 * Fuzzing every JSON write endpoint of the app (enumerated from `app.routes`, so new ones are
 * fuzzed too) with arbitrary JSON and with valid bodies whose fields were replaced by arbitrary
 * JSON, as each role. Two properties: never a 5xx (nor an unexpected error logged), and a rejected
 * request (status ≥ 400) writes nothing: the row count of every table is the same before and after.
 * PGlite only and ~200 runs in total: the point is breadth, the route suites prove the rules.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { openTestDb } from './helpers/test-db';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { setUpCreditor } from './helpers/portal';
import { call } from './helpers/http';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import { ofxFile } from './helpers/ofx';
import { txidForDebt } from '#shared/pix/pix-txid';

const RUNS = 200;
const NO_ID = '01890a5d-ac96-774b-bcce-b302099a8057';
// Not JSON endpoints, or ones whose side effects are sessions and rate limits, covered elsewhere.
const SKIPPED = new Set([
  'POST /api/import/debtors',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/setup',
  // A refused sign-in code is counted for the rate limit (a login_attempts row), like a login.
  'POST /api/auth/code/check',
  'POST /api/auth/code',
]);

let db: Db;
let app: ReturnType<typeof createApp>;
const errors: unknown[] = [];
const users = {} as Record<Role, SeededUser>;
let ids: Record<string, string>;

/**
 * Text the database cannot store or that disguises itself (NUL, controls, bidi, lone surrogates,
 * invisible-only): fast-check's default strings are printable ASCII and never reach these.
 */
const hostileText = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\u0007',
    '\u0085',
    '\u202Eabc',
    '\u2066',
    '\uD800',
    '\u200B',
    '\u3164 ',
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** Valid bodies to start mutations from (endpoints missing here start from `{}`). */
function templates(): Record<string, Record<string, unknown>> {
  const { debtor, debt } = ids as { debtor: string; debt: string };
  return {
    'POST /api/debtors': {
      kind: 'person',
      name: 'Fuzz',
      contactPoints: [{ kind: 'phone', value: '11 98888-7777' }],
    },
    'PATCH /api/debtors/:id': { version: 1, name: 'Fuzz', preferredChannel: 'sms' },
    'POST /api/debts': {
      debtorId: debtor,
      description: 'F',
      principal: 1_000,
      issueDate: '2025-01-01',
      dueDate: '2025-02-01',
      kind: 'consumer',
    },
    'PATCH /api/debts/:id': { version: 1, description: 'F' },
    'POST /api/debts/:id/cancel': { reason: 'f' },
    'POST /api/payments': { debtId: debt, date: '2025-03-10', amount: 100, method: 'pix' },
    'POST /api/payments/reported': {
      debtId: debt,
      date: '2025-03-10',
      amount: 100,
      method: 'cash',
      receiptNumber: 'F-1',
      reportedAt: '2025-03-10T11:00:00.000Z',
    },
    'POST /api/payments/:id/reject': { reason: 'f' },
    'POST /api/promises': {
      debtorId: debtor,
      debtIds: [debt],
      amount: 5_000,
      dueDate: '2025-03-12',
      channel: 'visit',
    },
    'POST /api/promises/:id/cancel': { reason: 'f' },
    'POST /api/agreements': {
      debtorId: debtor,
      debtIds: [debt],
      downPayment: 1_000,
      installments: 2,
      firstDueDate: '2025-03-12',
    },
    'POST /api/agreements/:id/reject': { reason: 'f' },
    'POST /api/disputes': { debtorId: debtor, debtId: debt, reason: 'other' },
    'POST /api/disputes/:id/resolve': { outcome: 'upheld', note: 'f' },
    'POST /api/disputes/:id/withdraw': { reason: 'f' },
    'POST /api/contacts': { debtorId: debtor, channel: 'whatsapp', override: { reason: 'f' } },
    'POST /api/notices': {
      debtorId: debtor,
      debtId: debt,
      purpose: 'negativacao',
      method: 'letter',
      sentTo: 'Rua A',
      sentOn: '2025-01-20',
      amountStated: 100,
    },
    'POST /api/escalations': { debtorId: debtor, debtId: debt, kind: 'negativacao' },
    'POST /api/escalations/:id/listed': { listedOn: '2025-03-10' },
    'POST /api/escalations/:id/removed': { removedOn: '2025-03-10' },
    'POST /api/escalations/:id/cancel': { reason: 'f' },
    'POST /api/assignments': { collectorId: users.collector.user.id, debtorIds: [debtor] },
    'POST /api/assignments/unassign': { debtorIds: [debtor] },
    'PUT /api/import/mappings': {
      headers: ['Cod', 'Nome', 'Doc', 'Fatura', 'Total', 'Venc'],
      columns: { external_id: 0, name: 1, document: 2, debt_id: 3, amount: 4, due_date: 5 },
    },
    'POST /api/lgpd/anonymisation': { debtorIds: [debtor] },
    'POST /api/reconciliation/credits/:id/confirm': {
      debtorId: debtor,
      target: { kind: 'debt', debtId: debt },
      creditToReturn: false,
    },
    'POST /api/reconciliation/credits/:id/undo': { reason: 'f' },
    'POST /api/reconciliation/credits/:id/ignore': { reason: 'f' },
    'POST /api/payments/:id/confirm': { creditToReturn: false },
    'POST /api/debtors/:id/contact-points': { kind: 'phone', value: '11 97777-1212' },
    'PATCH /api/debtors/:id/contact-points/:pointId': { version: 1, label: 'casa' },
    'POST /api/debtors/:id/contact-points/:pointId/verification': { state: 'verified' },
    'POST /api/debtors/:id/merge': { duplicateId: NO_ID, version: 1, duplicateVersion: 1 },
    'POST /api/password-reset/check': { token: 'quita_reset_abcdefghijklmnopqrstuvwxyz' },
    'PUT /api/onboarding/steps/:step': { state: 'skipped' },
    'POST /api/onboarding/name': { name: 'Dona Fuzz' },
    'POST /api/demo': { debtors: 10 },
    'POST /api/password-reset': {
      token: 'quita_reset_abcdefghijklmnopqrstuvwxyz',
      password: 'sabiá laranjeira 1987',
    },
  };
}

async function rowCounts(): Promise<Record<string, number>> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const rows = await db.query<{ t: string; n: number }>(
    tables
      .map((t) => `SELECT '${t.table_name}' AS t, count(*)::int AS n FROM "${t.table_name}"`)
      .join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

beforeAll(async () => {
  db = await openTestDb('pglite');
  const clock = testClock('2025-03-10T12:00:00Z');
  app = createApp({ db, version: 'test', now: clock.now, logError: (_m, e) => errors.push(e) });
  for (const role of ['owner', 'staff', 'collector'] as const)
    users[role] = await seedUser(db, role, { now: clock.now() });
  const debtor = await createDebtor(app, users.owner, {
    contactPoints: [{ kind: 'phone', value: '11 96666-1234' }],
    address: {
      street: 'Rua A',
      number: '1',
      district: 'Centro',
      city: 'São Paulo',
      state: 'SP',
      postalCode: '01001000',
    },
  });
  const debt = await createDebt(app, users.owner, debtor, {
    dueDate: '2025-01-08',
    issueDate: '2024-12-08',
  });
  await assign(app, users.owner, users.collector.user.id, [debtor]);
  const h = users.owner.headers;
  const made = async (path: string, json: unknown) => {
    const res = await call<{ id: string }>(app, 'POST', path, { headers: h, json });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  };
  ids = {
    debtor,
    debt,
    payment: await made('/api/payments/reported', {
      debtId: debt,
      date: '2025-03-10',
      amount: 500,
      method: 'pix',
      receiptNumber: 'S-1',
      reportedAt: '2025-03-10T11:00:00.000Z',
    }),
    notice: await made('/api/notices', {
      debtorId: debtor,
      debtId: debt,
      purpose: 'negativacao',
      method: 'letter',
      sentTo: 'Rua A',
      sentOn: '2025-01-20',
      amountStated: 100,
    }),
  };
  ids['escalation'] = await made('/api/escalations', {
    debtorId: debtor,
    debtId: debt,
    kind: 'negativacao',
  });
  ids['promise'] = await made('/api/promises', {
    debtorId: debtor,
    debtIds: [debt],
    amount: 5_000,
    dueDate: '2025-03-12',
    channel: 'visit',
  });
  ids['dispute'] = await made('/api/disputes', { debtorId: debtor, debtId: debt, reason: 'other' });
  ids['agreement'] = NO_ID;
  const [point] = await db.query<{ id: string }>(
    'SELECT id FROM contact_points WHERE debtor_id = $1 LIMIT 1',
    [debtor],
  );
  ids['point'] = point?.id ?? NO_ID;
  ids['user'] = users.staff.user.id;
  // A bank credit waiting in review (partial: its txid names the debt), for the credit routes.
  const statement = await app.request('/api/reconciliation/statements', {
    method: 'POST',
    headers: { ...h, 'content-type': 'application/x-ofx' },
    body: ofxFile([
      { fitid: 'FUZZ-1', date: '2025-03-10', amount: 100, memo: `PIX ${txidForDebt(debt)}` },
    ]),
  });
  expect(statement.status).toBe(200);
  const [credit] = await db.query<{ id: string }>(
    `SELECT id FROM bank_credits WHERE fitid = 'FUZZ-1'`,
  );
  ids['credit'] = credit?.id ?? NO_ID;
});
afterAll(async () => {
  await db.close();
});

/** The id a path parameter of `path` most plausibly takes. */
function idFor(path: string): string[] {
  const resource = /^\/api\/([a-z-]+)/.exec(path)?.[1] ?? '';
  const byResource: Record<string, string | undefined> = {
    debtors: ids['debtor'],
    debts: ids['debt'],
    payments: ids['payment'],
    promises: ids['promise'],
    agreements: ids['agreement'],
    disputes: ids['dispute'],
    escalations: ids['escalation'],
    users: ids['user'],
    reconciliation: ids['credit'],
  };
  return [byResource[resource] ?? NO_ID, NO_ID, 'not-a-uuid', 'fuzz.sms'];
}

test(`${RUNS} arbitrary bodies to every JSON write endpoint: no 5xx, and a rejection writes nothing`, async () => {
  const endpoints = [
    ...new Set(
      app.routes
        .filter(
          (r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.path.startsWith('/api'),
        )
        .map((r) => `${r.method} ${r.path}`),
    ),
  ].filter((k) => !SKIPPED.has(k));
  expect(endpoints.length).toBeGreaterThan(25);
  const bases = templates();
  const body = (key: string) =>
    fc.oneof(
      { weight: 1, arbitrary: fc.jsonValue() },
      {
        weight: 3,
        arbitrary: fc
          .tuple(
            fc.subarray(Object.keys(bases[key] ?? {})),
            fc.dictionary(
              fc.constantFrom(...Object.keys(bases[key] ?? { x: 1 }), 'extra'),
              fc.oneof(fc.jsonValue(), hostileText, fc.array(hostileText, { maxLength: 2 })),
              { maxKeys: 3 },
            ),
          )
          .map(([dropped, replaced]) => {
            const out: Record<string, unknown> = { ...bases[key] };
            for (const k of dropped.slice(0, 1)) delete out[k];
            return { ...out, ...replaced };
          }),
      },
    );
  const scenario = fc.constantFrom(...endpoints).chain((key) =>
    fc.record({
      key: fc.constant(key),
      id: fc.constantFrom(...idFor(key.split(' ')[1] ?? '')),
      who: fc.constantFrom<Role>('owner', 'owner', 'staff', 'collector'),
      body: body(key),
    }),
  );
  const seed = process.env['QUITA_FUZZ_SEED'];
  await fc.assert(
    fc.asyncProperty(scenario, async ({ key, id, who, body }) => {
      const [method = 'POST', pattern = ''] = key.split(' ');
      // A contact point of the debtor where the route names one; every other parameter gets `id`.
      const path = pattern
        .replace(':pointId', ids['point'] ?? NO_ID)
        .replace(/:[a-zA-Z]+/g, encodeURIComponent(id));
      const before = await rowCounts();
      const res = await call(app, method, path, { headers: users[who].headers, json: body });
      expect(
        res.status,
        `${key} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`,
      ).toBeLessThan(500);
      expect(errors).toEqual([]);
      if (res.status >= 400)
        expect(await rowCounts(), `${key} ${res.status} wrote rows`).toEqual(before);
    }),
    { numRuns: RUNS, ...(seed ? { seed: Number(seed) } : {}) },
  );
}, 240_000);

/**
 * The debtor's page forms (/p/:token/…), signed in with a real session: arbitrary form fields
 * (unknown keys, any Unicode, missing fields, repeated values, a wrong CSRF token now and then)
 * never give a 5xx, and a refused form (≥ 400) writes nothing. The identity check itself writes an
 * attempt and an audit row for every wrong answer by design; its limits are proven in
 * server/portal/portal-links.test.ts.
 */
test('arbitrary forms to every action of the debtor page: no 5xx, and a refusal writes nothing', async () => {
  const PORTAL_RUNS = 100;
  // CDC art. 42-A: the page opens only once the creditor's identity is set.
  await setUpCreditor(app, users.owner);
  const [row] = await db.query<{ document: string }>('SELECT document FROM debtors WHERE id = $1', [
    ids['debtor'],
  ]);
  const link = await call<{ url: string }>(
    app,
    'POST',
    `/api/debtors/${ids['debtor']}/portal-links`,
    {
      headers: users.owner.headers,
    },
  );
  const path = new URL(link.body.url).pathname;
  const first = await app.request(path);
  const checkCookie = first.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const checkCsrf = /name="csrf" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';
  const opened = await app.request(`${path}/confirmar`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: checkCookie },
    body: new URLSearchParams({ csrf: checkCsrf, doc: row?.document.slice(0, 6) ?? '' }).toString(),
  });
  expect(opened.status).toBe(303);
  const cookie = opened.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const page = await (await app.request(path, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const actions = [
    ...new Set(
      app.routes
        .filter((r) => r.method === 'POST' && r.path.startsWith('/p/'))
        .map((r) => r.path.replace('/p/:token', '')),
    ),
  ].filter((a) => a !== '/confirmar' && a !== '/sair');
  expect(actions.sort()).toEqual([
    '/acordo',
    '/contestacao',
    '/preferencias',
    '/promessa',
    '/vencimento',
  ]);
  const fields: Record<string, string[]> = {
    '/acordo': ['primeiro', 'opcao', 'confirmar', 'total'],
    '/promessa': ['data', 'valor'],
    '/vencimento': ['data', 'motivo'],
    '/contestacao': ['divida', 'motivo', 'descricao'],
    '/preferencias': ['canal', 'das', 'ate', 'bloquear'],
  };
  const value = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    hostileText,
    fc.constantFrom(
      '2025-03-12',
      '2025-13-45',
      '12/03/2025',
      'p3',
      'vista',
      '1',
      '0',
      '-5',
      '9'.repeat(30),
    ),
    fc.constantFrom(
      'already_paid',
      'other',
      'sms',
      'whatsapp',
      'phone',
      '09:00',
      '18:00',
      ids['debt'] ?? '',
    ),
  );
  const scenario = fc.constantFrom(...actions).chain((action) =>
    fc.record({
      action: fc.constant(action),
      form: fc.array(fc.tuple(fc.constantFrom(...(fields[action] ?? []), 'extra'), value), {
        maxLength: 6,
      }),
      goodCsrf: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
    }),
  );
  await fc.assert(
    fc.asyncProperty(scenario, async ({ action, form, goodCsrf }) => {
      const before = await rowCounts();
      const body = new URLSearchParams([['csrf', goodCsrf ? csrf : 'wrong'], ...form]);
      const res = await app.request(`${path}${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: body.toString(),
      });
      const text = await res.text();
      expect(res.status, `${action} ${body.toString()} → ${text.slice(0, 300)}`).toBeLessThan(500);
      expect(errors).toEqual([]);
      if (res.status >= 400)
        expect(await rowCounts(), `${action} ${res.status} wrote rows`).toEqual(before);
    }),
    { numRuns: PORTAL_RUNS },
  );
}, 240_000);
