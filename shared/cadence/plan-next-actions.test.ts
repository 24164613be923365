import { describe, expect, test } from 'vitest';
import { calendarDate } from '../time/calendar-date';
import { cents } from '../money/money';
import { DEFAULT_CADENCE_POLICY, type CadencePolicy, type ContactLogEntry } from './cadence.schema';
import { carryingDebt, planNextActions, type CadenceInput } from './plan-next-actions';

/** Epoch ms of a São Paulo wall-clock time (UTC−03:00, no DST since 2019). */
function sp(date: string, time = '10:00'): number {
  return Date.parse(`${date}T${time}:00-03:00`);
}

function done(
  stepId: string,
  date: string,
  time = '10:00',
  extra: Partial<ContactLogEntry> = {},
): ContactLogEntry {
  return {
    at: sp(date, time),
    channel: 'whatsapp',
    direction: 'outbound',
    automated: true,
    stepId,
    ...extra,
  };
}

// The carrying debt is due Mon 2025-03-10.
const DUE = '2025-03-10';

function input(over: Partial<CadenceInput> & { now: number }): CadenceInput {
  return {
    debtor: { id: 'c1', state: 'MG', doNotContact: {} },
    debts: [{ id: 'a', dueDate: calendarDate(DUE), status: 'open' }],
    history: [],
    promises: [],
    agreements: [],
    disputes: [],
    notices: [],
    policy: DEFAULT_CADENCE_POLICY,
    ...over,
  };
}

const summary = (plan: ReturnType<typeof planNextActions>) =>
  plan.actions.map((a) => ({ stepId: a.stepId, dueOn: a.dueOn, earliestAt: a.earliestAt }));

describe('planNextActions: which step', () => {
  test.each([
    {
      name: 'before the preventive step: only the projection',
      now: sp('2025-03-06'),
      history: [],
      reason: 'waiting',
      actions: [{ stepId: 'd-3', dueOn: '2025-03-07', earliestAt: sp('2025-03-07', '08:00') }],
    },
    {
      name: 'D-3 due now, D0 projected',
      now: sp('2025-03-07'),
      history: [],
      reason: 'step_due',
      actions: [
        { stepId: 'd-3', dueOn: '2025-03-07', earliestAt: sp('2025-03-07') },
        { stepId: 'd0', dueOn: '2025-03-10', earliestAt: sp('2025-03-10', '08:00') },
      ],
    },
    {
      name: 'a done step is not repeated',
      now: sp('2025-03-08'),
      history: [done('d-3', '2025-03-07')],
      reason: 'waiting',
      actions: [{ stepId: 'd0', dueOn: '2025-03-10', earliestAt: sp('2025-03-10', '08:00') }],
    },
    {
      name: 'a missed D+1 is not replayed once D+5 is due',
      now: sp('2025-03-17'),
      history: [],
      reason: 'step_due',
      actions: [
        { stepId: 'd+5', dueOn: '2025-03-15', earliestAt: sp('2025-03-17') },
        { stepId: 'd+10', dueOn: '2025-03-20', earliestAt: sp('2025-03-20', '08:00') },
      ],
    },
    {
      name: 'the budget pushes D+1 (D-3 and D0 already used 2 of 7 days)',
      now: sp('2025-03-11'),
      history: [done('d-3', '2025-03-07'), done('d0', '2025-03-10')],
      reason: 'step_due',
      actions: [
        { stepId: 'd+1', dueOn: '2025-03-11', earliestAt: sp('2025-03-14', '08:00') },
        { stepId: 'd+5', dueOn: '2025-03-15', earliestAt: sp('2025-03-15', '08:00') },
      ],
    },
    {
      name: 'a step done for an earlier debt does not count in this cycle',
      now: sp('2025-03-17'),
      history: [done('d+5', '2025-01-20')],
      reason: 'step_due',
      actions: [
        { stepId: 'd+5', dueOn: '2025-03-15', earliestAt: sp('2025-03-17') },
        { stepId: 'd+10', dueOn: '2025-03-20', earliestAt: sp('2025-03-20', '08:00') },
      ],
    },
  ])('$name', ({ now, history, reason, actions }) => {
    const plan = planNextActions(input({ now, history }));
    expect(plan.state).toBe('active');
    expect(plan.reason).toBe(reason);
    expect(summary(plan)).toEqual(actions);
  });

  test('a contact naming another debt does not mark this debt’s step done', () => {
    const plan = planNextActions(
      input({
        now: sp('2025-03-17'),
        history: [done('d+5', '2025-03-15', '10:00', { debtId: 'z' })],
      }),
    );
    expect(plan.actions[0]?.stepId).toBe('d+5');
  });

  test('inbound contacts never mark a step done', () => {
    const plan = planNextActions(
      input({
        now: sp('2025-03-17'),
        history: [done('d+5', '2025-03-15', '10:00', { direction: 'inbound' })],
      }),
    );
    expect(plan.reason).toBe('step_due');
  });

  test('reports the carrying debt and its days overdue', () => {
    expect(planNextActions(input({ now: sp('2025-03-17') })).carrying).toEqual({
      debtId: 'a',
      dueDate: DUE,
      daysOverdue: 7,
    });
  });

  test('earliestAt skips Saturday afternoon, Sunday and both Carnaval days', () => {
    const plan = planNextActions(
      input({
        now: sp('2025-03-01', '15:00'),
        debts: [{ id: 'a', dueDate: calendarDate('2025-02-28'), status: 'open' }],
      }),
    );
    expect(plan.actions[0]).toMatchObject({ stepId: 'd+1', earliestAt: sp('2025-03-05', '08:00') });
  });

  test('when every step is done the régua is complete', () => {
    const history = DEFAULT_CADENCE_POLICY.steps.map((s, i) =>
      done(s.id, '2025-03-07', '10:00', { at: sp('2025-03-07') + i }),
    );
    expect(planNextActions(input({ now: sp('2025-05-20'), history }))).toMatchObject({
      state: 'stopped',
      reason: 'cadence_complete',
      actions: [],
    });
  });
});

