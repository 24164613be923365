/**
 * `quita demo`: a living portfolio on the configured database, so a newcomer sees every screen
 * with data. Users (owner and staff only when the organisation has none, three collectors), ~2,000
 * debtors imported through the real CSV importer, then the facts around them: assignments, contacts
 * in the log, visits, promises (open, kept, broken), agreements with installments, disputes and
 * field payments awaiting reconciliation.
 *
 * Idempotent: debtors and debts are keyed by their DEMO- external ids (the importer reports them
 * unchanged), every other row has an id derived from a stable name (`demoId`) and is inserted only
 * when absent, and users are matched by e-mail.
 */
import { splitCents, type Cents } from '#shared/money/money';
import {
  addDays,
  addMonths,
  daysBetween,
  todayIn,
  type CalendarDate,
} from '#shared/time/calendar-date';
import { audit } from '../db/audit';
import type { Db, Row, Tx } from '../db/db';
import type { Entity } from '../db/write';
import { insertEntities, type ColumnTypes } from '../import/bulk-write';
import { openDebtorImport, type ImportReport } from '../import/import-debtors';
import { demoId, ensureOrganisation, ensureUsers, type DemoUser } from './demo-setup';
import { DEMO_COLLECTORS, DEMO_PREFIX, demoPortfolioCsv } from './demo-portfolio';

const COLLECTORS = DEMO_COLLECTORS;

export const DEMO_DEBTORS = 2000;

export interface DemoSummary {
  today: CalendarDate;
  /** What the run did to the creditor identity and the PIX key: filled only when unset. */
  organisation: { creditor: 'filled' | 'kept'; pix: 'filled' | 'kept' };
  users: DemoUser[];
  import: Pick<ImportReport, 'rows' | 'debtors' | 'debts' | 'errorCount'>;
  /** Rows inserted by this run per table (0 everywhere on a second run). */
  inserted: Record<string, number>;
}

interface DemoDebt {
  id: string;
  debtor_id: string;
  external_id: string;
  debtor_external_id: string;
  principal_cents: number;
  due_on: CalendarDate;
}

