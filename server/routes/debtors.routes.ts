/**
 * `/api/debtors`: search, create, detail (itemised balances as of today, cadence state), patch
 * (version-checked), timeline, and the extension's lookup by e-mail or phone. Every read of a
 * debtor's data is audit-logged (LGPD: who looked at what), searches and lookups included.
 */
import { Hono } from 'hono';
import { uuidv7 } from 'uuidv7';
import {
  DebtorLookupQuerySchema,
  DebtorPatchSchema,
  DebtorSearchQuerySchema,
  type DebtorLookupMatch,
} from '#shared/api/ledger.schema';
import {
  DOCUMENT_KIND_MESSAGE,
  NewDebtorSchema,
  type NewDebtor,
} from '#shared/domain/debtor.schema';
import { normalizeEmail } from '#shared/identity/email';
import { phoneMatchKeys } from '#shared/identity/phone';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import { insertEntity, updateEntity } from '../db/write';
import { debtorNotFound } from '../http/access';
import { ANY_ROLE, requireRole, type AppEnv } from '../http/auth';
import { problem, problemError } from '../http/problem';
import { jsonBody, uuidParam } from '../http/validate';
import {
  contactVerdict,
  debtorState,
  stepDue,
  verdictJson,
  windowOpen,
  type DebtorFacts,
} from '../ledger/debtor-state';
import { accessibleFacts, conflict, queryParams, uniqueViolation } from '../ledger/http';
import { replaceContactPoints } from '../ledger/ledger.repo';
import {
  agreementJson,
  contactJson,
  debtJson,
  debtorJson,
  disputeJson,
  escalationJson,
  noticeJson,
  paymentJson,
  promiseJson,
  type DebtorRow,
} from '../ledger/rows';
import type { LedgerSettings } from '../ledger/settings';
import { assertDocumentFree } from '../debtors/duplicates.repo';
import { searchDebtors } from '../debtors/search.repo';
import { lookupDebtors, readDebtor, type LookupHit } from '../debtors/debtor-read.repo';

/** Columns of `debtors` written from the shared Address (the flat ones serve imports and SQL). */
function addressColumns(address: NewDebtor['address'] | null) {
  return {
    address: address === null || address === undefined ? null : JSON.stringify(address),
    address_line:
      address == null
        ? null
        : [address.street, address.number, address.complement].filter(Boolean).join(', '),
    district: address?.district ?? null,
    city: address?.city ?? null,
    state: address?.state ?? null,
    postal_code: address?.postalCode ?? null,
  };
}

/** The debtor detail (`GET /api/debtors/:id`) from its facts, as of `now`. */
export function detailJson(facts: DebtorFacts, settings: LedgerSettings, now: Date) {
  const state = debtorState(facts, settings, now);
  const activePromise = facts.promises.find((p) => state.promiseStatuses.get(p.id) === 'active');
  const activeAgreement = facts.agreements.find(
    (a) => a.status === 'active' || a.status === 'pending_approval',
  );
  const openDispute = facts.disputes.find((d) => d.status === 'open');
  return {
    debtor: debtorJson(facts.debtor, facts.contactPoints),
    status: state.status,
    daysOverdue: state.daysOverdue,
    totals: state.totals,
    debts: state.debts.map((d) => ({ ...debtJson(d.row), balance: d.balance })),
    activePromise: activePromise ? promiseJson(activePromise, 'active') : null,
    activeAgreement: activeAgreement ? agreementJson(activeAgreement, facts.installments) : null,
    openDispute: openDispute ? disputeJson(openDispute) : null,
    pendingPayments: facts.payments.filter((p) => p.status === 'pending').map(paymentJson),
    assignment: facts.assignment
      ? {
          collectorId: facts.assignment.collector_id,
          collectorName: facts.assignment.collector_name,
          since: facts.assignment.started_at.toISOString(),
        }
      : null,
    cadence: {
      state: state.plan.state,
      reason: state.plan.reason,
      carrying: state.plan.carrying ?? null,
      currentStepId: state.currentStep?.id ?? null,
      actions: state.plan.actions.map((a) => ({
        ...a,
        earliestAt: a.earliestAt === null ? null : new Date(a.earliestAt).toISOString(),
      })),
    },
    contactBudgetLeft: state.budgetLeft,
  };
}

