/**
 * `POST /api/demo` (owner): loads the demo portfolio into the running server
 * (server/demo/load-demo.ts): the creditor identity and a test PIX key where unset, three
 * collectors, the debtors and their history. The owner's app offers it on an organisation with
 * no debtors of its own. The passwords of the users it creates never leave the server this way:
 * the app signs the demo's collectors in by QR code instead (Pessoas, the guide). `quita demo`
 * reaches the same loader through the admin socket on the server's machine.
 */
import { Hono } from 'hono';
import { DemoRequestSchema } from '#shared/onboarding/onboarding.schema';
import type { Deps } from '../app';
import { loadDemo } from '../demo/load-demo';
import { requireRole, type AppEnv } from '../http/auth';
import { jsonBody } from '../http/validate';

/** `/api/demo`. */
export function demoRoutes({ db, now, demoDebtors }: Deps) {
  return new Hono<AppEnv>().post(
    '/',
    requireRole('owner'),
    jsonBody(DemoRequestSchema),
    async (c) => {
      const input = c.req.valid('json') ?? {};
      const summary = await loadDemo(db, {
        now: now(),
        debtors: input.debtors ?? demoDebtors,
        force: false,
      });
      return c.json({
        ...summary,
        users: summary.users.map(({ password: _password, ...user }) => user),
      });
    },
  );
}
