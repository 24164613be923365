/**
 * What the debtor does on the page, recorded as the same facts the office and the phone record:
 * an agreement through `insertAgreement` (validated by the shared negotiation policy, active at
 * once or waiting for the owner), a promise judged by `checkNewPromise`, a dispute through
 * `openDispute`, contact preferences on the debtor row through the change feed; each reaches the
 * assigned collector's phone with the next pull and pauses or resumes the régua by the same rules.
 * The debtor is never a user: facts carry no author, the link they came through, and an audit
 * entry with the client address. A request for a new due date beyond what a promise allows is
 * the one fact only the page makes: a person answers it.
 */
import type { CalendarDate } from '#shared/time/calendar-date';
import { HourRangeSchema, PreferableChannels } from '#shared/cadence/cadence.schema';
import { tryParseMoney } from '#shared/money/money';
import { validateProposal } from '#shared/negotiation/validate-proposal';
import { addDays, isRealDate, tryParseBrazilianDate } from '#shared/time/calendar-date';
import {
  DueDateReasonSchema,
  PortalDisputeDescriptionSchema,
} from '#shared/portal/due-date-request.schema';
import * as v from 'valibot';
import { uuidv7 } from 'uuidv7';
import { audit } from '../db/audit';
import { setVerification } from '../debtors/contact-points.repo';
import type { Db } from '../db/db';
import { insertEntity, updateEntity } from '../db/write';
import { insertAgreement, proposalContext } from '../ledger/agreement-write';
import { debtorState, loadDebtorFacts } from '../ledger/debtor-state';
import { openDispute } from '../ledger/dispute-write';
import { checkNewPromise } from '../ledger/promise-check';
import { loadLedgerSettings } from '../ledger/settings';
import type { PlanOption } from '#shared/negotiation/plan-options';
import { t } from './i18n';
import { brl, date } from './format';
import { loadPortalModel, type PortalModel } from './portal-data';
import type { PortalSession } from './portal-guard';
import {
  BLOCKABLE,
  DISPUTE_CHOICES,
  HOURS,
  REQUEST_MAX_DAYS,
  type FormName,
  type FormState,
} from './views/forms-view';
import type { DoneKind } from './views/main-view';

/** A form body: every field's values, in order. */
export type FormFields = Record<string, string[]>;

export type ActionOutcome =
  | { kind: 'done'; done: DoneKind; params?: Record<string, string> }
  | { kind: 'invalid'; state: FormState }
  | { kind: 'review'; option: PlanOption; notice?: string }
  | { kind: 'gone' };

export interface ActionContext {
  db: Db;
  session: PortalSession;
  ip: string;
  now: Date;
  fields: FormFields;
}

const one = (fields: FormFields, name: string, max = 2000): string =>
  (fields[name]?.[0] ?? '').trim().slice(0, max);

/**
 * Free text the debtor typed, through its shared schema (the database CHECK's twin): control and
 * direction-changing characters and over-long text come back as the sentence the form shows.
 */
function freeText(
  schema: v.GenericSchema<string, string>,
  raw: string | undefined,
): { ok: true; value: string } | { ok: false; message: string } {
  const parsed = v.safeParse(schema, raw ?? '');
  if (parsed.success) return { ok: true, value: parsed.output };
  const message = parsed.issues[0].message;
  return { ok: false, message: `${message.charAt(0).toUpperCase()}${message.slice(1)}.` };
}

function invalid(
  form: FormName,
  fields: FormFields,
  errors: Record<string, string>,
): ActionOutcome {
  const values: Record<string, string> = {};
  for (const [k, list] of Object.entries(fields)) values[k] = list.join(',').slice(0, 2000);
  return { kind: 'invalid', state: { form, values, errors } };
}

/** The open debts a plan or a promise covers: undisputed and outside any live agreement. */
function coverable(model: PortalModel): string[] {
  return model.debts.filter((d) => !d.disputed).map((d) => d.row.id);
}

