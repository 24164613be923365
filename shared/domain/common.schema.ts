/**
 * Building blocks shared by the entity schemas: objects whose missing keys are reported by name,
 * bounded text, instants, versions, rates and the postal address every creditor and debtor has.
 */
import * as v from 'valibot';
import { UfSchema } from '../identity/uf';

function objectMessage(issue: v.ObjectIssue): string {
  // A missing key arrives as an object issue whose `expected` is the quoted key name.
  if (issue.expected?.startsWith('"') && issue.received === 'undefined')
    return `${issue.expected.slice(1, -1)} is required`;
  return `expected an object but received ${issue.received}`;
}

/** `v.object` whose issue for a missing key reads "<key> is required". */
export function entity<const TEntries extends v.ObjectEntries>(
  entries: TEntries,
): v.ObjectSchema<TEntries, typeof objectMessage> {
  return v.object(entries, objectMessage);
}

/** Trimmed text of 1–`max` characters; `field` names it in the messages. */
export function text(field: string, max: number) {
  return v.pipe(
    v.string(`${field} must be text`),
    v.trim(),
    v.nonEmpty(`${field} is required`),
    v.maxLength(max, `${field} must be at most ${max} characters`),
  );
}

/** Trimmed text of 0–`max` characters (notes, free comments). */
export function note(field: string, max: number) {
  return v.pipe(
    v.string(`${field} must be text`),
    v.trim(),
    v.maxLength(max, `${field} must be at most ${max} characters`),
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
  v.string('expected an ISO 8601 UTC timestamp'),
  v.check(isRealInstant, 'expected an ISO 8601 UTC timestamp such as 2025-03-10T14:05:00.000Z'),
  v.transform((s) => new Date(Date.parse(s)).toISOString()),
  v.brand('Instant'),
);
export type Instant = v.InferOutput<typeof InstantSchema>;

/** Optimistic-concurrency version of a mutable record; starts at 1. */
export const VersionSchema = v.pipe(
  v.number('version must be a number'),
  v.safeInteger('version must be a whole number'),
  v.minValue(1, 'version starts at 1'),
);

/** A rate in whole basis points, 0–10 000 (0%–100%). */
export const BpsSchema = v.pipe(
  v.number('rate must be a number of basis points'),
  v.safeInteger('rate must be whole basis points'),
  v.minValue(0, 'rate cannot be negative'),
  v.maxValue(10_000, 'rate cannot exceed 10000 basis points (100%)'),
);

/** CEP: 8 digits, accepted with the usual hyphen or dot. */
export const PostalCodeSchema = v.pipe(
  v.string('postal code must be text'),
  v.transform((s) => s.replace(/[\s.-]/g, '')),
  v.regex(/^\d{8}$/, 'postal code (CEP) must have 8 digits'),
);

/** A Brazilian postal address, as CDC art. 42-A requires it on every collection notice. */
export const AddressSchema = entity({
  street: text('street', 120),
  /** "S/N" when the building has no number. */
  number: text('number', 20),
  complement: v.optional(text('complement', 80)),
  district: text('district', 80),
  city: text('city', 80),
  state: UfSchema,
  postalCode: PostalCodeSchema,
});
export type Address = v.InferOutput<typeof AddressSchema>;

/** Whole non-negative number; `field` names it in the messages. */
export function count(field: string, max: number) {
  return v.pipe(
    v.number(`${field} must be a number`),
    v.safeInteger(`${field} must be a whole number`),
    v.minValue(0, `${field} cannot be negative`),
    v.maxValue(max, `${field} cannot exceed ${max}`),
  );
}

/** Centavos above zero; `field` names it in the messages. */
export function positiveCents(field: string) {
  return v.pipe(
    v.number(`${field} must be a number of centavos`),
    v.safeInteger(`${field} must be whole centavos`),
    v.minValue(1, `${field} must be positive`),
    v.brand('Cents'),
  );
}

/** Centavos, zero or more; `field` names it in the messages. */
export function nonNegativeCents(field: string) {
  return v.pipe(
    v.number(`${field} must be a number of centavos`),
    v.safeInteger(`${field} must be whole centavos`),
    v.minValue(0, `${field} cannot be negative`),
    v.brand('Cents'),
  );
}

/** Every channel a contact can happen on, automated or manual, field visits and letters included. */
export const ContactChannels = ['sms', 'whatsapp', 'email', 'phone', 'visit', 'letter'] as const;
export const ContactChannelSchema = v.picklist(
  ContactChannels,
  'channel must be one of sms, whatsapp, email, phone, visit, letter',
);
export type ContactChannel = v.InferOutput<typeof ContactChannelSchema>;
