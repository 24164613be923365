import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  allocateCents,
  applyRateBps,
  cents,
  formatBRL,
  formatDecimal,
  parseMoney,
  roundDiv,
  splitCents,
  tryParseMoney,
} from './money';

const NBSP = '\u00a0';

describe('roundDiv', () => {
  test.each([
    { n: 5, d: 2, expected: 2 },
    { n: 7, d: 2, expected: 4 },
    { n: 3, d: 2, expected: 2 },
    { n: 1, d: 2, expected: 0 },
    { n: 15, d: 10, expected: 2 },
    { n: 25, d: 10, expected: 2 },
    { n: 35, d: 10, expected: 4 },
    { n: 26, d: 10, expected: 3 },
    { n: 24, d: 10, expected: 2 },
    { n: 1, d: 3, expected: 0 },
    { n: 2, d: 3, expected: 1 },
    { n: -5, d: 2, expected: -2 },
    { n: -7, d: 2, expected: -4 },
    { n: -1, d: 2, expected: 0 },
    { n: -2, d: 3, expected: -1 },
    { n: 5, d: -2, expected: -2 },
    { n: -5, d: -2, expected: 2 },
    { n: -26, d: 10, expected: -3 },
    { n: 0, d: 7, expected: 0 },
  ])('$n / $d rounds half-even to $expected', ({ n, d, expected }) => {
    expect(roundDiv(n, d)).toBe(expected);
  });

  test.each([
    // (2^53 + 1) × 3 / 6 = 2^52 + 0.5: float arithmetic cannot even represent the numerator.
    { n: (2n ** 53n + 1n) * 3n, d: 6n, expected: 2 ** 52 },
    { n: (2n ** 53n + 3n) * 3n, d: 6n, expected: 2 ** 52 + 2 },
    // 10^19 + 5 000 over 10^4 = 10^15 + 0.5 → even neighbour 10^15.
    { n: 10n ** 19n + 5_000n, d: 10_000n, expected: 10 ** 15 },
    { n: 10n ** 19n + 15_000n, d: 10_000n, expected: 10 ** 15 + 2 },
    { n: -(10n ** 19n + 15_000n), d: 10_000n, expected: -(10 ** 15 + 2) },
    { n: 10n ** 19n + 5_001n, d: 10_000n, expected: 10 ** 15 + 1 },
  ])('exact beyond 2^53: $n / $d = $expected', ({ n, d, expected }) => {
    expect(roundDiv(n, d)).toBe(expected);
  });

  test('refuses a zero denominator and a result outside safe integers', () => {
    expect(() => roundDiv(1, 0)).toThrow(RangeError);
    expect(() => roundDiv(2n ** 60n, 1n)).toThrow(RangeError);
  });

  test.each([
    { amount: 10_050, bps: 200, expected: 201 },
    { amount: 125, bps: 200, expected: 2 },
    { amount: 175, bps: 200, expected: 4 },
    { amount: -175, bps: 200, expected: -4 },
  ])('applyRateBps($amount, $bps) = $expected', ({ amount, bps, expected }) => {
    expect(applyRateBps(cents(amount), bps)).toBe(expected);
  });
});

