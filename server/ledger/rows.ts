/**
 * Row shapes of the ledger tables as the Db adapters return them (BIGINT → number, DATE →
 * 'YYYY-MM-DD', TIMESTAMPTZ → Date, JSONB → value) and their JSON form in API answers. Answers use
 * the names of the shared/domain schemas (amount, dueDate…), never the column names.
 */
import type { DebtorStatus } from '#shared/api/ledger.schema';
import { addressView } from '#shared/domain/address-view';
import type { VerificationState } from '#shared/identity/contact-verification';
import {
  agreementRuleText,
  DEFAULT_AGREEMENT_RULES,
  lastDayToPay,
  type AgreementRules,
} from '#shared/negotiation/agreement-rules';
import type { CalendarDate } from '#shared/time/calendar-date';

export interface DebtorRow {
  id: string;
  external_id: string | null;
  kind: 'person' | 'company';
  name: string;
  document: string | null;
  address: unknown;
  /** The flat address columns imports write (address_line is the free-text street part). */
  address_line?: string | null;
  district?: string | null;
  city?: string | null;
  postal_code?: string | null;
  state: string | null;
  preferred_channel: string | null;
  preferred_hours: { from: string; to: string } | null;
  do_not_contact: boolean;
  blocked_channels: string[];
  do_not_contact_at_work: boolean;
  tags: string[];
  notes: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface ContactPointRow {
  id: string;
  debtor_id: string;
  kind: 'phone' | 'email';
  value: string;
  label: string | null;
  is_whatsapp: boolean;
  verified: boolean;
  /** 0110: unverified / verified / wrong (`verified` is kept equal to state = verified). */
  verification?: VerificationState;
  verification_source?: string | null;
  verification_at?: Date | null;
  do_not_contact: boolean;
  version: number;
}

export interface DebtRow {
  id: string;
  debtor_id: string;
  external_id: string | null;
  description: string;
  principal_cents: number;
  issued_on: string | null;
  due_on: string;
  debt_kind: 'consumer' | 'business';
  fine_bps: number;
  interest_monthly_bps: number;
  status: 'open' | 'settled' | 'cancelled';
  settled_on: string | null;
  fees: unknown;
  punctuality_discount_bps: number | null;
  grace_days: number;
  cancel_reason: string | null;
  version: number;
  created_at: Date;
}

export interface PaymentRow {
  id: string;
  debtor_id: string;
  debt_id: string | null;
  installment_id: string | null;
  agreement_id: string | null;
  amount_cents: number;
  paid_on: string;
  method: string;
  status: 'pending' | 'confirmed' | 'rejected' | 'reversed' | 'merged';
  reference: string | null;
  pix_txid: string | null;
  note: string | null;
  receipt_number: string | null;
  reported_by: string | null;
  reported_at: Date | null;
  reconciled_by: string | null;
  reconciled_at: Date | null;
  rejection_reason: string | null;
  visit_id: string | null;
  bank_credit_id: string | null;
  merged_into: string | null;
  refund_due_cents: number;
  refunded_at: Date | null;
  version: number;
  created_at: Date;
}

export interface PromiseRow {
  id: string;
  debtor_id: string;
  debt_ids: string[];
  amount_cents: number;
  promised_on: string;
  made_on: string | null;
  channel: string | null;
  status: 'open' | 'kept' | 'broken' | 'cancelled';
  created_by: string | null;
  note: string | null;
  visit_id: string | null;
  resolved_at: Date | null;
  version: number;
  created_at: Date;
}

export interface AgreementRow {
  id: string;
  debtor_id: string;
  status: 'pending_approval' | 'active' | 'completed' | 'broken' | 'cancelled' | 'rejected';
  total_cents: number;
  down_payment_cents: number;
  discount_cents: number;
  waived_fine_cents: number;
  waived_interest_cents: number;
  installment_count: number;
  agreed_on: string;
  terms: unknown;
  proposed_by: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  note: string | null;
  rejection_reason: string | null;
  /** The break rule copied from the policy when it was made (migration 0170). */
  break_after_days: number;
  concessions_on_break: 'lost' | 'kept';
  completed_on: string | null;
  broken_on: string | null;
  version: number;
  created_at: Date;
}

export interface InstallmentRow {
  id: string;
  agreement_id: string;
  seq: number;
  due_on: string;
  amount_cents: number;
  /** Money allocated to it in order (shared/ledger allocateInstallments), kept by the server. */
  paid_cents: number;
  paid_on: string | null;
  pix_txid: string;
}

/** Which debts an agreement covers (table agreement_debts). */
export interface AgreementDebtRow {
  agreement_id: string;
  debt_id: string;
  debtor_id: string;
}

export interface DisputeRow {
  id: string;
  debtor_id: string;
  debt_id: string | null;
  reason: string;
  description: string | null;
  status: 'open' | 'upheld' | 'rejected' | 'withdrawn';
  opened_by: string | null;
  opened_on: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  resolution: string | null;
  version: number;
  created_at: Date;
}

export interface NoticeRow {
  id: string;
  debtor_id: string;
  debt_id: string;
  purpose: 'negativacao' | 'protesto';
  channel: string;
  method: string | null;
  sent_on: string;
  recipient: string;
  waiting_days: number | null;
  amount_stated_cents: number | null;
  template_id: string | null;
  created_by: string | null;
  version: number;
  created_at: Date;
}

export interface EscalationRow {
  id: string;
  debtor_id: string;
  debt_id: string;
  kind: 'negativacao' | 'protesto';
  status: 'proposed' | 'approved' | 'listed' | 'removal_due' | 'removed' | 'cancelled';
  notice_id: string | null;
  decided_by: string | null;
  agency: string | null;
  note: string | null;
  requested_on: string | null;
  listed_on: string | null;
  paid_on: string | null;
  removal_due_on: string | null;
  removed_on: string | null;
  version: number;
  created_at: Date;
}

export interface ContactRow {
  id: string;
  debtor_id: string;
  debt_id: string | null;
  contact_point_id: string | null;
  channel: string;
  direction: 'outbound' | 'inbound';
  automated: boolean;
  status: string;
  template_id: string | null;
  cadence_step: string | null;
  privacy_safe: boolean;
  body: string | null;
  at: Date;
  user_id: string | null;
  override_by: string | null;
  override_reason: string | null;
  version: number;
}

export interface VisitRow {
  id: string;
  debtor_id: string;
  collector_id: string;
  visited_at: Date;
  outcome: string;
  note: string | null;
}

export interface AssignmentRow {
  id: string;
  debtor_id: string;
  collector_id: string;
  collector_name: string;
  started_at: Date;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function contactPointJson(r: ContactPointRow) {
  return {
    id: r.id,
    kind: r.kind,
    value: r.value,
    label: r.label,
    verified: r.verified,
    verification: r.verification ?? (r.verified ? 'verified' : 'unverified'),
    doNotContact: r.do_not_contact,
    version: r.version,
    ...(r.kind === 'phone' ? { isWhatsapp: r.is_whatsapp } : {}),
  };
}

/** The debtor's address, structured or imported (shared/domain/address-view). */
export function debtorAddress(r: DebtorRow) {
  return addressView({
    structured: r.address ?? null,
    line: r.address_line ?? null,
    district: r.district ?? null,
    city: r.city ?? null,
    state: r.state,
    postalCode: r.postal_code ?? null,
  });
}

export function debtorJson(r: DebtorRow, points: readonly ContactPointRow[]) {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    document: r.document,
    externalId: r.external_id,
    address: debtorAddress(r),
    contactPoints: points.map(contactPointJson),
    preferredChannel: r.preferred_channel,
    preferredHours: r.preferred_hours,
    doNotContact: {
      all: r.do_not_contact,
      channels: r.blocked_channels,
      atWork: r.do_not_contact_at_work,
    },
    tags: r.tags,
    notes: r.notes,
    version: r.version,
    createdAt: r.created_at.toISOString(),
  };
}

/** A debtor in a search result: identity plus the derived status and totals. */
export function debtorSummaryJson(
  r: DebtorRow,
  derived: { status: DebtorStatus; totalDue: number; daysOverdue: number },
  collector: { id: string; name: string } | null,
) {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    document: r.document,
    externalId: r.external_id,
    status: derived.status,
    totalDue: derived.totalDue,
    daysOverdue: derived.daysOverdue,
    collector,
  };
}

