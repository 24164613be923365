/**
 * `/api/payments`: confirmed money (office) and field-reported money awaiting reconciliation
 * (collectors). A report changes no balance until the office confirms it, so a typo or a fraud
 * never settles a debt by itself; confirming may settle debts and start a listing's removal
 * deadline (Súmula 548).
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { uuidv7 } from 'uuidv7';
import { ReasonRequestSchema, ReportedPaymentRequestSchema } from '#shared/api/ledger.schema';
import { IdSchema } from '#shared/domain/id';
import { NewPaymentSchema, ReportedPaymentStatusSchema } from '#shared/domain/payment.schema';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import type { Tx } from '../db/db';
import { insertEntity, updateEntity } from '../db/write';
import type { AuthUser } from '../auth/tokens.repo';
import { assertDebtorAccess, debtorOfRow, debtorScope } from '../http/access';
import { ANY_ROLE, requireRole, type AppEnv } from '../http/auth';
import { jsonBody, uuidParam } from '../http/validate';
import { conflict, invalidField, notFound, queryParams, uniqueViolation } from '../ledger/http';
import { settleDebts } from '../ledger/ledger.repo';
import { paymentJson, type DebtRow, type PaymentRow } from '../ledger/rows';
import { loadLedgerSettings, todayFor } from '../ledger/settings';

const PaymentListQuerySchema = v.object({
  debtorId: v.optional(IdSchema),
  status: v.optional(ReportedPaymentStatusSchema),
});

/** The debt a payment is for: must exist, be visible, and not be cancelled. */
async function payableDebt(tx: Tx, user: AuthUser, debtId: string): Promise<DebtRow> {
  await debtorOfRow(tx, user, 'debts', debtId, 'dívida');
  const [debt] = await tx.query<DebtRow>('SELECT * FROM debts WHERE id = $1', [debtId]);
  if (!debt) throw notFound('dívida');
  if (debt.status === 'cancelled')
    throw conflict('debt-cancelled', 'esta dívida foi cancelada e não recebe pagamentos');
  return debt;
}

