import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createApp } from '../app';
import type { Db } from '../db/db';

// The static handler never touches the database; requests here never reach a route that does.
const fakeDb = {} as Db;
const dir = mkdtempSync(join(tmpdir(), 'quita-pwa-'));
mkdirSync(join(dir, 'assets'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Quita</title>');
writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {})');
writeFileSync(join(dir, 'manifest.webmanifest'), '{}');
writeFileSync(join(tmpdir(), 'quita-secret.txt'), 'secret');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = createApp({ db: fakeDb, version: 'test', pwaDir: dir });

describe('the PWA is served at /', () => {
  test.each([
    ['/', 200, 'text/html', 'no-cache', 'Quita'],
    ['/setup', 200, 'text/html', 'no-cache', 'Quita'],
    ['/debtors/123', 200, 'text/html', 'no-cache', 'Quita'],
    ['/assets/index-abc123.js', 200, 'text/javascript', 'immutable', 'console.log'],
    ['/sw.js', 200, 'text/javascript', 'no-cache', 'addEventListener'],
    ['/manifest.webmanifest', 200, 'application/manifest+json', 'no-cache', '{}'],
  ])('%s → %i %s', async (path, status, type, cache, body) => {
    const res = await app.request(path);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain(type);
    expect(res.headers.get('cache-control')).toContain(cache);
    expect(await res.text()).toContain(body);
  });

  test.each(['/assets/missing.js', '/..%2fquita-secret.txt', '/%2e%2e/quita-secret.txt'])(
    '%s is not served',
    async (path) => {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.text()).not.toBe('secret');
    },
  );

  test('a malformed escape falls back to the app shell instead of failing', async () => {
    const res = await app.request('/%E0%A4%A');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Quita');
  });

  test('API misses stay problem+json, never the SPA page', async () => {
    const res = await app.request('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
