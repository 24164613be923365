/**
 * Money is integer centavos with a brand, so a float or a reais amount can never be passed where
 * centavos are expected. Rates are basis points (1% = 100 bps). Every rounding in the domain goes
 * through `roundDiv`, the one rounding rule: half-even ("arredondamento bancário", ABNT NBR 5891),
 * computed on integers so no binary-float error can move a centavo. Splitting a total
 * (`splitCents`, `allocateCents`) never rounds: it hands out whole centavos so the parts always sum
 * to the total exactly.
 */
import type * as v from 'valibot';

/** Whole centavos; `CentsSchema` (cents.schema.ts) validates and brands them. */
export type Cents = number & v.Brand<'Cents'>;

/** Brands a whole number of centavos; throws on fractions, NaN and unsafe integers. */
export function cents(value: number): Cents {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`not a whole number of centavos: ${value}`);
  return value as Cents;
}

export const ZERO = cents(0);

/**
 * numerator / denominator rounded half-even to whole centavos. Arguments are integers (numbers or
 * bigints); bigint arithmetic keeps products like principal × bps × days exact beyond 2^53.
 */
export function roundDiv(numerator: number | bigint, denominator: number | bigint): Cents {
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  if (d === 0n) throw new RangeError('division by zero');
  const sign = n < 0n !== d < 0n ? -1n : 1n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  let q = an / ad;
  const r2 = (an % ad) * 2n;
  if (r2 > ad || (r2 === ad && q % 2n === 1n)) q += 1n;
  return cents(Number(sign * q));
}

/** amount × rateBps / 10 000, rounded by `roundDiv`. */
export function applyRateBps(amount: Cents, rateBps: number): Cents {
  if (!Number.isInteger(rateBps))
    throw new RangeError(`rate must be whole basis points: ${rateBps}`);
  return roundDiv(BigInt(amount) * BigInt(rateBps), 10_000n);
}

/** Sum of any number of amounts; throws if the total leaves the safe-integer range. */
export function addCents(...amounts: readonly Cents[]): Cents {
  let total = 0;
  for (const a of amounts) total += a;
  return cents(total);
}

/** a − b. */
export function subCents(a: Cents, b: Cents): Cents {
  return cents(a - b);
}

/** The smaller of two amounts. */
export function minCents(a: Cents, b: Cents): Cents {
  return a <= b ? a : b;
}

/** The larger of two amounts. */
export function maxCents(a: Cents, b: Cents): Cents {
  return a >= b ? a : b;
}

/** Options for `parseMoney`; negative amounts are refused unless asked for (refunds, corrections). */
export interface ParseMoneyOptions {
  allowNegative?: boolean;
}

/** The outcome of `tryParseMoney`: the amount, or a pt-BR message fit for a CSV import report. */
export type ParseMoneyResult = { ok: true; value: Cents } | { ok: false; message: string };

const GROUPED_INTEGER = /^\d{1,3}(?:\.\d{3})+$/;
const DIGITS = /^\d+$/;
const MAX_CENTS = BigInt(Number.MAX_SAFE_INTEGER);

function fail(message: string): ParseMoneyResult {
  return { ok: false, message };
}

function ambiguous(shown: string, integerPart: string, fraction: string): ParseMoneyResult {
  return fail(
    `o valor "${shown}" é ambíguo: um separador seguido de 3 dígitos pode indicar milhar ou decimais; ` +
      `se for milhar, escreva ${integerPart}${fraction},00 ou ${integerPart}.${fraction},00 (os centavos têm no máximo 2 dígitos)`,
  );
}

/**
 * Reads an amount written the Brazilian way ("1.234,56", "R$ 1.234,56", "1234,5") or as a plain
 * decimal ("1234.56", "1234"), refusing anything that two readers could take for different sums.
 *
 * Rules: a comma is always the decimal separator and dots are then thousands groups of exactly
 * three digits. Without a comma, one dot followed by one or two digits is a decimal point; one
 * dot followed by exactly three digits ("1.234") is ambiguous and refused, and so is "1,234";
 * several dots in well-formed groups ("1.234.567") can only be thousands. US grouping
 * ("1,234.56") is refused rather than guessed: a file mixing both conventions needs a human.
 */
