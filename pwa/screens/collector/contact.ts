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
import { renderTemplate } from '#shared/templates/render-message';
import type { MessageFacts } from '#shared/templates/placeholders';
import { TemplateSchema, type Channel, type Template } from '#shared/templates/template.schema';
import type { CalendarDate } from '#shared/time/calendar-date';
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

export function creditorFacts(settings: OrgSettings | null): MessageFacts {
  const org = settings?.organisation;
  const name = org?.tradeName ?? org?.legalName ?? '';
  const a = org?.address;
  const address = a
    ? [
        [a.street, a.number].filter(Boolean).join(', '),
        a.district,
        [a.city, a.state].filter(Boolean).join('/'),
      ]
        .filter(Boolean)
        .join(' - ')
    : '';
  const facts: MessageFacts = {};
  if (name) facts.creditor_name = name;
  if (org?.document) facts.creditor_document = org.document;
  if (address) facts.creditor_address = address;
  if (org?.phone) facts.creditor_phone = org.phone;
  return facts;
}

/** The static PIX code for `amount`, when the creditor's key is known on this device. */
export function pixCode(settings: OrgSettings | null, amount: number): string | null {
  const org = settings?.organisation;
  if (!org?.pix || amount <= 0) return null;
  const built = buildPixPayload({
    key: org.pix.key,
    keyType: org.pix.keyType,
    name: org.pixMerchantName ?? org.tradeName ?? org.legalName ?? '',
    city: org.pixMerchantCity ?? org.address?.city ?? '',
    amount: cents(amount),
    truncate: true,
  });
  return built.ok ? built.value : null;
}

export function debtorFacts(input: {
  data: Record<string, unknown>;
  balance: number;
  days: number | null;
  oldestDue: string | null;
  original: number;
  reference: string;
  collectorName: string;
  pix: string | null;
  day: CalendarDate;
}): MessageFacts {
  const { data, balance, days, oldestDue, day } = input;
  const name = str(data['name']);
  const facts: MessageFacts = { today: day };
  if (input.collectorName) facts.collector_name = input.collectorName;
  if (input.original > 0) facts.original_amount = cents(input.original);
  if (input.reference) facts.debt_reference = input.reference;
  if (input.pix) facts.pix_copy_paste = input.pix;
  if (name) {
    facts.debtor_name = name;
    facts.debtor_first_name = name.split(/\s+/)[0] ?? name;
  }
  if (balance > 0) facts.amount_due = cents(balance);
  if (days !== null) facts.days_overdue = Math.max(0, days);
  if (oldestDue) facts.due_date = oldestDue as CalendarDate;
  return facts;
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
  const decision = mayContactNow({
    debtor: contactProfile(data, settings),
    history,
    now,
    channel,
    policy,
    ...(holidays.success ? { holidays: holidays.output } : {}),
    automated: false,
  });
  return decision.allowed ? null : decision.message;
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
    const rendered = renderTemplate(template, facts);
    return {
      ok: true,
      text: rendered.body,
      templateId: template.id,
      privacySafe: template.privacySafe,
      ...(rendered.subject === undefined ? {} : { subject: rendered.subject }),
      ...(stepId === undefined ? {} : { stepId }),
    };
  } catch (error) {
    return { ok: false, why: (error as Error).message };
  }
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
