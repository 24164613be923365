/**
 * Organisation settings storage. The creditor identity lives in the one-row `organisation` table;
 * every other section is one JSON document in `settings`, validated by its shared schema on the
 * way in AND on the way out (a stored document that no longer parses, e.g. after a schema change,
 * falls back to the shared default instead of breaking the cadence). Until an owner saves a
 * section, its shared default applies.
 */
import * as v from 'valibot';
import { CadencePolicySchema, DEFAULT_CADENCE_POLICY } from '#shared/cadence/cadence.schema';
import type { Address } from '#shared/domain/common.schema';
import { AddressSchema } from '#shared/domain/common.schema';
import { DEFAULT_RETENTION_DAYS } from '#shared/domain/organisation.schema';
import {
  DEFAULT_MESSAGE_SETTINGS,
  MessageSettingsSchema,
  type MessageSettings,
} from '#shared/settings/message-settings.schema';
import type { UF } from '#shared/identity/uf';
import { isUf } from '#shared/identity/uf';
import {
  DEFAULT_NEGOTIATION_POLICY,
  NegotiationPolicySchema,
} from '#shared/negotiation/negotiation.schema';
import { DEFAULT_PROMISE_POLICY, PromisePolicySchema } from '#shared/negotiation/promise';
import type { PixKeyType } from '#shared/pix/pix-key';
import {
  DEFAULT_PORTAL_SETTINGS,
  PortalSettingsSchema,
} from '#shared/portal/portal-settings.schema';
import { formatAddress, type OrganisationSettings } from '#shared/settings/settings.schema';
import { DEFAULT_TEMPLATES } from '#shared/templates/default-templates';
import { TemplateSchema, type Template } from '#shared/templates/template.schema';
import { HolidayCalendarSchema } from '#shared/time/holidays';
import type { Queryable, Tx } from '../db/db';
import { loadLedgerSettings, type LedgerSettings } from '../ledger/settings';

/** The creditor identity as the API returns it; `configured` is false until an owner saves it. */
export interface OrganisationView {
  configured: boolean;
  legalName: string | null;
  tradeName: string | null;
  document: string | null;
  address: Address | null;
  phone: string | null;
  pix: { key: string; keyType: PixKeyType } | null;
  pixMerchantName: string | null;
  pixMerchantCity: string | null;
  paymentLinkTemplate: string | null;
  timeZone: string;
  state: UF;
  retentionDays: number;
  version: number;
  updatedAt: string;
}

interface OrganisationRow {
  creditor_name: string;
  creditor_document: string;
  trade_name: string | null;
  address: unknown;
  phone: string | null;
  pix_key: string | null;
  pix_key_type: PixKeyType | null;
  pix_merchant_name: string | null;
  pix_merchant_city: string | null;
  payment_link_template: string | null;
  time_zone: string;
  state: string;
  retention_days: number;
  version: number;
  updated_at: Date;
}

