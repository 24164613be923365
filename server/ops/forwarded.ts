/**
 * Who is really on the other end of a request. Behind a reverse proxy (Caddy in
 * server/deploy/), every connection comes from the proxy and the client's address and scheme
 * arrive in `X-Forwarded-For` / `X-Forwarded-Proto` / `X-Forwarded-Host`. Those headers are
 * believed ONLY when the connection comes from a configured trusted proxy
 * (QUITA_TRUSTED_PROXIES: addresses or CIDR ranges); from anyone else they are ignored, since any
 * client can send them.
 *
 * X-Forwarded-For is read right to left: the right-most address that is not itself a trusted
 * proxy is the client (a client may put anything on the left).
 */
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** Decides whether a peer address is a proxy we trust. */
export interface ProxyTrust {
  /** The configured list, for logs and docs ("none" when empty). */
  readonly description: string;
  trusts(address: string): boolean;
}

/** What `QUITA_TRUSTED_PROXIES=loopback` means. */
export const LOOPBACK_PROXIES = ['127.0.0.0/8', '::1'] as const;

/** Normalises an IPv4-mapped IPv6 address (::ffff:127.0.0.1) to plain IPv4. */
export function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

/**
 * Parses a comma-separated list of addresses and CIDR ranges ("127.0.0.1, 10.0.0.0/8, ::1",
 * or "loopback"). Throws a pt-BR message naming the bad entry.
 */
export function parseTrustedProxies(list: string): ProxyTrust {
  const entries = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .flatMap((s) => (s === 'loopback' ? [...LOOPBACK_PROXIES] : [s]));
  const block = new BlockList();
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined)
      throw new Error(`endereço ou faixa inválida: ${JSON.stringify(entry)}`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) {
      block.addAddress(address, type);
      continue;
    }
    const prefix = Number(bits);
    if (!/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128))
      throw new Error(`prefixo inválido em ${JSON.stringify(entry)}`);
    block.addSubnet(address, prefix, type);
  }
  return {
    description: entries.length === 0 ? 'none' : entries.join(', '),
    trusts(address) {
      const plain = plainAddress(address);
      const family = isIP(plain);
      if (family === 0) return false;
      return block.check(plain, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/** Trusts nobody: forwarded headers are always ignored. */
export const NO_PROXY: ProxyTrust = { description: 'none', trusts: () => false };

/** Trusts every peer (tests driving `app.request()`, which has no socket). */
export const ANY_PROXY: ProxyTrust = { description: 'any', trusts: () => true };

/** The client as the app should see it. */
export interface ClientInfo {
  /** The client's address (after trusted proxies), or 'unknown'. */
  ip: string;
  /** True when the client reached us over HTTPS (directly, or through a trusted proxy). */
  secure: boolean;
  /** True when the connection came from a trusted proxy. */
  viaTrustedProxy: boolean;
}

function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // app.request() in tests has no socket.
    return undefined;
  }
}

function directlySecure(c: Context): boolean {
  const incoming = (c.env as { incoming?: { socket?: { encrypted?: boolean } } } | undefined)
    ?.incoming;
  return incoming?.socket?.encrypted === true || new URL(c.req.url).protocol === 'https:';
}

/** Resolves the client of `c` given the proxies we trust. */
export function clientInfo(c: Context, trust: ProxyTrust): ClientInfo {
  const peer = peerAddress(c);
  const fromProxy = trust.trusts(peer ?? '') || (peer === undefined && trust === ANY_PROXY);
  if (!fromProxy)
    return {
      ip: peer ? plainAddress(peer) : 'unknown',
      secure: directlySecure(c),
      viaTrustedProxy: false,
    };
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  let ip = peer ? plainAddress(peer) : 'unknown';
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = plainAddress(hops[i] ?? '');
    ip = hop;
    if (!trust.trusts(hop)) break;
  }
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return {
    ip,
    secure: proto === undefined ? directlySecure(c) : proto === 'https',
    viaTrustedProxy: true,
  };
}
