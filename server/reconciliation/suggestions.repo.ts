/**
 * Suggestions and credits as Revisão reads them: one batched insert per run, and the review list
 * (credits by status, newest first, each with its ranked suggestions and the debtors' names) in
 * three queries for a page, never one per credit.
 */
import type { PaymentTarget } from '#shared/ledger/plan-payment';
import type { Queryable, Tx } from '../db/db';
import type { Suggestion } from './match';

/** The target as the credit and suggestion columns store it. */
export function targetColumns(target: PaymentTarget) {
  return {
    target_kind: target.kind,
    target_debt_id: target.kind === 'debt' ? target.debtId : null,
    target_agreement_id: target.kind === 'installment' ? target.agreementId : null,
    target_installment: target.kind === 'installment' ? target.number : null,
  };
}

/** The stored columns back as a target. */
export function targetOfColumns(r: {
  target_kind: string | null;
  target_debt_id: string | null;
  target_agreement_id: string | null;
  target_installment: number | null;
}): PaymentTarget | null {
  if (r.target_kind === 'debt' && r.target_debt_id)
    return { kind: 'debt', debtId: r.target_debt_id };
  if (r.target_kind === 'installment' && r.target_agreement_id && r.target_installment !== null)
    return {
      kind: 'installment',
      agreementId: r.target_agreement_id,
      number: r.target_installment,
    };
  if (r.target_kind === 'debtor') return { kind: 'debtor' };
  return null;
}

/** Inserts every suggestion of a run in one statement. */
export async function writeSuggestions(
  tx: Tx,
  list: readonly { creditId: string; suggestions: readonly Suggestion[] }[],
): Promise<void> {
  const rows = list.flatMap(({ creditId, suggestions }) =>
    suggestions.map((s, i) => ({ creditId, rank: i + 1, s, t: targetColumns(s.target) })),
  );
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO bank_credit_suggestions (credit_id, rank, debtor_id, target_kind, target_debt_id,
       target_agreement_id, target_installment, report_payment_id, owed_cents, score, reasons)
     SELECT u.credit_id, u.rank, u.debtor_id, u.target_kind, u.target_debt_id, u.target_agreement_id,
            u.target_installment, u.report_payment_id, u.owed, u.score,
            string_to_array(u.reasons, ',')
     FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::int[],
                 $8::uuid[], $9::bigint[], $10::int[], $11::text[])
       AS u(credit_id, rank, debtor_id, target_kind, target_debt_id, target_agreement_id,
            target_installment, report_payment_id, owed, score, reasons)`,
    [
      rows.map((r) => r.creditId),
      rows.map((r) => r.rank),
      rows.map((r) => r.s.debtorId),
      rows.map((r) => r.t.target_kind),
      rows.map((r) => r.t.target_debt_id),
      rows.map((r) => r.t.target_agreement_id),
      rows.map((r) => r.t.target_installment),
      rows.map((r) => r.s.reportId),
      rows.map((r) => r.s.owed),
      rows.map((r) => r.s.score),
      rows.map((r) => r.s.reasons.join(',')),
    ],
  );
}

export interface CreditRow {
  id: string;
  statement_id: string;
  account_key: string;
  fitid: string;
  posted_on: string;
  amount_cents: number;
  payer_name: string | null;
  payer_document: string | null;
  memo: string | null;
  txid: string | null;
  status: 'auto_confirmed' | 'confirmed' | 'suggested' | 'unmatched' | 'ignored';
  debtor_id: string | null;
  target_kind: string | null;
  target_debt_id: string | null;
  target_agreement_id: string | null;
  target_installment: number | null;
  confirmed_as: 'record' | 'report' | 'link' | null;
  refund_due_cents: number;
  decided_by: string | null;
  decided_at: Date | null;
  undone_at: Date | null;
  note: string | null;
  created_at: Date;
}

interface SuggestionRow {
  credit_id: string;
  rank: number;
  debtor_id: string;
  debtor_name: string;
  target_kind: string;
  target_debt_id: string | null;
  target_agreement_id: string | null;
  target_installment: number | null;
  report_payment_id: string | null;
  owed_cents: number;
  score: number;
  reasons: string[];
  debt_description: string | null;
  debt_due_on: string | null;
}

/** A page of credits for review, with suggestions and names. */
export async function listCredits(
  q: Queryable,
  filter: {
    statuses: readonly string[];
    statementId?: string;
    after?: string;
    id?: string;
    limit: number;
  },
) {
  const params: unknown[] = [filter.statuses, filter.limit];
  let where = 'c.status = ANY($1::text[])';
  if (filter.id !== undefined) {
    params.push(filter.id);
    where += ` AND c.id = $${params.length}`;
  }
  if (filter.statementId !== undefined) {
    params.push(filter.statementId);
    where += ` AND c.statement_id = $${params.length}`;
  }
  if (filter.after !== undefined) {
    params.push(filter.after);
    where += ` AND c.id < $${params.length}`;
  }
  const credits = await q.query<CreditRow & { debtor_name: string | null }>(
    `SELECT c.*, d.name AS debtor_name FROM bank_credits c
     LEFT JOIN debtors d ON d.id = c.debtor_id
     WHERE ${where} ORDER BY c.id DESC LIMIT $2`,
    params,
  );
  const ids = credits.map((c) => c.id);
  const [suggestions, payments] = await Promise.all([
    q.query<SuggestionRow>(
      `SELECT s.*, d.name AS debtor_name, t.description AS debt_description, t.due_on AS debt_due_on
       FROM bank_credit_suggestions s JOIN debtors d ON d.id = s.debtor_id
       LEFT JOIN debts t ON t.id = s.target_debt_id
       WHERE s.credit_id = ANY($1::uuid[]) ORDER BY s.credit_id, s.rank`,
      [ids],
    ),
    q.query<{ id: string; bank_credit_id: string; status: string; amount_cents: number }>(
      `SELECT id, bank_credit_id, status, amount_cents FROM payments
       WHERE bank_credit_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [ids],
    ),
  ]);
  return credits.map((c) => ({
    ...creditJson(c),
    debtorName: c.debtor_name,
    suggestions: suggestions
      .filter((s) => s.credit_id === c.id)
      .map((s) => ({
        rank: s.rank,
        debtorId: s.debtor_id,
        debtorName: s.debtor_name,
        target: targetOfColumns(s),
        debt:
          s.target_debt_id === null
            ? null
            : { id: s.target_debt_id, description: s.debt_description, dueDate: s.debt_due_on },
        reportPaymentId: s.report_payment_id,
        owed: s.owed_cents,
        score: s.score,
        reasons: s.reasons,
      })),
    payments: payments
      .filter((p) => p.bank_credit_id === c.id)
      .map((p) => ({ id: p.id, status: p.status, amount: p.amount_cents })),
  }));
}

export function creditJson(c: CreditRow) {
  return {
    id: c.id,
    statementId: c.statement_id,
    account: c.account_key,
    fitid: c.fitid,
    postedOn: c.posted_on,
    amount: c.amount_cents,
    payerName: c.payer_name,
    payerDocument: c.payer_document,
    memo: c.memo,
    txid: c.txid,
    status: c.status,
    debtorId: c.debtor_id,
    target: targetOfColumns(c),
    confirmedAs: c.confirmed_as ?? null,
    refundDue: c.refund_due_cents,
    decidedBy: c.decided_by,
    decidedAt: c.decided_at?.toISOString() ?? null,
    undoneAt: c.undone_at?.toISOString() ?? null,
    note: c.note,
  };
}