describe('planNextActions: pause, resume, stop', () => {
  const now = sp('2025-03-17');
  test.each([
    {
      name: 'active promise',
      over: {
        promises: [
          { dueDate: calendarDate('2025-03-20'), amount: cents(1000), status: 'active' as const },
        ],
      },
      state: 'paused',
      reason: 'promise_active',
    },
    {
      name: 'promise due today is still active',
      over: {
        promises: [
          { dueDate: calendarDate('2025-03-17'), amount: cents(1000), status: 'active' as const },
        ],
      },
      state: 'paused',
      reason: 'promise_active',
    },
    {
      name: 'promise past its date counts as broken',
      over: {
        promises: [
          { dueDate: calendarDate('2025-03-16'), amount: cents(1000), status: 'active' as const },
        ],
      },
      state: 'active',
      reason: 'step_due',
    },
    {
      name: 'broken promise resumes',
      over: {
        promises: [
          { dueDate: calendarDate('2025-03-20'), amount: cents(1000), status: 'broken' as const },
        ],
      },
      state: 'active',
      reason: 'step_due',
    },
    {
      name: 'active agreement',
      over: { agreements: [{ status: 'active' as const }] },
      state: 'paused',
      reason: 'agreement_active',
    },
    {
      name: 'completed agreement',
      over: { agreements: [{ status: 'completed' as const }] },
      state: 'active',
      reason: 'step_due',
    },
    {
      name: 'open dispute wins over a promise',
      over: {
        disputes: [{ status: 'open' as const }],
        promises: [
          { dueDate: calendarDate('2025-03-20'), amount: cents(1), status: 'active' as const },
        ],
      },
      state: 'paused',
      reason: 'dispute_open',
    },
    {
      name: 'resolved dispute',
      over: { disputes: [{ status: 'resolved' as const }] },
      state: 'active',
      reason: 'step_due',
    },
    {
      name: 'everything paid',
      over: { debts: [{ id: 'a', dueDate: calendarDate(DUE), status: 'paid' as const }] },
      state: 'stopped',
      reason: 'all_paid',
    },
    {
      name: 'zero balance',
      over: {
        debts: [
          { id: 'a', dueDate: calendarDate(DUE), status: 'open' as const, balance: cents(0) },
        ],
      },
      state: 'stopped',
      reason: 'all_paid',
    },
    {
      name: 'do not contact',
      over: { debtor: { id: 'c1', state: 'MG' as const, doNotContact: { all: true } } },
      state: 'stopped',
      reason: 'do_not_contact',
    },
  ])('$name → $state / $reason', ({ over, state, reason }) => {
    const plan = planNextActions(input({ now, ...over }));
    expect(plan.state).toBe(state);
    expect(plan.reason).toBe(reason);
    if (state !== 'active') expect(plan.actions).toEqual([]);
  });

  test('after a broken promise the steps continue from today’s days overdue', () => {
    const plan = planNextActions(
      input({
        now: sp('2025-04-10'),
        history: [done('d+5', '2025-03-15')],
        promises: [{ dueDate: calendarDate('2025-04-05'), amount: cents(1000), status: 'broken' }],
      }),
    );
    expect(plan.actions.map((a) => a.stepId)).toEqual(['d+30', 'd+45']);
  });

  test('the oldest open debt carries the régua', () => {
    const debts = [
      { id: 'b', dueDate: calendarDate('2025-03-01'), status: 'paid' as const },
      { id: 'c', dueDate: calendarDate('2025-03-15'), status: 'open' as const },
      { id: 'a', dueDate: calendarDate(DUE), status: 'open' as const },
    ];
    expect(carryingDebt(debts)?.id).toBe('a');
    expect(planNextActions(input({ now: sp('2025-03-17'), debts })).carrying?.debtId).toBe('a');
  });
});

