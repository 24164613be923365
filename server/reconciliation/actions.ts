/**
 * What a person does with a credit in Revisão, each in one transaction, audited:
 * - confirm: the credit pays the chosen target (a suggestion's, or one picked by hand); the same
 *   money already in the ledger is linked or its report confirmed, never recorded twice; money
 *   beyond what is open only as a credit to return;
 * - undo: takes back exactly what the confirmation (automatic or not) did — payments it created
 *   are 'reversed', a report it confirmed is pending again, a payment it linked is only unlinked —
 *   and the credit returns to review with its target as the first suggestion; debts and
 *   agreements follow (reopened);
 * - ignore: not collection money (a supplier's refund, a transfer between own accounts).
 */
import { cents } from '#shared/money/money';
import { planPayment, type PaymentTarget } from '#shared/ledger/plan-payment';
import { addDays, type CalendarDate } from '#shared/time/calendar-date';
import { audit } from '../db/audit';
import type { Db, Tx } from '../db/db';
import { updateEntity } from '../db/write';
import { loadDebtorFacts } from '../ledger/debtor-state';
import { conflict, notFound } from '../ledger/http';
import {
  BANK_METHODS,
  confirmReport,
  planProblem,
  recordPlanned,
  SAME_MONEY_WINDOW_DAYS,
} from '../ledger/money';
import { refreshDebtors } from '../ledger/refresh';
import type { PaymentRow } from '../ledger/rows';
import { loadLedgerSettings, todayFor } from '../ledger/settings';
import { LedgerBook, type Decision } from './match';
import {
  targetColumns,
  targetOfColumns,
  writeSuggestions,
  type CreditRow,
} from './suggestions.repo';

interface Actor {
  id: string;
  ip: string | null;
}

async function creditFor(tx: Tx, id: string): Promise<CreditRow> {
  const [row] = await tx.query<CreditRow>('SELECT * FROM bank_credits WHERE id = $1 FOR UPDATE', [
    id,
  ]);
  if (!row) throw notFound('crédito');
  return row;
}

export interface ConfirmInput {
  debtorId: string;
  target: PaymentTarget;
  /** A pending report this credit is the bank's copy of. */
  reportPaymentId?: string;
  creditToReturn: boolean;
}