function toOrganisation(row: OrganisationRow): OrganisationView {
  const address = v.safeParse(AddressSchema, row.address);
  return {
    configured: row.creditor_name !== '' && row.creditor_document !== '' && address.success,
    legalName: row.creditor_name === '' ? null : row.creditor_name,
    tradeName: row.trade_name,
    document: row.creditor_document === '' ? null : row.creditor_document,
    address: address.success ? address.output : null,
    phone: row.phone,
    pix:
      row.pix_key !== null && row.pix_key_type !== null
        ? { key: row.pix_key, keyType: row.pix_key_type }
        : null,
    pixMerchantName: row.pix_merchant_name,
    pixMerchantCity: row.pix_merchant_city,
    paymentLinkTemplate: row.payment_link_template,
    timeZone: row.time_zone,
    state: isUf(row.state) ? row.state : 'SP',
    retentionDays: row.retention_days ?? DEFAULT_RETENTION_DAYS,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The creditor identity (the row always exists: 0001 inserts it). */
export async function readOrganisation(q: Queryable): Promise<OrganisationView> {
  const [row] = await q.query<OrganisationRow>('SELECT * FROM organisation WHERE id = 1');
  if (!row) throw new Error('organisation row missing (migration 0001 inserts it)');
  return toOrganisation(row);
}

/** Replaces the creditor identity; null when `expectedVersion` is stale. */
export async function writeOrganisation(
  tx: Tx,
  input: OrganisationSettings,
  options: { actorId: string | null; now: Date; expectedVersion?: number },
): Promise<OrganisationView | null> {
  const params: unknown[] = [
    input.legalName,
    input.document,
    formatAddress(input.address),
    input.tradeName ?? null,
    JSON.stringify(input.address),
    input.phone ?? null,
    input.pix?.key ?? null,
    input.pix?.keyType ?? null,
    input.pixMerchantName ?? null,
    input.pixMerchantCity ?? null,
    input.paymentLinkTemplate ?? null,
    input.timeZone,
    input.state,
    input.retentionDays,
    options.now,
    options.actorId,
  ];
  let where = 'id = 1';
  if (options.expectedVersion !== undefined) {
    params.push(options.expectedVersion);
    where += ` AND version = $${params.length}`;
  }
  const [row] = await tx.query<OrganisationRow>(
    `UPDATE organisation SET creditor_name = $1, creditor_document = $2, creditor_address = $3,
       trade_name = $4, address = $5, phone = $6, pix_key = $7, pix_key_type = $8,
       pix_merchant_name = $9, pix_merchant_city = $10, payment_link_template = $11,
       time_zone = $12, state = $13, retention_days = $14, updated_at = $15, updated_by = $16,
       version = version + 1
     WHERE ${where} RETURNING *`,
    params,
  );
  return row ? toOrganisation(row) : null;
}

const TemplateListSchema = v.pipe(
  v.array(TemplateSchema),
  v.check(
    (list) => new Set(list.map((t) => t.id)).size === list.length,
    'template ids must be unique',
  ),
);

/** Every JSON section: its `settings` key, schema and the shared default used until it is saved. */
export const SECTIONS = {
  cadence: { key: 'cadence', schema: CadencePolicySchema, fallback: DEFAULT_CADENCE_POLICY },
  negotiation: {
    key: 'negotiation_policy',
    schema: NegotiationPolicySchema,
    fallback: DEFAULT_NEGOTIATION_POLICY,
  },
  promise: { key: 'promise_policy', schema: PromisePolicySchema, fallback: DEFAULT_PROMISE_POLICY },
  holidays: { key: 'holidays', schema: HolidayCalendarSchema, fallback: {} },
  /** Saved templates only: overrides of a default (same id) and the owner's own templates. */
  templates: { key: 'templates', schema: TemplateListSchema, fallback: [] as Template[] },
  /** How messages are written: SMS accents kept unless the owner chooses to save segments. */
  messages: {
    key: 'messages',
    schema: MessageSettingsSchema,
    fallback: DEFAULT_MESSAGE_SETTINGS,
  },
  /** The debtor's page: how long a link works (server/portal/). */
  portal: { key: 'portal', schema: PortalSettingsSchema, fallback: DEFAULT_PORTAL_SETTINGS },
} as const;
export type SectionName = keyof typeof SECTIONS;
export type SectionValue<N extends SectionName> = v.InferOutput<(typeof SECTIONS)[N]['schema']>;

/** A section's effective value and whether it is the shared default. */
export interface SectionView<T> {
  value: T;
  isDefault: boolean;
  /** 0 while the default applies. */
  version: number;
  updatedAt: string | null;
}

interface SettingsRow {
  key: string;
  value: unknown;
  version: number;
  updated_at: Date;
}

function toSection<N extends SectionName>(
  name: N,
  row: SettingsRow | undefined,
): SectionView<SectionValue<N>> {
  const section = SECTIONS[name];
  const fallback = {
    value: section.fallback as SectionValue<N>,
    isDefault: true,
    version: row?.version ?? 0,
    updatedAt: null,
  };
  if (!row) return fallback;
  const parsed = v.safeParse(section.schema, row.value);
  if (!parsed.success) return fallback;
  return {
    value: parsed.output as SectionValue<N>,
    isDefault: false,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** One section, default included. */
export async function readSection<N extends SectionName>(
  q: Queryable,
  name: N,
): Promise<SectionView<SectionValue<N>>> {
  const rows = await q.query<SettingsRow>(
    'SELECT key, value, version, updated_at FROM settings WHERE key = $1',
    [SECTIONS[name].key],
  );
  return toSection(name, rows[0]);
}

/**
 * Saves a section (the value must already be valid); null when `expectedVersion` is given and
 * no longer matches (0 = "still the default").
 */
export async function writeSection<N extends SectionName>(
  tx: Tx,
  name: N,
  value: SectionValue<N>,
  options: { actorId: string | null; now: Date; expectedVersion?: number },
): Promise<SectionView<SectionValue<N>> | null> {
  const key = SECTIONS[name].key;
  const [current] = await tx.query<{ version: number }>(
    'SELECT version FROM settings WHERE key = $1 FOR UPDATE',
    [key],
  );
  if (options.expectedVersion !== undefined && options.expectedVersion !== (current?.version ?? 0))
    return null;
  const [row] = await tx.query<SettingsRow>(
    `INSERT INTO settings (key, value, version, updated_at, updated_by) VALUES ($1, $2, 1, $3, $4)
     ON CONFLICT (org_id, key) DO UPDATE SET value = EXCLUDED.value, version = settings.version + 1,
       updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
     RETURNING key, value, version, updated_at`,
    [key, JSON.stringify(value), options.now, options.actorId],
  );
  return toSection(name, row);
}

/**
 * Everything the cadence and the messages need: the ledger's view of the rules (one loader for
 * the policy sections, `server/ledger/settings.ts`), the creditor identity and the templates.
 */
export interface EffectiveSettings extends LedgerSettings {
  organisation: OrganisationView;
  /** Defaults overridden by saved templates with the same id, plus the owner's own. */
  templates: ReadonlyMap<string, Template>;
  messages: MessageSettings;
}

/** The defaults with saved templates applied over them (same id replaces), in a stable order. */
export function effectiveTemplates(saved: readonly Template[]): Map<string, Template> {
  const map = new Map<string, Template>(DEFAULT_TEMPLATES.map((t) => [t.id, t]));
  for (const t of saved) map.set(t.id, t);
  return map;
}

/** Loads the organisation, the policy sections and the templates (defaults where unsaved). */
export async function loadSettings(q: Queryable): Promise<EffectiveSettings> {
  const [ledger, organisation, templates, messages] = await Promise.all([
    loadLedgerSettings(q),
    readOrganisation(q),
    readSection(q, 'templates'),
    readSection(q, 'messages'),
  ]);
  return {
    ...ledger,
    organisation,
    templates: effectiveTemplates(templates.value),
    messages: messages.value,
  };
}
