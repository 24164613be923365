/**
 * `/api/escalations`: negativação and protesto, the owner's last-resort decision. A request is
 * refused unless the régua's escalation prerequisites hold (`escalationBlockers`: a written notice
 * of the same purpose at least N days old, more than `minDaysOverdueForNegativacao` days overdue)
 * and nothing pauses the régua (open dispute, active agreement or promise). Once listed, full
 * payment starts the 5-business-day removal deadline (STJ Súmula 548), tracked until removed.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { uuidv7 } from 'uuidv7';
import {
  EscalationListedSchema,
  EscalationRemovedSchema,
  EscalationRequestSchema,
  ReasonRequestSchema,
} from '#shared/api/ledger.schema';
import type { CadenceStep } from '#shared/cadence/cadence.schema';
import { escalationBlockers, type ActionBlocker } from '#shared/cadence/plan-next-actions';
import { IdSchema } from '#shared/domain/id';
import { formatBrazilianDate, type CalendarDate } from '#shared/time/calendar-date';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import { insertEntity, updateEntity } from '../db/write';
import type { AuthUser } from '../auth/tokens.repo';
import { assertDebtorAccess, debtorOfRow, debtorScope } from '../http/access';
import { requireRole, type AppEnv } from '../http/auth';
import { jsonBody, uuidParam } from '../http/validate';
import { debtorState, loadDebtorFacts } from '../ledger/debtor-state';
import {
  conflict,
  invalidField,
  notFound,
  queryParams,
  ruleProblem,
  uniqueViolation,
} from '../ledger/http';
import { escalationJson, type EscalationRow } from '../ledger/rows';
import { loadLedgerSettings, todayFor } from '../ledger/settings';

const EscalationListQuerySchema = v.object({
  debtorId: v.optional(IdSchema),
  status: v.optional(v.picklist(['proposed', 'listed', 'removal_due', 'removed', 'cancelled'])),
});

function blockerMessage(b: ActionBlocker, minDays: number): string {
  const until =
    b.allowedOn === undefined ? '' : ` (a partir de ${formatBrazilianDate(b.allowedOn)})`;
  switch (b.code) {
    case 'notice_missing':
      return 'Falta a notificação por escrito ao devedor para esta dívida.';
    case 'notice_too_recent':
      return `O prazo da notificação por escrito ainda não terminou${until}.`;
    case 'not_overdue_enough':
      return `A dívida precisa estar vencida há mais de ${minDays} dias${until}.`;
    default:
      return 'Há um impedimento para esta etapa.';
  }
}

/** Stands in for the régua's escalation step when the configured régua has none. */
const ESCALATION_STEP: CadenceStep = {
  id: 'escalation',
  offsetDays: 0,
  channel: 'email',
  mode: 'manual',
  templateId: 'escalation',
  kind: 'escalation',
  allowsDiscount: false,
};

const PAUSE_MESSAGES: Record<string, string> = {
  dispute_open: 'Há uma contestação aberta: resolva-a antes de negativar ou protestar.',
  agreement_active: 'Há um acordo ativo com este devedor.',
  promise_active: 'Há uma promessa de pagamento em andamento.',
};