/** Inserts the rows whose ids are not there yet; returns how many were new. */
async function insertMissing(
  tx: Tx,
  entity: Entity,
  table: string,
  types: ColumnTypes,
  rows: Row[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const present = new Set(
    (
      await tx.query<{ id: string }>(`SELECT id FROM ${table} WHERE id = ANY($1::uuid[])`, [
        rows.map((r) => r['id']),
      ])
    ).map((r) => r.id),
  );
  const missing = rows.filter((r) => !present.has(String(r['id'])));
  await insertEntities(tx, entity, types, missing);
  return missing.length;
}

/** Seeds the demo; `log` receives one-line progress notes. */
export async function seedDemo(
  db: Db,
  options: { now: Date; debtors?: number; log?: (line: string) => void },
): Promise<DemoSummary> {
  const log = options.log ?? (() => {});
  const [org] = await db.query<{ time_zone: string }>(
    'SELECT time_zone FROM organisation WHERE id = 1',
  );
  const today = todayIn(options.now.getTime(), org?.time_zone);
  const { users, ids } = await ensureUsers(db);
  const organisation = await ensureOrganisation(db, options.now);
  const collectors = COLLECTORS.map((c) => ids.get(c.email) ?? '');
  const owner = ids.get('owner') ?? null;

  log(`importing ${options.debtors ?? DEMO_DEBTORS} demo debtors…`);
  const encoder = new TextEncoder();
  const source = (async function* () {
    for (const line of demoPortfolioCsv(options.debtors ?? DEMO_DEBTORS, today))
      yield encoder.encode(line);
  })();
  const report = await (await openDebtorImport(db, source, { actor: null, source: 'demo' })).run();

  const debts = await db.query<DemoDebt>(
    `SELECT t.id, t.debtor_id, t.external_id, d.external_id AS debtor_external_id, t.principal_cents, t.due_on
     FROM debts t JOIN debtors d ON d.id = t.debtor_id
     WHERE d.external_id LIKE $1 ORDER BY d.external_id, t.external_id`,
    [`${DEMO_PREFIX}%`],
  );
  const byDebtor = new Map<string, DemoDebt[]>();
  for (const debt of debts)
    byDebtor.set(debt.debtor_id, [...(byDebtor.get(debt.debtor_id) ?? []), debt]);

  const rows: Record<string, Row[]> = {
    assignments: [],
    contact_log: [],
    visits: [],
    promises: [],
    agreements: [],
    installments: [],
    disputes: [],
    payments: [],
  };
  const at = (date: CalendarDate, hour: number) =>
    `${date}T${String(hour).padStart(2, '0')}:00:00-03:00`;
  const agreementDebts: { agreement_id: string; debt_id: string }[] = [];
  [...byDebtor.entries()].forEach(([debtorId, list], i) => {
    const ext = list[0]?.debtor_external_id ?? debtorId;
    const collector = i % 10 === 9 ? undefined : collectors[i % collectors.length];
    if (collector)
      rows['assignments']?.push({
        id: demoId(`assignment:${ext}`),
        debtor_id: debtorId,
        collector_id: collector,
        assigned_by: owner,
        started_at: at(addDays(today, -30), 9),
      });
    const late = list.filter((d) => d.due_on < today);
    const oldest = late[0] ? Math.max(...late.map((d) => daysBetween(d.due_on, today))) : 0;
    const first = late[0];
    if (!first) return;
    // Contacts: reminders on the channels the régua uses, older debts with more history.
    const contacts = oldest > 60 ? 3 : oldest > 15 ? 2 : 1;
    for (let k = 0; k < contacts; k += 1) {
      const channel = (['whatsapp', 'sms', 'email', 'phone'] as const)[(i + k) % 4] ?? 'sms';
      rows['contact_log']?.push({
        id: demoId(`contact:${ext}:${k}`),
        debtor_id: debtorId,
        debt_id: first.id,
        channel,
        automated: channel === 'email' || channel === 'sms',
        status: 'sent',
        template_id: k === 0 ? 'late-1' : 'late-2',
        body: 'Olá! Lembrete amigável sobre o pagamento em aberto.',
        at: at(addDays(today, -(3 + 6 * k)), 10 + k),
        user_id: channel === 'phone' ? (collector ?? null) : null,
      });
    }
    if (collector && i % 7 === 0)
      rows['visits']?.push({
        id: demoId(`visit:${ext}`),
        debtor_id: debtorId,
        collector_id: collector,
        visited_at: at(addDays(today, -2), 15),
        outcome: (['not_home', 'promised', 'refused', 'other'] as const)[i % 4],
        note: 'Visita de rotina.',
      });
    const half = Math.max(100, Math.round(first.principal_cents / 2));
    const promise = (status: string, promisedOn: CalendarDate) =>
      rows['promises']?.push({
        id: demoId(`promise:${ext}`),
        debtor_id: debtorId,
        debt_id: first.id,
        debt_ids: [first.id],
        amount_cents: half,
        promised_on: promisedOn,
        made_on: addDays(promisedOn, -7),
        status,
        created_by: collector ?? owner,
        resolved_at: status === 'open' ? null : at(promisedOn, 18),
        channel: 'phone',
      });
    switch (i % 20) {
      case 0:
        promise('open', addDays(today, 5));
        break;
      case 1:
        promise('kept', addDays(today, -10));
        rows['payments']?.push({
          id: demoId(`payment:${ext}`),
          debtor_id: debtorId,
          debt_id: first.id,
          amount_cents: half,
          paid_on: addDays(today, -10),
          method: 'pix',
          status: 'confirmed',
          reported_by: owner,
        });
        break;
      case 2:
        promise('broken', addDays(today, -7));
        break;
      case 3: {
        const agreementId = demoId(`agreement:${ext}`);
        const total = late.reduce((sum, d) => sum + d.principal_cents, 0) as Cents;
        const count = 3;
        rows['agreements']?.push({
          id: agreementId,
          debtor_id: debtorId,
          status: 'active',
          total_cents: total,
          installment_count: count,
          agreed_on: addDays(today, -5),
          terms: {},
          proposed_by: collector ?? owner,
          decided_by: owner,
          decided_at: at(addDays(today, -5), 11),
        });
        splitCents(total, count).forEach((amount, seq) =>
          rows['installments']?.push({
            id: demoId(`installment:${ext}:${seq}`),
            agreement_id: agreementId,
            debtor_id: debtorId,
            seq: seq + 1,
            due_on: addMonths(addDays(today, 5), seq),
            amount_cents: amount,
          }),
        );
        for (const d of late) agreementDebts.push({ agreement_id: agreementId, debt_id: d.id });
        break;
      }
      case 4:
        rows['disputes']?.push({
          id: demoId(`dispute:${ext}`),
          debtor_id: debtorId,
          debt_id: first.id,
          reason: 'already_paid',
          description: 'Cliente afirma que já pagou por boleto.',
          status: 'open',
          opened_by: owner,
          opened_on: addDays(today, -4),
        });
        break;
      case 5:
        if (collector)
          rows['payments']?.push({
            id: demoId(`payment:${ext}`),
            debtor_id: debtorId,
            debt_id: first.id,
            amount_cents: half,
            paid_on: addDays(today, -1),
            method: 'cash',
            status: 'pending',
            reported_by: collector,
            reported_at: at(addDays(today, -1), 16),
          });
        break;
      default:
    }
  });

  const T = (types: Record<string, ColumnTypes[string]>) => types;
  const plan: [Entity, string, ColumnTypes][] = [
    [
      'assignment',
      'assignments',
      T({
        id: 'uuid',
        debtor_id: 'uuid',
        collector_id: 'uuid',
        assigned_by: 'uuid',
        started_at: 'timestamptz',
      }),
    ],
    [
      'contact',
      'contact_log',
      T({
        id: 'uuid',
        debtor_id: 'uuid',
        debt_id: 'uuid',
        channel: 'text',
        automated: 'boolean',
        status: 'text',
        template_id: 'text',
        body: 'text',
        at: 'timestamptz',
        user_id: 'uuid',
      }),
    ],
    [
      'visit',
      'visits',
      T({
        id: 'uuid',
        debtor_id: 'uuid',
        collector_id: 'uuid',
        visited_at: 'timestamptz',
        outcome: 'text',
        note: 'text',
      }),
    ],
    [
      'promise',
      'promises',
      T({
        id: 'uuid',
        debtor_id: 'uuid',
        debt_id: 'uuid',
        debt_ids: 'jsonb',
        amount_cents: 'bigint',
        promised_on: 'date',
        made_on: 'date',
        status: 'text',
        created_by: 'uuid',
        resolved_at: 'timestamptz',
        channel: 'text',
      }),
    ],
    [
      'agreement',
      'agreements',
      T({
        id: 'uuid',
        debtor_id: 'uuid',
        status: 'text',
        total_cents: 'bigint',
        installment_count: 'integer',
        agreed_on: 'date',
        terms: 'jsonb',
        proposed_by: 'uuid',
        decided_by: 'uuid',
        decided_at: 'timestamptz',
      }),
    ],
    [
      'installment',
      'installments',
      T({
        id: 'uuid',
        agreement_id: 'uuid',
        debtor_id: 'uuid',
        seq: 'integer',
        due_on: 'date',
        amount_cents: 'bigint',
      }),
    ],
    [
      'dispute',
      'disputes',
      T({
        id: 'uuid',
        debtor_id: 'uuid',
        debt_id: 'uuid',
        reason: 'text',
        description: 'text',
        status: 'text',
        opened_by: 'uuid',
        opened_on: 'date',
      }),
    ],
    [
      'payment',
      'payments',
      T({
        id: 'uuid',
        debtor_id: 'uuid',
        debt_id: 'uuid',
        amount_cents: 'bigint',
        paid_on: 'date',
        method: 'text',
        status: 'text',
        reported_by: 'uuid',
        reported_at: 'timestamptz',
      }),
    ],
  ];
  log('writing assignments, contacts, visits, promises, agreements, disputes and payments…');
  const inserted = await db.transaction(async (tx) => {
    const counts: Record<string, number> = {};
    for (const [entity, table, types] of plan) {
      const list = rows[table] ?? [];
      counts[table] = 0;
      for (let k = 0; k < list.length; k += 1000)
        counts[table] += await insertMissing(tx, entity, table, types, list.slice(k, k + 1000));
      if (table === 'agreements' && agreementDebts.length > 0)
        await tx.query(
          `INSERT INTO agreement_debts (agreement_id, debt_id)
           SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING`,
          [agreementDebts.map((a) => a.agreement_id), agreementDebts.map((a) => a.debt_id)],
        );
    }
    await audit(tx, {
      actor: null,
      action: 'demo.seed',
      entity: 'organisation',
      detail: { inserted: counts, debtors: report.debtors },
    });
    return counts;
  });
  return {
    today,
    organisation,
    users,
    import: {
      rows: report.rows,
      debtors: report.debtors,
      debts: report.debts,
      errorCount: report.errorCount,
    },
    inserted,
  };
}
