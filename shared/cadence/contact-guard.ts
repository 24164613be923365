/**
 * The send-time guard: may this debtor be contacted on this channel right now? It is asked before
 * every automated send and before a person presses Send in Gmail, WhatsApp Web or the field app,
 * so the window, holidays and the one contact budget hold across all channels.
 *
 * Decisions (documented so that callers can explain them):
 * - Windows are read in the debtor's zone when the profile has one, else the policy's zone; a
 *   state in `policy.stateWindows` replaces the default windows for debtors of that UF.
 * - Holidays are national + the debtor's state + the calendar's extras; optional ones (Carnaval,
 *   Corpus Christi) count unless the calendar says `includeOptional: false`.
 * - The budget counts OUTBOUND contacts of every channel (automated or manual, visits and calls
 *   included). Inbound contacts do not count: answering a debtor who wrote first is not pressure.
 * - The budget is by calendar day in that zone: at most `maxPerDay` on one local date, and at most
 *   `maxPer7Days` over the local dates today−6 … today. A contact at 19:00 does not block 08:00
 *   the next day, and "7 days" means seven calendar days, which is what owners read in the rule.
 * - Paused/stopped (from the planner) block automated sends only; a person may still answer or
 *   confirm a promise, within windows and budget.
 */
import { addDays, localDateTime, dayOfWeek, type CalendarDate } from '../time/calendar-date';
import { isHoliday, type HolidayCalendar } from '../time/holidays';
import {
  clockMinutes,
  type CadencePolicy,
  type ContactChannel,
  type ContactLogEntry,
  type ContactWindows,
  type DebtorContactProfile,
  type HourRange,
} from './cadence.schema';
import { minuteOfDay, zonedEpoch } from './zoned-time';

export const ContactRefusals = [
  'outside_window',
  'sunday',
  'holiday',
  'daily_budget',
  'weekly_budget',
  'do_not_contact',
  'channel_blocked',
  'preferred_hours',
  'paused',
  'stopped',
] as const;
export type ContactRefusal = (typeof ContactRefusals)[number];

export type ContactDecision =
  | { allowed: true }
  | { allowed: false; reason: ContactRefusal; message: string; nextAllowedAt?: number };

export interface ContactGuardInput {
  debtor: DebtorContactProfile;
  history: readonly ContactLogEntry[];
  now: number;
  channel: ContactChannel;
  policy: CadencePolicy;
  holidays?: HolidayCalendar;
  /** The planner's state for this debtor; blocks automated sends when paused or stopped. */
  cadenceState?: 'active' | 'paused' | 'stopped';
  /** Whether the send is automatic (default true: the stricter reading). */
  automated?: boolean;
}

const MESSAGES: Record<ContactRefusal, string> = {
  outside_window: 'Fora do horário permitido para contato de cobrança.',
  sunday: 'Não fazemos contato de cobrança aos domingos.',
  holiday: 'Não fazemos contato de cobrança em feriados.',
  daily_budget: 'Este cliente já recebeu um contato hoje.',
  weekly_budget: 'Este cliente já atingiu o limite de contatos dos últimos 7 dias.',
  do_not_contact: 'Este cliente pediu para não ser contatado.',
  channel_blocked: 'Este cliente pediu para não ser contatado por este canal.',
  preferred_hours: 'Fora do horário que o cliente prefere ser contatado.',
  paused: 'A régua está pausada (promessa, acordo ou contestação em andamento).',
  stopped: 'A régua está encerrada para este cliente.',
};

/** The rules that depend on the clock, resolved once for a debtor. */
export interface ContactClock {
  timeZone: string;
  windows: ContactWindows;
  calendar: HolidayCalendar;
  preferredHours?: HourRange;
  budget: CadencePolicy['budget'];
  /** Local dates of counted (outbound) contacts. */
  contactDates: readonly CalendarDate[];
}

const NO_HOLIDAYS: HolidayCalendar = Object.freeze({});
const NO_DATES: readonly CalendarDate[] = Object.freeze([]);
/**
 * The debtor's calendar (the organisation's plus the debtor's state), one object per source
 * calendar and state as long as the source's fields stay the same: the holiday and day-window
 * memos below then recognise it by identity across every debtor of a portfolio.
 */
