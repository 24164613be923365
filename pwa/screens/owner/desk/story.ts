/**
 * What the debtor page reads (`GET /api/debtors/:id/story`) and small helpers the page's parts
 * share: enum values in words (never the raw code), today's date in the organisation's zone, the
 * amount typed in a form.
 */
import { tryParseMoney } from '#shared/money/money';
import { t, type MessageKey } from '../../../i18n/messages';

export interface Point {
  id: string;
  kind: 'phone' | 'email';
  value: string;
  label: string | null;
  verified: boolean;
  verification: 'unverified' | 'verified' | 'wrong';
  doNotContact: boolean;
  isWhatsapp?: boolean;
  version: number;
}

export interface Breakdown {
  principal: number;
  fine: number;
  interest: number;
  fees: number;
  paid: number;
  discount: number;
  totalDue: number;
  daysOverdue: number;
}

export interface AddressView {
  line: string;
  street?: string;
  number?: string;
  complement?: string;
  district?: string;
  city?: string;
  state?: string;
  postalCode?: string;
}

export interface Debtor {
  id: string;
  kind: 'person' | 'company';
  name: string;
  document: string | null;
  externalId: string | null;
  address: AddressView | null;
  contactPoints: Point[];
  preferredChannel: string | null;
  preferredHours: { from: string; to: string } | null;
  doNotContact: { all: boolean; channels: string[]; atWork: boolean };
  version: number;
}

export interface TimelineEvent {
  at: string;
  type: string;
  by: { id: string; name: string } | null;
  data: Record<string, unknown>;
}

export interface Story {
  debtor: Debtor;
  mergedInto: { id: string; name: string } | null;
  duplicates: { id: string; name: string }[];
  status: string;
  stage: string;
  daysOverdue: number;
  totals: Omit<Breakdown, 'daysOverdue'> & { asOf: string };
  debts: {
    id: string;
    description: string;
    dueDate: string;
    status: string;
    balance: Breakdown;
  }[];
  assignment: { collectorId: string; collectorName: string; since: string } | null;
  cadence: {
    state: string;
    reason: string;
    currentStep: { id: string; kind: string; channel: string } | null;
    stepDue: { stepId: string; channel: string; kind: string; dueOn: string } | null;
    next: {
      stepId: string;
      channel: string;
      kind: string;
      dueOn: string;
      blockedBy: { code: string; allowedOn?: string }[];
    } | null;
  };
  contactBudgetLeft: { today: number; last7Days: number };
  timeline: TimelineEvent[];
}

/** A value of an enum the server answers, in words (`desk.<group>.<value>`). */
export function word(group: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return t(`desk.${group}.${value}` as MessageKey) ?? value;
}

/** 'YYYY-MM-DD' today in São Paulo (the organisation's zone by default). */
export function todayIso(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(new Date());
}

/** Centavos from what a person typed ("150", "1.234,56"); null when it is not an amount. */
export function centsOf(text: string): number | null {
  const parsed = tryParseMoney(text.trim());
  return parsed.ok && parsed.value > 0 ? parsed.value : null;
}
