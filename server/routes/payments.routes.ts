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
import {
  CreditToReturnSchema,
  NewPaymentSchema,
  ReportedPaymentStatusSchema,
} from '#shared/domain/payment.schema';
import { cents } from '#shared/money/money';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import type { Tx } from '../db/db';
import { insertEntity, updateEntity } from '../db/write';
import type { AuthUser } from '../auth/tokens.repo';
import { assertDebtorAccess, debtorOfRow, debtorScope } from '../http/access';
import { ANY_ROLE, requireRole, type AppEnv } from '../http/auth';
import { jsonBody, optionalJsonBody, uuidParam } from '../http/validate';
import {
  conflict,
  invalidField,
  notFound,
  queryParams,
  ruleProblem,
  uniqueViolation,
} from '../ledger/http';
import {
  confirmReport,
  mergeLateReport,
  planFor,
  recordPlanned,
  reportAboveOpen,
} from '../ledger/money';
import { settleDebts } from '../ledger/ledger.repo';
import { paymentJson, type DebtRow, type PaymentRow } from '../ledger/rows';
import { loadLedgerSettings, todayFor } from '../ledger/settings';

const ConfirmPaymentRequestSchema = v.object({ creditToReturn: CreditToReturnSchema });

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
          // Where the money goes and whether it is more than is open (server/ledger/money.ts).
          const target =
            input.agreementId !== undefined && input.installmentNumber !== undefined
              ? {
                  kind: 'installment' as const,
                  agreementId: input.agreementId,
                  number: input.installmentNumber,
                }
              : { kind: 'debt' as const, debtId: debt.id };
          const { plan } = await planFor(tx, debt.debtor_id, target, input.amount, today);
          const ids = await recordPlanned(
            tx,
            {
              debtorId: debt.debtor_id,
              plan,
              amount: input.amount,
              date: input.date,
              method: input.method,
              reference: input.reference ?? null,
              pixTxid: input.pixTxid ?? null,
              id,
              actor: user.id,
              now: now(),
              creditToReturn: input.creditToReturn,
            },
            debt.id,
          );
          await settleDebts(tx, debt.debtor_id, settings, today, user.id);
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'payment.record',
            entity: 'payment',
            entityId: id,
            detail: {
              debtId: debt.id,
              amount: input.amount,
              date: input.date,
              ...(ids.length > 1 ? { rows: ids } : {}),
              ...(plan.surplus > 0 ? { creditToReturn: plan.surplus } : {}),
              ...(plan.parts[0]?.agreementId ? { agreementId: plan.parts[0].agreementId } : {}),
            },
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
            const above = await reportAboveOpen(tx, debt, cents(input.amount), today);
            const row = await insertEntity<PaymentRow>(tx, 'payment', {
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
            // Money the bank statement already brought is the same money: one confirmed payment.
            const merged = await mergeLateReport(tx, row, now());
            if (merged) {
              const settings = await loadLedgerSettings(tx);
              await settleDebts(tx, debt.debtor_id, settings, today, user.id);
            } else if (above)
              throw ruleProblem('payment-above-open', above.message, {
                errors: [{ field: 'amount', message: above.message }],
                owed: above.open,
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
    .post(
      '/:id/confirm',
      requireRole('owner', 'staff'),
      optionalJsonBody(ConfirmPaymentRequestSchema),
      async (c) => {
        const id = uuidParam(c, 'id');
        const user = c.get('user');
        const { creditToReturn } = c.req.valid('json');
        await db.transaction(async (tx) => {
          await debtorOfRow(tx, user, 'payments', id, 'pagamento');
          const [before] = await tx.query<PaymentRow>('SELECT * FROM payments WHERE id = $1', [id]);
          if (before?.status !== 'pending')
            throw conflict(
              'payment-not-pending',
              'só um pagamento aguardando conferência pode ser confirmado',
            );
          const settings = await loadLedgerSettings(tx);
          const today = todayFor(settings, now());
          // The same money already recorded from the bank statement: merged, never counted twice.
          if (!(await mergeLateReport(tx, before, now())))
            await confirmReport(tx, before, {
              actor: user.id,
              now: now(),
              today,
              settings,
              creditToReturn,
            });
          else await settleDebts(tx, before.debtor_id, settings, today, user.id);
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
      },
    )
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
