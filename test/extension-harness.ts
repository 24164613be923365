/**
 * Shared machinery of the extension tests: build the extension when dist/extension is missing or
 * older than its sources, bundle a module for injection into a page, serve fixture pages as
 * https://mail.google.com, https://outlook.office.com, https://outlook.live.com and
 * https://web.whatsapp.com (local HTTPS + --host-resolver-rules, a self-signed certificate made
 * with openssl in a temp dir), and launch Debian's Chromium with the extension loaded (and,
 * optionally, other unpacked extensions beside it) (reference/toolchain.md §4).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { build } from 'vite';
import { buildExtension, EXTENSION_DIST } from '../extension/build';

export const ROOT = resolve(import.meta.dirname, '..');
export const FIXTURES = join(ROOT, 'extension/sites/fixtures');
export const CHROMIUM = process.env.CHROME_BIN ?? '/usr/bin/chromium';

/** The hosts the fixture server answers for (each mapped to it in Chromium). */
export const SITE_HOSTS = [
  'mail.google.com',
  'outlook.office.com',
  'outlook.live.com',
  'web.whatsapp.com',
] as const;

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'fixtures' || name === 'node_modules') continue;
    const path = join(dir, name);
    const st = statSync(path);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(path) : st.mtimeMs);
  }
  return newest;
}

/** Builds the extension unless dist/extension is newer than extension/ and shared/. */
export async function ensureExtensionBuilt(): Promise<string> {
  const manifest = join(EXTENSION_DIST, 'manifest.json');
  const built = existsSync(manifest) ? statSync(manifest).mtimeMs : 0;
  const sources = Math.max(newestMtime(join(ROOT, 'extension')), newestMtime(join(ROOT, 'shared')));
  if (built < sources) await buildExtension();
  return EXTENSION_DIST;
}

/** `entry` bundled as one IIFE script that assigns its exports to `window[globalName]`. */
export async function bundleForPage(entry: string, globalName: string): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { alias: [{ find: /^#shared\/(.*)$/, replacement: join(ROOT, 'shared/$1.ts') }] },
    build: {
      write: false,
      minify: false,
      lib: {
        entry: resolve(ROOT, entry),
        formats: ['iife'],
        name: globalName,
        fileName: () => 'bundle.js',
      },
    },
  });
  const outputs = Array.isArray(out) ? out : [out];
  for (const o of outputs)
    if ('output' in o) for (const chunk of o.output) if (chunk.type === 'chunk') return chunk.code;
  throw new Error(`no bundle produced for ${entry}`);
}

/** A self-signed certificate for the two sites, made with openssl in a temp dir. */
function certificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'quita-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=mail.google.com',
        '-addext',
        `subjectAltName=${SITE_HOSTS.map((h) => `DNS:${h}`).join(',')},DNS:localhost`,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface FixtureSite {
  port: number;
  /** Sets what a host serves at a path: `pages.set('mail.google.com/mail/u/0/', html)`. */
  pages: Map<string, string>;
  close(): Promise<void>;
}

/** Serves `pages` by host + path over HTTPS on 127.0.0.1 (what --host-resolver-rules points at). */
export async function startFixtureSite(): Promise<FixtureSite> {
  const pages = new Map<string, string>();
  const server: Server = createServer(certificate(), (req, res) => {
    const host = (req.headers.host ?? '').split(':')[0];
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const body = pages.get(`${host}${path}`);
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        // Gmail enforces Trusted Types; the content script must cope (reference §5.6 #8).
        ...(host === 'mail.google.com'
          ? { 'content-security-policy': "require-trusted-types-for 'script'" }
          : {}),
      })
      .end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    pages,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export interface ExtensionBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  close(): Promise<void>;
}

/** Chromium with the built extension loaded, both sites mapped to the fixture server. */
export async function launchWithExtension(
  extensionDir: string,
  sitePort: number,
  /** Further unpacked extensions to load beside it (the benchmark's no-op content script). */
  extraExtensions: readonly string[] = [],
): Promise<ExtensionBrowser> {
  const dirs = [extensionDir, ...extraExtensions].join(',');
  const rules = SITE_HOSTS.map((h) => `MAP ${h} 127.0.0.1:${sitePort}`).join(', ');
  const profile = mkdtempSync(join(tmpdir(), 'quita-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-extensions-except=${dirs}`,
      `--load-extension=${dirs}`,
      `--host-resolver-rules=${rules}, EXCLUDE localhost, EXCLUDE 127.0.0.1`,
      '--ignore-certificate-errors',
    ],
    ignoreDefaultArgs: ['--disable-extensions'],
  });
  // Quita's worker is the one that imports its service-worker.js.
  const isQuita = (w: Worker) => w.url().endsWith('/service-worker.js');
  let worker = context.serviceWorkers().find(isQuita);
  while (!worker) {
    const next = await context.waitForEvent('serviceworker');
    if (isQuita(next)) worker = next;
  }
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    worker,
    extensionId,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
