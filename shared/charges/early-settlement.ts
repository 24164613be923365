/**
 * Early settlement of an installment agreement (CDC art. 52 §2: "liquidação antecipada do débito,
 * total ou parcialmente, mediante redução proporcional dos juros e demais acréscimos").
 *
 * Model: each installment carries its principal part and the interest part that accrues over its
 * own period, from the previous due date (the contract start for the first) to its due date, as in
 * a Price or SAC table. Settling on D pays every open principal part plus, of each interest part,
 * only the days of its period already elapsed by D (calendar days, pro rata); the rest is removed.
 * An installment already due on D keeps its whole interest part. Late charges on overdue
 * installments are not part of this figure: `balanceOn` computes them per installment.
 */
import * as v from 'valibot';
import { cents, roundDiv } from '../money/money';
import { CentsSchema } from '../money/cents.schema';
import { daysBetween, type CalendarDate } from '../time/calendar-date';
import { CalendarDateSchema } from '../time/calendar-date.schema';

/** One installment of an agreement, its interest part accruing over its own period. */
export const ContractInstallmentSchema = v.object({
  dueDate: CalendarDateSchema,
  principalPart: v.pipe(
    CentsSchema,
    v.minValue(cents(0), 'a parte de principal não pode ser menor que zero'),
  ),
  interestPart: v.pipe(
    CentsSchema,
    v.minValue(cents(0), 'a parte de juros não pode ser menor que zero'),
  ),
  /** Paid installments stay in the list because they delimit the next one's interest period. */
  paid: v.optional(v.boolean('a marcação de paga deve ser true ou false'), false),
});
export type ContractInstallment = v.InferOutput<typeof ContractInstallmentSchema>;

/** An installment agreement whose future installments embed interest. */
export const InstallmentContractSchema = v.pipe(
  v.object({
    startDate: CalendarDateSchema,
    installments: v.pipe(
      v.array(ContractInstallmentSchema, 'as parcelas devem ser uma lista'),
      v.minLength(1, 'o contrato deve ter pelo menos uma parcela'),
    ),
  }),
  v.forward(
    v.check(
      (c) =>
        c.installments.every(
          (inst, i) =>
            inst.dueDate > (i === 0 ? c.startDate : (c.installments[i - 1]?.dueDate ?? '')),
        ),
      'os vencimentos devem ser posteriores à data de início (startDate) e crescentes',
    ),
    ['installments'],
  ),
);
export type InstallmentContractInput = v.InferInput<typeof InstallmentContractSchema>;
export type InstallmentContract = v.InferOutput<typeof InstallmentContractSchema>;

/** One open installment in a settlement: how much of its interest stays and how much goes. */
export const SettlementLineSchema = v.object({
  /** 1-based position in the contract. */
  number: v.number(),
  dueDate: CalendarDateSchema,
  principalPart: CentsSchema,
  interestPart: CentsSchema,
  periodDays: v.number(),
  elapsedDays: v.number(),
  interestDue: CentsSchema,
  interestRemoved: CentsSchema,
});

/** What settling the open installments on `asOf` costs, and the interest the law removes. */
export const SettlementSchema = v.object({
  asOf: CalendarDateSchema,
  principal: CentsSchema,
  interestDue: CentsSchema,
  interestRemoved: CentsSchema,
  total: CentsSchema,
  lines: v.array(SettlementLineSchema),
});
export type Settlement = v.InferOutput<typeof SettlementSchema>;

/** The payoff of every unpaid installment on `asOf`, with not-yet-elapsed interest removed pro rata by days. */
export function earlySettlement(contract: InstallmentContract, asOf: CalendarDate): Settlement {
  const lines: Settlement['lines'] = [];
  let periodStart = contract.startDate;
  let principal = 0;
  let interestDue = 0;
  let interestRemoved = 0;
  contract.installments.forEach((inst, index) => {
    const periodDays = daysBetween(periodStart, inst.dueDate);
    const elapsedDays = Math.min(periodDays, Math.max(0, daysBetween(periodStart, asOf)));
    periodStart = inst.dueDate;
    if (inst.paid) return;
    const due = roundDiv(BigInt(inst.interestPart) * BigInt(elapsedDays), periodDays);
    principal += inst.principalPart;
    interestDue += due;
    interestRemoved += inst.interestPart - due;
    lines.push({
      number: index + 1,
      dueDate: inst.dueDate,
      principalPart: inst.principalPart,
      interestPart: inst.interestPart,
      periodDays,
      elapsedDays,
      interestDue: due,
      interestRemoved: cents(inst.interestPart - due),
    });
  });
  return {
    asOf,
    principal: cents(principal),
    interestDue: cents(interestDue),
    interestRemoved: cents(interestRemoved),
    total: cents(principal + interestDue),
    lines,
  };
}