export function tryParseMoney(text: string, options: ParseMoneyOptions = {}): ParseMoneyResult {
  const shown = text.trim();
  let body = shown;
  let negative = false;
  if (body.startsWith('-') || body.startsWith('\u2212')) {
    negative = true;
    body = body.slice(1).trimStart();
  }
  if (/^r\$/i.test(body)) body = body.slice(2).trimStart();
  if (!negative && (body.startsWith('-') || body.startsWith('\u2212'))) {
    negative = true;
    body = body.slice(1).trimStart();
  }
  if (body === '')
    return fail(shown === '' ? 'o valor está vazio' : `o valor "${shown}" não tem dígitos`);
  const stray = /[^\d.,]/.exec(body);
  if (stray) return fail(`o valor "${shown}" tem um caractere inesperado "${stray[0]}"`);

  const commas = body.split(',').length - 1;
  const dots = body.split('.').length - 1;
  let integerPart: string;
  let fraction = '';
  if (commas > 1) {
    return fail(
      `o valor "${shown}" tem mais de uma vírgula; escreva como 1.234,56 ou 1234.56 (a vírgula separa os centavos)`,
    );
  } else if (commas === 1) {
    const comma = body.indexOf(',');
    if (body.lastIndexOf('.') > comma) {
      return fail(
        `o valor "${shown}" usa vírgula para milhar e ponto para decimais; escreva como 1.234,56 ou 1234.56`,
      );
    }
    integerPart = body.slice(0, comma);
    fraction = body.slice(comma + 1);
    if (fraction.length === 3 && dots === 0) {
      return ambiguous(shown, integerPart, fraction);
    }
  } else if (dots === 1) {
    const dot = body.indexOf('.');
    integerPart = body.slice(0, dot);
    fraction = body.slice(dot + 1);
    if (fraction.length === 3) {
      return ambiguous(shown, integerPart, fraction);
    }
  } else {
    integerPart = body;
  }

  if (commas === 1 || dots === 1) {
    if (fraction === '')
      return fail(`o valor "${shown}" não tem dígitos depois do separador decimal`);
    if (fraction.length > 2)
      return fail(`o valor "${shown}" tem mais de 2 casas decimais (centavos)`);
  }
  if (integerPart === '')
    return fail(`o valor "${shown}" não tem dígitos antes do separador decimal`);
  const groupedInteger = commas === 1 ? dots > 0 : dots > 1;
  if (groupedInteger ? !GROUPED_INTEGER.test(integerPart) : !DIGITS.test(integerPart)) {
    return fail(
      `o valor "${shown}" tem um separador de milhar fora do lugar; depois de cada ponto vêm exatamente 3 dígitos`,
    );
  }

  const magnitude =
    BigInt(integerPart.replaceAll('.', '')) * 100n + BigInt(fraction.padEnd(2, '0') || '0');
  if (magnitude > MAX_CENTS) return fail(`o valor "${shown}" é grande demais`);
  if (negative && magnitude !== 0n && !options.allowNegative)
    return fail(`o valor "${shown}" é negativo; aqui só valores positivos são aceitos`);
  const value = Number(magnitude);
  return { ok: true, value: cents(negative && value !== 0 ? -value : value) };
}

/** `tryParseMoney` that throws a RangeError with the same message. */
export function parseMoney(text: string, options: ParseMoneyOptions = {}): Cents {
  const result = tryParseMoney(text, options);
  if (!result.ok) throw new RangeError(result.message);
  return result.value;
}

