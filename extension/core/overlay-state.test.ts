import { describe, expect, test } from 'vitest';
import type { DebtorLookupMatch } from '#shared/api/ledger.schema';
import type { PrivacyVerdict } from '#shared/extension/audience';
import { cents } from '#shared/money/money';
import { DEFAULT_TEMPLATES } from '#shared/templates/default-templates';
import { calendarDate } from '#shared/time/calendar-date';
import { PT_BR_PRIVACY } from '../i18n/pt-br';
import { buildOverlay, type Decision, type OverlayInput } from './overlay-state';

const creditor = {
  creditor_name: 'Padaria Pão Quente Ltda',
  creditor_document: '11.222.333/0001-81',
  creditor_address: 'Rua das Flores, 123, Centro, Campinas/SP, CEP 13010-000',
  creditor_phone: '(19) 3232-1234',
};

function match(overrides: Partial<DebtorLookupMatch> = {}): DebtorLookupMatch {
  return {
    id: '0190f5a0-0000-7000-8000-000000000001',
    name: 'Maria Aparecida Silva',
    status: 'vencido',
    daysOverdue: 5,
    balance: {
      asOf: calendarDate('2026-11-24'),
      principal: cents(15_000),
      fine: cents(300),
      interest: cents(25),
      fees: cents(0),
      paid: cents(0),
      discount: cents(0),
      totalDue: cents(15_325),
      credit: cents(0),
    },
    lastContact: null,
    contactBudgetLeft: { today: 1, last7Days: 2 },
    contactWindowOpen: true,
    contactNow: { allowed: true },
    cadenceState: 'active',
    cadenceStepDue: {
      stepId: 'd+5',
      channel: 'whatsapp',
      templateId: 'd+5.whatsapp',
      kind: 'reminder',
      mode: 'manual',
      allowsDiscount: false,
      dueOn: calendarDate('2026-11-24'),
      earliestAt: null,
    },
    contactPointVerified: true,
    ...overrides,
  };
}

const FULL: PrivacyVerdict = { mode: 'full' };

function person(m: DebtorLookupMatch = match(), verdict: PrivacyVerdict = FULL): Decision {
  return { kind: 'person', match: m, otherMatches: 0, verdict, linkedTo: null, confirmedBy: null };
}

function input(decision: Decision, channel: 'email' | 'whatsapp' = 'whatsapp'): OverlayInput {
  return {
    channel,
    conversation: 'whatsapp|individual||+5511987654321',
    decision,
    debts: [
      {
        id: 'd1',
        description: 'compra de outubro',
        dueDate: calendarDate('2026-11-19'),
        totalDue: 15_325,
        pixCopyPaste: '000201PIX',
      },
    ],
    promiseUntil: null,
    creditor,
    templates: DEFAULT_TEMPLATES,
    userName: 'Joana',
    today: calendarDate('2026-11-24'),
  };
}

const AMOUNT = /R\$|153,25|150,00/;
/** Words that tell a reader there is a debt: none may appear in the privacy-safe mode. */
const DEBT_WORDS =
  /R\$|vencid|venciment|atras|d[ií]vida|d[ée]bito|cobran|pagamento|pagar|parcela|acordo|promessa|negativ|protesto|saldo|multa|juros|etapa|r[ée]gua|boleto|pix|devedor|\bd[+-]\d/i;

