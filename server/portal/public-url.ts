/**
 * The origin links are written with: QUITA_PUBLIC_URL when set (the address debtors reach, e.g.
 * behind Caddy), else the origin of the request being answered — taken from X-Forwarded-Proto /
 * X-Forwarded-Host only when the request came through a trusted proxy (server/ops/forwarded.ts).
 */
import type { Context } from 'hono';
import { clientInfo, type ProxyTrust } from '../ops/forwarded';

export function publicBase(
  c: Context,
  deps: { publicUrl: string | undefined; proxies: ProxyTrust },
): string {
  if (deps.publicUrl) return deps.publicUrl.replace(/\/+$/, '');
  const url = new URL(c.req.url);
  if (clientInfo(c, deps.proxies).viaTrustedProxy) {
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
    const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim();
    if (proto === 'https' || proto === 'http') url.protocol = `${proto}:`;
    if (host && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) url.host = host;
  }
  return url.origin;
}

/** True when the debtor reached this request over HTTPS (directly or through a trusted proxy). */
export function isHttps(c: Context, proxies: ProxyTrust): boolean {
  return clientInfo(c, proxies).secure;
}
