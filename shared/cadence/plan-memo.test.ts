import { describe, expect, test } from 'vitest';
import { addDays, calendarDate, type CalendarDate } from '../time/calendar-date';
import { holidaysInYear, isHoliday, nationalHolidays, stateHolidays } from '../time/holidays';
import type { UF } from '../identity/uf';
import { DEFAULT_CADENCE_POLICY, type ContactLogEntry } from './cadence.schema';
import { planNextActions, type CadenceInput } from './plan-next-actions';
import { isPlain } from './plan-memo';

/**
 * The planner memoises the steps of "plain" debtors (plan-memo.ts). A debtor whose only contact is
 * an INBOUND one long ago gets exactly the same plan by the rules (inbound contacts count for no
 * budget and carry no step) but is planned without the memo: the reference answer.
 */
const INBOUND: ContactLogEntry = {
  at: Date.parse('2020-01-15T12:00:00Z'),
  channel: 'whatsapp',
  direction: 'inbound',
  automated: false,
};

const sp = (date: string, time: string) => Date.parse(`${date}T${time}:00-03:00`);

const NOWS = [
  sp('2024-02-28', '10:00'), // the day before a leap day
  sp('2024-02-29', '07:00'), // a leap day, before the window opens
  sp('2024-12-31', '21:00'), // after the window, the year turns tomorrow (a holiday)
  sp('2025-03-03', '10:00'), // Carnaval (optional)
  sp('2025-04-21', '09:00'), // Tiradentes (national)
  sp('2025-07-02', '10:00'), // Independência da Bahia (BA only)
  sp('2025-11-20', '12:00'), // Consciência Negra
  sp('2026-01-02', '19:30'),
];
const STATES: UF[] = ['SP', 'RJ', 'BA', 'MG', 'AM'];
const PREFERRED = [undefined, 'email', 'sms'] as const;
const ZONES = [undefined, 'America/Manaus'] as const;
const CALENDARS = [
  undefined,
  { includeOptional: false },
  { extra: [{ date: '03-05', name: 'Aniversário da cidade' }] },
];
const OFFSETS = [-400, -366, -120, -61, -45, -31, -30, -15, -8, -7, -3, -1, 0, 1, 2, 3, 4, 10];

function inputs(now: number): CadenceInput[] {
  const out: CadenceInput[] = [];
  const today = calendarDate(new Date(now - 3 * 3_600_000).toISOString().slice(0, 10));
  const dueDates = [...OFFSETS.map((o) => addDays(today, o)), calendarDate('2024-02-29')];
  let i = 0;
  for (const state of STATES)
    for (const preferredChannel of PREFERRED)
      for (const timeZone of ZONES)
        for (const holidays of CALENDARS)
          for (const dueDate of dueDates) {
            i += 1;
            out.push({
              debtor: {
                id: `c${i}`,
                state,
                doNotContact: {},
                ...(preferredChannel ? { preferredChannel } : {}),
                ...(timeZone ? { timeZone } : {}),
              },
              debts: [{ id: `d${i}`, dueDate, status: 'open' }],
              history: [],
              promises: [],
              agreements: [],
              disputes: [],
              notices: [],
              policy: DEFAULT_CADENCE_POLICY,
              now,
              ...(holidays ? { holidays } : {}),
            });
          }
  return out;
}