export function debtJson(r: DebtRow) {
  return {
    id: r.id,
    debtorId: r.debtor_id,
    externalId: r.external_id,
    description: r.description,
    principal: r.principal_cents,
    issueDate: r.issued_on ?? r.due_on,
    dueDate: r.due_on,
    kind: r.debt_kind,
    fineBps: r.fine_bps,
    monthlyInterestBps: r.interest_monthly_bps,
    fees: r.fees,
    graceDays: r.grace_days,
    punctualityDiscountBps: r.punctuality_discount_bps,
    status: r.status,
    settledOn: r.settled_on,
    cancelReason: r.cancel_reason,
    version: r.version,
    createdAt: r.created_at.toISOString(),
  };
}

export function paymentJson(r: PaymentRow) {
  return {
    id: r.id,
    debtorId: r.debtor_id,
    debtId: r.debt_id,
    agreementId: r.agreement_id,
    amount: r.amount_cents,
    date: r.paid_on,
    method: r.method,
    status: r.status,
    reference: r.reference,
    pixTxid: r.pix_txid,
    receiptNumber: r.receipt_number,
    note: r.note,
    reportedBy: r.reported_by,
    reportedAt: iso(r.reported_at),
    reviewedBy: r.reconciled_by,
    reviewedAt: iso(r.reconciled_at),
    rejectionReason: r.rejection_reason,
    bankCreditId: r.bank_credit_id ?? null,
    mergedInto: r.merged_into ?? null,
    refundDue: r.refund_due_cents ?? 0,
    refundedAt: iso(r.refunded_at ?? null),
    version: r.version,
    receivedAt: r.created_at.toISOString(),
  };
}

