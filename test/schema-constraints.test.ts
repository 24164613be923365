/**
 * One rule, one place: every value a shared schema accepts must be storable in the column it
 * feeds, or the API answers 500 for input it could have refused. This walks each schema that
 * feeds a constrained column (documents, names, phones, e-mails, amounts, rates, dates, the
 * enumerations) with generated and hostile inputs and writes what the schema accepts into the
 * REAL column, on both databases. A database CHECK constraint that is neither walked here nor
 * listed as server-set fails the test, so a new CHECK must come with its schema rule.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { OnboardingStepSchema } from '#shared/onboarding/onboarding.schema';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DocumentSchema } from '#shared/identity/document';
import { PhoneE164Schema } from '#shared/identity/phone';
import {
  VerificationSourceSchema,
  VerificationStateSchema,
} from '#shared/identity/contact-verification';
import { UfSchema } from '#shared/identity/uf';
import { EmailSchema as ContactEmailSchema } from '#shared/identity/email';
import {
  EmailSchema as UserEmailSchema,
  RoleSchema,
  UserNameSchema,
} from '#shared/auth/user.schema';
import { InstantSchema, PostalCodeSchema } from '#shared/domain/common.schema';
import { DebtorKindSchema, NewDebtorSchema } from '#shared/domain/debtor.schema';
import { NewDebtSchema } from '#shared/domain/debt.schema';
import { NewPaymentSchema } from '#shared/domain/payment.schema';
import { VisitOutcomeSchema } from '#shared/domain/visit.schema';
import {
  NoticeRequestSchema,
  ContactRequestSchema,
  DebtPatchSchema,
  EscalationRequestSchema,
  PromiseRequestSchema,
  DebtorPatchSchema,
} from '#shared/api/ledger.schema';
import { PixKeyTypeSchema } from '#shared/pix/pix-key';
import { CalendarDateSchema } from '#shared/time/calendar-date.schema';
import { NewOrganisationSchema } from '#shared/domain/organisation.schema';
import { DeviceNameSchema } from '#shared/sync/device-name';
import { DueDateReasonSchema, DueDateRefuseSchema } from '#shared/portal/due-date-request.schema';
import { CreditReasonRequestSchema } from '#shared/reconciliation/reconciliation.schema';
import {
  BreakAfterDaysSchema,
  ConcessionsOnBreakSchema,
} from '#shared/negotiation/agreement-rules';
import type { Db, Tx } from '../server/db/db';
import { forEachDb, openTestDb } from './helpers/test-db';
import { cpf } from './helpers/ledger';

const RUNS = 150;
const ROLLBACK = new Error('rollback');

/** Strings no column should receive, and the ones that look empty but are not. */
const HOSTILE = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'Maria\u0001',
  '\u007F',
  '\u0085',
  '\u200B',
  '\u200B\u200C\u200D',
  '\u00A0\u2060\uFEFF',
  '\u3164',
  '\u2800',
  'Jo\u202Eão',
  '\u2066x\u2069',
  '\uD800',
  'a\uDC00',
  'x'.repeat(10_000),
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

const numbers = fc.oneof(
  fc.integer(),
  fc.integer({ min: -10, max: 40_000 }),
  fc.double(),
  fc.constantFrom(0, -1, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 1e308, -0, Number.NaN),
  fc.bigInt().map(String),
);