/** Choose a plan (first post: review it; confirmed post: record the agreement). */
export async function choosePlan(ctx: ActionContext): Promise<ActionOutcome> {
  const { fields, session } = ctx;
  const first = one(fields, 'primeiro', 10);
  const id = one(fields, 'opcao', 40);
  const model = await loadPortalModel(
    ctx.db,
    session.debtorId,
    ctx.now,
    isRealDate(first) ? { firstDue: first as CalendarDate } : {},
  );
  if (!model) return { kind: 'gone' };
  const plan = model.plan;
  if (!plan || plan.options.length === 0)
    return invalid('acordo', fields, { opcao: t('plan.unavailable') });
  if (!plan.firstDates.includes(first as CalendarDate))
    return invalid('acordo', fields, { primeiro: t('promise.badDate') });
  if (id === '') return invalid('acordo', fields, { opcao: t('plan.choose') });
  const option = plan.options.find((o) => o.id === id);
  if (!option) return invalid('acordo', fields, { opcao: t('plan.unavailable') });
  if (one(fields, 'confirmar', 1) !== '1') return { kind: 'review', option };
  if (one(fields, 'total', 20) !== String(option.result.agreedTotal))
    return { kind: 'review', option, notice: t('plan.changed') };
  const outcome = await ctx.db.transaction(async (tx) => {
    const facts = (await loadDebtorFacts(tx, [session.debtorId])).get(session.debtorId);
    if (!facts) return null;
    if (facts.agreements.some((a) => a.status === 'active' || a.status === 'pending_approval'))
      return 'live' as const;
    const settings = await loadLedgerSettings(tx);
    const state = debtorState(facts, settings, ctx.now);
    const verdict = validateProposal(
      settings.negotiation,
      option.proposal,
      proposalContext(state, settings, facts),
    );
    if (!verdict.ok || verdict.agreedTotal !== option.result.agreedTotal) return 'changed' as const;
    return insertAgreement(tx, {
      debtorId: session.debtorId,
      proposal: option.proposal,
      verdict,
      state,
      settings,
      proposedBy: null,
      portalLinkId: session.linkId,
      auditActor: null,
      ip: ctx.ip,
      auditDetail: { via: 'portal', option: option.id },
      terms: { via: 'portal' },
    });
  });
  if (outcome === null) return { kind: 'gone' };
  if (outcome === 'live') return invalid('acordo', fields, { opcao: t('plan.unavailable') });
  if (outcome === 'changed') return { kind: 'review', option, notice: t('plan.changed') };
  return { kind: 'done', done: outcome.status === 'active' ? 'acordo' : 'proposta' };
}

/** Promise to pay by a date (the promise policy decides). */
export async function makePromise(ctx: ActionContext): Promise<ActionOutcome> {
  const { fields, session } = ctx;
  const model = await loadPortalModel(ctx.db, session.debtorId, ctx.now);
  if (!model) return { kind: 'gone' };
  const day = one(fields, 'data', 10);
  const errors: Record<string, string> = {};
  if (!model.promiseDates.includes(day as CalendarDate)) errors['data'] = t('promise.badDate');
  const money = tryParseMoney(one(fields, 'valor', 30));
  if (!money.ok || money.value <= 0) errors['valor'] = t('promise.badAmount');
  if (Object.keys(errors).length > 0 || !money.ok) return invalid('promessa', fields, errors);
  const debtIds = coverable(model);
  const outcome = await ctx.db.transaction(async (tx) => {
    const facts = (await loadDebtorFacts(tx, [session.debtorId])).get(session.debtorId);
    if (!facts) return { kind: 'gone' as const };
    const settings = await loadLedgerSettings(tx);
    const state = debtorState(facts, settings, ctx.now);
    const promise = { debtIds, amount: money.value, dueDate: day as CalendarDate };
    const check = checkNewPromise(state, settings, promise, state.today);
    if (check.kind === 'unknown_debt' || check.kind === 'promise_active')
      return { kind: 'refused' as const, message: t('plan.unavailable') };
    if (!check.verdict.ok)
      return {
        kind: 'refused' as const,
        message: check.verdict.violations.map((f) => f.message).join(' '),
      };
    if (check.verdict.needsApproval) return { kind: 'approval' as const };
    const id = uuidv7();
    await insertEntity(tx, 'promise', {
      id,
      debtor_id: session.debtorId,
      debt_id: debtIds[0] ?? null,
      debt_ids: JSON.stringify(debtIds),
      amount_cents: money.value,
      promised_on: day,
      made_on: state.today,
      channel: null,
      status: 'open',
      created_by: null,
      portal_link_id: session.linkId,
    });
    await audit(tx, {
      actor: null,
      ip: ctx.ip,
      action: 'promise.create',
      entity: 'promise',
      entityId: id,
      detail: { amount: money.value, dueDate: day, via: 'portal' },
    });
    return { kind: 'made' as const };
  });
  if (outcome.kind === 'gone') return { kind: 'gone' };
  if (outcome.kind === 'approval')
    return invalid('promessa', fields, {
      data: t('promise.needsApproval', { creditor: creditorOf(model) }),
    });
  if (outcome.kind === 'refused')
    return invalid('promessa', fields, { data: t('promise.refused', { reason: outcome.message }) });
  return {
    kind: 'done',
    done: 'promessa',
    params: { amount: brl(money.value), date: date(day) },
  };
}

