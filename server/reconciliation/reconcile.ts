/**
 * Reconciling a bank statement (conciliação): read the file, keep the credits, store the ones not
 * seen before (idempotent on account + FITID: the same statement twice changes nothing), name
 * what each pays (txid join), find candidates for the rest, decide (./match.ts) and write the
 * outcome — payments, confirmed reports, links, suggestions, statuses, audit entries and the
 * debtors' refreshed verdicts — in one transaction, set-based: a constant number of statements
 * whatever the number of credits. A file that cannot be read writes nothing.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { uuidv7 } from 'uuidv7';
import { findQuitaTxids } from '#shared/pix/pix-txid';
import { findDocuments, nameKey, payerNameKey } from '#shared/reconciliation/payer';
import type { Db, Tx } from '../db/db';
import { insertEntities, updateEntities } from '../import/bulk-write';
import { loadMoneyFacts } from '../ledger/debtor-state';
import { ruleProblem } from '../ledger/http';
import { refreshDebtors } from '../ledger/refresh';
import { loadLedgerSettings, todayFor } from '../ledger/settings';
import {
  candidateDebtors,
  insertCredits,
  seenBefore,
  txidTargets,
  type StagedCredit,
} from './credits.repo';
import { decide, LedgerBook, type Decision, type Suggestion } from './match';
import { parseStatement, StatementError, type ParsedStatement } from './statement';
import { writeSuggestions, targetColumns } from './suggestions.repo';

export interface ReconcileSummary {
  statementId: string | null;
  format: ParsedStatement['format'];
  accounts: string[];
  /** Credit lines in the file. */
  credits: number;
  autoConfirmed: number;
  suggested: number;
  unmatched: number;
  alreadySeen: number;
  /** Debit lines (money out), not reconciled. */
  debits: number;
}

/** At most this many candidate debtors per credit found only by amount (popular amounts). */
const MAX_AMOUNT_ONLY = 20;

/** The credits of a parsed statement, with txid, payer document and name read from the text. */
export function stageCredits(parsed: ParsedStatement): StagedCredit[] {
  return parsed.lines
    .filter((l) => l.amount > 0)
    .map((l) => {
      const text = [l.name, l.memo].filter((x): x is string => x !== null).join(' ');
      const key = l.name !== null ? nameKey(l.name) : payerNameKey(l.memo ?? '');
      return {
        id: uuidv7(),
        accountKey: l.accountKey,
        fitid: l.fitid,
        postedOn: l.postedOn,
        amount: l.amount,
        payerName: l.name ?? null,
        payerDocument: findDocuments(text)[0] ?? null,
        nameKey: key.split(' ').length >= 2 ? key : '',
        memo: l.memo,
        txid: findQuitaTxids(text)[0] ?? null,
      };
    });
}

/** The file read, or a 422 problem with the reason in pt-BR (nothing written). */
export function readStatement(bytes: Uint8Array): ParsedStatement {
  try {
    return parseStatement(bytes);
  } catch (error) {
    if (error instanceof StatementError)
      throw ruleProblem('statement-invalid', error.message, {
        errors: [{ field: 'file', message: error.message }],
      });
    throw error;
  }
}

function auditDetail(d: Exclude<Decision, { kind: 'suggest' } | { kind: 'unmatched' }>) {
  return {
    fitid: d.credit.fitid,
    amount: d.credit.amount,
    postedOn: d.credit.postedOn,
    txid: d.credit.txid,
    debtorId: d.debtorId,
    target: d.target,
    how: d.kind,
    ...(d.kind === 'link' ? { paymentId: d.payment.id } : {}),
    ...(d.kind === 'report' ? { paymentId: d.report.id } : {}),
  };
}

