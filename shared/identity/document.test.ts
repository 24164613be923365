import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import {
  CnpjSchema,
  CpfSchema,
  DocumentSchema,
  documentKind,
  formatCnpj,
  formatCpf,
  formatDocument,
  isValidCnpj,
  isValidCpf,
  normalizeCnpj,
  normalizeCpf,
  parseDocument,
  tryParseCnpj,
  tryParseCpf,
  tryParseDocument,
} from './document';

describe('CPF', () => {
  test.each([
    { text: '123.456.789-09', digits: '12345678909', formatted: '123.456.789-09' },
    { text: '529.982.247-25', digits: '52998224725', formatted: '529.982.247-25' },
    { text: '11144477735', digits: '11144477735', formatted: '111.444.777-35' },
    { text: ' 987 654 321 00 ', digits: '98765432100', formatted: '987.654.321-00' },
    { text: '000.000.001-91', digits: '00000000191', formatted: '000.000.001-91' },
  ])('accepts $text', ({ text, digits, formatted }) => {
    expect(isValidCpf(text)).toBe(true);
    expect(normalizeCpf(text)).toBe(digits);
    expect(formatCpf(text)).toBe(formatted);
    expect(v.parse(CpfSchema, text)).toBe(digits);
  });

  test.each([
    { text: '123.456.789-00', why: 'os dígitos verificadores não conferem' },
    { text: '123.456.789-90', why: 'os dígitos verificadores não conferem' },
    { text: '52998224726', why: 'os dígitos verificadores não conferem' },
    { text: '111.111.111-11', why: 'todos os dígitos são iguais' },
    { text: '00000000000', why: 'todos os dígitos são iguais' },
    { text: '1234567890', why: 'tem 10 dígitos; um CPF tem 11' },
    { text: '123456789012', why: 'tem 12 dígitos' },
    { text: '123.456.789-0X', why: 'apenas dígitos' },
    { text: '', why: 'está vazio' },
  ])('refuses "$text" ($why)', ({ text, why }) => {
    expect(isValidCpf(text)).toBe(false);
    const result = v.safeParse(CpfSchema, text);
    expect(result.success).toBe(false);
    expect(result.issues?.[0]?.message).toContain(why);
    expect(() => formatCpf(text)).toThrow(why);
  });
});

describe('CNPJ', () => {
  test.each([
    { text: '11.222.333/0001-81', value: '11222333000181', formatted: '11.222.333/0001-81' },
    { text: '33000167000101', value: '33000167000101', formatted: '33.000.167/0001-01' },
    { text: '00.000.000/0001-91', value: '00000000000191', formatted: '00.000.000/0001-91' },
    { text: '53.871.143/0001-35', value: '53871143000135', formatted: '53.871.143/0001-35' },
    // The Receita Federal's published alphanumeric example (Nota Técnica COCAD/SUARA/RFB 49/2024).
    { text: '12.ABC.345/01DE-35', value: '12ABC34501DE35', formatted: '12.ABC.345/01DE-35' },
    { text: '12abc34501de35', value: '12ABC34501DE35', formatted: '12.ABC.345/01DE-35' },
    { text: 'AB.12C.D34/0001-84', value: 'AB12CD34000184', formatted: 'AB.12C.D34/0001-84' },
  ])('accepts $text', ({ text, value, formatted }) => {
    expect(isValidCnpj(text)).toBe(true);
    expect(normalizeCnpj(text)).toBe(value);
    expect(formatCnpj(text)).toBe(formatted);
    expect(v.parse(CnpjSchema, text)).toBe(value);
  });

  test.each([
    { text: '11.222.333/0001-82', why: 'os dígitos verificadores não conferem' },
    { text: '12.ABC.345/01DE-53', why: 'os dígitos verificadores não conferem' },
    // one letter changed
    { text: '12.ABD.345/01DE-35', why: 'os dígitos verificadores não conferem' },
    { text: '12.ABC.345/01DE-3A', why: 'dois dígitos verificadores' },
    { text: '11.111.111/1111-11', why: 'todos os caracteres são iguais' },
    { text: '1222333000181', why: 'tem 13 caracteres; um CNPJ tem 14' },
    { text: '12.ABC.345/01DÉ-35', why: 'caractere inesperado "É"' },
    { text: '11.222.333/0001_81', why: 'caractere inesperado "_"' },
    { text: '', why: 'está vazio' },
  ])('refuses "$text" ($why)', ({ text, why }) => {
    expect(isValidCnpj(text)).toBe(false);
    const result = v.safeParse(CnpjSchema, text);
    expect(result.success).toBe(false);
    expect(result.issues?.[0]?.message).toContain(why);
  });

  test('cannot tell apart characters whose values differ by 11 (A = 17, L = 28): a mod-11 limit', () => {
    expect(isValidCnpj('12.LBC.345/01DE-35')).toBe(true);
    expect(isValidCnpj('12.MBC.345/01DE-35')).toBe(false);
  });
});

