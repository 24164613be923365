/**
 * What becomes of each credit (decided in memory, once the SQL has found the candidates):
 *
 * - A credit whose txid names a debt, an installment or a debtor, and whose amount is one the
 *   debtor was asked for on the credit's day (`planPayment(...).exact`), is confirmed without a
 *   person. If the same money is already in the ledger it is not recorded again: a confirmed
 *   payment with no bank credit (the office typed it) is linked to the credit; a collector's
 *   pending report of it (same debtor, amount, within 7 days, PIX or transfer) is confirmed with
 *   the credit.
 * - Any other credit gets suggestions for Revisão, ranked: the txid's target (partial, above what
 *   is open, agreement no longer active), and debtors found by CPF/CNPJ (+60), name (+40, +25 for
 *   a truncated one), a pending report of that amount (+30), an open installment (+10) or promise
 *   (+10) near the day, plus +40 when the amount is exactly what a target owed that day. At most
 *   three; a candidate needs 40 points and a document, a name or an exact amount. Two debts with
 *   the same amount are both suggested: only a txid lets money confirm itself.
 * - Nothing fits: unmatched, listed for the owner.
 * Credits are decided in the order of their day, and money confirmed for one counts for the next
 * (two installments paid in one statement both land).
 */
import { cents, type Cents } from '#shared/money/money';
import { debtorLedger, type DebtorLedger, type LedgerPayment } from '#shared/ledger/debtor-ledger';
import { planPayment, type PaymentPlan, type PaymentTarget } from '#shared/ledger/plan-payment';
import { addDays, type CalendarDate } from '#shared/time/calendar-date';
import type { DebtorFacts } from '../ledger/debtor-state';
import { ledgerInputs } from '../ledger/ledger-view';
import { BANK_METHODS, SAME_MONEY_WINDOW_DAYS } from '../ledger/money';
import type { PaymentRow } from '../ledger/rows';
import type { CandidateReason, StagedCredit, TxidTarget } from './credits.repo';

export type SuggestionReason =
  | CandidateReason
  | 'txid'
  | 'parcial'
  | 'acima'
  | 'acordo_inativo'
  | 'desfeito';

export interface Suggestion {
  debtorId: string;
  target: PaymentTarget;
  /** A pending field report this credit would confirm. */
  reportId: string | null;
  owed: Cents;
  score: number;
  reasons: SuggestionReason[];
}

export type Decision =
  | {
      kind: 'link';
      credit: StagedCredit;
      debtorId: string;
      target: PaymentTarget;
      payment: PaymentRow;
    }
  | {
      kind: 'report';
      credit: StagedCredit;
      debtorId: string;
      target: PaymentTarget;
      report: PaymentRow;
      plan: PaymentPlan;
    }
  | {
      kind: 'record';
      credit: StagedCredit;
      debtorId: string;
      target: PaymentTarget;
      plan: PaymentPlan;
    }
  | { kind: 'suggest'; credit: StagedCredit; suggestions: Suggestion[] }
  | { kind: 'unmatched'; credit: StagedCredit };

const WEIGHTS: Record<CandidateReason, number> = {
  cpf: 60,
  nome: 40,
  nome_parcial: 25,
  informe: 30,
  parcela: 10,
  promessa: 10,
  valor: 0,
};
const EXACT = 40;
const MIN_SCORE = 40;
const MAX_SUGGESTIONS = 3;

/** The ledgers of the debtors a statement touches, with the money this run already confirmed. */
export class LedgerBook {
  private readonly inputs = new Map<string, ReturnType<typeof ledgerInputs>>();
  private readonly extra = new Map<string, LedgerPayment[]>();
  readonly used = new Set<string>();
  readonly facts: Map<string, DebtorFacts>;
  constructor(facts: Map<string, DebtorFacts>) {
    this.facts = facts;
  }

  ledger(debtorId: string, asOf: CalendarDate): DebtorLedger | null {
    const facts = this.facts.get(debtorId);
    if (!facts) return null;
    let base = this.inputs.get(debtorId);
    if (!base) {
      base = ledgerInputs(facts);
      this.inputs.set(debtorId, base);
    }
    return debtorLedger({
      ...base,
      payments: [...base.payments, ...(this.extra.get(debtorId) ?? [])],
      asOf,
    });
  }

