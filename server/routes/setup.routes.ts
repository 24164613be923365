import { Hono } from 'hono';
import { SetupRequestSchema, type LoginResponse } from '#shared/auth/auth.schema';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import type { AppEnv } from '../http/auth';
import { problem, problemResponse } from '../http/problem';
import { jsonBody } from '../http/validate';
import { completeSetup } from '../auth/bootstrap';
import { hashPassword } from '../auth/password';
import { assertStrongPassword } from '../auth/password-policy';
import { issueToken } from '../auth/tokens.repo';
import { countUsers } from '../auth/users.repo';

const alreadyDone = () =>
  problem(410, 'setup-done', 'a configuração inicial já foi feita; entre com seu e-mail e senha');

/** `POST /api/setup`: public, works once, creates the first owner and logs them in. */
export function setupRoutes({ db, now }: Deps) {
  return new Hono<AppEnv>().post('/', jsonBody(SetupRequestSchema), async (c) => {
    const input = c.req.valid('json');
    if ((await countUsers(db)) > 0) return problemResponse(alreadyDone());
    assertStrongPassword(input.password, [input.name, input.email]);
    const passwordHash = await hashPassword(input.password);
    const at = now();
    const ip = c.get('ip');
    const outcome = await db.transaction(async (tx) => {
      const result = await completeSetup(tx, { ...input, passwordHash, now: at, ip });
      if (result.kind !== 'created') return result;
      const session = await issueToken(tx, { userId: result.user.id, kind: 'session', now: at });
      await audit(tx, {
        actor: result.user.id,
        ip,
        action: 'auth.login',
        entity: 'user',
        entityId: result.user.id,
        detail: { tokenId: session.id, via: 'setup' },
      });
      return { ...result, session };
    });
    if (outcome.kind === 'already-done') return problemResponse(alreadyDone());
    if (outcome.kind === 'invalid-token')
      return problemResponse(
        problem(
          403,
          'invalid-setup-token',
          'link de configuração inválido ou expirado; reinicie o servidor para gerar outro',
        ),
      );
    const body: LoginResponse = {
      token: outcome.session.token,
      expiresAt: outcome.session.expiresAt.toISOString(),
      user: { id: outcome.user.id, name: outcome.user.name, role: outcome.user.role },
    };
    return c.json(body, 201);
  });
}
