import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { isGsm7Char, smsSegments, toGsm7 } from './sms-segments';

const a = (n: number) => 'a'.repeat(n);

describe('smsSegments', () => {
  test.each([
    { name: 'empty', text: '', encoding: 'GSM-7', characters: 0, segments: 0, perSegment: 160 },
    {
      name: '160 GSM',
      text: a(160),
      encoding: 'GSM-7',
      characters: 160,
      segments: 1,
      perSegment: 160,
    },
    {
      name: '161 GSM',
      text: a(161),
      encoding: 'GSM-7',
      characters: 161,
      segments: 2,
      perSegment: 153,
    },
    {
      name: '153×2 GSM',
      text: a(306),
      encoding: 'GSM-7',
      characters: 306,
      segments: 2,
      perSegment: 153,
    },
    {
      name: '153×2+1 GSM',
      text: a(307),
      encoding: 'GSM-7',
      characters: 307,
      segments: 3,
      perSegment: 153,
    },
    {
      name: '153×3 GSM',
      text: a(459),
      encoding: 'GSM-7',
      characters: 459,
      segments: 3,
      perSegment: 153,
    },
    {
      name: 'é is GSM',
      text: 'é'.repeat(160),
      encoding: 'GSM-7',
      characters: 160,
      segments: 1,
      perSegment: 160,
    },
    {
      name: '80 € = 160 septets',
      text: '€'.repeat(80),
      encoding: 'GSM-7',
      characters: 160,
      segments: 1,
      perSegment: 160,
    },
    {
      name: '80 € + 1',
      text: `${'€'.repeat(80)}a`,
      encoding: 'GSM-7',
      characters: 161,
      segments: 2,
      perSegment: 153,
    },
    // 306 septets would fit 2×153, but the escape pair may not straddle the boundary.
    {
      name: 'escape pair not split',
      text: `${a(152)}€${a(152)}`,
      encoding: 'GSM-7',
      characters: 306,
      segments: 3,
      perSegment: 153,
    },
    {
      name: '70 UCS-2',
      text: `ã${a(69)}`,
      encoding: 'UCS-2',
      characters: 70,
      segments: 1,
      perSegment: 70,
    },
    {
      name: '71 UCS-2',
      text: `ã${a(70)}`,
      encoding: 'UCS-2',
      characters: 71,
      segments: 2,
      perSegment: 67,
    },
    {
      name: '67×2 UCS-2',
      text: `ç${a(133)}`,
      encoding: 'UCS-2',
      characters: 134,
      segments: 2,
      perSegment: 67,
    },
    {
      name: '67×2+1 UCS-2',
      text: `ç${a(134)}`,
      encoding: 'UCS-2',
      characters: 135,
      segments: 3,
      perSegment: 67,
    },
    {
      name: '35 emoji = 70 units',
      text: '😀'.repeat(35),
      encoding: 'UCS-2',
      characters: 70,
      segments: 1,
      perSegment: 70,
    },
    {
      name: '36 emoji',
      text: '😀'.repeat(36),
      encoding: 'UCS-2',
      characters: 72,
      segments: 2,
      perSegment: 67,
    },
    // 134 units would fit 2×67, but the surrogate pair at 66–67 may not be split.
    {
      name: 'surrogate pair not split',
      text: `ã${a(65)}😀${a(66)}`,
      encoding: 'UCS-2',
      characters: 134,
      segments: 3,
      perSegment: 67,
    },
  ])('$name → $segments segment(s)', ({ name: _name, text, ...expected }) => {
    const { forcedUcs2By: _, ...got } = smsSegments(text);
    expect(got).toEqual(expected);
  });

  test('one accented letter outside GSM forces UCS-2 for the whole text and is reported', () => {
    const gsm = smsSegments(`Voce e otimo ${a(150)}`);
    const ucs = smsSegments(`Você e otimo ${a(150)}`);
    expect(gsm).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(ucs).toMatchObject({ encoding: 'UCS-2', segments: 3, forcedUcs2By: ['ê'] });
  });
});

describe('isGsm7Char', () => {
  test.each([...'éèàùìòÇÉÄÖÑÜäöñüßÅåØøÆæ@£$¥¡¿§¤ΔΩ_!?\n\r', ...'€[]{}^~\\|\f'])(
    '%j is in GSM 03.38 (basic or extension)',
    (ch) => expect(isGsm7Char(ch)).toBe(true),
  );
  test.each([...'ãõçáâêíóôúÁÂÃÕÔÊÍÓÚÈÌÒÙ`\u00a0“”–😀'])('%j is not in GSM 03.38', (ch) =>
    expect(isGsm7Char(ch)).toBe(false),
  );
});

describe('toGsm7', () => {
  test.each([
    { input: 'Ação Já', expected: 'Acao Ja' },
    { input: 'Você é ótimo, à toa', expected: 'Voce é otimo, à toa' },
    { input: 'Çç', expected: 'Çc' },
    { input: 'R$\u00a0158,90', expected: 'R$ 158,90' },
    { input: '“sim” — não…', expected: '"sim" - nao...' },
    { input: 'obrigado 😀!', expected: 'obrigado !' },
    { input: 'cafe\u0301', expected: 'café' },
    { input: '1º e 2ª', expected: '1o e 2a' },
  ])('$input → $expected', ({ input, expected }) => {
    expect(toGsm7(input)).toBe(expected);
  });

  test('always yields GSM-7 text, is idempotent, and leaves GSM text unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const out = toGsm7(text);
        expect(smsSegments(out).encoding).toBe('GSM-7');
        expect(toGsm7(out)).toBe(out);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcXYZ 019éà€{}\n@£') }), (text) => {
        expect(toGsm7(text)).toBe(text);
      }),
    );
  });
});
