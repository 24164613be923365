import { describe, expect, test } from 'vitest';
import {
  DEFAULT_CADENCE_POLICY,
  type ContactChannel,
  type ContactLogEntry,
  type DebtorContactProfile,
} from './cadence.schema';
import {
  contactClock,
  earliestContactAt,
  mayContactNow,
  type ContactGuardInput,
  type ContactRefusal,
} from './contact-guard';

/** Epoch ms of a São Paulo wall-clock time (UTC−03:00, no DST since 2019). */
function sp(date: string, time: string): number {
  return Date.parse(`${date}T${time}:00-03:00`);
}

const SP_DEBTOR: DebtorContactProfile = { id: 'd1', state: 'SP', doNotContact: {} };

function out(
  date: string,
  time: string,
  channel: ContactLogEntry['channel'] = 'whatsapp',
  automated = true,
): ContactLogEntry {
  return { at: sp(date, time), channel, direction: 'outbound', automated };
}

function guard(over: Partial<ContactGuardInput> & { now: number }) {
  return mayContactNow({
    debtor: SP_DEBTOR,
    history: [],
    channel: 'whatsapp',
    policy: DEFAULT_CADENCE_POLICY,
    ...over,
  });
}

// 2025-03-07 is a Friday; Carnaval 2025 is Mon 03-03 and Tue 03-04; 04-21 is Tiradentes.
describe('mayContactNow: windows, Sundays and holidays', () => {
  test.each([
    { name: 'Fri 08:00 opens', now: sp('2025-03-07', '08:00'), reason: undefined, next: undefined },
    {
      name: 'Fri 07:59 is early',
      now: sp('2025-03-07', '07:59'),
      reason: 'outside_window',
      next: sp('2025-03-07', '08:00'),
    },
    {
      name: 'Fri 19:59 is fine',
      now: sp('2025-03-07', '19:59'),
      reason: undefined,
      next: undefined,
    },
    {
      name: 'Fri 20:00 is late',
      now: sp('2025-03-07', '20:00'),
      reason: 'outside_window',
      next: sp('2025-03-08', '08:00'),
    },
    {
      name: 'Sat 13:59 is fine',
      now: sp('2025-03-08', '13:59'),
      reason: undefined,
      next: undefined,
    },
    {
      name: 'Sat 14:00 is late',
      now: sp('2025-03-08', '14:00'),
      reason: 'outside_window',
      next: sp('2025-03-10', '08:00'),
    },
    {
      name: 'Sunday',
      now: sp('2025-03-09', '10:00'),
      reason: 'sunday',
      next: sp('2025-03-10', '08:00'),
    },
    {
      name: 'Carnaval Monday',
      now: sp('2025-03-03', '10:00'),
      reason: 'holiday',
      next: sp('2025-03-05', '08:00'),
    },
    {
      name: 'Tiradentes',
      now: sp('2025-04-21', '10:00'),
      reason: 'holiday',
      next: sp('2025-04-22', '08:00'),
    },
    {
      name: 'SP state holiday (07-09)',
      now: sp('2025-07-09', '10:00'),
      reason: 'holiday',
      next: sp('2025-07-10', '08:00'),
    },
  ])('$name', ({ now, reason, next }) => {
    const decision = guard({ now });
    if (reason === undefined) expect(decision).toEqual({ allowed: true });
    else expect(decision).toMatchObject({ allowed: false, reason, nextAllowedAt: next });
  });

  test('a decision carries a pt-BR message', () => {
    expect(guard({ now: sp('2025-03-09', '10:00') })).toMatchObject({
      message: 'Não fazemos contato de cobrança aos domingos.',
    });
  });

  test('the state holiday is the debtor state, not the organisation', () => {
    expect(
      guard({ now: sp('2025-07-09', '10:00'), debtor: { ...SP_DEBTOR, state: 'MG' } }),
    ).toEqual({ allowed: true });
  });

  test('Carnaval is allowed when the calendar excludes optional holidays', () => {
    expect(guard({ now: sp('2025-03-03', '10:00'), holidays: { includeOptional: false } })).toEqual(
      { allowed: true },
    );
  });

  test('configured extra holidays are honoured', () => {
    const holidays = { extra: [{ date: '01-25', name: 'Aniversário da cidade' }] };
    expect(guard({ now: sp('2025-01-24', '10:00'), holidays })).toEqual({ allowed: true });
    expect(guard({ now: sp('2025-01-27', '10:00'), holidays }).allowed).toBe(true);
    expect(guard({ now: sp('2025-01-25', '10:00'), holidays })).toMatchObject({
      reason: 'holiday',
    });
  });
});

