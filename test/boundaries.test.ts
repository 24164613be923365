import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * The one dependency rule, checked on the real tree: every arrow points into shared/, and shared/
 * is pure. Oxlint enforces most of this while editing; this test also catches what lint cannot
 * (`new Date()` with no argument, dynamic imports) and fails CI if the lint config drifts.
 */
const ROOT = join(import.meta.dirname, '..');
const APPS = ['pwa', 'server', 'extension'] as const;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'fixtures' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

const IMPORT_RE =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(code: string): string[] {
  const found: string[] = [];
  for (const m of code.matchAll(IMPORT_RE)) found.push((m[1] ?? m[2]) as string);
  return found;
}

/** Violations of the rules for one file, as readable strings. */
export function violations(file: string, code: string): string[] {
  const out: string[] = [];
  const folder = file.split('/')[0];
  const isTest = /\.test\.tsx?$/.test(file);
  for (const spec of importsOf(code)) {
    const target =
      /^#(pwa|server|extension|test)\//.exec(spec)?.[1] ??
      /^(?:\.\.\/)+(pwa|server|extension|test)\//.exec(spec)?.[1];
    if (folder === 'shared') {
      if (target) out.push(`${file}: shared/ imports ${spec}`);
      if (
        !isTest &&
        /^(node:|preact|@preact\/|hono|@hono\/|dexie|pg$|@electric-sql\/|workbox|papaparse|fs$|path$)/.test(
          spec,
        )
      )
        out.push(`${file}: shared/ imports runtime/framework module ${spec}`);
    } else if (
      (APPS as readonly string[]).includes(folder ?? '') &&
      target &&
      target !== folder &&
      target !== 'test'
    )
      out.push(`${file}: ${folder}/ imports ${target}/ (${spec})`);
  }
  if (folder === 'shared' && !isTest) {
    if (/\bnew Date\(\s*\)|\bDate\.now\(|Math\.random\(/.test(code))
      out.push(`${file}: shared/ reads the clock or randomness`);
    if (
      // `document` is also our word for a CPF/CNPJ, so that global is left to oxlint's scope-aware rule.
      /(?<![.\w])(window|globalThis|localStorage|sessionStorage|indexedDB|process|navigator)\.\w/.test(
        code.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''),
      )
    )
      out.push(`${file}: shared/ touches a browser or Node global`);
  }
  return out;
}

describe('dependency rule', () => {
  test.each([
    ['shared/x/a.ts', "import { readFileSync } from 'node:fs';", 1],
    ['shared/x/a.ts', "import { x } from '../../server/app';", 1],
    ['shared/x/a.ts', "import { x } from '#pwa/db';", 1],
    ['shared/x/a.ts', 'export const today = new Date();', 1],
    ['shared/x/a.ts', 'export const n = Date.now();', 1],
    ['shared/x/a.ts', 'const w = window.innerWidth;', 1],
    ['shared/x/a.ts', "import * as v from 'valibot'; const d = new Date(ms);", 0],
    ['pwa/a.ts', "import { x } from '../server/app';", 1],
    ['server/a.ts', "const m = await import('../extension/sites/gmail');", 1],
    ['extension/a.ts', "import { x } from '#shared/money/money';", 0],
    ['server/a.ts', "import { x } from '../shared/money/money';", 0],
  ])('%s with `%s` has %i violation(s)', (file, code, count) => {
    expect(violations(file, code)).toHaveLength(count);
  });

  test('the repository follows it', () => {
    const found: string[] = [];
    for (const folder of ['shared', ...APPS]) {
      for (const path of sourceFiles(join(ROOT, folder))) {
        found.push(...violations(relative(ROOT, path), readFileSync(path, 'utf8')));
      }
    }
    expect(found).toEqual([]);
  });
});