describe('parseDocument', () => {
  test.each([
    { text: '123.456.789-09', kind: 'cpf', value: '12345678909', display: '123.456.789-09' },
    {
      text: '11.222.333/0001-81',
      kind: 'cnpj',
      value: '11222333000181',
      display: '11.222.333/0001-81',
    },
    {
      text: '12.abc.345/01de-35',
      kind: 'cnpj',
      value: '12ABC34501DE35',
      display: '12.ABC.345/01DE-35',
    },
  ])('reads $text as a $kind', ({ text, kind, value, display }) => {
    expect(parseDocument(text)).toEqual({ kind, value });
    const parsed = v.parse(DocumentSchema, text);
    expect(parsed).toBe(value);
    expect(documentKind(parsed)).toBe(kind);
    expect(formatDocument(parsed)).toBe(display);
  });

  test.each([
    { text: '', message: 'o CPF/CNPJ está vazio' },
    {
      text: '123.456.789-00',
      message: 'o CPF "123.456.789-00" é inválido (os dígitos verificadores não conferem)',
    },
    {
      text: '11.222.333/0001-80',
      message: 'o CNPJ "11.222.333/0001-80" é inválido (os dígitos verificadores não conferem)',
    },
    {
      text: '1234567890',
      message: 'não é CPF (11 dígitos) nem CNPJ (14 caracteres): tem 10',
    },
    {
      text: '123456789',
      message: 'não é CPF (11 dígitos) nem CNPJ (14 caracteres): tem 9',
    },
    { text: '123.456.789-0#', message: 'caractere inesperado "#"' },
    { text: '1234567890A', message: 'não é CPF' },
  ])('refuses "$text"', ({ text, message }) => {
    const result = tryParseDocument(text);
    expect(result).toEqual({ ok: false, message: expect.stringContaining(message) });
    expect(() => parseDocument(text)).toThrow(message);
    expect(v.safeParse(DocumentSchema, text).success).toBe(false);
  });

  test('a short number from a spreadsheet may have lost its leading zero; typed, no such guess', () => {
    const hint = '(será que a planilha apagou um zero à esquerda?)';
    for (const text of ['1234567890', '123456789', '1222333000181'.slice(1)]) {
      const typed = tryParseDocument(text);
      expect(typed.ok || typed.message.includes(hint)).toBe(false);
    }
    expect(tryParseDocument('1234567890', { fromSpreadsheet: true })).toEqual({
      ok: false,
      message: `"1234567890" não é CPF (11 dígitos) nem CNPJ (14 caracteres): tem 10 ${hint}`,
    });
    expect(tryParseCpf('1234567890', { fromSpreadsheet: true })).toMatchObject({
      ok: false,
      message: expect.stringContaining(hint),
    });
    expect(tryParseCnpj('1222333000181', { fromSpreadsheet: true })).toMatchObject({
      ok: false,
      message: expect.stringContaining(hint),
    });
  });
});
