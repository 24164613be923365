/**
 * The shared debtor ledger (shared/ledger/debtor-ledger.ts) over stored rows: confirmed payments
 * to debts or to agreements, agreements with their installments, covered debts and break rules.
 * Every server reader of balances goes through `ledgerOf`, so the debtor screen, the sync summary,
 * the cadence queue and reconciliation agree to the centavo.
 */
import { cents } from '#shared/money/money';
import {
  debtorLedger,
  StoredAgreementStatuses,
  type DebtorLedger,
  type LedgerAgreement,
  type LedgerDebt,
  type LedgerPayment,
  type StoredAgreementStatus,
} from '#shared/ledger/debtor-ledger';
import type { CalendarDate } from '#shared/time/calendar-date';
import { debtTerms } from './debt-terms';
import {
  agreementRulesOfRow,
  type AgreementDebtRow,
  type AgreementRow,
  type DebtRow,
  type InstallmentRow,
  type PaymentRow,
} from './rows';

/** What the ledger needs of a debtor's stored facts. */
export interface LedgerRows {
  debts: readonly DebtRow[];
  payments: readonly PaymentRow[];
  agreements: readonly AgreementRow[];
  installments: readonly InstallmentRow[];
  agreementDebts: readonly AgreementDebtRow[];
}

const isStored = (s: string): s is StoredAgreementStatus =>
  (StoredAgreementStatuses as readonly string[]).includes(s);

/** A confirmed payment as the ledger reads it: to an agreement, else to its debt. */
export function ledgerPayment(p: PaymentRow): LedgerPayment {
  return {
    id: p.id,
    debtId: p.agreement_id === null ? p.debt_id : null,
    agreementId: p.agreement_id,
    date: p.paid_on as CalendarDate,
    amount: cents(p.amount_cents),
  };
}

/** The ledger agreements of stored rows (covered debts from agreement_debts). */
export function ledgerAgreements(
  agreements: readonly AgreementRow[],
  installments: readonly InstallmentRow[],
  agreementDebts: readonly AgreementDebtRow[],
): LedgerAgreement[] {
  return agreements.flatMap((a) => {
    if (!isStored(a.status)) return [];
    return [
      {
        id: a.id,
        status: a.status,
        agreedOn: a.agreed_on as CalendarDate,
        debtIds: agreementDebts.filter((x) => x.agreement_id === a.id).map((x) => x.debt_id),
        total: cents(a.total_cents),
        concessions: cents(a.discount_cents + a.waived_fine_cents + a.waived_interest_cents),
        installments: installments
          .filter((i) => i.agreement_id === a.id)
          .map((i) => ({
            number: i.seq,
            dueDate: i.due_on as CalendarDate,
            amount: cents(i.amount_cents),
          })),
        rules: agreementRulesOfRow(a),
        brokenOn: (a.broken_on ?? null) as CalendarDate | null,
        completedOn: (a.completed_on ?? null) as CalendarDate | null,
      },
    ];
  });
}

/** The ledger's inputs from stored rows (only confirmed payments count). */
export function ledgerInputs(rows: LedgerRows): {
  debts: LedgerDebt[];
  payments: LedgerPayment[];
  agreements: ReturnType<typeof ledgerAgreements>;
} {
  return {
    debts: rows.debts.map((d) => ({ id: d.id, terms: debtTerms(d), status: d.status })),
    payments: rows.payments.filter((p) => p.status === 'confirmed').map(ledgerPayment),
    agreements: ledgerAgreements(rows.agreements, rows.installments, rows.agreementDebts),
  };
}

/** The debtor's ledger as of `asOf`, from stored rows (only confirmed payments count). */
export function ledgerOf(rows: LedgerRows, asOf: CalendarDate): DebtorLedger {
  return debtorLedger({ ...ledgerInputs(rows), asOf });
}
