/**
 * Email addresses, compared in one normal form: trimmed and lower-cased.
 *
 * Dots and "+tag" suffixes in the local part are kept. Only some providers ignore them (Gmail
 * does), and on others "ana.souza@" and "anasouza@", or "ana+loja@" and "ana@", are different
 * mailboxes that may belong to different people; merging them could reveal a debt to a stranger
 * (CDC art. 42, LGPD). Lower-casing the local part is the one liberty taken: no provider a
 * debtor is likely to use treats case as significant, and people type it inconsistently.
 */
import * as v from 'valibot';

/** Trimmed, Unicode-NFC, lower-cased address; dots and "+tags" are kept (see module comment). */
export function normalizeEmail(text: string): string {
  return text.trim().normalize('NFC').toLowerCase();
}

// Control, format (zero-width, bidi) and lone surrogate characters are never part of an address.
const LOCAL = /^[^\s@"(),:;<>[\]\\\p{Cc}\p{Cf}\p{Cs}]+$/u;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const TOP_LEVEL = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/iu;

/**
 * Pragmatic check for an address mail can be sent to: one "@", a local part without spaces,
 * quotes or brackets and without leading, trailing or doubled dots, and a domain of at least two
 * labels ending in an alphabetic (or punycode) top-level domain. Quoted local parts and IP-literal
 * domains, legal but never seen on a debtor record, are refused.
 */
export function isValidEmail(text: string): boolean {
  if (text.length > 254) return false;
  const at = text.lastIndexOf('@');
  if (at < 1) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local)) return false;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((label) => LABEL.test(label))) return false;
  return TOP_LEVEL.test(labels[labels.length - 1] ?? '');
}

/** An email address, output normalised by `normalizeEmail`. */
export const EmailSchema = v.pipe(
  v.string('o e-mail deve ser um texto'),
  v.transform(normalizeEmail),
  v.check(isValidEmail, 'o e-mail deve ser um endereço válido, como nome@exemplo.com.br'),
  v.brand('Email'),
);
export type Email = v.InferOutput<typeof EmailSchema>;
