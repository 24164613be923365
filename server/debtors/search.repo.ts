/**
 * The office's debtor search: every live debtor (merged duplicates left out) by name, CPF/CNPJ,
 * phone, e-mail or external id, accent- and case-free both ways (quita_fold, 0110; the name's fold stored in debtors.name_fold, 0530), filtered by
 * collector or "no collector" in SQL and by status or régua stage on the derived state, in keyset
 * pages of (folded name, id). Each batch is ONE statement: the page of debtors with their maintained
 * summaries (status, stage, total due, days overdue as of the day: server/ledger/summaries.ts),
 * current collectors, the ledger settings and — when no derived filter can drop a row after SQL —
 * the audit row naming the results (a data-modifying CTE). Only a row whose summary is outdated
 * (written since, or of another day) is derived, and its summary stored. With a status or stage
 * filter the audit row is one INSERT after the page is known.
 */
import type { DebtorSearchQuery, DebtorStatus } from '#shared/api/ledger.schema';
import type { DebtorStage } from '#shared/cadence/debtor-stage';
import { normalizeEmail } from '#shared/identity/email';
import { phoneMatchKeys } from '#shared/identity/phone';
import type { AuthUser } from '../auth/tokens.repo';
import type { Queryable } from '../db/db';
import { debtorScope } from '../http/access';
import { invalidField } from '../ledger/http';
import {
  LEDGER_SETTINGS_SQL,
  ledgerSettingsOf,
  type LedgerSettings,
  type LedgerSettingsRows,
  todayFor,
} from '../ledger/settings';
import { audit } from '../db/audit';
import { isFresh, refreshSummaries, stageOf, type Summary } from '../ledger/summaries';

/** A debtor in a search result. */
export interface DebtorSummary {
  id: string;
  kind: 'person' | 'company';
  name: string;
  document: string | null;
  externalId: string | null;
  city: string | null;
  state: string | null;
  status: DebtorStatus;
  stage: DebtorStage;
  totalDue: number;
  daysOverdue: number;
  collector: { id: string; name: string } | null;
}

export { stageOf };

/** One row of a search page: the debtor, its stored summary, its current collector. */
interface PageRow {
  fold_key: string;
  id: string;
  kind: 'person' | 'company';
  name: string;
  document: string | null;
  external_id: string | null;
  city: string | null;
  state: string | null;
  stale: boolean | null;
  as_of: string | null;
  status: string | null;
  stage: string | null;
  total_due: string | number | null;
  days_overdue: number | null;
  collector_id: string | null;
  collector_name: string | null;
  ledger_settings: LedgerSettingsRows | null;
}

function summaryRow(row: PageRow, s: Summary | null): DebtorSummary {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    document: row.document,
    externalId: row.external_id,
    city: row.city ?? null,
    state: row.state,
    status: s ? s.status : (row.status as DebtorStatus),
    stage: s ? s.stage : (row.stage as DebtorStage),
    totalDue: s ? s.totalDue : Number(row.total_due),
    daysOverdue: s ? s.daysOverdue : Number(row.days_overdue),
    collector:
      row.collector_id === null ? null : { id: row.collector_id, name: row.collector_name ?? '' },
  };
}

type Cursor = [string, string];

export const encodeSearchCursor = (c: Cursor) =>
  Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(cursor: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      /^[0-9a-f-]{36}$/.test(value[1])
    )
      return [value[0], value[1]];
  } catch {
    // Falls through to the problem below.
  }
  throw invalidField('cursor', 'cursor inválido; recomece a busca');
}

/** The SQL conditions of the text part of a search (and their parameters, appended to `params`). */
function textConditions(q: string, params: unknown[]): string {
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const folded = p(q);
  const alternatives = [
    `position(quita_fold(${folded}) in d.name_fold) > 0`,
    `quita_fold(d.external_id) = quita_fold(${folded})`,
  ];
  // CPF/CNPJ typed with or without punctuation, a prefix of at least 3 characters (alphanumeric
  // CNPJs have letters in their first 12 places).
  const compact = q.replace(/[\s./-]/g, '').toUpperCase();
  if (/^[0-9A-Z]{3,14}$/.test(compact) && /\d/.test(compact))
    alternatives.push(`d.document LIKE ${p(`${compact}%`)}`);
  const keys = [...phoneMatchKeys(q), ...(q.includes('@') ? [normalizeEmail(q)] : [])];
  if (keys.length > 0)
    alternatives.push(
      `EXISTS (SELECT 1 FROM contact_point_keys k WHERE k.debtor_id = d.id AND k.key = ANY(${p(keys)}::text[]))`,
    );
  // Part of an e-mail address ("maria@", "@gmail").
  if (q.includes('@') && q.length >= 3)
    alternatives.push(
      `EXISTS (SELECT 1 FROM contact_points e WHERE e.debtor_id = d.id AND e.kind = 'email' AND position(${p(q.toLowerCase())} in e.value) > 0)`,
    );
  return `(${alternatives.join(' OR ')})`;
}

/** Who searches, from where (the search is audited as `debtor.search`). */
export interface SearchAudit {
  actor: string;
  ip: string | null;
}