/** Stored 'open' is the domain's 'active'; `derived` is the promiseStatus verdict as of today. */
export function promiseJson(r: PromiseRow, derived: 'active' | 'kept' | 'broken' | 'cancelled') {
  return {
    id: r.id,
    debtorId: r.debtor_id,
    debtIds: r.debt_ids,
    amount: r.amount_cents,
    dueDate: r.promised_on,
    madeOn: r.made_on,
    channel: r.channel,
    status: derived,
    recordedBy: r.created_by,
    note: r.note,
    version: r.version,
    receivedAt: r.created_at.toISOString(),
  };
}

export function agreementJson(
  r: AgreementRow,
  installments: readonly InstallmentRow[],
  debtIds?: readonly string[],
) {
  const rules = agreementRulesOfRow(r);
  const own = installments.filter((i) => i.agreement_id === r.id).sort((a, b) => a.seq - b.seq);
  const concessions = r.discount_cents + r.waived_fine_cents + r.waived_interest_cents;
  const paid = own.reduce((sum, i) => sum + (i.paid_cents ?? 0), 0);
  return {
    id: r.id,
    debtorId: r.debtor_id,
    status: r.status,
    total: r.total_cents,
    downPayment: r.down_payment_cents,
    concessions: {
      discount: r.discount_cents,
      fineWaived: r.waived_fine_cents,
      interestWaived: r.waived_interest_cents,
    },
    agreedOn: r.agreed_on,
    terms: r.terms,
    ...(debtIds === undefined ? {} : { debtIds }),
    // What each installment has received (in order), so every face shows the same allocation.
    installments: own.map((i) => ({
      number: i.seq,
      dueDate: i.due_on,
      amount: i.amount_cents,
      paid: i.paid_cents ?? 0,
      paidOn: i.paid_on ?? null,
      lastDayToPay: lastDayToPay(i.due_on as CalendarDate, rules),
      txid: i.pix_txid ?? null,
    })),
    paid,
    remaining: r.total_cents - paid,
    completedOn: r.completed_on ?? null,
    brokenOn: r.broken_on ?? null,
    // The break rule the debtor accepted, and in words (shared/negotiation/agreement-rules.ts).
    rules,
    ruleText: agreementRuleText(rules, concessions > 0),
    proposedBy: r.proposed_by,
    decidedBy: r.decided_by,
    decidedAt: iso(r.decided_at),
    note: r.note,
    rejectionReason: r.rejection_reason,
    version: r.version,
    createdAt: r.created_at.toISOString(),
  };
}

