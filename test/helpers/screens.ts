/**
 * The screen review harness: every screen and state a test shows is photographed at the two
 * sizes people use (a 360×640 phone, a 1280×800 desktop) under test-output/screens/, and read for
 * raw codes (./raw-codes.ts). Findings are collected, not thrown, so one run lists every screen
 * that shows a code; `expectWords()` fails with all of them at once.
 *
 * Any browser test can use it (`const review = screenReview('owner')`, then
 * `await review.check(page, 'users-list')` on each state), and `walkNavigation` visits every
 * screen the navigation offers that a test did not check by name: a new screen merged into the
 * app is photographed and read without anyone adding it to a list.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { rawCodesOn, type RawCodeFinding } from './raw-codes';

export const SCREENS = join(import.meta.dirname, '..', '..', 'test-output', 'screens');

export const VIEWPORTS = [
  { width: 360, height: 640 },
  { width: 1280, height: 800 },
] as const;

/**
 * Chromium flags for a Brazilian browser. Headless Chromium on a machine without the pt_BR
 * system locale still draws <input type="date"> as mm/dd/yyyy in the screenshots; a phone set to
 * Portuguese draws dd/mm/aaaa (the value the app reads is ISO either way).
 */
export const PT_BR_ARGS = ['--lang=pt-BR', '--accept-lang=pt-BR'];

export interface ScreenReview {
  /** Photographs `page` at both sizes and reads it for raw codes (`name`: a file-safe slug). */
  check(page: Page, name: string): Promise<void>;
  /** Paths already checked (the navigation walk skips them). */
  seen: Set<string>;
  findings: { screen: string; finding: RawCodeFinding }[];
  /** Fails listing every raw code found on every screen checked so far. */
  expectWords(): void;
}

export function screenReview(prefix: string): ScreenReview {
  for (const v of VIEWPORTS)
    mkdirSync(join(SCREENS, `${v.width}x${v.height}`), { recursive: true });
  const findings: ScreenReview['findings'] = [];
  const seen = new Set<string>();
  return {
    seen,
    findings,
    async check(page, name) {
      seen.add(new URL(page.url()).pathname);
      const screen = `${prefix}-${name}`;
      const original = page.viewportSize();
      // Read at each size: a layout may show or hide text per size.
      for (const v of VIEWPORTS) {
        await page.setViewportSize(v);
        // Let a resize-driven layout (the windowed lists) settle before the picture.
        await page.evaluate(
          () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
        );
        await page.screenshot({
          path: join(SCREENS, `${v.width}x${v.height}`, `${screen}.png`),
          fullPage: false,
        });
        for (const finding of await rawCodesOn(page)) {
          if (!findings.some((f) => f.screen === screen && f.finding.code === finding.code))
            findings.push({ screen, finding });
        }
      }
      if (original) await page.setViewportSize(original);
    },
    expectWords() {
      const lines = findings.map(
        ({ screen, finding }) =>
          `${screen}: "${finding.code}" (${finding.source}) in "…${finding.context}…"`,
      );
      expect(lines, `raw codes on screen:\n${lines.join('\n')}`).toEqual([]);
    },
  };
}

/**
 * Visits every link of the main navigation not yet checked and checks it as `nav-<path>`; the
 * page ends where it started. `ready` waits for a screen's content (default: its h1).
 */
export async function walkNavigation(
  page: Page,
  review: ScreenReview,
  ready: (page: Page) => Promise<unknown> = (p) => p.locator('main h1').first().waitFor(),
): Promise<string[]> {
  const start = page.url();
  const hrefs = await page
    .getByRole('navigation')
    .locator('a[href]')
    .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
  const visited: string[] = [];
  for (const href of new Set(hrefs)) {
    const path = new URL(href, start).pathname;
    if (review.seen.has(path)) continue;
    await page.getByRole('navigation').locator(`a[href="${href}"]`).first().click();
    await page.waitForURL((u) => u.pathname === path);
    await ready(page);
    // Screens that load data say "Carregando…" first: give them a moment to arrive.
    await page
      .getByText('Carregando…')
      .first()
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => undefined);
    await review.check(page, `nav${path.replace(/[^a-z0-9]+/gi, '-')}`);
    visited.push(path);
  }
  if (page.url() !== start) await page.goto(start);
  return visited;
}