const calendars = new WeakMap<
  HolidayCalendar,
  Map<string, { source: [unknown, unknown]; calendar: HolidayCalendar }>
>();

function debtorCalendar(holidays: HolidayCalendar, state: string): HolidayCalendar {
  let byState = calendars.get(holidays);
  if (!byState) {
    byState = new Map();
    calendars.set(holidays, byState);
  }
  const hit = byState.get(state);
  if (hit && hit.source[0] === holidays.extra && hit.source[1] === holidays.includeOptional)
    return hit.calendar;
  const calendar = Object.freeze({ ...holidays, state }) as HolidayCalendar;
  byState.set(state, { source: [holidays.extra, holidays.includeOptional], calendar });
  return calendar;
}

/** Resolves zone, windows, holidays and the counted contacts for `debtor` under `policy`. */
export function contactClock(
  debtor: DebtorContactProfile,
  history: readonly ContactLogEntry[],
  policy: CadencePolicy,
  holidays: HolidayCalendar = NO_HOLIDAYS,
): ContactClock {
  const timeZone = debtor.timeZone ?? policy.timeZone;
  const stateWindows: ContactWindows | undefined = policy.stateWindows[debtor.state];
  const clock: ContactClock = {
    timeZone,
    windows: stateWindows ?? policy.windows,
    calendar: debtorCalendar(holidays, debtor.state),
    budget: policy.budget,
    contactDates:
      history.length === 0
        ? NO_DATES
        : history
            .filter((c) => c.direction === 'outbound')
            .map((c) => localDateTime(c.at, timeZone).date),
  };
  if (debtor.preferredHours) clock.preferredHours = debtor.preferredHours;
  return clock;
}

type Closed = 'sunday' | 'holiday' | 'outside_window';

/** The legal window of `date` in minutes [from, to), or why the whole day is closed. */
function legalWindow(
  date: CalendarDate,
  clock: ContactClock,
): { closed: Closed } | { from: number; to: number } {
  const weekday = dayOfWeek(date);
  const range =
    weekday === 0
      ? clock.windows.sunday
      : weekday === 6
        ? clock.windows.saturday
        : clock.windows.weekdays;
  if (weekday === 0 && !range) return { closed: 'sunday' };
  if (!clock.windows.allowHolidays && isHoliday(date, clock.calendar)) return { closed: 'holiday' };
  if (!range) return { closed: 'outside_window' };
  return { from: clockMinutes(range.from), to: clockMinutes(range.to) };
}

/** The first budget rule a new contact on `date` would break, if any. */
function budgetRefusal(
  date: CalendarDate,
  clock: ContactClock,
): 'daily_budget' | 'weekly_budget' | undefined {
  if (clock.contactDates.length === 0) return undefined;
  const sameDay = clock.contactDates.filter((d) => d === date).length;
  if (sameDay >= clock.budget.maxPerDay) return 'daily_budget';
  const weekStart = addDays(date, -6);
  const inWeek = clock.contactDates.filter((d) => d >= weekStart && d <= date).length;
  if (inWeek >= clock.budget.maxPer7Days) return 'weekly_budget';
  return undefined;
}

/** A day's legal window: minutes [from, to) and the instants they fall on; or why it is closed. */
type LegalDay = Closed | { from: number; to: number; opensAt: number; closesAt: number };

/**
 * What every debtor under one zone, windows object and calendar object shares: each day's legal
 * window, and the earliest allowed instant from a given instant for a debtor whose own contacts
 * and preferred hours do not enter (no counted contact, no preference): most of a portfolio, all
 * asking from the same `now`. So the search below is a lookup per day, or one lookup in all.
 */
interface SharedCalendar {
  days: Map<CalendarDate, LegalDay>;
  earliest: Map<number, number | null>;
}

/**
 * By windows and calendar identity (the policy's windows object, debtorCalendar's calendar), then
 * zone. Pure, so memoising is safe; bounded per key.
 */
const shared = new WeakMap<ContactWindows, WeakMap<HolidayCalendar, Map<string, SharedCalendar>>>();
const SHARED_MAX = 4096;

