/// <reference types="vitest/config" />
import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

// One config, two jobs: `vite build` builds the PWA from pwa/ into dist/pwa; Vitest runs every
// suite from the repository root.
export default defineConfig({
  root: resolve(here, 'pwa'),
  plugins: [preact()],
  build: { outDir: resolve(here, 'dist/pwa'), emptyOutDir: true },
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
