/**
 * Request and response messages of the ledger API (/api/debtors, debts, payments, promises,
 * agreements, disputes, notices, escalations, contacts, assignments) that the entity schemas in
 * shared/domain do not already describe. Request bodies reuse the entity fields; the fields the
 * server fills from the session (who recorded, when it was received, today's date) are left out,
 * so a client can never write them.
 */
import * as v from 'valibot';
import { HourRangeSchema, PreferableChannels } from '../cadence/cadence.schema';
import { DebtorStages } from '../cadence/debtor-stage';
import { BreakdownSchema } from '../charges/charges.schema';
import { DocumentSchema } from '../identity/document';
import { CentsSchema } from '../money/cents.schema';
import { ProposalSchema } from '../negotiation/negotiation.schema';
import { CalendarDateSchema } from '../time/calendar-date.schema';
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
import {
  ContactPointInputSchema,
  DebtorKindSchema,
  DoNotContactSchema,
} from '../domain/debtor.schema';
import { DisputeReasonSchema } from '../domain/dispute.schema';
import { IdSchema } from '../domain/id';
import { NoticeMethodSchema, NoticePurposeSchema } from '../domain/notice.schema';
import { NewReportedPaymentSchema } from '../domain/payment.schema';
import { DebtIdsSchema, NewPromiseSchema } from '../domain/promise.schema';
import { TemplateIdSchema } from '../templates/template.schema';
import { safeText } from '../text/safe-text';

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
  q: v.optional(
    v.pipe(
      v.string('a busca deve ser um texto'),
      safeText('a busca'),
      v.trim(),
      v.maxLength(120, 'a busca deve ter no máximo 120 caracteres'),
    ),
  ),
  status: v.optional(DebtorStatusSchema),
  collector: v.optional(IdSchema),
  /** Where the debtor is on the régua (shared/cadence/debtor-stage.ts). */
  stage: v.optional(
    v.picklist(
      DebtorStages,
      'a etapa deve ser preventive, reminder, negotiation, notice, escalation, paused, do_not_contact ou settled',
    ),
  ),
  /** '1' or 'true': only debtors no collector holds. */
  unassigned: v.optional(
    v.pipe(
      v.picklist(['1', 'true', '0', 'false'], 'sem cobrador deve ser 1 ou 0'),
      v.transform((s) => s === '1' || s === 'true'),
    ),
  ),
  limit: v.optional(
    v.pipe(
      v.string('o limite deve ser um número'),
      v.regex(/^\d{1,3}$/, 'o limite deve ser um número inteiro de 1 a 200'),
      v.transform(Number),
      v.minValue(1, 'o limite deve ser um número inteiro de 1 a 200'),
      v.maxValue(200, 'o limite deve ser um número inteiro de 1 a 200'),
    ),
    '50',
  ),
  cursor: v.optional(
    v.pipe(v.string('o cursor deve ser um texto'), v.maxLength(400, 'o cursor é inválido')),
  ),
});
export type DebtorSearchQuery = v.InferOutput<typeof DebtorSearchQuerySchema>;

