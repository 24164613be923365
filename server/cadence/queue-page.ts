/**
 * Loading one page of the day's queue: debtors with an open debt, walked by id (keyset), with
 * everything the plan and the messages need, one query per table for the whole page (debtors,
 * assignments, contact points, open debts, confirmed payments, open promises, active and broken
 * agreements with their installments and covered debts, open disputes, notices, the contact log
 * of the last 8 days plus every step-carrying contact, outbox tasks), never one per debtor. A
 * 100k portfolio is served in bounded pages and a client follows `nextCursor`.
 */
import type { Queryable } from '../db/db';
import { groupBy, type DebtorFacts } from '../ledger/debtor-state';
import type {
  AgreementDebtRow,
  AgreementRow,
  InstallmentRow,
  AssignmentRow,
  ContactPointRow,
  ContactRow,
  DebtorRow,
  DebtRow,
  DisputeRow,
  NoticeRow,
  PaymentRow,
  PromiseRow,
} from '../ledger/rows';

export const MAX_PAGE_DEBTORS = 5000;
export const DEFAULT_PAGE_DEBTORS = 500;
const FIRST_CURSOR = '00000000-0000-0000-0000-000000000000';
/** Contacts this far back cover the 7-day budget in any zone. */
const HISTORY_DAYS = 8;
const DAY_MS = 86_400_000;

/** A row of the automatic-send outbox. */
export interface TaskRow {
  id: string;
  debtor_id: string;
  debt_id: string;
  cycle_due_on: string;
  step_id: string;
  channel: 'email';
  template_id: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'uncertain' | 'cancelled';
  attempts: number;
  next_attempt_at: Date;
  claimed_by: string | null;
  claimed_until: Date | null;
  recipient: string | null;
  contact_log_id: string | null;
  message_id: string | null;
  last_error: string | null;
  sent_at: Date | null;
}

export function taskKey(debtId: string, cycleDueOn: string, stepId: string): string {
  return `${debtId}|${cycleDueOn}|${stepId}`;
}

/** One page of debtors with everything the plan and the messages need. */
export interface QueuePage {
  facts: DebtorFacts[];
  tasks: Map<string, TaskRow>;
  /** The last debtor id of a full page; null when this was the last page. */
  nextCursor: string | null;
}

export interface PageOptions {
  /** Debtor id to continue after (exclusive). */
  cursor?: string;
  limit: number;
  /** Only debtors currently assigned to this collector. */
  collectorId?: string;
  /** Only these debtors (the worker re-checks one debtor before sending). */
  debtorIds?: readonly string[];
  /**
   * 'list': debtors, debts and contact points carry only the columns the page's items are
   * derived from (LIST_COLUMNS); parsing the rest (timestamps above all) was as much of a page's
   * CPU as deriving it. A page whose messages are rendered, and the worker, read whole rows.
   */
  columns?: 'all' | 'list';
}

/**
 * The columns a queue list's derivation reads (debtorState, the plan, the verdict, the item):
 * the rows of a 'list' page hold only these, although typed as whole rows.
 * server/cadence/queue.test.ts holds the list page's items equal to the whole rows' ones.
 */
export const LIST_COLUMNS = {
  debtors: [
    'id',
    'kind',
    'name',
    'state',
    'address',
    'preferred_channel',
    'preferred_hours',
    'do_not_contact',
    'blocked_channels',
  ],
  debts: [
    'id',
    'debtor_id',
    'description',
    'principal_cents',
    'issued_on',
    'due_on',
    'debt_kind',
    'fine_bps',
    'interest_monthly_bps',
    'status',
    'fees',
    'punctuality_discount_bps',
    'grace_days',
  ],
  contactPoints: ['id', 'debtor_id', 'kind', 'value', 'is_whatsapp', 'verified'],
} as const satisfies {
  debtors: readonly (keyof DebtorRow)[];
  debts: readonly (keyof DebtRow)[];
  contactPoints: readonly (keyof ContactPointRow)[];
};

