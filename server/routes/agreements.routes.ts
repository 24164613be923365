/**
 * `/api/agreements`: installment agreements. A proposal is validated by `validateProposal`
 * against the negotiation policy and the balances as of today; discounts unlock only when the
 * debtor's current cadence step allows them ("last resort"). Inside the limits it is active at
 * once; above the approval threshold it waits for the owner. Every concession (discount, waived
 * multa, waived juros) is logged as its own row and audit entry.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { uuidv7 } from 'uuidv7';
import { AgreementProposalRequestSchema, ReasonRequestSchema } from '#shared/api/ledger.schema';
import { IdSchema } from '#shared/domain/id';
import { validateProposal } from '#shared/negotiation/validate-proposal';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import type { Tx } from '../db/db';
import type { AuthUser } from '../auth/tokens.repo';
import { updateEntity } from '../db/write';
import { assertDebtorAccess, debtorOfRow, debtorScope } from '../http/access';
import { ANY_ROLE, requireRole, type AppEnv } from '../http/auth';
import { jsonBody, uuidParam } from '../http/validate';
import { debtorState, loadDebtorFacts } from '../ledger/debtor-state';
import { conflict, notFound, queryParams, ruleProblem, uniqueViolation } from '../ledger/http';
import { insertAgreement, proposalContext } from '../ledger/agreement-write';
import { agreementJson, type AgreementRow, type InstallmentRow } from '../ledger/rows';
import { loadLedgerSettings } from '../ledger/settings';

const AgreementListQuerySchema = v.object({
  debtorId: v.optional(IdSchema),
  status: v.optional(
    v.picklist(['pending_approval', 'active', 'completed', 'broken', 'cancelled', 'rejected']),
  ),
});

async function hasOtherActive(tx: Tx, debtorId: string, exceptId: string | null): Promise<boolean> {
  const rows = await tx.query(
    `SELECT 1 FROM agreements WHERE debtor_id = $1 AND status = 'active' AND id IS DISTINCT FROM $2`,
    [debtorId, exceptId],
  );
  return rows.length > 0;
}

/** `/api/agreements`. */
export function agreementRoutes({ db, now }: Deps) {
  const render = async (id: string) => {
    const [row] = await db.query<AgreementRow>('SELECT * FROM agreements WHERE id = $1', [id]);
    if (!row) throw notFound('acordo');
    const installments = await db.query<InstallmentRow>(
      'SELECT * FROM installments WHERE agreement_id = $1 ORDER BY seq',
      [id],
    );
    return agreementJson(row, installments);
  };
  const decide = async (
    user: AuthUser,
    ip: string,
    id: string,
    decision: 'approve' | 'reject',
    reason: string | null,
  ) => {
    await db.transaction(async (tx) => {
      await debtorOfRow(tx, user, 'agreements', id, 'acordo');
      const [row] = await tx.query<AgreementRow>('SELECT * FROM agreements WHERE id = $1', [id]);
      if (row?.status !== 'pending_approval')
        throw conflict('agreement-not-pending', 'este acordo não aguarda aprovação');
      if (decision === 'approve' && (await hasOtherActive(tx, row.debtor_id, id)))
        throw conflict('agreement-active', 'o devedor já tem outro acordo ativo');
      await updateEntity(tx, 'agreement', id, {
        status: decision === 'approve' ? 'active' : 'rejected',
        decided_by: user.id,
        decided_at: now(),
        ...(reason === null ? {} : { rejection_reason: reason }),
      });
      await audit(tx, {
        actor: user.id,
        ip,
        action: `agreement.${decision}`,
        entity: 'agreement',
        entityId: id,
        detail: reason === null ? {} : { reason },
      });
    });
    return render(id);
  };
  return new Hono<AppEnv>()
    .get('/', requireRole(...ANY_ROLE), queryParams(AgreementListQuerySchema), async (c) => {
      const query = c.req.valid('query');
      const user = c.get('user');
      const params: unknown[] = [];
      const scope = debtorScope(user, 'a.debtor_id', 1);
      params.push(...scope.params);
      const where = [scope.sql];
      if (query.debtorId !== undefined) {
        // Naming a debtor one may not see is a 404, as everywhere else.
        await assertDebtorAccess(db, user, query.debtorId);
        params.push(query.debtorId);
        where.push(`a.debtor_id = $${params.length}`);
      }
      if (query.status !== undefined) {
        params.push(query.status);
        where.push(`a.status = $${params.length}`);
      }
      const rows = await db.query<AgreementRow & { debtor_name: string }>(
        `SELECT a.*, d.name AS debtor_name FROM agreements a JOIN debtors d ON d.id = a.debtor_id
         WHERE ${where.join(' AND ')} ORDER BY a.created_at DESC, a.id LIMIT 500`,
        params,
      );
      const installments = await db.query<InstallmentRow>(
        'SELECT * FROM installments WHERE agreement_id = ANY($1::uuid[]) ORDER BY seq',
        [rows.map((r) => r.id)],
      );
      return c.json({
        items: rows.map((r) => ({ ...agreementJson(r, installments), debtorName: r.debtor_name })),
      });
    })
    .get('/:id', requireRole(...ANY_ROLE), async (c) => {
      const id = uuidParam(c, 'id');
      await debtorOfRow(db, c.get('user'), 'agreements', id, 'acordo');
      return c.json(await render(id));
    })
    .post('/', requireRole(...ANY_ROLE), jsonBody(AgreementProposalRequestSchema), async (c) => {
      const input = c.req.valid('json');
      const user = c.get('user');
      const id = input.id ?? uuidv7();
      await assertDebtorAccess(db, user, input.debtorId);
      let result;
      try {
        result = await db.transaction(async (tx) => {
          const facts = (await loadDebtorFacts(tx, [input.debtorId])).get(input.debtorId);
          if (!facts) throw notFound('devedor');
          const settings = await loadLedgerSettings(tx);
          const state = debtorState(facts, settings, now());
          if (facts.agreements.some((a) => a.status === 'active'))
            throw conflict('agreement-active', 'o devedor já tem um acordo ativo');
          const verdict = validateProposal(
            settings.negotiation,
            input,
            proposalContext(state, settings, facts),
          );
          if (!verdict.ok)
            throw ruleProblem(
              'proposal-rejected',
              verdict.violations.map((f) => f.message).join(' '),
              { violations: verdict.violations, maxDiscountBps: verdict.maxDiscountBps },
            );
          await insertAgreement(tx, {
            id,
            debtorId: input.debtorId,
            proposal: input,
            verdict,
            state,
            settings,
            proposedBy: user.id,
            auditActor: user.id,
            ip: c.get('ip'),
          });
          return verdict;
        });
      } catch (error) {
        if (uniqueViolation(error) !== null)
          throw conflict('duplicate-id', 'já existe um acordo com este id');
        throw error;
      }
      return c.json({ ...(await render(id)), approvalReasons: result.approvalReasons }, 201);
    })
    .post('/:id/approve', requireRole('owner'), async (c) =>
      c.json(await decide(c.get('user'), c.get('ip'), uuidParam(c, 'id'), 'approve', null)),
    )
    .post('/:id/reject', requireRole('owner'), jsonBody(ReasonRequestSchema), async (c) =>
      c.json(
        await decide(
          c.get('user'),
          c.get('ip'),
          uuidParam(c, 'id'),
          'reject',
          c.req.valid('json').reason,
        ),
      ),
    );
}
