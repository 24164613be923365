import { describe, expect, test } from 'vitest';
import { IDENTITY_DIGITS, identityAnswer, identityMatches } from './identity-check';

const CPF = '52998224725';
const CNPJ = '11222333000181';

describe('identityAnswer', () => {
  test.each([
    ['529982', '529982'],
    [' 529.982 ', '529982'],
    ['529.982.247-25', '52998224725'],
    ['11.222.333/0001-81', '11222333000181'],
    ['52998', null],
    ['', null],
    ['abcdef', null],
    ['529982x', null],
    ['1'.repeat(15), null],
  ])('%j → %j', (typed, expected) => {
    expect(identityAnswer(typed)).toBe(expected);
  });
});

describe('identityMatches', () => {
  test.each([
    [CPF, '529982', true],
    [CPF, '52998224725', true],
    // Only the first six count: a wrong tail typed after them is not checked.
    [CPF, '52998299999', true],
    [CPF, '529983', false],
    [CPF, '029982', false],
    [CNPJ, '112223', true],
    [CNPJ, '112224', false],
    [CPF, '52998', false],
    ['52998', '529982', false],
  ])('%s with %s → %s', (document, answer, expected) => {
    expect(identityMatches(document, answer)).toBe(expected);
  });

  test('asks for six digits', () => {
    expect(IDENTITY_DIGITS).toBe(6);
  });
});
