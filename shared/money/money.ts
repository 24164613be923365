/**
 * Money is integer centavos with a brand, so a float or a reais amount can never be passed where
 * centavos are expected. Rates are basis points (1% = 100 bps). Every rounding in the domain goes
 * through `roundDiv`, the one rounding rule: half-even ("arredondamento bancário", ABNT NBR 5891),
 * computed on integers so no binary-float error can move a centavo.
 */
import * as v from 'valibot';

export const CentsSchema = v.pipe(
  v.number(),
  v.safeInteger('money must be whole centavos'),
  v.brand('Cents'),
);
export type Cents = v.InferOutput<typeof CentsSchema>;

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

export function addCents(...amounts: readonly Cents[]): Cents {
  let total = 0;
  for (const a of amounts) total += a;
  return cents(total);
}

export function subCents(a: Cents, b: Cents): Cents {
  return cents(a - b);
}

export function minCents(a: Cents, b: Cents): Cents {
  return a <= b ? a : b;
}

export function maxCents(a: Cents, b: Cents): Cents {
  return a >= b ? a : b;
}