  /** Counts money confirmed by this run for the next credits. */
  add(debtorId: string, plan: PaymentPlan, date: CalendarDate, id: string): void {
    const list = this.extra.get(debtorId) ?? [];
    for (const part of plan.parts)
      list.push({
        id,
        debtId: part.debtId,
        agreementId: part.agreementId,
        date,
        amount: part.amount,
      });
    this.extra.set(debtorId, list);
  }
}

function sameMoney(p: PaymentRow, credit: StagedCredit): boolean {
  return (
    p.amount_cents === credit.amount &&
    (BANK_METHODS as readonly string[]).includes(p.method) &&
    p.paid_on >= addDays(credit.postedOn, -SAME_MONEY_WINDOW_DAYS) &&
    p.paid_on <= addDays(credit.postedOn, 1)
  );
}

/** Whether a payment about `debtId`/`agreementId` is money for `target`. */
function forTarget(p: PaymentRow, target: PaymentTarget, ledger: DebtorLedger): boolean {
  if (target.kind === 'debtor') return true;
  if (target.kind === 'installment') {
    const a = ledger.agreements.find((x) => x.id === target.agreementId);
    return (
      p.agreement_id === target.agreementId ||
      (p.debt_id !== null && !!a?.debtIds.includes(p.debt_id))
    );
  }
  if (p.debt_id === target.debtId) return true;
  const a = ledger.agreements.find(
    (x) => x.status === 'active' && x.debtIds.includes(target.debtId),
  );
  return a !== undefined && p.agreement_id === a.id;
}

function targetOf(t: TxidTarget): PaymentTarget {
  if (t.kind === 'debt') return { kind: 'debt', debtId: t.debtId };
  if (t.kind === 'installment')
    return { kind: 'installment', agreementId: t.agreementId, number: t.number };
  return { kind: 'debtor' };
}

function problemReason(plan: PaymentPlan): SuggestionReason[] {
  if (plan.problem === 'above_open' || plan.problem === 'nothing_open') return ['acima'];
  if (plan.problem === 'agreement_not_active') return ['acordo_inativo'];
  if (!plan.exact) return ['parcial'];
  return [];
}

/** Decides one credit whose txid was resolved. */
function decideNamed(credit: StagedCredit, named: TxidTarget, book: LedgerBook): Decision {
  const target = targetOf(named);
  const facts = book.facts.get(named.debtorId);
  const ledger = book.ledger(named.debtorId, credit.postedOn);
  if (!facts || !ledger) return { kind: 'unmatched', credit };
  const linked = facts.payments.find(
    (p) =>
      p.status === 'confirmed' &&
      p.bank_credit_id === null &&
      !book.used.has(p.id) &&
      sameMoney(p, credit) &&
      forTarget(p, target, ledger),
  );
  if (linked) return { kind: 'link', credit, debtorId: named.debtorId, target, payment: linked };
  const plan = planPayment(ledger, target, cents(credit.amount));
  const report = facts.payments.find(
    (p) =>
      p.status === 'pending' &&
      !book.used.has(p.id) &&
      sameMoney(p, credit) &&
      forTarget(p, target, ledger),
  );
  if (plan.exact && plan.problem === null && plan.surplus === 0) {
    if (report) return { kind: 'report', credit, debtorId: named.debtorId, target, report, plan };
    return { kind: 'record', credit, debtorId: named.debtorId, target, plan };
  }
  return {
    kind: 'suggest',
    credit,
    suggestions: [
      {
        debtorId: named.debtorId,
        target,
        reportId: report?.id ?? null,
        owed: plan.owed,
        score: 100,
        reasons: ['txid', ...problemReason(plan)],
      },
    ],
  };
}