/** Writes the decisions of one run (see the module comment). */
async function writeDecisions(
  tx: Tx,
  decisions: readonly Decision[],
  actor: string,
  now: Date,
): Promise<Set<string>> {
  const touched = new Set<string>();
  const newPayments: Record<string, unknown>[] = [];
  const reports: Record<string, unknown>[] = [];
  const links: Record<string, unknown>[] = [];
  const confirmed: Record<string, unknown>[] = [];
  const suggested: { creditId: string; suggestions: Suggestion[] }[] = [];
  const audits: { id: string; detail: Record<string, unknown> }[] = [];
  const statuses: { id: string; status: string }[] = [];
  for (const d of decisions) {
    if (d.kind === 'unmatched') {
      statuses.push({ id: d.credit.id, status: 'unmatched' });
      continue;
    }
    if (d.kind === 'suggest') {
      statuses.push({ id: d.credit.id, status: 'suggested' });
      suggested.push({ creditId: d.credit.id, suggestions: d.suggestions });
      continue;
    }
    touched.add(d.debtorId);
    confirmed.push({
      id: d.credit.id,
      debtor_id: d.debtorId,
      confirmed_as: d.kind,
      ...targetColumns(d.target),
    });
    audits.push({ id: d.credit.id, detail: auditDetail(d) });
    if (d.kind === 'link') links.push({ id: d.payment.id, bank_credit_id: d.credit.id });
    else if (d.kind === 'report') {
      const part = d.plan.parts[0];
      // The report keeps the debt it named; money for an agreement-covered debt is the agreement's.
      reports.push({
        id: d.report.id,
        status: 'confirmed',
        bank_credit_id: d.credit.id,
        agreement_id: part?.agreementId ?? null,
        reconciled_by: actor,
        reconciled_at: now,
      });
    } else
      for (const part of d.plan.parts)
        newPayments.push({
          id: uuidv7(),
          debtor_id: d.debtorId,
          debt_id: part.agreementId === null ? part.debtId : null,
          agreement_id: part.agreementId,
          amount_cents: part.amount,
          paid_on: d.credit.postedOn,
          method: 'pix',
          status: 'confirmed',
          reference: d.credit.fitid.slice(0, 80),
          pix_txid: d.credit.txid,
          bank_credit_id: d.credit.id,
          reported_by: actor,
          reconciled_by: actor,
          reconciled_at: now,
        });
  }
  await insertEntities(
    tx,
    'payment',
    {
      id: 'uuid',
      debtor_id: 'uuid',
      debt_id: 'uuid',
      agreement_id: 'uuid',
      amount_cents: 'bigint',
      paid_on: 'date',
      method: 'text',
      status: 'text',
      reference: 'text',
      pix_txid: 'text',
      bank_credit_id: 'uuid',
      reported_by: 'uuid',
      reconciled_by: 'uuid',
      reconciled_at: 'timestamptz',
    },
    newPayments,
  );
  await updateEntities(
    tx,
    'payment',
    {
      id: 'uuid',
      status: 'text',
      bank_credit_id: 'uuid',
      agreement_id: 'uuid',
      reconciled_by: 'uuid',
      reconciled_at: 'timestamptz',
    },
    reports,
  );
  await updateEntities(tx, 'payment', { id: 'uuid', bank_credit_id: 'uuid' }, links);
  if (statuses.length > 0)
    await tx.query(
      `UPDATE bank_credits c SET status = u.status
       FROM unnest($1::uuid[], $2::text[]) AS u(id, status) WHERE c.id = u.id`,
      [statuses.map((s) => s.id), statuses.map((s) => s.status)],
    );
  if (confirmed.length > 0)
    await tx.query(
      `UPDATE bank_credits c SET status = 'auto_confirmed', debtor_id = u.debtor_id,
         target_kind = u.target_kind, target_debt_id = u.target_debt_id,
         target_agreement_id = u.target_agreement_id, target_installment = u.target_installment,
         confirmed_as = u.confirmed_as, decided_at = $8
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::int[], $7::text[])
         AS u(id, debtor_id, target_kind, target_debt_id, target_agreement_id, target_installment,
              confirmed_as)
       WHERE c.id = u.id`,
      [
        confirmed.map((c) => c['id']),
        confirmed.map((c) => c['debtor_id']),
        confirmed.map((c) => c['target_kind']),
        confirmed.map((c) => c['target_debt_id']),
        confirmed.map((c) => c['target_agreement_id']),
        confirmed.map((c) => c['target_installment']),
        confirmed.map((c) => c['confirmed_as']),
        now,
      ],
    );
  await writeSuggestions(tx, suggested);
  if (audits.length > 0)
    await tx.query(
      `INSERT INTO audit_log (actor_id, action, entity, entity_id, detail)
       SELECT $1, 'reconciliation.auto_confirm', 'bank_credit', u.id, u.detail
       FROM unnest($2::text[], $3::jsonb[]) AS u(id, detail)`,
      [actor, audits.map((a) => a.id), audits.map((a) => JSON.stringify(a.detail))],
    );
  return touched;
}

