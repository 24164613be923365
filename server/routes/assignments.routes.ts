/**
 * `/api/assignments`: which collector works which debtor (owner only). Assigning moves a debtor
 * from its previous collector (the old row is ended, which tells sync to remove it from that
 * device); unassigning ends the current row. All-or-nothing: an unknown debtor or a user who is
 * not an active collector rejects the whole request.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { uuidv7 } from 'uuidv7';
import { AssignmentRequestSchema, UnassignRequestSchema } from '#shared/api/ledger.schema';
import { IdSchema } from '#shared/domain/id';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import type { Tx } from '../db/db';
import { insertEntity, updateEntity } from '../db/write';
import { requireRole, type AppEnv } from '../http/auth';
import { jsonBody } from '../http/validate';
import { queryParams, ruleProblem } from '../ledger/http';

const AssignmentListQuerySchema = v.object({ collectorId: v.optional(IdSchema) });

interface CurrentAssignment {
  id: string;
  debtor_id: string;
  collector_id: string;
}

async function checkDebtors(tx: Tx, ids: readonly string[]): Promise<void> {
  const found = await tx.query<{ id: string }>(
    'SELECT id FROM debtors WHERE id = ANY($1::uuid[])',
    [[...ids]],
  );
  const known = new Set(found.map((r) => r.id));
  const missing = [...new Set(ids)].filter((id) => !known.has(id));
  if (missing.length > 0)
    throw ruleProblem('unknown-debtor', `devedores não encontrados: ${missing.length}`, {
      missing,
      errors: [{ field: 'debtorIds', message: 'todos os devedores devem existir' }],
    });
}

async function currentOf(tx: Tx, ids: readonly string[]): Promise<CurrentAssignment[]> {
  return tx.query<CurrentAssignment>(
    'SELECT id, debtor_id, collector_id FROM assignments WHERE debtor_id = ANY($1::uuid[]) AND ended_at IS NULL',
    [[...ids]],
  );
}

/** `/api/assignments`. */
export function assignmentRoutes({ db, now }: Deps) {
  return new Hono<AppEnv>()
    .get('/', requireRole('owner'), queryParams(AssignmentListQuerySchema), async (c) => {
      const { collectorId } = c.req.valid('query');
      const rows = await db.query<{
        debtor_id: string;
        collector_id: string;
        started_at: Date;
        name: string;
      }>(
        `SELECT a.debtor_id, a.collector_id, a.started_at, d.name FROM assignments a
         JOIN debtors d ON d.id = a.debtor_id
         WHERE a.ended_at IS NULL AND ($1::uuid IS NULL OR a.collector_id = $1::uuid)
         ORDER BY a.collector_id, lower(d.name), d.id`,
        [collectorId ?? null],
      );
      return c.json({
        items: rows.map((r) => ({
          debtorId: r.debtor_id,
          debtorName: r.name,
          collectorId: r.collector_id,
          since: r.started_at.toISOString(),
        })),
      });
    })
    .post('/', requireRole('owner'), jsonBody(AssignmentRequestSchema), async (c) => {
      const input = c.req.valid('json');
      const user = c.get('user');
      const ids = [...new Set(input.debtorIds)];
      const result = await db.transaction(async (tx) => {
        const [collector] = await tx.query<{ role: string; active: boolean }>(
          'SELECT role, active FROM users WHERE id = $1',
          [input.collectorId],
        );
        if (collector?.role !== 'collector' || !collector.active)
          throw ruleProblem('not-a-collector', 'o usuário informado não é um cobrador ativo', {
            errors: [{ field: 'collectorId', message: 'deve ser um cobrador ativo' }],
          });
        await checkDebtors(tx, ids);
        const current = new Map((await currentOf(tx, ids)).map((a) => [a.debtor_id, a]));
        const at = now();
        let assigned = 0;
        let moved = 0;
        for (const debtorId of ids) {
          const existing = current.get(debtorId);
          if (existing?.collector_id === input.collectorId) continue;
          if (existing) {
            await updateEntity(tx, 'assignment', existing.id, { ended_at: at });
            moved++;
          }
          await insertEntity(tx, 'assignment', {
            id: uuidv7(),
            debtor_id: debtorId,
            collector_id: input.collectorId,
            assigned_by: user.id,
            started_at: at,
          });
          assigned++;
        }
        await audit(tx, {
          actor: user.id,
          ip: c.get('ip'),
          action: 'assignment.assign',
          entity: 'user',
          entityId: input.collectorId,
          detail: { debtors: ids.length, assigned, moved },
        });
        return { assigned, moved, unchanged: ids.length - assigned };
      });
      return c.json(result);
    })
    .post('/unassign', requireRole('owner'), jsonBody(UnassignRequestSchema), async (c) => {
      const input = c.req.valid('json');
      const user = c.get('user');
      const ids = [...new Set(input.debtorIds)];
      const result = await db.transaction(async (tx) => {
        await checkDebtors(tx, ids);
        const current = await currentOf(tx, ids);
        const at = now();
        for (const a of current) await updateEntity(tx, 'assignment', a.id, { ended_at: at });
        await audit(tx, {
          actor: user.id,
          ip: c.get('ip'),
          action: 'assignment.unassign',
          entity: 'debtor',
          entityId: null,
          detail: { debtors: ids, unassigned: current.length },
        });
        return { unassigned: current.length, unchanged: ids.length - current.length };
      });
      return c.json(result);
    });
}
