/**
 * `npm start` must work on a fresh clone with nothing built: before serving, rebuild the PWA into
 * dist/pwa when it is missing or older than its sources (pwa/ and the shared/ code it bundles).
 * Vite is a dev dependency; where it is absent (a production install) the server runs API-only.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type * as ViteModule from 'vite';

type ViteApi = typeof ViteModule;

const REPO = join(import.meta.dirname, '..');
export const PWA_DIST = join(REPO, 'dist', 'pwa');

function newestMtime(dir: string): number {
  let newest = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name.includes('.test.')) continue;
    const path = join(dir, name);
    const info = statSync(path);
    newest = Math.max(newest, info.isDirectory() ? newestMtime(path) : info.mtimeMs);
  }
  return newest;
}

/** True when dist/pwa is missing or older than pwa/, shared/ or the Vite config. */
export function pwaBuildIsStale(): boolean {
  let built: number;
  try {
    built = statSync(join(PWA_DIST, 'index.html')).mtimeMs;
  } catch {
    return true;
  }
  const sources = Math.max(
    newestMtime(join(REPO, 'pwa')),
    newestMtime(join(REPO, 'shared')),
    statSync(join(REPO, 'vite.config.ts')).mtimeMs,
  );
  return sources > built;
}

/** Builds the PWA if stale; resolves to the directory to serve, or undefined for API-only. */
export async function ensurePwaBuilt(log: (line: string) => void): Promise<string | undefined> {
  if (!pwaBuildIsStale()) return PWA_DIST;
  let vite: ViteApi;
  try {
    vite = await import('vite');
  } catch {
    log('quita: the PWA is not built and Vite is not installed; serving the API only');
    return undefined;
  }
  log('quita: building the PWA (first start or sources changed)…');
  await buildPwa(vite, PWA_DIST);
  return PWA_DIST;
}

/**
 * A production build into `outDir`. Vite and the Preact preset decide "production" from NODE_ENV,
 * which a test runner sets to 'test': left alone, a build made there would ship preact/debug and
 * the devtools hook (about 4 KB gzip more on the first screen), and `npm start` after `npm test`
 * would serve it.
 */
export async function buildPwa(vite: ViteApi, outDir: string): Promise<void> {
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await vite.build({
      configFile: join(REPO, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = nodeEnv;
  }
}
