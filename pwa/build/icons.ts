/**
 * The app icons, drawn at build time: a white "Q" (ring + tail) on the brand green, full-bleed so
 * the same image serves as a maskable icon (the glyph stays inside the 80% safe zone). A tiny PNG
 * encoder (RGBA, filter 0, zlib) avoids an image dependency; the Vite plugin emits the files so
 * generateSW precaches them with the rest of the build. zlib's deflate is passed in by
 * vite.config.ts: this folder is linted as browser code and may not import node: modules.
 */
import type { Plugin } from 'vite';

export type Deflate = (data: Uint8Array) => Uint8Array;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n >>> 0);
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const typed = concat([new TextEncoder().encode(type), data]);
  return concat([u32(data.length), typed, u32(crc32(typed))]);
}

/** Encodes RGBA pixels (row-major, 4 bytes each) as a PNG. */
export function encodePng(
  width: number,
  height: number,
  rgba: Uint8Array,
  deflate: Deflate,
): Uint8Array {
  const stride = width * 4 + 1;
  const raw = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    raw[y * stride] = 0; // filter: none
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * stride + 1);
  }
  const ihdr = concat([u32(width), u32(height), new Uint8Array([8, 6, 0, 0, 0])]); // 8-bit RGBA
  return concat([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflate(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

const BRAND = [0x0b, 0x6e, 0x4f] as const;

/** Coverage (0–1) of the "Q" glyph at a point in unit coordinates (centre 0.5, 0.5). */
function glyph(x: number, y: number): number {
  const dx = x - 0.5;
  const dy = y - 0.47;
  const r = Math.hypot(dx, dy);
  const ring = r >= 0.17 && r <= 0.25 ? 1 : 0;
  // The tail: a thick stroke from the ring's lower right outwards, at 45°.
  const t = (dx + dy) / Math.SQRT2;
  const n = Math.abs(dx - dy) / Math.SQRT2;
  const tail = t > 0.12 && t < 0.36 && n < 0.04 ? 1 : 0;
  return Math.max(ring, tail);
}

/** The icon at `size`×`size`, 4×4 supersampled for smooth edges. */
export function drawIcon(size: number, deflate: Deflate): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let cover = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++)
          cover += glyph((x + (sx + 0.5) / 4) / size, (y + (sy + 0.5) / 4) / size);
      const a = cover / 16;
      const i = (y * size + x) * 4;
      px[i] = Math.round(BRAND[0] + (255 - BRAND[0]) * a);
      px[i + 1] = Math.round(BRAND[1] + (255 - BRAND[1]) * a);
      px[i + 2] = Math.round(BRAND[2] + (255 - BRAND[2]) * a);
      px[i + 3] = 255;
    }
  return encodePng(size, size, px, deflate);
}

export const ICON_SIZES = [192, 512] as const;

/** Emits icon-192.png, icon-512.png and apple-touch-icon.png (180) into the build. */
export function pwaIcons(deflate: Deflate): Plugin {
  return {
    name: 'quita-pwa-icons',
    apply: 'build',
    generateBundle() {
      for (const size of ICON_SIZES)
        this.emitFile({
          type: 'asset',
          fileName: `icon-${size}.png`,
          source: drawIcon(size, deflate),
        });
      this.emitFile({
        type: 'asset',
        fileName: 'apple-touch-icon.png',
        source: drawIcon(180, deflate),
      });
    },
  };
}
