import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { EmailSchema, isValidEmail, normalizeEmail } from './email';

describe('normalizeEmail', () => {
  test.each([
    { text: '  Ana.Souza@Example.COM.br ', expected: 'ana.souza@example.com.br' },
    { text: 'ana+loja@gmail.com', expected: 'ana+loja@gmail.com' },
    { text: 'a.n.a@gmail.com', expected: 'a.n.a@gmail.com' },
    { text: 'JOSE\u0301@exemplo.com', expected: 'jos\u00e9@exemplo.com' },
  ])('$text → $expected', ({ text, expected }) => {
    expect(normalizeEmail(text)).toBe(expected);
  });
});

describe('isValidEmail', () => {
  test.each([
    'ana@example.com',
    'ana.souza+boletos@empresa.com.br',
    "o'brien@example.org",
    'joão@padaria.com.br',
    'x@sub-domain.example.co',
    'ana@xn--padaria-lua.com.br',
    'ana@exemplo.xn--p1ai',
  ])('accepts %s', (text) => {
    expect(isValidEmail(text)).toBe(true);
  });

  test.each([
    '',
    'ana',
    'ana@',
    '@example.com',
    'ana@example',
    'ana@@example.com',
    'ana souza@example.com',
    'ana@exa mple.com',
    '.ana@example.com',
    'ana.@example.com',
    'an..a@example.com',
    'ana@example..com',
    'ana@-example.com',
    'ana@example-.com',
    'ana@example.c',
    'ana@example.123',
    'ana@[192.168.0.1]',
    '"ana souza"@example.com',
    `${'a'.repeat(65)}@example.com`,
    `ana@${'a'.repeat(250)}.com`,
  ])('refuses %s', (text) => {
    expect(isValidEmail(text)).toBe(false);
  });
});

describe('EmailSchema', () => {
  test('outputs the normalised address', () => {
    expect(v.parse(EmailSchema, ' Ana@Example.COM ')).toBe('ana@example.com');
  });

  test('refuses an invalid address with a message', () => {
    const result = v.safeParse(EmailSchema, 'ana@example');
    expect(result.issues?.[0]?.message).toBe(
      'o e-mail deve ser um endereço válido, como nome@exemplo.com.br',
    );
  });
});
