/**
 * `/api/portal/requests`: the new due dates debtors asked for on their page, for the office.
 * - GET (owner, staff) `?status=open|granted|refused`: newest first, with the debtor's name.
 * - POST /:id/grant (owner, staff): records a promise to pay the open balance by the requested
 *   date, made by the person who granted it — the same fact a collector records, so the régua
 *   waits until then and the phone shows it. Granting is the office's explicit exception to the
 *   promise policy's horizon (the reason the request exists); it is audited.
 * - POST /:id/refuse (owner, staff): with the reason the debtor reads on their page.
 */
import { Hono } from 'hono';
import { uuidv7 } from 'uuidv7';
import {
  DueDateGrantSchema,
  DueDateRefuseSchema,
  DueDateRequestListQuerySchema,
} from '#shared/portal/due-date-request.schema';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import type { Tx } from '../db/db';
import { insertEntity } from '../db/write';
import { requireRole, type AppEnv } from '../http/auth';
import { jsonBody, uuidParam } from '../http/validate';
import { conflict, notFound, queryParams } from '../ledger/http';
import { loadPortalModel } from './portal-data';

interface RequestRow {
  id: string;
  debtor_id: string;
  debtor_name: string;
  debt_id: string | null;
  requested_on: string;
  reason: string | null;
  status: 'open' | 'granted' | 'refused';
  portal_link_id: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  created_at: Date;
}

function requestJson(r: RequestRow) {
  return {
    id: r.id,
    debtor: { id: r.debtor_id, name: r.debtor_name },
    requestedOn: r.requested_on,
    reason: r.reason,
    status: r.status,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at?.toISOString() ?? null,
    decisionNote: r.decision_note,
    createdAt: r.created_at.toISOString(),
  };
}

const SELECT = `SELECT r.*, d.name AS debtor_name FROM due_date_requests r JOIN debtors d ON d.id = r.debtor_id`;

async function openRequest(tx: Tx, id: string): Promise<RequestRow> {
  const [row] = await tx.query<RequestRow>(`${SELECT} WHERE r.id = $1 FOR UPDATE OF r`, [id]);
  if (!row) throw notFound('pedido');
  if (row.status !== 'open') throw conflict('request-decided', 'este pedido já foi respondido');
  return row;
}

/** `/api/portal`. */
export function portalRequestRoutes({ db, now }: Deps) {
  const render = async (id: string) => {
    const [row] = await db.query<RequestRow>(`${SELECT} WHERE r.id = $1`, [id]);
    if (!row) throw notFound('pedido');
    return requestJson(row);
  };
  return new Hono<AppEnv>()
    .get(
      '/requests',
      requireRole('owner', 'staff'),
      queryParams(DueDateRequestListQuerySchema),
      async (c) => {
        const { status } = c.req.valid('query');
        const rows = await db.query<RequestRow>(
          `${SELECT} WHERE r.status = $1 ORDER BY r.created_at DESC, r.id LIMIT 500`,
          [status],
        );
        return c.json({ items: rows.map(requestJson) });
      },
    )
    .post(
      '/requests/:id/grant',
      requireRole('owner', 'staff'),
      jsonBody(DueDateGrantSchema),
      async (c) => {
        const id = uuidParam(c, 'id');
        const user = c.get('user');
        const { note } = c.req.valid('json');
        await db.transaction(async (tx) => {
          const row = await openRequest(tx, id);
          const at = now();
          const model = await loadPortalModel(tx, row.debtor_id, at);
          if (!model) throw notFound('devedor');
          if (model.promise)
            throw conflict(
              'promise-active',
              'o cliente já tem uma promessa em andamento; cancele-a antes de conceder a nova data',
            );
          const debts = model.debts.filter((d) => !d.disputed);
          if (debts.length === 0)
            throw conflict('nothing-owed', 'não há conta em aberto para esta nova data');
          const promiseId = uuidv7();
          const amount = debts.reduce((sum, d) => sum + d.balance.totalDue, 0);
          await insertEntity(tx, 'promise', {
            id: promiseId,
            debtor_id: row.debtor_id,
            debt_id: debts[0]?.row.id ?? null,
            debt_ids: JSON.stringify(debts.map((d) => d.row.id)),
            amount_cents: amount,
            promised_on: row.requested_on,
            made_on: model.today,
            channel: null,
            status: 'open',
            created_by: user.id,
            note: note ?? null,
            portal_link_id: row.portal_link_id,
          });
          await tx.query(
            `UPDATE due_date_requests SET status = 'granted', decided_by = $2, decided_at = $3,
               decision_note = $4 WHERE id = $1`,
            [id, user.id, at, note ?? null],
          );
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'due_date_request.grant',
            entity: 'debtor',
            entityId: row.debtor_id,
            detail: { requestId: id, promiseId, requestedOn: row.requested_on, amount },
          });
        });
        return c.json(await render(id));
      },
    )
    .post(
      '/requests/:id/refuse',
      requireRole('owner', 'staff'),
      jsonBody(DueDateRefuseSchema),
      async (c) => {
        const id = uuidParam(c, 'id');
        const user = c.get('user');
        const { note } = c.req.valid('json');
        await db.transaction(async (tx) => {
          const row = await openRequest(tx, id);
          await tx.query(
            `UPDATE due_date_requests SET status = 'refused', decided_by = $2, decided_at = $3,
               decision_note = $4 WHERE id = $1`,
            [id, user.id, now(), note],
          );
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'due_date_request.refuse',
            entity: 'debtor',
            entityId: row.debtor_id,
            detail: { requestId: id, note },
          });
        });
        return c.json(await render(id));
      },
    );
}
