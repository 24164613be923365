/**
 * `quita serve` with its own certificate (QUITA_TLS_CERT/QUITA_TLS_KEY, or --tls-cert/--tls-key):
 * the real process answers HTTPS with that certificate and sends HSTS; a certificate and key that
 * do not match, or a missing file, stop it with a one-line reason.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { main } from '../server/cli/main';
import { startQuitaServer } from './helpers/cli';
import { databaseEnvFor } from './helpers/test-db';

let dir: string;
let env: Record<string, string>;
let cleanup: () => Promise<void>;

function makeCert(name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=quita.loja.lan',
      '-addext',
      'subjectAltName=DNS:quita.loja.lan,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quita-tls-'));
  ({ env, cleanup } = await databaseEnvFor('pglite'));
  env = { ...env, QUITA_BACKUP_AT: 'off' };
}, 120_000);
afterAll(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

test('serves HTTPS with the given certificate, with HSTS', async () => {
  const { cert, key } = makeCert('good');
  const server = await startQuitaServer({ ...env, QUITA_TLS_CERT: cert, QUITA_TLS_KEY: key });
  try {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { readFileSync } = await import('node:fs');
    const answer = await new Promise<{ status: number; hsts: string | undefined; body: string }>(
      (resolve, reject) => {
        const req = request(
          `${server.url}/api/health`,
          { ca: readFileSync(cert), servername: 'quita.loja.lan' },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                hsts: res.headers['strict-transport-security'] as string | undefined,
                body,
              }),
            );
          },
        );
        req.once('error', reject);
        req.end();
      },
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok', database: 'pglite' });
    expect(answer.hsts).toBe('max-age=31536000');
  } finally {
    expect((await server.stop()).code).toBe(0);
  }
}, 120_000);

test('a key that does not match, or a missing file, is refused with the reason', async () => {
  const a = makeCert('a');
  const b = makeCert('b');
  const run = async (args: string[], extra: Record<string, string> = {}) => {
    let stderr = '';
    const code = await main(['serve', '--port', '0', ...args], {
      stdout: () => undefined,
      stderr: (t) => void (stderr += t),
      env: { ...env, ...extra },
      cwd: dir,
    });
    return { code, stderr };
  };
  const mismatch = await run(['--tls-cert', a.cert, '--tls-key', b.key]);
  expect(mismatch.code).toBe(1);
  expect(mismatch.stderr).toMatch(/não combinam/);
  const missing = await run(['--tls-cert', join(dir, 'nope.crt'), '--tls-key', a.key]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/--tls-cert .*nope\.crt: ENOENT/);
  const half = await run(['--tls-cert', a.cert]);
  expect(half.code).toBe(2);
  expect(half.stderr).toMatch(/--tls-cert e --tls-key vão juntos/);
  writeFileSync(join(dir, 'junk.crt'), 'not a certificate');
  const junk = await run([], { QUITA_TLS_CERT: join(dir, 'junk.crt'), QUITA_TLS_KEY: a.key });
  expect(junk.code).toBe(1);
  expect(junk.stderr).toMatch(/não é um certificado PEM/);
}, 120_000);
