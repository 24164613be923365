import { describe, expect, test } from 'vitest';
import { cents } from '../money/money';
import { calendarDate } from '../time/calendar-date';
import type { MessageFacts } from './placeholders';
import { SAMPLE_FACTS } from './placeholders';
import {
  creditorIdentification,
  formatDateBR,
  isTemplateRenderError,
  missingFacts,
  renderTemplate,
  renderText,
} from './render-message';
import type { Template } from './template.schema';

const NBSP = '\u00a0';
const creditor = {
  creditor_name: 'Loja Azul',
  creditor_document: '11.222.333/0001-81',
  creditor_address: 'Rua A, 1, Recife/PE',
} satisfies MessageFacts;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('renderText', () => {
  test.each([
    {
      text: 'Total: {{amount_due}}',
      facts: { amount_due: cents(123_456) },
      expected: `Total: R$${NBSP}1.234,56`,
    },
    {
      text: 'Vence em {{due_date}}',
      facts: { due_date: calendarDate('2025-03-05') },
      expected: 'Vence em 05/03/2025',
    },
    { text: '{{days_overdue}} dias', facts: { days_overdue: 12 }, expected: '12 dias' },
    {
      text: 'Oi, {{ debtor_first_name }}!',
      facts: { debtor_first_name: 'Ana' },
      expected: 'Oi, Ana!',
    },
    {
      text: '{{debtor_first_name}} {{debtor_first_name}}',
      facts: { debtor_first_name: 'Ana' },
      expected: 'Ana Ana',
    },
    { text: 'sem campos', facts: {}, expected: 'sem campos' },
  ])('$text → $expected', ({ text, facts, expected }) => {
    expect(renderText(text, facts)).toBe(expected);
  });

  test.each([
    {
      text: 'Total {{amount_due}} em {{due_date}}',
      facts: { amount_due: cents(1) },
      code: 'missing_fact',
      placeholders: ['due_date'],
      says: '{{due_date}}',
    },
    {
      text: 'Total {{valor}}',
      facts: {},
      code: 'unknown_placeholder',
      placeholders: ['valor'],
      says: '{{valor}}',
    },
    {
      text: 'Total {amount_due}',
      facts: { amount_due: cents(1) },
      code: 'malformed_braces',
      placeholders: [],
      says: '{',
    },
  ])('$text throws $code naming it', ({ text, facts, code, placeholders, says }) => {
    const error = thrown(() => renderText(text, facts));
    expect(isTemplateRenderError(error)).toBe(true);
    expect(error).toMatchObject({ code, placeholders });
    expect((error as Error).message).toContain(says);
  });
});

describe('formatDateBR', () => {
  test.each([
    ['2025-01-09', '09/01/2025'],
    ['2024-12-31', '31/12/2024'],
  ])('%s → %s', (iso, br) => expect(formatDateBR(calendarDate(iso))).toBe(br));
});

describe('creditorIdentification', () => {
  test.each([
    {
      channel: 'sms',
      privacySafe: false,
      document: '11.222.333/0001-81',
      expected: '\nLoja Azul - CNPJ 11.222.333/0001-81 - Rua A, 1, Recife/PE',
    },
    {
      channel: 'whatsapp',
      privacySafe: false,
      document: '123.456.789-09',
      expected: '\n\nLoja Azul\nCPF 123.456.789-09\nRua A, 1, Recife/PE',
    },
    {
      channel: 'email',
      privacySafe: false,
      document: 'CNPJ 11222333000181',
      expected: '\n\nLoja Azul\nCNPJ 11222333000181\nRua A, 1, Recife/PE',
    },
    {
      channel: 'visit',
      privacySafe: true,
      document: '11.222.333/0001-81',
      expected: '\n\nLoja Azul',
    },
    { channel: 'sms', privacySafe: true, document: '11.222.333/0001-81', expected: '\nLoja Azul' },
  ] as const)(
    '$channel privacySafe=$privacySafe',
    ({ channel, privacySafe, document, expected }) => {
      expect(
        creditorIdentification({ ...creditor, creditor_document: document }, channel, privacySafe),
      ).toBe(expected);
    },
  );

  test('a privacy-safe identification needs only the name', () => {
    expect(creditorIdentification({ creditor_name: 'Loja Azul' }, 'sms', true)).toBe('\nLoja Azul');
    expect(() => creditorIdentification({ creditor_name: 'Loja Azul' }, 'sms', false)).toThrow(
      /creditor_document/,
    );
  });
});

