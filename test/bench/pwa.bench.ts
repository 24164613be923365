/**
 * The PWA's costs in real headless Chromium against the real server in-process (PGlite) serving
 * the BUILT app (dist/pwa, `npm run build`) with its real service worker, each beside a baseline
 * measured in the same run:
 *
 * (a) gzip JavaScript of a first screen: the collector's Today (/hoje) and the owner's Home (/).
 *     The files are the ones the browser requested during a real page load (recorded from the
 *     network, until the screen shows its content), gzipped at level 9 from the served build.
 *     Baseline (the floor): Preact + @preact/signals + Dexie, used in a tiny entry so nothing is
 *     tree-shaken away, built by Vite with the same Preact preset and minifier; the owner's screen
 *     needs no Dexie, so it is also shown beside Preact + signals alone.
 * (b) Time to first render OFFLINE: service worker active, `context.setOffline(true)`, reload of
 *     /hoje, until the first row read from IndexedDB is in the DOM (a MutationObserver installed
 *     before the page's scripts stamps `performance.now()`, i.e. ms since navigation start).
 *     Baseline: first-contentful-paint of the same reload — the shell (header, navigation) that
 *     the entry chunk paints from the same SW-served HTML and script before any IndexedDB read.
 *     It is the part of the load no Today implementation can avoid, so the difference is what the
 *     collector runtime (its chunk, opening Dexie, reading and merging 5,000 debtors, the list)
 *     costs. Both come from the same navigation, so machine noise hits both alike.
 * (c) Scrolling and filtering 5,000 debtors (../shared/data/portfolio-5k.csv imported through
 *     POST /api/import/debtors, all assigned to one collector, pulled by the PWA's first sync):
 *     a Chromium trace (CDP Tracing) while the list is scrolled to the end frame by frame and a
 *     search is typed key by key; the longest main-thread task and the count of long tasks
 *     (> 50 ms). Baseline: the same scroll and typing over a plain static list of 5,000 <li>
 *     (no script, no handler) overlaid in the same page.
 * Rounds: QUITA_BENCH_PWA_ROUNDS (default 3) reloads for (b) and traces for (c).
 */
import { serve } from '@hono/node-server';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import preact from '@preact/preset-vite';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { DEXIE_ESM } from '../../vite.config';
import { createApp } from '../../server/app';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { buildPwa } from '../../server/pwa-build';
import { CHROMIUM, ROOT } from '../extension-harness';
import { seedUser, TEST_PASSWORD, type SeededUser } from '../helpers/auth';
import { portfolioCsvPath } from '../portfolio';
import type { BenchResult } from './harness';
import { longTasks, trace } from './trace';

const ROUNDS = Number(process.env['QUITA_BENCH_PWA_ROUNDS'] ?? '3');
const COLLECTOR_EMAIL = 'carlos.campo@bench.example.com.br';
const OWNER_EMAIL = 'rosa.almeida@bench.example.com.br';
const GZIP = { level: 9 };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

// ---- (a) the floor: the three libraries alone, built by Vite the same way

const FLOOR_ENTRIES: Record<string, string> = {
  'preact + signals + dexie': `
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { signal } from '@preact/signals';
import { Dexie, liveQuery } from 'dexie';
const db = new Dexie('floor');
db.version(1).stores({ items: 'id, name' });
const count = signal(0);
liveQuery(() => db.table('items').count()).subscribe({ next: (n) => (count.value = n) });
function App() {
  const [text, setText] = useState('');
  return <p onClick={() => setText(text + '.')}>{count.value}{text}</p>;
}
render(<App />, document.getElementById('app')!);
`,
  'preact + signals': `
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { signal } from '@preact/signals';
const count = signal(0);
function App() {
  const [text, setText] = useState('');
  return <p onClick={() => { count.value++; setText(text + '.'); }}>{count.value}{text}</p>;
}
render(<App />, document.getElementById('app')!);
`,
};