const dates = fc.oneof(
  fc.constantFrom(
    '0000-01-01',
    '0001-01-01',
    '0999-12-31',
    '1000-01-01',
    '1899-12-31',
    '2024-02-29',
    '2025-02-29',
    '9999-12-31',
    '10000-01-01',
    '2025-1-1',
    '01/02/2025',
  ),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(
      ([y, m, d]) =>
        `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    ),
);

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
function cnpjCheck(body: string, weights: number[]): number {
  const sum = weights.reduce((acc, w, i) => acc + (body.charCodeAt(i) - 48) * w, 0);
  const r = sum % 11;
  return r < 2 ? 0 : 11 - r;
}
function cnpj(body12: string): string {
  const d1 = cnpjCheck(body12, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const d2 = cnpjCheck(body12 + String(d1), [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  return `${body12}${d1}${d2}`;
}
const documents = fc.oneof(
  fc.integer({ min: 0, max: 999_999_999 }).map((n) => cpf(n)),
  fc
    .array(fc.constantFrom(...ALNUM), { minLength: 12, maxLength: 12 })
    .map((c) => cnpj(c.join(''))),
  fc
    .array(fc.constantFrom(...ALNUM), { minLength: 12, maxLength: 12 })
    .map((c) => cnpj(c.join('')).toLowerCase()),
  fc.array(fc.constantFrom(...'0123456789'), { minLength: 12, maxLength: 12 }).map((c) => {
    const d = cnpj(c.join(''));
    return `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-${d.slice(12)}`;
  }),
  fc.constantFrom('12.ABC.345/01DE-35', '12abc34501de35', '529.982.247-25', '00000000000191'),
  hostileString,
);

const phones = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('11', '21', '61', '82', '96', '00', '10'),
      fc.integer({ min: 0, max: 999_999_999 }),
    )
    .map(([ddd, n]) => `(${ddd}) ${String(n).padStart(9, '0')}`),
  fc.constantFrom('+55 11 98765-4321', '+5511987654321', '11 3333-4444', '+1 415 555 0100'),
  hostileString,
);

const emails = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom('Maria@Example.com ', 'a@b', 'a\u0000@b.com', ' @x.com', 'ção@exemplo.com.br'),
  hostileString,
);

const anyOf = (values: readonly string[]) => fc.oneof(fc.constantFrom(...values), hostileString);

interface Fixture {
  debtor: string;
  debt: string;
  user: string;
}

interface Probe {
  /** CHECK constraints (and typed columns) this probe proves. */
  covers: string[];
  schema: v.GenericSchema;
  inputs: fc.Arbitrary<unknown>;
  write: (tx: Tx, f: Fixture, value: never) => Promise<unknown>;
}

const debtEntries = NewDebtSchema.pipe[0].entries;
const debtorEntries = NewDebtorSchema.pipe[0].entries;
const patchEntries = DebtorPatchSchema.pipe[0].entries;
const debtPatchEntries = DebtPatchSchema.pipe[0].entries;
const orgEntries = NewOrganisationSchema.pipe[0].entries;

/** An agreement of the fixture's debtor with one column set to `value` (0170's CHECKs). */
function agreementWith(tx: Tx, f: Fixture, column: string, value: unknown) {
  return tx.query(
    `INSERT INTO agreements (id, debtor_id, status, total_cents, installment_count, agreed_on,
            ${column})
     VALUES (gen_random_uuid(), $1, 'active', 1000, 2, '2025-01-02', $2)`,
    [f.debtor, value],
  );
}

const PROBES: Probe[] = [
  {
    covers: ['debtors_document_check'],
    schema: DocumentSchema,
    inputs: documents,
    write: (tx, f, value: string) =>
      tx.query('UPDATE debtors SET document = $2 WHERE id = $1', [f.debtor, value]),
  },
  {
    covers: ['debtors_name_check'],
    schema: debtorEntries.name,
    inputs: hostileString,
    write: (tx, f, value: string) =>
      tx.query('UPDATE debtors SET name = $2 WHERE id = $1', [f.debtor, value]),
  },
  {
    covers: ['debtors_kind_check'],
    schema: DebtorKindSchema,
    inputs: anyOf(['person', 'company', 'Person']),
    write: (tx, f, value: string) =>
      tx.query('UPDATE debtors SET kind = $2 WHERE id = $1', [f.debtor, value]),
  },
  {
    covers: ['debtors_postal_code_check'],
    schema: PostalCodeSchema,
    inputs: fc.oneof(
      fc.constantFrom('01001-000', '01.001-000', '0100100', '01001 000', '٠١٠٠١٠٠٠'),
      hostileString,
    ),
    write: (tx, f, value: string) =>
      tx.query('UPDATE debtors SET postal_code = $2 WHERE id = $1', [f.debtor, value]),
  },
  {
    covers: ['debtors.state char(2)'],
    schema: UfSchema,
    inputs: anyOf(['SP', 'sp', 'XX', 'SPX']),
    write: (tx, f, value: string) =>
      tx.query('UPDATE debtors SET state = $2 WHERE id = $1', [f.debtor, value]),
  },
  {
    covers: ['debtors_preferred_channel_check'],
    schema: v.unwrap(v.unwrap(patchEntries.preferredChannel)),
    inputs: anyOf(['sms', 'whatsapp', 'email', 'visit', 'telegram']),
    write: (tx, f, value: string) =>
      tx.query('UPDATE debtors SET preferred_channel = $2 WHERE id = $1', [f.debtor, value]),
  },
  {
    covers: ['contact_points_kind_check', 'contact_points.value (phone)'],
    schema: PhoneE164Schema,
    inputs: phones,
    write: (tx, f, value: string) =>
      tx.query(
        `INSERT INTO contact_points (id, debtor_id, kind, value, match_key)
         VALUES (gen_random_uuid(), $1, 'phone', $2, $2)`,
        [f.debtor, value],
      ),
  },
  {
    covers: ['contact_points.value (email)', 'contact_point_keys_kind_check'],
    schema: ContactEmailSchema,
    inputs: emails,
    write: (tx, f, value: string) =>
      tx.query(
        `WITH p AS (INSERT INTO contact_points (id, debtor_id, kind, value, match_key)
           VALUES (gen_random_uuid(), $1, 'email', $2, $2) RETURNING id)
         INSERT INTO contact_point_keys (contact_point_id, debtor_id, kind, key)
         SELECT id, $1, 'email', $2 FROM p`,
        [f.debtor, value],
      ),
  },
  {
    covers: [
      'contact_points_verification_check',
      'contact_points_verification_source_check',
      'contact_points_verified_in_step',
    ],
    schema: v.object({ state: VerificationStateSchema, source: VerificationSourceSchema }),
    inputs: fc.record({
      state: anyOf(['unverified', 'verified', 'wrong', 'maybe']),
      source: anyOf(['in_person', 'replied', 'debtor_page', 'office', 'guess']),
    }),
    write: (tx, f, value: { state: string; source: string }) =>
      tx.query(
        `INSERT INTO contact_points (id, debtor_id, kind, value, match_key, verification, verification_source)
         VALUES (gen_random_uuid(), $1, 'phone', '+5511987654321', '+551187654321', $2, $3)`,
        [f.debtor, value.state, value.source],
      ),
  },
  {
    covers: ['users_email_check'],
    schema: UserEmailSchema,
    inputs: emails,
    write: (tx, f, value: string) =>
      tx.query('UPDATE users SET email = $2 WHERE id = $1', [f.user, value]),
  },
  {
    covers: ['users_name_check'],
    schema: UserNameSchema,
    inputs: hostileString,
    write: (tx, f, value: string) =>
      tx.query('UPDATE users SET name = $2 WHERE id = $1', [f.user, value]),
  },
  {
    covers: ['sync_devices_name_check'],
    schema: DeviceNameSchema,
    inputs: hostileString,
    write: (tx, f, value: string) =>
      tx.query(
        `INSERT INTO sync_devices (id, collector_id, name)
         VALUES ('01890a5d-ac96-774b-bcce-b30209900009', $1, $2)`,
        [f.user, value],
      ),
  },
  {
    covers: ['due_date_requests_reason_check'],
    schema: DueDateReasonSchema,
    inputs: fc.oneof(hostileString, fc.string({ minLength: 490, maxLength: 510 })),
    write: (tx, f, value: string) =>
      tx.query(
        `INSERT INTO due_date_requests (id, debtor_id, requested_on, reason, created_at)
         VALUES ('01890a5d-ac96-774b-bcce-b3020990000a', $1, '2025-05-05', $2, now())`,
        [f.debtor, value],
      ),
  },
  {
    covers: ['due_date_requests_decision_note_check'],
    schema: DueDateRefuseSchema.entries.note,
    inputs: fc.oneof(hostileString, fc.string({ minLength: 490, maxLength: 510 })),
    write: (tx, f, value: string) =>
      tx.query(
        `INSERT INTO due_date_requests (id, debtor_id, requested_on, status, decided_at, decision_note, created_at)
         VALUES ('01890a5d-ac96-774b-bcce-b3020990000b', $1, '2025-05-05', 'refused', now(), $2, now())`,
        [f.debtor, value],
      ),
  },
  {
    covers: ['users_role_check'],
    schema: RoleSchema,
    inputs: anyOf(['owner', 'staff', 'collector', 'admin']),
    write: (tx, f, value: string) =>
      tx.query('UPDATE users SET role = $2 WHERE id = $1', [f.user, value]),
  },
  {
    covers: ['onboarding_steps_step_check'],
    schema: OnboardingStepSchema,
    inputs: anyOf(['name', 'creditor', 'pix', 'collector', 'import', 'debtors', '']),
    // 'skipped' is allowed for every step (only 'done' is reserved to the name).
    write: (tx, _f, value: string) =>
      tx.query(
        `INSERT INTO onboarding_steps (step, state, at) VALUES ($1, 'skipped', now())
         ON CONFLICT (org_id, step) DO UPDATE SET state = 'skipped'`,
        [value],
      ),
  },
  {
    covers: ['debts_principal_cents_check'],
    schema: debtEntries.principal,
    inputs: numbers,
    write: (tx, f, value: number) =>
      tx.query('UPDATE debts SET principal_cents = $2 WHERE id = $1', [f.debt, value]),
  },
  {
    covers: ['debts_fine_bps_check', 'debts.fine_bps integer'],
    schema: v.unwrap(debtEntries.fineBps),
    inputs: numbers,
    write: (tx, f, value: number) =>
      tx.query('UPDATE debts SET fine_bps = $2 WHERE id = $1', [f.debt, value]),
  },
  {
    covers: ['debts_interest_monthly_bps_check', 'debts.interest_monthly_bps integer'],
    schema: v.unwrap(debtPatchEntries.monthlyInterestBps),
    inputs: numbers,
    write: (tx, f, value: number) =>
      tx.query('UPDATE debts SET interest_monthly_bps = $2 WHERE id = $1', [f.debt, value]),
  },
  {
    covers: ['debts_punctuality_discount_bps_check'],
    schema: v.unwrap(debtEntries.punctualityDiscountBps),
    inputs: numbers,
    write: (tx, f, value: number) =>
      tx.query('UPDATE debts SET punctuality_discount_bps = $2 WHERE id = $1', [f.debt, value]),
  },
  {
    covers: ['debts_grace_days_check'],
    schema: v.unwrap(debtPatchEntries.graceDays),
    inputs: numbers,
    write: (tx, f, value: number) =>
      tx.query('UPDATE debts SET grace_days = $2 WHERE id = $1', [f.debt, value]),
  },
  {
    covers: ['debts_debt_kind_check'],
    schema: debtEntries.kind,
    inputs: anyOf(['consumer', 'business', 'b2b']),
    write: (tx, f, value: string) =>
      tx.query('UPDATE debts SET debt_kind = $2 WHERE id = $1', [f.debt, value]),
  },
  {
    covers: ['debts.due_on date', 'payments.paid_on date', 'promises.promised_on date'],
    schema: CalendarDateSchema,
    inputs: dates,
    write: (tx, f, value: string) =>
      tx.query('UPDATE debts SET due_on = $2, issued_on = $2 WHERE id = $1', [f.debt, value]),
  },
  {
    covers: ['debts_fees_cents_check'],
    schema: v.array(debtEntries.fees.wrapped.item),
    inputs: fc.array(fc.record({ description: hostileString, amount: numbers, date: dates }), {
      maxLength: 3,
    }),
    write: (tx, f, value: { amount: number }[]) =>
      tx.query('UPDATE debts SET fees = $2, fees_cents = $3 WHERE id = $1', [
        f.debt,
        JSON.stringify(value),
        value.reduce((acc, fee) => acc + fee.amount, 0),
      ]),
  },
  {
    covers: ['payments_amount_cents_check', 'payments_method_check'],
    schema: v.object({
      amount: NewPaymentSchema.entries.amount,
      method: NewPaymentSchema.entries.method,
    }),
    inputs: fc.record({ amount: numbers, method: anyOf(['pix', 'cash', 'boleto', 'cheque']) }),
    write: (tx, f, value: { amount: number; method: string }) =>
      tx.query(
        `INSERT INTO payments (id, debtor_id, debt_id, amount_cents, paid_on, method, status)
         VALUES (gen_random_uuid(), $1, $2, $3, '2025-03-10', $4, 'confirmed')`,
        [f.debtor, f.debt, value.amount, value.method],
      ),
  },
  {
    covers: ['promises_amount_cents_check', 'promises_channel_check'],
    schema: v.object({
      amount: PromiseRequestSchema.entries.amount,
      channel: PromiseRequestSchema.entries.channel,
    }),
    inputs: fc.record({ amount: numbers, channel: anyOf(['visit', 'whatsapp', 'letter', 'fax']) }),
    write: (tx, f, value: { amount: number; channel: string }) =>
      tx.query(
        `INSERT INTO promises (id, debtor_id, debt_id, amount_cents, promised_on, channel)
         VALUES (gen_random_uuid(), $1, $2, $3, '2025-03-12', $4)`,
        [f.debtor, f.debt, value.amount, value.channel],
      ),
  },
  {
    covers: ['notices_amount_stated_cents_check', 'notices_method_check', 'notices_purpose_check'],
    schema: v.object({
      amountStated: NoticeRequestSchema.entries.amountStated,
      method: NoticeRequestSchema.entries.method,
      purpose: NoticeRequestSchema.entries.purpose,
      sentTo: NoticeRequestSchema.entries.sentTo,
    }),
    inputs: fc.record({
      amountStated: numbers,
      method: anyOf(['letter', 'registered_letter', 'email', 'bureau_letter', 'pigeon']),
      purpose: anyOf(['negativacao', 'protesto', 'spc']),
      sentTo: hostileString,
    }),
    write: (
      tx,
      f,
      value: { amountStated: number; method: string; purpose: string; sentTo: string },
    ) =>
      tx.query(
        `INSERT INTO notices (id, debtor_id, debt_id, purpose, channel, method, sent_on, recipient, amount_stated_cents)
         VALUES (gen_random_uuid(), $1, $2, $3, 'letter', $4, '2025-03-01', $5, $6)`,
        [f.debtor, f.debt, value.purpose, value.method, value.sentTo, value.amountStated],
      ),
  },
  {
    covers: ['escalations_kind_check'],
    schema: EscalationRequestSchema.entries.kind,
    inputs: anyOf(['negativacao', 'protesto', 'serasa']),
    write: (tx, f, value: string) =>
      tx.query(
        `INSERT INTO escalations (id, debtor_id, debt_id, kind, status)
         VALUES (gen_random_uuid(), $1, $2, $3, 'proposed')`,
        [f.debtor, f.debt, value],
      ),
  },
  {
    covers: ['contact_log_channel_check', 'contact_log_direction_check'],
    schema: v.object({
      channel: ContactRequestSchema.entries.channel,
      direction: ContactRequestSchema.entries.direction,
      body: ContactRequestSchema.entries.body,
    }),
    inputs: fc.record({
      channel: anyOf(['whatsapp', 'sms', 'email', 'phone', 'visit', 'letter', 'fax']),
      direction: fc.oneof(fc.constant(undefined), anyOf(['outbound', 'inbound', 'both'])),
      body: fc.oneof(fc.constant(undefined), hostileString),
    }),
    write: (tx, f, value: { channel: string; direction: string; body?: string }) =>
      tx.query(
        `INSERT INTO contact_log (id, debtor_id, channel, direction, body, at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, now())`,
        [f.debtor, value.channel, value.direction, value.body ?? null],
      ),
  },
  {
    covers: ['visits.visited_at timestamptz', 'payments.reported_at timestamptz'],
    schema: InstantSchema,
    inputs: fc.oneof(
      dates.map((d) => `${d}T12:00:00.000Z`),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom(
        '0000-01-01T00:00:00Z',
        '1970-01-01T00:00:00Z',
        '+275760-09-13T00:00:00.000Z',
      ),
    ),
    write: (tx, f, value: string) =>
      tx.query(
        `INSERT INTO visits (id, debtor_id, collector_id, visited_at, outcome)
         VALUES (gen_random_uuid(), $1, $2, $3, 'other')`,
        [f.debtor, f.user, value],
      ),
  },
  {
    covers: ['visits_outcome_check'],
    schema: VisitOutcomeSchema,
    inputs: anyOf(['not_home', 'paid', 'moved', 'asleep']),
    write: (tx, f, value: string) =>
      tx.query(
        `INSERT INTO visits (id, debtor_id, collector_id, visited_at, outcome)
         VALUES (gen_random_uuid(), $1, $2, now(), $3)`,
        [f.debtor, f.user, value],
      ),
  },
  {
    covers: ['organisation_creditor_document_check'],
    schema: orgEntries.document,
    inputs: documents,
    write: (tx, _f, value: string) =>
      tx.query('UPDATE organisation SET creditor_document = $1 WHERE id = 1', [value]),
  },
  {
    covers: ['organisation_retention_days_check', 'organisation.retention_days integer'],
    schema: v.unwrap(orgEntries.retentionDays),
    inputs: numbers,
    write: (tx, _f, value: number) =>
      tx.query('UPDATE organisation SET retention_days = $1 WHERE id = 1', [value]),
  },
  {
    covers: ['organisation_pix_key_type_check'],
    schema: PixKeyTypeSchema,
    inputs: anyOf(['email', 'cpf', 'cnpj', 'phone', 'evp', 'random']),
    write: (tx, _f, value: string) =>
      tx.query('UPDATE organisation SET pix_key_type = $1 WHERE id = 1', [value]),
  },
  {
    covers: ['agreements_break_after_days_check'],
    schema: BreakAfterDaysSchema,
    inputs: fc.oneof(numbers, fc.constantFrom(0, 1, 5, 90, 91, 1.5, -1)),
    write: (tx, f, value: number) => agreementWith(tx, f, 'break_after_days', value),
  },
  {
    covers: ['agreements_concessions_on_break_check'],
    schema: ConcessionsOnBreakSchema,
    inputs: anyOf(['lost', 'kept', 'Lost', 'keep']),
    write: (tx, f, value: string) => agreementWith(tx, f, 'concessions_on_break', value),
  },
  {
    covers: ['bank_credits_note_check'],
    schema: v.pipe(
      CreditReasonRequestSchema,
      v.transform((r) => r.reason),
    ),
    inputs: fc
      .oneof(
        hostileString,
        fc.string({ minLength: 490, maxLength: 520 }),
        fc.string({ unit: 'grapheme', minLength: 480, maxLength: 520 }),
      )
      .map((reason) => ({ reason })),
    write: async (tx, f, value: string) => {
      const statement = '01890a5d-ac96-774b-bcce-b30209900010';
      await tx.query(
        `INSERT INTO bank_statements (id, format, account_key, file_sha256, uploaded_by,
                uploaded_at, credits, new_credits)
         VALUES ($1, 'ofx', '341:0001:12345', repeat('a', 64), $2, now(), 1, 1)`,
        [statement, f.user],
      );
      return tx.query(
        `INSERT INTO bank_credits (id, statement_id, account_key, fitid, posted_on, amount_cents,
                status, note, created_at)
         VALUES (gen_random_uuid(), $1, '341:0001:12345', 'F1', '2025-01-02', 100, 'ignored',
                 $2, now())`,
        [statement, value],
      );
    },
  },
];

/** CHECKs on values the server computes or picks from its own constants, never from input. */
const SERVER_SET: Record<string, string> = {
  onboarding_steps_state_check: "server constant ('done' for the confirmed name, 'skipped')",
  organisations_id_check:
    'organisations are created by the operator (createOrganisation), no request',
  organisations_name_check:
    'organisations are created by the operator (createOrganisation), no request',
  onboarding_steps_check:
    "only the name is ever stored as 'done' (the others are done by their data)",
  sign_in_codes_check: 'expires_at computed by the server from created_at (15 minutes later)',
  agreements_discount_cents_check: 'computed by the negotiation rules',
  auth_tokens_kind_scope_check: 'server constant per token kind',
  auth_tokens_scope_check: 'server constant',
  chat_identities_chat_key_hash_check: 'SHA-256 hex computed by the server',
  chat_identities_check: 'revoked_at and revoked_by written together',
  debtors_merged_consistent: 'merged_into and merged_at written together by the merge',
  agreements_down_payment_cents_check: 'computed by the negotiation rules',
  agreements_installment_count_check: 'computed schedule (proposal count ≥ 1 by schema)',
  agreements_status_check: 'state machine constant',
  agreements_total_cents_check: 'computed by the negotiation rules',
  agreements_waived_fine_cents_check: 'computed concession',
  agreements_waived_interest_cents_check: 'computed concession',
  auth_tokens_kind_check: 'server constant',
  cadence_tasks_channel_check: 'server constant',
  cadence_tasks_status_check: 'state machine constant',
  changes_op_check: 'server constant',
  concessions_amount_cents_check: 'computed concession',
  import_column_maps_signature_check: 'hash of the header computed by the server',
  concessions_kind_check: 'server constant',
  contact_log_status_check: 'server constant',
  debts_status_check: 'state machine constant',
  disputes_status_check: 'state machine constant',
  escalations_status_check: 'state machine constant',
  installments_amount_cents_check: 'computed schedule',
  installments_seq_check: 'computed schedule',
  notices_channel_check: 'derived from the notice method',
  notices_waiting_days_check: 'from the policy, positive by the policy schema',
  organisation_id_check: 'single row',
  // Reconciliation (0170/0171): computed or read from the bank's file.
  bank_credit_suggestions_owed_cents_check: 'computed by the matcher',
  bank_credit_suggestions_rank_check: 'computed by the matcher',
  bank_credit_suggestions_target_kind_check: 'server constant',
  bank_credits_amount_cents_check: 'credits only: the statement parser keeps amounts > 0',
  bank_credits_check: 'status and target written together',
  bank_credits_confirmed_as_check: 'server constant',
  bank_credits_confirmed_as_consistent: 'status and confirmed_as written together',
  bank_credits_fitid_check: 'read from the bank file by the statement parser',
  bank_credits_payer_document_check: 'normalised by the statement parser',
  bank_credits_refund_due_cents_check: 'computed by the allocation',
  bank_credits_status_check: 'state machine constant',
  bank_credits_target_kind_check: 'server constant',
  bank_credits_txid_check: 'read from the bank file by the statement parser',
  bank_statements_credits_check: 'counted by the server',
  bank_statements_file_sha256_check: 'SHA-256 hex computed by the server',
  bank_statements_format_check: 'detected by the server',
  bank_statements_new_credits_check: 'counted by the server',
  installments_paid_on: 'computed by the allocation',
  installments_paid_range: 'computed by the allocation',
  payments_check: 'computed by the allocation',
  payments_merged_consistent: 'written together by the merge',
  due_date_requests_check: 'status and decided_at written together by the decision',
  due_date_requests_status_check: 'state machine constant',
  portal_attempts_check: 'link id present exactly when the attempt named a real link',
  portal_attempts_kind_check: 'server constant',
  portal_links_check: 'expiry computed from the validity setting (14–365 days by schema)',
  portal_links_check1: 'revoked_at and revoke_reason written together',
  portal_links_nonce_check: 'random nonce made by the server',
  portal_links_revoke_reason_check: 'server constant',
  portal_links_token_hash_check: 'SHA-256 hex computed by the server',
  portal_sessions_check: 'expiry computed by the server',
  portal_sessions_token_hash_check: 'SHA-256 hex computed by the server',
  ops_backups_bytes_check: 'measured by the backup job',
  ops_backups_database_check: 'server constant (the database in use)',
  ops_backups_kind_check: 'server constant (scheduled, manual or restore)',
  payments_status_check: 'state machine constant',
  promises_status_check: 'state machine constant',
  settings_key_check: 'server constant section names',
  sync_conflicts_resolution_check: 'picklist of the resolve schema, stored as given',
  sync_conflicts_resolved_consistent: 'written together by one statement',
  sync_mutations_status_check: 'server constant',
  sync_seq_losses_check: 'computed by the re-base',
  sync_state_id_check: 'single row',
};

async function fixture(db: Db): Promise<Fixture> {
  const user = '01890a5d-ac96-774b-bcce-b30209900001';
  const debtor = '01890a5d-ac96-774b-bcce-b30209900002';
  const debt = '01890a5d-ac96-774b-bcce-b30209900003';
  await db.query(
    `INSERT INTO users (id, email, name, role, password_hash) VALUES ($1, 'walk@example.com', 'Walk', 'collector', 'x')`,
    [user],
  );
  await db.query(`INSERT INTO debtors (id, kind, name) VALUES ($1, 'person', 'Walk')`, [debtor]);
  await db.query(
    `INSERT INTO debts (id, debtor_id, principal_cents, due_on) VALUES ($1, $2, 100, '2025-01-01')`,
    [debt, debtor],
  );
  return { debtor, debt, user };
}

async function walk(db: Db, f: Fixture, probe: Probe, seed: number) {
  const inputs = fc.sample(probe.inputs, { numRuns: RUNS, seed });
  let accepted = 0;
  const refusedByDb: { input: unknown; output: unknown; error: string }[] = [];
  try {
    await db.transaction(async (tx) => {
      for (const input of inputs) {
        const parsed = v.safeParse(probe.schema, input);
        if (!parsed.success) continue;
        accepted += 1;
        await tx.query('SAVEPOINT walk');
        try {
          await probe.write(tx, f, parsed.output as never);
        } catch (error) {
          refusedByDb.push({ input, output: parsed.output, error: (error as Error).message });
        }
        await tx.query('ROLLBACK TO SAVEPOINT walk');
      }
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  return { accepted, refusedByDb };
}

forEachDb((kind) => {
  let db: Db;
  let f: Fixture;
  beforeAll(async () => {
    db = await openTestDb(kind);
    f = await fixture(db);
  });
  afterAll(async () => {
    await db.close();
  });

  test('every CHECK constraint is walked here or is server-set', async () => {
    const rows = await db.query<{ name: string }>(
      `SELECT conname AS name FROM pg_constraint
       WHERE contype = 'c' AND connamespace = 'public'::regnamespace ORDER BY 1`,
    );
    const covered = new Set([...PROBES.flatMap((p) => p.covers), ...Object.keys(SERVER_SET)]);
    expect(rows.map((r) => r.name).filter((name) => !covered.has(name))).toEqual([]);
  });

  test.each(PROBES.map((p, i) => [p.covers[0] ?? String(i), p, i] as const))(
    '%s: what the schema accepts, the column stores',
    async (_name, probe, i) => {
      const seed = Number(process.env['QUITA_FUZZ_SEED'] ?? 20_260_801) + i;
      const { accepted, refusedByDb } = await walk(db, f, probe, seed);
      expect(accepted, 'the walk never reached the database').toBeGreaterThan(0);
      expect(refusedByDb).toEqual([]);
    },
  );
});
