/**
 * Request and response messages of the ledger API (/api/debtors, debts, payments, promises,
 * agreements, disputes, notices, escalations, contacts, assignments) that the entity schemas in
 * shared/domain do not already describe. Request bodies reuse the entity fields; the fields the
 * server fills from the session (who recorded, when it was received, today's date) are left out,
 * so a client can never write them.
 */
import * as v from 'valibot';
import { HourRangeSchema, PreferableChannels } from '../cadence/cadence.schema';
import { BreakdownSchema } from '../charges/charges.schema';
import { DocumentSchema } from '../identity/document';
import { CentsSchema } from '../money/money';
import { ProposalSchema } from '../negotiation/negotiation.schema';
import { CalendarDateSchema } from '../time/calendar-date';
import {
  AddressSchema,
  ContactChannelSchema,
  entity,
  note,
  text,
  VersionSchema,
} from '../domain/common.schema';
import { ContactDirectionSchema } from '../domain/contact-event.schema';
import { NewDebtSchema } from '../domain/debt.schema';
import { ContactPointSchema, DebtorKindSchema, DoNotContactSchema } from '../domain/debtor.schema';
import { DisputeReasonSchema } from '../domain/dispute.schema';
import { IdSchema } from '../domain/id';
import { NoticeMethodSchema, NoticePurposeSchema } from '../domain/notice.schema';
import { NewReportedPaymentSchema } from '../domain/payment.schema';
import { DebtIdsSchema, NewPromiseSchema } from '../domain/promise.schema';
import { TemplateIdSchema } from '../templates/template.schema';

/** Where a debtor stands, for the extension's badge and the owner's lists (most serious first). */
export const DebtorStatuses = [
  'disputa',
  'negativado',
  'acordo',
  'promessa',
  'vencido',
  'em_dia',
] as const;
export const DebtorStatusSchema = v.picklist(DebtorStatuses);
export type DebtorStatus = v.InferOutput<typeof DebtorStatusSchema>;

// ---------------------------------------------------------------------------------------------
// Requests

const nullable = <S extends v.GenericSchema>(schema: S) => v.optional(v.nullable(schema));

/** `GET /api/debtors` query string (all text, as query strings are). */
export const DebtorSearchQuerySchema = entity({
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(120, 'q must be at most 120 characters'))),
  status: v.optional(DebtorStatusSchema),
  collector: v.optional(IdSchema),
  limit: v.optional(
    v.pipe(
      v.string('limit must be a number'),
      v.regex(/^\d{1,3}$/, 'limit must be a whole number from 1 to 200'),
      v.transform(Number),
      v.minValue(1, 'limit must be a whole number from 1 to 200'),
      v.maxValue(200, 'limit must be a whole number from 1 to 200'),
    ),
    '50',
  ),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(400, 'cursor is not valid'))),
});
export type DebtorSearchQuery = v.InferOutput<typeof DebtorSearchQuerySchema>;

/** `GET /api/debtors/lookup`: exactly one of email or phone. */
export const DebtorLookupQuerySchema = v.pipe(
  entity({
    email: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(254))),
    phone: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(40))),
  }),
  v.forward(
    v.check(
      (q) => (q.email === undefined) !== (q.phone === undefined),
      'give exactly one of email or phone',
    ),
    ['email'],
  ),
);

/**
 * `PATCH /api/debtors/:id`: corrections, flags and preferences. `version` is the one read; a
 * stale version is refused (409). `null` clears an optional field. `contactPoints`, when given,
 * replaces the whole list (points kept by kind + value keep their id and history).
 */
export const DebtorPatchSchema = v.pipe(
  entity({
    version: VersionSchema,
    kind: v.optional(DebtorKindSchema),
    name: v.optional(text('name', 160)),
    document: nullable(DocumentSchema),
    contactPoints: v.optional(
      v.pipe(
        v.array(ContactPointSchema, 'contactPoints must be a list'),
        v.maxLength(20, 'at most 20 contact points'),
        v.check(
          (list) => new Set(list.map((c) => `${c.kind}:${c.value}`)).size === list.length,
          'the same contact point is listed twice',
        ),
      ),
    ),
    address: nullable(AddressSchema),
    preferredChannel: nullable(
      v.picklist(PreferableChannels, 'preferredChannel must be one of sms, whatsapp, email'),
    ),
    preferredHours: nullable(HourRangeSchema),
    doNotContact: v.optional(DoNotContactSchema),
    externalId: nullable(text('externalId', 64)),
    tags: v.optional(
      v.pipe(
        v.array(
          v.pipe(
            v.string('tag must be text'),
            v.trim(),
            v.toLowerCase(),
            v.nonEmpty(),
            v.maxLength(32),
          ),
          'tags must be a list',
        ),
        v.maxLength(20, 'at most 20 tags'),
        v.transform((list) => [...new Set(list)]),
      ),
    ),
    notes: nullable(note('notes', 2000)),
  }),
  v.check((p) => Object.keys(p).length > 1, 'nothing to change: send at least one field'),
);
export type DebtorPatch = v.InferOutput<typeof DebtorPatchSchema>;