/** `/api/payments`. */
export function paymentRoutes({ db, now }: Deps) {
  const find = async (id: string) => {
    const [row] = await db.query<PaymentRow>('SELECT * FROM payments WHERE id = $1', [id]);
    if (!row) throw notFound('pagamento');
    return row;
  };
  const duplicate = (error: unknown) => {
    const constraint = uniqueViolation(error);
    if (constraint === null) return error;
    return constraint.includes('receipt')
      ? conflict('duplicate-receipt', 'este recibo já foi registrado por você', {
          errors: [{ field: 'receiptNumber', message: 'este número de recibo já foi usado' }],
        })
      : conflict('duplicate-id', 'já existe um pagamento com este id');
  };
  return new Hono<AppEnv>()
    .get('/', requireRole(...ANY_ROLE), queryParams(PaymentListQuerySchema), async (c) => {
      const query = c.req.valid('query');
      const user = c.get('user');
      const params: unknown[] = [];
      const scope = debtorScope(user, 'p.debtor_id', 1);
      params.push(...scope.params);
      const where = [scope.sql];
      if (query.debtorId !== undefined) {
        // Naming a debtor one may not see is a 404, as everywhere else.
        await assertDebtorAccess(db, user, query.debtorId);
        params.push(query.debtorId);
        where.push(`p.debtor_id = $${params.length}`);
      }
      if (query.status !== undefined) {
        params.push(query.status);
        where.push(`p.status = $${params.length}`);
      }
      const rows = await db.query<PaymentRow & { debtor_name: string }>(
        `SELECT p.*, d.name AS debtor_name FROM payments p JOIN debtors d ON d.id = p.debtor_id
         WHERE ${where.join(' AND ')} ORDER BY p.created_at DESC, p.id LIMIT 500`,
        params,
      );
      // The list names each debtor: whoever reconciles needs to know whose payment it is.
      return c.json({ items: rows.map((r) => ({ ...paymentJson(r), debtorName: r.debtor_name })) });
    })
    .post('/', requireRole('owner', 'staff'), jsonBody(NewPaymentSchema), async (c) => {
      const input = c.req.valid('json');
      const user = c.get('user');
      const id = input.id ?? uuidv7();
      try {
        await db.transaction(async (tx) => {
          const debt = await payableDebt(tx, user, input.debtId);
          const settings = await loadLedgerSettings(tx);
          const today = todayFor(settings, now());
          if (input.date > today)
            throw invalidField('date', 'o pagamento não pode ter data no futuro');
          await insertEntity(tx, 'payment', {
            id,
            debtor_id: debt.debtor_id,
            debt_id: debt.id,
            agreement_id: input.agreementId ?? null,
            amount_cents: input.amount,
            paid_on: input.date,
            method: input.method,
            status: 'confirmed',
            reference: input.reference ?? null,
            pix_txid: input.pixTxid ?? null,
            reported_by: user.id,
            reconciled_by: user.id,
            reconciled_at: now(),
          });
          await settleDebts(tx, debt.debtor_id, settings, today);
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'payment.record',
            entity: 'payment',
            entityId: id,
            detail: { debtId: debt.id, amount: input.amount, date: input.date },
          });
        });
      } catch (error) {
        throw duplicate(error);
      }
      return c.json(paymentJson(await find(id)), 201);
    })
    .post(
      '/reported',
      requireRole(...ANY_ROLE),
      jsonBody(ReportedPaymentRequestSchema),
      async (c) => {
        const input = c.req.valid('json');
        const user = c.get('user');
        const id = input.id ?? uuidv7();
        try {
          await db.transaction(async (tx) => {
            const debt = await payableDebt(tx, user, input.debtId);
            const today = todayFor(await loadLedgerSettings(tx), now());
            if (input.date > today)
              throw invalidField('date', 'o pagamento não pode ter data no futuro');
            await insertEntity(tx, 'payment', {
              id,
              debtor_id: debt.debtor_id,
              debt_id: debt.id,
              amount_cents: input.amount,
              paid_on: input.date,
              method: input.method,
              status: 'pending',
              receipt_number: input.receiptNumber,
              reported_by: user.id,
              reported_at: new Date(input.reportedAt),
              visit_id: input.visitId ?? null,
              note: input.note ?? null,
            });
            await audit(tx, {
              actor: user.id,
              ip: c.get('ip'),
              action: 'payment.report',
              entity: 'payment',
              entityId: id,
              detail: { debtId: debt.id, amount: input.amount, receiptNumber: input.receiptNumber },
            });
          });
        } catch (error) {
          throw duplicate(error);
        }
        return c.json(paymentJson(await find(id)), 201);
      },
    )
    .post('/:id/confirm', requireRole('owner', 'staff'), async (c) => {
      const id = uuidParam(c, 'id');
      const user = c.get('user');
      await db.transaction(async (tx) => {
        const debtorId = await debtorOfRow(tx, user, 'payments', id, 'pagamento');
        const [before] = await tx.query<PaymentRow>('SELECT * FROM payments WHERE id = $1', [id]);
        if (before?.status !== 'pending')
          throw conflict(
            'payment-not-pending',
            'só um pagamento aguardando conferência pode ser confirmado',
          );
        await updateEntity(tx, 'payment', id, {
          status: 'confirmed',
          reconciled_by: user.id,
          reconciled_at: now(),
        });
        const settings = await loadLedgerSettings(tx);
        await settleDebts(tx, debtorId, settings, todayFor(settings, now()));
        await audit(tx, {
          actor: user.id,
          ip: c.get('ip'),
          action: 'payment.confirm',
          entity: 'payment',
          entityId: id,
          detail: { amount: before.amount_cents, reportedBy: before.reported_by },
        });
      });
      return c.json(paymentJson(await find(id)));
    })
    .post(
      '/:id/reject',
      requireRole('owner', 'staff'),
      jsonBody(ReasonRequestSchema),
      async (c) => {
        const id = uuidParam(c, 'id');
        const { reason } = c.req.valid('json');
        const user = c.get('user');
        await db.transaction(async (tx) => {
          await debtorOfRow(tx, user, 'payments', id, 'pagamento');
          const [before] = await tx.query<PaymentRow>('SELECT * FROM payments WHERE id = $1', [id]);
          if (before?.status !== 'pending')
            throw conflict(
              'payment-not-pending',
              'só um pagamento aguardando conferência pode ser recusado',
            );
          await updateEntity(tx, 'payment', id, {
            status: 'rejected',
            rejection_reason: reason,
            reconciled_by: user.id,
            reconciled_at: now(),
          });
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'payment.reject',
            entity: 'payment',
            entityId: id,
            detail: { reason, amount: before.amount_cents, reportedBy: before.reported_by },
          });
        });
        return c.json(paymentJson(await find(id)));
      },
    );
}