/** The break rule stored on an agreement row (defaults for rows read before 0170). */
export function agreementRulesOfRow(
  r: Pick<AgreementRow, 'break_after_days' | 'concessions_on_break'>,
): AgreementRules {
  return {
    breakAfterDays: r.break_after_days ?? DEFAULT_AGREEMENT_RULES.breakAfterDays,
    concessionsOnBreak: r.concessions_on_break ?? DEFAULT_AGREEMENT_RULES.concessionsOnBreak,
  };
}

/** DB statuses upheld/rejected are the domain's 'resolved' with that outcome. */
export function disputeJson(r: DisputeRow) {
  const resolved = r.status === 'upheld' || r.status === 'rejected';
  return {
    id: r.id,
    debtorId: r.debtor_id,
    debtId: r.debt_id,
    reason: r.reason,
    description: r.description,
    openedOn: r.opened_on,
    openedBy: r.opened_by,
    status: resolved ? 'resolved' : r.status,
    resolution: resolved
      ? {
          outcome: r.status,
          note: r.resolution,
          resolvedBy: r.resolved_by,
          resolvedAt: iso(r.resolved_at),
        }
      : null,
    version: r.version,
  };
}

export function noticeJson(r: NoticeRow) {
  return {
    id: r.id,
    debtorId: r.debtor_id,
    debtId: r.debt_id,
    purpose: r.purpose,
    method: r.method ?? r.channel,
    sentTo: r.recipient,
    sentOn: r.sent_on,
    waitingDays: r.waiting_days,
    amountStated: r.amount_stated_cents,
    templateId: r.template_id,
    sentBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}

const ESCALATION_STATUS = {
  proposed: 'requested',
  approved: 'requested',
  listed: 'listed',
  removal_due: 'removal_pending',
  removed: 'removed',
  cancelled: 'cancelled',
} as const;

export function escalationJson(r: EscalationRow, today: string) {
  return {
    id: r.id,
    debtorId: r.debtor_id,
    debtId: r.debt_id,
    kind: r.kind,
    status: ESCALATION_STATUS[r.status],
    agency: r.agency,
    noticeId: r.notice_id,
    requestedOn: r.requested_on,
    requestedBy: r.decided_by,
    note: r.note,
    listedOn: r.listed_on,
    paidOn: r.paid_on,
    removalDueBy: r.removal_due_on,
    /** Súmula 548: the 5 business days after payment have run out and the listing is still there. */
    removalOverdue:
      r.status === 'removal_due' && r.removal_due_on !== null && today > r.removal_due_on,
    removedOn: r.removed_on,
    version: r.version,
  };
}

export function contactJson(r: ContactRow) {
  return {
    id: r.id,
    debtorId: r.debtor_id,
    debtId: r.debt_id,
    contactPointId: r.contact_point_id,
    channel: r.channel,
    direction: r.direction,
    automated: r.automated,
    status: r.status,
    templateId: r.template_id,
    stepId: r.cadence_step,
    privacySafe: r.privacy_safe,
    at: r.at.toISOString(),
    by: r.user_id,
    override: r.override_by ? { by: r.override_by, reason: r.override_reason } : null,
  };
}
