/**
 * axe-core on the debtor's page, whose Content-Security-Policy refuses every script it did not
 * ship (so `addScriptTag` is blocked, as it should be): axe is evaluated through the DevTools
 * protocol, which a page's CSP does not govern, and nothing is added to the page itself.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Fails the test when axe-core finds a serious or critical violation on the current page. */
export async function expectAxeCleanUnderCsp(page: Page, name: string): Promise<void> {
  await page.evaluate(AXE);
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
