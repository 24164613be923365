/**
 * The balance of one debt on a date, itemised. Rules (DESIGN.md "Late charges", reference
 * collections.md §c), and the choices the law leaves to us:
 *
 * - Multa (fine): charged once, on the first day late, on the principal still open at the end of
 *   the due date. It is a percentage "do valor da prestação" (CDC art. 52 §1), so what was already
 *   paid on time is not in default and carries no fine. Consumer debts are capped at 2%.
 * - Juros de mora: simple (no interest on interest, fine or fees), pro rata die with the 30-day
 *   commercial month — principal × monthlyBps/10 000 × days/30 — counting calendar days from the
 *   due date to the payment or `asOf`, on the principal open in each period. The exact sum is kept
 *   as one integer numerator and rounded once per event, so splitting a period never adds a
 *   centavo and the charge can only grow with time.
 * - Grace days: a payment (or `asOf`) inside the window counts as made on the due date: no fine,
 *   no interest. Once the grace period ends, both run from the due date, as if there were none.
 * - Imputation (CC art. 354: "primeiro nos juros vencidos, e depois no capital"): interest →
 *   fine → fees → principal. Art. 354 orders only interest before capital; the fine and fees are
 *   accessories like interest, so they also go before the capital. Only the principal bears
 *   interest, so the order among the three accessories changes which line is shown as paid, never
 *   the total owed.
 * - Punctuality discount: `punctualityDiscountBps` of the original principal, earned when the
 *   payments dated up to the due date settle principal + fees − discount; until the due date it is
 *   offered (deducted from `totalDue`), afterwards it is gone unless it was earned.
 * - Overpayment is never a negative balance: the surplus is `credit`, and it pays fees posted later.
 * - Payments and fees dated after `asOf` are not seen yet, so a past date gives a past balance.
 */
import { applyRateBps, cents, formatBRL, roundDiv } from '../money/money';
import { addDays, compareDates, daysBetween, type CalendarDate } from '../time/calendar-date';
import {
  CONSUMER_FINE_CAP_BPS,
  CONSUMER_USUAL_INTEREST_BPS,
  type Breakdown,
  type BreakdownLine,
  type ChargeWarning,
  type DebtTerms,
  type Imputation,
  type Payment,
} from './charges.schema';
import { formatBps } from './format-rate';

/** The order partial payments are imputed in; see the module comment for why. */
export const IMPUTATION_ORDER = ['interest', 'fine', 'fees', 'principal'] as const;
type Component = (typeof IMPUTATION_ORDER)[number];
type Amounts = Record<Component, number>;

const INTEREST_DENOMINATOR = 10_000n * 30n;

interface PaymentRecord {
  payment: Payment;
  to: Amounts;
  leftover: number;
}