function creditorOf(model: PortalModel): string {
  const org = model.settings.organisation;
  return org.tradeName ?? org.legalName ?? t('org.unknown');
}

/** Ask for a new due date beyond what a promise allows: a person answers it. */
export async function requestDueDate(ctx: ActionContext): Promise<ActionOutcome> {
  const { fields, session } = ctx;
  const model = await loadPortalModel(ctx.db, session.debtorId, ctx.now);
  if (!model) return { kind: 'gone' };
  const max = addDays(model.today, REQUEST_MAX_DAYS);
  const typed = one(fields, 'data', 20);
  const parsed = isRealDate(typed)
    ? typed
    : (() => {
        const r = tryParseBrazilianDate(typed);
        return r.ok ? r.value : null;
      })();
  const errors: Record<string, string> = {};
  if (parsed === null || parsed <= model.today || parsed > max)
    errors['data'] = t('request.badDate', { max: date(max) });
  const typedReason = freeText(DueDateReasonSchema, fields['motivo']?.[0]);
  const reason = typedReason.ok ? typedReason.value : '';
  if (!typedReason.ok) errors['motivo'] = typedReason.message;
  if (model.debts.length === 0) errors['data'] = t('plan.unavailable');
  if (Object.keys(errors).length > 0 || parsed === null) return invalid('pedido', fields, errors);
  const made = await ctx.db.transaction(async (tx) => {
    const open = await tx.query(
      `SELECT 1 FROM due_date_requests WHERE debtor_id = $1 AND status = 'open'`,
      [session.debtorId],
    );
    if (open.length > 0) return false;
    const id = uuidv7();
    await tx.query(
      `INSERT INTO due_date_requests (id, debtor_id, requested_on, reason, portal_link_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, session.debtorId, parsed, reason === '' ? null : reason, session.linkId, ctx.now],
    );
    await audit(tx, {
      actor: null,
      ip: ctx.ip,
      action: 'due_date_request.create',
      entity: 'debtor',
      entityId: session.debtorId,
      detail: { requestId: id, requestedOn: parsed, via: 'portal' },
    });
    return true;
  });
  if (!made) return invalid('pedido', fields, { data: t('request.exists') });
  return { kind: 'done', done: 'pedido' };
}

/** Contest a debt: "já paguei", "não reconheço", "valor errado" or in the debtor's words. */
export async function contest(ctx: ActionContext): Promise<ActionOutcome> {
  const { fields, session } = ctx;
  const model = await loadPortalModel(ctx.db, session.debtorId, ctx.now);
  if (!model) return { kind: 'gone' };
  const debtId = one(fields, 'divida', 40);
  const reason = one(fields, 'motivo', 40);
  const typedDescription = freeText(PortalDisputeDescriptionSchema, fields['descricao']?.[0]);
  const description = typedDescription.ok ? typedDescription.value : '';
  const errors: Record<string, string> = {};
  if (!model.debts.some((d) => d.row.id === debtId && !d.disputed))
    errors['divida'] = t('dispute.badDebt');
  const choice = DISPUTE_CHOICES.find((r) => r === reason);
  if (!choice) errors['motivo'] = t('dispute.badReason');
  if (choice === 'other' && description === '') errors['descricao'] = t('dispute.needsDescription');
  if (!typedDescription.ok) errors['descricao'] = typedDescription.message;
  if (Object.keys(errors).length > 0 || !choice) return invalid('contestacao', fields, errors);
  const opened = await ctx.db.transaction(async (tx) =>
    openDispute(tx, {
      debtorId: session.debtorId,
      debtId,
      reason: choice,
      description: description === '' ? null : description,
      today: model.today,
      openedBy: null,
      portalLinkId: session.linkId,
      auditActor: null,
      ip: ctx.ip,
    }),
  );
  if (!opened.ok)
    return invalid('contestacao', fields, {
      divida: opened.reason === 'already_open' ? t('dispute.exists') : t('dispute.badDebt'),
    });
  return { kind: 'done', done: 'contestacao' };
}

const PreferencesSchema = v.object({
  channel: v.nullable(v.picklist(PreferableChannels)),
  hours: v.nullable(HourRangeSchema),
});

/** Preferred channel and hours, and the channels the debtor does not want. */
export async function savePreferences(ctx: ActionContext): Promise<ActionOutcome> {
  const { fields, session } = ctx;
  const errors: Record<string, string> = {};
  const channel = one(fields, 'canal', 20);
  const from = one(fields, 'das', 5);
  const to = one(fields, 'ate', 5);
  const block = fields['bloquear'] ?? [];
  if (channel !== '' && !(PreferableChannels as readonly string[]).includes(channel))
    errors['canal'] = t('prefs.badValue');
  if ((from !== '' && !HOURS.includes(from)) || (to !== '' && !HOURS.includes(to)))
    errors['das'] = t('prefs.badValue');
  else if ((from === '') !== (to === '')) errors['das'] = t('prefs.bothHours');
  else if (from !== '' && from >= to) errors['das'] = t('prefs.badHours');
  if (block.some((c) => !(BLOCKABLE as readonly string[]).includes(c)))
    errors['bloquear'] = t('prefs.badValue');
  else if (channel !== '' && block.includes(channel)) errors['canal'] = t('prefs.preferredBlocked');
  const parsed = v.safeParse(PreferencesSchema, {
    channel: channel === '' ? null : channel,
    hours: from === '' ? null : { from, to },
  });
  if (Object.keys(errors).length > 0 || !parsed.success)
    return invalid(
      'preferencias',
      fields,
      Object.keys(errors).length > 0 ? errors : { das: t('prefs.badHours') },
    );
  const chosen = [...new Set(block)];
  // "É meu" / "Não é meu" for each contact point on file (fields contato-<pointId>).
  const verdicts = new Map<string, 'verified' | 'wrong'>();
  for (const [key, values] of Object.entries(fields)) {
    if (!key.startsWith('contato-')) continue;
    const answer = values[0] ?? '';
    if (answer !== '' && answer !== 'meu' && answer !== 'nao')
      return invalid('preferencias', fields, { bloquear: t('prefs.badValue') });
    if (answer !== '')
      verdicts.set(key.slice('contato-'.length), answer === 'meu' ? 'verified' : 'wrong');
  }
  await ctx.db.transaction(async (tx) => {
    const points = await tx.query<{ id: string; verification: string | null }>(
      'SELECT id, verification FROM contact_points WHERE debtor_id = $1',
      [session.debtorId],
    );
    for (const point of points) {
      const wanted = verdicts.get(point.id);
      if (wanted === undefined || wanted === point.verification) continue;
      await setVerification(tx, session.debtorId, point.id, wanted, 'debtor_page', null, ctx.now);
      await audit(tx, {
        actor: null,
        ip: ctx.ip,
        action: 'contact_point.verification',
        entity: 'contact_point',
        entityId: point.id,
        detail: { state: wanted, source: 'debtor_page', via: 'portal' },
      });
    }
    const [row] = await tx.query<{ blocked_channels: string[] }>(
      'SELECT blocked_channels FROM debtors WHERE id = $1 FOR UPDATE',
      [session.debtorId],
    );
    // Channels the page does not offer (a visit blocked by the office) stay as they were.
    const kept = (row?.blocked_channels ?? []).filter(
      (c) => !(BLOCKABLE as readonly string[]).includes(c),
    );
    await updateEntity(tx, 'debtor', session.debtorId, {
      preferred_channel: parsed.output.channel,
      preferred_hours: parsed.output.hours === null ? null : JSON.stringify(parsed.output.hours),
      blocked_channels: [...kept, ...chosen],
    });
    await audit(tx, {
      actor: null,
      ip: ctx.ip,
      action: 'debtor.preferences',
      entity: 'debtor',
      entityId: session.debtorId,
      detail: {
        preferredChannel: parsed.output.channel,
        preferredHours: parsed.output.hours,
        blocked: chosen,
        via: 'portal',
      },
    });
  });
  return { kind: 'done', done: 'preferencias' };
}
