/**
 * The whole stack for the extension's end-to-end tests: the real server (createApp on a PGlite
 * test database, served by @hono/node-server on a random port) seeded through its API, the fixture
 * sites, and Chromium with the built extension signed in through its options page.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { seedUser, TEST_PASSWORD } from './helpers/auth';
import {
  ensureExtensionBuilt,
  fixture,
  launchWithExtension,
  startFixtureSite,
  type ExtensionBrowser,
  type FixtureSite,
} from './extension-harness';

/** A Tuesday, 14:00 in São Paulo: inside the default contact window. */
export const NOW = new Date('2026-11-24T17:00:00.000Z');

export const MARIA = {
  name: 'Maria Aparecida Silva',
  phone: '+5511987654321',
  email: 'maria.silva@example.com.br',
};
export const CARLOS = {
  name: 'Carlos Eduardo Souza',
  phone: '+5521998765432',
  email: 'carlos.souza@example.com.br',
};
export const STAFF_EMAIL = 'joana@padaria.example.com.br';

export interface Stack {
  db: Db;
  apiUrl: string;
  /** Takes the API server down (connections refused) or brings it back on the same port. */
  serverDown(): Promise<void>;
  serverUp(): Promise<void>;
  ownerHeaders: Record<string, string>;
  debtors: { maria: string; carlos: string };
  site: FixtureSite;
  browser: ExtensionBrowser;
  close(): Promise<void>;
}

