/**
 * `/api/cadence`: the day's work queue. Every role may ask; what comes back depends on the role
 * (see server/cadence/queue.ts): collectors get only their assigned debtors' visits.
 *
 * `GET /api/cadence/today?limit=500&cursor=<debtorId>&channel=email` pages through debtors with
 * open debts by id; `limit` counts debtors scanned (1–5000), `nextCursor` continues, null at the
 * end. Items carry no message: `GET /api/cadence/today/:debtorId` answers that debtor's item with
 * its message and PIX code rendered, when a person opens it (404 when the debtor has no work today
 * for the asking role). Automatic e-mail steps show their outbox task.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { issuesToProblem } from '#shared/api/problem';
import { ChannelSchema } from '#shared/templates/template.schema';
import type { Deps } from '../app';
import { cadenceToday, cadenceTodayItem } from '../cadence/today';
import { DEFAULT_PAGE_DEBTORS, MAX_PAGE_DEBTORS } from '../cadence/queue-page';
import { ANY_ROLE, requireRole, type AppEnv } from '../http/auth';
import { problem, problemError, problemResponse } from '../http/problem';
import { uuidParam } from '../http/validate';
import { recordDebtorRead } from '../lgpd/read-audit';
import { publicBase } from '../portal/public-url';

export const TodayQuerySchema = v.object({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,5}$/, 'limit deve ser um número inteiro'),
      v.transform(Number),
      v.minValue(1, 'limit deve ser pelo menos 1'),
      v.maxValue(MAX_PAGE_DEBTORS, `limit pode ser no máximo ${MAX_PAGE_DEBTORS}`),
    ),
    String(DEFAULT_PAGE_DEBTORS),
  ),
  cursor: v.optional(v.pipe(v.string(), v.uuid('cursor inválido'))),
  channel: v.optional(ChannelSchema),
});

/** `/api/cadence`. */
export function cadenceRoutes(deps: Deps) {
  const { db, now } = deps;
  return new Hono<AppEnv>()
    .get('/today', requireRole(...ANY_ROLE), async (c) => {
      const parsed = v.safeParse(TodayQuerySchema, c.req.query());
      if (!parsed.success)
        return problemResponse(
          issuesToProblem(parsed.issues, {
            title: 'Dados inválidos',
            type: '/problems/validation',
          }),
        );
      const user = c.get('user');
      const { limit, cursor, channel } = parsed.output;
      const page = await cadenceToday(db, now(), {
        role: user.role,
        userId: user.id,
        limit,
        ...(cursor === undefined ? {} : { cursor }),
        ...(channel === undefined ? {} : { channel }),
      });
      // LGPD: one audit row per page naming the debtors it shows.
      await recordDebtorRead(db, {
        actor: user.id,
        ip: c.get('ip'),
        action: 'cadence.queue',
        debtorIds: [
          ...page.items.map((i) => i.debtor.id),
          ...(page.escalations ?? []).map((e) => e.debtor.id),
        ],
        detail: { date: page.date },
      });
      return c.json(page);
    })
    .get('/today/:debtorId', requireRole(...ANY_ROLE), async (c) => {
      const user = c.get('user');
      const found = await cadenceTodayItem(db, now(), {
        role: user.role,
        userId: user.id,
        debtorId: uuidParam(c, 'debtorId'),
        // The debtor's page link of `{{payment_link}}` is minted here, for this one message.
        portal: { db, key: deps.portalKey, base: publicBase(c, deps) },
      });
      if (!found)
        throw problemError(
          problem(404, 'not-found', 'nenhuma tarefa de hoje para este devedor na sua fila'),
        );
      return c.json(found);
    });
}