/** Confirms a credit that waited in review. */
export async function confirmCredit(
  db: Db,
  creditId: string,
  input: ConfirmInput,
  actor: Actor,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const credit = await creditFor(tx, creditId);
    if (credit.status !== 'suggested' && credit.status !== 'unmatched')
      throw conflict('credit-decided', 'este crédito já foi conciliado ou ignorado');
    const settings = await loadLedgerSettings(tx);
    const today = todayFor(settings, now);
    const facts = (await loadDebtorFacts(tx, [input.debtorId])).get(input.debtorId);
    if (!facts) throw notFound('devedor');
    const book = new LedgerBook(new Map([[input.debtorId, facts]]));
    const ledger = book.ledger(input.debtorId, credit.posted_on as CalendarDate);
    if (!ledger) throw notFound('devedor');
    if (input.target.kind === 'debt') {
      const debtId = input.target.debtId;
      if (!facts.debts.some((d) => d.id === debtId)) throw notFound('dívida');
    }
    if (input.target.kind === 'installment') {
      const agreementId = input.target.agreementId;
      if (!facts.agreements.some((a) => a.id === agreementId)) throw notFound('acordo');
    }
    const from = addDays(credit.posted_on as CalendarDate, -SAME_MONEY_WINDOW_DAYS);
    const to = addDays(credit.posted_on as CalendarDate, 1);
    const isSame = (p: PaymentRow) =>
      p.amount_cents === credit.amount_cents &&
      (BANK_METHODS as readonly string[]).includes(p.method) &&
      p.paid_on >= from &&
      p.paid_on <= to;
    let how: Decision['kind'];
    const linked = facts.payments.find(
      (p) => p.status === 'confirmed' && p.bank_credit_id === null && isSame(p),
    );
    const report = input.reportPaymentId
      ? facts.payments.find((p) => p.id === input.reportPaymentId)
      : facts.payments.find((p) => p.status === 'pending' && isSame(p));
    if (input.reportPaymentId && report?.status !== 'pending')
      throw conflict(
        'report-not-pending',
        'o informe do cobrador não está mais aguardando conferência',
      );
    if (report) {
      how = 'report';
      await confirmReport(tx, report, {
        actor: actor.id,
        now,
        today,
        settings,
        creditToReturn: input.creditToReturn,
        bankCreditId: credit.id,
      });
    } else if (linked) {
      how = 'link';
      await updateEntity(tx, 'payment', linked.id, { bank_credit_id: credit.id });
    } else {
      how = 'record';
      const plan = planPayment(ledger, input.target, cents(credit.amount_cents));
      if (plan.problem === 'agreement_not_active' || plan.problem === 'unknown_target')
        throw planProblem(plan, 'target');
      await recordPlanned(
        tx,
        {
          debtorId: input.debtorId,
          plan,
          amount: cents(credit.amount_cents),
          date: credit.posted_on as CalendarDate,
          method: 'pix',
          reference: credit.fitid.slice(0, 80),
          pixTxid: credit.txid,
          bankCreditId: credit.id,
          actor: actor.id,
          now,
          creditToReturn: input.creditToReturn,
        },
        input.target.kind === 'debt' ? input.target.debtId : null,
      );
    }
    const t = targetColumns(input.target);
    await tx.query(
      `UPDATE bank_credits SET status = 'confirmed', debtor_id = $2, target_kind = $3,
         target_debt_id = $4, target_agreement_id = $5, target_installment = $6, confirmed_as = $7,
         decided_by = $8, decided_at = $9
       WHERE id = $1`,
      [
        credit.id,
        input.debtorId,
        t.target_kind,
        t.target_debt_id,
        t.target_agreement_id,
        t.target_installment,
        how,
        actor.id,
        now,
      ],
    );
    await audit(tx, {
      actor: actor.id,
      ip: actor.ip,
      action: 'reconciliation.confirm',
      entity: 'bank_credit',
      entityId: credit.id,
      detail: {
        fitid: credit.fitid,
        amount: credit.amount_cents,
        debtorId: input.debtorId,
        target: input.target,
        how,
        creditToReturn: input.creditToReturn,
      },
    });
    await refreshDebtors(tx, [input.debtorId], settings, today, actor.id);
  });
}

