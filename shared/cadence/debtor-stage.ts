/**
 * Where a debtor stands on the régua, as the office filters and reads it: one word for "what kind
 * of work is this debtor in now". Derived, never stored.
 * - settled: nothing left to pay;
 * - paused: a promise, an agreement or a dispute holds the régua;
 * - do_not_contact: the debtor asked for no contact at all;
 * - preventive: nothing overdue yet (reminders before the due date);
 * - reminder / negotiation / notice / escalation: the kind of the last step reached by the oldest
 *   open debt (a debt overdue before the first overdue step counts as reminder).
 */
import type { PlanReason, PlanState } from './plan-next-actions';

export const DebtorStages = [
  'preventive',
  'reminder',
  'negotiation',
  'notice',
  'escalation',
  'paused',
  'do_not_contact',
  'settled',
] as const;
export type DebtorStage = (typeof DebtorStages)[number];

export interface StageInput {
  plan: { state: PlanState; reason: PlanReason };
  /** Days the oldest open debt is overdue (0 when none is). */
  daysOverdue: number;
  /** The kind of the step reached by the carrying debt, if any. */
  currentStepKind: 'reminder' | 'negotiation' | 'notice' | 'escalation' | undefined;
}

export function debtorStage(input: StageInput): DebtorStage {
  const { plan } = input;
  if (plan.reason === 'all_paid') return 'settled';
  if (plan.state === 'paused') return 'paused';
  if (plan.reason === 'do_not_contact') return 'do_not_contact';
  if (input.daysOverdue <= 0) return 'preventive';
  return input.currentStepKind ?? 'reminder';
}
