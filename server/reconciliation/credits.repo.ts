/**
 * The reconciliation's SQL, set-based throughout: a statement's credits travel as typed arrays
 * (`unnest`) and every step is one statement for all of them — which were seen before (account +
 * FITID), the insert, the txid join that names what each credit pays (generated txid columns,
 * migration 0170), and the candidate search for the rest (payer document, payer name, amounts the
 * debtor was asked for). Never a query per credit.
 */
import type { CalendarDate } from '#shared/time/calendar-date';
import type { Tx } from '../db/db';

/** A credit read from the statement, ready to store. */
export interface StagedCredit {
  id: string;
  accountKey: string;
  fitid: string;
  postedOn: CalendarDate;
  amount: number;
  payerName: string | null;
  payerDocument: string | null;
  /** shared/reconciliation nameKey of the payer's name ('' when none). */
  nameKey: string;
  memo: string | null;
  txid: string | null;
}

/** The indexes of `credits` already stored (same account and FITID). */
export async function seenBefore(tx: Tx, credits: readonly StagedCredit[]): Promise<Set<number>> {
  if (credits.length === 0) return new Set();
  const rows = await tx.query<{ n: number }>(
    `SELECT s.n::int AS n
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(account_key, fitid, n)
     JOIN bank_credits c ON c.account_key = s.account_key AND c.fitid = s.fitid`,
    [credits.map((c) => c.accountKey), credits.map((c) => c.fitid)],
  );
  return new Set(rows.map((r) => Number(r.n) - 1));
}