describe('the planner memo never changes an answer', () => {
  test.each(NOWS.map((now) => ({ now, at: new Date(now).toISOString() })))(
    'memoised plain debtors equal the unmemoised path at $at',
    ({ now }) => {
      const all = inputs(now);
      // Shuffled order, twice: a memo filled by other debtors, then by the same ones.
      const order = all.map((_, i) => (i * 7919) % all.length);
      const first = new Map(order.map((i) => [i, planNextActions(all[i] as CadenceInput)]));
      for (const [i, input] of all.entries()) {
        expect(isPlain(input)).toBe(true);
        const reference = planNextActions({ ...input, history: [INBOUND] });
        expect(isPlain({ ...input, history: [INBOUND] })).toBe(false);
        expect(first.get(i)).toEqual(reference);
        expect(planNextActions(input)).toEqual(reference);
      }
      // Then in orders where neighbours differ in one key only (each key innermost in turn):
      // the memo's shortcut for the previous debtor's key must see every difference.
      const sizes = [STATES.length, PREFERRED.length, ZONES.length, CALENDARS.length];
      const digits = (i: number) => {
        const due = i % (OFFSETS.length + 1);
        let rest = Math.floor(i / (OFFSETS.length + 1));
        const out: number[] = [];
        for (let d = sizes.length - 1; d >= 0; d--) {
          const size = sizes[d] ?? 1;
          out[d] = rest % size;
          rest = Math.floor(rest / size);
        }
        return [...out, due];
      };
      for (let inner = 0; inner < sizes.length; inner++) {
        const key = (i: number) => {
          const d = digits(i);
          const innermost = d[inner] ?? 0;
          return [...d.filter((_, k) => k !== inner), innermost];
        };
        const sorted = all
          .map((_, i) => i)
          .sort((a, b) => {
            const [ka, kb] = [key(a), key(b)];
            for (let k = 0; k < ka.length; k++)
              if (ka[k] !== kb[k]) return (ka[k] ?? 0) - (kb[k] ?? 0);
            return 0;
          });
        for (const i of sorted) {
          const input = all[i] as CadenceInput;
          expect(planNextActions(input)).toEqual(planNextActions({ ...input, history: [INBOUND] }));
        }
      }
    },
  );

  test('a plan handed out cannot be changed by its caller: the next one stays the same', () => {
    const [input] = inputs(sp('2025-03-20', '10:00'));
    if (!input) throw new Error('no input');
    const plan = planNextActions(input);
    const before = structuredClone(plan);
    const action = plan.actions[0];
    if (!action) throw new Error('expected an action');
    // Shared between plans, so frozen (and read-only in its type): a write throws.
    expect(() => {
      (action as { stepId: string }).stepId = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      (action as { earliestAt: number | null }).earliestAt = 0;
    }).toThrow(TypeError);
    expect(() => {
      (plan.actions as unknown[]).push({ ...action });
    }).toThrow(TypeError);
    const blockers = plan.actions.find((a) => a.blockedBy)?.blockedBy;
    if (blockers)
      expect(() => {
        (blockers as unknown[]).push({ code: 'notice_missing' });
      }).toThrow(TypeError);
    expect(planNextActions(input)).toEqual(before);
  });

  test('a policy changed in place (same object) is not answered from the old memo', () => {
    const policy = structuredClone(DEFAULT_CADENCE_POLICY);
    const [base] = inputs(sp('2025-03-20', '10:00'));
    if (!base) throw new Error('no input');
    const input = { ...base, policy };
    const before = planNextActions(input);
    policy.windows = { ...policy.windows, weekdays: { from: '10:00', to: '18:00' } };
    policy.steps = policy.steps.map((s) => ({ ...s, offsetDays: s.offsetDays + 1 }));
    const after = planNextActions(input);
    expect(after).toEqual(planNextActions({ ...input, history: [INBOUND] }));
    expect(after).not.toEqual(before);
  });
});

describe("the calendar memos never change an answer: a year's holidays asked in any order", () => {
  const YEARS = [2023, 2024, 2025, 2028, 2100];
  test.each(STATES.flatMap((state) => YEARS.map((year) => ({ state, year }))))(
    '$state $year',
    ({ state, year }) => {
      const fresh = [...nationalHolidays(year), ...stateHolidays(year, state)]
        .map((h) => h.date)
        .sort();
      const calendar = { state };
      // Other years first, then this one, then again: the memo keyed by calendar and year.
      for (const other of YEARS) holidaysInYear(other, calendar);
      const memoised = holidaysInYear(year, calendar)
        .map((h) => h.date)
        .sort();
      expect([...new Set(memoised)]).toEqual([...new Set(fresh)]);
      let day = calendarDate(`${year}-01-01`);
      const flagged: CalendarDate[] = [];
      while (day.startsWith(String(year))) {
        if (isHoliday(day, calendar)) flagged.push(day);
        day = addDays(day, 1);
      }
      expect(flagged).toEqual([...new Set(fresh)]);
      // A leap year has its 29 February; 2100 is not a leap year.
      expect(addDays(calendarDate(`${year}-02-28`), 1)).toBe(
        year % 4 === 0 && year % 100 !== 0 ? `${year}-02-29` : `${year}-03-01`,
      );
    },
  );
});