function impute(records: readonly PaymentRecord[], open: Amounts): void {
  // Oldest money first: a surplus carried from an earlier payment pays a later charge before a newer payment does.
  for (const record of records) {
    for (const component of IMPUTATION_ORDER) {
      if (record.leftover === 0) break;
      const take = Math.min(record.leftover, open[component]);
      open[component] -= take;
      record.to[component] += take;
      record.leftover -= take;
    }
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The warning for consumer juros de mora above 1% a month (see CONSUMER_USUAL_INTEREST_BPS). */
export function consumerInterestWarning(monthlyInterestBps: number): ChargeWarning {
  return {
    code: 'consumer-interest-above-usual',
    message: `Juros de mora de ${formatBps(monthlyInterestBps)} ao mês numa dívida de consumo: acima de ${formatBps(CONSUMER_USUAL_INTEREST_BPS)} ao mês, o limite admitido para juros moratórios convencionados (STJ, Súmula 379; Código Civil, art. 406). Calculados como contratados: confira o contrato.`,
  };
}

/** The itemised balance of a debt on `asOf`, imputing `payments` (any order) chronologically. */
export function balanceOn(
  terms: DebtTerms,
  payments: readonly Payment[],
  asOf: CalendarDate,
): Breakdown {
  const { dueDate } = terms;
  const warnings: ChargeWarning[] = [];
  let fineBps = terms.fineBps;
  if (terms.kind === 'consumer' && fineBps > CONSUMER_FINE_CAP_BPS) {
    warnings.push({
      code: 'consumer-fine-capped',
      message: `Multa contratual de ${formatBps(fineBps)} reduzida para ${formatBps(CONSUMER_FINE_CAP_BPS)}: limite do CDC (art. 52, §1º) para dívidas de consumo.`,
    });
    fineBps = CONSUMER_FINE_CAP_BPS;
  }
  if (terms.kind === 'consumer' && terms.monthlyInterestBps > CONSUMER_USUAL_INTEREST_BPS)
    warnings.push(consumerInterestWarning(terms.monthlyInterestBps));
  const lastOnTimeDay = addDays(dueDate, terms.graceDays);
  const late = asOf > lastOnTimeDay;
  const discountBps = terms.punctualityDiscountBps ?? 0;
  const discountOffer: number = applyRateBps(terms.principal, discountBps);

  const open: Amounts = { interest: 0, fine: 0, fees: 0, principal: terms.principal };
  const charged = { fine: 0, interest: 0, fees: 0, paid: 0 };
  const lines: BreakdownLine[] = [
    { kind: 'principal', label: 'Valor original', amount: terms.principal, date: dueDate },
  ];
  const records: PaymentRecord[] = [];

  const fees = terms.fees.filter((f) => f.date <= asOf);
  const scheduled = payments
    .map((payment, index) => ({
      payment,
      index,
      on: late && payment.date > dueDate && payment.date <= lastOnTimeDay ? dueDate : payment.date,
    }))
    .filter((p) => p.payment.date <= asOf)
    .sort(
      (a, b) =>
        compareDates(a.on, b.on) ||
        compareDates(a.payment.date, b.payment.date) ||
        a.index - b.index,
    );
  const days = [...new Set([...fees.map((f) => f.date), ...scheduled.map((p) => p.on), asOf])];
  days.sort();

  let interestNumerator = 0n;
  let accruedTo = dueDate;
  let finePosted = false;
  let discountGranted = false;

  for (const day of days) {
    if (late && !finePosted && day > dueDate) {
      finePosted = true;
      const fine = applyRateBps(cents(open.principal), fineBps);
      if (fine > 0) {
        lines.push({
          kind: 'fine',
          label: `Multa de ${formatBps(fineBps)} sobre ${formatBRL(cents(open.principal))}`,
          amount: fine,
          date: addDays(dueDate, 1),
        });
        open.fine += fine;
        charged.fine += fine;
      }
    }
    if (late && day > accruedTo) {
      const elapsed = daysBetween(accruedTo, day);
      interestNumerator +=
        BigInt(open.principal) * BigInt(terms.monthlyInterestBps) * BigInt(elapsed);
      const accrued = roundDiv(interestNumerator, INTEREST_DENOMINATOR);
      const added = accrued - charged.interest;
      if (added > 0) {
        lines.push({
          kind: 'interest',
          label: `Juros de mora de ${formatBps(terms.monthlyInterestBps)} ao mês sobre ${formatBRL(cents(open.principal))}, ${plural(elapsed, 'dia', 'dias')}`,
          amount: cents(added),
          date: day,
          periodStart: addDays(accruedTo, 1),
          days: elapsed,
          base: cents(open.principal),
        });
      }
      open.interest += added;
      charged.interest = accrued;
      accruedTo = day;
    }
    for (const fee of fees) {
      if (fee.date !== day) continue;
      open.fees += fee.amount;
      charged.fees += fee.amount;
      lines.push({ kind: 'fee', label: fee.description, amount: fee.amount, date: fee.date });
    }
    impute(records, open);

    for (const { payment, on } of scheduled) {
      if (on !== day) continue;
      records.push({
        payment,
        to: { interest: 0, fine: 0, fees: 0, principal: 0 },
        leftover: payment.amount,
      });
      charged.paid += payment.amount;
      lines.push({
        kind: 'payment',
        label: payment.label ?? 'Pagamento recebido',
        amount: cents(-payment.amount),
        date: payment.date,
      });
      impute(records, open);

      const stillOpen = open.principal + open.fine + open.interest + open.fees;
      if (
        discountOffer > 0 &&
        !discountGranted &&
        payment.date <= dueDate &&
        stillOpen <= discountOffer
      ) {
        discountGranted = true;
        // The discount now covers principal that payments had covered: those centavos become credit, newest payment first.
        let released = discountOffer - open.principal;
        open.principal = 0;
        for (let i = records.length - 1; i >= 0 && released > 0; i--) {
          const record = records[i];
          if (!record) continue;
          const back = Math.min(released, record.to.principal);
          record.to.principal -= back;
          record.leftover += back;
          released -= back;
        }
        lines.push({
          kind: 'discount',
          label: `Desconto de pontualidade de ${formatBps(discountBps)}`,
          amount: cents(-discountOffer),
          date: payment.date,
        });
      }
    }
  }

  const offered = !discountGranted && discountOffer > 0 && asOf <= dueDate;
  if (offered) {
    lines.push({
      kind: 'discount',
      label: `Desconto de pontualidade de ${formatBps(discountBps)} para pagamento até o vencimento`,
      amount: cents(-discountOffer),
      date: dueDate,
    });
  }
  const discount = discountGranted || offered ? discountOffer : 0;
  const openTotal = open.principal + open.fine + open.interest + open.fees;
  // openTotal > discountOffer whenever the discount is only offered (else it would have been granted), so this stays ≥ 0.
  const totalDue = openTotal - (offered ? discountOffer : 0);
  const credit = records.reduce((sum, r) => sum + r.leftover, 0);

  return {
    asOf,
    dueDate,
    kind: terms.kind,
    principal: terms.principal,
    fine: cents(charged.fine),
    fineBps,
    interest: cents(charged.interest),
    monthlyInterestBps: terms.monthlyInterestBps,
    fees: cents(charged.fees),
    paid: cents(charged.paid),
    discount: cents(discount),
    discountStatus: discountGranted
      ? 'granted'
      : offered
        ? 'offered'
        : discountOffer > 0
          ? 'expired'
          : 'none',
    totalDue: cents(totalDue),
    credit: cents(credit),
    daysOverdue: totalDue > 0 ? Math.max(0, daysBetween(dueDate, asOf)) : 0,
    open: {
      principal: cents(open.principal),
      fine: cents(open.fine),
      interest: cents(open.interest),
      fees: cents(open.fees),
    },
    lines,
    imputations: records.map(toImputation),
    warnings,
  };
}

function toImputation({ payment, to, leftover }: PaymentRecord): Imputation {
  const imputation: Imputation = {
    date: payment.date,
    amount: payment.amount,
    toInterest: cents(to.interest),
    toFine: cents(to.fine),
    toFees: cents(to.fees),
    toPrincipal: cents(to.principal),
    unapplied: cents(leftover),
  };
  if (payment.id !== undefined) imputation.paymentId = payment.id;
  return imputation;
}