/** Reconciles one statement file uploaded by `actor` (owner or staff). */
export async function reconcileStatement(
  db: Db,
  input: {
    bytes: Uint8Array;
    actor: string;
    now: Date;
    ip?: string | null;
    /** Receives each phase's duration (profiling; the bench and `--profile` use it). */
    profile?: (phase: string, ms: number) => void;
  },
): Promise<ReconcileSummary> {
  let mark = performance.now();
  const lap = (phase: string) => {
    const now = performance.now();
    input.profile?.(phase, now - mark);
    mark = now;
  };
  const parsed = readStatement(input.bytes);
  const credits = stageCredits(parsed);
  lap('parse');
  const summary: ReconcileSummary = {
    statementId: null,
    format: parsed.format,
    accounts: parsed.accountKeys,
    credits: credits.length,
    autoConfirmed: 0,
    suggested: 0,
    unmatched: 0,
    alreadySeen: 0,
    debits: parsed.lines.length - credits.length,
  };
  if (credits.length === 0) return summary;
  return db
    .transaction(async (tx) => {
      const settings = await loadLedgerSettings(tx);
      const today = todayFor(settings, input.now);
      lap('begin');
      const seen = await seenBefore(tx, credits);
      const fresh = credits.filter((_, i) => !seen.has(i));
      const result = { ...summary, alreadySeen: seen.size };
      // Nothing new: nothing is written, not even the statement's row.
      if (fresh.length === 0) return result;
      const statementId = uuidv7();
      await tx.query(
        `INSERT INTO bank_statements (id, format, account_key, period_start, period_end, file_sha256,
         uploaded_by, uploaded_at, credits, new_credits)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          statementId,
          parsed.format,
          parsed.accountKeys.join(' '),
          parsed.periodStart,
          parsed.periodEnd,
          createHash('sha256').update(input.bytes).digest('hex'),
          input.actor,
          input.now,
          credits.length,
          fresh.length,
        ],
      );
      const inserted = await insertCredits(tx, statementId, fresh, input.now);
      // A FITID repeated inside the file itself is seen once.
      const stored = fresh.filter((c) => inserted.has(c.id));
      result.alreadySeen += fresh.length - stored.length;
      lap('store credits');
      const named = await txidTargets(tx, stored);
      lap('txid join');
      const open = stored.filter((c) => !named.has(c.id));
      const candidates = await candidateDebtors(tx, open);
      for (const byDebtor of candidates.values()) {
        const amountOnly = [...byDebtor].filter(([, why]) => why.size === 1 && why.has('valor'));
        for (const [id] of amountOnly.slice(MAX_AMOUNT_ONLY)) byDebtor.delete(id);
      }
      lap('candidates');
      const debtorIds = new Set<string>();
      for (const t of named.values()) debtorIds.add(t.debtorId);
      for (const byDebtor of candidates.values())
        for (const id of byDebtor.keys()) debtorIds.add(id);
      const facts = await loadMoneyFacts(tx, [...debtorIds]);
      lap('load facts');
      const decisions = decide(stored, named, candidates, new LedgerBook(facts));
      lap('decide');
      const touched = await writeDecisions(tx, decisions, input.actor, input.now);
      lap('write');
      await refreshDebtors(tx, [...touched], settings, today, input.actor, facts);
      lap('refresh');
      for (const d of decisions) {
        if (d.kind === 'suggest') result.suggested++;
        else if (d.kind === 'unmatched') result.unmatched++;
        else result.autoConfirmed++;
      }
      await tx.query(
        `INSERT INTO audit_log (actor_id, ip, action, entity, entity_id, detail)
       VALUES ($1, $2, 'reconciliation.statement', 'bank_statement', $3, $4)`,
        [
          input.actor,
          input.ip ?? null,
          statementId,
          JSON.stringify({
            format: parsed.format,
            accounts: parsed.accountKeys,
            credits: result.credits,
            autoConfirmed: result.autoConfirmed,
            suggested: result.suggested,
            unmatched: result.unmatched,
            alreadySeen: result.alreadySeen,
          }),
        ],
      );
      return { ...result, statementId };
    })
    .finally(() => lap('commit'));
}
