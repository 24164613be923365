/**
 * What every answer of the app carries and what an owner can read about the server, in-process
 * (createApp + app.request; a socket peer is simulated through the Node bindings where the
 * client address matters):
 * - security headers on EVERY file of the built PWA, the client-route fallback, every /api route
 *   (enumerated from app.routes) and the error answers; a route's own CSP is kept;
 * - HSTS only over HTTPS, X-Forwarded-* believed only from a trusted proxy (the login
 *   rate-limit key shows which address the server believed);
 * - /metrics behind a token, parsed by a Prometheus text-format parser, with route patterns;
 * - JSON logs with request ids and no personal data, even when an error quotes some;
 * - GET /api/status/server for the owner.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Hono } from 'hono';
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { parseTrustedProxies } from '../server/ops/forwarded';
import { createLogger } from '../server/ops/logger';
import { createMetrics } from '../server/ops/metrics';
import { ensurePwaBuilt } from '../server/pwa-build';
import { seedUser, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { assign, cpf, createDebt, createDebtor } from './helpers/ledger';
import { paymentPayload, testDevice, visitPayload } from './helpers/sync';
import { openTestDb } from './helpers/test-db';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const NO_ID = '01890000-0000-7000-8000-000000000000';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Node bindings as @hono/node-server passes them: the TCP peer of the request. */
function peer(address: string, encrypted = false) {
  return { incoming: { socket: { remoteAddress: address, remoteFamily: 'IPv4', encrypted } } };
}

function expectCommonHeaders(res: Response, what: string): void {
  const h = res.headers;
  expect(h.get('x-content-type-options'), what).toBe('nosniff');
  expect(h.get('x-frame-options'), what).toBe('DENY');
  expect(h.get('referrer-policy'), what).toBe('no-referrer');
  expect(h.get('content-security-policy'), what).toMatch(/frame-ancestors 'none'/);
  expect(h.get('permissions-policy'), what).toMatch(/camera=\(\)/);
  expect(h.get('x-request-id'), what).toMatch(/^[0-9a-f-]{36}$/);
  expect(h.get('strict-transport-security'), `${what} over plain HTTP`).toBeNull();
}

