/**
 * The creditor: the business that collects. Its legal name, CPF/CNPJ and address appear on every
 * collection message and document (CDC art. 42-A); its PIX key receives the payments; its time
 * zone defines what "today" and contact hours mean.
 */
import * as v from 'valibot';
import { DocumentSchema } from '../identity/document';
import { UfSchema, type UF } from '../identity/uf';
import { normalisePixKey, PixKeyTypeSchema } from '../pix/pix-key';
import { DEFAULT_TIME_ZONE } from '../time/calendar-date';
import { AddressSchema, count, entity, InstantSchema, text, VersionSchema } from './common.schema';
import { IdSchema } from './id';

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name that Intl knows, e.g. America/Sao_Paulo. */
export const TimeZoneSchema = v.pipe(
  v.string('o fuso horário deve ser um texto'),
  v.check(isTimeZone, 'o fuso horário deve ser um nome IANA, como America/Sao_Paulo'),
);

/** The creditor's PIX key, normalised to what goes into the BR Code; the type is checked against it. */
export const OrganisationPixSchema = v.pipe(
  entity({ key: text('a chave PIX', 77), keyType: PixKeyTypeSchema }),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const result = normalisePixKey(dataset.value.key, dataset.value.keyType);
    if (result.ok) return { key: result.value.key, keyType: result.value.type };
    addIssue({
      message: result.message,
      path: [
        {
          type: 'object',
          origin: 'value',
          input: dataset.value,
          key: 'key',
          value: dataset.value.key,
        },
      ],
    });
    return NEVER;
  }),
);
export type OrganisationPix = v.InferOutput<typeof OrganisationPixSchema>;

/** Days a settled debtor's personal data is kept (LGPD art. 6 necessity); 5 years by default. */
export const DEFAULT_RETENTION_DAYS = 1825;

const editable = {
  /** Razão social (or the person's full name for a CPF creditor). */
  legalName: text('a razão social', 120),
  /** Nome fantasia, used in friendly messages. */
  tradeName: v.optional(text('o nome fantasia', 80)),
  document: DocumentSchema,
  address: AddressSchema,
  pix: v.optional(OrganisationPixSchema),
  timeZone: v.optional(TimeZoneSchema, DEFAULT_TIME_ZONE),
  /** The UF whose rules apply to contact windows and notice periods; defaults to the address's. */
  state: v.optional(UfSchema),
  retentionDays: v.optional(count('o prazo de retenção em dias', 36_500), DEFAULT_RETENTION_DAYS),
};

function withState<T extends { state?: UF | undefined; address: { state: UF } }>(
  org: T,
): Omit<T, 'state'> & { state: UF } {
  return { ...org, state: org.state ?? org.address.state };
}

/** The creditor as stored and returned. */
export const OrganisationSchema = v.pipe(
  entity({ id: IdSchema, ...editable, version: VersionSchema, createdAt: InstantSchema }),
  v.transform(withState),
);
export type Organisation = v.InferOutput<typeof OrganisationSchema>;

/** The body of a request creating the creditor. */
export const NewOrganisationSchema = v.pipe(
  entity({ id: v.optional(IdSchema), ...editable }),
  v.transform(withState),
);
export type NewOrganisation = v.InferOutput<typeof NewOrganisationSchema>;
