/**
 * CRC-16/CCITT-FALSE (a.k.a. CRC-16/IBM-3740), the checksum of field 63 of a PIX BR Code:
 * polynomial 0x1021, initial value 0xFFFF, no reflection, no final xor.
 */

const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    table[byte] = crc;
  }
  return table;
}

const encoder = new TextEncoder();

/** The CRC of `bytes` as a number 0–0xFFFF. */
export function crc16ccittFalseBytes(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] ?? 0);
  }
  return crc;
}

/**
 * The CRC of the UTF-8 bytes of `text` as 4 upper-case hex digits, zero-padded: a CRC of 0x0EA9
 * must print "0EA9", never "EA9" (a bug several public PIX generators shipped).
 */
export function crc16ccittFalse(text: string): string {
  return crc16ccittFalseBytes(encoder.encode(text)).toString(16).toUpperCase().padStart(4, '0');
}