/** gzip bytes of every JS file Vite emits for a one-page app whose entry is `source`. */
async function floorBytes(source: string): Promise<number> {
  const dir = mkdtempSync(join(ROOT, 'test-output', 'pwa-floor-'));
  try {
    writeFileSync(join(dir, 'main.tsx'), source);
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><div id="app"></div><script type="module" src="./main.tsx"></script>',
    );
    const out = await build({
      configFile: false,
      logLevel: 'silent',
      root: dir,
      plugins: [preact()],
      // The same Dexie build the app bundles (its ES module build), so the floor is like for like.
      resolve: { alias: [DEXIE_ESM] },
      build: { write: false },
    });
    let bytes = 0;
    for (const o of Array.isArray(out) ? out : [out])
      if ('output' in o)
        for (const chunk of o.output)
          if (chunk.type === 'chunk') bytes += gzipSync(chunk.code, GZIP).length;
    return bytes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Records the same-origin .js files a page requests (through the service worker or not). */
function recordScripts(page: Page, base: string): { files: () => string[] } {
  const seen = new Set<string>();
  page.on('request', (req) => {
    const url = req.url();
    if (url.startsWith(base) && new URL(url).pathname.endsWith('.js'))
      seen.add(new URL(url).pathname);
  });
  return { files: () => [...seen].filter((p) => p !== '/sw.js' && !p.startsWith('/workbox-')) };
}

function gzipOf(served: string, files: readonly string[]): number {
  return files.reduce((sum, f) => sum + gzipSync(readFileSync(join(served, f)), GZIP).length, 0);
}

// ---- the stack

interface Stack {
  base: string;
  served: string;
  owner: SeededUser;
  collector: SeededUser;
  debtors: number;
  browser: Browser;
  close(): Promise<void>;
}

async function startStack(): Promise<Stack> {
  // Always a fresh production build of the current sources (never a dist/pwa left by a test run).
  const served = mkdtempSync(join(tmpdir(), 'quita-pwa-bench-'));
  await buildPwa(await import('vite'), served);
  const db = await openPglite();
  await migrate(db);
  const app = createApp({ db, version: 'bench', pwaDir: served, logError: () => undefined });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((done) => server.once('listening', done));
  const base = `http://localhost:${(server.address() as AddressInfo).port}`;
  const owner = await seedUser(db, 'owner', { email: OWNER_EMAIL, name: 'Rosa Almeida' });
  const collector = await seedUser(db, 'collector', {
    email: COLLECTOR_EMAIL,
    name: 'Carlos Campo',
  });
  const csv = readFileSync(portfolioCsvPath(5000));
  const imported = await app.request('/api/import/debtors', {
    method: 'POST',
    headers: { ...owner.headers, 'content-type': 'text/csv' },
    body: csv,
  });
  const report = (await imported.json()) as { errorCount: number; rows: number };
  if (imported.status !== 200 || report.errorCount > 0)
    throw new Error(`bench pwa: import → ${imported.status} ${JSON.stringify(report)}`);
  const ids = (await db.query<{ id: string }>('SELECT id FROM debtors ORDER BY id')).map(
    (r) => r.id,
  );
  const assigned = await app.request('/api/assignments', {
    method: 'POST',
    headers: { ...owner.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ collectorId: collector.user.id, debtorIds: ids }),
  });
  if (assigned.status !== 200)
    throw new Error(`bench pwa: assign → ${assigned.status} ${await assigned.text()}`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    base,
    served,
    owner,
    collector,
    debtors: ids.length,
    browser,
    close: async () => {
      await browser.close();
      await new Promise((done) => server.close(done));
      await db.close();
      rmSync(served, { recursive: true, force: true });
    },
  };
}

async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 1,
    locale: 'pt-BR',
    timezoneId: 'America/Sao_Paulo',
  });
  // Stamps the moment the first Today row is in the DOM, and the moment the live list (read
  // and derived from IndexedDB) replaced the kept head, for (b); installed before any script.
  await context.addInitScript(() => {
    const w = window as unknown as { firstRowAt?: number; liveAt?: number };
    new MutationObserver((_, observer) => {
      if (w.firstRowAt === undefined && document.querySelector('.vrow'))
        w.firstRowAt = performance.now();
      if (w.liveAt === undefined && document.querySelector('[data-live="true"]'))
        w.liveAt = performance.now();
      if (w.firstRowAt !== undefined && w.liveAt !== undefined) observer.disconnect();
    }).observe(document, { childList: true, subtree: true, attributes: true });
  });
  return context;
}

async function signIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Senha').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Olá' }).waitFor();
}

const rowsShown = (page: Page) => page.locator('.vrow').first().waitFor({ timeout: 60_000 });

// ---- (b) offline first render