/** Inserts the credits (status 'unmatched' until decided); answers the ids actually inserted. */
export async function insertCredits(
  tx: Tx,
  statementId: string,
  credits: readonly StagedCredit[],
  now: Date,
): Promise<Set<string>> {
  if (credits.length === 0) return new Set();
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO bank_credits (id, statement_id, account_key, fitid, posted_on, amount_cents,
       payer_name, payer_document, memo, txid, status, created_at)
     SELECT u.id, $1, u.account_key, u.fitid, u.posted_on, u.amount, u.payer_name, u.payer_document,
            u.memo, u.txid, 'unmatched', $2
     FROM unnest($3::uuid[], $4::text[], $5::text[], $6::date[], $7::bigint[], $8::text[], $9::text[],
                 $10::text[], $11::text[])
       AS u(id, account_key, fitid, posted_on, amount, payer_name, payer_document, memo, txid)
     ON CONFLICT (org_id, account_key, fitid) DO NOTHING
     RETURNING id`,
    [
      statementId,
      now,
      credits.map((c) => c.id),
      credits.map((c) => c.accountKey),
      credits.map((c) => c.fitid),
      credits.map((c) => c.postedOn),
      credits.map((c) => c.amount),
      credits.map((c) => c.payerName),
      credits.map((c) => c.payerDocument),
      credits.map((c) => c.memo),
      credits.map((c) => c.txid),
    ],
  );
  return new Set(rows.map((r) => r.id));
}

/** What a credit's txid names, resolved in the database. */
export type TxidTarget =
  | { kind: 'debt'; debtorId: string; debtId: string }
  | { kind: 'installment'; debtorId: string; agreementId: string; number: number }
  | { kind: 'debtor'; debtorId: string };

/** The txid join: one statement resolves every credit's txid against the generated columns. */
export async function txidTargets(
  tx: Tx,
  credits: readonly StagedCredit[],
): Promise<Map<string, TxidTarget>> {
  const named = credits.filter((c) => c.txid !== null);
  if (named.length === 0) return new Map();
  const rows = await tx.query<{
    credit_id: string;
    debt_id: string | null;
    debt_debtor: string | null;
    agreement_id: string | null;
    seq: number | null;
    inst_debtor: string | null;
    debtor_id: string | null;
  }>(
    `SELECT s.credit_id, d.id AS debt_id, d.debtor_id AS debt_debtor,
            i.agreement_id, i.seq, i.debtor_id AS inst_debtor, r.id AS debtor_id
     FROM unnest($1::uuid[], $2::text[]) AS s(credit_id, txid)
     LEFT JOIN debts d ON d.pix_txid = s.txid
     LEFT JOIN installments i ON i.pix_txid = s.txid
     LEFT JOIN debtors r ON r.pix_txid = s.txid`,
    [named.map((c) => c.id), named.map((c) => c.txid)],
  );
  const out = new Map<string, TxidTarget>();
  for (const r of rows) {
    if (r.debt_id !== null && r.debt_debtor !== null)
      out.set(r.credit_id, { kind: 'debt', debtorId: r.debt_debtor, debtId: r.debt_id });
    else if (r.agreement_id !== null && r.inst_debtor !== null && r.seq !== null)
      out.set(r.credit_id, {
        kind: 'installment',
        debtorId: r.inst_debtor,
        agreementId: r.agreement_id,
        number: r.seq,
      });
    else if (r.debtor_id !== null) out.set(r.credit_id, { kind: 'debtor', debtorId: r.debtor_id });
  }
  return out;
}

export const CandidateReasons = [
  'cpf',
  'nome',
  'nome_parcial',
  'informe',
  'parcela',
  'promessa',
  'valor',
] as const;
export type CandidateReason = (typeof CandidateReasons)[number];

/** How close to the credit's day a field report, installment or promise must be. */
export const WINDOW = { report: 7, installment: 15, promise: 7 } as const;
/** Width of the amount buckets of the debt pre-filter, in centavos (R$ 10). */
const BUCKET = 1_000;

/**
 * Debtors that may have sent each credit, with why: the payer's CPF/CNPJ, the payer's name (whole,
 * or the start of a longer name a bank truncated), a field report, an open installment or an open
 * promise of that exact amount near the credit's day, or an open debt whose balance in the
 * statement's period could be that amount. The last is a pre-filter on simple interest (multa +
 * juros on the principal, less what was paid, with a margin when partial payments shift the
 * interest base); the shared ledger then checks the exact figure on the credit's day.
 */
export async function candidateDebtors(
  tx: Tx,
  credits: readonly StagedCredit[],
): Promise<Map<string, Map<string, Set<CandidateReason>>>> {
  const out = new Map<string, Map<string, Set<CandidateReason>>>();
  if (credits.length === 0) return out;
  const days = credits.map((c) => c.postedOn).sort();
  const rows = await tx.query<{ credit_id: string; debtor_id: string; why: CandidateReason }>(
    `WITH s AS MATERIALIZED (
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::date[])
         AS s(credit_id, doc, name_key, amount, posted_on)
     ),
     paid AS (
       SELECT p.debt_id, sum(p.amount_cents) AS paid FROM payments p
       JOIN debts d ON d.id = p.debt_id AND d.status = 'open'
       WHERE p.status = 'confirmed' AND p.agreement_id IS NULL GROUP BY p.debt_id
     ),
     est AS (
       -- Integer arithmetic (numeric is slow on PGlite): each term truncates instead of rounding
       -- half-even, so the margin below covers one centavo per term.
       SELECT d.id, d.debtor_id, d.due_on, d.grace_days,
              d.principal_cents + d.fees_cents - coalesce(paid.paid, 0)::bigint AS base,
              d.principal_cents * CASE WHEN d.debt_kind = 'consumer' THEN least(d.fine_bps, 200) ELSE d.fine_bps END / 10000 AS fine,
              d.principal_cents * d.interest_monthly_bps AS per_day_x300000,
              d.principal_cents * coalesce(d.punctuality_discount_bps, 0) / 10000 AS discount,
              coalesce(paid.paid, 0) > 0 AS partly_paid
       FROM debts d LEFT JOIN paid ON paid.debt_id = d.id
       WHERE d.status = 'open'
     ),
     ranged AS (
       SELECT e.id, e.debtor_id,
              -- The balance grows over the period: lowest on its first day, highest on its last.
              CASE WHEN $6::date > e.due_on + e.grace_days
                   THEN e.base + e.fine + e.per_day_x300000 * ($6::date - e.due_on) / 300000
                   ELSE e.base - e.discount END
                - 3 - CASE WHEN e.partly_paid
                           THEN e.fine + e.per_day_x300000 * greatest(0, $7::date - e.due_on) / 300000
                           ELSE 0 END AS lo,
              CASE WHEN $7::date > e.due_on + e.grace_days
                   THEN e.base + e.fine + e.per_day_x300000 * ($7::date - e.due_on) / 300000
                   ELSE e.base END + 3 AS hi
       FROM est e
     ),
     buckets AS MATERIALIZED (
       SELECT r.id, r.debtor_id, r.lo, r.hi, b AS bucket
       FROM ranged r, generate_series(r.lo / ${BUCKET}, r.hi / ${BUCKET}) AS b
       WHERE r.hi > 0
     )
     SELECT s.credit_id, r.id AS debtor_id, 'cpf' AS why
       FROM s JOIN debtors r ON r.document = s.doc WHERE s.doc IS NOT NULL
     UNION
     SELECT s.credit_id, r.id, 'nome' FROM s JOIN debtors r ON r.name_key = s.name_key
       WHERE s.name_key <> ''
     UNION
     SELECT s.credit_id, r.id, 'nome_parcial' FROM s JOIN debtors r ON r.name_key LIKE s.name_key || ' %'
       WHERE length(s.name_key) >= 10
     UNION
     SELECT s.credit_id, p.debtor_id, 'informe' FROM s JOIN payments p
       ON p.status = 'pending' AND p.amount_cents = s.amount
      AND p.paid_on BETWEEN s.posted_on - ${WINDOW.report} AND s.posted_on + 1
     UNION
     SELECT s.credit_id, i.debtor_id, 'parcela' FROM s JOIN installments i
       ON i.paid_on IS NULL AND i.amount_cents - i.paid_cents = s.amount
      AND i.due_on BETWEEN s.posted_on - ${WINDOW.installment} AND s.posted_on + ${WINDOW.installment}
       JOIN agreements a ON a.id = i.agreement_id AND a.status = 'active'
     UNION
     SELECT s.credit_id, p.debtor_id, 'promessa' FROM s JOIN promises p
       ON p.status = 'open' AND p.amount_cents = s.amount
      AND p.promised_on BETWEEN s.posted_on - ${WINDOW.promise} AND s.posted_on + ${WINDOW.promise}
     UNION
     SELECT s.credit_id, b.debtor_id, 'valor' FROM s JOIN buckets b
       ON b.bucket = s.amount / ${BUCKET} AND s.amount BETWEEN b.lo AND b.hi`,
    [
      credits.map((c) => c.id),
      credits.map((c) => c.payerDocument),
      credits.map((c) => c.nameKey),
      credits.map((c) => c.amount),
      credits.map((c) => c.postedOn),
      days[0],
      days.at(-1),
    ],
  );
  for (const r of rows) {
    let byDebtor = out.get(r.credit_id);
    if (!byDebtor) {
      byDebtor = new Map();
      out.set(r.credit_id, byDebtor);
    }
    const reasons = byDebtor.get(r.debtor_id) ?? new Set<CandidateReason>();
    reasons.add(r.why);
    byDebtor.set(r.debtor_id, reasons);
  }
  return out;
}