/** Takes back a confirmation (see the module comment). */
export async function undoCredit(
  db: Db,
  creditId: string,
  reason: string,
  actor: Actor,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const credit = await creditFor(tx, creditId);
    if (credit.status === 'ignored') {
      await tx.query(
        `UPDATE bank_credits SET status = 'unmatched', undone_at = $2, undone_by = $3, note = $4 WHERE id = $1`,
        [credit.id, now, actor.id, reason],
      );
      await audit(tx, {
        actor: actor.id,
        ip: actor.ip,
        action: 'reconciliation.unignore',
        entity: 'bank_credit',
        entityId: credit.id,
        detail: { reason },
      });
      return;
    }
    if (credit.status !== 'auto_confirmed' && credit.status !== 'confirmed')
      throw conflict('credit-not-confirmed', 'só um crédito conciliado pode ser desfeito');
    const payments = await tx.query<PaymentRow>(
      'SELECT * FROM payments WHERE bank_credit_id = $1 ORDER BY created_at, id',
      [credit.id],
    );
    const debtors = new Set<string>(credit.debtor_id ? [credit.debtor_id] : []);
    for (const p of payments) {
      debtors.add(p.debtor_id);
      if (p.receipt_number !== null && p.status === 'confirmed')
        // A collector's report the credit confirmed: waiting for the office again.
        await updateEntity(tx, 'payment', p.id, {
          status: 'pending',
          bank_credit_id: null,
          agreement_id: null,
          refund_due_cents: 0,
          reconciled_by: null,
          reconciled_at: null,
        });
      else if (credit.confirmed_as === 'link' && p.status === 'confirmed')
        await updateEntity(tx, 'payment', p.id, { bank_credit_id: null });
      else if (p.status === 'confirmed' || p.status === 'merged')
        await updateEntity(tx, 'payment', p.id, {
          status: 'reversed',
          merged_into: null,
          rejection_reason: `conciliação desfeita: ${reason}`,
        });
    }
    const settings = await loadLedgerSettings(tx);
    await refreshDebtors(tx, [...debtors], settings, todayFor(settings, now), actor.id);
    // Back to review with what it had paid as the first suggestion, figured after the undo.
    const previous = targetOfColumns(credit);
    const [{ n } = { n: 0 }] = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM bank_credit_suggestions WHERE credit_id = $1',
      [credit.id],
    );
    if (Number(n) === 0 && previous && credit.debtor_id) {
      const facts = (await loadDebtorFacts(tx, [credit.debtor_id])).get(credit.debtor_id);
      const ledger = facts
        ? new LedgerBook(new Map([[credit.debtor_id, facts]])).ledger(
            credit.debtor_id,
            credit.posted_on as CalendarDate,
          )
        : null;
      const plan = ledger ? planPayment(ledger, previous, cents(credit.amount_cents)) : null;
      await writeSuggestions(tx, [
        {
          creditId: credit.id,
          suggestions: [
            {
              debtorId: credit.debtor_id,
              target: previous,
              reportId: null,
              owed: plan?.owed ?? cents(0),
              score: 0,
              reasons: [
                ...(credit.txid ? (['txid'] as const) : []),
                'desfeito',
                ...(plan && plan.surplus > 0 ? (['acima'] as const) : []),
              ],
            },
          ],
        },
      ]);
    }
    await tx.query(
      `UPDATE bank_credits SET status = CASE WHEN debtor_id IS NULL THEN 'unmatched' ELSE 'suggested' END,
         target_kind = NULL, target_debt_id = NULL, target_agreement_id = NULL,
         target_installment = NULL, confirmed_as = NULL, refund_due_cents = 0,
         undone_at = $2, undone_by = $3, note = $4
       WHERE id = $1`,
      [credit.id, now, actor.id, reason],
    );
    await audit(tx, {
      actor: actor.id,
      ip: actor.ip,
      action: 'reconciliation.undo',
      entity: 'bank_credit',
      entityId: credit.id,
      detail: {
        reason,
        was: credit.status,
        how: credit.confirmed_as,
        payments: payments.map((p) => p.id),
        amount: credit.amount_cents,
      },
    });
  });
}

/** Marks a credit as not collection money. */
export async function ignoreCredit(
  db: Db,
  creditId: string,
  reason: string,
  actor: Actor,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const credit = await creditFor(tx, creditId);
    if (credit.status !== 'suggested' && credit.status !== 'unmatched')
      throw conflict('credit-decided', 'só um crédito em revisão pode ser ignorado');
    await tx.query(
      `UPDATE bank_credits SET status = 'ignored', note = $2, decided_by = $3, decided_at = $4 WHERE id = $1`,
      [credit.id, reason, actor.id, now],
    );
    await audit(tx, {
      actor: actor.id,
      ip: actor.ip,
      action: 'reconciliation.ignore',
      entity: 'bank_credit',
      entityId: credit.id,
      detail: { reason, amount: credit.amount_cents, fitid: credit.fitid },
    });
  });
}

/** Records that a credit to return (a surplus) was returned to the payer. */
export async function markRefunded(
  db: Db,
  paymentId: string,
  actor: Actor,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [p] = await tx.query<PaymentRow>('SELECT * FROM payments WHERE id = $1', [paymentId]);
    if (!p) throw notFound('pagamento');
    if (p.refund_due_cents <= 0 || p.refunded_at !== null)
      throw conflict('nothing-to-return', 'este pagamento não tem crédito a devolver em aberto');
    await updateEntity(tx, 'payment', p.id, { refunded_at: now, refunded_by: actor.id });
    await audit(tx, {
      actor: actor.id,
      ip: actor.ip,
      action: 'payment.refunded',
      entity: 'payment',
      entityId: p.id,
      detail: { amount: p.refund_due_cents },
    });
  });
}
