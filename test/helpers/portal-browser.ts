/**
 * Browser helpers for the debtor's page and the phone: axe (shared with the PWA tests; evaluated
 * through the DevTools protocol, so the page's CSP is tested as shipped) and a QR reader.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

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
