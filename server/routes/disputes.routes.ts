/**
 * `/api/disputes`: a debtor contests a debt. An open dispute pauses the régua and blocks
 * escalation until the office resolves it (upheld or rejected) or the debtor withdraws it.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { uuidv7 } from 'uuidv7';
import {
  DisputeRequestSchema,
  DisputeResolveSchema,
  ReasonRequestSchema,
} from '#shared/api/ledger.schema';
import { IdSchema } from '#shared/domain/id';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import { updateEntity } from '../db/write';
import { openDispute } from '../ledger/dispute-write';
import type { AuthUser } from '../auth/tokens.repo';
import { assertDebtorAccess, debtorOfRow } from '../http/access';
import { ANY_ROLE, requireRole, type AppEnv } from '../http/auth';
import { jsonBody, uuidParam } from '../http/validate';
import { conflict, notFound, queryParams, ruleProblem, uniqueViolation } from '../ledger/http';
import { disputeJson, type DisputeRow } from '../ledger/rows';
import { loadLedgerSettings, todayFor } from '../ledger/settings';

const DisputeListQuerySchema = v.object({ debtorId: IdSchema });

/** `/api/disputes`. */
export function disputeRoutes({ db, now }: Deps) {
  const render = async (id: string) => {
    const [row] = await db.query<DisputeRow>('SELECT * FROM disputes WHERE id = $1', [id]);
    if (!row) throw notFound('contestação');
    return disputeJson(row);
  };
  const close = async (
    user: AuthUser,
    ip: string,
    id: string,
    status: 'upheld' | 'rejected' | 'withdrawn',
    note: string,
  ) => {
    await db.transaction(async (tx) => {
      await debtorOfRow(tx, user, 'disputes', id, 'contestação');
      const [row] = await tx.query<DisputeRow>('SELECT * FROM disputes WHERE id = $1', [id]);
      if (row?.status !== 'open')
        throw conflict('dispute-not-open', 'esta contestação não está aberta');
      await updateEntity(tx, 'dispute', id, {
        status,
        resolution: note,
        resolved_by: user.id,
        resolved_at: now(),
      });
      await audit(tx, {
        actor: user.id,
        ip,
        action: status === 'withdrawn' ? 'dispute.withdraw' : 'dispute.resolve',
        entity: 'dispute',
        entityId: id,
        detail: { status, note },
      });
    });
    return render(id);
  };
  return new Hono<AppEnv>()
    .get('/', requireRole(...ANY_ROLE), queryParams(DisputeListQuerySchema), async (c) => {
      const { debtorId } = c.req.valid('query');
      await assertDebtorAccess(db, c.get('user'), debtorId);
      const rows = await db.query<DisputeRow>(
        'SELECT * FROM disputes WHERE debtor_id = $1 ORDER BY created_at DESC, id',
        [debtorId],
      );
      return c.json({ items: rows.map(disputeJson) });
    })
    .post('/', requireRole(...ANY_ROLE), jsonBody(DisputeRequestSchema), async (c) => {
      const input = c.req.valid('json');
      const user = c.get('user');
      const id = input.id ?? uuidv7();
      await assertDebtorAccess(db, user, input.debtorId);
      try {
        await db.transaction(async (tx) => {
          const opened = await openDispute(tx, {
            id,
            debtorId: input.debtorId,
            debtId: input.debtId,
            reason: input.reason,
            description: input.description ?? null,
            today: todayFor(await loadLedgerSettings(tx), now()),
            openedBy: user.id,
            auditActor: user.id,
            ip: c.get('ip'),
          });
          if (!opened.ok && opened.reason === 'unknown_debt')
            throw ruleProblem('unknown-debt', 'a dívida não pertence a este devedor', {
              errors: [{ field: 'debtId', message: 'a dívida deve pertencer ao devedor' }],
            });
          if (!opened.ok)
            throw conflict('dispute-open', 'já existe uma contestação aberta para esta dívida');
        });
      } catch (error) {
        if (uniqueViolation(error) !== null)
          throw conflict('duplicate-id', 'já existe uma contestação com este id');
        throw error;
      }
      return c.json(await render(id), 201);
    })
    .post(
      '/:id/resolve',
      requireRole('owner', 'staff'),
      jsonBody(DisputeResolveSchema),
      async (c) => {
        const { outcome, note } = c.req.valid('json');
        return c.json(await close(c.get('user'), c.get('ip'), uuidParam(c, 'id'), outcome, note));
      },
    )
    .post('/:id/withdraw', requireRole(...ANY_ROLE), jsonBody(ReasonRequestSchema), async (c) => {
      const { reason } = c.req.valid('json');
      return c.json(
        await close(c.get('user'), c.get('ip'), uuidParam(c, 'id'), 'withdrawn', reason),
      );
    });
}
