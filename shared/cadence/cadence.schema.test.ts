import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import {
  CadencePolicySchema,
  DEFAULT_CADENCE_POLICY,
  DebtorContactProfileSchema,
  HourRangeSchema,
} from './cadence.schema';

describe('DEFAULT_CADENCE_POLICY', () => {
  test('parses through its own schema', () => {
    expect(v.safeParse(CadencePolicySchema, DEFAULT_CADENCE_POLICY).success).toBe(true);
  });

  test('goes from a D-3 preventive reminder to a manual D+60 escalation', () => {
    const steps = DEFAULT_CADENCE_POLICY.steps;
    expect(steps.map((s) => s.offsetDays)).toEqual([-3, 0, 1, 5, 10, 15, 30, 45, 60]);
    expect(steps.at(-1)).toMatchObject({
      kind: 'escalation',
      mode: 'manual',
      requires: ['written_notice', 'min_days_overdue'],
    });
  });

  test('discounts unlock only from D+30 on', () => {
    expect(
      DEFAULT_CADENCE_POLICY.steps.filter((s) => s.allowsDiscount).map((s) => s.offsetDays),
    ).toEqual([30, 45, 60]);
  });

  test('the notice table and the budget match the documented defaults', () => {
    expect(DEFAULT_CADENCE_POLICY.noticeDays).toEqual({
      default: 10,
      byState: { SP: 20, PE: 20, MT: 45, PI: 15 },
    });
    expect(DEFAULT_CADENCE_POLICY.budget).toEqual({ maxPerDay: 1, maxPer7Days: 2 });
    expect(DEFAULT_CADENCE_POLICY.minDaysOverdueForNegativacao).toBe(5);
  });
});

describe('CadencePolicySchema rejects', () => {
  const first = DEFAULT_CADENCE_POLICY.steps[0]!;
  test.each([
    {
      name: 'duplicate step ids',
      policy: { ...DEFAULT_CADENCE_POLICY, steps: [first, { ...first, offsetDays: 2 }] },
    },
    {
      name: 'two steps on one day',
      policy: { ...DEFAULT_CADENCE_POLICY, steps: [first, { ...first, id: 'x' }] },
    },
    {
      name: 'a discount in a reminder',
      policy: {
        ...DEFAULT_CADENCE_POLICY,
        steps: [{ ...first, offsetDays: 10, allowsDiscount: true }],
      },
    },
    {
      name: 'a discount before the due date',
      policy: {
        ...DEFAULT_CADENCE_POLICY,
        steps: [{ ...first, kind: 'negotiation', allowsDiscount: true }],
      },
    },
    { name: 'no steps', policy: { ...DEFAULT_CADENCE_POLICY, steps: [] } },
    {
      name: 'an unknown time zone',
      policy: { ...DEFAULT_CADENCE_POLICY, timeZone: 'America/Atlantis' },
    },
    {
      name: 'a zero budget',
      policy: { ...DEFAULT_CADENCE_POLICY, budget: { maxPerDay: 0, maxPer7Days: 2 } },
    },
    {
      name: 'an unknown state',
      policy: { ...DEFAULT_CADENCE_POLICY, noticeDays: { default: 10, byState: { XX: 3 } } },
    },
  ])('$name', ({ policy }) => {
    expect(v.safeParse(CadencePolicySchema, policy).success).toBe(false);
  });
});

describe('HourRangeSchema', () => {
  test.each([
    { range: { from: '08:00', to: '20:00' }, ok: true },
    { range: { from: '00:00', to: '24:00' }, ok: true },
    { range: { from: '14:00', to: '14:00' }, ok: false },
    { range: { from: '20:00', to: '08:00' }, ok: false },
    { range: { from: '8:00', to: '20:00' }, ok: false },
    { range: { from: '08:60', to: '20:00' }, ok: false },
  ])('$range → $ok', ({ range, ok }) => {
    expect(v.safeParse(HourRangeSchema, range).success).toBe(ok);
  });
});

describe('DebtorContactProfileSchema', () => {
  test.each([
    { profile: { id: 'x', state: 'SP', doNotContact: {} }, ok: true },
    {
      profile: {
        id: 'x',
        state: 'SP',
        doNotContact: { channels: ['visit', 'phone'] },
        preferredChannel: 'email',
      },
      ok: true,
    },
    { profile: { id: 'x', state: 'sp', doNotContact: {} }, ok: false },
    { profile: { id: 'x', state: 'SP', doNotContact: {}, preferredChannel: 'visit' }, ok: false },
    { profile: { id: 'x', state: 'SP', doNotContact: { channels: ['fax'] } }, ok: false },
  ])('$profile → $ok', ({ profile, ok }) => {
    expect(v.safeParse(DebtorContactProfileSchema, profile).success).toBe(ok);
  });
});
