import { describe, expect, test } from 'vitest';
import type { DebtorLookupMatch } from '#shared/api/ledger.schema';
import type { ConversationContext } from '#shared/extension/content-messages';
import { cents } from '#shared/money/money';
import { DEFAULT_TEMPLATES } from '#shared/templates/default-templates';
import { calendarDate } from '#shared/time/calendar-date';
import { audienceOf } from './conversation';
import { buildOverlay, type OverlayInput } from './overlay-state';

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

const whatsapp = (phone = '+5511987654321'): ConversationContext => ({
  site: 'whatsapp',
  chat: { kind: 'individual', jid: null, phone },
  composer: true,
});

function input(context: ConversationContext, matches: DebtorLookupMatch[] | null): OverlayInput {
  return {
    context,
    matches,
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

describe('audienceOf', () => {
  test.each([
    [{ site: 'whatsapp', chat: { kind: 'none' }, composer: false }, 'none'],
    [{ site: 'whatsapp', chat: { kind: 'group', jid: '1@g.us' }, composer: true }, 'group'],
    [
      { site: 'whatsapp', chat: { kind: 'lid', jid: '1@lid', title: 'X' }, composer: true },
      'unidentified',
    ],
    [{ site: 'gmail', threadId: null, correspondents: [], compose: null }, 'none'],
    [{ site: 'gmail', threadId: 't', correspondents: [], compose: null }, 'unidentified'],
  ] as [ConversationContext, string][])('%j → %s', (context, kind) => {
    expect(audienceOf(context).kind).toBe(kind);
  });

  test('gmail: the compose box decides who reads; a Cc is another reader', () => {
    const thread = {
      site: 'gmail' as const,
      threadId: 't',
      correspondents: ['a@x.com.br', 'b@x.com.br'],
    };
    expect(audienceOf({ ...thread, compose: null })).toEqual({
      kind: 'person',
      key: { email: 'a@x.com.br' },
      others: true,
    });
    expect(
      audienceOf({ ...thread, compose: { kind: 'reply', to: ['a@x.com.br'], cc: [], bcc: [] } }),
    ).toEqual({ kind: 'person', key: { email: 'a@x.com.br' }, others: false });
    expect(
      audienceOf({
        ...thread,
        compose: { kind: 'reply', to: ['a@x.com.br'], cc: [], bcc: ['c@y.com.br'] },
      }),
    ).toMatchObject({ others: true });
  });
});

describe('buildOverlay', () => {
  test('a verified debtor: itemised balance and the step message with amounts and creditor identification', () => {
    const { state, sendables } = buildOverlay(input(whatsapp(), [match()]));
    if (state.view !== 'debtor') throw new Error(state.view);
    expect(state.card.balance?.totalDue).toBe(15_325);
    expect(state.card.restricted).toBeNull();
    expect(state.messages.map((m) => m.templateId)).toEqual(['d+5.whatsapp', 'privacy.whatsapp']);
    const step = state.messages[0]?.text ?? '';
    expect(step).toMatch(/R\$\s153,25/);
    expect(step).toContain('000201PIX');
    expect(step).toContain('11.222.333/0001-81');
    expect(sendables.map((s) => s.debtIds)).toEqual([['d1'], []]);
  });

  test.each([
    ['unverified contact point', whatsapp(), match({ contactPointVerified: false }), 'unverified'],
    [
      'a Cc to a third party',
      {
        site: 'gmail',
        threadId: 't',
        correspondents: ['m@x.com.br'],
        compose: { kind: 'reply', to: ['m@x.com.br'], cc: ['c@y.com.br'], bcc: [] },
      },
      match(),
      'third-parties',
    ],
  ] as [string, ConversationContext, DebtorLookupMatch, string][])(
    '%s: no amount anywhere, privacy-safe message only',
    (_, context, m, reason) => {
      const { state, sendables } = buildOverlay(input(context, [m]));
      if (state.view !== 'debtor') throw new Error(state.view);
      expect(state.card.restricted).toBe(reason);
      expect(state.card.balance).toBeNull();
      expect(state.messages.every((msg) => msg.privacySafe)).toBe(true);
      expect(JSON.stringify(state.messages)).not.toMatch(AMOUNT);
      expect(sendables.every((s) => s.privacySafe && s.debtIds.length === 0)).toBe(true);
    },
  );

  test.each([
    [
      'group',
      { site: 'whatsapp', chat: { kind: 'group', jid: '1@g.us' }, composer: true },
      null,
      'group',
    ],
    [
      'LID chat',
      { site: 'whatsapp', chat: { kind: 'lid', jid: '1@lid', title: 'Carlos' }, composer: true },
      null,
      'unidentified',
    ],
    ['no match', whatsapp(), [], 'no-match'],
  ] as [string, ConversationContext, DebtorLookupMatch[] | null, string][])(
    '%s: privacy-safe only, nobody named',
    (_, context, matches, view) => {
      const { state, sendables } = buildOverlay(input(context, matches));
      expect(state.view).toBe(view);
      expect(JSON.stringify(state)).not.toMatch(AMOUNT);
      expect(JSON.stringify(state)).not.toContain('Maria');
      expect(sendables).toHaveLength(1);
      expect(sendables[0]?.debtorId).toBeNull();
      expect(sendables[0]?.text).toContain('Padaria Pão Quente Ltda');
      // The privacy-safe message names the creditor only: no document, no address.
      expect(sendables[0]?.text).not.toContain('11.222.333');
    },
  );

  test('a step template needing facts the extension lacks is listed with what is missing, not offered', () => {
    const m = match({
      cadenceStepDue: {
        ...match().cadenceStepDue!,
        stepId: 'd+15',
        templateId: 'd+15.visit',
        channel: 'visit',
      },
    });
    const { state, sendables } = buildOverlay(input(whatsapp(), [m]));
    if (state.view !== 'debtor') throw new Error(state.view);
    expect(state.messages[0]).toMatchObject({ templateId: 'd+15.whatsapp', text: null });
    expect(state.messages[0]?.missing).toEqual(
      expect.arrayContaining(['installment_count', 'installment_amount']),
    );
    expect(sendables.map((s) => s.templateId)).toEqual(['privacy.whatsapp']);
  });
});
