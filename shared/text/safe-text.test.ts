import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { text } from '../domain/common.schema';
import {
  findUnsafeText,
  hasVisibleText,
  replaceUnstorable,
  safeText,
  unsafeTextMessage,
} from './safe-text';

describe('unsafeTextMessage', () => {
  test.each([
    { input: 'Maria da Conceição', reason: null },
    { input: 'linha 1\nlinha 2\r\n\tfim', reason: null },
    { input: 'Loja 👩‍🍳 da Ana', reason: null },
    { input: 'שלום \u200F(RLM)', reason: null },
    { input: '\u0000', reason: 'U+0000' },
    { input: 'a\u0008b', reason: 'U+0008' },
    { input: 'a\u000Bb', reason: 'U+000B' },
    { input: '\u007F', reason: 'U+007F' },
    { input: 'Jo\u0083o', reason: 'U+0083' },
    { input: 'abc\u202Efdp.exe', reason: 'U+202E' },
    { input: '\u2066x', reason: 'U+2066' },
    { input: 'a\uD800', reason: 'U+D800' },
    { input: '\uDC00a', reason: 'U+DC00' },
  ])('$input → $reason', ({ input, reason }) => {
    const message = unsafeTextMessage(input, 'o nome');
    if (reason === null) expect(message).toBeNull();
    else {
      expect(message).toContain(reason);
      expect(message?.startsWith('o nome ')).toBe(true);
    }
  });
});

describe('hasVisibleText', () => {
  test.each([
    { input: 'a', visible: true },
    { input: '\u200Ba', visible: true },
    { input: '👍', visible: true },
    { input: '', visible: false },
    { input: '   ', visible: false },
    { input: '\u200B\u200C\u200D\u2060\uFEFF', visible: false },
    { input: '\u00AD', visible: false },
    { input: '\u3164\uFFA0', visible: false },
    { input: '\u2800', visible: false },
    { input: '\u00A0\u2003', visible: false },
  ])('$input → $visible', ({ input, visible }) => {
    expect(hasVisibleText(input)).toBe(visible);
  });
});

describe('text() schema', () => {
  const name = text('o nome', 160);
  test.each([
    { input: ' Ana ', ok: true },
    { input: 'Ana\u0000', ok: false },
    { input: '\u200B', ok: false },
    { input: '', ok: false },
  ])('$input → ok $ok', ({ input, ok }) => {
    const result = v.safeParse(name, input);
    expect(result.success).toBe(ok);
    if (!ok) expect(result.issues).toHaveLength(1);
  });

  test('safeText reports the label given', () => {
    const result = v.safeParse(v.pipe(v.string(), safeText('a busca')), 'x\u0000');
    expect(result.issues?.[0]?.message).toMatch(/^a busca tem um caractere de controle/);
  });
});

describe('findUnsafeText', () => {
  test.each([
    { input: { a: 'ok', b: [1, 'ok'] }, field: null },
    { input: { a: { b: [{ c: 'x\u0000' }] } }, field: 'a.b[0].c' },
    { input: ['ok', '\u202E'], field: '[1]' },
    { input: { 'weird key': '\u0001' }, field: '["weird key"]' },
    { input: { 'k\u0000': 1 }, field: '["k\\u0000"]' },
    { input: 'plain \u0000', field: '' },
  ])('$field', ({ input, field }) => {
    const found = findUnsafeText(input);
    if (field === null) expect(found).toBeNull();
    else expect(found?.field).toBe(field);
  });
});

describe('replaceUnstorable', () => {
  test('NUL and lone surrogates become U+FFFD, everything else is kept', () => {
    expect(replaceUnstorable({ 'k\u0000': ['a\u0000b', 'c\uD800', 'ok\u202E', 3, null] })).toEqual({
      'k\uFFFD': ['a\uFFFDb', 'c\uFFFD', 'ok\u202E', 3, null],
    });
  });
});
