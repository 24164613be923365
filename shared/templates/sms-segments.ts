/**
 * SMS length in segments, as operators bill it. Text that fits the GSM 03.38 (3GPP TS 23.038)
 * default alphabet travels as 7-bit septets: 160 per single message, 153 per part once a message is
 * concatenated (the User Data Header takes 7). Characters of the extension table (`€ [ ] { } ^ ~ \ |`
 * and form feed) need an escape septet, so they count 2 and are never split across parts. Any
 * other character forces UCS-2 for the WHOLE message: 70 UTF-16 units single, 67 per part, and a
 * surrogate pair (an emoji) is never split. In Portuguese that means 'ã', 'õ', 'ç', 'á', 'â', 'ê',
 * 'í', 'ó', 'ô', 'ú' force UCS-2, while 'é', 'è', 'à', 'ù', 'ì', 'ò', 'Ç', 'É', 'Ä', 'Ö', 'Ü', 'Ñ' are
 * in the basic table. National language shift tables (which do have 'ã') are not assumed: few
 * gateways in Brazil send them.
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export const SmsEncodings = ['GSM-7', 'UCS-2'] as const;
export type SmsEncoding = (typeof SmsEncodings)[number];

export interface SmsLength {
  encoding: SmsEncoding;
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  characters: number;
  /** 0 for empty text. */
  segments: number;
  /** Capacity of each segment at this length: 160/153 (GSM-7) or 70/67 (UCS-2). */
  perSegment: number;
  /** Distinct characters outside GSM 03.38 that forced UCS-2 (empty for GSM-7). */
  forcedUcs2By: string[];
}

/** True when `char` (one code point) is in the GSM 03.38 basic table or its extension. */
export function isGsm7Char(char: string): boolean {
  return BASIC.has(char) || EXTENSION.has(char);
}

/** Segment count and encoding of `text` as an SMS. */
export function smsSegments(text: string): SmsLength {
  const forced = new Set<string>();
  for (const ch of text) if (!isGsm7Char(ch)) forced.add(ch);

  if (forced.size === 0) {
    const weights = [...text].map((ch) => (EXTENSION.has(ch) ? 2 : 1));
    return pack('GSM-7', weights, 160, 153, []);
  }
  const weights = [...text].map((ch) => ch.length);
  return pack('UCS-2', weights, 70, 67, [...forced]);
}

function pack(
  encoding: SmsEncoding,
  weights: number[],
  single: number,
  multi: number,
  forcedUcs2By: string[],
): SmsLength {
  const characters = weights.reduce((a, b) => a + b, 0);
  if (characters === 0)
    return { encoding, characters, segments: 0, perSegment: single, forcedUcs2By };
  if (characters <= single)
    return { encoding, characters, segments: 1, perSegment: single, forcedUcs2By };
  // Greedy packing: an escape pair or a surrogate pair that does not fit moves whole to the next part.
  let segments = 1;
  let used = 0;
  for (const w of weights) {
    if (used + w > multi) {
      segments += 1;
      used = 0;
    }
    used += w;
  }
  return { encoding, characters, segments, perSegment: multi, forcedUcs2By };
}

const SUBSTITUTES: Record<string, string> = {
  '\u00a0': ' ',
  '\u202f': ' ',
  '\u2007': ' ',
  '\t': ' ',
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u2022': '-',
  ª: 'a',
  º: 'o',
};

/**
 * `text` rewritten into the GSM 03.38 alphabet: letters lose the accents GSM lacks ('ç' → 'c',
 * 'ã' → 'a', 'ê' → 'e', while 'é' and 'à' stay), typographic quotes, dashes and no-break spaces
 * become ASCII, and symbols with no equivalent (emoji) are dropped. Accent-free SMS is customary in
 * Brazil because one 'ã' would cut each segment from 153 to 67 characters.
 */
export function toGsm7(text: string): string {
  let out = '';
  // NFC first, so 'e' + combining acute becomes the GSM letter 'é' instead of losing its accent.
  for (const ch of text.normalize('NFC')) {
    if (isGsm7Char(ch)) out += ch;
    else if (SUBSTITUTES[ch] !== undefined) out += SUBSTITUTES[ch];
    else {
      for (const base of ch.normalize('NFKD').replace(/\p{M}/gu, ''))
        if (isGsm7Char(base)) out += base;
    }
  }
  return out;
}
