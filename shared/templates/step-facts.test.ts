import { describe, expect, test } from 'vitest';
import { DEFAULT_CADENCE_POLICY } from '../cadence/default-policy';
import { cents } from '../money/money';
import { DEFAULT_NEGOTIATION_POLICY } from '../negotiation/negotiation.schema';
import { parseQuitaTxid, txidForInstallment } from '../pix/pix-txid';
import type { CalendarDate } from '../time/calendar-date';
import { DEBT, ORG as CREDITOR } from './creditor.fixture';
import { DEFAULT_TEMPLATES, defaultTemplate } from './default-templates';
import { renderTemplate } from './render-message';
import { stepFacts, type StepFactsInput } from './step-facts';

// A plain link, so the txid is its last path segment.
const ORG = { ...CREDITOR, paymentLinkTemplate: 'https://pague.example/{txid}' };

const base: StepFactsInput = {
  org: ORG,
  cadence: DEFAULT_CADENCE_POLICY,
  negotiation: DEFAULT_NEGOTIATION_POLICY,
  debtor: { name: '  Maria  da Silva ', state: 'SP' },
  debt: { id: DEBT, description: 'Mensalidade março' },
  balance: {
    totalDue: cents(102_167),
    principal: cents(100_000),
    fine: cents(2_000),
    interest: cents(167),
    dueDate: '2025-03-05' as CalendarDate,
    daysOverdue: 40,
  },
  allowsDiscount: false,
  collectorName: 'Carlos',
  today: '2025-04-14' as CalendarDate,
};

describe('stepFacts', () => {
  test('the itemised balance, names, notice deadline by state and the installment offer', () => {
    const facts = stepFacts(base);
    expect(facts).toMatchObject({
      creditor_name: 'Padaria São José Ltda',
      debtor_name: 'Maria  da Silva',
      debtor_first_name: 'Maria',
      debt_reference: 'Mensalidade março',
      amount_due: 102_167,
      original_amount: 100_000,
      fine_amount: 2_000,
      interest_amount: 167,
      due_date: '2025-03-05',
      days_overdue: 40,
      collector_name: 'Carlos',
      // SP: 20 days' notice before a negative-credit listing (CDC art. 43 §2, state law).
      notice_deadline: '2025-05-04',
      today: '2025-04-14',
      // 12 × R$ 85,14 would be over the R$ 50 minimum: the policy's maximum wins.
      installment_count: 12,
      installment_amount: 8_514,
    });
    expect(facts.payment_link).toMatch(/^https:\/\/pague\.example\/\w+$/);
    expect(facts.discount_amount).toBeUndefined();
  });

  test.each<[string, Partial<StepFactsInput>, Record<string, unknown>]>([
    [
      'default state notice',
      { debtor: { name: 'Ana', state: 'RJ' } },
      { notice_deadline: '2025-04-24' },
    ],
    [
      'minimum installment caps the count',
      { balance: { ...base.balance, totalDue: cents(12_000) } },
      { installment_count: 2, installment_amount: 6_000 },
    ],
    [
      'below the minimum: one payment',
      { balance: { ...base.balance, totalDue: cents(3_000) } },
      { installment_count: 1, installment_amount: 3_000 },
    ],
    [
      'discount only where the step allows it, within the band for 40 days (10%)',
      { allowsDiscount: true },
      { discount_amount: 10_217, discounted_amount: 91_950, discount_until: '2025-04-24' },
    ],
    [
      'negative days count as zero',
      { balance: { ...base.balance, daysOverdue: -3 } },
      { days_overdue: 0 },
    ],
    ['no collector', { collectorName: null }, { collector_name: undefined }],
    ['a caller PIX code wins', { pix: 'PIX-OF-THE-PHONE' }, { pix_copy_paste: 'PIX-OF-THE-PHONE' }],
    ['a caller may leave PIX out', { pix: null }, { pix_copy_paste: undefined }],
    [
      'no payment link configured: the fact is absent',
      { org: { ...ORG, paymentLinkTemplate: null } },
      { payment_link: undefined },
    ],
    ['no PIX key: no PIX code', { org: { ...ORG, pix: null } }, { pix_copy_paste: undefined }],
  ])('%s', (_name, patch, expected) => {
    const facts = stepFacts({ ...base, ...patch }) as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) expect(facts[key]).toEqual(value);
  });

  test('the PIX code and the payment link carry the debt’s reconciliation txid', () => {
    const facts = stepFacts(base);
    const txid = facts.payment_link?.split('/').at(-1) ?? '';
    expect(parseQuitaTxid(txid)).toMatchObject({ ok: true, value: { kind: 'debt' } });
    expect(facts.pix_copy_paste).toContain(txid);
  });

  const installment = {
    agreementId: '0192d6a0-7c3e-7b2a-9f10-3c4d5e6f7a8c',
    number: 2,
    dueDate: '2025-04-10' as CalendarDate,
    amount: cents(25_000),
    lastDayToPay: '2025-04-15' as CalendarDate,
  };

  test('every default template renders with these facts (discount steps with the discount)', () => {
    for (const template of DEFAULT_TEMPLATES) {
      const facts = stepFacts(
        template.stepId?.startsWith('parcela')
          ? { ...base, installment }
          : { ...base, allowsDiscount: true },
      );
      expect(() => renderTemplate(template, facts), template.id).not.toThrow();
    }
  });

  test('an installment step is about the installment: its amount, dates, number and txid', () => {
    const facts = stepFacts({ ...base, installment });
    expect(facts).toMatchObject({
      amount_due: 25_000,
      installment_amount: 25_000,
      installment_number: 2,
      due_date: '2025-04-10',
      agreement_deadline: '2025-04-15',
      days_overdue: 4,
    });
    const txid = txidForInstallment(installment.agreementId, 2);
    expect(facts.payment_link).toBe(`https://pague.example/${txid}`);
    expect(facts.pix_copy_paste).toContain(`0525${txid}`);
    expect(facts.pix_copy_paste).toContain('5406250.00');
    expect(facts.discount_amount).toBeUndefined();
    const body = renderTemplate(defaultTemplate('parcela+1.whatsapp')!, facts).body;
    expect(body).toContain('Ainda não identificamos o pagamento da parcela de R$');
    expect(body).toContain('pagando até 15/04/2025, o acordo continua valendo');
  });
});
