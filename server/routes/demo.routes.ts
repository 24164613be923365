/**
 * `POST /api/demo`: loads the demo portfolio into the running server (server/demo/seed-demo.ts):
 * the creditor identity and a test PIX key where unset, three collectors, the debtors and their
 * history. The owner's app offers it on an organisation with no debtors of its own; `quita demo`
 * calls it when a server already holds the data directory (it presents the server's local secret,
 * server/local-control.ts, instead of a session).
 *
 * Rules: refused (409 `has-debtors`) while the organisation has debtors that are not demo data,
 * unless the CLI says `force`; one load at a time (409 `demo-running`); idempotent (a second load
 * adds nothing). The passwords of users it creates are answered to the CLI on this machine only;
 * the app signs the demo's collectors in by QR code instead (Pessoas, the guide).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { DemoRequestSchema } from '#shared/onboarding/onboarding.schema';
import type { Deps } from '../app';
import { DEMO_PREFIX } from '../demo/demo-portfolio';
import { seedDemo } from '../demo/seed-demo';
import { requireRole, type AppEnv } from '../http/auth';
import { problem, problemError } from '../http/problem';
import { jsonBody } from '../http/validate';
import { isLocalToken, LOCAL_TOKEN_HEADER } from '../local-control';

/** `/api/demo`. */
export function demoRoutes({ db, now, localTokenHash, demoDebtors }: Deps) {
  let running = false;
  const ownerOrLocal: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (isLocalToken(c.req.header(LOCAL_TOKEN_HEADER), localTokenHash)) return next();
    return (requireRole('owner') as unknown as MiddlewareHandler<AppEnv>)(c, next);
  };
  return new Hono<AppEnv>().post('/', ownerOrLocal, jsonBody(DemoRequestSchema), async (c) => {
    const input = c.req.valid('json') ?? {};
    const local = isLocalToken(c.req.header(LOCAL_TOKEN_HEADER), localTokenHash);
    const [own] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM debtors
        WHERE merged_into IS NULL AND (external_id IS NULL OR external_id NOT LIKE $1)`,
      [`${DEMO_PREFIX}%`],
    );
    const force = local && input.force === true;
    if ((own?.n ?? 0) > 0 && !force)
      throw problemError(
        problem(
          409,
          'has-debtors',
          `a organização já tem ${own?.n} devedores próprios; os dados de exemplo são para começar do zero`,
        ),
      );
    if (running)
      throw problemError(
        problem(409, 'demo-running', 'os dados de exemplo já estão sendo carregados; aguarde'),
      );
    running = true;
    try {
      const summary = await seedDemo(db, {
        now: now(),
        debtors: input.debtors ?? demoDebtors,
      });
      return c.json({
        ...summary,
        // Passwords leave the server only towards the CLI on this machine.
        users: summary.users.map(({ password, ...user }) =>
          local && password !== undefined ? { ...user, password } : user,
        ),
      });
    } finally {
      running = false;
    }
  });
}
