/**
 * The whole story of one debtor as the office reads it (`GET /api/debtors/:id/story`): identity
 * with its address and contact points, each debt's itemised balance as of today, the timeline of
 * every fact (contacts on every channel, visits, payments, promises, agreements with their
 * installments, disputes, notices, escalations with the Súmula 548 removal deadline), each event
 * naming who recorded it, the cadence step due and why, the stage, the collector, and the other
 * live records with the same CPF/CNPJ. Built from DebtorFacts and shared/ rules only.
 */
import { debtorState, stepDue, type DebtorFacts } from '../ledger/debtor-state';
import {
  agreementJson,
  contactJson,
  debtJson,
  debtorJson,
  disputeJson,
  escalationJson,
  noticeJson,
  paymentJson,
  promiseJson,
} from '../ledger/rows';
import type { LedgerSettings } from '../ledger/settings';
import { stageOf } from './search.repo';
import type { StoryExtras } from './story.repo';

type Who = { id: string; name: string } | null;

export interface TimelineEvent {
  at: string;
  type:
    | 'visit'
    | 'contact'
    | 'payment'
    | 'promise'
    | 'agreement'
    | 'dispute'
    | 'notice'
    | 'escalation';
  by: Who;
  data: unknown;
}

export function storyJson(
  facts: DebtorFacts,
  extras: StoryExtras,
  settings: LedgerSettings,
  now: Date,
) {
  const state = debtorState(facts, settings, now);
  const who = (id: string | null | undefined): Who =>
    id ? { id, name: extras.users[id] ?? '' } : null;
  const events: TimelineEvent[] = [
    ...facts.visits.map((r) => ({
      at: r.visited_at.toISOString(),
      type: 'visit' as const,
      by: who(r.collector_id),
      data: { id: r.id, outcome: r.outcome, note: r.note },
    })),
    ...facts.contacts.map((r) => ({
      at: r.at.toISOString(),
      type: 'contact' as const,
      by: who(r.user_id),
      data: contactJson(r),
    })),
    ...facts.payments.map((r) => ({
      at: r.created_at.toISOString(),
      type: 'payment' as const,
      by: who(r.reported_by),
      data: paymentJson(r),
    })),
    ...facts.promises.map((r) => ({
      at: r.created_at.toISOString(),
      type: 'promise' as const,
      by: who(r.created_by),
      data: promiseJson(r, state.promiseStatuses.get(r.id) ?? 'active'),
    })),
    ...facts.agreements.map((r) => ({
      at: r.created_at.toISOString(),
      type: 'agreement' as const,
      by: who(r.proposed_by),
      data: agreementJson(r, facts.installments),
    })),
    ...facts.disputes.map((r) => ({
      at: r.created_at.toISOString(),
      type: 'dispute' as const,
      by: who(r.opened_by),
      data: disputeJson(r),
    })),
    ...facts.notices.map((r) => ({
      at: r.created_at.toISOString(),
      type: 'notice' as const,
      by: who(r.created_by),
      data: noticeJson(r),
    })),
    ...facts.escalations.map((r) => ({
      at: r.created_at.toISOString(),
      type: 'escalation' as const,
      by: who(r.decided_by),
      data: escalationJson(r, state.today),
    })),
  ];
  // Newest first; ties keep a stable order by type so the answer is deterministic.
  events.sort((a, b) => (a.at === b.at ? a.type.localeCompare(b.type) : a.at < b.at ? 1 : -1));
  const current = state.currentStep;
  return {
    debtor: debtorJson(facts.debtor, facts.contactPoints),
    mergedInto: extras.mergedInto,
    duplicates: extras.duplicates,
    status: state.status,
    stage: stageOf(state),
    daysOverdue: state.daysOverdue,
    totals: state.totals,
    debts: state.debts.map((d) => ({ ...debtJson(d.row), balance: d.balance })),
    assignment: facts.assignment
      ? {
          collectorId: facts.assignment.collector_id,
          collectorName: facts.assignment.collector_name,
          since: facts.assignment.started_at.toISOString(),
        }
      : null,
    cadence: {
      state: state.plan.state,
      reason: state.plan.reason,
      carrying: state.plan.carrying ?? null,
      currentStep: current
        ? {
            id: current.id,
            kind: current.kind,
            channel: current.channel,
            offsetDays: current.offsetDays,
          }
        : null,
      stepDue: stepDue(state),
      next: state.plan.actions[0]
        ? {
            stepId: state.plan.actions[0].stepId,
            channel: state.plan.actions[0].channel,
            kind: state.plan.actions[0].kind,
            dueOn: state.plan.actions[0].dueOn,
            blockedBy: state.plan.actions[0].blockedBy ?? [],
          }
        : null,
    },
    contactBudgetLeft: state.budgetLeft,
    timeline: events,
  };
}
