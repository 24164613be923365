import { Hono } from 'hono';
import { NewUserSchema, UserPatchSchema } from '#shared/auth/user.schema';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import { requireRole, type AppEnv } from '../http/auth';
import { problem, problemError, problemResponse } from '../http/problem';
import { jsonBody, uuidParam } from '../http/validate';
import { hashPassword } from '../auth/password';
import { assertStrongPassword } from '../auth/password-policy';
import { revokeUserTokens } from '../auth/tokens.repo';
import {
  countOtherActiveOwners,
  findUserById,
  insertUser,
  isUniqueViolation,
  listUsers,
  toUser,
  updateUser,
} from '../auth/users.repo';

const duplicateEmail = () =>
  problem(409, 'duplicate-email', 'já existe um usuário com este e-mail', {
    errors: [{ field: 'email', message: 'já existe um usuário com este e-mail' }],
  });

/** `/api/users`: user management, owners only. */
export function userRoutes({ db, now }: Deps) {
  return new Hono<AppEnv>()
    .get('/', requireRole('owner'), async (c) => c.json((await listUsers(db)).map(toUser)))
    .post('/', requireRole('owner'), jsonBody(NewUserSchema), async (c) => {
      const input = c.req.valid('json');
      const actor = c.get('user');
      assertStrongPassword(input.password, [input.name, input.email]);
      const passwordHash = await hashPassword(input.password);
      try {
        const row = await db.transaction(async (tx) => {
          const user = await insertUser(tx, { ...input, passwordHash });
          await audit(tx, {
            actor: actor.id,
            ip: c.get('ip'),
            action: 'user.create',
            entity: 'user',
            entityId: user.id,
            detail: { email: user.email, name: user.name, role: user.role },
          });
          return user;
        });
        return c.json(toUser(row), 201);
      } catch (error) {
        if (isUniqueViolation(error)) return problemResponse(duplicateEmail());
        throw error;
      }
    })
    .get('/:id', requireRole('owner'), async (c) => {
      const row = await findUserById(db, uuidParam(c, 'id'));
      if (!row) return problemResponse(problem(404, 'not-found', 'usuário não encontrado'));
      return c.json(toUser(row));
    })
    .patch('/:id', requireRole('owner'), jsonBody(UserPatchSchema), async (c) => {
      const id = uuidParam(c, 'id');
      const patch = c.req.valid('json');
      const actor = c.get('user');
      if (patch.password !== undefined) {
        const target = await findUserById(db, id);
        assertStrongPassword(patch.password, target ? [target.name, target.email] : []);
      }
      const passwordHash =
        patch.password === undefined ? undefined : await hashPassword(patch.password);
      const at = now();
      const row = await db.transaction(async (tx) => {
        const before = await findUserById(tx, id);
        if (!before) throw problemError(problem(404, 'not-found', 'usuário não encontrado'));
        const losesOwner =
          before.role === 'owner' &&
          before.active &&
          ((patch.role !== undefined && patch.role !== 'owner') || patch.active === false);
        if (losesOwner && (await countOtherActiveOwners(tx, id)) === 0)
          throw problemError(
            problem(409, 'last-owner', 'a organização precisa de pelo menos um proprietário ativo'),
          );
        const after = await updateUser(tx, id, {
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.role === undefined ? {} : { role: patch.role }),
          ...(patch.active === undefined ? {} : { active: patch.active }),
          ...(passwordHash === undefined ? {} : { password_hash: passwordHash }),
        });
        if (!after) throw problemError(problem(404, 'not-found', 'usuário não encontrado'));
        let revoked = 0;
        if (patch.active === false) revoked = await revokeUserTokens(tx, { userId: id, now: at });
        else if (passwordHash !== undefined)
          // A new password ends every other session, keeping the one making the change.
          revoked = await revokeUserTokens(tx, {
            userId: id,
            now: at,
            ...(actor.id === id ? { keepTokenId: actor.tokenId } : {}),
          });
        await audit(tx, {
          actor: actor.id,
          ip: c.get('ip'),
          action: 'user.update',
          entity: 'user',
          entityId: id,
          detail: {
            changed: Object.keys(patch),
            before: { name: before.name, role: before.role, active: before.active },
            after: { name: after.name, role: after.role, active: after.active },
            tokensRevoked: revoked,
          },
        });
        return after;
      });
      return c.json(toUser(row));
    });
}