function timelineJson(
  facts: DebtorFacts,
  settings: LedgerSettings,
  now: Date,
  requests: readonly { created_at: Date; [column: string]: unknown }[] = [],
) {
  const state = debtorState(facts, settings, now);
  type Event = { at: string; type: string; data: unknown };
  const events: Event[] = [
    // New due dates asked for on the debtor's own page (server/portal).
    ...requests.map((r) => ({
      at: r.created_at.toISOString(),
      type: 'due_date_request',
      data: {
        id: r['id'],
        requestedOn: r['requested_on'],
        reason: r['reason'],
        status: r['status'],
        decisionNote: r['decision_note'],
      },
    })),
    ...facts.visits.map((r) => ({
      at: r.visited_at.toISOString(),
      type: 'visit',
      data: { id: r.id, collectorId: r.collector_id, outcome: r.outcome, note: r.note },
    })),
    ...facts.contacts.map((r) => ({
      at: r.at.toISOString(),
      type: 'contact',
      data: contactJson(r),
    })),
    ...facts.payments.map((r) => ({
      at: r.created_at.toISOString(),
      type: 'payment',
      data: paymentJson(r),
    })),
    ...facts.promises.map((r) => ({
      at: r.created_at.toISOString(),
      type: 'promise',
      data: promiseJson(r, state.promiseStatuses.get(r.id) ?? 'active'),
    })),
    ...facts.agreements.map((r) => ({
      at: r.created_at.toISOString(),
      type: 'agreement',
      data: agreementJson(r, facts.installments),
    })),
    ...facts.disputes.map((r) => ({
      at: r.created_at.toISOString(),
      type: 'dispute',
      data: disputeJson(r),
    })),
    ...facts.notices.map((r) => ({
      at: r.created_at.toISOString(),
      type: 'notice',
      data: noticeJson(r),
    })),
    ...facts.escalations.map((r) => ({
      at: r.created_at.toISOString(),
      type: 'escalation',
      data: escalationJson(r, state.today),
    })),
  ];
  // Newest first; ties keep a stable order by type so the answer is deterministic.
  events.sort((a, b) => (a.at === b.at ? a.type.localeCompare(b.type) : a.at < b.at ? 1 : -1));
  return { debtorId: facts.debtor.id, events };
}

/** One match of the extension's lookup, as of `at`, for a contact on `channel`. */
function lookupMatch(
  { facts: f, verified }: LookupHit,
  settings: LedgerSettings,
  channel: 'email' | 'whatsapp',
  at: Date,
): DebtorLookupMatch {
  const state = debtorState(f, settings, at);
  const last = f.contacts.at(-1);
  return {
    id: f.debtor.id,
    name: f.debtor.name,
    status: state.status,
    daysOverdue: state.daysOverdue,
    balance: state.totals,
    lastContact: last
      ? { at: last.at.toISOString(), channel: last.channel, direction: last.direction }
      : null,
    contactBudgetLeft: state.budgetLeft,
    contactWindowOpen: windowOpen(state, settings, channel, at),
    contactNow: verdictJson(contactVerdict(state, settings, channel, at, false)),
    cadenceState: state.plan.state,
    cadenceStepDue: stepDue(state),
    contactPointVerified: verified,
  };
}

