/**
 * People and access (owner), beside `/api/users`: a one-time password-reset link for a person,
 * the person's sessions, extension tokens and phones, and revoking any of them. And the public
 * side of the link: `/api/password-reset` checks it and sets the new password (policy enforced,
 * every session of the person ended). Everything audited.
 */
import { Hono } from 'hono';
import { ResetCheckRequestSchema, ResetRequestSchema } from '#shared/auth/password-reset.schema';
import type { Deps } from '../app';
import { userAccess, revokeDevice } from '../auth/access.repo';
import { hashPassword } from '../auth/password';
import { assertStrongPassword } from '../auth/password-policy';
import { createReset, findReset, markUsed, RESET_PATH } from '../auth/password-resets.repo';
import { revokeToken, revokeUserTokens } from '../auth/tokens.repo';
import { findUserById, updateUser } from '../auth/users.repo';
import { audit } from '../db/audit';
import { requireRole, type AppEnv } from '../http/auth';
import { problem, problemError } from '../http/problem';
import { jsonBody, uuidParam } from '../http/validate';

const userNotFound = () => problemError(problem(404, 'not-found', 'usuário não encontrado'));

const RESET_STATE_MESSAGES = {
  expired: 'este link expirou; peça um novo ao proprietário',
  used: 'este link já foi usado; peça um novo ao proprietário',
  unknown: 'link inválido; peça um novo ao proprietário',
} as const;

/** `/api/users/:id/…` (owner). */
export function peopleRoutes({ db, now }: Deps) {
  return new Hono<AppEnv>()
    .post('/:id/password-reset', requireRole('owner'), async (c) => {
      const id = uuidParam(c, 'id');
      const actor = c.get('user');
      const link = await db.transaction(async (tx) => {
        const user = await findUserById(tx, id);
        if (!user) throw userNotFound();
        if (!user.active)
          throw problemError(
            problem(409, 'user-inactive', 'reative o usuário antes de redefinir a senha'),
          );
        const created = await createReset(tx, { userId: id, createdBy: actor.id, now: now() });
        await audit(tx, {
          actor: actor.id,
          ip: c.get('ip'),
          action: 'user.password_reset_link',
          entity: 'user',
          entityId: id,
          detail: { resetId: created.id, expiresAt: created.expiresAt.toISOString() },
        });
        return created;
      });
      return c.json(
        { path: `${RESET_PATH}#${link.token}`, expiresAt: link.expiresAt.toISOString() },
        201,
      );
    })
    .get('/:id/access', requireRole('owner'), async (c) => {
      const id = uuidParam(c, 'id');
      if (!(await findUserById(db, id))) throw userNotFound();
      return c.json(await userAccess(db, id, now()));
    })
    .delete('/:id/tokens/:tokenId', requireRole('owner'), async (c) => {
      const id = uuidParam(c, 'id');
      const tokenId = uuidParam(c, 'tokenId');
      const actor = c.get('user');
      const done = await db.transaction(async (tx) => {
        const revoked = await revokeToken(tx, { tokenId, userId: id, now: now() });
        if (revoked)
          await audit(tx, {
            actor: actor.id,
            ip: c.get('ip'),
            action: 'token.revoke_by_owner',
            entity: 'auth_token',
            entityId: tokenId,
            detail: { userId: id },
          });
        return revoked;
      });
      if (!done) throw problemError(problem(404, 'not-found', 'token não encontrado'));
      return c.body(null, 204);
    })
    .post('/:id/devices/:deviceId/revoke', requireRole('owner'), async (c) => {
      const id = uuidParam(c, 'id');
      const deviceId = uuidParam(c, 'deviceId');
      const actor = c.get('user');
      const result = await db.transaction(async (tx) => {
        const r = await revokeDevice(tx, { userId: id, deviceId, by: actor.id, now: now() });
        if (r.revoked)
          await audit(tx, {
            actor: actor.id,
            ip: c.get('ip'),
            action: 'device.revoke',
            entity: 'sync_device',
            entityId: deviceId,
            detail: { userId: id, sessionRevoked: r.sessionRevoked },
          });
        return r;
      });
      if (!result.revoked)
        throw problemError(problem(404, 'not-found', 'aparelho não encontrado ou já desconectado'));
      return c.json(result);
    });
}

/** `/api/password-reset` (public: the link is the credential). */
export function passwordResetRoutes({ db, now }: Deps) {
  return new Hono<AppEnv>()
    .post('/check', jsonBody(ResetCheckRequestSchema), async (c) => {
      const { token } = c.req.valid('json');
      const { state, row } = await findReset(db, token, now());
      if (state !== 'valid' || !row)
        throw problemError(
          problem(
            410,
            `reset-${state}`,
            RESET_STATE_MESSAGES[state === 'valid' ? 'unknown' : state],
          ),
        );
      return c.json({ name: row.name, email: row.email, expiresAt: row.expires_at.toISOString() });
    })
    .post('/', jsonBody(ResetRequestSchema), async (c) => {
      const { token, password } = c.req.valid('json');
      const at = now();
      const first = await findReset(db, token, at);
      if (first.state !== 'valid' || !first.row)
        throw problemError(
          problem(
            410,
            `reset-${first.state}`,
            RESET_STATE_MESSAGES[first.state === 'valid' ? 'unknown' : first.state],
          ),
        );
      assertStrongPassword(password, [first.row.name, first.row.email]);
      // scrypt outside the transaction (it would hold PGlite's only connection).
      const passwordHash = await hashPassword(password);
      await db.transaction(async (tx) => {
        // Again, locked: two tabs submitting the same link use it once.
        const { state, row } = await findReset(tx, token, at, true);
        if (state !== 'valid' || !row)
          throw problemError(
            problem(
              410,
              `reset-${state}`,
              RESET_STATE_MESSAGES[state === 'valid' ? 'unknown' : state],
            ),
          );
        await updateUser(tx, row.user_id, { password_hash: passwordHash });
        await markUsed(tx, row.id, at);
        const revoked = await revokeUserTokens(tx, { userId: row.user_id, now: at });
        await audit(tx, {
          actor: row.user_id,
          ip: c.get('ip'),
          action: 'user.password_reset',
          entity: 'user',
          entityId: row.user_id,
          detail: { resetId: row.id, tokensRevoked: revoked },
        });
      });
      return c.body(null, 204);
    });
}