describe('planNextActions: channels', () => {
  test.each([
    {
      name: 'reminder moves to the preferred channel',
      now: sp('2025-03-11'),
      preferred: 'email',
      blocked: [],
      channel: 'email',
      templateId: 'd+1.email',
      blockedBy: undefined,
    },
    {
      name: 'a negotiation visit keeps its channel',
      now: sp('2025-03-25'),
      preferred: 'email',
      blocked: [],
      channel: 'visit',
      templateId: 'd+15.visit',
      blockedBy: undefined,
    },
    {
      name: 'a blocked preferred channel is not used',
      now: sp('2025-03-11'),
      preferred: 'email',
      blocked: ['email'],
      channel: 'whatsapp',
      templateId: 'd+1.whatsapp',
      blockedBy: undefined,
    },
    {
      name: 'a blocked step channel blocks the action',
      now: sp('2025-03-11'),
      preferred: undefined,
      blocked: ['whatsapp'],
      channel: 'whatsapp',
      templateId: 'd+1.whatsapp',
      blockedBy: [{ code: 'channel_blocked' }],
    },
  ] as const)('$name', ({ now, preferred, blocked, channel, templateId, blockedBy }) => {
    const debtor = {
      id: 'c1',
      state: 'MG' as const,
      doNotContact: { channels: [...blocked] },
      ...(preferred ? { preferredChannel: preferred } : {}),
    };
    const action = planNextActions(input({ now, debtor })).actions[0];
    expect(action).toMatchObject({ channel, templateId });
    expect(action?.blockedBy).toEqual(blockedBy);
  });
});

describe('planNextActions: escalation prerequisites', () => {
  // D+60 of a debt due 2025-03-10 is Fri 2025-05-09; the notice went out at D+45 (2025-04-24).
  const now = sp('2025-05-09');
  const history = DEFAULT_CADENCE_POLICY.steps
    .filter((s) => s.offsetDays < 60)
    .map((s) => done(s.id, '2025-03-07'));

  test('without a written notice the escalation is blocked', () => {
    const action = planNextActions(input({ now, history })).actions[0];
    expect(action).toMatchObject({
      stepId: 'd+60',
      kind: 'escalation',
      mode: 'manual',
      blockedBy: [{ code: 'notice_missing' }],
    });
  });

  test.each([
    { state: 'MG', days: 10, allowedOn: undefined },
    { state: 'PI', days: 15, allowedOn: undefined },
    { state: 'SP', days: 20, allowedOn: '2025-05-14' },
    { state: 'PE', days: 20, allowedOn: '2025-05-14' },
    { state: 'MT', days: 45, allowedOn: '2025-06-08' },
  ] as const)('a debtor in $state needs $days days of notice', ({ state, allowedOn }) => {
    const plan = planNextActions(
      input({
        now,
        history,
        debtor: { id: 'c1', state, doNotContact: {} },
        notices: [{ sentOn: calendarDate('2025-04-24') }],
      }),
    );
    const action = plan.actions[0];
    if (allowedOn === undefined) {
      expect(action?.blockedBy).toBeUndefined();
      expect(action?.earliestAt).toBe(now);
    } else {
      expect(action?.blockedBy).toEqual([{ code: 'notice_too_recent', allowedOn }]);
      expect(action?.earliestAt).toBeGreaterThanOrEqual(sp(allowedOn, '00:00'));
    }
  });

  test('SP: allowed exactly 20 days after the notice, at the window opening', () => {
    const plan = planNextActions(
      input({
        now: sp('2025-05-14', '07:00'),
        history,
        debtor: { id: 'c1', state: 'SP', doNotContact: {} },
        notices: [{ sentOn: calendarDate('2025-04-24') }],
      }),
    );
    expect(plan.actions[0]).toMatchObject({
      stepId: 'd+60',
      earliestAt: sp('2025-05-14', '08:00'),
    });
    expect(plan.actions[0]?.blockedBy).toBeUndefined();
  });

  const early: CadencePolicy = {
    ...DEFAULT_CADENCE_POLICY,
    steps: [
      {
        id: 'd+1',
        offsetDays: 1,
        channel: 'sms',
        mode: 'automatic',
        templateId: 'd+1.sms',
        kind: 'reminder',
        allowsDiscount: false,
      },
      {
        id: 'neg',
        offsetDays: 4,
        channel: 'email',
        mode: 'manual',
        templateId: 'd+60.email',
        kind: 'escalation',
        allowsDiscount: false,
        requires: ['written_notice', 'min_days_overdue'],
      },
    ],
  };
  test.each([
    { now: sp('2025-03-14'), blockedBy: [{ code: 'not_overdue_enough', allowedOn: '2025-03-16' }] },
    { now: sp('2025-03-15'), blockedBy: [{ code: 'not_overdue_enough', allowedOn: '2025-03-16' }] },
    { now: sp('2025-03-17'), blockedBy: undefined },
  ])('more than 5 days overdue is required (now $now)', ({ now, blockedBy }) => {
    const plan = planNextActions(
      input({ now, policy: early, notices: [{ sentOn: calendarDate('2025-02-01'), debtId: 'a' }] }),
    );
    expect(plan.actions[0]?.stepId).toBe('neg');
    expect(plan.actions[0]?.blockedBy).toEqual(blockedBy);
  });

  test('a notice for another debt does not count', () => {
    const plan = planNextActions(
      input({
        now: sp('2025-03-17'),
        policy: early,
        notices: [{ sentOn: calendarDate('2025-02-01'), debtId: 'z' }],
      }),
    );
    expect(plan.actions[0]?.blockedBy).toEqual([{ code: 'notice_missing' }]);
  });
});

