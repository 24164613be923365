/**
 * Results of the PIX functions: plain data instead of exceptions, so a form can show the message
 * next to the field that failed and the CLI can print it as JSON.
 */

export const PixErrorCodes = [
  'required',
  'too_long',
  'not_ascii',
  'invalid_key',
  'invalid_txid',
  'invalid_amount',
  'invalid_postal_code',
  'invalid_gui',
  'invalid_url',
  'conflict',
  'malformed',
  'crc_mismatch',
  'unexpected_value',
] as const;
export type PixErrorCode = (typeof PixErrorCodes)[number];

/** A failure naming the input field (build) or the TLV path such as "62.05" (parse). */
export interface PixError {
  ok: false;
  code: PixErrorCode;
  field: string;
  message: string;
}

/** Either the value or a `PixError`. */
export type PixResult<T> = { ok: true; value: T } | PixError;

/** Builds a `PixError`. */
export function pixError(code: PixErrorCode, field: string, message: string): PixError {
  return { ok: false, code, field, message };
}

/** Unwraps a result, throwing a RangeError whose `cause` is the `PixError`. */
export function unwrapPix<T>(result: PixResult<T>): T {
  if (result.ok) return result.value;
  throw new RangeError(`PIX ${result.field}: ${result.message}`, { cause: result });
}