describe('buildOverlay, full mode', () => {
  test('a verified debtor: itemised balance and the step message with amounts and creditor identification', () => {
    const { state, sendables } = buildOverlay(input(person()));
    if (state.view !== 'debtor') throw new Error(state.view);
    expect(state.card.balance?.totalDue).toBe(15_325);
    expect(state.messages.map((m) => m.templateId)).toEqual(['d+5.whatsapp', 'privacy.whatsapp']);
    expect(state.messages[0]?.label).toBe('Mensagem de 5 dias após o vencimento');
    const step = state.messages[0]?.text ?? '';
    expect(step).toMatch(/R\$\s153,25/);
    expect(step).toContain('000201PIX');
    expect(step).toContain('11.222.333/0001-81');
    expect(sendables.map((s) => s.debtIds)).toEqual([['d1'], []]);
    // Every message is bound to the conversation it was written for.
    expect(new Set(sendables.map((s) => s.conversation))).toEqual(
      new Set(['whatsapp|individual||+5511987654321']),
    );
  });

  test('a step template needing facts the extension lacks is listed with what is missing, not offered', () => {
    const m = match({
      cadenceStepDue: {
        ...match().cadenceStepDue!,
        stepId: 'd+15',
        templateId: 'd+15.visit',
        channel: 'visit',
      },
    });
    const { state, sendables } = buildOverlay(input(person(m)));
    if (state.view !== 'debtor') throw new Error(state.view);
    expect(state.messages[0]).toMatchObject({ templateId: 'd+15.whatsapp', text: null });
    expect(state.messages[0]?.missing).toEqual(
      expect.arrayContaining(['installment_count', 'installment_amount']),
    );
    expect(sendables.map((s) => s.templateId)).toEqual(['privacy.whatsapp']);
  });
});

describe('buildOverlay, privacy-safe mode: the name at most', () => {
  test.each<[string, Decision]>([
    [
      'unverified contact point',
      person(match({ contactPointVerified: false }), {
        mode: 'privacy-safe',
        reason: 'unverified',
        others: [{ kind: 'phone', value: '+5511987654321' }],
        unreadable: 0,
      }),
    ],
    [
      'a third party earlier in the thread',
      person(match(), {
        mode: 'privacy-safe',
        reason: 'third-parties',
        others: [{ kind: 'email', value: 'contador@escritorio.example.com.br' }],
        unreadable: 0,
      }),
    ],
    [
      'a collapsed message',
      person(match(), { mode: 'privacy-safe', reason: 'incomplete', others: [], unreadable: 1 }),
    ],
    [
      'a hand-linked hidden-id chat',
      { kind: 'claimed', debtorId: match().id, name: 'Maria Aparecida Silva' },
    ],
  ])('%s: the name, no amount, no status or stage, privacy-safe message only', (_, decision) => {
    const { state, sendables } = buildOverlay(input(decision));
    if (state.view !== 'privacy-safe') throw new Error(state.view);
    expect(state.name).toBe('Maria Aparecida Silva');
    expect(state.canLog).toBe(true);
    // Nothing but the name and the reason: the state itself carries no debt fact.
    const { messages, others: _others, ...rest } = state;
    expect(JSON.stringify(rest)).not.toMatch(DEBT_WORDS);
    expect(messages.every((msg) => msg.privacySafe)).toBe(true);
    expect(JSON.stringify(messages)).not.toMatch(DEBT_WORDS);
    expect(sendables).toHaveLength(1);
    expect(sendables[0]).toMatchObject({ privacySafe: true, debtIds: [], stepId: null });
    expect(sendables[0]?.text).not.toMatch(AMOUNT);
  });

  test.each<[string, Decision, string]>([
    ['group', { kind: 'anonymous', reason: 'group', linkable: false }, 'group'],
    [
      'hidden-id chat',
      { kind: 'anonymous', reason: 'unidentified', linkable: true },
      'unidentified',
    ],
    ['no match', { kind: 'no-match' }, 'no-match'],
  ])('%s: privacy-safe only, nobody named', (_, decision, reason) => {
    const { state, sendables } = buildOverlay(input(decision));
    if (state.view !== 'privacy-safe') throw new Error(state.view);
    expect(state.reason).toBe(reason);
    expect(state.name).toBeNull();
    expect(state.canLog).toBe(false);
    expect(JSON.stringify(state)).not.toMatch(DEBT_WORDS);
    expect(JSON.stringify(state)).not.toContain('Maria');
    expect(sendables).toHaveLength(1);
    expect(sendables[0]?.debtorId).toBeNull();
    expect(sendables[0]?.text).toContain('Padaria Pão Quente Ltda');
    // The privacy-safe message names the creditor only: no document, no address.
    expect(sendables[0]?.text).not.toContain('11.222.333');
  });

  test('every text the privacy-safe mode can show is free of debt words', () => {
    for (const [key, text] of Object.entries(PT_BR_PRIVACY))
      expect(text, key).not.toMatch(DEBT_WORDS);
  });
});
