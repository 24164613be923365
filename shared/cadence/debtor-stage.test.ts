import { expect, test } from 'vitest';
import { debtorStage, type StageInput } from './debtor-stage';

const active = { state: 'active', reason: 'step_due' } as const;

test.each<[string, StageInput, string]>([
  [
    'all paid',
    { plan: { state: 'stopped', reason: 'all_paid' }, daysOverdue: 0, currentStepKind: undefined },
    'settled',
  ],
  [
    'promise holds it',
    {
      plan: { state: 'paused', reason: 'promise_active' },
      daysOverdue: 40,
      currentStepKind: 'negotiation',
    },
    'paused',
  ],
  [
    'dispute holds it',
    {
      plan: { state: 'paused', reason: 'dispute_open' },
      daysOverdue: 3,
      currentStepKind: 'reminder',
    },
    'paused',
  ],
  [
    'no contact at all',
    {
      plan: { state: 'stopped', reason: 'do_not_contact' },
      daysOverdue: 9,
      currentStepKind: 'reminder',
    },
    'do_not_contact',
  ],
  [
    'not due yet',
    { plan: { state: 'active', reason: 'waiting' }, daysOverdue: 0, currentStepKind: 'reminder' },
    'preventive',
  ],
  [
    'overdue before any overdue step',
    { plan: active, daysOverdue: 1, currentStepKind: undefined },
    'reminder',
  ],
  [
    'negotiation step reached',
    { plan: active, daysOverdue: 20, currentStepKind: 'negotiation' },
    'negotiation',
  ],
  ['notice step', { plan: active, daysOverdue: 45, currentStepKind: 'notice' }, 'notice'],
  [
    'escalation, régua complete',
    {
      plan: { state: 'stopped', reason: 'cadence_complete' },
      daysOverdue: 90,
      currentStepKind: 'escalation',
    },
    'escalation',
  ],
])('%s → %s', (_name, input, expected) => {
  expect(debtorStage(input)).toBe(expected);
});