/** Ranks the candidates of a credit without a usable txid. */
function suggest(
  credit: StagedCredit,
  candidates: Map<string, Set<CandidateReason>>,
  book: LedgerBook,
): Suggestion[] {
  const out: Suggestion[] = [];
  const amount = cents(credit.amount);
  for (const [debtorId, reasons] of candidates) {
    const ledger = book.ledger(debtorId, credit.postedOn);
    const facts = book.facts.get(debtorId);
    if (!ledger || !facts) continue;
    const base = [...reasons].reduce((sum, r) => sum + WEIGHTS[r], 0);
    const identified = reasons.has('cpf') || reasons.has('nome') || reasons.has('nome_parcial');
    const targets: { target: PaymentTarget; extra: SuggestionReason[]; reportId: string | null }[] =
      [];
    for (const d of ledger.debts)
      if (d.status === 'open' && d.agreementId === null && d.breakdown.totalDue > 0)
        targets.push({ target: { kind: 'debt', debtId: d.id }, extra: [], reportId: null });
    for (const a of ledger.agreements)
      if (a.status === 'active' && a.next)
        targets.push({
          target: { kind: 'installment', agreementId: a.id, number: a.next.number },
          extra: reasons.has('parcela') ? ['parcela'] : [],
          reportId: null,
        });
    if (targets.length > 1) targets.push({ target: { kind: 'debtor' }, extra: [], reportId: null });
    const report = facts.payments.find(
      (p) => p.status === 'pending' && !book.used.has(p.id) && sameMoney(p, credit),
    );
    if (report?.debt_id)
      targets.unshift({
        target: { kind: 'debt', debtId: report.debt_id },
        extra: ['informe'],
        reportId: report.id,
      });
    for (const t of targets) {
      const plan = planPayment(ledger, t.target, amount);
      if (plan.problem === 'unknown_target' || plan.problem === 'agreement_not_active') continue;
      const exact = plan.exact && plan.surplus === 0;
      // A report or an installment speaks only for its own target.
      const score =
        base -
        (reasons.has('informe') && t.reportId === null ? WEIGHTS.informe : 0) -
        (reasons.has('parcela') && t.target.kind !== 'installment' ? WEIGHTS.parcela : 0) +
        (exact ? EXACT : 0);
      if (score < MIN_SCORE || !(identified || exact)) continue;
      const why = new Set<SuggestionReason>(
        [...reasons].filter((r) => r !== 'informe' && r !== 'parcela' && r !== 'valor'),
      );
      for (const r of t.extra) why.add(r);
      if (exact) why.add('valor');
      else why.add(plan.surplus > 0 ? 'acima' : 'parcial');
      out.push({
        debtorId,
        target: t.target,
        reportId: t.reportId,
        owed: plan.owed,
        score,
        reasons: [...why],
      });
    }
  }
  return out
    .sort((a, b) => b.score - a.score || Math.abs(a.owed - amount) - Math.abs(b.owed - amount))
    .slice(0, MAX_SUGGESTIONS);
}

/** Decides every new credit (see the module comment). */
export function decide(
  credits: readonly StagedCredit[],
  named: Map<string, TxidTarget>,
  candidates: Map<string, Map<string, Set<CandidateReason>>>,
  book: LedgerBook,
): Decision[] {
  const ordered = [...credits].sort((a, b) =>
    a.postedOn < b.postedOn ? -1 : a.postedOn > b.postedOn ? 1 : a.fitid < b.fitid ? -1 : 1,
  );
  const decisions: Decision[] = [];
  for (const credit of ordered) {
    const t = named.get(credit.id);
    let decision: Decision;
    if (t) decision = decideNamed(credit, t, book);
    else {
      const suggestions = suggest(credit, candidates.get(credit.id) ?? new Map(), book);
      decision =
        suggestions.length > 0
          ? { kind: 'suggest', credit, suggestions }
          : { kind: 'unmatched', credit };
    }
    if (decision.kind === 'link') book.used.add(decision.payment.id);
    if (decision.kind === 'report') {
      book.used.add(decision.report.id);
      book.add(decision.debtorId, decision.plan, credit.postedOn, decision.report.id);
    }
    if (decision.kind === 'record')
      book.add(decision.debtorId, decision.plan, credit.postedOn, credit.id);
    decisions.push(decision);
  }
  return decisions;
}