/** `/api/escalations`. */
export function escalationRoutes({ db, now }: Deps) {
  const render = async (id: string) => {
    const [row] = await db.query<EscalationRow>('SELECT * FROM escalations WHERE id = $1', [id]);
    if (!row) throw notFound('escalonamento');
    return escalationJson(row, todayFor(await loadLedgerSettings(db), now()));
  };
  const transition = async (
    user: AuthUser,
    ip: string,
    id: string,
    from: readonly EscalationRow['status'][],
    patch: (row: EscalationRow, today: CalendarDate) => Record<string, unknown>,
    action: string,
  ) => {
    await db.transaction(async (tx) => {
      await debtorOfRow(tx, user, 'escalations', id, 'escalonamento');
      const [row] = await tx.query<EscalationRow>('SELECT * FROM escalations WHERE id = $1', [id]);
      if (!row || !from.includes(row.status))
        throw conflict('escalation-state', `este escalonamento está em "${row?.status ?? '?'}"`);
      const today = todayFor(await loadLedgerSettings(tx), now());
      const columns = patch(row, today);
      await updateEntity(tx, 'escalation', id, columns);
      await audit(tx, {
        actor: user.id,
        ip,
        action,
        entity: 'escalation',
        entityId: id,
        detail: columns,
      });
    });
    return render(id);
  };
  return new Hono<AppEnv>()
    .get('/', requireRole('owner', 'staff'), queryParams(EscalationListQuerySchema), async (c) => {
      const query = c.req.valid('query');
      const user = c.get('user');
      const params: unknown[] = [];
      const scope = debtorScope(user, 'e.debtor_id', 1);
      params.push(...scope.params);
      const where = [scope.sql];
      if (query.debtorId !== undefined) {
        // Naming a debtor one may not see is a 404, as everywhere else.
        await assertDebtorAccess(db, user, query.debtorId);
        params.push(query.debtorId);
        where.push(`e.debtor_id = $${params.length}`);
      }
      if (query.status !== undefined) {
        params.push(query.status);
        where.push(`e.status = $${params.length}`);
      }
      const rows = await db.query<EscalationRow>(
        `SELECT e.* FROM escalations e WHERE ${where.join(' AND ')} ORDER BY e.removal_due_on NULLS LAST, e.created_at DESC LIMIT 500`,
        params,
      );
      const today = todayFor(await loadLedgerSettings(db), now());
      return c.json({ items: rows.map((r) => escalationJson(r, today)) });
    })
    .post('/', requireRole('owner'), jsonBody(EscalationRequestSchema), async (c) => {
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
          const debt = state.debts.find((d) => d.row.id === input.debtId);
          if (!debt)
            throw ruleProblem('unknown-debt', 'a dívida não pertence a este devedor', {
              errors: [{ field: 'debtId', message: 'a dívida deve pertencer ao devedor' }],
            });
          if (debt.row.status !== 'open' || debt.balance.totalDue <= 0)
            throw conflict(
              'debt-not-open',
              'só uma dívida em aberto pode ser negativada ou protestada',
            );
          if (
            facts.escalations.some(
              (e) =>
                e.debt_id === input.debtId &&
                e.kind === input.kind &&
                ['proposed', 'approved', 'listed', 'removal_due'].includes(e.status),
            )
          )
            throw conflict(
              'escalation-exists',
              'esta dívida já tem este escalonamento em andamento',
            );
          const paused = facts.disputes.some((d) => d.status === 'open')
            ? 'dispute_open'
            : state.plan.state === 'paused'
              ? state.plan.reason
              : undefined;
          if (paused !== undefined)
            throw ruleProblem(
              'escalation-blocked',
              PAUSE_MESSAGES[paused] ?? 'A régua está pausada.',
              {
                blockers: [{ code: paused }],
              },
            );
          // The law asks for both, whatever the configured régua says about its own step.
          const step: CadenceStep = {
            ...ESCALATION_STEP,
            ...settings.cadence.steps.find((s) => s.kind === 'escalation'),
            requires: ['written_notice', 'min_days_overdue'],
          };
          const notices = facts.notices.filter(
            (n) => n.debt_id === input.debtId && n.purpose === input.kind,
          );
          const blockers = escalationBlockers(
            step,
            { id: debt.row.id, dueDate: debt.row.due_on as CalendarDate, status: 'open' },
            notices.map((n) => ({ sentOn: n.sent_on as CalendarDate, debtId: n.debt_id })),
            {
              policy: settings.cadence,
              state: state.profile.state,
              today: state.today,
              cycleStart: debt.row.due_on as CalendarDate,
            },
          );
          if (blockers.length > 0)
            throw ruleProblem(
              'escalation-blocked',
              blockers
                .map((b) => blockerMessage(b, settings.cadence.minDaysOverdueForNegativacao))
                .join(' '),
              { blockers },
            );
          await insertEntity(tx, 'escalation', {
            id,
            debtor_id: input.debtorId,
            debt_id: input.debtId,
            kind: input.kind,
            status: 'proposed',
            notice_id: notices.at(-1)?.id ?? null,
            decided_by: user.id,
            decided_at: now(),
            requested_on: state.today,
            agency: input.agency ?? null,
            note: input.note ?? null,
          });
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'escalation.request',
            entity: 'escalation',
            entityId: id,
            detail: { debtId: input.debtId, kind: input.kind },
          });
        });
      } catch (error) {
        if (uniqueViolation(error) !== null)
          throw conflict('duplicate-id', 'já existe um escalonamento com este id');
        throw error;
      }
      return c.json(await render(id), 201);
    })
    .post('/:id/listed', requireRole('owner'), jsonBody(EscalationListedSchema), async (c) => {
      const { listedOn } = c.req.valid('json');
      return c.json(
        await transition(
          c.get('user'),
          c.get('ip'),
          uuidParam(c, 'id'),
          ['proposed', 'approved'],
          (row, today) => {
            if (listedOn > today)
              throw invalidField('listedOn', 'a data do registro não pode estar no futuro');
            if (row.requested_on !== null && listedOn < row.requested_on)
              throw invalidField(
                'listedOn',
                'a data do registro não pode ser anterior à solicitação (requestedOn)',
              );
            return { status: 'listed', listed_on: listedOn };
          },
          'escalation.listed',
        ),
      );
    })
    .post('/:id/removed', requireRole('owner'), jsonBody(EscalationRemovedSchema), async (c) => {
      const { removedOn } = c.req.valid('json');
      return c.json(
        await transition(
          c.get('user'),
          c.get('ip'),
          uuidParam(c, 'id'),
          ['listed', 'removal_due'],
          (row, today) => {
            if (removedOn > today)
              throw invalidField('removedOn', 'a data da baixa não pode estar no futuro');
            if (row.listed_on !== null && removedOn < row.listed_on)
              throw invalidField(
                'removedOn',
                'a data da baixa não pode ser anterior ao registro (listedOn)',
              );
            return { status: 'removed', removed_on: removedOn };
          },
          'escalation.removed',
        ),
      );
    })
    .post('/:id/cancel', requireRole('owner'), jsonBody(ReasonRequestSchema), async (c) => {
      const { reason } = c.req.valid('json');
      return c.json(
        await transition(
          c.get('user'),
          c.get('ip'),
          uuidParam(c, 'id'),
          ['proposed', 'approved'],
          (row) => ({ status: 'cancelled', note: row.note ? `${row.note}\n${reason}` : reason }),
          'escalation.cancel',
        ),
      );
    });
}
