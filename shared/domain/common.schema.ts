/**
 * Building blocks shared by the entity schemas: objects whose missing keys are reported by name,
 * bounded text, instants, versions, rates and the postal address every creditor and debtor has.
 */
import * as v from 'valibot';
import { UfSchema } from '../identity/uf';
import { safeText, visibleText } from '../text/safe-text';
import { MAX_YEAR, MIN_YEAR, yearInRange } from '../time/calendar-date.schema';

function objectMessage(issue: v.ObjectIssue): string {
  // A missing key arrives as an object issue whose `expected` is the quoted key name.
  if (issue.expected?.startsWith('"') && issue.received === 'undefined') return 'campo obrigatório';
  return `esperado um objeto, recebido ${issue.received}`;
}

/** `v.object` whose issue for a missing key reads "campo obrigatório" (the issue path names it). */
export function entity<const TEntries extends v.ObjectEntries>(
  entries: TEntries,
): v.ObjectSchema<TEntries, typeof objectMessage> {
  return v.object(entries, objectMessage);
}

/**
 * Trimmed text of 1–`max` characters with something visible in it and no character the database
 * or a reader could be fooled by (shared/text/safe-text.ts). `label` is the field in pt-BR with
 * its article ("o nome"): messages never repeat the API name, which the issue path carries.
 */
export function text(label: string, max: number) {
  return v.pipe(
    v.string(`${label} deve ser um texto`),
    safeText(label),
    v.trim(),
    v.nonEmpty(`informe ${label}`),
    visibleText(label),
    v.maxLength(max, `${label} deve ter no máximo ${max} caracteres`),
  );
}

/** Trimmed text of 0–`max` characters (notes, free comments), same character rule as `text`. */
export function note(label: string, max: number) {
  return v.pipe(
    v.string(`${label} deve ser um texto`),
    safeText(label),
    v.trim(),
    v.maxLength(max, `${label} deve ter no máximo ${max} caracteres`),
  );
}

const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?Z$/;

function isRealInstant(value: string): boolean {
  const m = INSTANT_RE.exec(value);
  if (!m) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === value.slice(0, 19);
}

/**
 * An instant as an ISO 8601 UTC string, output with milliseconds exactly as `toISOString` prints
 * it ("2025-03-10T14:05:00.000Z"), so instants compare correctly as strings. Device times are data:
 * they are stored as reported, next to the server's receive time.
 */
export const InstantSchema = v.pipe(
  v.string('informe data e hora em ISO 8601 UTC, como 2025-03-10T14:05:00.000Z'),
  v.check(isRealInstant, 'data e hora inválida: use ISO 8601 UTC, como 2025-03-10T14:05:00.000Z'),
  v.check(yearInRange, `o ano deve estar entre ${MIN_YEAR} e ${MAX_YEAR}`),
  v.transform((s) => new Date(Date.parse(s)).toISOString()),
  v.brand('Instant'),
);
export type Instant = v.InferOutput<typeof InstantSchema>;

/** Optimistic-concurrency version of a mutable record; starts at 1. */
export const VersionSchema = v.pipe(
  v.number('a versão deve ser um número'),
  v.safeInteger('a versão deve ser um número inteiro'),
  v.minValue(1, 'a versão começa em 1'),
);

/** A rate in whole basis points, 0–10 000 (0%–100%). */
export const BpsSchema = v.pipe(
  v.number('a taxa deve ser um número de pontos-base'),
  v.safeInteger('a taxa deve ser um número inteiro de pontos-base'),
  v.minValue(0, 'a taxa não pode ser menor que zero'),
  v.maxValue(10_000, 'a taxa não pode passar de 10000 pontos-base (100%)'),
);

/** CEP: 8 digits, accepted with the usual hyphen or dot. */
export const PostalCodeSchema = v.pipe(
  v.string('o CEP deve ser um texto'),
  v.transform((s) => s.replace(/[\s.-]/g, '')),
  v.regex(/^\d{8}$/, 'o CEP deve ter 8 dígitos'),
);

/** A Brazilian postal address, as CDC art. 42-A requires it on every collection notice. */
export const AddressSchema = entity({
  street: text('o logradouro', 120),
  /** "S/N" when the building has no number. */
  number: text('o número do endereço', 20),
  complement: v.optional(text('o complemento', 80)),
  district: text('o bairro', 80),
  city: text('a cidade', 80),
  state: UfSchema,
  postalCode: PostalCodeSchema,
});
export type Address = v.InferOutput<typeof AddressSchema>;

/** Whole non-negative number; `label` (pt-BR, with its article) names it in the messages. */
export function count(label: string, max: number) {
  return v.pipe(
    v.number(`${label} deve ser um número`),
    v.safeInteger(`${label} deve ser um número inteiro`),
    v.minValue(0, `${label} não pode ser menor que zero`),
    v.maxValue(max, `${label} não pode passar de ${max}`),
  );
}

/** Centavos above zero; `label` (pt-BR, with its article) names it in the messages. */
export function positiveCents(label: string) {
  return v.pipe(
    v.number(`${label} deve ser um número de centavos`),
    v.safeInteger(`${label} deve ser um número inteiro de centavos`),
    v.minValue(1, `${label} deve ser maior que zero`),
    v.brand('Cents'),
  );
}

/** Centavos, zero or more; `label` (pt-BR, with its article) names it in the messages. */
export function nonNegativeCents(label: string) {
  return v.pipe(
    v.number(`${label} deve ser um número de centavos`),
    v.safeInteger(`${label} deve ser um número inteiro de centavos`),
    v.minValue(0, `${label} não pode ser menor que zero`),
    v.brand('Cents'),
  );
}

/** Every channel a contact can happen on, automated or manual, field visits and letters included. */
export const ContactChannels = ['sms', 'whatsapp', 'email', 'phone', 'visit', 'letter'] as const;
export const ContactChannelSchema = v.picklist(
  ContactChannels,
  'o canal deve ser sms, whatsapp, email, phone, visit ou letter',
);
export type ContactChannel = v.InferOutput<typeof ContactChannelSchema>;
