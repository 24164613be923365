/**
 * The data-subject report (LGPD art. 18, II: "acesso aos dados"; art. 19: in a clear and complete
 * form): everything held about one CPF/CNPJ: identity, contact points (wrong ones included),
 * debts with the itemised balance as of today, payments, promises, agreements and installments,
 * disputes, notices, escalations, visits, every contact on every channel (with the text sent),
 * who the debtor was assigned to, and the audit: who saw the debtor's data (reads, one entry per
 * page or chunk that named it) and who changed it.
 *
 * One document may match more than one debtor (duplicates not merged yet): each is reported.
 */
import type { Queryable } from '../db/db';
import { debtorState, loadDebtorFacts } from '../ledger/debtor-state';
import {
  agreementJson,
  contactJson,
  debtJson,
  debtorJson,
  disputeJson,
  escalationJson,
  noticeJson,
  paymentJson,
  promiseJson,
} from '../ledger/rows';
import { loadLedgerSettings } from '../ledger/settings';

const AUDIT_LIMIT = 5000;

interface AuditRow {
  id: number;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: Record<string, unknown>;
}

const READ_ACTIONS = new Set([
  'debtor.view',
  'debtor.timeline',
  'debtor.search',
  'debtor.lookup',
  'debtor.list',
  'debtor.export',
  'debtor.subject_report',
  'debtor.story',
  'sync.pull',
  'cadence.queue',
]);

function auditJson(row: AuditRow) {
  const { debtorIds: _ids, results: _results, matches: _matches, ...detail } = row.detail;
  return {
    at: row.at.toISOString(),
    who:
      row.actor_id === null
        ? null
        : { id: row.actor_id, name: row.actor_name, role: row.actor_role },
    ip: row.ip,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    detail,
  };
}

/** The audit entries about one debtor: reads that named it, and changes to it and its facts. */
async function auditOf(q: Queryable, debtorId: string, factIds: readonly string[]) {
  const rows = await q.query<AuditRow>(
    `SELECT a.id, a.at, a.actor_id, u.name AS actor_name, u.role AS actor_role, a.ip, a.action,
            a.entity, a.entity_id, a.detail
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
      WHERE (a.entity = 'debtor' AND a.entity_id = $1)
         OR (a.detail -> 'debtorIds') ? $1
         OR (a.detail -> 'results') ? $1
         OR (a.detail -> 'matches') ? $1
         OR a.entity_id = ANY($2::text[])
      ORDER BY a.id LIMIT $3`,
    [debtorId, factIds, AUDIT_LIMIT],
  );
  const reads = rows.filter((r) => READ_ACTIONS.has(r.action)).map(auditJson);
  const changes = rows.filter((r) => !READ_ACTIONS.has(r.action)).map(auditJson);
  return { reads, changes, truncated: rows.length >= AUDIT_LIMIT };
}

/** Everything held about `document` (normalised CPF/CNPJ), as of `now`. */
export async function subjectReport(q: Queryable, document: string, now: Date) {
  const ids = (
    await q.query<{ id: string }>(
      'SELECT id FROM debtors WHERE document = $1 ORDER BY created_at, id',
      [document],
    )
  ).map((r) => r.id);
  const settings = await loadLedgerSettings(q);
  const facts = await loadDebtorFacts(q, ids);
  const subjects = [];
  for (const id of ids) {
    const f = facts.get(id);
    if (!f) continue;
    const state = debtorState(f, settings, now);
    const assignments = await q.query<{
      collector_id: string;
      collector_name: string;
      started_at: Date;
      ended_at: Date | null;
    }>(
      `SELECT a.collector_id, u.name AS collector_name, a.started_at, a.ended_at
         FROM assignments a JOIN users u ON u.id = a.collector_id
        WHERE a.debtor_id = $1 ORDER BY a.started_at, a.id`,
      [id],
    );
    const d = f.debtor as typeof f.debtor & {
      address_line?: string | null;
      anonymised_at?: Date | null;
      merged_into?: string | null;
      geo_pin?: unknown;
    };
    const factIds = [
      ...f.debts.map((r) => r.id),
      ...f.payments.map((r) => r.id),
      ...f.promises.map((r) => r.id),
      ...f.agreements.map((r) => r.id),
      ...f.disputes.map((r) => r.id),
      ...f.notices.map((r) => r.id),
      ...f.escalations.map((r) => r.id),
      ...f.contacts.map((r) => r.id),
      ...f.visits.map((r) => r.id),
      ...f.contactPoints.map((r) => r.id),
    ];
    subjects.push({
      debtor: {
        ...debtorJson(f.debtor, f.contactPoints),
        addressLine: d.address_line ?? null,
        city: d.city ?? null,
        state: d.state,
        notes: d.notes,
        geoPin: d.geo_pin ?? null,
        anonymisedAt: d.anonymised_at ? d.anonymised_at.toISOString() : null,
        mergedInto: d.merged_into ?? null,
        createdAt: d.created_at.toISOString(),
      },
      contactPoints: f.contactPoints.map((p) => ({
        id: p.id,
        kind: p.kind,
        value: p.value,
        label: p.label,
        isWhatsapp: p.is_whatsapp,
        verification: p.verification ?? (p.verified ? 'verified' : 'unverified'),
        doNotContact: p.do_not_contact,
      })),
      status: state.status,
      totals: state.totals,
      debts: state.debts.map((x) => ({ ...debtJson(x.row), balance: x.balance })),
      payments: f.payments.map(paymentJson),
      promises: f.promises.map((p) => promiseJson(p, state.promiseStatuses.get(p.id) ?? 'active')),
      agreements: f.agreements.map((a) => agreementJson(a, f.installments)),
      disputes: f.disputes.map(disputeJson),
      notices: f.notices.map(noticeJson),
      escalations: f.escalations.map((e) => escalationJson(e, state.today)),
      visits: f.visits.map((v) => ({
        id: v.id,
        collectorId: v.collector_id,
        at: v.visited_at.toISOString(),
        outcome: v.outcome,
        note: v.note,
      })),
      contacts: f.contacts.map((c) => ({ ...contactJson(c), body: c.body ?? null })),
      assignments: assignments.map((a) => ({
        collector: { id: a.collector_id, name: a.collector_name },
        from: a.started_at.toISOString(),
        until: a.ended_at ? a.ended_at.toISOString() : null,
      })),
      audit: await auditOf(q, id, factIds),
    });
  }
  return { document, generatedAt: now.toISOString(), timeZone: settings.timeZone, subjects };
}
export type SubjectReport = Awaited<ReturnType<typeof subjectReport>>;
