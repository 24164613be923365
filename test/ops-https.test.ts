/**
 * Phones over HTTPS, for real: Caddy (Debian's package, the LAN recipe of server/deploy/ with
 * `tls internal`) terminates TLS for a non-localhost name, quita.loja.lan, in front of the server
 * (trusting Caddy as its proxy). Chromium resolves the name to 127.0.0.1 (--host-resolver-rules)
 * and trusts Caddy's root certificate through an NSS database made with certutil — exactly what
 * a phone does once its owner installs that CA — and NOT through --ignore-certificate-errors.
 *
 * Over HTTPS: the collector signs in, the service worker takes control, the app is installable,
 * it reloads offline, a visit recorded offline reaches the server when back online (a sync
 * through Caddy), and the owner reads the server's state on Dispositivos. Every page runs under
 * the app's Content-Security-Policy and the test fails on any violation (the
 * securitypolicyviolation event and Chromium's console report).
 */
import { serve, type ServerType } from '@hono/node-server';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { parseTrustedProxies } from '../server/ops/forwarded';
import { ensurePwaBuilt } from '../server/pwa-build';
import { seedUser, TEST_PASSWORD, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import { screenshot, SHOTS } from './helpers/pwa-browser';
import { openTestDb } from './helpers/test-db';

const HOST = 'quita.loja.lan';
const CADDY = '/usr/bin/caddy';
const CERTUTIL = '/usr/bin/certutil';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const haveTools = existsSync(CADDY) && existsSync(CERTUTIL);
if (!haveTools && process.env['CI'])
  throw new Error('caddy and certutil are required in CI: run .ci/install-system-deps');

describe.skipIf(!haveTools)('HTTPS through Caddy with its internal CA', () => {
  let dir: string;
  let db: Db;
  let quita: ServerType;
  let caddy: ChildProcess | undefined;
  let caddyLog = '';
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let owner: SeededUser;
  let collector: SeededUser;
  let anaId: string;
  let app: ReturnType<typeof createApp>;
  let home: string;
  let ownerBrowser: Browser | undefined;
  const violations: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quita-https-'));
    mkdirSync(SHOTS, { recursive: true });
    db = await openTestDb('pglite');
    const built = await ensurePwaBuilt(() => undefined);
    if (!built) throw new Error('the PWA could not be built');
    const served = join(dir, 'pwa');
    cpSync(built, served, { recursive: true });
    app = createApp({
      db,
      version: 'test-https',
      pwaDir: served,
      trustedProxies: parseTrustedProxies('127.0.0.1'),
      logError: () => undefined,
    });
    quita = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((done) => quita.once('listening', done));
    const quitaPort = (quita.address() as AddressInfo).port;

    owner = await seedUser(db, 'owner', { name: 'Rosa Almeida' });
    collector = await seedUser(db, 'collector', { name: 'Carlos Campo' });
    anaId = await createDebtor(app, owner, { name: 'Ana Beatriz Lima' });
    await createDebt(app, owner, anaId);
    await assign(app, owner, collector.user.id, [anaId]);

    // Caddy: the LAN recipe (tls internal) on free ports, its state in the temp dir.
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    const caddyHome = join(dir, 'caddy');
    mkdirSync(caddyHome);
    writeFileSync(
      join(dir, 'Caddyfile'),
      `{
\tadmin off
\tskip_install_trust
\thttp_port ${httpPort}
\thttps_port ${httpsPort}
\tstorage file_system ${join(caddyHome, 'data')}
}

${HOST} {
\ttls internal
\tencode zstd gzip
\trespond /metrics 404
\treverse_proxy 127.0.0.1:${quitaPort}
}
`,
    );
    caddy = spawn(CADDY, ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
      env: {
        ...process.env,
        HOME: caddyHome,
        XDG_DATA_HOME: caddyHome,
        XDG_CONFIG_HOME: caddyHome,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    caddy.stdout?.on('data', (d: Buffer) => (caddyLog += d.toString()));
    caddy.stderr?.on('data', (d: Buffer) => (caddyLog += d.toString()));
    const root = join(caddyHome, 'data', 'pki', 'authorities', 'local', 'root.crt');
    await waitFor('Caddy to create its CA', () => existsSync(root), 60_000);
    await waitForTls(httpsPort, readFileSync(root));

    // The "phone": a fresh NSS database trusting only Caddy's root, as its owner would install it.
    home = join(dir, 'home');
    const nss = join(home, '.pki', 'nssdb');
    mkdirSync(nss, { recursive: true });
    const certutil = (args: string[]) => {
      const run = spawnSync(CERTUTIL, ['-d', `sql:${nss}`, ...args], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`certutil ${args.join(' ')}: ${run.stderr}`);
    };
    certutil(['-N', '--empty-password']);
    certutil(['-A', '-n', 'Quita loja (Caddy local CA)', '-t', 'C,,', '-i', root]);

    base = `https://${HOST}:${httpsPort}`;
    // A persistent profile: Chromium reports installability only outside incognito.
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      ...launchOptions(home),
      ...CONTEXT,
    });
    await watchContext(context);
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
  }, 120_000);

  const CONTEXT = {
    viewport: { width: 360, height: 640 },
    locale: 'pt-BR',
    timezoneId: 'America/Sao_Paulo',
  } as const;

  /** Chromium trusting the NSS database under `home`, resolving the shop's name locally. */
  function launchOptions(nssHome: string) {
    return {
      executablePath: '/usr/bin/chromium',
      headless: true,
      env: { ...process.env, HOME: nssHome },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
      ],
    };
  }

  /** Records CSP violations (event and console) and page errors of every page of `ctx`. */
  async function watchContext(ctx: BrowserContext): Promise<void> {
    await ctx.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const watch = (p: Page) => {
      p.on('console', (m) => {
        if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      p.on('pageerror', (e) => violations.push(`pageerror: ${String(e)}`));
    };
    ctx.pages().forEach(watch);
    ctx.on('page', watch);
  }

  afterAll(async () => {
    await context?.close();
    await ownerBrowser?.close();
    caddy?.kill('SIGTERM');
    if (caddy && caddy.exitCode === null) await new Promise((done) => caddy?.once('exit', done));
    await new Promise((done) => quita?.close(done));
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function cspReported(p: Page): Promise<string[]> {
    return p.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []);
  }

  test('the collector signs in over HTTPS; service worker in control; installable; offline reload; a sync through Caddy', async () => {
    const first = await page.goto(`${base}/`);
    expect(first?.status()).toBe(200);
    // A real TLS connection Chromium trusts (no error interstitial), and the app's headers
    // through the proxy: HSTS because Caddy said https and Quita trusts Caddy.
    const headers = first?.headers() ?? {};
    expect(headers['strict-transport-security']).toBe('max-age=31536000');
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    const security = await first?.securityDetails();
    expect(security?.issuer).toMatch(/Caddy Local Authority/);

    await page.getByLabel('E-mail').fill(collector.user.email);
    await page.getByLabel('Senha').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Olá, Carlos Campo' }).waitFor();
    await expect
      .poll(() => page.getByTestId('sw-state').textContent(), { timeout: 30_000 })
      .toBe('sim');
    // registerType 'prompt' (no clientsClaim): pages loaded after activation are controlled.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Olá, Carlos Campo' }).waitFor();
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null), {
        timeout: 30_000,
      })
      .toBe(`${base}/sw.js`);
    const cdp = await context.newCDPSession(page);
    const installability = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installability.installabilityErrors).toEqual([]);

    // The first sync (pull) came through Caddy: Ana is on the phone.
    await page.getByRole('navigation').getByRole('link', { name: 'Hoje', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Hoje' }).waitFor();
    await page.getByRole('link', { name: /Ana Beatriz Lima/ }).waitFor();

    // Offline: the shell and the data come from the service worker and IndexedDB.
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Hoje' }).waitFor();
    await page.getByRole('link', { name: /Ana Beatriz Lima/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Ana Beatriz Lima' }).waitFor();
    await page.getByRole('button', { name: 'Visita', exact: true }).click();
    await page.getByLabel('Não estava').check();
    await page.getByRole('button', { name: 'Salvar visita' }).click();
    await page.getByTestId('form-saved').waitFor();
    await screenshot(page, '90-https-offline-visit');

    // Back online: the visit is pushed through Caddy and the server holds it once.
    await context.setOffline(false);
    await expect
      .poll(
        async () =>
          (
            await db.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM visits WHERE debtor_id = $1`,
              [anaId],
            )
          )[0]?.n,
        { timeout: 30_000 },
      )
      .toBe(1);
    const devices = await call<{ items: { outboxPending: number }[] }>(
      app,
      'GET',
      '/api/status/devices',
      { headers: owner.headers },
    );
    expect(devices.status).toBe(200);
    await expect
      .poll(
        async () =>
          (
            await call<{ items: { outboxPending: number }[] }>(app, 'GET', '/api/status/devices', {
              headers: owner.headers,
            })
          ).body.items[0]?.outboxPending,
        { timeout: 30_000 },
      )
      .toBe(0);
    expect(await cspReported(page)).toEqual([]);
    expect(violations).toEqual([]);
  }, 120_000);

  test('the owner reads the server state on Dispositivos, under the same policy', async () => {
    // The owner's own browser (another person's device), trusting the same CA.
    ownerBrowser = await chromium.launch(launchOptions(home));
    const ownerContext = await ownerBrowser.newContext(CONTEXT);
    await watchContext(ownerContext);
    const ownerPage = await ownerContext.newPage();
    ownerPage.setDefaultTimeout(20_000);
    await ownerPage.goto(`${base}/`);
    await ownerPage.getByLabel('E-mail').fill(owner.user.email);
    await ownerPage.getByLabel('Senha').fill(TEST_PASSWORD);
    await ownerPage.getByRole('button', { name: 'Entrar' }).click();
    await ownerPage.getByRole('heading', { level: 1, name: 'Olá, Rosa Almeida' }).waitFor();
    for (const [link, heading] of [
      ['Carteira', 'Carteira'],
      ['Trabalho', 'Trabalho'],
      ['Revisão', 'Revisão'],
      ['Ajustes', 'Ajustes'],
      ['Dispositivos', 'Sincronização dos aparelhos'],
    ] as const) {
      // A click on the menu was lost twice in seven runs under load (the page never left the
      // previous screen, 20 s); the screen is asked for again up to three times before failing.
      for (let attempt = 1; ; attempt++) {
        await ownerPage
          .getByRole('navigation')
          .getByRole('link', { name: link, exact: true })
          .click();
        try {
          await ownerPage
            .getByRole('heading', { level: 1, name: heading })
            .waitFor({ timeout: attempt < 3 ? 7_000 : 20_000 });
          break;
        } catch (error) {
          if (attempt >= 3) throw error;
        }
      }
    }
    const card = ownerPage.getByTestId('server-state');
    await card.waitFor();
    expect(await ownerPage.getByTestId('server-version').textContent()).toBe('test-https');
    expect(await ownerPage.getByTestId('server-database').textContent()).toBe('embutido (PGlite)');
    expect(await ownerPage.getByTestId('server-backup').textContent()).toContain(
      'nenhum backup feito ainda',
    );
    expect(await ownerPage.getByTestId('server-email').textContent()).toContain(
      'Envio automático desligado',
    );
    expect(await ownerPage.getByTestId('server-https').textContent()).toContain(
      'HTTPS pelo proxy (Caddy)',
    );
    // No backup yet: the card is red and says so first.
    expect(await card.getByRole('heading', { level: 2 }).textContent()).toBe('Servidor · problema');
    await screenshot(ownerPage, '91-owner-server-state');
    expect(await cspReported(ownerPage)).toEqual([]);
    expect(violations).toEqual([]);
  }, 120_000);
});

/** Resolves once Caddy completes a TLS handshake for HOST that `ca` verifies. */
async function waitForTls(port: number, ca: Buffer): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port, servername: HOST, ca }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error('Caddy never served a certificate for ' + HOST);
    await new Promise((r) => setTimeout(r, 200));
  }
}