const debtEntries = NewDebtSchema.pipe[0].entries;

/** `PATCH /api/debts/:id`: the terms of an open debt. */
export const DebtPatchSchema = v.pipe(
  entity({
    version: VersionSchema,
    description: v.optional(debtEntries.description),
    externalId: nullable(text('externalId', 64)),
    principal: v.optional(debtEntries.principal),
    issueDate: v.optional(CalendarDateSchema),
    dueDate: v.optional(CalendarDateSchema),
    kind: v.optional(debtEntries.kind),
    fineBps: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(10_000))),
    monthlyInterestBps: v.optional(
      v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(10_000)),
    ),
    graceDays: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(365))),
  }),
  v.check((p) => Object.keys(p).length > 1, 'nothing to change: send at least one field'),
);
export type DebtPatch = v.InferOutput<typeof DebtPatchSchema>;

/** Cancel, reject, withdraw: the reason is kept with the record and in the audit log. */
export const ReasonRequestSchema = entity({ reason: text('reason', 500) });

/** `POST /api/payments/reported`: the collector is the session's user. */
export const ReportedPaymentRequestSchema = v.omit(NewReportedPaymentSchema, ['reportedBy']);
export type ReportedPaymentRequest = v.InferOutput<typeof ReportedPaymentRequestSchema>;

const promiseEntries = NewPromiseSchema.pipe[0].entries;

/** `POST /api/promises`: made today, recorded by the session's user. */
export const PromiseRequestSchema = entity({
  id: v.optional(IdSchema),
  debtorId: IdSchema,
  debtIds: DebtIdsSchema,
  amount: promiseEntries.amount,
  dueDate: CalendarDateSchema,
  channel: ContactChannelSchema,
  visitId: v.optional(IdSchema),
  note: v.optional(note('note', 500)),
});
export type PromiseRequest = v.InferOutput<typeof PromiseRequestSchema>;

/** `POST /api/agreements`: a negotiation proposal for one debtor, validated against the policy. */
export const AgreementProposalRequestSchema = v.pipe(
  entity({
    id: v.optional(IdSchema),
    debtorId: IdSchema,
    ...ProposalSchema.pipe[0].entries,
    debtIds: DebtIdsSchema,
    note: v.optional(note('note', 1000)),
  }),
  v.check(
    (p) => p.discountBps === undefined || p.discountAmount === undefined,
    'give the discount as discountBps or as discountAmount, not both',
  ),
);
export type AgreementProposalRequest = v.InferOutput<typeof AgreementProposalRequestSchema>;

/** `POST /api/disputes`: opened today by the session's user. */
export const DisputeRequestSchema = entity({
  id: v.optional(IdSchema),
  debtorId: IdSchema,
  debtId: IdSchema,
  reason: DisputeReasonSchema,
  description: v.optional(note('description', 2000)),
});

/** `POST /api/disputes/:id/resolve`. */
export const DisputeResolveSchema = entity({
  outcome: v.picklist(['upheld', 'rejected'], 'outcome must be upheld or rejected'),
  note: text('note', 2000),
});

/** `POST /api/notices`: the waiting period comes from the policy and the debtor's state. */
export const NoticeRequestSchema = entity({
  id: v.optional(IdSchema),
  debtorId: IdSchema,
  debtId: IdSchema,
  purpose: NoticePurposeSchema,
  method: NoticeMethodSchema,
  sentTo: text('sentTo', 300),
  sentOn: CalendarDateSchema,
  amountStated: promiseEntries.amount,
  templateId: v.optional(TemplateIdSchema),
});

/** `POST /api/escalations`: negativação or protesto of one debt, requested today. */
export const EscalationRequestSchema = entity({
  id: v.optional(IdSchema),
  debtorId: IdSchema,
  debtId: IdSchema,
  kind: v.picklist(['negativacao', 'protesto'], 'kind must be negativacao or protesto'),
  agency: v.optional(text('agency', 120)),
  note: v.optional(note('note', 1000)),
});

export const EscalationListedSchema = entity({ listedOn: CalendarDateSchema });
export const EscalationRemovedSchema = entity({ removedOn: CalendarDateSchema });