describe('mayContactNow: per-state windows (RJ weekdays 9–19, no weekends)', () => {
  const RJ = { ...SP_DEBTOR, state: 'RJ' } as const;
  test.each([
    { now: sp('2025-03-07', '08:30'), reason: 'outside_window', next: sp('2025-03-07', '09:00') },
    { now: sp('2025-03-07', '09:00'), reason: undefined, next: undefined },
    { now: sp('2025-03-07', '18:59'), reason: undefined, next: undefined },
    { now: sp('2025-03-07', '19:00'), reason: 'outside_window', next: sp('2025-03-10', '09:00') },
    { now: sp('2025-03-08', '10:00'), reason: 'outside_window', next: sp('2025-03-10', '09:00') },
    { now: sp('2025-04-23', '10:00'), reason: 'holiday', next: sp('2025-04-24', '09:00') },
  ])('RJ at $now → $reason', ({ now, reason, next }) => {
    const decision = guard({ now, debtor: RJ });
    if (reason === undefined) expect(decision).toEqual({ allowed: true });
    else expect(decision).toMatchObject({ allowed: false, reason, nextAllowedAt: next });
  });

  test('a debtor in another zone is contacted by their own clock', () => {
    const manaus = { ...SP_DEBTOR, state: 'MG', timeZone: 'America/Manaus' } as const;
    // 08:30 in São Paulo is 07:30 in Manaus; 08:00 Manaus is 09:00 São Paulo.
    expect(guard({ now: sp('2025-03-07', '08:30'), debtor: manaus })).toMatchObject({
      reason: 'outside_window',
      nextAllowedAt: sp('2025-03-07', '09:00'),
    });
  });
});

describe('mayContactNow: one budget across channels', () => {
  test.each([
    {
      name: 'one outbound today',
      history: [out('2025-03-10', '09:00')],
      reason: 'daily_budget',
      next: sp('2025-03-11', '08:00'),
    },
    {
      name: 'a field visit today',
      history: [out('2025-03-10', '09:00', 'visit', false)],
      reason: 'daily_budget',
      next: sp('2025-03-11', '08:00'),
    },
    {
      name: 'a manual phone call today',
      history: [out('2025-03-10', '09:00', 'phone', false)],
      reason: 'daily_budget',
      next: sp('2025-03-11', '08:00'),
    },
    {
      name: 'an inbound message today',
      history: [{ ...out('2025-03-10', '09:00'), direction: 'inbound' } as const],
      reason: undefined,
      next: undefined,
    },
    {
      name: 'yesterday at 19:30 (calendar days)',
      history: [out('2025-03-09', '19:30')],
      reason: undefined,
      next: undefined,
    },
    {
      name: 'two in the last 7 calendar days',
      history: [out('2025-03-04', '10:00', 'sms'), out('2025-03-06', '10:00', 'email')],
      reason: 'weekly_budget',
      next: sp('2025-03-11', '08:00'),
    },
    {
      name: 'two, the older one 7 days ago (out of the window)',
      history: [out('2025-03-03', '10:00'), out('2025-03-06', '10:00')],
      reason: undefined,
      next: undefined,
    },
  ])('Mon 2025-03-10 15:00 after $name → $reason', ({ history, reason, next }) => {
    const decision = guard({ now: sp('2025-03-10', '15:00'), history, channel: 'sms' });
    if (reason === undefined) expect(decision).toEqual({ allowed: true });
    else expect(decision).toMatchObject({ allowed: false, reason, nextAllowedAt: next });
  });

  test('the budget is configurable', () => {
    const policy = { ...DEFAULT_CADENCE_POLICY, budget: { maxPerDay: 2, maxPer7Days: 3 } };
    const history = [out('2025-03-10', '09:00')];
    expect(guard({ now: sp('2025-03-10', '15:00'), history, policy })).toEqual({ allowed: true });
  });
});

