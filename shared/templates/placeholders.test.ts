import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import {
  DEBT_REVEALING_PLACEHOLDERS,
  MessageFactsSchema,
  PLACEHOLDER_NAMES,
  SAMPLE_FACTS,
  isPlaceholderName,
  scanPlaceholders,
  strayBraces,
} from './placeholders';

describe('scanPlaceholders', () => {
  test.each([
    { text: 'Olá {{debtor_first_name}}', names: ['debtor_first_name'], indexes: [4] },
    {
      text: '{{ amount_due }} e {{due_date}}',
      names: ['amount_due', 'due_date'],
      indexes: [0, 19],
    },
    { text: 'valor {{valor}}', names: ['valor'], indexes: [6] },
    { text: 'sem campos', names: [], indexes: [] },
    { text: '{single} {{ }}', names: [''], indexes: [9] },
  ])('$text', ({ text, names, indexes }) => {
    const tokens = scanPlaceholders(text);
    expect(tokens.map((t) => t.name)).toEqual(names);
    expect(tokens.map((t) => t.index)).toEqual(indexes);
  });
});

describe('strayBraces', () => {
  test.each([
    { text: '{{amount_due}}', stray: [] },
    { text: '{amount_due}', stray: ['{', '}'] },
    { text: '{{amount_due', stray: ['{{'] },
    { text: 'amount_due}}', stray: ['}}'] },
    { text: '{{{amount_due}}}', stray: ['{', '}'] },
    { text: '{{amount_due}}}', stray: ['}'] },
  ])('$text → $stray', ({ text, stray }) => {
    expect(strayBraces(text).map((s) => s.match)).toEqual(stray);
  });
});

describe('placeholder catalogue', () => {
  test.each(['amount_due', 'due_date', 'creditor_document', 'pix_copy_paste', 'payment_link'])(
    '%s is a known placeholder',
    (name) => expect(isPlaceholderName(name)).toBe(true),
  );
  test.each(['valor', 'Amount_due', 'toString', 'constructor', ''])('%j is not', (name) =>
    expect(isPlaceholderName(name)).toBe(false),
  );

  test('amounts, dates of the debt and payment codes reveal a debt; names do not', () => {
    expect(DEBT_REVEALING_PLACEHOLDERS).toEqual(
      expect.arrayContaining([
        'amount_due',
        'due_date',
        'days_overdue',
        'pix_copy_paste',
        'discount_amount',
      ]),
    );
    expect(DEBT_REVEALING_PLACEHOLDERS).not.toContain('creditor_name');
    expect(DEBT_REVEALING_PLACEHOLDERS).not.toContain('debtor_first_name');
  });

  test('the sample facts cover every placeholder and parse', () => {
    expect(Object.keys(SAMPLE_FACTS).sort()).toEqual([...PLACEHOLDER_NAMES].sort());
    expect(v.safeParse(MessageFactsSchema, SAMPLE_FACTS).success).toBe(true);
  });

  test.each([
    { facts: { amount_due: 10.5 }, ok: false },
    { facts: { due_date: '2025-02-30' }, ok: false },
    { facts: { debtor_name: '   ' }, ok: false },
    { facts: { days_overdue: 3, amount_due: 1050 }, ok: true },
  ])('facts $facts parse: $ok', ({ facts, ok }) => {
    expect(v.safeParse(MessageFactsSchema, facts).success).toBe(ok);
  });
});
