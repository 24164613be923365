import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { UFS, UfSchema, isUf } from './uf';

describe('UF', () => {
  test('lists the 26 states and the Federal District once each', () => {
    expect(UFS).toHaveLength(27);
    expect(new Set(UFS).size).toBe(27);
  });

  test.each([
    { text: 'SP', valid: true },
    { text: 'DF', valid: true },
    { text: 'TO', valid: true },
    { text: 'sp', valid: false },
    { text: 'XX', valid: false },
    { text: 'GB', valid: false },
  ])('$text valid: $valid', ({ text, valid }) => {
    expect(isUf(text)).toBe(valid);
    expect(v.safeParse(UfSchema, text).success).toBe(valid);
  });
});
