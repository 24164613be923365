/**
 * One-tap contact links with the current cadence step's template rendered (shared
 * `renderTemplate`, creditor identified), guarded by the contact window and budget (shared
 * `mayContactNow`): when a contact is not allowed now, the screen shows why instead of the link.
 * Opening a link first saves a `contact.logged` fact, so the collector's own messages count in
 * the budget on this phone at once and on the server after sync.
 */
import * as v from 'valibot';
import { mayContactNow } from '#shared/cadence/contact-guard';
import {
  ContactChannels,
  HourRangeSchema,
  PreferableChannels,
  type CadencePolicy,
  type ContactChannel,
  type ContactLogEntry,
  type DebtorContactProfile,
} from '#shared/cadence/cadence.schema';
import { UfSchema } from '#shared/identity/uf';
import { defaultTemplate, privacySafeVariant } from '#shared/templates/default-templates';
import { isTemplateRenderError, renderTemplate } from '#shared/templates/render-message';
import { isPlaceholderName, PLACEHOLDERS } from '#shared/templates/placeholders';
import { MessageSettingsSchema, renderOptions } from '#shared/settings/message-settings.schema';
import type { MessageFacts } from '#shared/templates/placeholders';
import { creditorFacts, type CreditorSettings } from '#shared/templates/creditor-facts';
import { debtorNameFacts, stepFacts } from '#shared/templates/step-facts';
import { AddressSchema } from '#shared/domain/common.schema';
import type { Breakdown } from '#shared/charges/charges.schema';
import {
  DEFAULT_NEGOTIATION_POLICY,
  NegotiationPolicySchema,
} from '#shared/negotiation/negotiation.schema';
import { TemplateSchema, type Channel, type Template } from '#shared/templates/template.schema';
import { addDays, localDateTime, type CalendarDate } from '#shared/time/calendar-date';
import { cents } from '#shared/money/money';
import { buildPixPayload } from '#shared/pix/pix-payload';
import { HolidayCalendarSchema } from '#shared/time/holidays';
import type { OrgSettings } from '../../app/collector';
import { t } from '../../i18n/messages';
import type { SaveInput } from '../../sync/sync-types';
import type { TimelineItem } from '../../models/merge';
import { currentStep, str } from './collector-data';

export type Link = { ok: true; href: string; text: string } | { ok: false; why: string };

function templateFor(
  settings: OrgSettings | null,
  policy: CadencePolicy,
  days: number | null,
  channel: Channel,
  verified: boolean,
): { template: Template | undefined; stepId?: string } {
  const step = currentStep(policy, days) ?? policy.steps[0];
  const stepId = step ? { stepId: step.id } : {};
  if (!verified) return { template: privacySafeVariant(channel), ...stepId };
  if (!step) return { template: undefined };
  const key = step.templateId.split('.')[0] ?? step.id;
  const id = `${key}.${channel}`;
  for (const raw of settings?.templates ?? []) {
    const parsed = v.safeParse(TemplateSchema, raw);
    if (parsed.success && parsed.output.id === id) return { template: parsed.output, ...stepId };
  }
  return { template: defaultTemplate(id), ...stepId };
}

/** The organisation as the settings feed sends it, in the shape the shared facts read. */
function creditorOf(settings: OrgSettings | null): CreditorSettings | null {
  const org = settings?.organisation;
  if (!org) return null;
  const address = v.safeParse(AddressSchema, org.address);
  return {
    ...org,
    legalName: org.legalName ?? null,
    document: org.document ?? null,
    address: address.success ? address.output : null,
  };
}
/**
 * The static PIX code for `amount` with the reconciliation `txid` (shared `txidForBalance` and
 * friends: derived on the phone, no server round trip), when the creditor's key is known here.
 */
