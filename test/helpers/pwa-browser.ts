/**
 * What the PWA browser tests share: the built app served by the real server in-process (a copy of
 * dist/pwa, so a test may change sw.js without touching the build), the axe-core check and the
 * screenshot folder reviewers look at.
 */
import { serve, type ServerType } from '@hono/node-server';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { createApp } from '../../server/app';
import type { Db } from '../../server/db/db';
import { ensurePwaBuilt } from '../../server/pwa-build';

export const SHOTS = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface PwaServer {
  app: ReturnType<typeof createApp>;
  server: ServerType;
  /** http://localhost:PORT — localhost is a secure context (service workers, Web Locks). */
  base: string;
  /** The served copy of the build. */
  served: string;
  close(): Promise<void>;
}

/**
 * Builds the PWA if stale and serves a copy of it with the API on `db`, on a random port; `now`
 * is the server's clock (a test moves it to reach a later day).
 */
export async function startPwaServer(
  db: Db,
  options: { now?: () => Date } = {},
): Promise<PwaServer> {
  mkdirSync(SHOTS, { recursive: true });
  const pwaDir = await ensurePwaBuilt(() => undefined);
  if (!pwaDir) throw new Error('the PWA could not be built (is Vite installed?)');
  const served = mkdtempSync(join(tmpdir(), 'quita-pwa-'));
  cpSync(pwaDir, served, { recursive: true });
  const app = createApp({
    db,
    version: 'test',
    pwaDir: served,
    logError: () => undefined,
    ...(options.now ? { now: options.now } : {}),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((done) => server.once('listening', done));
  const base = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    app,
    server,
    base,
    served,
    close: async () => {
      await new Promise((done) => server.close(done));
      rmSync(served, { recursive: true, force: true });
    },
  };
}

/** Fails the test when axe-core finds a serious or critical violation on the current page. */
export async function expectAxeClean(page: Page, name: string): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self', as shipped)
  // does not govern; a <script> tag with inline content would be refused by it.
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            options: object,
          ): Promise<{
            violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[];
          }>;
        };
      }
    ).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3),
    }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${name}: ${JSON.stringify(serious)}`).toEqual([]);
}

/** A 360×640 screenshot kept under test-output/screenshots for reviewers. */
export function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}
