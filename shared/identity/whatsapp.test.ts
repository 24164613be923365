import { describe, expect, test } from 'vitest';
import { parseWhatsappCell, presumedWhatsapp, whatsappFlag } from './whatsapp';

describe('presumed WhatsApp', () => {
  test.each([
    ['+5511987654321', true, 'São Paulo mobile'],
    ['(21) 99876-5432', true, 'Rio mobile as typed'],
    ['+551133334444', false, 'landline'],
    ['11 3333-4444', false, 'landline as typed'],
    ['not a phone', false, 'unreadable'],
    ['', false, 'empty'],
  ])('%s → %s (%s)', (phone, expected) => {
    expect(presumedWhatsapp(phone)).toBe(expected);
  });

  test('a stated flag wins over the presumption', () => {
    expect(whatsappFlag('+5511987654321', false)).toBe(false);
    expect(whatsappFlag('+551133334444', true)).toBe(true);
    expect(whatsappFlag('+5511987654321', null)).toBe(true);
    expect(whatsappFlag('+551133334444', undefined)).toBe(false);
  });
});

describe('the whatsapp column of a spreadsheet', () => {
  test.each([
    ['sim', true],
    ['S', true],
    [' x ', true],
    ['1', true],
    ['não', false],
    ['NAO', false],
    ['n', false],
    ['0', false],
    ['', null],
    ['  ', null],
    ['talvez', undefined],
  ])('%j → %j', (cell, expected) => {
    expect(parseWhatsappCell(cell)).toBe(expected);
  });
});