async function send(
  apiUrl: string,
  headers: Record<string, string>,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

export interface StackOptions {
  /** The database; default a PGlite test database from the vitest harness. */
  openDb?: () => Promise<Db>;
  /** Extra verified debtors with WhatsApp numbers +55 31 99100-00NN (for benchmarks). */
  extraDebtors?: number;
  /** Further unpacked extensions to load beside Quita (the benchmark's no-op content script). */
  extraExtensions?: readonly string[];
}

/** The WhatsApp number of extra debtor `i` (see `StackOptions.extraDebtors`). */
export function extraPhone(i: number): string {
  return `+553199100${String(i).padStart(4, '0')}`;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  // Imported lazily: the vitest harness cannot load outside a test run (benchmarks pass openDb).
  const openDb =
    options.openDb ?? (async () => (await import('./helpers/test-db')).openTestDb('pglite'));
  const [db, extensionDir, site] = await Promise.all([
    openDb(),
    ensureExtensionBuilt(),
    startFixtureSite(),
  ]);
  const app = createApp({ db, version: 'test', now: () => NOW, logError: () => undefined });
  const listen = async (port: number) => {
    const started = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
    await new Promise((done) => started.once('listening', done));
    return started;
  };
  let server: ReturnType<typeof serve> | null = await listen(0);
  const port = (server.address() as AddressInfo).port;
  const apiUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    const running = server;
    server = null;
    if (!running) return;
    await new Promise((done) => {
      running.close(done);
      (running as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
  };

  const owner = await seedUser(db, 'owner', { now: NOW });
  await seedUser(db, 'staff', { email: STAFF_EMAIL, name: 'Joana Atendente', now: NOW });
  const api = (method: string, path: string, body?: unknown) =>
    send(apiUrl, owner.headers, method, path, body);
  await api('PUT', '/api/settings/organisation', {
    legalName: 'Padaria Pão Quente Ltda',
    document: '11.222.333/0001-81',
    address: {
      street: 'Rua das Flores',
      number: '123',
      district: 'Centro',
      city: 'Campinas',
      state: 'SP',
      postalCode: '13010-000',
    },
    phone: '(19) 3232-1234',
    pix: { key: '11.222.333/0001-81', keyType: 'cnpj' },
    paymentLinkTemplate: 'https://pague.padaria.example.com.br/{txid}',
  });
  const debtor = async (who: typeof MARIA, verified: boolean) =>
    String(
      (
        await api('POST', '/api/debtors', {
          kind: 'person',
          name: who.name,
          contactPoints: [
            { kind: 'phone', value: who.phone, verified, isWhatsapp: true },
            { kind: 'email', value: who.email, verified },
          ],
        })
      )?.id,
    );
  const maria = await debtor(MARIA, true);
  for (let i = 0; i < (options.extraDebtors ?? 0); i += 1) {
    const id = await debtor(
      { name: `Cliente ${i}`, phone: extraPhone(i), email: `cliente${i}@example.com.br` },
      true,
    );
    await api('POST', '/api/debts', {
      debtorId: id,
      description: 'compra de outubro',
      principal: 10_000 + i,
      issueDate: '2026-10-10',
      dueDate: '2026-11-19',
      kind: 'consumer',
    });
  }
  const carlos = await debtor(CARLOS, true);
  for (const [debtorId, principal, dueDate] of [
    // Five and one days overdue: the d+5 and d+1 reminder steps, whose messages render fully.
    [maria, 15_000, '2026-11-19'],
    [carlos, 42_000, '2026-11-23'],
  ] as const)
    await api('POST', '/api/debts', {
      debtorId,
      description: 'compra de outubro',
      principal,
      issueDate: '2026-10-10',
      dueDate,
      kind: 'consumer',
    });

  const browser = await launchWithExtension(extensionDir, site.port, options.extraExtensions);
  const optionsPage = await browser.context.newPage();
  await optionsPage.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await optionsPage.fill('input[name=server]', apiUrl);
  await optionsPage.fill('input[name=email]', STAFF_EMAIL);
  await optionsPage.fill('input[name=password]', TEST_PASSWORD);
  await optionsPage.click('button[type=submit]');
  await optionsPage.waitForSelector('[data-session]:has-text("Conectado como Joana Atendente")');
  await optionsPage.close();

  return {
    db,
    apiUrl,
    serverDown: stop,
    async serverUp() {
      server ??= await listen(port);
    },
    ownerHeaders: owner.headers,
    debtors: { maria, carlos },
    site,
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await site.close();
      await stop();
      await db.close();
    },
  };
}

/** The Gmail inbox URL fixtures are served at, and a thread URL for `token`. */
export const GMAIL_URL = 'https://mail.google.com/mail/u/0/';

/** Serves a Gmail fixture at https://mail.google.com/mail/u/0/. */
export function serveGmail(site: FixtureSite, name: string): void {
  site.pages.set('mail.google.com/mail/u/0/', fixture(name));
}

/** Where Outlook on the web fixtures are served. */
export const OUTLOOK_URL = 'https://outlook.office.com/mail/inbox';
export const OUTLOOK_POPOUT_URL = 'https://outlook.office.com/mail/deeplink/compose';

/** Serves an Outlook fixture at https://outlook.office.com/mail/inbox (or `path`). */
export function serveOutlook(site: FixtureSite, name: string, path = '/mail/inbox'): void {
  site.pages.set(`outlook.office.com${path}`, fixture(name));
}

/**
 * In-page source (a string, so no bundler helper leaks into it) of `html(source)`: the markup
 * through a Trusted Types policy of the test's own (Gmail's pages refuse plain HTML strings).
 */
const TRUSTED_HTML = `(source) => {
  window.quitaTestPolicy ??= window.trustedTypes?.createPolicy('quita-test', { createHTML: (s) => s });
  return window.quitaTestPolicy ? window.quitaTestPolicy.createHTML(source) : source;
}`;

/** Inserts `html` at the end of the element matching `selector`: the site rendering more. */
export async function appendHtml(page: Page, selector: string, html: string): Promise<void> {
  await page.evaluate(`(() => {
    const html = ${TRUSTED_HTML};
    const target = document.querySelector(${JSON.stringify(selector)});
    if (!target) throw new Error('no ' + ${JSON.stringify(selector)});
    target.insertAdjacentHTML('beforeend', html(${JSON.stringify(html)}));
  })()`);
}

/**
 * Simulates a webmail switching conversations in place: the element matching `selector` (Gmail's
 * visible [role=main], Outlook's #ReadingPaneContainerId) is replaced by the one of `html`.
 */
export async function switchView(page: Page, html: string, selector: string): Promise<void> {
  await page.evaluate(`(() => {
    const html = ${TRUSTED_HTML};
    const sel = ${JSON.stringify(selector)};
    const next = new DOMParser().parseFromString(html(${JSON.stringify(html)}), 'text/html').querySelector(sel);
    const current = document.querySelector(sel);
    if (!next || !current) throw new Error('no ' + sel + ' to switch');
    current.replaceWith(document.importNode(next, true));
  })()`);
}

/**
 * Arms the page to replace the element matching `view` by the one of `html` from inside the
 * first focus of the element matching `target` (a switch in the same task as whatever focuses).
 */
export async function switchOnFocus(
  page: Page,
  target: string,
  view: string,
  html: string,
): Promise<void> {
  await page.evaluate(`(() => {
    const html = ${TRUSTED_HTML};
    const sel = ${JSON.stringify(view)};
    const parsed = new DOMParser().parseFromString(html(${JSON.stringify(html)}), 'text/html');
    const next = document.importNode(parsed.querySelector(sel), true);
    document.querySelector(${JSON.stringify(target)})?.addEventListener(
      'focus', () => document.querySelector(sel)?.replaceWith(next), { once: true });
  })()`);
}

/**
 * Arms the page to append `html` to the element matching `into` from inside the first focus of
 * the element matching `target` (a recipient added in the same task as whatever focuses).
 */
export async function appendOnFocus(
  page: Page,
  target: string,
  into: string,
  html: string,
): Promise<void> {
  await page.evaluate(`(() => {
    const html = ${TRUSTED_HTML};
    const holder = document.createElement('div');
    holder.innerHTML = html(${JSON.stringify(html)});
    const node = holder.firstElementChild;
    document.querySelector(${JSON.stringify(target)})?.addEventListener(
      'focus', () => document.querySelector(${JSON.stringify(into)})?.append(node), { once: true });
  })()`);
}

/** Serves a WhatsApp fixture (with the Lexical stand-in) at https://web.whatsapp.com/. */
export function serveWhatsApp(
  site: FixtureSite,
  name: string,
  edit: (html: string) => string = (h) => h,
): void {
  const html = edit(fixture(name)).replace(
    '</body>',
    `<script>${fixture('lexical-shim.js')}</script></body>`,
  );
  site.pages.set('web.whatsapp.com/', html);
}

/** Simulates a chat switch the way WhatsApp does it: #main is replaced by the other chat's pane. */
export async function switchChat(page: Page, html: string): Promise<void> {
  await page.evaluate((source) => {
    const next = new DOMParser().parseFromString(source, 'text/html').querySelector('#main');
    const current = document.querySelector('#main');
    if (!next || !current) throw new Error('no #main to switch');
    current.replaceWith(document.importNode(next, true));
  }, html);
}

/** The overlay iframe (inside a closed shadow root, so found through the frame tree). */
export async function overlayFrame(page: Page) {
  for (let i = 0; i < 100; i += 1) {
    const frame = page.frames().find((f) => f.url().endsWith('/overlay.html'));
    if (frame) return frame;
    await page.waitForTimeout(50);
  }
  throw new Error('overlay iframe not found');
}

/** The composer's text as lines (Lexical paragraphs / Gmail blocks), read in the page. */
export function composerText(page: Page, selector: string): Promise<string> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return '';
    const lines: string[] = [];
    let current = '';
    let open = false;
    const walk = (node: Element) => {
      for (const child of node.childNodes) {
        if (child.nodeType === 3) {
          current += (child as Text).data;
          open = true;
        } else if (child instanceof Element && child.tagName === 'BR') {
          lines.push(current);
          current = '';
          open = false;
        } else if (child instanceof Element && /^(P|DIV)$/.test(child.tagName)) {
          if (open) lines.push(current);
          current = '';
          open = false;
          walk(child);
          if (open) lines.push(current);
          current = '';
          open = false;
        } else if (child instanceof Element) {
          current += child.textContent ?? '';
          open = true;
        }
      }
    };
    walk(el);
    if (open) lines.push(current);
    return lines.join('\n');
  }, selector);
}