async function offlineFirstRender(context: BrowserContext, page: Page, base: string) {
  await context.setOffline(true);
  const rows: number[] = [];
  const shell: number[] = [];
  const live: number[] = [];
  try {
    for (let i = 0; i < ROUNDS + 1; i++) {
      await page.goto(`${base}/hoje`);
      await rowsShown(page);
      await page.locator('[data-live="true"]').waitFor({ timeout: 60_000 });
      const t = await page.evaluate(() => ({
        row: (window as unknown as { firstRowAt?: number }).firstRowAt ?? Number.NaN,
        live: (window as unknown as { liveAt?: number }).liveAt ?? Number.NaN,
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
        controlled: navigator.serviceWorker.controller !== null,
      }));
      if (!t.controlled) throw new Error('bench pwa: the offline reload was not served by the SW');
      // The first load warms Chromium's code cache, as a phone's second launch would.
      if (i === 0) continue;
      rows.push(t.row);
      live.push(t.live);
      shell.push(t.fcp);
    }
    // Not timed: what the main thread does during one offline load (long tasks, for the report).
    const load = await trace(page, async () => {
      await page.goto(`${base}/hoje`);
      await rowsShown(page);
      await page.waitForTimeout(500);
    });
    const tasks = longTasks(load);
    console.error(
      `bench pwa: offline load: longest task ${tasks.longest.toFixed(0)} ms, ${tasks.count} long tasks`,
    );
  } finally {
    await context.setOffline(false);
  }
  console.error(`bench pwa: offline first row ms ${rows.map((x) => x.toFixed(0)).join(', ')}`);
  console.error(`bench pwa: offline live list ms ${live.map((x) => x.toFixed(0)).join(', ')}`);
  console.error(`bench pwa: offline shell FCP ms ${shell.map((x) => x.toFixed(0)).join(', ')}`);
  const unit = `/hoje, ${ROUNDS} reloads after 1 warm-up, ms since navigation start`;
  const baseline = {
    name: 'shell first contentful paint',
    medianMs: median(shell),
    runs: shell.length,
  };
  return [
    {
      group: 'pwa: offline reload → first row (SW, kept head of the list)',
      unit,
      subject: { name: 'Today shows its first row', medianMs: median(rows), runs: rows.length },
      baseline,
    },
    {
      group: 'pwa: offline reload → live list (SW + IndexedDB, all 5,000 read and derived)',
      unit,
      subject: { name: 'Today shows the live list', medianMs: median(live), runs: live.length },
      baseline,
    },
  ];
}

// ---- (c) scroll to the end + type a search, traced

const SEARCH = 'silva';

/**
 * Scrolls `selector` to its end one screen per frame, as a fast fling does; `null` scrolls the
 * page itself (Today's list is the page's scroll).
 */
async function scrollToEnd(page: Page, selector: string | null): Promise<void> {
  // A string, not a function: tsx's name helpers do not exist in the page.
  await page.evaluate(`new Promise((resolve) => {
    const el = ${selector === null ? 'document.scrollingElement' : `document.querySelector(${JSON.stringify(selector)})`};
    function step() {
      el.scrollTop += el.clientHeight;
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) resolve();
      else requestAnimationFrame(step);
    }
    requestAnimationFrame(step);
  })`);
}

async function typeSearch(page: Page, selector: string): Promise<void> {
  await page.locator(selector).click();
  await page.locator(selector).pressSequentially(SEARCH, { delay: 60 });
  // Let the last keystroke's render land in the trace.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
}

const PLAIN_LIST = (n: number) => `
  const box = document.createElement('div');
  box.id = 'plain';
  box.style.cssText = 'position:fixed;inset:0;z-index:99;background:#fff;display:flex;flex-direction:column';
  const input = document.createElement('input');
  input.id = 'plain-search';
  input.type = 'search';
  input.setAttribute('aria-label', 'busca');
  const list = document.createElement('div');
  list.id = 'plain-list';
  list.style.cssText = 'flex:1;overflow:auto';
  const items = [];
  for (let i = 0; i < ${n}; i++) items.push('<li style="height:64px">Cliente ' + i + '</li>');
  list.innerHTML = '<ul>' + items.join('') + '</ul>';
  box.append(input, list);
  document.body.append(box);
`;

async function scrollAndFilter(page: Page, debtors: number): Promise<BenchResult[]> {
  const today: { longest: number; count: number }[] = [];
  const plain: { longest: number; count: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    await page.locator('#today-search').fill('');
    await page.evaluate(() => scrollTo(0, 0));
    await rowsShown(page);
    const events = await trace(page, async () => {
      await scrollToEnd(page, null);
      await typeSearch(page, '#today-search');
    });
    today.push(longTasks(events));
    const shown = await page.getByTestId('today-count').textContent();
    if (i === 0) console.error(`bench pwa: Today after typing '${SEARCH}': ${shown}`);

    await page.evaluate(PLAIN_LIST(debtors));
    const baseline = await trace(page, async () => {
      await scrollToEnd(page, '#plain-list');
      await typeSearch(page, '#plain-search');
    });
    plain.push(longTasks(baseline));
    await page.evaluate(() => document.getElementById('plain')?.remove());
  }
  const show = (xs: { longest: number; count: number }[]) =>
    xs.map((x) => `${x.longest.toFixed(0)} ms/${x.count}`).join(', ');
  console.error(`bench pwa: Today longest/long tasks per trace: ${show(today)}`);
  console.error(`bench pwa: plain list longest/long tasks per trace: ${show(plain)}`);
  const unit = `${debtors.toLocaleString('en')} debtors: scroll to the end + type '${SEARCH}', median of ${ROUNDS} traces`;
  return [
    {
      group: 'pwa: scroll + filter, longest main-thread task',
      unit,
      subject: {
        name: 'Today list (virtualised, Dexie data)',
        medianMs: median(today.map((x) => x.longest)),
        runs: ROUNDS,
      },
      baseline: {
        name: `plain static list of ${debtors.toLocaleString('en')} <li>`,
        medianMs: median(plain.map((x) => x.longest)),
        runs: ROUNDS,
      },
    },
    {
      group: 'pwa: scroll + filter, long tasks > 50 ms',
      unit: `${unit} (the "median" columns are counts, not ms)`,
      subject: {
        name: 'Today list (virtualised, Dexie data)',
        medianMs: median(today.map((x) => x.count)),
        runs: ROUNDS,
      },
      baseline: {
        name: `plain static list of ${debtors.toLocaleString('en')} <li>`,
        medianMs: median(plain.map((x) => x.count)),
        runs: ROUNDS,
      },
    },
  ];
}