describe('operations over HTTP', () => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  let collector: SeededUser;
  let pwaDir: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    db = await openTestDb('pglite');
    const built = await ensurePwaBuilt(() => undefined);
    if (!built) throw new Error('the PWA could not be built');
    pwaDir = built;
    app = createApp({
      db,
      version: 'test',
      pwaDir,
      metrics: createMetrics({ version: 'test' }),
      metricsToken: METRICS_TOKEN,
      trustedProxies: parseTrustedProxies('127.0.0.1'),
      logger: createLogger({ format: 'json', out: { write: (t) => void logLines.push(t) } }),
    });
    owner = await seedUser(db, 'owner', { email: 'dona.rosa@padaria.example.com.br' });
    collector = await seedUser(db, 'collector');
  });
  afterAll(async () => {
    await db.close();
  });

  test('every file of the built PWA and the client-route fallback carry the document policy', async () => {
    const paths = [
      ...files(pwaDir).map((f) => `/${relative(pwaDir, f)}`),
      '/',
      '/setup',
      '/devedores/algum',
    ];
    expect(paths).toContain('/sw.js');
    expect(paths).toContain('/manifest.webmanifest');
    for (const path of paths) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expectCommonHeaders(res, path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp, path).toContain("object-src 'none'");
      expect(res.headers.get('permissions-policy'), path).toMatch(/geolocation=\(self\)/);
      expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
    }
    // The shell has no inline script for the policy to allow.
    const html = await (await app.request('/')).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  test('every /api route (and /metrics, 404, 405, 413) carries the API policy', async () => {
    const routes = [
      ...new Set(
        app.routes
          .filter((r) => r.method !== 'ALL' && (r.path.startsWith('/api') || r.path === '/metrics'))
          .map((r) => `${r.method} ${r.path.replace(/:[a-zA-Z]+/g, NO_ID)}`),
      ),
    ];
    expect(routes.length).toBeGreaterThan(40);
    const extra = ['GET /api/nothing-here', 'DELETE /api/health'];
    for (const route of [...routes, ...extra]) {
      const [method, path] = route.split(' ') as [string, string];
      const res = await app.request(path, {
        method,
        ...(method === 'GET' || method === 'HEAD'
          ? {}
          : { body: '{}', headers: { 'content-type': 'application/json' } }),
      });
      expectCommonHeaders(res, route);
      expect(res.headers.get('content-security-policy'), route).toContain("default-src 'none'");
      expect(res.headers.get('permissions-policy'), route).toMatch(/geolocation=\(\)/);
      await res.arrayBuffer();
    }
    const big = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
    });
    expect(big.status).toBe(413);
    expectCommonHeaders(big, '413');
  });

  test("a route's own Content-Security-Policy is kept (the debtor's page brings its own)", async () => {
    const parent = new Hono();
    parent.get('/p/:token', (c) =>
      c.html('<p>ok</p>', 200, {
        'content-security-policy': "default-src 'none'; style-src 'nonce-x'",
      }),
    );
    parent.route('/', app);
    const res = await parent.request('/p/abc');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'nonce-x'",
    );
  });

  test('HSTS only over HTTPS; X-Forwarded-* only from a trusted proxy', async () => {
    const https = await app.request(
      '/api/health',
      { headers: { 'x-forwarded-proto': 'https' } },
      peer('127.0.0.1'),
    );
    expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000');
    const spoofed = await app.request(
      '/api/health',
      { headers: { 'x-forwarded-proto': 'https' } },
      peer('203.0.113.9'),
    );
    expect(spoofed.headers.get('strict-transport-security')).toBeNull();
    const direct = await app.request('/api/health', {}, peer('203.0.113.9', true));
    expect(direct.headers.get('strict-transport-security')).toBe('max-age=31536000');

    // The address the login rate-limit is keyed on: the client behind the trusted proxy (right-most
    // untrusted hop), and the real peer when an outsider sends the header.
    const fail = (headers: Record<string, string>, from: string) =>
      app.request(
        '/api/auth/login',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ email: 'ninguem@example.com', password: 'errada errada' }),
        },
        peer(from),
      );
    await fail({ 'x-forwarded-for': '1.2.3.4, 198.51.100.7' }, '127.0.0.1');
    await fail({ 'x-forwarded-for': '198.51.100.8' }, '203.0.113.9');
    const ips = (
      await db.query<{ ip: string }>(
        `SELECT ip FROM login_attempts WHERE email = 'ninguem@example.com' ORDER BY at`,
      )
    ).map((r) => r.ip);
    expect(ips).toEqual(['198.51.100.7', '203.0.113.9']);
  });

  test('/metrics: token or owner only; parsed as Prometheus text with route patterns, DB time and sync counts', async () => {
    const debtor = await createDebtor(app, owner, { name: 'Maria Aparecida Souza' });
    const debt = await createDebt(app, owner, debtor);
    await assign(app, owner, collector.user.id, [debtor]);
    expect(
      (await call(app, 'GET', `/api/debtors/${debtor}`, { headers: owner.headers })).status,
    ).toBe(200);
    const device = testDevice(app, collector.headers, () => new Date());
    await device.sync();
    const pushed = await device.push([
      device.mutation('visit.recorded', debtor, visitPayload()),
      device.mutation('payment.recorded', debtor, paymentPayload(debt, 5000, 'R-1')),
    ]);
    expect(pushed.status).toBe(200);
    await device.sync();

    await (await app.request('/manifest.webmanifest')).arrayBuffer();
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: collector.headers })).status).toBe(401);
    expect(
      (
        await app.request('/metrics', {
          headers: { authorization: 'Bearer wrong-token-0123456789' },
        })
      ).status,
    ).toBe(401);
    expect((await app.request('/metrics', { headers: owner.headers })).status).toBe(200);
    const res = await app.request('/metrics', {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).not.toContain(debtor);
    const families = parsePrometheusTextFormat(text);
    // The parser folds a labelled histogram into one sample; read its per-label _count and _sum
    // series from a second parse where histograms are left untyped.
    const series = parsePrometheusTextFormat(text.replace(/^# TYPE \S+ histogram$/gm, ''));
    const family = (name: string): PromFamily => {
      const found = families.find((f) => f.name === name);
      if (found) return found;
      // Untyped, each label set's _count line starts a family of its own: gather them.
      const parts = series.filter((f) => f.name === name);
      if (parts.length === 0) throw new Error(`metric ${name} missing`);
      return { ...(parts[0] as PromFamily), metrics: parts.flatMap((f) => f.metrics) };
    };
    expect(families.every((f) => f.help !== '' && f.type !== 'UNTYPED')).toBe(true);
    expect(family('quita_http_request_duration_seconds').type).toBe('HISTOGRAM');
    const httpCount = family('quita_http_request_duration_seconds_count').metrics;
    const routes = httpCount.map((m) => m.labels?.['route']);
    expect(routes).toContain('/api/debtors/:id');
    expect(routes).toContain('/api/sync/push');
    expect(routes).toContain('/api/sync/pull');
    expect(routes).toContain('static');
    expect(routes.every((r) => r !== undefined && !r.includes(debtor))).toBe(true);
    const get = httpCount.find(
      (m) => m.labels?.['route'] === '/api/debtors/:id' && m.labels['method'] === 'GET',
    );
    expect(Number(get?.value)).toBeGreaterThanOrEqual(1);
    expect(
      httpCount.some((m) => m.labels?.['route'] === 'unmatched' && m.labels['status'] === '404'),
    ).toBe(true);
    const dbCount = family('quita_db_duration_seconds_count').metrics;
    expect(dbCount.some((m) => m.labels?.['op'] === 'transaction' && Number(m.value) > 0)).toBe(
      true,
    );
    const dbSum = family('quita_db_duration_seconds_sum').metrics;
    expect(dbSum.some((m) => m.labels?.['db'] === 'pglite' && Number(m.value) > 0)).toBe(true);
    expect(family('quita_database_up').metrics[0]?.value).toBe('1');
    const mutations = family('quita_sync_push_mutations_total').metrics;
    expect(Number(mutations.find((m) => m.labels?.['status'] === 'applied')?.value)).toBe(2);
    const pulls = family('quita_sync_pull_requests_total').metrics;
    expect(Number(pulls.find((m) => m.labels?.['kind'] === 'first')?.value)).toBeGreaterThanOrEqual(
      1,
    );
    expect(Number(family('quita_sync_pull_changes_total').metrics[0]?.value)).toBeGreaterThan(0);
    const queue = family('quita_email_queue_tasks').metrics;
    expect(queue.map((m) => m.labels?.['status']).sort()).toEqual([
      'failed',
      'pending',
      'sending',
      'uncertain',
    ]);
    expect(family('quita_cadence_worker_enabled').metrics[0]?.value).toBe('0');
    expect(Number(family('quita_database_size_bytes').metrics[0]?.value)).toBeGreaterThan(1e6);
  });

  test('logs: one JSON line per request with its id, and no personal data even in errors', async () => {
    logLines.length = 0;
    const email = 'maria.souza@exemplo.com.br';
    const phone = '+5511987654321';
    const document = cpf(4242);
    const login = await call(app, 'POST', '/api/auth/login', {
      json: { email, password: 'senha errada demais' },
    });
    expect(login.status).toBe(401);
    const created = await call<{ id: string }>(app, 'POST', '/api/debtors', {
      headers: owner.headers,
      json: {
        kind: 'person',
        name: 'Maria Souza',
        document,
        contactPoints: [
          { kind: 'email', value: email },
          { kind: 'phone', value: phone },
        ],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const lookup = await app.request(`/api/debtors/lookup?email=${encodeURIComponent(email)}`, {
      headers: owner.headers,
    });
    await lookup.arrayBuffer();
    await (
      await app.request(`/api/debtors?q=Maria%20Souza`, { headers: owner.headers })
    ).arrayBuffer();
    await (
      await app.request(`/api/debtors/lookup?phone=${encodeURIComponent(phone)}`, {
        headers: owner.headers,
      })
    ).arrayBuffer();

    // An unexpected error whose message quotes personal data (as a PostgreSQL detail would).
    const failing = createApp({
      db: {
        ...db,
        kind: db.kind,
        query: async () => {
          throw new Error(`duplicate key (email)=(${email}) for CPF ${document}, phone ${phone}`);
        },
      },
      version: 'test',
      logger: createLogger({ format: 'json', out: { write: (t) => void logLines.push(t) } }),
    });
    const broken = await failing.request('/api/health');
    expect(broken.status).toBe(503);
    const boom = await failing.request('/api/debtors', { headers: owner.headers });
    expect(boom.status).toBe(500);
    const errorId = ((await boom.json()) as { errorId: string }).errorId;

    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const all = logLines.join('');
    for (const secret of [
      email,
      'maria.souza',
      phone,
      '987654321',
      document,
      document.replace(/\D/g, ''),
      'Maria Souza',
      owner.token,
    ])
      expect(all, `log leaked ${secret}`).not.toContain(secret);
    const requests = entries.filter((e) => e['msg'] === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(7);
    for (const r of requests) {
      expect(r['reqId']).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof r['route']).toBe('string');
      expect(Object.keys(r)).not.toContain('path');
    }
    expect(requests.map((r) => r['route'])).toContain('/api/debtors/lookup');
    const lookupLine = requests.find((r) => r['route'] === '/api/debtors/lookup');
    expect(lookupLine?.['role']).toBe('owner');
    const error = entries.find((e) => e['msg'] === 'unexpected error');
    expect(error?.['errorId']).toBe(errorId);
    expect(JSON.stringify(error)).toContain('[e-mail]');
    expect(JSON.stringify(error)).toContain('[documento]');
    // The request line of the 500 and its error line share the request id.
    const failedRequest = requests.find((r) => r['status'] === 500);
    expect(failedRequest?.['reqId']).toBe(error?.['reqId']);
    expect(failedRequest?.['reqId']).toBe(boom.headers.get('x-request-id'));
  });

  test('GET /api/status/server: the owner reads the server state; others cannot', async () => {
    expect(
      (await call(app, 'GET', '/api/status/server', { headers: collector.headers })).status,
    ).toBe(403);
    const res = await call<Record<string, unknown>>(app, 'GET', '/api/status/server', {
      headers: owner.headers,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      version: 'test',
      database: { kind: 'pglite' },
      backup: { last: null, level: 'red' },
      email: { workerEnabled: false, pending: 0, failed: 0, level: 'green' },
    });
    await db.query(
      `INSERT INTO ops_backups (id, kind, database, file, bytes, started_at, finished_at, ok, error, host)
       VALUES ($1, 'scheduled', 'pglite', '/b/quita-1.pglite.tar.gz', 1234, now(), now(), true, null, 'h')`,
      [NO_ID],
    );
    const after = await call<{ backup: { level: string; last: { bytes: number } } }>(
      app,
      'GET',
      '/api/status/server',
      { headers: owner.headers },
    );
    expect(after.body.backup).toMatchObject({ level: 'green', last: { bytes: 1234 } });
  });
});
