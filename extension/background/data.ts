/**
 * What the worker fetches for the overlay, with short-lived in-memory caches (a lookup is audited by
 * the server, so a chat switched back and forth within a minute is not looked up again). Nothing
 * here is ever persisted; `forgetAll` runs on sign-out, when the token is refused, on "Tentar de
 * novo" and after a contact is logged.
 */
import * as v from 'valibot';
import { DebtorLookupResponseSchema, type DebtorLookupResponse } from '#shared/api/ledger.schema';
import { PortalLinkResponseSchema } from '#shared/portal/portal-settings.schema';
import { TemplateSchema, type Template } from '#shared/templates/template.schema';
import { todayIn, type CalendarDate } from '#shared/time/calendar-date';
import { CalendarDateSchema } from '#shared/time/calendar-date.schema';
import { DEFAULT_TEMPLATES } from '#shared/templates/default-templates';
import { memberKey, type Member } from '#shared/extension/audience';
import {
  ChatIdentityResponseSchema,
  ChatIdentitySchema,
  type ChatIdentity,
} from '#shared/extension/chat-identity.schema';
import {
  OrganisationViewSchema,
  paymentLink,
  pixCopyPaste,
  type OrganisationView,
} from '../core/creditor';
import type { DebtFacts } from '../core/overlay-state';
import { api } from './api-client';
import type { Session } from './session-store';

export const LOOKUP_TTL_MS = 60_000;
const SETTINGS_TTL_MS = 5 * 60_000;

interface Entry<T> {
  at: number;
  value: Promise<T>;
}

const lookups = new Map<string, Entry<DebtorLookupResponse>>();
const details = new Map<string, Entry<DebtorDetail>>();
const portalLinks = new Map<string, Entry<string | null>>();
const identities = new Map<string, Entry<ChatIdentity | null>>();
let settings: Entry<{ org: OrganisationView; templates: Template[] }> | undefined;

function cached<T>(
  map: Map<string, Entry<T>>,
  key: string,
  ttl: number,
  load: () => Promise<T>,
): Promise<T> {
  const now = Date.now();
  for (const [k, e] of map) if (now - e.at > ttl) map.delete(k);
  const hit = map.get(key);
  if (hit) return hit.value;
  const value = load();
  map.set(key, { at: now, value });
  // A failed fetch must not be served from the cache.
  value.catch(() => map.delete(key));
  return value;
}

export function forgetAll(): void {
  lookups.clear();
  portalLinks.clear();
  details.clear();
  identities.clear();
  settings = undefined;
}

/** True when a lookup for `member` is cached (the overlay can skip its loading state). */
export function isLookupCached(session: Session, member: Member): boolean {
  const e = lookups.get(`${session.serverUrl}|${memberKey(member)}`);
  return e !== undefined && Date.now() - e.at <= LOOKUP_TTL_MS;
}

/** The debtors whose contact points match `member` (by e-mail, or phone with or without 9th digit). */
export function lookup(session: Session, member: Member): Promise<DebtorLookupResponse> {
  const query = `${member.kind}=${encodeURIComponent(member.value)}`;
  return cached(lookups, `${session.serverUrl}|${memberKey(member)}`, LOOKUP_TTL_MS, () =>
    api(session, `/api/debtors/lookup?${query}`, DebtorLookupResponseSchema),
  );
}

/** The confirmed identity of a hidden-id chat (`chat` = "whatsapp:<jid>"), if staff recorded one. */
export function chatIdentity(session: Session, chat: string): Promise<ChatIdentity | null> {
  return cached(identities, `${session.serverUrl}|${chat}`, LOOKUP_TTL_MS, async () => {
    const found = await api(
      session,
      `/api/extension/chat-identities?chat=${encodeURIComponent(chat)}`,
      ChatIdentityResponseSchema,
    );
    return found.identity;
  });
}

/** Records that staff confirmed `chat` is with `debtorId` (audited by the server). */
export async function confirmChatIdentity(
  session: Session,
  chat: string,
  debtorId: string,
): Promise<ChatIdentity> {
  identities.delete(`${session.serverUrl}|${chat}`);
  return api(session, '/api/extension/chat-identities', ChatIdentitySchema, {
    method: 'POST',
    body: { chat, debtorId },
  });
}

/** Revokes the confirmation `id` (audited by the server). */
export async function undoChatIdentity(session: Session, chat: string, id: string): Promise<void> {
  identities.delete(`${session.serverUrl}|${chat}`);
  await api(session, `/api/extension/chat-identities/${encodeURIComponent(id)}`, v.unknown(), {
    method: 'DELETE',
  });
}

