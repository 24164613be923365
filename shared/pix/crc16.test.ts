import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import { crc16ccittFalse, crc16ccittFalseBytes } from './crc16';

// Bit-by-bit reference, independent of the table-driven implementation.
function referenceCrc(text: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

describe('crc16ccittFalse', () => {
  test.each([
    { text: '123456789', crc: '29B1' },
    { text: '', crc: 'FFFF' },
    { text: 'A', crc: 'B915' },
    {
      text: '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***6304',
      crc: '1D3D',
    },
    {
      text: '00020126580014BR.GOV.BCB.PIX0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***6304',
      crc: 'F01B',
    },
  ])('CRC of "$text" is $crc', ({ text, crc }) => {
    expect(crc16ccittFalse(text)).toBe(crc);
  });

  test('hashes UTF-8 bytes, not UTF-16 code units', () => {
    const utf8 = crc16ccittFalseBytes(Uint8Array.of(0xc3, 0xa9));
    const utf16Unit = crc16ccittFalseBytes(Uint8Array.of(0xe9));
    expect(parseInt(crc16ccittFalse('é'), 16)).toBe(utf8);
    expect(utf8).not.toBe(utf16Unit);
  });

  test('zero-pads small CRCs to 4 upper-case digits', () => {
    let found: { text: string; crc: string } | undefined;
    for (let i = 0; found === undefined; i++) {
      const crc = crc16ccittFalse(`pad${i}`);
      if (crc.startsWith('00')) found = { text: `pad${i}`, crc };
    }
    expect(found.crc).toMatch(/^00[0-9A-F]{2}$/);
    expect(found.crc).toBe(referenceCrc(found.text));
  });

  test('matches the bitwise reference on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        const crc = crc16ccittFalse(text);
        expect(crc).toMatch(/^[0-9A-F]{4}$/);
        expect(crc).toBe(referenceCrc(text));
      }),
    );
  });
});