/** `/api/debtors`. */
export function debtorRoutes(deps: Deps) {
  const { db, now } = deps;
  return new Hono<AppEnv>()
    .get('/lookup', requireRole(...ANY_ROLE), queryParams(DebtorLookupQuerySchema), async (c) => {
      const query = c.req.valid('query');
      const user = c.get('user');
      const kind = query.email !== undefined ? 'email' : 'phone';
      const keys =
        query.email !== undefined
          ? [normalizeEmail(query.email)]
          : phoneMatchKeys(query.phone ?? '');
      const at = now();
      const { hits, settings } = await lookupDebtors(db, user, kind, keys, {
        actor: user.id,
        ip: c.get('ip'),
      });
      const channel = kind === 'email' ? 'email' : 'whatsapp';
      const matches =
        settings === null ? [] : hits.map((hit) => lookupMatch(hit, settings, channel, at));
      return c.json({ matches });
    })
    .get('/', requireRole(...ANY_ROLE), queryParams(DebtorSearchQuerySchema), async (c) => {
      const query = c.req.valid('query');
      const user = c.get('user');
      const page = await searchDebtors(db, user, query, now(), {
        actor: user.id,
        ip: c.get('ip'),
      });
      return c.json(page);
    })
    .post('/', requireRole('owner', 'staff'), jsonBody(NewDebtorSchema), async (c) => {
      const input = c.req.valid('json');
      const user = c.get('user');
      const id = input.id ?? uuidv7();
      try {
        await db.transaction(async (tx) => {
          // One CPF/CNPJ, one debtor: 409 pointing to the existing one.
          await assertDocumentFree(tx, input.document, null);
          await insertEntity(tx, 'debtor', {
            id,
            external_id: input.externalId ?? null,
            kind: input.kind,
            name: input.name,
            document: input.document ?? null,
            ...addressColumns(input.address),
            preferred_channel: input.preferredChannel ?? null,
            preferred_hours: input.preferredHours ? JSON.stringify(input.preferredHours) : null,
            do_not_contact: input.doNotContact.all,
            blocked_channels: input.doNotContact.channels,
            do_not_contact_at_work: input.doNotContact.atWork,
            tags: JSON.stringify(input.tags),
          });
          await replaceContactPoints(tx, id, input.contactPoints);
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'debtor.create',
            entity: 'debtor',
            entityId: id,
          });
        });
      } catch (error) {
        const constraint = uniqueViolation(error);
        if (constraint !== null)
          throw conflict(
            constraint.includes('external') ? 'duplicate-external-id' : 'duplicate-id',
            constraint.includes('external')
              ? 'já existe um devedor com este externalId'
              : 'já existe um devedor com este id',
          );
        throw error;
      }
      const facts = await accessibleFacts(db, user, id);
      return c.json(debtorJson(facts.debtor, facts.contactPoints), 201);
    })
    .get('/:id', requireRole(...ANY_ROLE), async (c) => {
      const id = uuidParam(c, 'id');
      const user = c.get('user');
      const read = await readDebtor(db, user, id, {
        actor: user.id,
        ip: c.get('ip'),
        action: 'debtor.view',
      });
      if (!read) throw debtorNotFound();
      return c.json(detailJson(read.facts, read.settings, now()));
    })
    .get('/:id/timeline', requireRole(...ANY_ROLE), async (c) => {
      const id = uuidParam(c, 'id');
      const user = c.get('user');
      const read = await readDebtor(db, user, id, {
        actor: user.id,
        ip: c.get('ip'),
        action: 'debtor.timeline',
      });
      if (!read) throw debtorNotFound();
      const requests = await db.query<{ created_at: Date }>(
        'SELECT * FROM due_date_requests WHERE debtor_id = $1 ORDER BY created_at',
        [id],
      );
      return c.json(timelineJson(read.facts, read.settings, now(), requests));
    })
    .patch('/:id', requireRole(...ANY_ROLE), jsonBody(DebtorPatchSchema), async (c) => {
      const id = uuidParam(c, 'id');
      const patch = c.req.valid('json');
      const user = c.get('user');
      await accessibleFacts(db, user, id);
      // A collector corrects contact data in the field; identity and flags stay with the office.
      const collectorFields = new Set([
        'version',
        'contactPoints',
        'preferredChannel',
        'preferredHours',
      ]);
      const forbidden = Object.keys(patch).filter((k) => !collectorFields.has(k));
      if (user.role === 'collector' && forbidden.length > 0)
        throw problemError(
          problem(403, 'forbidden', `um cobrador não pode alterar: ${forbidden.join(', ')}`, {
            fields: forbidden,
          }),
        );
      const columns: Record<string, unknown> = {};
      if (patch.kind !== undefined) columns['kind'] = patch.kind;
      if (patch.name !== undefined) columns['name'] = patch.name;
      if (patch.document !== undefined) columns['document'] = patch.document;
      if (patch.address !== undefined) Object.assign(columns, addressColumns(patch.address));
      if (patch.preferredChannel !== undefined)
        columns['preferred_channel'] = patch.preferredChannel;
      if (patch.preferredHours !== undefined)
        columns['preferred_hours'] =
          patch.preferredHours === null ? null : JSON.stringify(patch.preferredHours);
      if (patch.doNotContact !== undefined) {
        columns['do_not_contact'] = patch.doNotContact.all;
        columns['blocked_channels'] = patch.doNotContact.channels;
        columns['do_not_contact_at_work'] = patch.doNotContact.atWork;
      }
      if (patch.externalId !== undefined) columns['external_id'] = patch.externalId;
      if (patch.tags !== undefined) columns['tags'] = JSON.stringify(patch.tags);
      if (patch.notes !== undefined) columns['notes'] = patch.notes;
      try {
        await db.transaction(async (tx) => {
          if (patch.document) await assertDocumentFree(tx, patch.document, id);
          const updated = await updateEntity<DebtorRow>(tx, 'debtor', id, columns, {
            expectedVersion: patch.version,
          });
          if (!updated) {
            const [current] = await tx.query<{ version: number }>(
              'SELECT version FROM debtors WHERE id = $1',
              [id],
            );
            throw conflict(
              'stale-version',
              'o devedor foi alterado por outra pessoa; recarregue e tente de novo',
              { currentVersion: current?.version ?? null },
            );
          }
          if (
            updated.kind === 'person'
              ? updated.document?.length === 14
              : updated.document?.length === 11
          )
            throw problemError(
              problem(422, 'validation', `document: ${DOCUMENT_KIND_MESSAGE}`, {
                errors: [{ field: 'document', message: DOCUMENT_KIND_MESSAGE }],
              }),
            );
          if (patch.contactPoints !== undefined)
            await replaceContactPoints(tx, id, patch.contactPoints);
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'debtor.update',
            entity: 'debtor',
            entityId: id,
            detail: { changed: Object.keys(patch).filter((k) => k !== 'version') },
          });
        });
      } catch (error) {
        if (uniqueViolation(error) !== null)
          throw conflict('duplicate-external-id', 'já existe um devedor com este externalId');
        throw error;
      }
      const facts = await accessibleFacts(db, user, id);
      return c.json(debtorJson(facts.debtor, facts.contactPoints));
    });
}