export function pixCode(settings: OrgSettings | null, amount: number, txid: string): string | null {
  const org = settings?.organisation;
  if (!org?.pix || amount <= 0) return null;
  const built = buildPixPayload({
    key: org.pix.key,
    keyType: org.pix.keyType,
    name: org.pixMerchantName ?? org.tradeName ?? org.legalName ?? '',
    city: org.pixMerchantCity ?? org.address?.city ?? '',
    amount: cents(amount),
    txid,
    truncate: true,
  });
  return built.ok ? built.value : null;
}

/** The debtor's kind as pulled (person or company); undefined for data pulled before it. */
function kindOf(data: Record<string, unknown>): 'person' | 'company' | undefined {
  const kind = data['kind'];
  return kind === 'person' || kind === 'company' ? kind : undefined;
}

/**
 * The facts of the current step's message for this debtor: the shared `stepFacts` (the server's
 * queue renders with the same function), over the debtor's open debts together — the phone's
 * provisional balance, the summed itemised charges, the oldest open debt as the one the step is
 * about (its due date, its txid in the payment link) — and the phone's PIX code for the balance.
 */
export function debtorFacts(input: {
  settings: OrgSettings | null;
  policy: CadencePolicy;
  data: Record<string, unknown>;
  /** Provisional balance (server balance − this phone's pending payments). */
  balance: number;
  days: number | null;
  /** The oldest open debt; null when nothing is open. */
  oldest: { id: string; dueDate: CalendarDate } | null;
  breakdowns: readonly Breakdown[];
  original: number;
  reference: string;
  allowsDiscount: boolean;
  collectorName: string;
  pix: string | null;
  day: CalendarDate;
}): MessageFacts {
  const { data, day } = input;
  const name = str(data['name']);
  const org = creditorOf(input.settings);
  if (!org || !input.oldest) {
    // Nothing open (or no creditor yet): only what is known; a template needing more names it.
    return {
      ...(org ? creditorFacts(org) : {}),
      ...debtorNameFacts(name, kindOf(data)),
      ...(input.collectorName ? { collector_name: input.collectorName } : {}),
      today: day,
    };
  }
  const negotiation = v.safeParse(NegotiationPolicySchema, input.settings?.negotiation);
  const sum = (pick: (b: Breakdown) => number) =>
    cents(input.breakdowns.reduce((total, b) => total + pick(b), 0));
  return stepFacts({
    org,
    cadence: input.policy,
    negotiation: negotiation.success ? negotiation.output : DEFAULT_NEGOTIATION_POLICY,
    debtor: { name, state: contactProfile(data, input.settings).state, kind: kindOf(data) },
    debt: { id: input.oldest.id, description: input.reference },
    balance: {
      totalDue: cents(Math.max(0, input.balance)),
      principal: cents(input.original),
      fine: sum((b) => b.fine),
      interest: sum((b) => b.interest),
      dueDate: input.oldest.dueDate,
      daysOverdue: input.days ?? 0,
    },
    allowsDiscount: input.allowsDiscount,
    collectorName: input.collectorName || null,
    today: day,
    pix: input.pix,
    portalLink: portalLinkOf(data, day),
  });
}

/** The debtor's page link the last pull brought, unless it has expired (server/portal). */
export function portalLinkOf(data: Record<string, unknown>, day: CalendarDate): string | null {
  const link = data['portalLink'];
  if (typeof link !== 'object' || link === null) return null;
  const { url, expiresAt } = link as { url?: unknown; expiresAt?: unknown };
  if (typeof url !== 'string' || typeof expiresAt !== 'string') return null;
  return expiresAt.slice(0, 10) > day ? url : null;
}

const isContactChannel = (c: unknown): c is ContactChannel =>
  (ContactChannels as readonly unknown[]).includes(c);

/** The outbox type of a contact link the collector opened (shared/sync/facts.schema.ts). */
export const CONTACT_LOGGED = 'contact.logged';

