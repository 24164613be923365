/**
 * Fuzzing the token scopes: an extension token (owner's, the most privileged user) sends every
 * method to paths built from every route of the app (enumerated from `app.routes`) with their
 * parameters replaced by arbitrary segments (UUIDs in any case, route words such as `lookup` or
 * `duplicates`, dot segments, encoded slashes, trailing and doubled slashes, query strings,
 * hostile text), to the scope's own routes with any method, and to arbitrary paths under /api. Properties: never a 5xx, no unexpected error
 * logged, a request outside the scope never succeeds (no 2xx) nor writes anything, and every
 * success is a route the extension's scope names (stated here independently of the server).
 * PGlite only; the matrix (authz-matrix.test.ts) proves each route exactly, this proves breadth.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../server/app';
import { issueToken } from '../server/auth/tokens.repo';
import type { Db } from '../server/db/db';
import { openTestDb } from './helpers/test-db';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { createDebt, createDebtor } from './helpers/ledger';

const RUNS = 400;

/** What the extension may call, as in authz-matrix.test.ts (not imported from the server). */
const SCOPE_ROUTES = [
  ['GET', '/api/auth/me'],
  ['POST', '/api/auth/logout'],
  ['GET', '/api/debtors/lookup'],
  ['GET', '/api/debtors'],
  ['GET', '/api/debtors/:id'],
  // The debtor's page link for a reminder (issue 12: the extension mints it).
  ['POST', '/api/debtors/:id/portal-links'],
  ['GET', '/api/cadence/today'],
  ['GET', '/api/settings/organisation'],
  ['GET', '/api/settings/templates'],
  ['POST', '/api/contacts'],
  ['GET', '/api/extension/chat-identities'],
  ['POST', '/api/extension/chat-identities'],
  ['DELETE', '/api/extension/chat-identities/:id'],
] as const;
const SCOPE: readonly [string, RegExp][] = SCOPE_ROUTES.map(([method, path]) => [
  method,
  new RegExp(
    `^${path.replace(':id', '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}')}/?$`,
  ),
]);

const inScope = (method: string, path: string) =>
  SCOPE.some(([m, re]) => (m === method || (m === 'GET' && method === 'HEAD')) && re.test(path));

let db: Db;
let app: ReturnType<typeof createApp>;
let owner: SeededUser;
let token: Record<string, string>;
let debtor: string;
const errors: unknown[] = [];
const clock = testClock('2026-03-16T13:00:00Z');

beforeAll(async () => {
  db = await openTestDb('pglite');
  app = createApp({ db, version: 'test', now: clock.now, logError: (_m, e) => errors.push(e) });
  owner = await seedUser(db, 'owner', { now: clock.now() });
  debtor = await createDebtor(app, owner, {
    contactPoints: [{ kind: 'phone', value: '11 98888-7777' }],
  });
  await createDebt(app, owner, debtor);
  const issued = await db.transaction((tx) =>
    issueToken(tx, {
      userId: owner.user.id,
      kind: 'api',
      name: 'Extensão Chrome',
      now: clock.now(),
      expiresAt: new Date(clock.now().getTime() + 86_400_000),
    }),
  );
  token = { authorization: `Bearer ${issued.token}` };
});
afterAll(async () => {
  await db.close();
});

async function rowCounts(): Promise<Record<string, number>> {
  const tables = await db.query<{ t: string }>(
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'audit_log'
      ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { t } of tables) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t}"`);
    counts[t] = row?.n ?? 0;
  }
  return counts;
}

test(`${RUNS} requests of an owner's extension token to every route shape: only the scope answers`, async () => {
  const patterns = [
    ...new Set(app.routes.filter((r) => r.path.startsWith('/api')).map((r) => r.path)),
  ];
  expect(patterns.length).toBeGreaterThan(60);
  const segment = fc.oneof(
    fc.constant(debtor),
    fc.constant(debtor.toUpperCase()),
    fc.constant(crypto.randomUUID()),
    fc.constantFrom(
      'lookup',
      'duplicates',
      'story',
      'me',
      '..',
      '.',
      '%2e%2e',
      '%2F',
      'a%00b',
      '%E2%80%AE',
      'tokens',
      'portfolio.csv',
      '',
    ),
    fc.string({ maxLength: 8 }).map(encodeURIComponent),
  );
  const path = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...patterns), fc.array(segment, { minLength: 4, maxLength: 4 }))
        .map(([pattern, parts]) => {
          let i = 0;
          return pattern.replace(/:[a-zA-Z]+/g, () => parts[i++] ?? '');
        }),
    },
    {
      // The scope's own routes (any method below): where a mistake would admit too much.
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...SCOPE_ROUTES.map(([, p]) => p)), segment)
        .map(([pattern, part]) => pattern.replace(':id', part)),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(segment, { minLength: 1, maxLength: 4 })
        .map((parts) => `/api/${parts.join('/')}`),
    },
  );
  const request = fc.record({
    method: fc.constantFrom('GET', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'),
    path,
    tail: fc.constantFrom('', '/', '//', '?x=1', `?debtorId=${debtor}`),
    body: fc.oneof(fc.constant(undefined), fc.jsonValue()),
  });
  const seed = process.env['QUITA_FUZZ_SEED'];
  await fc.assert(
    fc.asyncProperty(request, async ({ method, path, tail, body }) => {
      const url = `${path}${tail}`;
      const writes = method !== 'GET' && method !== 'HEAD';
      const before = writes ? await rowCounts() : null;
      const res = await call(app, method, url, {
        headers: token,
        ...(body === undefined || method === 'GET' || method === 'HEAD' ? {} : { json: body }),
      });
      const label = `${method} ${url} → ${res.status} ${JSON.stringify(res.body)}`;
      expect(res.status, label).toBeLessThan(500);
      expect(errors, label).toEqual([]);
      const pathname = new URL(url, 'http://x').pathname;
      if (!inScope(method, pathname)) {
        expect(res.status, label).toBeGreaterThanOrEqual(400);
        if (before) expect(await rowCounts(), label).toEqual(before);
      }
      // POST /api/auth/logout ends this token: sign in again for the next request.
      if (method === 'POST' && /^\/api\/auth\/logout\/?$/.test(pathname) && res.status < 300) {
        const issued = await db.transaction((tx) =>
          issueToken(tx, {
            userId: owner.user.id,
            kind: 'api',
            name: 'Extensão Chrome',
            now: clock.now(),
            expiresAt: new Date(clock.now().getTime() + 86_400_000),
          }),
        );
        token = { authorization: `Bearer ${issued.token}` };
      }
    }),
    { numRuns: RUNS, ...(seed ? { seed: Number(seed) } : {}) },
  );
}, 300_000);
