import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from './app';
import type { Db } from './db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { call, expectProblem } from '#test/helpers/http';
import { packageVersion } from './version';

// Every other route must answer 401 to an anonymous request; extend this list deliberately.
const PUBLIC_ROUTES = new Set([
  'GET /api/health',
  'POST /api/auth/login',
  'POST /api/setup',
  'GET /api/openapi.json',
  // The person holding a one-time reset link has no session: the link's secret is the credential.
  'POST /api/password-reset/check',
  'POST /api/password-reset',
  // A phone signing in by QR code has no session: the one-time code is the credential.
  'POST /api/auth/code/check',
  'POST /api/auth/code',
]);

forEachDb((kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  test('GET /api/health names the database and the package version', async () => {
    const app = createApp({ db, version: packageVersion() });
    const res = await call(app, 'GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: kind, version: packageVersion() });
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('JSON answers are gzip-compressed for clients that accept it, and only for them', async () => {
    const app = createApp({ db, version: 'test' });
    const plain = await app.request('/api/openapi.json');
    const plainText = await plain.text();
    expect(plainText.length).toBeGreaterThan(10_000);
    expect(plain.headers.get('content-encoding')).toBeNull();
    const zipped = await app.request('/api/openapi.json', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toMatch(/accept-encoding/i);
    const wire = Buffer.from(await zipped.arrayBuffer());
    expect(wire.length).toBeLessThan(plainText.length / 3);
    expect(JSON.parse(gunzipSync(wire).toString())).toEqual(JSON.parse(plainText));
    const other = await app.request('/api/openapi.json', { headers: { 'accept-encoding': 'br' } });
    expect(other.headers.get('content-encoding')).toBeNull();
  });

  test('every route except the public ones requires a token', async () => {
    const app = createApp({ db, version: 'test' });
    // The debtor's page (/p/:token) answers HTML to anyone holding a link and opens nothing before
    // its identity check: its own matrix is in test/authz-matrix.test.ts.
    const routes = app.routes.filter((r) => r.method !== 'ALL' && !r.path.startsWith('/p/'));
    expect(routes.length).toBeGreaterThan(8);
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const path = route.path.replaceAll(/:[a-zA-Z]+/g, '01890a5d-ac96-774b-bcce-b302099a8057');
      const res = await call(app, route.method, path, route.method === 'GET' ? {} : { json: {} });
      if (PUBLIC_ROUTES.has(key)) expect(res.status, key).not.toBe(401);
      else expect(res.status, key).toBe(401);
    }
  });
});

describe('errors are problem+json', () => {
  const fakeDb = {} as Db;

  test.each([
    { method: 'GET', path: '/api/nope', status: 404, slug: 'not-found', allow: null },
    { method: 'GET', path: '/elsewhere', status: 404, slug: 'not-found', allow: null },
    {
      method: 'DELETE',
      path: '/api/auth/login',
      status: 405,
      slug: 'method-not-allowed',
      allow: 'POST',
    },
    {
      method: 'PUT',
      path: '/api/users/01890a5d-ac96-774b-bcce-b302099a8057',
      status: 405,
      slug: 'method-not-allowed',
      allow: 'GET, HEAD, PATCH',
    },
  ])('$method $path → $status', async ({ method, path, status, slug, allow }) => {
    const res = await call(createApp({ db: fakeDb, version: 'test' }), method, path);
    expectProblem(res, status, slug);
    expect(res.headers.get('allow')).toBe(allow);
  });

  test('an unexpected error is a 500 problem that leaks nothing and is logged with its id', async () => {
    const logged: unknown[] = [];
    const app = createApp({
      db: fakeDb,
      version: 'test',
      logError: (message, error) => logged.push(message, error),
    });
    app.get('/api/boom', () => {
      throw new Error('secret internals: connection string postgres://u:hunter2@db');
    });
    const res = await call<{ errorId: string }>(app, 'GET', '/api/boom');
    expectProblem(res, 500, 'internal');
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|secret|stack|Error/);
    expect(String(logged[0])).toContain(res.body.errorId);
    expect(String(logged[1])).toContain('hunter2');
  });

  test('a body over 1 MiB is refused with 413', async () => {
    const res = await call(createApp({ db: fakeDb, version: 'test' }), 'POST', '/api/auth/login', {
      json: { email: 'a@example.com', password: 'x'.repeat(1_100_000) },
    });
    expectProblem(res, 413, 'payload-too-large');
  });
});