describe('mayContactNow: debtor preferences and cadence state', () => {
  test.each<{
    name: string;
    debtor: DebtorContactProfile;
    channel: ContactChannel;
    reason?: ContactRefusal;
  }>([
    {
      name: 'do not contact',
      debtor: { ...SP_DEBTOR, doNotContact: { all: true } },
      channel: 'sms',
      reason: 'do_not_contact',
    },
    {
      name: 'channel blocked',
      debtor: { ...SP_DEBTOR, doNotContact: { channels: ['sms'] } },
      channel: 'sms',
      reason: 'channel_blocked',
    },
    {
      name: 'another channel open',
      debtor: { ...SP_DEBTOR, doNotContact: { channels: ['sms'] } },
      channel: 'email',
    },
  ])('$name', ({ debtor, channel, reason }) => {
    const decision = guard({ now: sp('2025-03-07', '10:00'), debtor, channel });
    if (reason === undefined) expect(decision).toEqual({ allowed: true });
    else {
      expect(decision).toMatchObject({ allowed: false, reason });
      expect(decision).not.toHaveProperty('nextAllowedAt');
    }
  });

  test.each([
    { now: sp('2025-03-07', '10:00'), reason: 'preferred_hours', next: sp('2025-03-07', '18:00') },
    { now: sp('2025-03-07', '18:30'), reason: undefined, next: undefined },
    // Saturday's window (8–14) and the preference (18–20) never meet: Monday 18:00.
    { now: sp('2025-03-08', '10:00'), reason: 'preferred_hours', next: sp('2025-03-10', '18:00') },
    { now: sp('2025-03-07', '20:30'), reason: 'outside_window', next: sp('2025-03-10', '18:00') },
  ])('preferred hours 18–20 at $now → $reason', ({ now, reason, next }) => {
    const debtor = { ...SP_DEBTOR, preferredHours: { from: '18:00', to: '20:00' } };
    const decision = guard({ now, debtor });
    if (reason === undefined) expect(decision).toEqual({ allowed: true });
    else expect(decision).toMatchObject({ allowed: false, reason, nextAllowedAt: next });
  });

  test.each([
    { cadenceState: 'paused', automated: true, reason: 'paused' },
    { cadenceState: 'stopped', automated: true, reason: 'stopped' },
    { cadenceState: 'paused', automated: false, reason: undefined },
    { cadenceState: 'active', automated: true, reason: undefined },
  ] as const)(
    '$cadenceState, automated $automated → $reason',
    ({ cadenceState, automated, reason }) => {
      const decision = guard({ now: sp('2025-03-07', '10:00'), cadenceState, automated });
      expect(decision.allowed).toBe(reason === undefined);
      if (reason) expect(decision).toMatchObject({ reason });
    },
  );
});

describe('earliestContactAt: days shared between debtors, answers still their own', () => {
  const policy = DEFAULT_CADENCE_POLICY;
  // Tuesday 2025-07-08, 21:00 in São Paulo: the next open day is Wed 07-09, except in SP, where
  // 07-09 is a state holiday.
  const from = sp('2025-07-08', '21:00');

  test('one `from`, several kinds of debtor, in an order that would expose a shared answer', () => {
    const sp1 = contactClock({ id: 'a', state: 'SP', doNotContact: {} }, [], policy);
    const rj = contactClock({ id: 'b', state: 'RJ', doNotContact: {} }, [], policy);
    const late = contactClock(
      { id: 'c', state: 'SP', doNotContact: {}, preferredHours: { from: '14:00', to: '16:00' } },
      [],
      policy,
    );
    const contacted = contactClock(
      { id: 'd', state: 'SP', doNotContact: {} },
      [out('2025-07-10', '09:00')],
      policy,
    );
    const sp2 = contactClock({ id: 'e', state: 'SP', doNotContact: {} }, [], policy);
    expect(earliestContactAt(from, sp1)).toBe(sp('2025-07-10', '08:00'));
    // RJ: its own windows (9–19) and no 07-09 holiday.
    expect(earliestContactAt(from, rj)).toBe(sp('2025-07-09', '09:00'));
    expect(earliestContactAt(from, late)).toBe(sp('2025-07-10', '14:00'));
    // One contact on 07-10 spends that day's budget.
    expect(earliestContactAt(from, contacted)).toBe(sp('2025-07-11', '08:00'));
    expect(earliestContactAt(from, sp2)).toBe(sp('2025-07-10', '08:00'));
    // The same debtor under an organisation calendar that adds 07-10.
    const company = contactClock({ id: 'f', state: 'SP', doNotContact: {} }, [], policy, {
      extra: [{ date: '2025-07-10', name: 'Inventário' }],
    });
    expect(earliestContactAt(from, company)).toBe(sp('2025-07-11', '08:00'));
    expect(earliestContactAt(from, sp1)).toBe(sp('2025-07-10', '08:00'));
  });
});
