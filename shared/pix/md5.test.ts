import { describe, expect, test } from 'vitest';
import { md5Hex } from './md5';

describe('md5Hex', () => {
  // RFC 1321 appendix A.5 test suite.
  test.each([
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    [
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
      'd174ab98d277d9f5a5611c2c9f419d9f',
    ],
    [
      '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
      '57edf4a22be3c955ac49da2e2107b67a',
    ],
  ])('md5(%j) = %s', (text, hex) => {
    expect(md5Hex(text)).toBe(hex);
  });

  // Digests from an independent implementation (node:crypto), across the 55/56/64-byte padding
  // edges where a second block starts, and for multi-byte UTF-8.
  test.each([
    [55, '04364420e25c512fd958a70738aa8f72'],
    [56, '668a72d5ba17f08e62dabcafad6db14b'],
    [57, '693037871c4a9d3d8685018905cb530a'],
    [63, '7dc2ca208106a2f703567bdff99d8981'],
    [64, 'c1bb4f81d892b2d57947682aeb252456'],
    [65, '1bc932052302d074bdec39795fe00cf6'],
    [119, 'ab347a5f68c8a443cfcddc633f12c24f'],
    [120, 'fb98667f98096de92620b64f46e1c5b5'],
  ])('%i × "x"', (n, hex) => {
    expect(md5Hex('x'.repeat(n))).toBe(hex);
  });

  test('hashes UTF-8 bytes', () => {
    expect(md5Hex('Loja 1º de Maio — ção ☕')).toBe('b8b907b3dabd111caa075aeec31adf11');
  });
});
