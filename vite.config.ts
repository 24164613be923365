/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { pwaIcons } from './pwa/build/icons.ts';

const here = import.meta.dirname;
const { version } = JSON.parse(readFileSync(resolve(here, 'package.json'), 'utf8')) as {
  version: string;
};

// Dexie's package entry wraps its ES5 UMD build for ES imports; its ES module build for modern
// browsers is the same library, ~2 KB gzip smaller and needs no CommonJS interop at run time.
export const DEXIE_ESM = {
  find: /^dexie$/,
  replacement: resolve(here, 'node_modules/dexie/dist/modern/dexie.mjs'),
};

// One config, two jobs: `vite build` builds the PWA from pwa/ into dist/pwa; Vitest runs every
// suite from the repository root.
export default defineConfig({
  root: resolve(here, 'pwa'),
  plugins: [
    preact(),
    pwaIcons((data) => deflateSync(data)),
    VitePWA({
      strategies: 'generateSW',
      // 'prompt', not 'autoUpdate': an update must never reload over a form being filled in
      // (reference/sync.md §4.4). The app registers the worker itself with workbox-window.
      registerType: 'prompt',
      injectRegister: null,
      manifest: {
        name: 'Quita — cobrança amigável',
        short_name: 'Quita',
        description: 'Cobrança amigável para pequenos negócios, também sem internet.',
        lang: 'pt-BR',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f6f8f7',
        theme_color: '#0b6e4f',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // The password-strength dictionaries (~0.5 MB gzip) are only for the owner's Pessoas
        // screen and the reset page, both online: never precached on collectors' phones.
        globIgnores: ['**/password-strength-*.js'],
        navigateFallback: '/index.html',
        // The API is never served from the cache: owners need live data, and collectors' data
        // goes through the sync engine and IndexedDB.
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  resolve: { alias: [DEXIE_ESM] },
  define: { __APP_VERSION__: JSON.stringify(version) },
  build: {
    outDir: resolve(here, 'dist/pwa'),
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Everything every screen runs (Preact, signals, the shell, the core text and formats)
        // in one chunk: split across files it gzips worse, and the collector's first screen
        // must stay within 60 KB.
        codeSplitting: {
          // A group holds what its test names, not everything those modules import.
          includeDependenciesRecursively: false,
          groups: [
            {
              name: 'shell',
              test: /node_modules[\\/](preact|@preact[\\/]signals(-core)?)[\\/]|pwa[\\/](app[\\/](api|dirty|platform|router|session)\.ts|i18n[\\/](format|messages)\.ts)$|shared[\\/](money[\\/]money|time[\\/]calendar-date)\.ts$/,
            },
            {
              // The collector's runtime, its read models, its database (Dexie) and Today: collectors only.
              name: 'today',
              test: /pwa[\\/](app[\\/]collector\.ts|models[\\/]|ui[\\/](sync-indicator|virtual-list)\.tsx|screens[\\/]collector[\\/]today\.tsx)$|shared[\\/]cadence[\\/]default-policy\.ts$|pwa[\\/]db[\\/]db\.ts$|node_modules[\\/]dexie[\\/]/,
            },
          ],
        },
      },
    },
  },
  test: {
    root: here,
    environment: 'node',
    include: ['{shared,server,pwa,extension,test}/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
