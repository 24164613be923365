/**
 * Authentication and authorisation middleware. `authenticate` runs on every request: it resolves
 * an `Authorization: Bearer …` token to `c.var.user` (null when absent, unknown, expired or
 * revoked) and the client address to `c.var.ip`. `requireRole(...)` guards each route: 401 without
 * a valid token, 403 when the role is not allowed.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Db } from '../db/db';
import type { Role } from '#shared/auth/user.schema';
import { scopeAllows } from '../auth/token-scope';
import { authenticateTokenBatched } from '../auth/token-lookup';
import type { AuthUser } from '../auth/tokens.repo';
import { problem, problemResponse } from './problem';
import { clientInfo, type ProxyTrust } from '../ops/forwarded';

/** Hono environment of the app: what middleware puts on the context. */
export interface AppEnv {
  Variables: { user: AuthUser | null; ip: string };
}

/** The environment a handler sees behind `requireRole`. */
export interface AuthedEnv {
  Variables: { user: AuthUser; ip: string };
}

/** Resolves the caller; never rejects by itself (public routes stay reachable with a stale token). */
export function authenticate(deps: {
  db: Db;
  now: () => Date;
  /** Peers whose X-Forwarded-For is believed (server/ops/forwarded.ts). */
  proxies: ProxyTrust;
}): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set('ip', clientInfo(c, deps.proxies).ip);
    const header = c.req.header('authorization');
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    c.set(
      'user',
      match?.[1] ? ((await authenticateTokenBatched(deps.db, match[1], deps.now())) ?? null) : null,
    );
    await next();
  });
}

/**
 * Refuses, on every route, what the presented token's scope does not cover (403 `token-scope`):
 * a personal token held by the extension reaches only the extension's routes, whatever its
 * user's role (server/auth/token-scope.ts). Runs right after `authenticate`.
 */
export function enforceTokenScope(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const user = c.get('user');
    if (user && !scopeAllows(user.tokenScope, c.req.method, c.req.path))
      return problemResponse(
        problem(
          403,
          'token-scope',
          'o token da extensão não permite esta operação; use o aplicativo do Quita',
          { scope: user.tokenScope },
        ),
      );
    await next();
  });
}

/** Lets the request through only for an authenticated user with one of `roles`. */
export function requireRole(...roles: readonly Role[]): MiddlewareHandler<AuthedEnv> {
  return createMiddleware<AuthedEnv>(async (c, next) => {
    const user = (c as unknown as Context<AppEnv>).get('user');
    if (!user)
      return problemResponse(
        problem(401, 'unauthenticated', 'entre novamente: token ausente, inválido ou expirado'),
        { 'www-authenticate': 'Bearer realm="quita"' },
      );
    if (!roles.includes(user.role))
      return problemResponse(
        problem(403, 'forbidden', 'seu papel não permite esta operação', { role: user.role }),
      );
    await next();
  });
}

export const ANY_ROLE: readonly Role[] = ['owner', 'staff', 'collector'];