/** `GET /api/debtors/lookup`: exactly one of email or phone. */
export const DebtorLookupQuerySchema = v.pipe(
  entity({
    email: v.optional(
      v.pipe(
        v.string('o e-mail deve ser um texto'),
        v.trim(),
        v.maxLength(254, 'o e-mail deve ter no máximo 254 caracteres'),
      ),
    ),
    phone: v.optional(
      v.pipe(
        v.string('o telefone deve ser um texto'),
        v.trim(),
        v.maxLength(40, 'o telefone deve ter no máximo 40 caracteres'),
      ),
    ),
  }),
  v.forward(
    v.check(
      (q) => (q.email === undefined) !== (q.phone === undefined),
      'informe o e-mail ou o telefone (phone), apenas um dos dois',
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
    name: v.optional(text('o nome', 160)),
    document: nullable(DocumentSchema),
    contactPoints: v.optional(
      v.pipe(
        v.array(ContactPointInputSchema, 'os contatos devem ser uma lista'),
        v.maxLength(20, 'no máximo 20 contatos'),
        v.check(
          (list) => new Set(list.map((c) => `${c.kind}:${c.value}`)).size === list.length,
          'o mesmo contato aparece duas vezes',
        ),
      ),
    ),
    address: nullable(AddressSchema),
    preferredChannel: nullable(
      v.picklist(PreferableChannels, 'o canal preferido deve ser sms, whatsapp ou email'),
    ),
    preferredHours: nullable(HourRangeSchema),
    doNotContact: v.optional(DoNotContactSchema),
    externalId: nullable(text('o código externo', 64)),
    tags: v.optional(
      v.pipe(
        v.array(
          v.pipe(
            v.string('a etiqueta deve ser um texto'),
            v.trim(),
            v.toLowerCase(),
            v.nonEmpty('a etiqueta não pode ficar vazia'),
            v.maxLength(32, 'a etiqueta deve ter no máximo 32 caracteres'),
          ),
          'as etiquetas devem ser uma lista',
        ),
        v.maxLength(20, 'no máximo 20 etiquetas'),
        v.transform((list) => [...new Set(list)]),
      ),
    ),
    notes: nullable(note('a observação', 2000)),
  }),
  v.check(
    (p) => Object.keys(p).length > 1,
    'nada para alterar: envie pelo menos um campo além de version',
  ),
);
export type DebtorPatch = v.InferOutput<typeof DebtorPatchSchema>;

const debtEntries = NewDebtSchema.pipe[0].entries;

/** `PATCH /api/debts/:id`: the terms of an open debt. */
export const DebtPatchSchema = v.pipe(
  entity({
    version: VersionSchema,
    description: v.optional(debtEntries.description),
    externalId: nullable(text('o código externo', 64)),
    principal: v.optional(debtEntries.principal),
    issueDate: v.optional(CalendarDateSchema),
    dueDate: v.optional(CalendarDateSchema),
    kind: v.optional(debtEntries.kind),
    fineBps: v.optional(
      v.pipe(
        v.number('a taxa deve ser um número de pontos-base'),
        v.safeInteger('a taxa deve ser um número inteiro de pontos-base'),
        v.minValue(0, 'a taxa não pode ser menor que zero'),
        v.maxValue(10_000, 'a taxa não pode passar de 100% (10000 pontos-base)'),
      ),
    ),
    monthlyInterestBps: v.optional(
      v.pipe(
        v.number('a taxa deve ser um número de pontos-base'),
        v.safeInteger('a taxa deve ser um número inteiro de pontos-base'),
        v.minValue(0, 'a taxa não pode ser menor que zero'),
        v.maxValue(10_000, 'a taxa não pode passar de 100% (10000 pontos-base)'),
      ),
    ),
    graceDays: v.optional(
      v.pipe(
        v.number('a carência deve ser um número de dias'),
        v.safeInteger('a carência deve ser um número inteiro de dias'),
        v.minValue(0, 'a carência não pode ser menor que zero'),
        v.maxValue(365, 'a carência pode ser de no máximo 365 dias'),
      ),
    ),
  }),
  v.check(
    (p) => Object.keys(p).length > 1,
    'nada para alterar: envie pelo menos um campo além de version',
  ),
);
export type DebtPatch = v.InferOutput<typeof DebtPatchSchema>;

/** Cancel, reject, withdraw: the reason is kept with the record and in the audit log. */
export const ReasonRequestSchema = entity({ reason: text('o motivo', 500) });

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
  note: v.optional(note('a observação', 500)),
});
export type PromiseRequest = v.InferOutput<typeof PromiseRequestSchema>;

