import { describe, expect, test } from 'vitest';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword } from './password';
import { generateToken, hashToken } from './tokens';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

describe('hashPassword / verifyPassword', () => {
  test('stores the parameters and a 16-byte salt with the hash', async () => {
    const stored = await hashPassword('senha secreta 123');
    const [scheme, N, r, p, salt, key] = stored.split('$');
    expect([scheme, Number(N), Number(r), Number(p)]).toEqual([
      'scrypt',
      DEFAULT_SCRYPT.N,
      DEFAULT_SCRYPT.r,
      DEFAULT_SCRYPT.p,
    ]);
    expect(Buffer.from(salt ?? '', 'base64url')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64url')).toHaveLength(32);
  });

  test('salts every hash: the same password never hashes the same twice', async () => {
    expect(await hashPassword('same', CHEAP)).not.toBe(await hashPassword('same', CHEAP));
  });

  test.each([
    { stored: 'senha secreta 123', tried: 'senha secreta 123', ok: true },
    { stored: 'senha secreta 123', tried: 'senha secreta 124', ok: false },
    { stored: 'senha secreta 123', tried: 'Senha secreta 123', ok: false },
    { stored: 'senha secreta 123', tried: '', ok: false },
    // Composed "ç" and "c" + combining cedilla are the same password after NFC.
    { stored: 'ma\u00e7\u00e3 verde 42', tried: 'mac\u0327a\u0303 verde 42', ok: true },
  ])('$tried against $stored → $ok', async ({ stored, tried, ok }) => {
    expect(await verifyPassword(tried, await hashPassword(stored, CHEAP))).toBe(ok);
  });

  test.each([
    '',
    'plain-text-password',
    'bcrypt$10$abc$def',
    'scrypt$1024$8$1$$AAAA',
    'scrypt$abc$8$1$c2FsdA$AAAA',
    'scrypt$1073741824$8$1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U',
  ])('a malformed stored hash %j never verifies and never throws', async (stored) => {
    expect(await verifyPassword('anything', stored)).toBe(false);
  });
});

describe('generateToken', () => {
  test.each([
    { kind: 'session', prefix: 'quita_ses_' },
    { kind: 'api', prefix: 'quita_pat_' },
    { kind: 'setup', prefix: 'quita_setup_' },
  ] as const)('$kind tokens carry $prefix and 32 random bytes', ({ kind, prefix }) => {
    const a = generateToken(kind);
    const b = generateToken(kind);
    expect(a.token.startsWith(prefix)).toBe(true);
    expect(Buffer.from(a.token.slice(prefix.length), 'base64url')).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(hashToken(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.display).toBe(a.token.slice(0, prefix.length + 4));
  });
});