const base = { tone: 'friendly', privacySafe: false } as const;

describe('renderTemplate', () => {
  test('appends the full creditor identification to a collection message', () => {
    const t: Template = {
      ...base,
      id: 't',
      channel: 'whatsapp',
      body: 'Oi, {{debtor_first_name}}. Total {{amount_due}}.',
    };
    const out = renderTemplate(t, {
      ...creditor,
      debtor_first_name: 'Ana',
      amount_due: cents(5_000),
    });
    expect(out).toEqual({
      channel: 'whatsapp',
      body: `Oi, Ana. Total R$${NBSP}50,00.\n\nLoja Azul\nCNPJ 11.222.333/0001-81\nRua A, 1, Recife/PE`,
    });
  });

  test('appends only the name to a privacy-safe message', () => {
    const t: Template = {
      ...base,
      id: 't',
      channel: 'whatsapp',
      privacySafe: true,
      body: 'Oi, {{debtor_first_name}}.',
    };
    const out = renderTemplate(t, { ...creditor, debtor_first_name: 'Ana' });
    expect(out.body).toBe('Oi, Ana.\n\nLoja Azul');
    expect(out.body).not.toContain('11.222.333');
  });

  test.each([
    {
      name: 'placeholders in the body',
      body: 'Oi.\n{{creditor_name}} {{creditor_document}} {{creditor_address}}',
    },
    {
      name: 'literal values in the body',
      body: 'Oi.\nLoja   Azul, 11.222.333/0001-81, rua a, 1, Recife/PE',
    },
  ])('does not append twice when the template has $name', ({ body }) => {
    const t: Template = { ...base, id: 't', channel: 'email', subject: 'Assunto', body };
    const out = renderTemplate(t, creditor);
    expect(out.body.match(/11\.222\.333/g)).toHaveLength(1);
    expect(out.subject).toBe('Assunto');
  });

  test('keeps SMS accents by default; folds them to GSM-7 only when the owner saves segments', () => {
    const t: Template = { ...base, id: 't', channel: 'sms', body: 'Ação: {{amount_due}}' };
    const facts = { ...creditor, creditor_name: 'Pão & Cia', amount_due: cents(990) };
    expect(renderTemplate(t, facts).body).toContain(`Ação: R$${NBSP}9,90\nPão & Cia`);
    expect(renderTemplate(t, facts, { gsm7: false }).body).toBe(renderTemplate(t, facts).body);
    expect(renderTemplate(t, facts, { gsm7: true }).body).toBe(
      'Acao: R$ 9,90\nPao & Cia - CNPJ 11.222.333/0001-81 - Rua A, 1, Recife/PE',
    );
  });

  test('a missing creditor fact is an error even when the text does not use it', () => {
    const t: Template = { ...base, id: 't', channel: 'sms', body: 'Oi' };
    const error = thrown(() => renderTemplate(t, { creditor_name: 'Loja Azul' }));
    expect(error).toMatchObject({
      code: 'missing_fact',
      placeholders: ['creditor_document', 'creditor_address'],
    });
  });

  test('renders the subject of an e-mail without the identification', () => {
    const t: Template = {
      ...base,
      id: 't',
      channel: 'email',
      subject: 'Vence {{due_date}}',
      body: 'Oi',
    };
    const out = renderTemplate(t, SAMPLE_FACTS);
    expect(out.subject).toBe('Vence 10/03/2025');
    expect(out.body).toContain('CNPJ 11.222.333/0001-81');
  });
});

describe('missingFacts', () => {
  test.each([
    {
      facts: {},
      missing: ['creditor_name', 'creditor_document', 'creditor_address', 'due_date', 'amount_due'],
    },
    { facts: creditor, missing: ['due_date', 'amount_due'] },
    {
      facts: { ...creditor, amount_due: cents(1), due_date: calendarDate('2025-01-01') },
      missing: [],
    },
  ])('$missing', ({ facts, missing }) => {
    const t: Template = {
      ...base,
      id: 't',
      channel: 'email',
      subject: '{{due_date}}',
      body: '{{amount_due}} {{valor}}',
    };
    expect(missingFacts(t, facts)).toEqual(missing);
  });
});
