/**
 * The organisation settings the ledger rules read, each parsed with its shared/ schema and falling
 * back to the shared default when the row is missing or does not parse (a bad settings row must
 * not take the ledger down; the settings endpoints validate on write). Keys follow the `settings`
 * table comment in 0001-init.sql.
 */
import * as v from 'valibot';
import {
  CadencePolicySchema,
  ContactWindowsSchema,
  DEFAULT_CADENCE_POLICY,
  type CadencePolicy,
} from '#shared/cadence/cadence.schema';
import { UfSchema, type UF } from '#shared/identity/uf';
import {
  DEFAULT_NEGOTIATION_POLICY,
  NegotiationPolicySchema,
  type NegotiationPolicy,
} from '#shared/negotiation/negotiation.schema';
import {
  DEFAULT_PROMISE_POLICY,
  PromisePolicySchema,
  type PromisePolicy,
} from '#shared/negotiation/promise';
import { todayIn, type CalendarDate } from '#shared/time/calendar-date';
import { HolidayCalendarSchema, type HolidayCalendar } from '#shared/time/holidays';
import type { Queryable } from '../db/db';

/** Everything the ledger needs to know about the organisation's rules. */
export interface LedgerSettings {
  timeZone: string;
  state: UF;
  cadence: CadencePolicy;
  negotiation: NegotiationPolicy;
  promise: PromisePolicy;
  holidays: HolidayCalendar;
}

const BudgetSchema = CadencePolicySchema.pipe[0].entries.budget;

function parsed<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
): v.InferOutput<S> | undefined {
  if (value === undefined) return undefined;
  const result = v.safeParse(schema, value);
  return result.success ? result.output : undefined;
}

/** The settings keys the ledger reads. */
const LEDGER_SETTING_KEYS = [
  'cadence',
  'negotiation_policy',
  'promise_policy',
  'holidays',
  'contact_windows',
  'contact_budget',
] as const;

/**
 * A scalar subquery answering everything `ledgerSettingsOf` needs as one JSON value, for reads
 * that fold the settings into their own statement (server/debtors/debtor-read.repo.ts).
 */
export const LEDGER_SETTINGS_SQL = `(SELECT jsonb_build_object(
    'org', (SELECT jsonb_build_object('time_zone', o.time_zone, 'state', o.state)
              FROM organisation o WHERE o.id = 1),
    'settings', (SELECT coalesce(jsonb_object_agg(s.key, s.value), '{}'::jsonb) FROM settings s
                  WHERE s.key IN (${LEDGER_SETTING_KEYS.map((k) => `'${k}'`).join(', ')}))))`;

/** What LEDGER_SETTINGS_SQL answers. */
export interface LedgerSettingsRows {
  org: { time_zone: string; state: string } | null;
  settings: Record<string, unknown> | null;
}

/** The ledger settings from the organisation row and the settings rows by key. */
export function ledgerSettingsOf(rows: LedgerSettingsRows): LedgerSettings {
  const { org } = rows;
  const byKey = new Map(Object.entries(rows.settings ?? {}));
  const timeZone = org?.time_zone ?? DEFAULT_CADENCE_POLICY.timeZone;
  const base = parsed(CadencePolicySchema, byKey.get('cadence')) ?? DEFAULT_CADENCE_POLICY;
  const windows = parsed(ContactWindowsSchema, byKey.get('contact_windows'));
  const budget = parsed(BudgetSchema, byKey.get('contact_budget'));
  return {
    timeZone,
    state: parsed(UfSchema, org?.state) ?? 'SP',
    // The organisation's zone is the one "today" and contact hours are read in.
    cadence: {
      ...base,
      timeZone,
      ...(windows ? { windows } : {}),
      ...(budget ? { budget } : {}),
    },
    negotiation:
      parsed(NegotiationPolicySchema, byKey.get('negotiation_policy')) ??
      DEFAULT_NEGOTIATION_POLICY,
    promise: parsed(PromisePolicySchema, byKey.get('promise_policy')) ?? DEFAULT_PROMISE_POLICY,
    holidays: parsed(HolidayCalendarSchema, byKey.get('holidays')) ?? {},
  };
}

/** Reads organisation and settings rows in one statement. */
export async function loadLedgerSettings(q: Queryable): Promise<LedgerSettings> {
  const [row] = await q.query<{ ledger_settings: LedgerSettingsRows }>(
    `SELECT ${LEDGER_SETTINGS_SQL} AS ledger_settings`,
  );
  return ledgerSettingsOf(row?.ledger_settings ?? { org: null, settings: null });
}

/** Today in the organisation's zone. */
export function todayFor(settings: Pick<LedgerSettings, 'timeZone'>, now: Date): CalendarDate {
  return todayIn(now.getTime(), settings.timeZone);
}
