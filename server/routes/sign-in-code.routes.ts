/**
 * Signing a phone in by QR code. The owner asks for a one-time code for a collector or a staff
 * member (`POST /api/users/:id/sign-in-code`) and shows it as a QR; the phone opens the app at
 * SIGN_IN_CODE_PATH with the code in the fragment, shows whose it is (`POST /api/auth/code/check`)
 * and, on a tap, trades it for a session (`POST /api/auth/code`). The two `/api/auth/code` routes
 * are public (the code is the credential) and rate-limited like the login: 5 refused codes per
 * client address in 15 minutes, then 429 until the window passes. Everything audited.
 */
import { Hono } from 'hono';
import {
  SignInCodeRequestSchema,
  type SignInCodeCheck,
  type SignInCodeCreated,
} from '#shared/auth/sign-in-code.schema';
import type { LoginResponse } from '#shared/auth/auth.schema';
import type { Deps } from '../app';
import { loginRetryAfter, recordLoginAttempt } from '../auth/rate-limit';
import {
  CODE_ROLES,
  createSignInCode,
  findSignInCode,
  markCodeUsed,
  SIGN_IN_CODE_PATH,
  type CodeState,
} from '../auth/sign-in-codes.repo';
import { issueToken } from '../auth/tokens.repo';
import { findUserById } from '../auth/users.repo';
import { audit } from '../db/audit';
import { requireRole, type AppEnv } from '../http/auth';
import { problem, problemError, problemResponse } from '../http/problem';
import { jsonBody, uuidParam } from '../http/validate';

/** The rate-limit key of code attempts in login_attempts (an address that is never an e-mail). */
export const CODE_ATTEMPT_KEY = 'sign-in-code';

const CODE_STATE_MESSAGES: Record<Exclude<CodeState, 'valid'>, string> = {
  expired: 'este código de acesso expirou; peça ao proprietário para mostrar um novo',
  used: 'este código de acesso já foi usado; peça ao proprietário para mostrar um novo',
  unknown: 'código de acesso inválido; peça ao proprietário para mostrar um novo',
};

function refused(state: Exclude<CodeState, 'valid'>) {
  return problemError(problem(410, `code-${state}`, CODE_STATE_MESSAGES[state]));
}

/** `POST /api/users/:id/sign-in-code` (owner). */
export function userSignInCodeRoutes({ db, now, publicUrl }: Deps) {
  return new Hono<AppEnv>().post('/:id/sign-in-code', requireRole('owner'), async (c) => {
    const id = uuidParam(c, 'id');
    const actor = c.get('user');
    const at = now();
    const { created, user } = await db.transaction(async (tx) => {
      const target = await findUserById(tx, id);
      if (!target) throw problemError(problem(404, 'not-found', 'usuário não encontrado'));
      if (!target.active)
        throw problemError(
          problem(409, 'user-inactive', 'reative a pessoa antes de criar um código de acesso'),
        );
      if (!CODE_ROLES.includes(target.role))
        throw problemError(
          problem(
            422,
            'owner-code',
            'códigos de acesso são para cobradores e escritório; um proprietário entra com a senha',
          ),
        );
      const code = await createSignInCode(tx, { userId: id, createdBy: actor.id, now: at });
      await audit(tx, {
        actor: actor.id,
        ip: c.get('ip'),
        action: 'user.sign_in_code',
        entity: 'user',
        entityId: id,
        detail: { codeId: code.id, expiresAt: code.expiresAt.toISOString() },
      });
      return { created: code, user: target };
    });
    const body: SignInCodeCreated = {
      path: `${SIGN_IN_CODE_PATH}#${created.code}`,
      expiresAt: created.expiresAt.toISOString(),
      publicUrl: publicUrl ?? null,
      user: { id: user.id, name: user.name, role: user.role },
    };
    return c.json(body, 201);
  });
}

/** `/api/auth/code` (public: the code is the credential). */
export function signInCodeRoutes({ db, now }: Deps) {
  /** 429 while this address has refused codes over the limit; null otherwise. */
  async function limited(ip: string, at: Date) {
    const retryAfter = await loginRetryAfter(db, { email: CODE_ATTEMPT_KEY, ip }, at);
    if (retryAfter === null) return null;
    return problemResponse(
      problem(
        429,
        'rate-limited',
        `muitos códigos recusados; tente de novo em ${Math.ceil(retryAfter / 60)} min`,
        { retryAfterSeconds: retryAfter },
      ),
      { 'retry-after': String(retryAfter) },
    );
  }
  async function recordRefusal(ip: string, at: Date) {
    await db.transaction((tx) =>
      recordLoginAttempt(tx, { email: CODE_ATTEMPT_KEY, ip, succeeded: false, now: at }),
    );
  }
  return new Hono<AppEnv>()
    .post('/check', jsonBody(SignInCodeRequestSchema), async (c) => {
      const { code } = c.req.valid('json');
      const ip = c.get('ip');
      const at = now();
      const blocked = await limited(ip, at);
      if (blocked) return blocked;
      const { state, row } = await findSignInCode(db, code, at);
      if (state !== 'valid' || !row) {
        await recordRefusal(ip, at);
        throw refused(state === 'valid' ? 'unknown' : state);
      }
      const body: SignInCodeCheck = {
        name: row.name,
        role: row.role,
        expiresAt: row.expires_at.toISOString(),
      };
      return c.json(body);
    })
    .post('/', jsonBody(SignInCodeRequestSchema), async (c) => {
      const { code } = c.req.valid('json');
      const ip = c.get('ip');
      const at = now();
      const blocked = await limited(ip, at);
      if (blocked) return blocked;
      const outcome = await db.transaction(async (tx) => {
        // Locked: two phones scanning the same QR at once get one session between them.
        const { state, row } = await findSignInCode(tx, code, at, true);
        if (state !== 'valid' || !row)
          return { ok: false, state: state === 'valid' ? 'unknown' : state } as const;
        const session = await issueToken(tx, { userId: row.user_id, kind: 'session', now: at });
        await markCodeUsed(tx, { id: row.id, tokenId: session.id, now: at });
        await recordLoginAttempt(tx, { email: CODE_ATTEMPT_KEY, ip, succeeded: true, now: at });
        await audit(tx, {
          actor: row.user_id,
          ip,
          action: 'auth.login_code',
          entity: 'user',
          entityId: row.user_id,
          detail: { codeId: row.id, tokenId: session.id },
        });
        return { ok: true, row, session } as const;
      });
      if (!outcome.ok) {
        await recordRefusal(ip, at);
        throw refused(outcome.state);
      }
      const body: LoginResponse = {
        token: outcome.session.token,
        expiresAt: outcome.session.expiresAt.toISOString(),
        user: { id: outcome.row.user_id, name: outcome.row.name, role: outcome.row.role },
      };
      return c.json(body);
    });
}
