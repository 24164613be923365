import * as v from 'valibot';
import { describe, expect, test } from 'vitest';
import {
  agreementRuleText,
  AgreementRulesSchema,
  DEFAULT_AGREEMENT_RULES,
  lastDayToPay,
  lastDayToPayText,
} from './agreement-rules';
import {
  agreementRulesOf,
  DEFAULT_NEGOTIATION_POLICY,
  NegotiationPolicySchema,
} from './negotiation.schema';
import type { CalendarDate } from '../time/calendar-date';

describe('agreement rules', () => {
  test('default: 5 days of tolerance, concessions lost', () => {
    expect(DEFAULT_AGREEMENT_RULES).toEqual({ breakAfterDays: 5, concessionsOnBreak: 'lost' });
    expect(agreementRulesOf(DEFAULT_NEGOTIATION_POLICY)).toEqual(DEFAULT_AGREEMENT_RULES);
  });

  test('a stored policy without the fields reads the defaults', () => {
    const { breakAfterDays: _b, concessionsOnBreak: _c, ...older } = DEFAULT_NEGOTIATION_POLICY;
    const parsed = v.parse(NegotiationPolicySchema, older);
    expect(agreementRulesOf(parsed)).toEqual(DEFAULT_AGREEMENT_RULES);
  });

  test.each([
    [
      { breakAfterDays: 0, concessionsOnBreak: 'lost' },
      'a tolerância deve ser de pelo menos 1 dia',
    ],
    [
      { breakAfterDays: 91, concessionsOnBreak: 'lost' },
      'a tolerância pode ser de no máximo 90 dias',
    ],
    [
      { breakAfterDays: 5, concessionsOnBreak: 'maybe' },
      'as concessões na quebra do acordo devem ser lost (perdidas) ou kept (mantidas)',
    ],
  ])('refuses %j', (input, message) => {
    const result = v.safeParse(AgreementRulesSchema, input);
    expect(result.success).toBe(false);
    expect(result.issues?.[0]?.message).toBe(message);
  });

  test.each([
    [
      DEFAULT_AGREEMENT_RULES,
      true,
      'Cada pagamento quita as parcelas em ordem, começando pela entrada. Se uma parcela ficar sem pagamento por mais de 5 dias depois do vencimento, o acordo é desfeito. Nesse caso, os descontos e as isenções de multa e juros deste acordo são perdidos: a dívida volta ao valor original, com multa e juros, e tudo o que já foi pago é descontado. Pagas todas as parcelas, a dívida está quitada.',
    ],
    [
      { breakAfterDays: 1, concessionsOnBreak: 'kept' as const },
      true,
      'Cada pagamento quita as parcelas em ordem, começando pela entrada. Se uma parcela ficar sem pagamento por mais de 1 dia depois do vencimento, o acordo é desfeito. Nesse caso, os descontos e as isenções de multa e juros deste acordo continuam valendo, e tudo o que já foi pago é descontado; voltam a correr só multa e juros do atraso. Pagas todas as parcelas, a dívida está quitada.',
    ],
    [
      DEFAULT_AGREEMENT_RULES,
      false,
      'Cada pagamento quita as parcelas em ordem, começando pela entrada. Se uma parcela ficar sem pagamento por mais de 5 dias depois do vencimento, o acordo é desfeito. Nesse caso, tudo o que já foi pago é descontado da dívida original. Pagas todas as parcelas, a dívida está quitada.',
    ],
  ])('the rule as the debtor reads it: %j, concessions %s', (rules, concessions, text) => {
    expect(agreementRuleText(rules, concessions)).toBe(text);
  });

  test('the last day to pay crosses months', () => {
    expect(lastDayToPay('2026-01-29' as CalendarDate, DEFAULT_AGREEMENT_RULES)).toBe('2026-02-03');
    expect(lastDayToPayText('2026-03-10' as CalendarDate, DEFAULT_AGREEMENT_RULES)).toBe(
      'até 15/03/2026',
    );
  });
});
