/**
 * Builds the extension into dist/extension and zips it to dist/quita-extension.zip (ready for
 * "Load unpacked" or the Web Store): `node --import tsx extension/build.ts`.
 *
 * Four Vite builds, because each context has its own format: the extension pages (overlay, popup,
 * options; Preact) as ES modules with relative asset paths, the service worker as one ES module,
 * and each content script as one self-contained IIFE (content scripts cannot import).
 */
// This file is build tooling run by Node, not extension code shipped to the browser.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import preact from '@preact/preset-vite';
import { build, type InlineConfig } from 'vite';
import { buildManifest } from './manifest';

const ROOT = resolve(import.meta.dirname, '..');
export const EXTENSION_DIST = join(ROOT, 'dist/extension');
export const EXTENSION_ZIP = join(ROOT, 'dist/quita-extension.zip');

const common: InlineConfig = {
  configFile: false,
  logLevel: 'warn',
  resolve: { alias: [{ find: /^#shared\/(.*)$/, replacement: join(ROOT, 'shared/$1.ts') }] },
  define: { 'process.env.NODE_ENV': '"production"' },
};

function script(entry: string, fileName: string, format: 'es' | 'iife'): InlineConfig {
  return {
    ...common,
    build: {
      outDir: EXTENSION_DIST,
      emptyOutDir: false,
      target: 'chrome116',
      minify: true,
      copyPublicDir: false,
      lib: { entry: join(ROOT, entry), formats: [format], name: 'quita', fileName: () => fileName },
    },
  };
}

// CRC-32 (IEEE), for the zip's local and central headers.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A plain deflate zip of `dir` (no external `zip` binary needed). */
export function zipDirectory(dir: string): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const path of filesUnder(dir).sort()) {
    const name = Buffer.from(relative(dir, path).split('\\').join('/'));
    const data = readFileSync(path);
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00, so the zip is reproducible
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0x00210000, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

export async function buildExtension(): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  await build({
    ...common,
    root: join(ROOT, 'extension/ui'),
    base: './',
    plugins: [preact()],
    build: {
      outDir: EXTENSION_DIST,
      emptyOutDir: true,
      target: 'chrome116',
      modulePreload: false,
      rollupOptions: {
        input: ['overlay', 'popup', 'options'].map((p) => join(ROOT, `extension/ui/${p}.html`)),
      },
    },
  });
  await build(script('extension/background/service-worker.ts', 'service-worker.js', 'es'));
  await build(script('extension/content/gmail-content.ts', 'content-gmail.js', 'iife'));
  await build(script('extension/content/outlook-content.ts', 'content-outlook.js', 'iife'));
  await build(script('extension/content/whatsapp-content.ts', 'content-whatsapp.js', 'iife'));
  writeFileSync(
    join(EXTENSION_DIST, 'manifest.json'),
    `${JSON.stringify(buildManifest(pkg.version), null, 2)}\n`,
  );
  writeFileSync(EXTENSION_ZIP, zipDirectory(EXTENSION_DIST));
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const started = performance.now();
  await buildExtension();
  console.log(
    `extension built in ${Math.round(performance.now() - started)} ms: ${relative(process.cwd(), EXTENSION_DIST)}, ${relative(process.cwd(), EXTENSION_ZIP)}`,
  );
}