/**
 * The contact log as the server's guard reads it, from the timeline: visits (this device's,
 * pending or pulled, and the pulled ones of others), the contacts the pull delivered (office,
 * cadence, inbound) and the links this phone opened. The server logs a contact row for each visit
 * too, but never sends it (the visit stands for it), so a visit counts once before and after its
 * ack; an opened link is logged under its mutation id, which the pulled contact keeps, so the
 * timeline's union by id counts it once too. Like the server, queued or failed sends and letters
 * are not contacts.
 */
export function contactHistory(timeline: readonly TimelineItem[]): ContactLogEntry[] {
  const out: ContactLogEntry[] = [];
  for (const i of timeline) {
    if (i.origin === 'rejected') continue;
    if (i.type === 'visit')
      out.push({
        at: Date.parse(i.occurred_at),
        channel: 'visit',
        direction: 'outbound',
        automated: false,
      });
    else if (i.type === CONTACT_LOGGED) {
      const channel = i.data['channel'];
      if (isContactChannel(channel))
        out.push({
          at: Date.parse(i.occurred_at),
          channel,
          direction: 'outbound',
          automated: false,
        });
    } else if (i.type === 'contact') {
      const d = i.data;
      const status = d['status'];
      if (!isContactChannel(d['channel']) || status === 'queued' || status === 'failed') continue;
      out.push({
        at: Date.parse(str(d['occurredAt'])),
        channel: d['channel'],
        direction: d['direction'] === 'inbound' ? 'inbound' : 'outbound',
        automated: d['automated'] === true,
      });
    }
  }
  return out.filter((e) => Number.isSafeInteger(e.at));
}

/**
 * The debtor as the server's guard sees it (server/ledger/debtor-state `contactProfile`): the
 * debtor's state, else the organisation's; opt-outs; preferred channel and hours.
 */
export function contactProfile(
  data: Record<string, unknown>,
  settings: OrgSettings | null,
): DebtorContactProfile {
  const address = data['address'] as { state?: unknown } | null | undefined;
  // Data pulled before `state` was sent only had the address's.
  const own = 'state' in data ? data['state'] : address?.state;
  const uf = [own, settings?.organisation?.state, 'SP']
    .map((s) => v.safeParse(UfSchema, s))
    .find((r) => r.success);
  const blocked = data['blockedChannels'];
  const preferred = data['preferredChannel'];
  const hours = v.safeParse(HourRangeSchema, data['preferredHours']);
  return {
    id: str(data['id']) || 'debtor',
    state: uf?.success ? uf.output : 'SP',
    doNotContact: {
      all: data['doNotContact'] === true,
      ...(Array.isArray(blocked) ? { channels: blocked.filter(isContactChannel) } : {}),
    },
    ...((PreferableChannels as readonly unknown[]).includes(preferred)
      ? { preferredChannel: preferred as (typeof PreferableChannels)[number] }
      : {}),
    ...(hours.success ? { preferredHours: hours.output } : {}),
  };
}

/** Why a person may not contact the debtor on `channel` now (null: allowed), as the server decides. */
export function guard(
  data: Record<string, unknown>,
  history: readonly ContactLogEntry[],
  channel: ContactChannel,
  policy: CadencePolicy,
  settings: OrgSettings | null = null,
  now: number = Date.now(),
): string | null {
  const holidays = v.safeParse(HolidayCalendarSchema, settings?.holidays);
  const profile = contactProfile(data, settings);
  const decision = mayContactNow({
    debtor: profile,
    history,
    now,
    channel,
    policy,
    ...(holidays.success ? { holidays: holidays.output } : {}),
    automated: false,
  });
  if (decision.allowed) return null;
  return decision.nextAllowedAt === undefined
    ? decision.message
    : `${decision.message} ${t('debtor.allowedFrom')} ${whenText(
        decision.nextAllowedAt,
        now,
        profile.timeZone ?? policy.timeZone,
      )}.`;
}

/**
 * When a blocked contact opens, in the zone its window is read in: "hoje às 14:00", "amanhã às
 * 08:00", "seg., 15/12 às 08:00".
 */
