/**
 * Security headers on every answer of the app (Hono's `secureHeaders`, never overwriting a header
 * a route set itself — the debtor's page at /p/<token> brings its own Content-Security-Policy).
 *
 * - Documents and static files (the PWA, its service worker, manifest, assets) get a strict
 *   policy the built PWA passes: scripts, styles, fonts, workers and connections only from this
 *   origin, images also as data: URLs, no plugins, no <base>, forms only to this origin, never
 *   framed. There is no inline script in the build (vite emits one module <script src>), so no
 *   'unsafe-inline' and no nonce are needed. Permissions-Policy allows geolocation to this origin
 *   only (the collector's visit form records where the visit happened) and nothing else.
 * - API answers (/api/*, /metrics) are data, never documents: `default-src 'none'` and no
 *   permission at all.
 * - Strict-Transport-Security only when the client reached us over HTTPS (directly with
 *   --tls-cert, or through a trusted proxy saying so): sent over plain HTTP it would be ignored by
 *   browsers anyway, and on a LAN without TLS it would only confuse.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** One year; no includeSubDomains (other hosts under the shop's domain are not ours to pin). */
export const HSTS_VALUE = 'max-age=31536000';

type Policy = Record<string, string[]>;

export const DOCUMENT_CSP: Policy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export const API_CSP: Policy = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

const NOTHING = [] as string[];

const COMMON = {
  referrerPolicy: 'no-referrer',
  xFrameOptions: 'DENY',
  strictTransportSecurity: false,
  // The Chrome extension calls the API from its own origin: keep CORP off the API.
  crossOriginResourcePolicy: false,
  overwrite: false,
} as const;

const forDocuments = secureHeaders({
  ...COMMON,
  crossOriginResourcePolicy: 'same-origin',
  contentSecurityPolicy: { ...DOCUMENT_CSP },
  permissionsPolicy: {
    geolocation: ['self'],
    camera: NOTHING,
    microphone: NOTHING,
    payment: NOTHING,
    usb: NOTHING,
    serial: NOTHING,
    bluetooth: NOTHING,
    browsingTopics: NOTHING,
  },
});

const forApi = secureHeaders({
  ...COMMON,
  contentSecurityPolicy: { ...API_CSP },
  permissionsPolicy: { geolocation: NOTHING, camera: NOTHING, microphone: NOTHING },
});

function isApi(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === '/metrics';
}

/** The middleware; `isSecure(c)` says whether this request arrived over HTTPS. */
export function securityHeaders(
  isSecure: (c: Parameters<MiddlewareHandler>[0]) => boolean,
): MiddlewareHandler {
  return async (c, next) => {
    await (isApi(c.req.path) ? forApi : forDocuments)(c, next);
    if (isSecure(c) && !c.res.headers.has('strict-transport-security'))
      c.res.headers.set('strict-transport-security', HSTS_VALUE);
  };
}
