/**
 * The first stage of an import: bytes → text, whatever Excel saved.
 *
 * Excel in Brazil saves "CSV (separado por vírgulas)" in Windows-1252 (and with `;`), "CSV UTF-8"
 * with a BOM, and "Texto Unicode" in UTF-16LE with a BOM. The encoding is decided once, from the
 * bytes, without buffering the file:
 * - a BOM decides (UTF-8, UTF-16LE, UTF-16BE);
 * - otherwise the text is ASCII until the first byte ≥ 0x80; from there the rest of that chunk
 *   (at least 64 bytes of it, or the end of the file, at most 64 KiB) is judged by `guessEncoding`;
 * - a charset the client declares (Content-Type) wins over the guess, but not over a BOM.
 *
 * Windows-1252 is decoded here, not by TextDecoder: Node 20's 'windows-1252' decoder is really
 * Latin-1 (0x80–0x9F come out as C1 controls instead of € ‚ ƒ „ … “ ” – —), and those are exactly
 * the bytes Excel uses for curly quotes and dashes. The five bytes Windows-1252 leaves undefined
 * become U+FFFD, which the row checks report with line and column.
 */
import { InputTooLargeError } from './csv-records';

export const TEXT_ENCODINGS = ['utf-8', 'windows-1252', 'utf-16le', 'utf-16be'] as const;
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number];

/** The names a client may declare, mapped to what we decode (Latin-1 is a subset of 1252). */
const CHARSET_LABELS: Readonly<Record<string, TextEncodingName>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'us-ascii': 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'utf-16': 'utf-16le',
};

/** The encoding a Content-Type charset names, or undefined when we do not read it. */
export function charsetEncoding(charset: string): TextEncodingName | undefined {
  return CHARSET_LABELS[charset.trim().toLowerCase()];
}

// prettier-ignore
const CP1252_C1: readonly string[] = [
  '\u20AC', '\uFFFD', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
  '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\uFFFD', '\u017D', '\uFFFD',
  '\uFFFD', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
  '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\uFFFD', '\u017E', '\u0178',
];
const LATIN1 = new TextDecoder('latin1');

/** Windows-1252 bytes as text (each byte is one character, so chunks need no state). */
export function decodeWindows1252(bytes: Uint8Array): string {
  // Node's 'latin1' decoder maps each byte to the code point of the same value.
  return LATIN1.decode(bytes).replace(
    /[\u0080-\u009F]/g,
    (c) => CP1252_C1[c.charCodeAt(0) - 0x80] ?? '\uFFFD',
  );
}

/** Text encoded as Windows-1252; characters it cannot represent become '?'. */
export function encodeWindows1252(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  let n = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0x3f;
    const c1 = CP1252_C1.indexOf(char);
    if (c1 >= 0 && char !== '\uFFFD') out[n++] = 0x80 + c1;
    else if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) out[n++] = code;
    else out[n++] = 0x3f;
  }
  return out.slice(0, n);
}

const DECIDE_BYTES = 64;
const DECIDE_WINDOW = 64 * 1024;

/**
 * Counts the well-formed and the broken UTF-8 multi-byte sequences in `bytes` (a sequence cut
 * by the end of `bytes` counts as neither).
 */
export function utf8Evidence(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const need =
      b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) {
      invalid += 1;
      i += 1;
      continue;
    }
    let k = 1;
    while (k <= need && i + k < bytes.length && ((bytes[i + k] ?? 0) & 0xc0) === 0x80) k += 1;
    if (k > need) {
      valid += 1;
      i += k;
    } else if (i + k >= bytes.length) {
      break;
    } else {
      invalid += 1;
      i += 1;
    }
  }
  return { valid, invalid };
}

/**
 * UTF-8 or Windows-1252 for a stretch of bytes that has non-ASCII in it: UTF-8 when its
 * well-formed multi-byte sequences are at least as many as the broken ones. Windows-1252 text
 * almost never forms one ("ção" is E7 E3 6F: E7 wants two continuation bytes); a UTF-8 file
 * with one stray Latin-1 byte stays UTF-8, and that byte's line is reported.
 */
export function guessEncoding(bytes: Uint8Array): 'utf-8' | 'windows-1252' {
  const { valid, invalid } = utf8Evidence(bytes.subarray(0, DECIDE_WINDOW));
  return valid > 0 && valid >= invalid ? 'utf-8' : invalid > 0 ? 'windows-1252' : 'utf-8';
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.byteLength === 0) return b;
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

/** A decoding in progress: its text and, once decided, the encoding it read. */
export interface DecodedText {
  text: AsyncGenerator<string>;
  /** Known after the first non-ASCII byte or BOM; 'utf-8' for a file that is all ASCII. */
  encoding(): TextEncodingName | undefined;
  /** True when the bytes began with a byte-order mark. */
  hadBom(): boolean;
}

/**
 * Decodes `chunks`, detecting the encoding as described above (or using `declared`). Throws
 * InputTooLargeError past `maxBytes`, after yielding what came before.
 */
export function decodeText(
  chunks: AsyncIterable<Uint8Array>,
  options: { maxBytes?: number; declared?: TextEncodingName } = {},
): DecodedText {
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  let encoding: TextEncodingName | undefined = options.declared;
  let bom = false;
  async function* run(): AsyncGenerator<string> {
    let total = 0;
    let pending: Uint8Array = new Uint8Array(0);
    let started = false;
    let utf: TextDecoder | undefined;
    const emit = (bytes: Uint8Array, final: boolean): string => {
      if (encoding === 'windows-1252') return decodeWindows1252(bytes);
      utf ??= new TextDecoder(encoding ?? 'utf-8', { ignoreBOM: true });
      return utf.decode(bytes, { stream: !final });
    };
    const step = (final: boolean): string => {
      let bytes = pending;
      pending = new Uint8Array(0);
      if (!started) {
        // The BOM needs up to 3 bytes; wait for them unless the file is shorter.
        if (bytes.byteLength < 3 && !final) {
          pending = bytes;
          return '';
        }
        started = true;
        if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
          bom = true;
          encoding = 'utf-8';
          bytes = bytes.subarray(3);
        } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
          bom = true;
          encoding = 'utf-16le';
          bytes = bytes.subarray(2);
        } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
          bom = true;
          encoding = 'utf-16be';
          bytes = bytes.subarray(2);
        }
      }
      if (encoding !== undefined) return emit(bytes, final);
      const firstHigh = bytes.findIndex((b) => b >= 0x80);
      if (firstHigh < 0) {
        if (final) encoding = 'utf-8';
        return LATIN1.decode(bytes);
      }
      const rest = bytes.subarray(firstHigh);
      if (rest.byteLength < DECIDE_BYTES && !final) {
        // Too little to judge: keep the undecided tail for the next chunk.
        pending = rest.slice();
        return LATIN1.decode(bytes.subarray(0, firstHigh));
      }
      encoding = guessEncoding(rest);
      return LATIN1.decode(bytes.subarray(0, firstHigh)) + emit(rest, final);
    };
    for await (const chunk of chunks) {
      total += chunk.byteLength;
      if (total > maxBytes) throw new InputTooLargeError(maxBytes);
      pending = concat(pending, chunk);
      const text = step(false);
      if (text !== '') yield text;
    }
    const rest = step(true);
    if (rest !== '') yield rest;
  }
  return { text: run(), encoding: () => encoding, hadBom: () => bom };
}