describe('planNextActions: installment steps of an active agreement (rule 10)', () => {
  const AG = '0192d6a0-7c3e-7b2a-9f10-3c4d5e6f7a8c';
  // Installment 2 of R$ 250,00 due Thu 2025-04-10: reminder D-2 (Tue 08/04), nudge D+1 (Fri 11/04).
  const next = {
    agreementId: AG,
    number: 2,
    dueDate: calendarDate('2025-04-10'),
    amount: cents(25_000),
  };
  const agreements = [{ status: 'active' as const, nextInstallment: next }];

  test.each([
    {
      name: 'before the reminder: paused, the reminder projected',
      now: sp('2025-04-07'),
      history: [],
      state: 'paused',
      reason: 'agreement_active',
      steps: ['parcela-2'],
    },
    {
      name: 'the reminder is due two days before',
      now: sp('2025-04-08'),
      history: [],
      state: 'active',
      reason: 'step_due',
      steps: ['parcela-2', 'parcela+1'],
    },
    {
      name: 'a sent reminder is not repeated',
      now: sp('2025-04-09'),
      history: [done('parcela-2', '2025-04-08')],
      state: 'paused',
      reason: 'agreement_active',
      steps: ['parcela+1'],
    },
    {
      name: 'the nudge the day after',
      now: sp('2025-04-11'),
      history: [done('parcela-2', '2025-04-08')],
      state: 'active',
      reason: 'step_due',
      steps: ['parcela+1'],
    },
    {
      name: 'the previous installment’s reminder does not count for this one',
      now: sp('2025-04-08'),
      history: [done('parcela-2', '2025-03-08')],
      state: 'active',
      reason: 'step_due',
      steps: ['parcela-2', 'parcela+1'],
    },
  ])('$name', ({ now, history, state, reason, steps }) => {
    const plan = planNextActions(input({ now, history, agreements }));
    expect(plan.state).toBe(state);
    expect(plan.reason).toBe(reason);
    expect(plan.actions.map((a) => a.stepId)).toEqual(steps);
    for (const a of plan.actions) expect(a.installment).toEqual(next);
    // Each installment is a cycle of its own: the cadence task key changes with its due date.
    expect(plan.carrying).toEqual({
      debtId: 'a',
      dueDate: '2025-04-10',
      daysOverdue: expect.any(Number),
    });
  });

  test('no installment steps configured: the agreement just pauses', () => {
    const policy: CadencePolicy = { ...DEFAULT_CADENCE_POLICY, installmentSteps: [] };
    const plan = planNextActions(input({ now: sp('2025-04-08'), agreements, policy }));
    expect(plan).toMatchObject({ state: 'paused', reason: 'agreement_active', actions: [] });
  });

  test('a dispute still wins over the agreement', () => {
    const plan = planNextActions(
      input({ now: sp('2025-04-08'), agreements, disputes: [{ status: 'open' }] }),
    );
    expect(plan).toMatchObject({ state: 'paused', reason: 'dispute_open', actions: [] });
  });

  test('a broken agreement resumes the régua on the debt', () => {
    const plan = planNextActions(
      input({ now: sp('2025-04-17'), agreements: [{ status: 'broken' }] }),
    );
    expect(plan.state).toBe('active');
    expect(plan.actions[0]?.installment).toBeUndefined();
    expect(plan.carrying?.dueDate).toBe(DUE);
  });
});