/** Loads one page of debtors that have an open debt, with their facts (one query per table). */
export async function loadQueuePage(
  q: Queryable,
  now: Date,
  options: PageOptions,
): Promise<QueuePage> {
  const params: unknown[] = [options.cursor ?? FIRST_CURSOR, options.limit];
  let filter = '';
  if (options.collectorId !== undefined) {
    params.push(options.collectorId);
    filter += ` AND EXISTS (SELECT 1 FROM assignments a WHERE a.debtor_id = d.id AND a.ended_at IS NULL AND a.collector_id = $${params.length})`;
  }
  if (options.debtorIds !== undefined) {
    params.push(options.debtorIds);
    filter += ` AND d.id = ANY($${params.length}::uuid[])`;
  }
  const list = options.columns === 'list';
  const cols = (names: readonly string[], alias: string) =>
    list ? names.map((n) => `${alias}.${n}`).join(', ') : `${alias}.*`;
  const debtors = await q.query<DebtorRow>(
    `SELECT ${cols(LIST_COLUMNS.debtors, 'd')} FROM debtors d
     WHERE d.id > $1 AND d.anonymised_at IS NULL
       AND EXISTS (SELECT 1 FROM debts x WHERE x.debtor_id = d.id AND x.status = 'open')${filter}
     ORDER BY d.id LIMIT $2`,
    params,
  );
  const ids = debtors.map((d) => d.id);
  const last = debtors.at(-1);
  const nextCursor = debtors.length === options.limit && last ? last.id : null;
  if (ids.length === 0) return { facts: [], tasks: new Map(), nextCursor: null };
  const since = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  // The page is a contiguous run of debtor ids: without a filter that skips debtors inside it,
  // each table is read by one index range (cursor, last] instead of probing 5,000 ids one by one
  // (rows of debtors in the range that the page left out, e.g. nothing open, are grouped under
  // ids the page does not hold and never read).
  const ranged = options.collectorId === undefined && options.debtorIds === undefined;
  const base: unknown[] = ranged && last ? [options.cursor ?? FIRST_CURSOR, last.id] : [ids];
  const inPage = (column: string) =>
    base.length === 2
      ? `${column} > $1::uuid AND ${column} <= $2::uuid`
      : `${column} = ANY($1::uuid[])`;
  const of = <T extends object>(sql: string, extra: unknown[] = []) =>
    q.query<T>(sql, [...base, ...extra]);
  const [
    assignments,
    points,
    debts,
    payments,
    promises,
    agreements,
    installments,
    agreementDebts,
    disputes,
    notices,
    contacts,
    tasks,
  ] = await Promise.all([
    of<AssignmentRow>(
      `SELECT a.id, a.debtor_id, a.collector_id, u.name AS collector_name, a.started_at
         FROM assignments a JOIN users u ON u.id = a.collector_id
         WHERE ${inPage('a.debtor_id')} AND a.ended_at IS NULL`,
    ),
    of<ContactPointRow>(
      `SELECT ${cols(LIST_COLUMNS.contactPoints, 'p')} FROM contact_points p
         WHERE ${inPage('debtor_id')} AND NOT do_not_contact
           AND verification <> 'wrong'
         ORDER BY verified DESC, created_at, id`,
    ),
    of<DebtRow>(
      `SELECT ${cols(LIST_COLUMNS.debts, 't')} FROM debts t
         WHERE ${inPage('debtor_id')} AND status = 'open' ORDER BY due_on, id`,
    ),
    of<PaymentRow>(
      `SELECT p.* FROM payments p
         WHERE ${inPage('p.debtor_id')} AND p.status = 'confirmed'
           AND (p.debt_id IS NULL OR EXISTS (SELECT 1 FROM debts x WHERE x.id = p.debt_id AND x.status = 'open'))
         ORDER BY p.paid_on, p.id`,
    ),
    of<PromiseRow>(
      `SELECT * FROM promises WHERE ${inPage('debtor_id')} AND status = 'open' ORDER BY created_at, id`,
    ),
    // Active agreements (their installment steps and what is owed through them) and broken ones
    // (what was paid through them comes off the debts they covered): schedules and debts too.
    of<AgreementRow>(
      `SELECT * FROM agreements WHERE ${inPage('debtor_id')} AND status IN ('active', 'broken')`,
    ),
    of<InstallmentRow & { debtor_id: string }>(
      `SELECT i.* FROM installments i JOIN agreements a ON a.id = i.agreement_id
         WHERE ${inPage('a.debtor_id')} AND a.status IN ('active', 'broken')
         ORDER BY i.agreement_id, i.seq`,
    ),
    of<AgreementDebtRow>(
      `SELECT x.agreement_id, x.debt_id, a.debtor_id FROM agreement_debts x
         JOIN agreements a ON a.id = x.agreement_id
         WHERE ${inPage('a.debtor_id')} AND a.status IN ('active', 'broken')`,
    ),
    of<DisputeRow>(`SELECT * FROM disputes WHERE ${inPage('debtor_id')} AND status = 'open'`),
    of<NoticeRow>(`SELECT * FROM notices WHERE ${inPage('debtor_id')} ORDER BY sent_on, id`),
    // By id always: debtors the page skipped (paid off) may carry years of step contacts.
    q.query<ContactRow>(
      `SELECT * FROM contact_log WHERE debtor_id = ANY($1::uuid[])
           AND (at >= $2 OR cadence_step IS NOT NULL) ORDER BY at, id`,
      [ids, since],
    ),
    of<TaskRow>(`SELECT * FROM cadence_tasks WHERE ${inPage('debtor_id')}`),
  ]);
  const g = {
    assignments: groupBy(assignments),
    points: groupBy(points),
    debts: groupBy(debts),
    payments: groupBy(payments),
    promises: groupBy(promises),
    agreements: groupBy(agreements),
    installments: groupBy(installments),
    agreementDebts: groupBy(agreementDebts),
    disputes: groupBy(disputes),
    notices: groupBy(notices),
    contacts: groupBy(contacts),
  };
  const facts = debtors.map((debtor): DebtorFacts => ({
    debtor,
    contactPoints: g.points.get(debtor.id) ?? [],
    debts: g.debts.get(debtor.id) ?? [],
    payments: g.payments.get(debtor.id) ?? [],
    promises: g.promises.get(debtor.id) ?? [],
    agreements: g.agreements.get(debtor.id) ?? [],
    installments: g.installments.get(debtor.id) ?? [],
    agreementDebts: g.agreementDebts.get(debtor.id) ?? [],
    disputes: g.disputes.get(debtor.id) ?? [],
    notices: g.notices.get(debtor.id) ?? [],
    escalations: [],
    contacts: g.contacts.get(debtor.id) ?? [],
    visits: [],
    assignment: g.assignments.get(debtor.id)?.[0] ?? null,
  }));
  return {
    facts,
    tasks: new Map(tasks.map((t) => [taskKey(t.debt_id, t.cycle_due_on, t.step_id), t])),
    nextCursor,
  };
}
