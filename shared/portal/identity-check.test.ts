import { describe, expect, test } from 'vitest';
import {
  IDENTITY_DIGITS,
  identityAnswer,
  identityMatches,
  identityNeedsLetters,
} from './identity-check';

const CPF = '52998224725';
const CNPJ = '11222333000181';
// The Receita Federal's published alphanumeric example (Nota Técnica COCAD/SUARA/RFB 49/2024).
const ALPHA_CNPJ = '12ABC34501DE35';

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

  // With letters allowed (an alphanumeric CNPJ on file): upper-cased, punctuation ignored.
  test.each([
    ['12ABC3', '12ABC3'],
    ['12abc3', '12ABC3'],
    ['12.ABC.345/01DE-35', '12ABC34501DE35'],
    ['529982', '529982'],
    ['abcdef', 'ABCDEF'],
    ['12ab', null],
    ['12ABÇ3', null],
    ['12AB*3', null],
    ['A'.repeat(15), null],
  ])('letters allowed: %j → %j', (typed, expected) => {
    expect(identityAnswer(typed, true)).toBe(expected);
  });
});

describe('identityNeedsLetters', () => {
  test.each([
    [CPF, false],
    [CNPJ, false],
    [ALPHA_CNPJ, true],
    ['12abc34501de35', true],
    // Letters only after the first six: the answer is still six digits.
    ['123456AB01DE35', false],
  ])('%s → %s', (document, expected) => {
    expect(identityNeedsLetters(document)).toBe(expected);
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
    [ALPHA_CNPJ, '12ABC3', true],
    [ALPHA_CNPJ, '12ABC34501DE35', true],
    [ALPHA_CNPJ, '12ABD3', false],
    // Stored lower case (an old row) compares as upper case.
    ['12abc34501de35', '12ABC3', true],
  ])('%s with %s → %s', (document, answer, expected) => {
    expect(identityMatches(document, answer)).toBe(expected);
  });

  test('asks for six digits', () => {
    expect(IDENTITY_DIGITS).toBe(6);
  });
});
