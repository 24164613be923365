/**
 * Reads of one debtor (or of the few an address matches) in ONE statement each: the access check
 * (a collector sees only the debtors assigned to them), every fact about the debtor (./story.repo.ts
 * STORY_SELECT), the organisation's ledger settings, and the audit row of the read (LGPD: who
 * looked at what) written by a data-modifying CTE of the same statement, so the row exists exactly
 * when the read returned data. A debtor the user may not see returns nothing and audits nothing,
 * exactly like a missing one.
 *
 * Before, one `GET /api/debtors/:id` issued ~20 statements (an access check, 13 fact queries, two
 * settings queries and a serializable BEGIN/INSERT/COMMIT for the audit row) while the database
 * worked 0.2–2.7 ms; with authentication the route is now two statements.
 */
import type { AuthUser } from '../auth/tokens.repo';
import type { Queryable } from '../db/db';
import { debtorScope } from '../http/access';
import type { DebtorFacts } from '../ledger/debtor-state';
import {
  LEDGER_SETTINGS_SQL,
  ledgerSettingsOf,
  type LedgerSettings,
  type LedgerSettingsRows,
} from '../ledger/settings';
import { factsOfRow, STORY_EXTRAS_SQL, STORY_SELECT, storyExtrasOf } from './story.repo';
import type { StoryExtras, StoryRow } from './story.repo';

/** Who reads, from where, and the audit action the read is logged as. */
export interface ReadAudit {
  actor: string;
  ip: string | null;
  /** e.g. 'debtor.view', 'debtor.timeline', 'debtor.story'. */
  action: string;
}

type Reader = Pick<AuthUser, 'id' | 'role'>;

/** Parameters list with `$n` placeholders handed out in order. */
function params() {
  const values: unknown[] = [];
  return {
    values,
    p(value: unknown): string {
      values.push(value);
      return `$${values.length}`;
    },
  };
}

/**
 * One debtor's facts and the ledger settings, audited as `audit.action` — or null when the debtor
 * does not exist or `user` may not see it (nothing audited then). With `extras`, also what the
 * office's story shows beside the facts (user names, same-document records, merge target).
 */
export async function readDebtor(
  q: Queryable,
  user: Reader,
  id: string,
  audit: ReadAudit,
): Promise<{ facts: DebtorFacts; settings: LedgerSettings } | null>;
export async function readDebtor(
  q: Queryable,
  user: Reader,
  id: string,
  audit: ReadAudit,
  withExtras: true,
): Promise<{ facts: DebtorFacts; settings: LedgerSettings; extras: StoryExtras } | null>;
export async function readDebtor(
  q: Queryable,
  user: Reader,
  id: string,
  audit: ReadAudit,
  withExtras = false,
): Promise<{ facts: DebtorFacts; settings: LedgerSettings; extras?: StoryExtras } | null> {
  const { values, p } = params();
  const idParam = p(id);
  const scope = debtorScope(user, 't.id', values.length + 1);
  values.push(...scope.params);
  const [row] = await q.query<
    StoryRow & { ledger_settings: LedgerSettingsRows; users?: Record<string, string> | null }
  >(
    `WITH d AS (SELECT t.* FROM debtors t WHERE t.id = ${idParam}::uuid AND ${scope.sql}),
     logged AS (
       INSERT INTO audit_log (actor_id, ip, action, entity, entity_id, detail)
       SELECT ${p(audit.actor)}::uuid, ${p(audit.ip)}::text, ${p(audit.action)}::text, 'debtor',
              d.id::text, '{}'::jsonb
         FROM d)
     SELECT ${STORY_SELECT}, ${LEDGER_SETTINGS_SQL} AS ledger_settings
            ${withExtras ? `, ${STORY_EXTRAS_SQL}` : ''}
       FROM d`,
    values,
  );
  if (!row) return null;
  const read = { facts: factsOfRow(row), settings: ledgerSettingsOf(row.ledger_settings) };
  return withExtras ? { ...read, extras: storyExtrasOf(row) } : read;
}

/** What the extension's lookup matched: the debtor's facts and whether a matching point is verified. */
export interface LookupHit {
  facts: DebtorFacts;
  verified: boolean;
}

/**
 * The debtors (at most 20, by id) whose live contact points (not marked wrong) have one of `keys`
 * of `kind`, as `user` may see them, with their facts and the ledger settings; the lookup audited
 * as `debtor.lookup` naming every match (`{ by, matches }`) — all in one statement.
 */
export async function lookupDebtors(
  q: Queryable,
  user: Reader,
  kind: 'email' | 'phone',
  keys: readonly string[],
  audit: Omit<ReadAudit, 'action'>,
): Promise<{ hits: LookupHit[]; settings: LedgerSettings | null }> {
  const { values, p } = params();
  const kindParam = p(kind);
  const keysParam = p(keys);
  const scope = debtorScope(user, 'k.debtor_id', values.length + 1);
  values.push(...scope.params);
  const rows = await q.query<StoryRow & { verified: boolean; ledger_settings: LedgerSettingsRows }>(
    `WITH hits AS (
       SELECT k.debtor_id, bool_or(cp.verified) AS verified
         FROM contact_point_keys k JOIN contact_points cp ON cp.id = k.contact_point_id
        WHERE k.kind = ${kindParam}::text AND k.key = ANY(${keysParam}::text[]) AND ${scope.sql}
          AND cp.verification <> 'wrong'
        GROUP BY k.debtor_id ORDER BY k.debtor_id LIMIT 20),
     logged AS (
       INSERT INTO audit_log (actor_id, ip, action, entity, entity_id, detail)
       SELECT ${p(audit.actor)}::uuid, ${p(audit.ip)}::text, 'debtor.lookup', 'debtor', NULL,
              jsonb_build_object('by', ${kindParam}::text, 'matches',
                (SELECT coalesce(jsonb_agg(h.debtor_id ORDER BY h.debtor_id), '[]'::jsonb) FROM hits h)))
     SELECT h.verified, ${STORY_SELECT}, ${LEDGER_SETTINGS_SQL} AS ledger_settings
       FROM hits h JOIN debtors d ON d.id = h.debtor_id
      ORDER BY h.debtor_id`,
    values,
  );
  const first = rows[0];
  return {
    hits: rows.map((row) => ({ facts: factsOfRow(row), verified: row.verified })),
    settings: first ? ledgerSettingsOf(first.ledger_settings) : null,
  };
}
