/**
 * `/api/reconciliation` (owner and staff): bank statements in, credits reviewed.
 * - `POST /statements`: the file as the body (OFX, or the Nubank/Inter CSV export), any content
 *   type but JSON; up to 25 MiB. Answers `{credits, autoConfirmed, suggested, unmatched,
 *   alreadySeen, …}`; an unreadable file is a 422 naming why, and writes nothing.
 * - `GET /credits?status=…`: credits for Revisão, with ranked suggestions.
 * - `POST /credits/:id/confirm`, `/undo`, `/ignore`: one-tap decisions (server/reconciliation/actions.ts).
 * - `GET /statements`: the latest uploads. `GET /refunds`, `POST /refunds/:paymentId/returned`:
 *   credits to return to payers.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as v from 'valibot';
import {
  ConfirmCreditRequestSchema,
  CreditStatuses,
  CreditListQuerySchema,
  CreditReasonRequestSchema,
} from '#shared/reconciliation/reconciliation.schema';
import type { Deps } from '../app';
import { requireRole, type AppEnv } from '../http/auth';
import { problem, problemError, problemResponse } from '../http/problem';
import { jsonBody, uuidParam } from '../http/validate';
import { queryParams } from '../ledger/http';
import { confirmCredit, ignoreCredit, markRefunded, undoCredit } from '../reconciliation/actions';
import { reconcileStatement } from '../reconciliation/reconcile';
import { listCredits } from '../reconciliation/suggestions.repo';

export const STATEMENT_LIMIT_BYTES = 25 * 1024 * 1024;

const StatementListQuerySchema = v.object({});

/** `/api/reconciliation`. */
export function reconciliationRoutes({ db, now }: Deps) {
  const office = requireRole('owner', 'staff');
  return new Hono<AppEnv>()
    .post(
      '/statements',
      office,
      bodyLimit({
        maxSize: STATEMENT_LIMIT_BYTES,
        onError: () =>
          problemResponse(
            problem(
              413,
              'payload-too-large',
              'o extrato pode ter no máximo 25 MiB; divida o período',
            ),
          ),
      }),
      async (c) => {
        const type = (c.req.header('content-type') ?? '').toLowerCase();
        if (type.includes('json'))
          throw problemError(
            problem(
              415,
              'unsupported-media-type',
              'envie o arquivo do extrato (OFX ou CSV) como corpo',
            ),
          );
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        const summary = await reconcileStatement(db, {
          bytes,
          actor: c.get('user').id,
          now: now(),
          ip: c.get('ip'),
        });
        return c.json(summary);
      },
    )
    .get('/statements', office, queryParams(StatementListQuerySchema), async (c) => {
      const rows = await db.query<{
        id: string;
        format: string;
        account_key: string;
        period_start: string | null;
        period_end: string | null;
        uploaded_at: Date;
        uploaded_by: string;
        credits: number;
        new_credits: number;
      }>(
        `SELECT id, format, account_key, period_start, period_end, uploaded_at, uploaded_by, credits, new_credits
         FROM bank_statements ORDER BY uploaded_at DESC, id DESC LIMIT 50`,
      );
      return c.json({
        items: rows.map((r) => ({
          id: r.id,
          format: r.format,
          account: r.account_key,
          periodStart: r.period_start,
          periodEnd: r.period_end,
          uploadedAt: r.uploaded_at.toISOString(),
          uploadedBy: r.uploaded_by,
          credits: r.credits,
          newCredits: r.new_credits,
        })),
      });
    })
    .get('/credits', office, queryParams(CreditListQuerySchema), async (c) => {
      const q = c.req.valid('query');
      const items = await listCredits(db, {
        statuses: q.status ?? ['suggested', 'unmatched'],
        ...(q.statementId === undefined ? {} : { statementId: q.statementId }),
        ...(q.after === undefined ? {} : { after: q.after }),
        limit: q.limit ?? 200,
      });
      return c.json({
        items,
        next: items.length === (q.limit ?? 200) ? (items.at(-1)?.id ?? null) : null,
      });
    })
    .post('/credits/:id/confirm', office, jsonBody(ConfirmCreditRequestSchema), async (c) => {
      const id = uuidParam(c, 'id');
      const input = c.req.valid('json');
      await confirmCredit(
        db,
        id,
        {
          debtorId: input.debtorId,
          target: input.target,
          creditToReturn: input.creditToReturn,
          ...(input.reportPaymentId === undefined
            ? {}
            : { reportPaymentId: input.reportPaymentId }),
        },
        { id: c.get('user').id, ip: c.get('ip') },
        now(),
      );
      const [item] = await listCredits(db, { statuses: CreditStatuses, limit: 1, id });
      return c.json(item);
    })
    .post('/credits/:id/undo', office, jsonBody(CreditReasonRequestSchema), async (c) => {
      const id = uuidParam(c, 'id');
      await undoCredit(
        db,
        id,
        c.req.valid('json').reason,
        { id: c.get('user').id, ip: c.get('ip') },
        now(),
      );
      const [item] = await listCredits(db, { statuses: CreditStatuses, limit: 1, id });
      return c.json(item);
    })
    .post('/credits/:id/ignore', office, jsonBody(CreditReasonRequestSchema), async (c) => {
      const id = uuidParam(c, 'id');
      await ignoreCredit(
        db,
        id,
        c.req.valid('json').reason,
        { id: c.get('user').id, ip: c.get('ip') },
        now(),
      );
      return c.json({ id, status: 'ignored' });
    })
    .get('/refunds', office, async (c) => {
      const rows = await db.query<{
        id: string;
        debtor_id: string;
        debtor_name: string;
        amount_cents: number;
        refund_due_cents: number;
        paid_on: string;
        bank_credit_id: string | null;
      }>(
        `SELECT p.id, p.debtor_id, d.name AS debtor_name, p.amount_cents, p.refund_due_cents, p.paid_on,
                p.bank_credit_id
         FROM payments p JOIN debtors d ON d.id = p.debtor_id
         WHERE p.refund_due_cents > 0 AND p.refunded_at IS NULL AND p.status = 'confirmed'
         ORDER BY p.created_at, p.id LIMIT 500`,
      );
      return c.json({
        items: rows.map((r) => ({
          paymentId: r.id,
          debtorId: r.debtor_id,
          debtorName: r.debtor_name,
          amount: r.amount_cents,
          toReturn: r.refund_due_cents,
          paidOn: r.paid_on,
          bankCreditId: r.bank_credit_id,
        })),
      });
    })
    .post('/refunds/:id/returned', office, async (c) => {
      const id = uuidParam(c, 'id');
      await markRefunded(db, id, { id: c.get('user').id, ip: c.get('ip') }, now());
      return c.json({ paymentId: id, returned: true });
    });
}