/** `POST /api/contacts`: a contact made now by the session's user (or reported by the engine). */
export const ContactRequestSchema = entity({
  id: v.optional(IdSchema),
  debtorId: IdSchema,
  debtIds: v.optional(
    v.pipe(v.array(IdSchema, 'debtIds must be a list'), v.maxLength(200)),
    () => [],
  ),
  channel: ContactChannelSchema,
  direction: v.optional(ContactDirectionSchema, 'outbound'),
  automated: v.optional(v.boolean('automated must be true or false'), false),
  stepId: v.optional(text('stepId', 64)),
  templateId: v.optional(TemplateIdSchema),
  privacySafe: v.optional(v.boolean('privacySafe must be true or false'), false),
  contactPointId: v.optional(IdSchema),
  body: v.optional(note('body', 5000)),
  /** An owner sending anyway outside the window or over the budget; audited. */
  override: v.optional(entity({ reason: text('reason', 500) })),
});
export type ContactRequest = v.InferOutput<typeof ContactRequestSchema>;

/** `POST /api/assignments`: assign these debtors to one collector (moving them if needed). */
export const AssignmentRequestSchema = entity({
  collectorId: IdSchema,
  debtorIds: v.pipe(
    v.array(IdSchema, 'debtorIds must be a list'),
    v.nonEmpty('debtorIds needs at least one debtor'),
    v.maxLength(5000, 'at most 5000 debtors at once'),
  ),
});

/** `POST /api/assignments/unassign`. */
export const UnassignRequestSchema = entity({
  debtorIds: AssignmentRequestSchema.entries.debtorIds,
});

// ---------------------------------------------------------------------------------------------
// Responses

/** The itemised balance of several debts added up (each line is the sum of the debts' lines). */
export const BalanceTotalsSchema = v.object({
  asOf: CalendarDateSchema,
  principal: CentsSchema,
  fine: CentsSchema,
  interest: CentsSchema,
  fees: CentsSchema,
  paid: CentsSchema,
  discount: CentsSchema,
  totalDue: CentsSchema,
  credit: CentsSchema,
});
export type BalanceTotals = v.InferOutput<typeof BalanceTotalsSchema>;

/** The cadence step due now (or next), as the planner computed it. */
export const CadenceStepDueSchema = v.object({
  stepId: v.string(),
  channel: v.string(),
  templateId: v.string(),
  kind: v.string(),
  mode: v.picklist(['automatic', 'manual']),
  allowsDiscount: v.boolean(),
  dueOn: CalendarDateSchema,
  /** ISO instant of the first allowed contact, or null when no window exists. */
  earliestAt: v.nullable(v.string()),
});

/** One debtor matched by `GET /api/debtors/lookup`. */
export const DebtorLookupMatchSchema = v.object({
  id: IdSchema,
  name: v.string(),
  status: DebtorStatusSchema,
  /** Days past due of the oldest open debt; 0 when nothing is overdue. */
  daysOverdue: v.number(),
  balance: BalanceTotalsSchema,
  lastContact: v.nullable(
    v.object({
      at: v.string(),
      channel: v.string(),
      direction: v.picklist(['outbound', 'inbound']),
    }),
  ),
  /** Outbound contacts still allowed today and over the last 7 days (the one budget). */
  contactBudgetLeft: v.object({ today: v.number(), last7Days: v.number() }),
  /** The legal window (and the debtor's preferred hours) is open now. */
  contactWindowOpen: v.boolean(),
  /** The full send-time verdict for the looked-up channel, now. */
  contactNow: v.object({
    allowed: v.boolean(),
    reason: v.optional(v.string()),
    message: v.optional(v.string()),
    nextAllowedAt: v.optional(v.string()),
  }),
  cadenceState: v.picklist(['active', 'paused', 'stopped']),
  /** The step due now and not done yet; null when none. */
  cadenceStepDue: v.nullable(CadenceStepDueSchema),
  /** Whether the contact point the lookup matched is verified as the debtor's own. */
  contactPointVerified: v.boolean(),
});
export type DebtorLookupMatch = v.InferOutput<typeof DebtorLookupMatchSchema>;

export const DebtorLookupResponseSchema = v.object({ matches: v.array(DebtorLookupMatchSchema) });
export type DebtorLookupResponse = v.InferOutput<typeof DebtorLookupResponseSchema>;

/** One debt in the debtor detail: the stored terms and the itemised balance as of today. */
export const DebtorDebtSchema = v.object({
  id: IdSchema,
  description: v.string(),
  externalId: v.nullable(v.string()),
  status: v.picklist(['open', 'settled', 'cancelled']),
  dueDate: CalendarDateSchema,
  principal: CentsSchema,
  version: v.number(),
  balance: BreakdownSchema,
});
