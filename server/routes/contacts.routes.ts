/**
 * `/api/contacts`: the one contact log, every channel, automated or manual, visits included. A
 * new outbound contact is checked by the send-time guard (`mayContactNow`) inside the same
 * transaction that writes it, so two contacts racing for the last slot of the budget cannot both
 * pass. Outside the window or over the budget it is refused (422 with the reason code, the pt-BR
 * message and the next allowed instant) unless an owner overrides it with a reason, which is
 * stored with the contact and audited. Inbound contacts (the debtor wrote first) are never
 * refused: answering is not pressure, and they do not count against the budget.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { uuidv7 } from 'uuidv7';
import { ContactRequestSchema } from '#shared/api/ledger.schema';
import { IdSchema } from '#shared/domain/id';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import { insertEntity } from '../db/write';
import { assertDebtorAccess } from '../http/access';
import { ANY_ROLE, requireRole, type AppEnv } from '../http/auth';
import { problem, problemError } from '../http/problem';
import { jsonBody } from '../http/validate';
import { contactVerdict, debtorState, loadDebtorFacts, verdictJson } from '../ledger/debtor-state';
import { conflict, notFound, queryParams, ruleProblem, uniqueViolation } from '../ledger/http';
import { contactJson, type ContactRow } from '../ledger/rows';
import { loadLedgerSettings } from '../ledger/settings';

const ContactListQuerySchema = v.object({ debtorId: IdSchema });

/** `/api/contacts`. */
export function contactRoutes({ db, now }: Deps) {
  return new Hono<AppEnv>()
    .get('/', requireRole(...ANY_ROLE), queryParams(ContactListQuerySchema), async (c) => {
      const { debtorId } = c.req.valid('query');
      await assertDebtorAccess(db, c.get('user'), debtorId);
      const rows = await db.query<ContactRow>(
        'SELECT * FROM contact_log WHERE debtor_id = $1 ORDER BY at DESC, id LIMIT 500',
        [debtorId],
      );
      return c.json({ items: rows.map(contactJson) });
    })
    .post('/', requireRole(...ANY_ROLE), jsonBody(ContactRequestSchema), async (c) => {
      const input = c.req.valid('json');
      const user = c.get('user');
      const id = input.id ?? uuidv7();
      await assertDebtorAccess(db, user, input.debtorId);
      if (input.override !== undefined && user.role !== 'owner')
        throw problemError(
          problem(
            403,
            'override-forbidden',
            'só o proprietário pode enviar fora das regras de contato',
          ),
        );
      const at = now();
      let verdict;
      try {
        verdict = await db.transaction(async (tx) => {
          const facts = (await loadDebtorFacts(tx, [input.debtorId])).get(input.debtorId);
          if (!facts) throw notFound('devedor');
          const known = new Set(facts.debts.map((d) => d.id));
          const strangerDebt = input.debtIds.find((d) => !known.has(d));
          if (strangerDebt !== undefined)
            throw ruleProblem('unknown-debt', 'a dívida não pertence a este devedor', {
              errors: [{ field: 'debtIds', message: 'every debt must belong to the debtor' }],
            });
          if (
            input.contactPointId !== undefined &&
            !facts.contactPoints.some((p) => p.id === input.contactPointId)
          )
            throw ruleProblem('unknown-contact-point', 'o contato informado não é deste devedor', {
              errors: [
                { field: 'contactPointId', message: 'the contact point must belong to the debtor' },
              ],
            });
          const settings = await loadLedgerSettings(tx);
          const decision =
            input.direction === 'inbound'
              ? ({ allowed: true } as const)
              : contactVerdict(
                  debtorState(facts, settings, at),
                  settings,
                  input.channel,
                  at,
                  input.automated,
                );
          const overridden = !decision.allowed && input.override !== undefined;
          if (!decision.allowed && !overridden) {
            const refusal = verdictJson(decision);
            throw ruleProblem('contact-refused', decision.message, {
              reason: decision.reason,
              ...(refusal.allowed
                ? {}
                : refusal.nextAllowedAt
                  ? { nextAllowedAt: refusal.nextAllowedAt }
                  : {}),
            });
          }
          await insertEntity(tx, 'contact', {
            id,
            debtor_id: input.debtorId,
            debt_id: input.debtIds[0] ?? null,
            contact_point_id: input.contactPointId ?? null,
            channel: input.channel,
            direction: input.direction,
            automated: input.automated,
            status: input.direction === 'inbound' ? 'received' : 'sent',
            template_id: input.templateId ?? null,
            cadence_step: input.stepId ?? null,
            privacy_safe: input.privacySafe,
            body: input.body ?? null,
            at,
            user_id: user.id,
            override_by: overridden ? user.id : null,
            override_reason: overridden ? (input.override?.reason ?? null) : null,
          });
          if (overridden)
            await audit(tx, {
              actor: user.id,
              ip: c.get('ip'),
              action: 'contact.override',
              entity: 'contact',
              entityId: id,
              detail: {
                debtorId: input.debtorId,
                channel: input.channel,
                refusedFor: decision.allowed ? null : decision.reason,
                reason: input.override?.reason ?? null,
              },
            });
          return decision.allowed
            ? { allowed: true as const }
            : { ...verdictJson(decision), overridden: true };
        });
      } catch (error) {
        if (uniqueViolation(error) !== null)
          throw conflict('duplicate-id', 'já existe um contato com este id');
        throw error;
      }
      const [row] = await db.query<ContactRow>('SELECT * FROM contact_log WHERE id = $1', [id]);
      if (!row) throw notFound('contato');
      return c.json({ contact: contactJson(row), verdict }, 201);
    });
}
