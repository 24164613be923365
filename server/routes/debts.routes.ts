/**
 * `/api/debts`: títulos. Office users create, correct and cancel them; anyone who may see the
 * debtor reads them, each with its itemised balance as of today (never a stored balance).
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { uuidv7 } from 'uuidv7';
import { DebtPatchSchema, ReasonRequestSchema } from '#shared/api/ledger.schema';
import { NewDebtSchema } from '#shared/domain/debt.schema';
import { IdSchema } from '#shared/domain/id';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import { insertEntity, updateEntity } from '../db/write';
import { assertDebtorAccess, debtorOfRow } from '../http/access';
import { ANY_ROLE, requireRole, type AppEnv } from '../http/auth';
import { jsonBody, uuidParam } from '../http/validate';
import { debtBalance } from '../ledger/debtor-state';
import { conflict, invalidField, queryParams, uniqueViolation } from '../ledger/http';
import { debtJson, type DebtRow, type PaymentRow } from '../ledger/rows';
import { loadLedgerSettings, todayFor } from '../ledger/settings';

const DebtListQuerySchema = v.object({ debtorId: IdSchema });

/** `/api/debts`. */
export function debtRoutes({ db, now }: Deps) {
  const withBalance = async (row: DebtRow) => {
    const settings = await loadLedgerSettings(db);
    const payments = await db.query<PaymentRow>(
      `SELECT * FROM payments WHERE debt_id = $1 AND status = 'confirmed'`,
      [row.id],
    );
    return { ...debtJson(row), balance: debtBalance(row, payments, todayFor(settings, now())) };
  };
  const findDebt = async (id: string) => {
    const [row] = await db.query<DebtRow>('SELECT * FROM debts WHERE id = $1', [id]);
    return row;
  };
  return new Hono<AppEnv>()
    .get('/', requireRole(...ANY_ROLE), queryParams(DebtListQuerySchema), async (c) => {
      const { debtorId } = c.req.valid('query');
      await assertDebtorAccess(db, c.get('user'), debtorId);
      const rows = await db.query<DebtRow>(
        'SELECT * FROM debts WHERE debtor_id = $1 ORDER BY due_on, id',
        [debtorId],
      );
      const payments = await db.query<PaymentRow>(
        `SELECT * FROM payments WHERE debtor_id = $1 AND status = 'confirmed'`,
        [debtorId],
      );
      const today = todayFor(await loadLedgerSettings(db), now());
      return c.json({
        items: rows.map((r) => ({ ...debtJson(r), balance: debtBalance(r, payments, today) })),
      });
    })
    .post('/', requireRole('owner', 'staff'), jsonBody(NewDebtSchema), async (c) => {
      const input = c.req.valid('json');
      const user = c.get('user');
      const id = input.id ?? uuidv7();
      await assertDebtorAccess(db, user, input.debtorId);
      try {
        await db.transaction(async (tx) => {
          await insertEntity(tx, 'debt', {
            id,
            debtor_id: input.debtorId,
            external_id: input.externalId ?? null,
            description: input.description,
            principal_cents: input.principal,
            fees_cents: input.fees.reduce((sum, f) => sum + f.amount, 0),
            fees: JSON.stringify(input.fees),
            issued_on: input.issueDate,
            due_on: input.dueDate,
            debt_kind: input.kind,
            fine_bps: input.fineBps,
            interest_monthly_bps: input.monthlyInterestBps,
            punctuality_discount_bps: input.punctualityDiscountBps ?? null,
            grace_days: input.graceDays,
          });
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'debt.create',
            entity: 'debt',
            entityId: id,
            detail: { debtorId: input.debtorId, principal: input.principal },
          });
        });
      } catch (error) {
        const constraint = uniqueViolation(error);
        if (constraint !== null)
          throw conflict(
            constraint.includes('external') ? 'duplicate-external-id' : 'duplicate-id',
            constraint.includes('external')
              ? 'já existe uma dívida com este externalId'
              : 'já existe uma dívida com este id',
          );
        throw error;
      }
      const row = await findDebt(id);
      if (!row) throw new Error('debt vanished after insert');
      return c.json(await withBalance(row), 201);
    })
    .get('/:id', requireRole(...ANY_ROLE), async (c) => {
      const id = uuidParam(c, 'id');
      await debtorOfRow(db, c.get('user'), 'debts', id, 'dívida');
      const row = await findDebt(id);
      if (!row) throw new Error('debt vanished');
      return c.json(await withBalance(row));
    })
    .patch('/:id', requireRole('owner', 'staff'), jsonBody(DebtPatchSchema), async (c) => {
      const id = uuidParam(c, 'id');
      const patch = c.req.valid('json');
      const user = c.get('user');
      await debtorOfRow(db, user, 'debts', id, 'dívida');
      const columns: Record<string, unknown> = {};
      if (patch.description !== undefined) columns['description'] = patch.description;
      if (patch.externalId !== undefined) columns['external_id'] = patch.externalId;
      if (patch.principal !== undefined) columns['principal_cents'] = patch.principal;
      if (patch.issueDate !== undefined) columns['issued_on'] = patch.issueDate;
      if (patch.dueDate !== undefined) columns['due_on'] = patch.dueDate;
      if (patch.kind !== undefined) columns['debt_kind'] = patch.kind;
      if (patch.fineBps !== undefined) columns['fine_bps'] = patch.fineBps;
      if (patch.monthlyInterestBps !== undefined)
        columns['interest_monthly_bps'] = patch.monthlyInterestBps;
      if (patch.graceDays !== undefined) columns['grace_days'] = patch.graceDays;
      try {
        await db.transaction(async (tx) => {
          const [before] = await tx.query<DebtRow>('SELECT * FROM debts WHERE id = $1', [id]);
          if (before?.status !== 'open')
            throw conflict('debt-not-open', 'só uma dívida em aberto pode ser corrigida');
          const after = await updateEntity<DebtRow>(tx, 'debt', id, columns, {
            expectedVersion: patch.version,
          });
          if (!after)
            throw conflict('stale-version', 'a dívida foi alterada por outra pessoa; recarregue', {
              currentVersion: before.version,
            });
          if ((after.issued_on ?? after.due_on) > after.due_on)
            throw invalidField(
              'dueDate',
              'o vencimento não pode ser anterior à emissão (issueDate)',
            );
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'debt.update',
            entity: 'debt',
            entityId: id,
            detail: { changed: Object.keys(patch).filter((k) => k !== 'version') },
          });
        });
      } catch (error) {
        if (uniqueViolation(error) !== null)
          throw conflict('duplicate-external-id', 'já existe uma dívida com este externalId');
        throw error;
      }
      const row = await findDebt(id);
      if (!row) throw new Error('debt vanished');
      return c.json(await withBalance(row));
    })
    .post(
      '/:id/cancel',
      requireRole('owner', 'staff'),
      jsonBody(ReasonRequestSchema),
      async (c) => {
        const id = uuidParam(c, 'id');
        const { reason } = c.req.valid('json');
        const user = c.get('user');
        await debtorOfRow(db, user, 'debts', id, 'dívida');
        await db.transaction(async (tx) => {
          const [before] = await tx.query<DebtRow>('SELECT * FROM debts WHERE id = $1', [id]);
          if (before?.status !== 'open')
            throw conflict('debt-not-open', 'só uma dívida em aberto pode ser cancelada');
          await updateEntity(tx, 'debt', id, { status: 'cancelled', cancel_reason: reason });
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'debt.cancel',
            entity: 'debt',
            entityId: id,
            detail: { reason },
          });
        });
        const row = await findDebt(id);
        if (!row) throw new Error('debt vanished');
        return c.json(await withBalance(row));
      },
    );
}
