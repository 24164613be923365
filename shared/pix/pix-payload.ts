/**
 * Static PIX "BR Code" (EMV QRCPS-MPM): build and parse the copy-and-paste payload that a QR code
 * carries. Every field is TLV (2-digit id, 2-digit byte length, value); field 63 is the
 * CRC-16/CCITT-FALSE of everything before it, including the literal "6304".
 * Vectors and rules: reference/collections.md §(d).
 */
import type { Cents } from '../money/money';
import { crc16ccittFalse, crc16ccittFalseBytes } from './crc16';
import { pixError, unwrapPix, type PixError, type PixResult } from './pix-error';
import { detectKeyType, normalisePixKey, type PixKeyType } from './pix-key';

export const PIX_GUI = 'br.gov.bcb.pix';
export const NAME_MAX = 25;
export const CITY_MAX = 15;
export const TXID_MAX = 25;
/** Upper bound on the whole payload (EMV MPM alphanumeric QR capacity used by BR Code). */
export const PAYLOAD_MAX = 512;
const TLV_VALUE_MAX = 99;
/** Field 54 holds at most 13 characters: "9999999999.99". */
const AMOUNT_MAX = 999_999_999_999;
const NO_TXID = '***';

export const PixInitiations = ['reusable', 'single-use'] as const;
export type PixInitiation = (typeof PixInitiations)[number];

/** What goes into a BR Code; exactly one of `key` (static) or `url` (dynamic) is required. */
export interface PixPayloadInput {
  /** PIX key; normalised (CPF/CNPJ punctuation stripped, e-mail and EVP lower-cased). */
  key?: string;
  keyType?: PixKeyType;
  /** Dynamic-charge location (field 26-25), without "https://". */
  url?: string;
  /** Merchant (creditor) name, at most 25 characters after ASCII folding. */
  name: string;
  /** Merchant city, at most 15 characters after ASCII folding. */
  city: string;
  /**
   * Greater than zero. Leave it out for an open amount (the payer types it): a zero amount is
   * refused, so a code without an amount is never made by accident.
   */
  amount?: Cents;
  /** Reference label, 1–25 of [A-Za-z0-9]; "***" when absent. */
  txid?: string;
  /** Free text shown to the payer (infoAdicional, field 26-02). */
  description?: string;
  /** 8-digit CEP (field 61); a hyphen is accepted. */
  postalCode?: string;
  /** Field 00 of template 26; case matters to the CRC. Defaults to "br.gov.bcb.pix". */
  gui?: string;
  /** Field 01: "reusable" = 11, "single-use" = 12; omitted when absent. */
  initiation?: PixInitiation;
  /**
   * For UI use: cut name, city and description to fit and drop characters with no ASCII form,
   * instead of failing. Key, txid, amount and postal code are never altered.
   */
  truncate?: boolean;
}

/** One TLV field; `children` is set for templates (26–51, 62, 64, 80–99). */
export interface PixField {
  id: string;
  value: string;
  children?: PixField[];
}

/** A parsed and CRC-checked BR Code. */
export interface ParsedPix {
  fields: PixField[];
  gui: string;
  key?: string;
  keyType?: PixKeyType;
  url?: string;
  description?: string;
  name: string;
  city: string;
  amount?: Cents;
  /** Absent when the payload carries "***". */
  txid?: string;
  postalCode?: string;
  initiation?: PixInitiation;
  crc: string;
}

// Letters that Unicode does not decompose into an ASCII base plus marks. The ordinal indicators
// (º, ª) and the degree sign typed in their place are everyday Portuguese ("Loja 1º de Maio",
// "2ª Vara"): folded to o/a like an accent, never refused.
const ASCII_EXTRA: Readonly<Record<string, string>> = {
  º: 'o',
  ª: 'a',
  '°': 'o',
  ß: 'ss',
  Æ: 'AE',
  æ: 'ae',
  Œ: 'OE',
  œ: 'oe',
  Ø: 'O',
  ø: 'o',
  Đ: 'D',
  đ: 'd',
  Ł: 'L',
  ł: 'l',
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u2013': '-',
  '\u2014': '-',
};

/**
 * Folds text to printable ASCII: strips diacritics (NFD), maps a few ligatures, collapses
 * whitespace. Returns the offending characters when some have no ASCII form and `drop` is false.
 */
