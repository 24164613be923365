/**
 * Brazilian phone numbers to E.164 ("+55" + 2-digit DDD + subscriber number).
 *
 * Subscriber numbers are 8 digits starting 2–5 for landlines and 9 digits starting 9 for mobiles.
 * Mobiles gained the leading 9 between 2012 and 2016 (ANATEL); before that they were 8 digits
 * starting 6–9, and that old form still turns up in old spreadsheets and as the WhatsApp id of
 * accounts created back then. `toE164` rewrites the old form to the current one, so a stored
 * number is always dialable; `phoneMatchKeys` also yields the old form so that a lookup by either
 * writing finds the same debtor.
 */
import * as v from 'valibot';
import type { UF } from './uf';

/**
 * Every DDD (area code) in use, with the state it serves. DDD 61 also covers towns of Goiás
 * around Brasília; it is listed as DF, where most of its numbers are.
 */
// prettier-ignore
export const DDD_UF: Readonly<Record<string, UF>> = {
  '11': 'SP', '12': 'SP', '13': 'SP', '14': 'SP', '15': 'SP', '16': 'SP', '17': 'SP', '18': 'SP', '19': 'SP',
  '21': 'RJ', '22': 'RJ', '24': 'RJ', '27': 'ES', '28': 'ES',
  '31': 'MG', '32': 'MG', '33': 'MG', '34': 'MG', '35': 'MG', '37': 'MG', '38': 'MG',
  '41': 'PR', '42': 'PR', '43': 'PR', '44': 'PR', '45': 'PR', '46': 'PR', '47': 'SC', '48': 'SC', '49': 'SC',
  '51': 'RS', '53': 'RS', '54': 'RS', '55': 'RS',
  '61': 'DF', '62': 'GO', '63': 'TO', '64': 'GO', '65': 'MT', '66': 'MT', '67': 'MS', '68': 'AC', '69': 'RO',
  '71': 'BA', '73': 'BA', '74': 'BA', '75': 'BA', '77': 'BA', '79': 'SE',
  '81': 'PE', '82': 'AL', '83': 'PB', '84': 'RN', '85': 'CE', '86': 'PI', '87': 'PE', '88': 'CE', '89': 'PI',
  '91': 'PA', '92': 'AM', '93': 'PA', '94': 'PA', '95': 'RR', '96': 'AP', '97': 'AM', '98': 'MA', '99': 'MA',
};

/** True for a two-digit string that is an area code in use in Brazil. */
export function isValidDdd(ddd: string): boolean {
  return Object.hasOwn(DDD_UF, ddd);
}

/** The outcome of `tryToE164`: the number, or a pt-BR message fit for a CSV import report. */
export type PhoneResult = { ok: true; value: PhoneE164 } | { ok: false; message: string };

const SEPARATORS = /[\s().\-/\u00a0]/g;

function fail(message: string): PhoneResult {
  return { ok: false, message };
}

/**
 * Reads a Brazilian number as people write it — "(11) 98765-4321", "11987654321",
 * "+55 11 98765-4321", "5511987654321", "011 98765-4321", "0xx11 98765-4321", "0 21 11 98765-4321"
 * (trunk 0 with a carrier code) — and returns it in E.164. `defaultDdd` completes a number given
 * without area code. Old 8-digit mobiles (first digit 6–9) get their 9th digit.
 */
