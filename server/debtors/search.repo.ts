/**
 * The office's debtor search: every live debtor (merged duplicates left out) by name, CPF/CNPJ,
 * phone, e-mail or external id, accent- and case-free both ways (quita_fold, 0110), filtered by
 * collector or "no collector" in SQL and by status or régua stage on the derived state, in keyset
 * pages of (folded name, id). Each batch is ONE statement: the page of debtors, all their facts
 * (./story.repo.ts STORY_SELECT), the ledger settings and — when no derived filter can drop a row
 * after SQL — the audit row naming the results (a data-modifying CTE). With a status or stage
 * filter the audit row is one INSERT after the page is known.
 */
import type { DebtorSearchQuery, DebtorStatus } from '#shared/api/ledger.schema';
import { debtorStage, type DebtorStage } from '#shared/cadence/debtor-stage';
import { normalizeEmail } from '#shared/identity/email';
import { phoneMatchKeys } from '#shared/identity/phone';
import type { AuthUser } from '../auth/tokens.repo';
import type { Queryable } from '../db/db';
import { debtorScope } from '../http/access';
import { debtorState, type DebtorFacts, type DebtorState } from '../ledger/debtor-state';
import { invalidField } from '../ledger/http';
import {
  LEDGER_SETTINGS_SQL,
  ledgerSettingsOf,
  type LedgerSettings,
  type LedgerSettingsRows,
} from '../ledger/settings';
import { audit } from '../db/audit';
import { factsOfRow, STORY_SELECT, type StoryRow } from './story.repo';

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

export function stageOf(state: DebtorState): DebtorStage {
  return debtorStage({
    plan: state.plan,
    daysOverdue: state.daysOverdue,
    currentStepKind: state.currentStep?.kind,
  });
}

function summary(f: DebtorFacts, state: DebtorState): DebtorSummary {
  const d = f.debtor;
  return {
    id: d.id,
    kind: d.kind,
    name: d.name,
    document: d.document,
    externalId: d.external_id,
    city: d.city ?? null,
    state: d.state,
    status: state.status,
    stage: stageOf(state),
    totalDue: state.totals.totalDue,
    daysOverdue: state.daysOverdue,
    collector: f.assignment
      ? { id: f.assignment.collector_id, name: f.assignment.collector_name }
      : null,
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
    `position(quita_fold(${folded}) in quita_fold(d.name)) > 0`,
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
    if (after) keyset = ` AND (quita_fold(d.name), d.id) > (${p(after[0])}, ${p(after[1])}::uuid)`;
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
    const rows = await q.query<
      StoryRow & { fold_key: string; ledger_settings: LedgerSettingsRows | null }
    >(
      `WITH page AS (
         SELECT d.id, quita_fold(d.name) AS fold_key FROM debtors d
          WHERE ${where.join(' AND ')}${keyset}
          ORDER BY quita_fold(d.name), d.id LIMIT ${sizeParam})${logged}
       SELECT p.fold_key, ${STORY_SELECT},
              ${settings === undefined ? LEDGER_SETTINGS_SQL : 'NULL::jsonb'} AS ledger_settings
         FROM page p JOIN debtors d ON d.id = p.id
        ORDER BY p.fold_key, p.id`,
      batchParams,
    );
    exhausted = rows.length < size;
    for (const row of rows) {
      if (items.length >= query.limit) {
        exhausted = false;
        break;
      }
      if (settings === undefined && row.ledger_settings !== null)
        settings = ledgerSettingsOf(row.ledger_settings);
      if (settings === undefined) throw new Error('search: ledger settings missing');
      const f = factsOfRow(row);
      after = [row.fold_key, f.debtor.id];
      const state = debtorState(f, settings, now);
      const item = summary(f, state);
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