describe('parseMoney', () => {
  test.each([
    { text: '1.234,56', expected: 123_456 },
    { text: '1234,56', expected: 123_456 },
    { text: '1234,5', expected: 123_450 },
    { text: '0,05', expected: 5 },
    { text: 'R$ 1.234,56', expected: 123_456 },
    { text: `R$${NBSP}1.234,56`, expected: 123_456 },
    { text: 'R$1.234,56', expected: 123_456 },
    { text: 'r$ 10,00', expected: 1_000 },
    { text: '  1.234.567,89 ', expected: 123_456_789 },
    { text: '1.234.567', expected: 123_456_700 },
    { text: '1234.56', expected: 123_456 },
    { text: '1234.5', expected: 123_450 },
    { text: '1.23', expected: 123 },
    { text: '1234', expected: 123_400 },
    { text: '0', expected: 0 },
    { text: '007,10', expected: 710 },
    { text: '90.071.992.547.409,91', expected: Number.MAX_SAFE_INTEGER },
  ])('reads "$text" as $expected centavos', ({ text, expected }) => {
    expect(parseMoney(text)).toBe(expected);
  });

  test.each([
    { text: '', message: 'o valor está vazio' },
    { text: '   ', message: 'o valor está vazio' },
    { text: 'R$', message: 'não tem dígitos' },
    { text: '1.234', message: 'é ambíguo' },
    { text: '12.345', message: 'escreva 12345,00 ou 12.345,00' },
    { text: '1,234', message: 'é ambíguo' },
    { text: '1,234.56', message: 'vírgula para milhar' },
    { text: '1,234,567', message: 'mais de uma vírgula' },
    { text: '1,234,567.89', message: 'mais de uma vírgula' },
    { text: '1,2345', message: 'mais de 2 casas decimais' },
    { text: '1.2345', message: 'mais de 2 casas decimais' },
    { text: '1.234,567', message: 'mais de 2 casas decimais' },
    { text: '12.34,56', message: 'separador de milhar fora do lugar' },
    { text: '1234.567.890', message: 'separador de milhar fora do lugar' },
    { text: '1.23.456', message: 'separador de milhar fora do lugar' },
    { text: '1,', message: 'não tem dígitos depois' },
    { text: ',50', message: 'não tem dígitos antes' },
    { text: '.5', message: 'não tem dígitos antes' },
    { text: '12a', message: 'caractere inesperado "a"' },
    { text: '1 234,56', message: 'caractere inesperado " "' },
    { text: 'US$ 10', message: 'caractere inesperado "U"' },
    { text: '-10,00', message: 'é negativo' },
    { text: 'R$ -10,00', message: 'é negativo' },
    { text: '--1', message: 'caractere inesperado "-"' },
    { text: '90.071.992.547.409,92', message: 'grande demais' },
  ])('refuses "$text" ($message)', ({ text, message }) => {
    const result = tryParseMoney(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
    expect(() => parseMoney(text)).toThrow(message);
  });

  test.each([
    { text: '-10,00', expected: -1_000 },
    { text: '-R$ 1.234,56', expected: -123_456 },
    { text: 'R$ -0,01', expected: -1 },
    { text: '\u22125.00', expected: -500 },
    { text: '-0', expected: 0 },
  ])('reads negative "$text" as $expected when allowed', ({ text, expected }) => {
    expect(parseMoney(text, { allowNegative: true })).toBe(expected);
  });

  test('negative zero is zero, not -0, even when negatives are refused', () => {
    expect(Object.is(parseMoney('-0,00'), 0)).toBe(true);
  });

  test('reads back whatever formatBRL and formatDecimal write', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        (n) => {
          const amount = cents(n);
          expect(parseMoney(formatBRL(amount), { allowNegative: true })).toBe(n);
          expect(parseMoney(formatDecimal(amount), { allowNegative: true })).toBe(n);
        },
      ),
    );
  });
});

describe('formatBRL', () => {
  test.each([
    { amount: 123_456, expected: `R$${NBSP}1.234,56` },
    { amount: 5, expected: `R$${NBSP}0,05` },
    { amount: 0, expected: `R$${NBSP}0,00` },
    { amount: 100_000_000, expected: `R$${NBSP}1.000.000,00` },
    { amount: -123_456, expected: `-R$${NBSP}1.234,56` },
    { amount: Number.MAX_SAFE_INTEGER, expected: `R$${NBSP}90.071.992.547.409,91` },
  ])('formats $amount as "$expected"', ({ amount, expected }) => {
    expect(formatBRL(cents(amount))).toBe(expected);
  });

  test("pt-BR written out equals Intl's output, digit groups, centavos and signs", () => {
    const intl = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' });
    const amounts = [0, 1, 9, 10, 99, 100, 101, 99_999, 100_000, 123_456_789, 2 ** 40 + 7];
    for (let i = 0; i < 2000; i++)
      amounts.push(Math.floor(Math.abs(Math.sin(i + 1)) * 10 ** (i % 16)));
    for (const a of amounts)
      for (const amount of [a, -a])
        expect(formatBRL(cents(amount))).toBe(
          intl.format(formatDecimal(cents(amount)) as `${number}`),
        );
  });

  test('honours another locale for the same currency', () => {
    expect(formatBRL(cents(123_456), 'en-US')).toBe('R$1,234.56');
  });
});