export function tryToE164(text: string, defaultDdd?: string): PhoneResult {
  const shown = text.trim();
  if (shown === '') return fail('o telefone está vazio');
  let s = shown.replace(SEPARATORS, '');
  const international = s.startsWith('+');
  if (international) {
    if (!s.startsWith('+55'))
      return fail(`o telefone "${shown}" não é brasileiro (deve começar com +55)`);
    s = s.slice(3);
  } else if (/^0xx/i.test(s)) {
    s = s.slice(3);
  } else if (s.startsWith('0')) {
    s = s.slice(1);
    // After the trunk 0 a 2-digit carrier code may precede the DDD (0 21 11 …).
    if (s.length === 12 || s.length === 13) s = s.slice(2);
  } else if (s.startsWith('55') && (s.length === 12 || s.length === 13)) {
    // Country code without '+': a DDD plus a subscriber number is never 12 or 13 digits.
    s = s.slice(2);
  }
  if (!/^\d+$/.test(s))
    return fail(`o telefone "${shown}" tem caracteres que não são dígitos nem separadores`);
  const withoutDdd = s.length === 8 || (s.length === 9 && s.startsWith('9'));
  if (!international && withoutDdd) {
    if (defaultDdd === undefined) return fail(`o telefone "${shown}" não tem DDD`);
    s = defaultDdd + s;
  }
  if (s.length !== 10 && s.length !== 11) {
    return fail(
      `o telefone "${shown}" tem ${s.length} dígitos depois do código do país; o esperado é o DDD ` +
        '(2 dígitos) mais 8 dígitos para fixo ou 9 para celular',
    );
  }
  const ddd = s.slice(0, 2);
  let subscriber = s.slice(2);
  if (!isValidDdd(ddd)) return fail(`o telefone "${shown}" tem um DDD inexistente: ${ddd}`);
  const first = subscriber.charAt(0);
  if (subscriber.length === 9) {
    if (first !== '9')
      return fail(`o telefone "${shown}" tem 9 dígitos depois do DDD, mas não começa com 9`);
  } else if (first >= '6') {
    subscriber = `9${subscriber}`;
  } else if (first < '2') {
    return fail(
      `o telefone "${shown}" não é fixo nem celular (números de 8 dígitos começam com 2–9)`,
    );
  }
  return { ok: true, value: `+55${ddd}${subscriber}` as PhoneE164 };
}

/** `tryToE164` that throws a RangeError with the same message. */
export function toE164(text: string, defaultDdd?: string): PhoneE164 {
  const result = tryToE164(text, defaultDdd);
  if (!result.ok) throw new RangeError(result.message);
  return result.value;
}

/** Parses any usual writing of a Brazilian number and outputs it in E.164. */
export const PhoneE164Schema = v.pipe(
  v.string('o telefone deve ser um texto'),
  v.rawTransform(({ dataset, addIssue, NEVER }): string => {
    const result = tryToE164(dataset.value);
    if (result.ok) return result.value;
    addIssue({ message: result.message });
    return NEVER;
  }),
  v.brand('PhoneE164'),
);
/** '+55' + DDD + 8-digit landline or 9-digit mobile, e.g. '+5511987654321'. */
export type PhoneE164 = v.InferOutput<typeof PhoneE164Schema>;

/** True when the number (any writing `toE164` accepts) is a mobile. */
export function isMobile(phone: string): boolean {
  const result = tryToE164(phone);
  return result.ok && result.value.length === 14;
}

/**
 * Index keys for a number: a lookup finds a debtor when any key is shared. A mobile whose number
 * without the 9 would have been a valid old-style mobile (next digit 6–9) also gets that old
 * form, so +5511987654321 and +551187654321 meet; newer mobiles (9 followed by 0–5) get no such
 * key, since it would collide with a landline. Invalid input has no keys.
 */
export function phoneMatchKeys(phone: string): string[] {
  const result = tryToE164(phone);
  if (!result.ok) return [];
  const e164 = result.value;
  if (e164.length === 14 && e164.charAt(5) === '9' && e164.charAt(6) >= '6')
    return [e164, e164.slice(0, 5) + e164.slice(6)];
  return [e164];
}

/** True when two writings denote the same line, with or without a mobile's 9th digit. */
export function samePhone(a: string, b: string): boolean {
  const keys = new Set(phoneMatchKeys(a));
  return phoneMatchKeys(b).some((key) => keys.has(key));
}

/** "(11) 98765-4321" or "(11) 3456-7890" for display; throws RangeError on an invalid number. */
export function formatPhoneBR(phone: string): string {
  const e164 = toE164(phone);
  const ddd = e164.slice(3, 5);
  const subscriber = e164.slice(5);
  const split = subscriber.length - 4;
  return `(${ddd}) ${subscriber.slice(0, split)}-${subscriber.slice(split)}`;
}

/** The state an E.164 number's area code belongs to (DDD 61 counts as DF). */
export function ufOfPhone(phone: PhoneE164): UF {
  const uf = DDD_UF[phone.slice(3, 5)];
  if (uf === undefined) throw new RangeError(`not a Brazilian E.164 number: ${phone}`);
  return uf;
}
