import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import {
  DDD_UF,
  PhoneE164Schema,
  formatPhoneBR,
  isMobile,
  isValidDdd,
  phoneMatchKeys,
  samePhone,
  toE164,
  tryToE164,
  ufOfPhone,
} from './phone';

describe('toE164', () => {
  test.each([
    { text: '(11) 98765-4321', expected: '+5511987654321' },
    { text: '11987654321', expected: '+5511987654321' },
    { text: '+55 11 98765-4321', expected: '+5511987654321' },
    { text: '+55 (11) 9 8765.4321', expected: '+5511987654321' },
    { text: '5511987654321', expected: '+5511987654321' },
    { text: '011 98765-4321', expected: '+5511987654321' },
    { text: '0xx11 98765-4321', expected: '+5511987654321' },
    { text: '0XX11987654321', expected: '+5511987654321' },
    { text: '0 21 11 98765-4321', expected: '+5511987654321' },
    { text: '(21) 3456-7890', expected: '+552134567890' },
    { text: '552134567890', expected: '+552134567890' },
    { text: '0 15 21 3456-7890', expected: '+552134567890' },
    { text: '(55) 2345-6789', expected: '+555523456789' },
    { text: '55 99876-5432', expected: '+5555998765432' },
    // old 8-digit mobile gets its 9th digit
    { text: '(11) 8765-4321', expected: '+5511987654321' },
    { text: '+55 11 6123-4567', expected: '+5511961234567' },
  ])('$text → $expected', ({ text, expected }) => {
    expect(toE164(text)).toBe(expected);
    expect(v.parse(PhoneE164Schema, text)).toBe(expected);
    expect(toE164(expected)).toBe(expected);
  });

  test.each([
    { text: '98765-4321', ddd: '31', expected: '+5531987654321' },
    { text: '3456-7890', ddd: '31', expected: '+553134567890' },
    { text: '(11) 98765-4321', ddd: '31', expected: '+5511987654321' },
  ])('$text with default DDD $ddd → $expected', ({ text, ddd, expected }) => {
    expect(toE164(text, ddd)).toBe(expected);
  });

  test.each([
    { text: '', message: 'o telefone está vazio' },
    { text: '98765-4321', message: 'não tem DDD' },
    { text: '+1 415 555 2671', message: 'não é brasileiro' },
    { text: '+55 98765-4321', message: 'tem 9 dígitos depois do código do país' },
    { text: '(20) 98765-4321', message: 'tem um DDD inexistente: 20' },
    { text: '(10) 3456-7890', message: 'tem um DDD inexistente: 10' },
    { text: '(23) 3456-7890', message: 'tem um DDD inexistente: 23' },
    { text: '(11) 88765-4321', message: 'mas não começa com 9' },
    { text: '(11) 1234-5678', message: 'não é fixo nem celular' },
    { text: '(11) 987654-32100', message: 'tem 13 dígitos' },
    { text: '(11) 765-4321', message: 'tem 9 dígitos' },
    { text: '11 9876 5432 ramal 2', message: 'caracteres que não são dígitos' },
    { text: '0800 123 4567', message: 'tem um DDD inexistente: 80' },
  ])('refuses "$text" ($message)', ({ text, message }) => {
    const result = tryToE164(text);
    expect(result).toEqual({ ok: false, message: expect.stringContaining(message) });
    expect(() => toE164(text)).toThrow(message);
    expect(v.safeParse(PhoneE164Schema, text).issues?.[0]?.message).toContain(message);
  });

  test('the DDD table has the 67 area codes in use, each mapped to a state', () => {
    expect(Object.keys(DDD_UF)).toHaveLength(67);
    expect(isValidDdd('11')).toBe(true);
    expect(isValidDdd('25')).toBe(false);
    expect(isValidDdd('toString')).toBe(false);
  });
});

describe('isMobile, formatPhoneBR, ufOfPhone', () => {
  test.each([
    { phone: '+5511987654321', mobile: true, display: '(11) 98765-4321', uf: 'SP' },
    { phone: '+552134567890', mobile: false, display: '(21) 3456-7890', uf: 'RJ' },
    { phone: '+551187654321', mobile: true, display: '(11) 98765-4321', uf: 'SP' },
    { phone: '+5561991234567', mobile: true, display: '(61) 99123-4567', uf: 'DF' },
    { phone: '+558532345678', mobile: false, display: '(85) 3234-5678', uf: 'CE' },
  ])('$phone', ({ phone, mobile, display, uf }) => {
    expect(isMobile(phone)).toBe(mobile);
    expect(formatPhoneBR(phone)).toBe(display);
    expect(ufOfPhone(toE164(phone))).toBe(uf);
  });

  test('isMobile is false for invalid input', () => {
    expect(isMobile('+55119876')).toBe(false);
  });
});

describe('phoneMatchKeys and samePhone', () => {
  test.each([
    { phone: '+5511987654321', keys: ['+5511987654321', '+551187654321'] },
    { phone: '+551187654321', keys: ['+5511987654321', '+551187654321'] },
    // a newer mobile (9 then 0–5) never had an 8-digit form; that form would be a landline
    { phone: '+5511951234567', keys: ['+5511951234567'] },
    { phone: '+551151234567', keys: ['+551151234567'] },
    { phone: 'not a phone', keys: [] },
  ])('$phone → $keys', ({ phone, keys }) => {
    expect(phoneMatchKeys(phone)).toEqual(keys);
  });

  test.each([
    { a: '+5511987654321', b: '+551187654321', same: true },
    { a: '(11) 98765-4321', b: '11 8765-4321', same: true },
    { a: '+5511987654321', b: '+5521987654321', same: false },
    { a: '+5511987654321', b: '+5511987654322', same: false },
    { a: '+5511951234567', b: '+551151234567', same: false },
    { a: '+5511987654321', b: 'garbage', same: false },
  ])('samePhone($a, $b) = $same', ({ a, b, same }) => {
    expect(samePhone(a, b)).toBe(same);
    expect(samePhone(b, a)).toBe(same);
  });
});
