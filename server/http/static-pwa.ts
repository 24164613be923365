/**
 * Serves the built PWA (dist/pwa) at `/` from the same origin as the API, so the service worker,
 * cookies-free bearer tokens and CSP all stay simple. Hashed assets are immutable; index.html,
 * sw.js and the manifest are revalidated on every load so an update is seen at once. Unknown
 * non-API paths fall back to index.html (client-side routes such as /setup).
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Context, Next } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

async function fileIn(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const path = normalize(join(root, decoded));
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  try {
    return (await stat(path)).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

/** A GET/HEAD handler serving `root`; API paths and misses without an index pass through. */
export function servePwa(root: string) {
  const base = normalize(root);
  return async (c: Context, next: Next) => {
    const path = c.req.path;
    if (path === '/api' || path.startsWith('/api/')) return next();
    const found =
      (await fileIn(base, path === '/' ? '/index.html' : path)) ??
      (extname(path) === '' ? await fileIn(base, '/index.html') : undefined);
    if (!found) return next();
    const body = await readFile(found);
    const immutable = found.startsWith(join(base, 'assets') + sep);
    return c.body(body, 200, {
      'content-type': TYPES[extname(found)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
  };
}
