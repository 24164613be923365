/**
 * Browser helpers for the debtor's page and the phone: axe (shared with the PWA tests; evaluated
 * through the DevTools protocol, so the page's CSP is tested as shipped) and a QR reader.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { ensureDevice, openDb, type QuitaDb } from '../../pwa/db/db';
import { createSyncEngine, type SyncEngine } from '../../pwa/sync/sync-engine';
import type { SeededUser } from './auth';

export { expectAxeClean as expectAxeCleanUnderCsp } from './pwa-browser';

const JSQR = createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js');

/** What a banking app's camera reads: jsQR over a PNG of the code, in a blank page's canvas. */
export async function readQr(page: Page, png: Buffer): Promise<string | null> {
  const blank = await page.context().newPage();
  try {
    await blank.addScriptTag({ path: JSQR });
    return await blank.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d');
      if (!ctx) return null;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height);
      const jsQR = (
        window as unknown as {
          jsQR: (d: Uint8ClampedArray, w: number, h: number) => { data: string } | null;
        }
      ).jsQR;
      return jsQR(data.data, data.width, data.height)?.data ?? null;
    }, png.toString('base64'));
  } finally {
    await blank.close();
  }
}

/** The collector's phone: the PWA's Dexie database and sync engine, over real HTTP. */
export async function phoneOf(
  base: string,
  collector: Pick<SeededUser, 'user' | 'headers'>,
  options: { now?: () => Date } = {},
): Promise<{ db: QuitaDb; engine: SyncEngine }> {
  const opened = await openDb({
    indexedDB: new IDBFactory(),
    IDBKeyRange,
    name: `phone-${Math.random()}`,
  });
  if (!opened.ok) throw new Error(opened.failure.message);
  await ensureDevice(opened.db, {
    collectorId: collector.user.id,
    newId: () => crypto.randomUUID(),
  });
  const engine = createSyncEngine({
    db: opened.db,
    baseUrl: base,
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), ...collector.headers },
      }),
    now: options.now ?? (() => new Date()),
    random: () => 0.5,
    health: {
      persisted: async () => true,
      displayMode: () => 'standalone',
      userAgent: 'portal-test',
    },
    appVersion: 'portal-test',
  });
  return { db: opened.db, engine };
}