function sharedCalendar(clock: ContactClock): SharedCalendar {
  let byCalendar = shared.get(clock.windows);
  if (!byCalendar) {
    byCalendar = new WeakMap();
    shared.set(clock.windows, byCalendar);
  }
  let byZone = byCalendar.get(clock.calendar);
  if (!byZone) {
    byZone = new Map();
    byCalendar.set(clock.calendar, byZone);
  }
  let entry = byZone.get(clock.timeZone);
  if (!entry || entry.days.size >= SHARED_MAX || entry.earliest.size >= SHARED_MAX) {
    entry = { days: new Map(), earliest: new Map() };
    byZone.set(clock.timeZone, entry);
  }
  return entry;
}

function legalDay(date: CalendarDate, clock: ContactClock, days: SharedCalendar['days']): LegalDay {
  let day = days.get(date);
  if (day === undefined) {
    const legal = legalWindow(date, clock);
    day =
      'closed' in legal
        ? legal.closed
        : {
            ...legal,
            opensAt: zonedEpoch(date, legal.from, clock.timeZone),
            closesAt: zonedEpoch(date, legal.to, clock.timeZone),
          };
    days.set(date, day);
  }
  return day;
}

/** How far ahead `earliestContactAt` looks before giving up (a policy with no open day at all). */
const SEARCH_DAYS = 400;

/**
 * The earliest instant ≥ `from` at which contact is allowed by windows, holidays, preferred hours
 * and budget, or null when none exists within about a year.
 */
export function earliestContactAt(from: number, clock: ContactClock): number | null {
  const calendar = sharedCalendar(clock);
  const plain = clock.contactDates.length === 0 && clock.preferredHours === undefined;
  if (plain) {
    const known = calendar.earliest.get(from);
    if (known !== undefined) return known;
  }
  const found = searchEarliest(from, clock, calendar.days);
  if (plain) calendar.earliest.set(from, found);
  return found;
}

function searchEarliest(
  from: number,
  clock: ContactClock,
  days: SharedCalendar['days'],
): number | null {
  const start = localDateTime(from, clock.timeZone).date;
  const pref = clock.preferredHours;
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const date = addDays(start, i);
    const legal = legalDay(date, clock, days);
    if (typeof legal === 'string' || budgetRefusal(date, clock)) continue;
    let opens = legal.opensAt;
    let closes = legal.closesAt;
    if (pref) {
      const open = Math.max(legal.from, clockMinutes(pref.from));
      const close = Math.min(legal.to, clockMinutes(pref.to));
      if (open >= close) continue;
      opens = zonedEpoch(date, open, clock.timeZone);
      closes = zonedEpoch(date, close, clock.timeZone);
    }
    const candidate = Math.max(from, opens);
    if (candidate < closes) return candidate;
  }
  return null;
}

function refuse(reason: ContactRefusal, nextAllowedAt?: number | null): ContactDecision {
  return nextAllowedAt == null
    ? { allowed: false, reason, message: MESSAGES[reason] }
    : { allowed: false, reason, message: MESSAGES[reason], nextAllowedAt };
}

/** The send-time guard; a refusal carries a pt-BR message and, when one exists, the next allowed instant. */
export function mayContactNow(input: ContactGuardInput): ContactDecision {
  const { debtor, now, channel } = input;
  if (debtor.doNotContact.all) return refuse('do_not_contact');
  if (debtor.doNotContact.channels?.includes(channel)) return refuse('channel_blocked');
  if (input.automated !== false && input.cadenceState === 'paused') return refuse('paused');
  if (input.automated !== false && input.cadenceState === 'stopped') return refuse('stopped');

  const clock = contactClock(debtor, input.history, input.policy, input.holidays);
  const { date } = localDateTime(now, clock.timeZone);
  const minute = minuteOfDay(now, clock.timeZone);
  const legal = legalWindow(date, clock);
  const pref = clock.preferredHours;
  let reason: ContactRefusal | undefined;
  if ('closed' in legal) reason = legal.closed;
  else if (minute < legal.from || minute >= legal.to) reason = 'outside_window';
  else if (pref && (minute < clockMinutes(pref.from) || minute >= clockMinutes(pref.to)))
    reason = 'preferred_hours';
  else reason = budgetRefusal(date, clock);
  if (reason === undefined) return { allowed: true };
  return refuse(reason, earliestContactAt(now, clock));
}
