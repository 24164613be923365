import { Hono } from 'hono';
import { LoginRequestSchema, NewApiTokenSchema } from '#shared/auth/auth.schema';
import type { LoginResponse, CreatedApiToken } from '#shared/auth/auth.schema';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import { ANY_ROLE, requireRole, type AppEnv } from '../http/auth';
import { problem, problemResponse } from '../http/problem';
import { jsonBody, uuidParam } from '../http/validate';
import { verifyAgainstDummy, verifyPassword } from '../auth/password';
import { loginRetryAfter, recordLoginAttempt } from '../auth/rate-limit';
import { apiTokenExpiry, issueToken, listApiTokens, revokeToken } from '../auth/tokens.repo';
import { findUserByEmail, findUserById, toUser } from '../auth/users.repo';

// Personal tokens are for the office extension; collectors work in the PWA with a session.
const TOKEN_ROLES = ['owner', 'staff'] as const;

/** `/api/auth`: login, logout, me, personal API tokens. */
export function authRoutes({ db, now }: Deps) {
  return new Hono<AppEnv>()
    .post('/login', jsonBody(LoginRequestSchema), async (c) => {
      const { email, password } = c.req.valid('json');
      const ip = c.get('ip');
      const at = now();
      const retryAfter = await loginRetryAfter(db, { email, ip }, at);
      if (retryAfter !== null)
        return problemResponse(
          problem(
            429,
            'rate-limited',
            `muitas tentativas de login; tente de novo em ${Math.ceil(retryAfter / 60)} min`,
            {
              retryAfterSeconds: retryAfter,
            },
          ),
          { 'retry-after': String(retryAfter) },
        );
      // Hashing happens outside the transaction: it is slow and would hold PGlite's only connection.
      const user = await findUserByEmail(db, email);
      const ok =
        user?.active === true
          ? await verifyPassword(password, user.password_hash)
          : await verifyAgainstDummy(password);
      const session = await db.transaction(async (tx) => {
        await recordLoginAttempt(tx, { email, ip, succeeded: ok, now: at });
        if (!ok || !user) {
          await audit(tx, {
            actor: null,
            ip,
            action: 'auth.login_failed',
            entity: 'user',
            entityId: user?.id ?? null,
            detail: { email },
          });
          return null;
        }
        const issued = await issueToken(tx, { userId: user.id, kind: 'session', now: at });
        await audit(tx, {
          actor: user.id,
          ip,
          action: 'auth.login',
          entity: 'user',
          entityId: user.id,
          detail: { tokenId: issued.id },
        });
        return issued;
      });
      if (!session || !user)
        return problemResponse(problem(401, 'invalid-credentials', 'e-mail ou senha incorretos'));
      const body: LoginResponse = {
        token: session.token,
        expiresAt: session.expiresAt.toISOString(),
        user: { id: user.id, name: user.name, role: user.role },
      };
      return c.json(body);
    })
    .post('/logout', requireRole(...ANY_ROLE), async (c) => {
      const user = c.get('user');
      await db.transaction(async (tx) => {
        await revokeToken(tx, { tokenId: user.tokenId, userId: user.id, now: now() });
        await audit(tx, {
          actor: user.id,
          ip: c.get('ip'),
          action: 'auth.logout',
          entity: 'auth_token',
          entityId: user.tokenId,
        });
      });
      return c.body(null, 204);
    })
    .get('/me', requireRole(...ANY_ROLE), async (c) => {
      const row = await findUserById(db, c.get('user').id);
      if (!row) return problemResponse(problem(401, 'unauthenticated', 'usuário não encontrado'));
      return c.json(toUser(row));
    })
    .get('/tokens', requireRole(...TOKEN_ROLES), async (c) =>
      c.json(await listApiTokens(db, c.get('user').id, now())),
    )
    .post('/tokens', requireRole(...TOKEN_ROLES), jsonBody(NewApiTokenSchema), async (c) => {
      const user = c.get('user');
      // A leaked personal token must not be able to mint more tokens.
      if (user.tokenKind !== 'session')
        return problemResponse(
          problem(
            403,
            'session-required',
            'crie tokens pessoais a partir de uma sessão (login), não com outro token',
          ),
        );
      const { name, expiresInDays, scope } = c.req.valid('json');
      const at = now();
      const issued = await db.transaction(async (tx) => {
        const created = await issueToken(tx, {
          userId: user.id,
          kind: 'api',
          name,
          now: at,
          expiresAt: apiTokenExpiry(at, expiresInDays),
        });
        await audit(tx, {
          actor: user.id,
          ip: c.get('ip'),
          action: 'token.create',
          entity: 'auth_token',
          entityId: created.id,
          detail: {
            name,
            display: created.display,
            scope,
            expiresAt: created.expiresAt.toISOString(),
          },
        });
        return created;
      });
      const body: CreatedApiToken = {
        id: issued.id,
        name,
        display: issued.display,
        scope: issued.scope,
        createdAt: issued.createdAt.toISOString(),
        expiresAt: issued.expiresAt.toISOString(),
        lastUsedAt: null,
        token: issued.token,
      };
      return c.json(body, 201);
    })
    .delete('/tokens/:id', requireRole(...TOKEN_ROLES), async (c) => {
      const user = c.get('user');
      const tokenId = uuidParam(c, 'id');
      const revoked = await db.transaction(async (tx) => {
        const done = await revokeToken(tx, { tokenId, userId: user.id, now: now(), kind: 'api' });
        if (done)
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'token.revoke',
            entity: 'auth_token',
            entityId: tokenId,
          });
        return done;
      });
      if (!revoked) return problemResponse(problem(404, 'not-found', 'token não encontrado'));
      return c.body(null, 204);
    });
}
