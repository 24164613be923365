/**
 * What happens to an agreement (acordo) over time, decided once here and shown to the debtor
 * before they accept (the debtor's page and the collector's simulator print `agreementRuleText`):
 *
 * - Payments are allocated to installments in order (down payment first), whatever txid or
 *   installment a payment names: money always pays the oldest open installment.
 * - Every installment paid → the agreement is completed and the debts it covers are settled.
 * - An installment still (partly) unpaid at the end of its due date + `breakAfterDays` (default 5,
 *   "tolerância") breaks the agreement on the next day. The régua resumes on what is left.
 * - On a break, what was paid is never lost: it is deducted from the original debts, oldest first,
 *   as payments on the days they were made. The concessions (discount, waived multa and juros)
 *   follow `concessionsOnBreak`:
 *   - 'lost' (default): the original debts return with their multa and juros, as if the agreement
 *     had not existed, minus what was paid. This is the common clause in Brazilian collection
 *     agreements ("a quebra do acordo implica a perda dos descontos concedidos"), valid when it is
 *     clear and shown before acceptance, and it keeps an agreement from being used only to freeze
 *     charges.
 *   - 'kept': the concessions stay granted (credited to the debts on the agreement's day); only
 *     the charges for lateness after the break run again.
 * The rule in force is copied onto each agreement when it is made, so a later policy change never
 * alters an agreement already accepted.
 */
import * as v from 'valibot';
import { addDays, formatBrazilianDate, type CalendarDate } from '../time/calendar-date';

export const ConcessionsOnBreakValues = ['lost', 'kept'] as const;
export const ConcessionsOnBreakSchema = v.picklist(
  ConcessionsOnBreakValues,
  'as concessões na quebra do acordo devem ser lost (perdidas) ou kept (mantidas)',
);
export type ConcessionsOnBreak = v.InferOutput<typeof ConcessionsOnBreakSchema>;

/** The bounds the database also enforces (agreements.break_after_days CHECK, migration 0170). */
export const BREAK_AFTER_DAYS_MIN = 1;
export const BREAK_AFTER_DAYS_MAX = 90;

export const BreakAfterDaysSchema = v.pipe(
  v.number('a tolerância deve ser um número de dias'),
  v.safeInteger('a tolerância deve ser um número inteiro de dias'),
  v.minValue(
    BREAK_AFTER_DAYS_MIN,
    `a tolerância deve ser de pelo menos ${BREAK_AFTER_DAYS_MIN} dia`,
  ),
  v.maxValue(
    BREAK_AFTER_DAYS_MAX,
    `a tolerância pode ser de no máximo ${BREAK_AFTER_DAYS_MAX} dias`,
  ),
);

export const DEFAULT_BREAK_AFTER_DAYS = 5;

/** The break rule of one agreement. */
export const AgreementRulesSchema = v.object({
  breakAfterDays: BreakAfterDaysSchema,
  concessionsOnBreak: ConcessionsOnBreakSchema,
});
export type AgreementRules = v.InferOutput<typeof AgreementRulesSchema>;

export const DEFAULT_AGREEMENT_RULES: AgreementRules = {
  breakAfterDays: DEFAULT_BREAK_AFTER_DAYS,
  concessionsOnBreak: 'lost',
};

function days(n: number): string {
  return `${n} ${n === 1 ? 'dia' : 'dias'}`;
}

/**
 * The rule in words (pt-BR), as the debtor reads it before accepting. With `hasConcessions`
 * false the sentence about concessions is left out (there is nothing to lose or keep).
 */
export function agreementRuleText(rules: AgreementRules, hasConcessions = true): string {
  const parts = [
    'Cada pagamento quita as parcelas em ordem, começando pela entrada.',
    `Se uma parcela ficar sem pagamento por mais de ${days(rules.breakAfterDays)} depois do vencimento, o acordo é desfeito.`,
  ];
  if (hasConcessions)
    parts.push(
      rules.concessionsOnBreak === 'lost'
        ? 'Nesse caso, os descontos e as isenções de multa e juros deste acordo são perdidos: a dívida volta ao valor original, com multa e juros, e tudo o que já foi pago é descontado.'
        : 'Nesse caso, os descontos e as isenções de multa e juros deste acordo continuam valendo, e tudo o que já foi pago é descontado; voltam a correr só multa e juros do atraso.',
    );
  else parts.push('Nesse caso, tudo o que já foi pago é descontado da dívida original.');
  parts.push('Pagas todas as parcelas, a dívida está quitada.');
  return parts.join(' ');
}

/** The last day an installment due on `dueDate` may still be paid without breaking the agreement. */
export function lastDayToPay(dueDate: CalendarDate, rules: AgreementRules): CalendarDate {
  return addDays(dueDate, rules.breakAfterDays);
}

/** "até 15/03/2026" for an installment due 10/03/2026 with 5 days of tolerance. */
export function lastDayToPayText(dueDate: CalendarDate, rules: AgreementRules): string {
  return `até ${formatBrazilianDate(lastDayToPay(dueDate, rules))}`;
}
