/**
 * What the collector screens derive from the pulled data: days overdue, the cadence step the
 * debtor is at, and the order of the Today list. Pure functions over the read models' rows.
 */
import * as v from 'valibot';
import type { CadencePolicy } from '#shared/cadence/cadence.schema';
import { daysBetween, type CalendarDate } from '#shared/time/calendar-date';
import { balanceOn } from '#shared/charges/balance';
import { DebtTermsSchema, type Breakdown } from '#shared/charges/charges.schema';
import { cents } from '#shared/money/money';
import type { SrvDebt } from '../../db/db';
import { groupBy, type DebtorView } from '../../models/merge';
import {
  currentStep,
  filterRows,
  foldText,
  nameRanks,
  sortToday,
  todayBase,
  todayRow,
  type TodayFilter,
  type TodayRow,
} from '../../models/today-rows';

export interface ContactPoint {
  id: string;
  kind: 'phone' | 'email';
  value: string;
  label: string | null;
  isWhatsapp: boolean;
  verified: boolean;
}

export function contactPoints(data: Record<string, unknown>): ContactPoint[] {
  const list = data['contactPoints'];
  return Array.isArray(list) ? (list as ContactPoint[]) : [];
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export { cadencePolicy, orgTimeZone, today } from '../../models/read-models';

/** Open debts grouped by debtor. */
export function openDebtsBy(debts: readonly SrvDebt[]): Map<string, SrvDebt[]> {
  const out = new Map<string, SrvDebt[]>();
  for (const d of debts) {
    if (d.data['status'] !== 'open') continue;
    const list = out.get(d.debtor_id);
    if (list) list.push(d);
    else out.set(d.debtor_id, [d]);
  }
  return out;
}

/** The open debt due first (what the current cadence step is about), null without one. */
export function oldestOpenDebt(
  open: readonly SrvDebt[] | undefined,
): { id: string; dueDate: CalendarDate } | null {
  let oldest: { id: string; dueDate: CalendarDate } | null = null;
  for (const d of open ?? []) {
    const due = str(d.data['dueDate']);
    if (due && (oldest === null || due < oldest.dueDate))
      oldest = { id: d.id, dueDate: due as CalendarDate };
  }
  return oldest;
}

/** Days past the oldest open due date (negative: days until it), null without open debts. */
export function daysOverdue(
  open: readonly SrvDebt[] | undefined,
  day: CalendarDate,
): number | null {
  const oldest = oldestOpenDebt(open);
  return oldest === null ? null : daysBetween(oldest.dueDate, day);
}

export { currentStep, filterRows, foldText, type TodayFilter, type TodayRow };

/**
 * The Today order over merged debtor views (the screen itself derives through the cached
 * `todayBaseDeriver` / `todayRowsDeriver`; this is the same rule in one call).
 */
export function todayRows(
  debtors: readonly DebtorView[],
  debts: readonly SrvDebt[],
  policy: CadencePolicy,
  day: CalendarDate,
): TodayRow[] {
  const byDebtor = groupBy(debts, (d) => d.debtor_id);
  const rows = debtors.map((d) => todayRow(todayBase(d, byDebtor.get(d.id)), policy, day));
  return sortToday(rows, nameRanks(rows.map((r) => r.name)));
}

/**
 * The itemised balance of a pulled debt as of `day` (shared `balanceOn`, the server's own rule),
 * from its terms and the CONFIRMED payments the pull delivered; null if the terms are incomplete.
 */
export function debtBreakdown(
  debt: SrvDebt,
  confirmed: readonly { debtId: string; date: string; amount: number }[],
  day: CalendarDate,
): Breakdown | null {
  const d = debt.data;
  const terms = v.safeParse(DebtTermsSchema, {
    principal: d['principal'],
    issueDate: d['issueDate'] ?? d['dueDate'],
    dueDate: d['dueDate'],
    kind: d['kind'],
    ...(typeof d['fineBps'] === 'number' ? { fineBps: d['fineBps'] } : {}),
    ...(typeof d['monthlyInterestBps'] === 'number'
      ? { monthlyInterestBps: d['monthlyInterestBps'] }
      : {}),
    ...(Array.isArray(d['fees']) ? { fees: d['fees'] } : {}),
    ...(typeof d['graceDays'] === 'number' ? { graceDays: d['graceDays'] } : {}),
    ...(typeof d['punctualityDiscountBps'] === 'number'
      ? { punctualityDiscountBps: d['punctualityDiscountBps'] }
      : {}),
  });
  if (!terms.success) return null;
  const payments = confirmed
    .filter((p) => p.debtId === debt.id && p.amount > 0 && p.date <= day)
    .map((p) => ({ date: p.date as CalendarDate, amount: cents(p.amount) }));
  return balanceOn(terms.output, payments, day);
}
