/**
 * `/api/notices`: the written notices that must precede a negativação or protesto (CDC art. 43
 * §2). The waiting period is not the client's to choose: it comes from the cadence policy and the
 * debtor's state (SP/PE 20 days, MT 45, PI 15, others 10 by default).
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { uuidv7 } from 'uuidv7';
import { NoticeRequestSchema } from '#shared/api/ledger.schema';
import { noticeDaysFor } from '#shared/cadence/plan-next-actions';
import { IdSchema } from '#shared/domain/id';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import { insertEntity } from '../db/write';
import { assertDebtorAccess } from '../http/access';
import { ANY_ROLE, requireRole, type AppEnv } from '../http/auth';
import { jsonBody } from '../http/validate';
import { contactProfile } from '../ledger/debtor-state';
import {
  conflict,
  invalidField,
  notFound,
  queryParams,
  ruleProblem,
  uniqueViolation,
} from '../ledger/http';
import { noticeJson, type DebtorRow, type DebtRow, type NoticeRow } from '../ledger/rows';
import { loadLedgerSettings, todayFor } from '../ledger/settings';

const NoticeListQuerySchema = v.object({ debtorId: IdSchema });

const CHANNEL_OF_METHOD = {
  letter: 'letter',
  registered_letter: 'letter',
  bureau_letter: 'letter',
  email: 'email',
} as const;

/** `/api/notices`. */
export function noticeRoutes({ db, now }: Deps) {
  return new Hono<AppEnv>()
    .get('/', requireRole(...ANY_ROLE), queryParams(NoticeListQuerySchema), async (c) => {
      const { debtorId } = c.req.valid('query');
      await assertDebtorAccess(db, c.get('user'), debtorId);
      const rows = await db.query<NoticeRow>(
        'SELECT * FROM notices WHERE debtor_id = $1 ORDER BY sent_on DESC, id',
        [debtorId],
      );
      return c.json({ items: rows.map(noticeJson) });
    })
    .post('/', requireRole('owner', 'staff'), jsonBody(NoticeRequestSchema), async (c) => {
      const input = c.req.valid('json');
      const user = c.get('user');
      const id = input.id ?? uuidv7();
      await assertDebtorAccess(db, user, input.debtorId);
      try {
        await db.transaction(async (tx) => {
          const [debtor] = await tx.query<DebtorRow>('SELECT * FROM debtors WHERE id = $1', [
            input.debtorId,
          ]);
          const [debt] = await tx.query<DebtRow>('SELECT * FROM debts WHERE id = $1', [
            input.debtId,
          ]);
          if (!debtor) throw notFound('devedor');
          if (debt?.debtor_id !== input.debtorId)
            throw ruleProblem('unknown-debt', 'a dívida não pertence a este devedor', {
              errors: [{ field: 'debtId', message: 'a dívida deve pertencer ao devedor' }],
            });
          if (debt.status !== 'open')
            throw conflict('debt-not-open', 'só se notifica uma dívida em aberto');
          const settings = await loadLedgerSettings(tx);
          if (input.sentOn > todayFor(settings, now()))
            throw invalidField('sentOn', 'o comunicado não pode ter data no futuro');
          const waitingDays = Math.max(
            1,
            noticeDaysFor(settings.cadence, contactProfile(debtor, settings).state),
          );
          await insertEntity(tx, 'notice', {
            id,
            debtor_id: input.debtorId,
            debt_id: input.debtId,
            purpose: input.purpose,
            channel: CHANNEL_OF_METHOD[input.method],
            method: input.method,
            sent_on: input.sentOn,
            recipient: input.sentTo,
            waiting_days: waitingDays,
            amount_stated_cents: input.amountStated,
            template_id: input.templateId ?? null,
            created_by: user.id,
          });
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'notice.create',
            entity: 'notice',
            entityId: id,
            detail: { debtId: input.debtId, purpose: input.purpose, sentOn: input.sentOn },
          });
        });
      } catch (error) {
        if (uniqueViolation(error) !== null)
          throw conflict('duplicate-id', 'já existe uma notificação com este id');
        throw error;
      }
      const [row] = await db.query<NoticeRow>('SELECT * FROM notices WHERE id = $1', [id]);
      if (!row) throw notFound('notificação');
      return c.json(noticeJson(row), 201);
    });
}