export function whenText(at: number, now: number, timeZone: string): string {
  const time = new Intl.DateTimeFormat('pt-BR', { hour: '2-digit', minute: '2-digit', timeZone });
  const shown = `${t('when.at')} ${time.format(at)}`;
  const day = localDateTime(at, timeZone).date;
  const today = localDateTime(now, timeZone).date;
  if (day === today) return `${t('when.today')} ${shown}`;
  if (day === addDays(today, 1)) return `${t('when.tomorrow')} ${shown}`;
  const date = new Intl.DateTimeFormat('pt-BR', {
    weekday: 'short',
    day: '2-digit',
    month: '2-digit',
    timeZone,
  });
  return `${date.format(at)} ${shown}`;
}

/** A rendered message and what the contact log records about it. */
export interface Message {
  ok: true;
  text: string;
  subject?: string;
  templateId: string;
  privacySafe: boolean;
  /** The cadence step whose template this is. */
  stepId?: string;
}

export function message(
  settings: OrgSettings | null,
  policy: CadencePolicy,
  days: number | null,
  channel: Channel,
  verified: boolean,
  facts: MessageFacts,
): Message | { ok: false; why: string } {
  const { template, stepId } = templateFor(settings, policy, days, channel, verified);
  if (!template) return { ok: false, why: t('contact.noTemplate') };
  try {
    const writing = v.safeParse(MessageSettingsSchema, settings?.messages);
    const rendered = renderTemplate(
      template,
      facts,
      renderOptions(writing.success ? writing.output : null),
    );
    return {
      ok: true,
      text: rendered.body,
      templateId: template.id,
      privacySafe: template.privacySafe,
      ...(rendered.subject === undefined ? {} : { subject: rendered.subject }),
      ...(stepId === undefined ? {} : { stepId }),
    };
  } catch (error) {
    return { ok: false, why: renderProblem(error) };
  }
}

/**
 * Why a message cannot be rendered, in words: a missing fact by its description ("Telefone de
 * contato do credor"), never its placeholder ("{{creditor_phone}}").
 */
function renderProblem(error: unknown): string {
  if (isTemplateRenderError(error) && error.code === 'missing_fact') {
    const what = error.placeholders.map((name) =>
      isPlaceholderName(name) ? PLACEHOLDERS[name].description : t('contact.someFact'),
    );
    return `${t('contact.missingFacts')} ${what.join(', ')}`;
  }
  return t('contact.badTemplate');
}

/** wa.me wants the number in international format, digits only. */
export function waDigits(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.startsWith('55') ? digits : `55${digits}`;
}

/** What the contact log records about an opened link (a call has no template). */
export interface OpenedContact {
  debtorId: string;
  channel: 'whatsapp' | 'sms' | 'phone' | 'email';
  href: string;
  message?: Message;
}

/**
 * Opens a guarded contact link after saving it as `contact.logged` (one strict-durability outbox
 * transaction), so the tap counts in the budget even if the phone then leaves the app, loses
 * power or never finds signal. Navigating first could tear the page down before the save commits
 * and lose the contact; saving first costs one IndexedDB write (milliseconds). When the save
 * fails the link is NOT opened and the error is answered: an uncounted contact is what the budget
 * exists to prevent. The outcome is `opened` because that is all a web page can know.
 */
export async function openLoggedContact(
  save: (input: SaveInput<'contact.logged'>) => Promise<unknown>,
  navigate: (href: string) => void,
  contact: OpenedContact,
): Promise<string | null> {
  const m = contact.message;
  try {
    await save({
      type: 'contact.logged',
      debtorId: contact.debtorId,
      payload: {
        channel: contact.channel,
        outcome: 'opened',
        ...(m?.stepId === undefined ? {} : { stepId: m.stepId }),
        ...(m === undefined ? {} : { templateId: m.templateId, privacySafe: m.privacySafe }),
      },
    });
  } catch (error) {
    return (error as Error).message ?? String(error);
  }
  navigate(contact.href);
  return null;
}
