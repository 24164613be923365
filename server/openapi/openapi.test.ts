import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { openTestDb } from '#test/helpers/test-db';
import { call } from '#test/helpers/http';
import { apiOperations, toOpenApiPath } from './document';

interface Doc {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: {
          content: Record<string, { schema: { properties?: Record<string, unknown> } }>;
        };
        security?: unknown[];
        'x-roles'?: string[];
        'x-token-scopes'?: string[];
      }
    >
  >;
}

let db: Db;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  db = await openTestDb('pglite');
  app = createApp({ db, version: '9.9.9' });
});
afterAll(async () => {
  await db.close();
});

test('every mounted /api route appears in the document, with its method', async () => {
  const res = await call<Doc>(app, 'GET', '/api/openapi.json');
  expect(res.status).toBe(200);
  expect(res.body.openapi).toBe('3.1.0');
  const operations = apiOperations(app.routes);
  expect(operations.length).toBeGreaterThan(20);
  const missing = operations.filter(
    (r) => res.body.paths[toOpenApiPath(r.path)]?.[r.method.toLowerCase()] === undefined,
  );
  expect(missing).toEqual([]);
  for (const path of ['/api/cadence/today', '/api/settings/templates/{id}', '/api/openapi.json'])
    expect(Object.keys(res.body.paths)).toContain(path);
});

test('request bodies come from the shared schemas; roles and security are stated', async () => {
  const { body } = await call<Doc>(app, 'GET', '/api/openapi.json');
  const put = body.paths['/api/settings/templates/{id}']?.['put'];
  const schema = put?.requestBody?.content['application/json']?.schema;
  expect(schema).toBeDefined();
  expect(JSON.stringify(schema)).toContain('privacySafe');
  expect(put?.['x-roles']).toEqual(['owner']);
  const org =
    body.paths['/api/settings/organisation']?.['put']?.requestBody?.content['application/json']
      ?.schema;
  expect(JSON.stringify(org)).toContain('legalName');
  expect(JSON.stringify(org)).toContain('paymentLinkTemplate');
  expect(body.paths['/api/health']?.['get']?.security).toEqual([]);
  expect(body.paths['/api/auth/login']?.['post']?.requestBody).toBeDefined();
});

test('the document is public and valid JSON with an info block', async () => {
  const res = await call<{ info: { version: string } }>(app, 'GET', '/api/openapi.json');
  expect(res.status).toBe(200);
  expect(res.body.info.version).toBe('9.9.9');
});

test('the spreadsheet and LGPD operations state their roles and the bodies they take', async () => {
  const { body } = await call<Doc>(app, 'GET', '/api/openapi.json');
  const ops = Object.entries(body.paths)
    .filter(([path]) => /^\/api\/(import|export|lgpd)\//.test(path))
    .flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => ({ path, m, op })));
  expect(ops.length).toBe(11);
  for (const { path, m, op } of ops) {
    expect(op['x-roles'], `${m} ${path}`).toBeDefined();
    expect(op['x-token-scopes'], `${m} ${path}`).toEqual(['full']);
  }
  const put = body.paths['/api/import/mappings']?.['put']?.requestBody?.content['application/json'];
  expect(JSON.stringify(put?.schema)).toContain('headers');
  expect(body.paths['/api/lgpd/report']?.['get']?.['x-roles']).toEqual(['owner']);
});