const TemplatesResponseSchema = v.object({
  templates: v.array(v.looseObject({ template: v.unknown() })),
});

export function loadSettings(
  session: Session,
): Promise<{ org: OrganisationView; templates: Template[] }> {
  const now = Date.now();
  if (settings && now - settings.at <= SETTINGS_TTL_MS) return settings.value;
  const value = (async () => {
    const [org, list] = await Promise.all([
      api(session, '/api/settings/organisation', OrganisationViewSchema),
      api(session, '/api/settings/templates', TemplatesResponseSchema).catch(() => null),
    ]);
    // A template the server sends in a shape this version cannot read is skipped, not fatal.
    const templates = list
      ? list.templates.flatMap((entry) => {
          const parsed = v.safeParse(TemplateSchema, entry.template);
          return parsed.success ? [parsed.output] : [];
        })
      : [...DEFAULT_TEMPLATES];
    return { org, templates };
  })();
  settings = { at: now, value };
  value.catch(() => {
    settings = undefined;
  });
  return value;
}

/** The part of `GET /api/debtors/:id` the messages need: open debts and the active promise. */
const DebtorDetailSchema = v.looseObject({
  debtor: v.looseObject({
    contactPoints: v.array(
      v.looseObject({
        kind: v.string(),
        value: v.string(),
        verified: v.boolean(),
        isWhatsapp: v.optional(v.boolean(), false),
      }),
    ),
  }),
  debts: v.array(
    v.looseObject({
      id: v.string(),
      description: v.string(),
      status: v.string(),
      dueDate: CalendarDateSchema,
      balance: v.looseObject({ totalDue: v.number() }),
    }),
  ),
  activePromise: v.optional(v.nullable(v.looseObject({ dueDate: CalendarDateSchema })), null),
});
type DebtorDetail = v.InferOutput<typeof DebtorDetailSchema>;

function detail(session: Session, debtorId: string): Promise<DebtorDetail> {
  return cached(details, `${session.serverUrl}|${debtorId}`, LOOKUP_TTL_MS, () =>
    api(session, `/api/debtors/${encodeURIComponent(debtorId)}`, DebtorDetailSchema),
  );
}

/** The key to look a linked debtor up by: a WhatsApp phone first, else any phone or email. */
export async function keyOfDebtor(session: Session, debtorId: string): Promise<Member | null> {
  const points = (await detail(session, debtorId)).debtor.contactPoints;
  const pick =
    points.find((p) => p.kind === 'phone' && p.isWhatsapp) ??
    points.find((p) => p.kind === 'phone') ??
    points.find((p) => p.kind === 'email');
  if (!pick) return null;
  return { kind: pick.kind === 'phone' ? 'phone' : 'email', value: pick.value };
}

/**
 * The debtor's page link (`POST /api/debtors/:id/portal-links`) for `{{payment_link}}` when the
 * organisation configured no outside payment page: the same link the cadence and the phone send.
 * Null when the server cannot make one (the debtor has no CPF/CNPJ): templates then name the gap.
 */
function portalLink(session: Session, debtorId: string): Promise<string | null> {
  return cached(portalLinks, `${session.serverUrl}|${debtorId}`, LOOKUP_TTL_MS, () =>
    api(
      session,
      `/api/debtors/${encodeURIComponent(debtorId)}/portal-links`,
      PortalLinkResponseSchema,
      { method: 'POST' },
    ).then(
      (link) => link.url,
      () => null,
    ),
  );
}

export async function debtorFacts(
  session: Session,
  org: OrganisationView,
  debtorId: string,
): Promise<{ debts: DebtFacts[]; promiseUntil: CalendarDate | null }> {
  const found = await detail(session, debtorId);
  const portal = org.paymentLinkTemplate ? null : await portalLink(session, debtorId);
  const debts = found.debts
    .filter((d) => d.status === 'open' && d.balance.totalDue > 0)
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate))
    .map((d): DebtFacts => {
      const pix = pixCopyPaste(org, d.id, d.balance.totalDue);
      const link = paymentLink(org, d.id) ?? portal ?? undefined;
      return {
        id: d.id,
        description: d.description,
        dueDate: d.dueDate,
        totalDue: d.balance.totalDue,
        ...(pix === undefined ? {} : { pixCopyPaste: pix }),
        ...(link === undefined ? {} : { paymentLink: link }),
      };
    });
  return { debts, promiseUntil: found.activePromise?.dueDate ?? null };
}

export function todayFor(org: OrganisationView): CalendarDate {
  return todayIn(Date.now(), org.timeZone);
}