// ---- the module

export async function run(): Promise<BenchResult[]> {
  const floors: Record<string, number> = {};
  for (const [name, source] of Object.entries(FLOOR_ENTRIES))
    floors[name] = await floorBytes(source);
  const stack = await startStack();
  const results: BenchResult[] = [];
  try {
    const { base, browser } = stack;
    // The collector: sign in, wait for the service worker and the first sync of 5,000 debtors.
    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await signIn(page, base, COLLECTOR_EMAIL);
    await page.getByRole('navigation').getByRole('link', { name: 'Hoje', exact: true }).click();
    const expected = `${stack.debtors.toLocaleString('pt-BR')} clientes`;
    const started = Date.now();
    console.error(`bench pwa: ${stack.debtors} debtors imported and assigned; first sync…`);
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="today-count"]')?.textContent === text,
      expected,
      { timeout: 300_000, polling: 500 },
    );
    // Installed and active (it precaches the whole build first); it controls the next loads.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    console.error(`bench pwa: first sync of ${expected} in ${Date.now() - started} ms`);

    // (a) a real load of /hoje in a fresh tab of the same (synced, SW-controlled) profile.
    const fresh = await context.newPage();
    const scripts = recordScripts(fresh, base);
    await fresh.goto(`${base}/hoje`);
    await rowsShown(fresh);
    const collectorFiles = scripts.files();
    await fresh.waitForTimeout(2_000);
    const sessionFiles = scripts.files();
    await fresh.close();
    const collectorBytes = gzipOf(stack.served, collectorFiles);
    console.error(`bench pwa: collector /hoje loads ${collectorFiles.join(' ')}`);
    const late = sessionFiles.filter((f) => !collectorFiles.includes(f));
    if (late.length > 0) console.error(`bench pwa: … and after it renders ${late.join(' ')}`);

    const ownerContext = await newContext(browser);
    const ownerPage = await ownerContext.newPage();
    await signIn(ownerPage, base, OWNER_EMAIL);
    const ownerFresh = await ownerContext.newPage();
    const ownerScripts = recordScripts(ownerFresh, base);
    await ownerFresh.goto(`${base}/`);
    await ownerFresh.getByRole('heading', { level: 1 }).filter({ hasText: 'Olá' }).waitFor();
    const ownerFiles = ownerScripts.files();
    await ownerContext.close();
    console.error(`bench pwa: owner / loads ${ownerFiles.join(' ')}`);
    const ownerBytes = gzipOf(stack.served, ownerFiles);
    const sizeUnit = 'gzip bytes of JS loaded (the "median" columns are bytes, not ms)';
    const floorAll = floors['preact + signals + dexie'] ?? Number.NaN;
    results.push(
      {
        group: 'pwa: first-screen JS',
        unit: sizeUnit,
        subject: {
          name: `collector /hoje (${collectorFiles.length} files)`,
          medianMs: collectorBytes,
          runs: 1,
        },
        baseline: { name: 'floor: preact + signals + dexie', medianMs: floorAll, runs: 1 },
      },
      {
        group: 'pwa: first-screen JS',
        unit: sizeUnit,
        subject: { name: `owner / (${ownerFiles.length} files)`, medianMs: ownerBytes, runs: 1 },
        baseline: {
          name: 'floor: preact + signals',
          medianMs: floors['preact + signals'] ?? Number.NaN,
          runs: 1,
        },
      },
    );

    // (b) and (c) on the collector's tab.
    results.push(...(await offlineFirstRender(context, page, base)));
    results.push(...(await scrollAndFilter(page, stack.debtors)));
    await context.close();
  } finally {
    await stack.close();
  }
  return results;
}