/** `POST /api/agreements`: a negotiation proposal for one debtor, validated against the policy. */
export const AgreementProposalRequestSchema = v.pipe(
  entity({
    id: v.optional(IdSchema),
    debtorId: IdSchema,
    ...ProposalSchema.pipe[0].entries,
    debtIds: DebtIdsSchema,
    note: v.optional(note('a observação', 1000)),
  }),
  v.check(
    (p) => p.discountBps === undefined || p.discountAmount === undefined,
    'informe o desconto como taxa (discountBps) ou como valor (discountAmount), não os dois',
  ),
);
export type AgreementProposalRequest = v.InferOutput<typeof AgreementProposalRequestSchema>;

/** `POST /api/disputes`: opened today by the session's user. */
export const DisputeRequestSchema = entity({
  id: v.optional(IdSchema),
  debtorId: IdSchema,
  debtId: IdSchema,
  reason: DisputeReasonSchema,
  description: v.optional(note('a descrição', 2000)),
});

/** `POST /api/disputes/:id/resolve`. */
export const DisputeResolveSchema = entity({
  outcome: v.picklist(
    ['upheld', 'rejected'],
    'o resultado deve ser upheld (procedente) ou rejected (improcedente)',
  ),
  note: text('a observação', 2000),
});

/** `POST /api/notices`: the waiting period comes from the policy and the debtor's state. */
export const NoticeRequestSchema = entity({
  id: v.optional(IdSchema),
  debtorId: IdSchema,
  debtId: IdSchema,
  purpose: NoticePurposeSchema,
  method: NoticeMethodSchema,
  sentTo: text('o destino do envio', 300),
  sentOn: CalendarDateSchema,
  amountStated: promiseEntries.amount,
  templateId: v.optional(TemplateIdSchema),
});

/** `POST /api/escalations`: negativação or protesto of one debt, requested today. */
export const EscalationRequestSchema = entity({
  id: v.optional(IdSchema),
  debtorId: IdSchema,
  debtId: IdSchema,
  kind: v.picklist(['negativacao', 'protesto'], 'o tipo deve ser negativacao ou protesto'),
  agency: v.optional(text('o órgão', 120)),
  note: v.optional(note('a observação', 1000)),
});

export const EscalationListedSchema = entity({ listedOn: CalendarDateSchema });
export const EscalationRemovedSchema = entity({ removedOn: CalendarDateSchema });

/** `POST /api/contacts`: a contact made now by the session's user (or reported by the engine). */
export const ContactRequestSchema = entity({
  id: v.optional(IdSchema),
  debtorId: IdSchema,
  debtIds: v.optional(
    v.pipe(
      v.array(IdSchema, 'as dívidas devem ser uma lista'),
      v.maxLength(200, 'no máximo 200 dívidas'),
    ),
    () => [],
  ),
  channel: ContactChannelSchema,
  direction: v.optional(ContactDirectionSchema, 'outbound'),
  automated: v.optional(v.boolean('a marcação de automático deve ser true ou false'), false),
  stepId: v.optional(text('a etapa da régua', 64)),
  templateId: v.optional(TemplateIdSchema),
  privacySafe: v.optional(
    v.boolean('a marcação de mensagem sem exposição deve ser true ou false'),
    false,
  ),
  contactPointId: v.optional(IdSchema),
  body: v.optional(note('o texto da mensagem', 5000)),
  /** An owner sending anyway outside the window or over the budget; audited. */
  override: v.optional(entity({ reason: text('o motivo', 500) })),
});
export type ContactRequest = v.InferOutput<typeof ContactRequestSchema>;

/** `POST /api/assignments`: assign these debtors to one collector (moving them if needed). */
export const AssignmentRequestSchema = entity({
  collectorId: IdSchema,
  debtorIds: v.pipe(
    v.array(IdSchema, 'os devedores devem ser uma lista'),
    v.nonEmpty('informe pelo menos um devedor'),
    v.maxLength(5000, 'no máximo 5000 devedores de uma vez'),
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
  /** What active agreements still expect for the debts they cover (included in totalDue). */
  inAgreement: v.exactOptional(CentsSchema),
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