/** Plain decimal reais with exactly two places and a dot ("1234.56", "-0.05"): PIX field 54, CSV export. */
export function formatDecimal(amount: Cents): string {
  const digits = String(Math.abs(amount)).padStart(3, '0');
  return `${amount < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

const currencyFormats = new Map<string, Intl.NumberFormat>();

/**
 * The amount as Brazilian currency text, e.g. "R$ 1.234,56". Intl puts a NO-BREAK SPACE (U+00A0)
 * after "R$", which keeps the symbol and the number on one line; compare with that, not ' '.
 */
export function formatBRL(amount: Cents, locale: string = 'pt-BR'): string {
  if (locale === 'pt-BR' && Number.isSafeInteger(amount)) return formatPtBrl(amount);
  let format = currencyFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency: 'BRL' });
    currencyFormats.set(locale, format);
  }
  // A decimal string is formatted exactly; amount / 100 as a float could misround near 2^53.
  return format.format(formatDecimal(amount) as `${number}`);
}

/**
 * `formatBRL` for pt-BR written out: what Intl prints ("R$ 1.234,56" with a NO-BREAK SPACE, "-R$ 0,01"),
 * without its cost (a ledger labels every fine and interest line with the principal it is on);
 * money.test.ts holds it to Intl's output.
 */
function formatPtBrl(amount: number): string {
  const abs = Math.abs(amount);
  const centavos = abs % 100;
  let whole = String((abs - centavos) / 100);
  let groups = '';
  while (whole.length > 3) {
    groups = `.${whole.slice(-3)}${groups}`;
    whole = whole.slice(0, -3);
  }
  return `${amount < 0 ? '-' : ''}R$\u00a0${whole}${groups},${centavos < 10 ? '0' : ''}${centavos}`;
}

function signed(sign: bigint, magnitude: bigint): Cents {
  return cents(magnitude === 0n ? 0 : Number(sign * magnitude));
}

/**
 * Splits `total` into `parts` amounts that sum to it exactly and differ by at most one centavo;
 * the leftover centavos go to the FIRST parts (R$ 100,00 / 3 = 33,34 + 33,33 + 33,33), so a
 * schedule's first installment absorbs the remainder. A negative total splits symmetrically.
 */
export function splitCents(total: Cents, parts: number): Cents[] {
  if (!Number.isSafeInteger(parts) || parts < 1)
    throw new RangeError(`parts must be a positive whole number: ${parts}`);
  const sign = total < 0 ? -1n : 1n;
  const magnitude = BigInt(Math.abs(total));
  const count = BigInt(parts);
  const base = magnitude / count;
  const leftover = magnitude % count;
  return Array.from({ length: parts }, (_, i) =>
    signed(sign, base + (BigInt(i) < leftover ? 1n : 0n)),
  );
}

/**
 * Splits `total` in proportion to non-negative integer `weights` (e.g. the amounts of the debts a
 * payment covers) by the largest-remainder method: each part is its exact share rounded down, then
 * the leftover centavos go to the largest fractional remainders, earlier weights winning ties.
 * Parts sum to `total` exactly and each is within one centavo of its exact share.
 */
export function allocateCents(total: Cents, weights: readonly number[]): Cents[] {
  if (weights.length === 0) throw new RangeError('allocateCents needs at least one weight');
  let weightSum = 0n;
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0)
      throw new RangeError(`weights must be non-negative whole numbers: ${w}`);
    weightSum += BigInt(w);
  }
  if (weightSum === 0n) throw new RangeError('weights must not all be zero');
  const sign = total < 0 ? -1n : 1n;
  const magnitude = BigInt(Math.abs(total));
  const shares = weights.map((w, index) => {
    const exact = magnitude * BigInt(w);
    return { index, floor: exact / weightSum, remainder: exact % weightSum };
  });
  let leftover = magnitude;
  for (const s of shares) leftover -= s.floor;
  const byRemainder = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const s of byRemainder) {
    if (leftover === 0n) break;
    s.floor += 1n;
    leftover -= 1n;
  }
  return shares.map((s) => signed(sign, s.floor));
}