/** One page of the search, as `user` may see it, audited. */
export async function searchDebtors(
  q: Queryable,
  user: Pick<AuthUser, 'id' | 'role'>,
  query: DebtorSearchQuery,
  now: Date,
  who: SearchAudit,
): Promise<{ items: DebtorSummary[]; nextCursor: string | null }> {
  const params: unknown[] = [];
  const where = ['d.merged_into IS NULL'];
  const scope = debtorScope(user, 'd.id', params.length + 1);
  params.push(...scope.params);
  where.push(scope.sql);
  const text = query.q ?? '';
  if (text !== '') where.push(textConditions(text, params));
  if (query.collector !== undefined) {
    params.push(query.collector);
    where.push(
      `EXISTS (SELECT 1 FROM assignments ca WHERE ca.debtor_id = d.id AND ca.ended_at IS NULL AND ca.collector_id = $${params.length})`,
    );
  }
  if (query.unassigned === true)
    where.push(
      'NOT EXISTS (SELECT 1 FROM assignments ua WHERE ua.debtor_id = d.id AND ua.ended_at IS NULL)',
    );
  const derived = query.status !== undefined || query.stage !== undefined;
  const detail = { q: text, status: query.status ?? null, stage: query.stage ?? null };
  const items: DebtorSummary[] = [];
  let settings: LedgerSettings | undefined;
  let after = query.cursor === undefined ? null : decodeCursor(query.cursor);
  let exhausted = false;
  // Status and stage are derived: scan keyset batches until the page fills (bounded).
  for (let batch = 0; batch < 10 && items.length < query.limit && !exhausted; batch++) {
    const batchParams = [...params];
    const p = (value: unknown) => {
      batchParams.push(value);
      return `$${batchParams.length}`;
    };
    let keyset = '';
    if (after) keyset = ` AND (d.name_fold, d.id) > (${p(after[0])}, ${p(after[1])}::uuid)`;
    const size = derived ? query.limit * 2 : query.limit + 1;
    const sizeParam = p(size);
    // Without a derived filter every row of the page up to `limit` is a result: the audit row
    // is written by this same statement.
    const logged = derived
      ? ''
      : `, logged AS (
          INSERT INTO audit_log (actor_id, ip, action, entity, entity_id, detail)
          SELECT ${p(who.actor)}::uuid, ${p(who.ip)}::text, 'debtor.search', 'debtor', NULL,
                 ${p(JSON.stringify(detail))}::jsonb || jsonb_build_object('results',
                   (SELECT coalesce(jsonb_agg(r.id ORDER BY r.fold_key, r.id), '[]'::jsonb)
                      FROM (SELECT id, fold_key FROM page ORDER BY fold_key, id
                             LIMIT ${p(query.limit)}) r)))`;
    const rows = await q.query<PageRow>(
      `WITH page AS (
         SELECT d.id, d.name_fold AS fold_key FROM debtors d
          WHERE ${where.join(' AND ')}${keyset}
          ORDER BY d.name_fold, d.id LIMIT ${sizeParam})${logged}
       SELECT p.fold_key, d.id, d.kind, d.name, d.document, d.external_id, d.city, d.state,
              s.stale, s.as_of::text AS as_of, s.status, s.stage, s.total_due, s.days_overdue,
              a.collector_id, u.name AS collector_name,
              ${settings === undefined ? LEDGER_SETTINGS_SQL : 'NULL::jsonb'} AS ledger_settings
         FROM page p JOIN debtors d ON d.id = p.id
         LEFT JOIN debtor_summaries s ON s.debtor_id = d.id
         LEFT JOIN assignments a ON a.debtor_id = d.id AND a.ended_at IS NULL
         LEFT JOIN users u ON u.id = a.collector_id
        ORDER BY p.fold_key, p.id`,
      batchParams,
    );
    exhausted = rows.length < size;
    if (settings === undefined && rows[0]?.ledger_settings)
      settings = ledgerSettingsOf(rows[0].ledger_settings);
    if (settings === undefined && rows.length > 0)
      throw new Error('search: ledger settings missing');
    // Rows whose summary is outdated (written since, or of another day) are derived now.
    const today = settings === undefined ? null : todayFor(settings, now);
    const outdated = rows.filter(
      (r) => today === null || !isFresh({ stale: r.stale ?? true, as_of: r.as_of }, today),
    );
    const derivedNow =
      outdated.length > 0 && settings !== undefined
        ? await refreshSummaries(
            q,
            outdated.map((r) => r.id),
            settings,
            now,
          )
        : new Map<string, Summary>();
    for (const row of rows) {
      if (items.length >= query.limit) {
        exhausted = false;
        break;
      }
      after = [row.fold_key, row.id];
      const fresh = derivedNow.get(row.id) ?? null;
      // A debtor merged or gone between the page and its derivation: not a result.
      if (fresh === null && outdated.includes(row)) continue;
      const item = summaryRow(row, fresh);
      if (query.status !== undefined && item.status !== query.status) continue;
      if (query.stage !== undefined && item.stage !== query.stage) continue;
      items.push(item);
    }
    if (!derived) break;
  }
  if (derived)
    await audit(q, {
      actor: who.actor,
      ip: who.ip,
      action: 'debtor.search',
      entity: 'debtor',
      entityId: null,
      detail: { ...detail, results: items.map((i) => i.id) },
    });
  return { items, nextCursor: !exhausted && after ? encodeSearchCursor(after) : null };
}