export function foldToAscii(
  text: string,
  drop = false,
): { ok: true; value: string } | { ok: false; rejected: string } {
  const folded = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, (ch) => ASCII_EXTRA[ch] ?? (/\s/.test(ch) ? ' ' : ch))
    .replace(/\s+/g, ' ')
    .trim();
  const bad = folded.match(/[^\x20-\x7e]/gu);
  if (!bad) return { ok: true, value: folded };
  if (drop)
    return {
      ok: true,
      value: folded
        .replace(/[^\x20-\x7e]/gu, '')
        .replace(/ +/g, ' ')
        .trim(),
    };
  return { ok: false, rejected: [...new Set(bad)].join('') };
}

function tlv(id: string, value: string): string {
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/** "10.00" for 1000 centavos. */
export function formatPixAmount(amount: Cents): string {
  return `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
}

const FIELD_LABELS = { name: 'o nome', city: 'a cidade', description: 'a descrição' } as const;

function textField(
  field: 'name' | 'city' | 'description',
  raw: string,
  max: number,
  truncate: boolean,
): PixResult<string> {
  const label = FIELD_LABELS[field];
  const folded = foldToAscii(raw, truncate);
  if (!folded.ok)
    return pixError(
      'not_ascii',
      field,
      `${label} tem caracteres sem equivalente ASCII: ${folded.rejected}`,
    );
  let value = folded.value;
  if (value.length > max) {
    if (!truncate) return pixError('too_long', field, `${label} passa de ${max} caracteres`);
    value = value.slice(0, max).trimEnd();
  }
  return { ok: true, value };
}

/** Builds the BR Code payload, or a `PixError` naming the input field at fault. */
export function buildPixPayload(input: PixPayloadInput): PixResult<string> {
  const truncate = input.truncate === true;

  const gui = input.gui ?? PIX_GUI;
  if (gui.toLowerCase() !== PIX_GUI)
    return pixError('invalid_gui', 'gui', `o GUI deve ser ${PIX_GUI} (maiúsculas ou minúsculas)`);

  let account = tlv('00', gui);
  if (input.key !== undefined && input.url !== undefined)
    return pixError(
      'conflict',
      'key',
      'informe a chave (estático) ou a url (dinâmico), não as duas',
    );
  if (input.key !== undefined) {
    const key = normalisePixKey(input.key, input.keyType);
    if (!key.ok) return key;
    account += tlv('01', key.value.key);
  } else if (input.url !== undefined) {
    const url = input.url.trim().replace(/^https:\/\//i, '');
    if (url === '' || !/^[\x21-\x7e]+$/.test(url))
      return pixError(
        'invalid_url',
        'url',
        'a url deve ter só caracteres ASCII visíveis, sem espaços',
      );
    account += tlv('25', url);
  } else {
    return pixError('required', 'key', 'informe a chave PIX');
  }
  if (account.length > TLV_VALUE_MAX)
    return pixError(
      'too_long',
      'url',
      // Only a url can overflow: the longest key (a 77-character e-mail) fills field 26 exactly.
      `a url passa de ${TLV_VALUE_MAX - tlv('00', PIX_GUI).length - 4} caracteres e não cabe no campo 26`,
    );

  if (input.description !== undefined) {
    // Field 26 is capped at 99 characters, so the room left for the description depends on the key.
    const room = TLV_VALUE_MAX - account.length - 4;
    const description = textField('description', input.description, Math.max(room, 0), truncate);
    if (!description.ok) {
      if (description.code !== 'too_long') return description;
      return pixError(
        'too_long',
        'description',
        `a descrição passa de ${Math.max(room, 0)} caracteres (o espaço que esta chave deixa no campo 26)`,
      );
    }
    if (description.value !== '') account += tlv('02', description.value);
  }

  let amountText: string | undefined;
  if (input.amount !== undefined) {
    const a: number = input.amount;
    if (!Number.isSafeInteger(a) || a < 0)
      return pixError(
        'invalid_amount',
        'amount',
        'o valor deve ser um número inteiro de centavos maior que zero',
      );
    if (a === 0)
      return pixError(
        'invalid_amount',
        'amount',
        'o valor deve ser maior que zero; para deixar o valor em aberto (quem paga digita), não informe o valor',
      );
    if (a > AMOUNT_MAX)
      return pixError(
        'invalid_amount',
        'amount',
        'o valor acima de 9999999999.99 não cabe no campo 54',
      );
    amountText = formatPixAmount(input.amount);
  }

  const name = textField('name', input.name, NAME_MAX, truncate);
  if (!name.ok) return name;
  if (name.value === '') return pixError('required', 'name', 'informe o nome do recebedor');
  const city = textField('city', input.city, CITY_MAX, truncate);
  if (!city.ok) return city;
  if (city.value === '') return pixError('required', 'city', 'informe a cidade do recebedor');

  let postalCode: string | undefined;
  if (input.postalCode !== undefined) {
    postalCode = input.postalCode.replace(/[\s.-]/g, '');
    if (!/^\d{8}$/.test(postalCode))
      return pixError('invalid_postal_code', 'postalCode', 'o CEP deve ter 8 dígitos');
  }

  const txid = input.txid ?? NO_TXID;
  if (txid !== NO_TXID && !/^[A-Za-z0-9]{1,25}$/.test(txid))
    return pixError(
      'invalid_txid',
      'txid',
      `o txid deve ter de 1 a ${TXID_MAX} letras ou dígitos (A–Z, a–z, 0–9), sem espaços nem símbolos`,
    );

  let payload = tlv('00', '01');
  if (input.initiation !== undefined)
    payload += tlv('01', input.initiation === 'single-use' ? '12' : '11');
  payload += tlv('26', account);
  payload += tlv('52', '0000');
  payload += tlv('53', '986');
  if (amountText !== undefined) payload += tlv('54', amountText);
  payload += tlv('58', 'BR');
  payload += tlv('59', name.value);
  payload += tlv('60', city.value);
  if (postalCode !== undefined) payload += tlv('61', postalCode);
  payload += tlv('62', tlv('05', txid));
  payload += '6304';
  payload += crc16ccittFalse(payload);
  if (payload.length > PAYLOAD_MAX)
    return pixError('too_long', 'payload', `o código passa de ${PAYLOAD_MAX} caracteres`);
  return { ok: true, value: payload };
}

/** `buildPixPayload` for callers that already validated their input; throws on a `PixError`. */
export function buildPixPayloadOrThrow(input: PixPayloadInput): string {
  return unwrapPix(buildPixPayload(input));
}

function isTemplate(id: string): boolean {
  const n = Number(id);
  return (n >= 26 && n <= 51) || n === 62 || n === 64 || (n >= 80 && n <= 99);
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Splits TLV bytes into fields; lengths count bytes, as the spec says. */
function parseTlv(bytes: Uint8Array, path: string): PixResult<PixField[]> {
  const fields: PixField[] = [];
  const seen = new Set<string>();
  let i = 0;
  while (i < bytes.length) {
    const header = String.fromCharCode(...bytes.subarray(i, i + 4));
    const at = path === '' ? `posição ${i}` : `${path}, posição ${i}`;
    if (!/^\d{4}$/.test(header))
      return pixError(
        'malformed',
        path || 'payload',
        `esperado id e tamanho de 2 dígitos cada em ${at}`,
      );
    const id = header.slice(0, 2);
    const fieldPath = path === '' ? id : `${path}.${id}`;
    const length = Number(header.slice(2));
    const end = i + 4 + length;
    if (end > bytes.length)
      return pixError(
        'malformed',
        fieldPath,
        `o campo ${fieldPath} declara ${length} bytes, mas só restam ${bytes.length - i - 4}`,
      );
    if (seen.has(id))
      return pixError('malformed', fieldPath, `o campo ${fieldPath} aparece duas vezes`);
    seen.add(id);
    const valueBytes = bytes.subarray(i + 4, end);
    let value: string;
    try {
      value = decoder.decode(valueBytes);
    } catch {
      return pixError('malformed', fieldPath, `o campo ${fieldPath} não é UTF-8 válido`);
    }
    const field: PixField = { id, value };
    if (isTemplate(id)) {
      const children = parseTlv(valueBytes, fieldPath);
      if (!children.ok) return children;
      field.children = children.value;
    }
    fields.push(field);
    i = end;
  }
  return { ok: true, value: fields };
}

function child(fields: readonly PixField[] | undefined, id: string): string | undefined {
  return fields?.find((f) => f.id === id)?.value;
}

function parseAmount(text: string): Cents | undefined {
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m || text.length > 13) return undefined;
  return (Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))) as Cents;
}

/** Parses a BR Code, checking TLV structure, the CRC and the fields a PIX payment requires. */
export function parsePixPayload(text: string): PixResult<ParsedPix> {
  const payload = text.trim();
  const bytes = encoder.encode(payload);
  const tree = parseTlv(bytes, '');
  if (!tree.ok) return tree;
  const fields = tree.value;

  const first = fields[0];
  if (first?.id !== '00' || first.value !== '01')
    return pixError('malformed', '00', 'o código deve começar com o campo 00 = "01"');
  const last = fields.at(-1);
  if (last?.id !== '63' || last.value.length !== 4)
    return pixError(
      'malformed',
      '63',
      'o código deve terminar com o campo 63 (CRC) de 4 dígitos hexadecimais',
    );
  const expected = crc16ccittFalseBytes(bytes.subarray(0, bytes.length - 4))
    .toString(16)
    .toUpperCase()
    .padStart(4, '0');
  if (last.value.toUpperCase() !== expected)
    return pixError('crc_mismatch', '63', `o CRC é ${last.value}, o esperado é ${expected}`);

  const get = (id: string): PixField | undefined => fields.find((f) => f.id === id);
  const required = (id: string, label: string): PixResult<string> => {
    const value = get(id)?.value;
    return value === undefined || value === ''
      ? pixError('required', id, `falta o campo ${id} (${label})`)
      : { ok: true, value };
  };
  const expect = (id: string, label: string, want: string): PixError | undefined => {
    const r = required(id, label);
    if (!r.ok) return r;
    return r.value === want
      ? undefined
      : pixError(
          'unexpected_value',
          id,
          `o campo ${id} (${label}) é "${r.value}", o esperado é "${want}"`,
        );
  };

  const account = fields.find(
    (f) =>
      isTemplate(f.id) && Number(f.id) <= 51 && child(f.children, '00')?.toLowerCase() === PIX_GUI,
  );
  if (!account)
    return pixError('required', '26', `nenhum modelo de conta do recebedor com GUI ${PIX_GUI}`);
  const gui = child(account.children, '00') ?? PIX_GUI;
  const key = child(account.children, '01');
  const url = child(account.children, '25');
  if (key === undefined && url === undefined)
    return pixError('required', `${account.id}.01`, 'não há chave PIX (01) nem url (25)');

  const bad =
    expect('52', 'categoria do recebedor', '0000') ??
    expect('53', 'moeda', '986') ??
    expect('58', 'país', 'BR');
  if (bad) return bad;
  const name = required('59', 'nome do recebedor');
  if (!name.ok) return name;
  if (name.value.length > NAME_MAX)
    return pixError('too_long', '59', `o nome do recebedor passa de ${NAME_MAX} caracteres`);
  const city = required('60', 'cidade do recebedor');
  if (!city.ok) return city;
  if (city.value.length > CITY_MAX)
    return pixError('too_long', '60', `a cidade do recebedor passa de ${CITY_MAX} caracteres`);

  const additional = get('62');
  const txid = child(additional?.children, '05');
  if (txid === undefined) return pixError('required', '62.05', 'falta o campo 62.05 (txid)');
  if (txid !== NO_TXID && !/^[A-Za-z0-9]{1,25}$/.test(txid))
    return pixError(
      'invalid_txid',
      '62.05',
      `o txid deve ter de 1 a ${TXID_MAX} letras ou dígitos`,
    );

  const value: ParsedPix = { fields, gui, name: name.value, city: city.value, crc: last.value };
  if (key !== undefined) {
    value.key = key;
    const keyType = detectKeyType(key);
    if (keyType !== undefined) value.keyType = keyType;
  }
  if (url !== undefined) value.url = url;
  const description = child(account.children, '02');
  if (description !== undefined) value.description = description;
  const amountText = get('54')?.value;
  if (amountText !== undefined) {
    const amount = parseAmount(amountText);
    if (amount === undefined)
      return pixError(
        'invalid_amount',
        '54',
        `o valor "${amountText}" não é um decimal como 10.00`,
      );
    value.amount = amount;
  }
  if (txid !== NO_TXID) value.txid = txid;
  const postalCode = get('61')?.value;
  if (postalCode !== undefined) value.postalCode = postalCode;
  const initiation = get('01')?.value;
  if (initiation === '11') value.initiation = 'reusable';
  else if (initiation === '12') value.initiation = 'single-use';
  else if (initiation !== undefined)
    return pixError(
      'unexpected_value',
      '01',
      `o campo 01 é "${initiation}", o esperado é 11 ou 12`,
    );
  return { ok: true, value };
}