describe('formatDecimal', () => {
  test.each([
    { amount: 123_456, expected: '1234.56' },
    { amount: 5, expected: '0.05' },
    { amount: 50, expected: '0.50' },
    { amount: 0, expected: '0.00' },
    { amount: 100, expected: '1.00' },
    { amount: -5, expected: '-0.05' },
    { amount: -123_400, expected: '-1234.00' },
    { amount: Number.MAX_SAFE_INTEGER, expected: '90071992547409.91' },
  ])('writes $amount as "$expected"', ({ amount, expected }) => {
    expect(formatDecimal(cents(amount))).toBe(expected);
  });
});

const anyCents = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });

describe('splitCents', () => {
  test.each([
    { total: 10_000, parts: 3, expected: [3_334, 3_333, 3_333] },
    { total: 10_001, parts: 3, expected: [3_334, 3_334, 3_333] },
    { total: 2, parts: 5, expected: [1, 1, 0, 0, 0] },
    { total: 900, parts: 3, expected: [300, 300, 300] },
    { total: -10_000, parts: 3, expected: [-3_334, -3_333, -3_333] },
    { total: 0, parts: 2, expected: [0, 0] },
    { total: 7, parts: 1, expected: [7] },
  ])('splits $total into $parts as $expected', ({ total, parts, expected }) => {
    expect(splitCents(cents(total), parts)).toEqual(expected);
  });

  test.each([0, -1, 1.5, Number.NaN])('refuses %s parts', (parts) => {
    expect(() => splitCents(cents(100), parts)).toThrow(RangeError);
  });

  test('parts sum to the total, differ by at most one centavo, and larger parts come first', () => {
    fc.assert(
      fc.property(anyCents, fc.integer({ min: 1, max: 60 }), (total, parts) => {
        const split = splitCents(cents(total), parts);
        expect(split).toHaveLength(parts);
        expect(split.reduce((a, b) => a + b, 0)).toBe(total);
        const magnitudes = split.map(Math.abs);
        expect(Math.max(...magnitudes) - Math.min(...magnitudes)).toBeLessThanOrEqual(1);
        for (let i = 1; i < magnitudes.length; i++)
          expect(magnitudes[i]).toBeLessThanOrEqual(magnitudes[i - 1] ?? 0);
      }),
    );
  });
});

describe('allocateCents', () => {
  test.each([
    { total: 10_000, weights: [1, 1, 1], expected: [3_334, 3_333, 3_333] },
    // exact shares 33.33…, 66.66… → floors 33 + 66, the leftover centavo goes to the larger remainder
    { total: 100, weights: [1, 2], expected: [33, 67] },
    { total: 100, weights: [2, 1], expected: [67, 33] },
    { total: 1_000, weights: [50_000, 30_000, 20_000], expected: [500, 300, 200] },
    { total: 10, weights: [3, 3, 3, 1], expected: [3, 3, 3, 1] },
    { total: 10, weights: [1, 0, 1], expected: [5, 0, 5] },
    { total: 5, weights: [1, 1], expected: [3, 2] },
    { total: -100, weights: [1, 2], expected: [-33, -67] },
    { total: 1, weights: [0, 5], expected: [0, 1] },
  ])('allocates $total by $weights as $expected', ({ total, weights, expected }) => {
    expect(allocateCents(cents(total), weights)).toEqual(expected);
  });

  test.each([{ weights: [] }, { weights: [0, 0] }, { weights: [1, -1] }, { weights: [0.5, 1] }])(
    'refuses weights $weights',
    ({ weights }) => {
      expect(() => allocateCents(cents(100), weights)).toThrow(RangeError);
    },
  );

  test('parts sum to the total, each within one centavo of its exact share', () => {
    fc.assert(
      fc.property(
        anyCents,
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          fc.pre(weights.some((w) => w > 0));
          const parts = allocateCents(cents(total), weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const weightSum = weights.reduce((a, b) => a + b, 0);
          parts.forEach((part, i) => {
            const exactTimesSum = BigInt(total) * BigInt(weights[i] ?? 0);
            const diff = BigInt(part) * BigInt(weightSum) - exactTimesSum;
            expect(diff < 0n ? -diff : diff).toBeLessThan(BigInt(weightSum));
            if (weights[i] === 0) expect(part).toBe(0);
          });
        },
      ),
    );
  });
});
