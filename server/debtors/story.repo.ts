/**
 * One statement for everything stored about a set of debtors: the debtor row and every fact table
 * aggregated as JSON beside it (contact points, debts, payments, promises, agreements with their
 * installments, disputes, notices, escalations, contacts, visits, the current assignment). It
 * answers the same DebtorFacts as server/ledger/debtor-state `loadDebtorFacts` (13 statements),
 * which a test checks row for row, so every derivation (balances, cadence, status) is shared.
 *
 * JSON carries instants as text: the columns that are TIMESTAMPTZ come back as Date again here,
 * exactly as the Db adapters return them; DATE stays 'YYYY-MM-DD', BIGINT a number.
 */
import type { Queryable } from '../db/db';
import type { DebtorFacts } from '../ledger/debtor-state';

/** Columns of the fact tables that are TIMESTAMPTZ (revived to Date). */
const INSTANT_COLUMNS = new Set([
  'created_at',
  'updated_at',
  'resolved_at',
  'decided_at',
  'reconciled_at',
  'reported_at',
  'at',
  'visited_at',
  'started_at',
  'ended_at',
  'anonymised_at',
  'merged_at',
  'verification_at',
]);

function revive<T>(row: unknown): T {
  const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const key of Object.keys(out)) {
    const value = out[key];
    if (INSTANT_COLUMNS.has(key) && typeof value === 'string') out[key] = new Date(value);
  }
  return out as T;
}

const list = <T>(rows: unknown): T[] => (Array.isArray(rows) ? rows.map((r) => revive<T>(r)) : []);

/** Aggregates one table's rows of debtor d, in `order`. */
const facts = (table: string, order: string) =>
  `(SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY ${order}), '[]'::jsonb)
      FROM ${table} x WHERE x.debtor_id = d.id)`;

export const STORY_SELECT = `
  to_jsonb(d) AS debtor,
  ${facts('contact_points', 'x.created_at, x.id')} AS points,
  ${facts('debts', 'x.due_on, x.id')} AS debts,
  ${facts('payments', 'x.paid_on, x.created_at, x.id')} AS payments,
  ${facts('promises', 'x.created_at, x.id')} AS promises,
  ${facts('agreements', 'x.created_at, x.id')} AS agreements,
  ${facts('installments', 'x.agreement_id, x.seq')} AS installments,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('agreement_id', x.agreement_id,
       'debt_id', x.debt_id, 'debtor_id', a.debtor_id) ORDER BY x.agreement_id, x.debt_id), '[]'::jsonb)
     FROM agreement_debts x JOIN agreements a ON a.id = x.agreement_id
    WHERE a.debtor_id = d.id) AS agreement_debts,
  ${facts('disputes', 'x.created_at, x.id')} AS disputes,
  ${facts('notices', 'x.sent_on, x.id')} AS notices,
  ${facts('escalations', 'x.created_at, x.id')} AS escalations,
  ${facts('contact_log', 'x.at, x.id')} AS contacts,
  ${facts('visits', 'x.visited_at, x.id')} AS visits,
  (SELECT to_jsonb(a) FROM (
     SELECT s.id, s.debtor_id, s.collector_id, u.name AS collector_name, s.started_at
       FROM assignments s JOIN users u ON u.id = s.collector_id
      WHERE s.debtor_id = d.id AND s.ended_at IS NULL) a) AS assignment`;

/** One row of STORY_SELECT. */
export interface StoryRow {
  debtor: unknown;
  points: unknown;
  debts: unknown;
  payments: unknown;
  promises: unknown;
  agreements: unknown;
  installments: unknown;
  agreement_debts: unknown;
  disputes: unknown;
  notices: unknown;
  escalations: unknown;
  contacts: unknown;
  visits: unknown;
  assignment: unknown;
}

/** A STORY_SELECT row as DebtorFacts. */
export function factsOfRow(row: StoryRow): DebtorFacts {
  return {
    debtor: revive(row.debtor),
    contactPoints: list(row.points),
    debts: list(row.debts),
    payments: list(row.payments),
    promises: list(row.promises),
    agreements: list(row.agreements),
    installments: list(row.installments),
    agreementDebts: list(row.agreement_debts),
    disputes: list(row.disputes),
    notices: list(row.notices),
    escalations: list(row.escalations),
    contacts: list(row.contacts),
    visits: list(row.visits),
    assignment: row.assignment === null ? null : revive(row.assignment),
  };
}

/** The facts of `ids` in one statement, keyed by debtor id (missing ids are absent). */
export async function loadStories(
  q: Queryable,
  ids: readonly string[],
): Promise<Map<string, DebtorFacts>> {
  const out = new Map<string, DebtorFacts>();
  if (ids.length === 0) return out;
  const rows = await q.query<StoryRow>(
    `SELECT ${STORY_SELECT} FROM debtors d WHERE d.id = ANY($1::uuid[])`,
    [[...new Set(ids)]],
  );
  for (const row of rows) {
    const f = factsOfRow(row);
    out.set(f.debtor.id, f);
  }
  return out;
}

/** One debtor's facts plus what its page shows beside them, still in one statement. */
export interface StoryExtras {
  /** Names of every user, to say who recorded each event. */
  users: Record<string, string>;
  /** Other live debtors with the same CPF/CNPJ (candidates for a merge). */
  duplicates: { id: string; name: string }[];
  /** The debtor this one was merged into, when it is a tombstone. */
  mergedInto: { id: string; name: string } | null;
}

/** The columns of StoryExtras, beside STORY_SELECT on a row `d` of debtors. */
export const STORY_EXTRAS_SQL = `
       (SELECT jsonb_object_agg(u.id, u.name) FROM users u) AS users,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('id', o.id, 'name', o.name) ORDER BY o.created_at, o.id), '[]'::jsonb)
          FROM debtors o
         WHERE d.document IS NOT NULL AND o.document = d.document AND o.id <> d.id
           AND o.merged_into IS NULL) AS duplicates,
       (SELECT jsonb_build_object('id', m.id, 'name', m.name) FROM debtors m WHERE m.id = d.merged_into) AS merged`;

/** The StoryExtras of a row that selected STORY_EXTRAS_SQL. */
export function storyExtrasOf(row: {
  users?: Record<string, string> | null;
  duplicates?: unknown;
  merged?: unknown;
}): StoryExtras {
  return {
    users: row.users ?? {},
    duplicates: Array.isArray(row.duplicates)
      ? (row.duplicates as { id: string; name: string }[])
      : [],
    mergedInto: (row.merged as { id: string; name: string } | null) ?? null,
  };
}
