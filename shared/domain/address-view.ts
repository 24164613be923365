/**
 * A debtor's address as every reader gets it, whether it was typed in whole (the structured
 * Address, CDC art. 42-A) or came from a spreadsheet as free text plus city and UF. Both answer
 * the same shape: the parts that are known, and `line`, the whole address on one line (what a
 * letter, a map link and a collector read). Nothing is invented: an imported address has no
 * `number` unless it was typed as one.
 */
import * as v from 'valibot';
import { AddressSchema, type Address } from './common.schema';

/** The stored pieces: the structured document when there is one, and the flat columns. */
export interface StoredAddress {
  structured: unknown;
  line: string | null;
  district: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
}

/** The address as answered: known parts plus the one-line form. */
export interface AddressView {
  street?: string;
  number?: string;
  complement?: string;
  district?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  line: string;
}

const present = (s: string | null | undefined): s is string =>
  typeof s === 'string' && s.trim() !== '';

function cep(code: string): string {
  return /^\d{8}$/.test(code) ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}

/** "Rua A, 10, ap 3 – Centro – Campinas/SP – CEP 13010-000" from whatever parts are known. */
export function addressLine(parts: Omit<AddressView, 'line'>): string {
  const street = [parts.street, parts.number, parts.complement].filter(present).join(', ');
  const place = [parts.city, parts.state].filter(present).join('/');
  return [street, parts.district, place, parts.postalCode ? `CEP ${cep(parts.postalCode)}` : '']
    .filter(present)
    .join(' – ');
}

/** The answer for a stored address; null when nothing at all is known. */
export function addressView(stored: StoredAddress): AddressView | null {
  const structured = v.safeParse(AddressSchema, stored.structured);
  if (structured.success) {
    const a: Address = structured.output;
    const parts = {
      street: a.street,
      number: a.number,
      ...(a.complement ? { complement: a.complement } : {}),
      district: a.district,
      city: a.city,
      state: a.state,
      postalCode: a.postalCode,
    };
    return { ...parts, line: addressLine(parts) };
  }
  const parts: Omit<AddressView, 'line'> = {
    ...(present(stored.line) ? { street: stored.line.trim() } : {}),
    ...(present(stored.district) ? { district: stored.district.trim() } : {}),
    ...(present(stored.city) ? { city: stored.city.trim() } : {}),
    ...(present(stored.state) ? { state: stored.state.trim() } : {}),
    ...(present(stored.postalCode) ? { postalCode: stored.postalCode.trim() } : {}),
  };
  if (Object.keys(parts).length === 0) return null;
  return { ...parts, line: addressLine(parts) };
}

/** A link that opens the address in a map (any phone or desktop browser). */
export function mapLink(line: string): string {
  return `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(line)}`;
}
