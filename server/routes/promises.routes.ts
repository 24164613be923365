/**
 * `/api/promises`: promises to pay, checked by `validatePromise` against the promise policy and
 * the covered debts' balance as of today; their status is derived by `promiseStatus` from the
 * confirmed payments, never typed in. An active promise pauses the régua.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { uuidv7 } from 'uuidv7';
import { PromiseRequestSchema, ReasonRequestSchema } from '#shared/api/ledger.schema';
import { IdSchema } from '#shared/domain/id';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import { insertEntity, updateEntity } from '../db/write';
import { assertDebtorAccess, debtorOfRow } from '../http/access';
import { ANY_ROLE, requireRole, type AppEnv } from '../http/auth';
import { jsonBody, uuidParam } from '../http/validate';
import { debtorState, derivedPromiseStatus, loadDebtorFacts } from '../ledger/debtor-state';
import {
  accessibleFacts,
  conflict,
  notFound,
  queryParams,
  ruleProblem,
  uniqueViolation,
} from '../ledger/http';
import { checkNewPromise } from '../ledger/promise-check';
import { promiseJson, type PaymentRow, type PromiseRow } from '../ledger/rows';
import { loadLedgerSettings, todayFor } from '../ledger/settings';

const PromiseListQuerySchema = v.object({ debtorId: IdSchema });

/** `/api/promises`. */
export function promiseRoutes({ db, now }: Deps) {
  const render = async (id: string) => {
    const [row] = await db.query<PromiseRow>('SELECT * FROM promises WHERE id = $1', [id]);
    if (!row) throw notFound('promessa');
    const payments = await db.query<PaymentRow>(
      `SELECT * FROM payments WHERE debtor_id = $1 AND status = 'confirmed'`,
      [row.debtor_id],
    );
    const today = todayFor(await loadLedgerSettings(db), now());
    return promiseJson(row, derivedPromiseStatus(row, payments, today));
  };
  return new Hono<AppEnv>()
    .get('/', requireRole(...ANY_ROLE), queryParams(PromiseListQuerySchema), async (c) => {
      const { debtorId } = c.req.valid('query');
      const facts = await accessibleFacts(db, c.get('user'), debtorId);
      const state = debtorState(facts, await loadLedgerSettings(db), now());
      return c.json({
        items: facts.promises.map((p) =>
          promiseJson(p, state.promiseStatuses.get(p.id) ?? 'active'),
        ),
      });
    })
    .post('/', requireRole(...ANY_ROLE), jsonBody(PromiseRequestSchema), async (c) => {
      const input = c.req.valid('json');
      const user = c.get('user');
      const id = input.id ?? uuidv7();
      await assertDebtorAccess(db, user, input.debtorId);
      try {
        await db.transaction(async (tx) => {
          const facts = (await loadDebtorFacts(tx, [input.debtorId])).get(input.debtorId);
          if (!facts) throw notFound('devedor');
          const settings = await loadLedgerSettings(tx);
          const state = debtorState(facts, settings, now());
          const check = checkNewPromise(state, settings, input, state.today);
          if (check.kind === 'unknown_debt')
            throw ruleProblem('unknown-debt', 'uma das dívidas não pertence a este devedor', {
              errors: [
                { field: 'debtIds', message: 'todas as dívidas devem pertencer ao devedor' },
              ],
            });
          if (check.kind === 'promise_active')
            throw conflict(
              'promise-active',
              'já existe uma promessa em andamento para este devedor',
            );
          const { verdict } = check;
          if (!verdict.ok)
            throw ruleProblem(
              'promise-rejected',
              verdict.violations.map((f) => f.message).join(' '),
              { violations: verdict.violations },
            );
          // Too many broken promises: only the owner may accept one more.
          if (verdict.needsApproval && user.role !== 'owner')
            throw ruleProblem(
              'promise-needs-approval',
              verdict.approvalReasons.map((f) => f.message).join(' '),
              { approvalReasons: verdict.approvalReasons },
            );
          await insertEntity(tx, 'promise', {
            id,
            debtor_id: input.debtorId,
            debt_id: input.debtIds[0] ?? null,
            debt_ids: JSON.stringify(input.debtIds),
            amount_cents: input.amount,
            promised_on: input.dueDate,
            made_on: state.today,
            channel: input.channel,
            status: 'open',
            created_by: user.id,
            note: input.note ?? null,
            visit_id: input.visitId ?? null,
          });
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'promise.create',
            entity: 'promise',
            entityId: id,
            detail: {
              amount: input.amount,
              dueDate: input.dueDate,
              approvedByOwner: verdict.needsApproval,
            },
          });
        });
      } catch (error) {
        if (uniqueViolation(error) !== null)
          throw conflict('duplicate-id', 'já existe uma promessa com este id');
        throw error;
      }
      return c.json(await render(id), 201);
    })
    .post('/:id/cancel', requireRole(...ANY_ROLE), jsonBody(ReasonRequestSchema), async (c) => {
      const id = uuidParam(c, 'id');
      const { reason } = c.req.valid('json');
      const user = c.get('user');
      await db.transaction(async (tx) => {
        await debtorOfRow(tx, user, 'promises', id, 'promessa');
        const [row] = await tx.query<PromiseRow>('SELECT * FROM promises WHERE id = $1', [id]);
        const payments = await tx.query<PaymentRow>(
          `SELECT * FROM payments WHERE debtor_id = $1 AND status = 'confirmed'`,
          [row?.debtor_id],
        );
        const today = todayFor(await loadLedgerSettings(tx), now());
        if (!row || derivedPromiseStatus(row, payments, today) !== 'active')
          throw conflict('promise-not-active', 'só uma promessa em andamento pode ser cancelada');
        await updateEntity(tx, 'promise', id, {
          status: 'cancelled',
          resolved_at: now(),
          note: row.note ? `${row.note}\n${reason}` : reason,
        });
        await audit(tx, {
          actor: user.id,
          ip: c.get('ip'),
          action: 'promise.cancel',
          entity: 'promise',
          entityId: id,
          detail: { reason },
        });
      });
      return c.json(await render(id));
    });
}
