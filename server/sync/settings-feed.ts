/**
 * Organisation settings in the sync feed: what a collector's phone needs offline (creditor
 * identity and PIX key for messages and QR codes, the cadence policy with its contact windows and
 * budget, holidays, the negotiation and promise policies, the templates). Each section is one
 * entity 'setting' whose id is the section name and whose data is `{ version, value }`.
 *
 * A settings save appends one feed row with no debtor (`recordSettingChange`, same transaction);
 * every collector's incremental pull reads those rows and re-puts the section's current value;
 * the first snapshot page carries every section. Never users, tokens or mail credentials: only
 * the organisation fields below leave the server.
 */
import type { SyncChange } from '#shared/sync/pull.schema';
import type { Queryable, Tx } from '../db/db';
import { recordChange } from '../db/write';
import { loadLedgerSettings } from '../ledger/settings';
import {
  effectiveTemplates,
  readOrganisation,
  readSection,
  SECTIONS,
  type SectionName,
} from '../settings/settings.repo';

/** Feed ids of the synced sections: 'organisation' plus the JSON sections by their API name. */
export const SYNCED_SETTINGS = [
  'organisation',
  'cadence',
  'negotiation',
  'promise',
  'holidays',
  'templates',
  'messages',
] as const satisfies readonly ('organisation' | SectionName)[];
export type SyncedSetting = (typeof SYNCED_SETTINGS)[number];

const isSynced = (key: string): key is SyncedSetting =>
  (SYNCED_SETTINGS as readonly string[]).includes(key);

/** True for the sections phones receive (the others stay on the server). */
export const isSyncedSetting = isSynced;

/** Appends the feed row that sends `key`'s new value to every collector (call inside the save). */
export async function recordSettingChange(
  tx: Tx,
  key: SyncedSetting,
  version: number,
): Promise<void> {
  await recordChange(tx, {
    entity: 'setting',
    entityId: key,
    debtorId: null,
    op: 'update',
    version,
  });
}

/** The current value of some sections as pull `put`s, in SYNCED_SETTINGS order. */
export async function settingPuts(
  q: Queryable,
  keys: Iterable<string> = SYNCED_SETTINGS,
): Promise<SyncChange[]> {
  const wanted = new Set([...keys].filter(isSynced));
  if (wanted.size === 0) return [];
  // The policies exactly as the server's own rules read them (zone, legacy window keys and
  // defaults resolved), so the phone's guard decides on the same inputs as POST /api/contacts.
  const [org, rules, templates, messages, rows] = await Promise.all([
    readOrganisation(q),
    loadLedgerSettings(q),
    readSection(q, 'templates'),
    readSection(q, 'messages'),
    q.query<{ key: string; version: number }>('SELECT key, version FROM settings'),
  ]);
  const versionOf = (name: SectionName) =>
    rows.find((r) => r.key === SECTIONS[name].key)?.version ?? 0;
  const values: Record<SyncedSetting, { version: number; value: unknown }> = {
    // What messages, the PIX code and "today" need; not retention or audit fields.
    organisation: {
      version: org.version,
      value: {
        configured: org.configured,
        legalName: org.legalName,
        tradeName: org.tradeName,
        document: org.document,
        address: org.address,
        phone: org.phone,
        pix: org.pix,
        pixMerchantName: org.pixMerchantName,
        pixMerchantCity: org.pixMerchantCity,
        paymentLinkTemplate: org.paymentLinkTemplate,
        timeZone: org.timeZone,
        state: org.state,
      },
    },
    cadence: { version: versionOf('cadence'), value: rules.cadence },
    negotiation: { version: versionOf('negotiation'), value: rules.negotiation },
    promise: { version: versionOf('promise'), value: rules.promise },
    holidays: { version: versionOf('holidays'), value: rules.holidays },
    // The effective list (defaults with the saved ones over them): the phone has no other copy.
    templates: {
      version: templates.version,
      value: [...effectiveTemplates(templates.value).values()],
    },
    messages: { version: messages.version, value: messages.value },
  };
  return SYNCED_SETTINGS.filter((key) => wanted.has(key)).map((key) => ({
    op: 'put',
    entity: 'setting',
    id: key,
    data: values[key],
  }));
}
