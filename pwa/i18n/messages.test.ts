import { describe, expect, test } from 'vitest';
import { accessPtBR } from './messages-access';
import { deskPtBR } from './messages-desk';
import { guidePtBR } from './messages-guide';
import { fieldPtBR } from './messages-field';
import { officePtBR } from './messages-office';
import { reconciliationPtBR } from './messages-reconciliation';
import { loadMessages, t, type MessageKey } from './messages';
import { startPtBR } from './messages-start';
import { syncPtBR } from './messages-sync';

// Raw sources through Vite (pwa/ code, tests included, stays off Node's APIs).
const SOURCES = import.meta.glob<string>(
  ['../app/*.{ts,tsx}', '../screens/**/*.{ts,tsx}', '../ui/*.tsx'],
  {
    query: '?raw',
    import: 'default',
    eager: true,
  },
);
const areaKeys = new Set<string>([
  ...Object.keys(officePtBR),
  ...Object.keys(reconciliationPtBR),
  ...Object.keys(fieldPtBR),
  ...Object.keys(deskPtBR),
  ...Object.keys(guidePtBR),
  ...Object.keys(accessPtBR),
]);

/** Files that render before any area's text is loaded: the shell and the collector's first screen. */
const FIRST_SCREEN = [
  'app/app.tsx',
  'app/api.ts',
  'app/collector.ts',
  'app/router.ts',
  'app/routes.ts',
  'app/session.ts',
  'screens/collector/today.tsx',
  'screens/collector/collector-data.ts',
  'ui/sync-indicator.tsx',
  'ui/async.tsx',
];

describe('messages split by area', () => {
  test('no key is defined twice (one key space): area keys are in no other table', () => {
    const office = Object.keys(officePtBR);
    expect(office.filter((key) => key in fieldPtBR)).toEqual([]);
    const tables = [officePtBR, fieldPtBR, deskPtBR, startPtBR, syncPtBR].map((x) =>
      Object.keys(x),
    );
    const all = tables.flat();
    expect(all.filter((key, i) => all.indexOf(key) !== i)).toEqual([]);
    // The tables a module registers on import answer once that module is loaded.
    expect(t('home.hello')).toBe(startPtBR['home.hello']);
    expect(t('reject.not_assigned')).toBe(syncPtBR['reject.not_assigned']);
    expect(Object.keys(deskPtBR).filter((key) => key in officePtBR || key in fieldPtBR)).toEqual(
      [],
    );
    const others = { ...officePtBR, ...fieldPtBR, ...deskPtBR };
    expect(Object.keys(guidePtBR).filter((key) => key in others)).toEqual([]);
    expect(Object.keys(accessPtBR).filter((key) => key in others || key in guidePtBR)).toEqual([]);
    // Before any area is loaded, only the core table answers.
    for (const key of areaKeys) expect(t(key as MessageKey)).toBeUndefined();
  });

  test('the screens before the work bring their own text; Today does not', () => {
    for (const file of ['screens/home.tsx', 'screens/sign-in.tsx', 'screens/setup.tsx'])
      expect(SOURCES[`../${file}`]).toContain("import '../i18n/messages-start';");
    for (const file of FIRST_SCREEN)
      expect(SOURCES[`../${file}`]).not.toMatch(/messages-(start|sync)/);
  });

  test.each(FIRST_SCREEN)('%s shows only text of the core table', (file) => {
    const source = SOURCES[`../${file}`];
    if (source === undefined) throw new Error(`${file} not found`);
    const used = [...source.matchAll(/'([a-zA-Z0-9]+\.[\w.]+)'/g)].map((m) => m[1] ?? '');
    expect(used.filter((key) => areaKeys.has(key))).toEqual([]);
    // Keys built at run time in these files come from core prefixes only.
    const built = [...source.matchAll(/`([a-zA-Z0-9]+)\.\$\{/g)].map((m) => `${m[1]}.`);
    for (const prefix of built)
      expect([...areaKeys].filter((key) => key.startsWith(prefix))).toEqual([]);
  });

  test('an area key reads once its area is loaded; core keys at once', async () => {
    expect(t('today.title')).toBe('Hoje');
    const office = Object.keys(officePtBR)[0] as MessageKey;
    const field = Object.keys(fieldPtBR)[0] as MessageKey;
    expect(t(office)).toBeUndefined();
    await loadMessages('office');
    expect(t(office)).toBe(officePtBR[office as keyof typeof officePtBR]);
    expect(t(field)).toBeUndefined();
    await Promise.all([loadMessages('field'), loadMessages('field')]);
    expect(t(field)).toBe(fieldPtBR[field as keyof typeof fieldPtBR]);
  });
});
