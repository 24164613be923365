import { describe, expect, test } from 'vitest';
import { DEFAULT_CADENCE_POLICY } from '#shared/cadence/cadence.schema';
import type { CalendarDate } from '#shared/time/calendar-date';
import type { SrvDebt } from '../../db/db';
import type { DebtorView } from '../../models/merge';
import {
  currentStep,
  daysOverdue,
  debtBreakdown,
  filterRows,
  todayRows,
  type TodayFilter,
} from './collector-data';

const DAY = '2025-03-10' as CalendarDate;

function debtor(id: string, name: string, extra: Partial<DebtorView> = {}): DebtorView {
  return {
    id,
    version: 1,
    data: {
      name,
      status: 'vencido',
      contactPoints: [{ id: 'c', kind: 'phone', value: `+55119${id.padStart(8, '0')}` }],
    },
    serverBalance: 1000,
    provisionalBalance: 1000,
    pending: 0,
    rejected: 0,
    ...extra,
  };
}

function debt(id: string, debtorId: string, dueDate: string, extra = {}): SrvDebt {
  return {
    id,
    debtor_id: debtorId,
    version: 1,
    data: {
      status: 'open',
      dueDate,
      issueDate: '2025-01-08',
      principal: 100_000,
      kind: 'consumer',
      fineBps: 200,
      monthlyInterestBps: 100,
      fees: [],
      graceDays: 0,
      ...extra,
    },
  };
}

describe('Today order and filters', () => {
  const debtors = [
    debtor('1', 'Bruno'),
    debtor('2', 'Ana'),
    debtor('3', 'Célia', { pending: 1 }),
    debtor('4', 'Davi'),
  ];
  const debts = [
    debt('d1', '1', '2025-03-01'),
    debt('d2', '2', '2025-02-08'),
    // Célia: coming due in 2 days; Davi: only a settled debt.
    debt('d3', '3', '2025-03-12'),
    debt('d4', '4', '2025-01-01', { status: 'settled' }),
  ];
  const rows = todayRows(debtors, debts, DEFAULT_CADENCE_POLICY, DAY);

  test('contacts due now first (most overdue first), then waiting, then nothing open', () => {
    // Ana: d+30 WhatsApp by a person; Célia: the d-3 reminder; Bruno: at d+5, the e-mail the
    // server sends by itself, so nothing for the collector today; Davi: nothing open.
    expect(rows.map((r) => [r.name, r.days, r.queue])).toEqual([
      ['Ana', 30, 'contact'],
      ['Célia', -2, 'contact'],
      ['Bruno', 9, 'automatic'],
      ['Davi', null, 'nothing'],
    ]);
  });

  test('the cadence step reached at the days overdue', () => {
    expect(rows.map((r) => r.step?.id ?? null)).toEqual(['d+30', 'd-3', 'd+5', null]);
    expect(currentStep(DEFAULT_CADENCE_POLICY, -3)?.id).toBe('d-3');
    expect(currentStep(DEFAULT_CADENCE_POLICY, null)).toBeNull();
  });

  test('search ignores accents and case; phone digits match', () => {
    expect(filterRows(rows, 'celia', 'all').map((r) => r.name)).toEqual(['Célia']);
    expect(filterRows(rows, '0000002', 'all').map((r) => r.name)).toEqual(['Ana']);
    expect(filterRows(rows, 'zzz', 'all')).toEqual([]);
  });

  test.each<[string, TodayFilter, string[]]>([
    // Bruno's promise (status only, no promise fact on the phone) does not pause him here.
    ['', 'all', ['Ana', 'Célia', 'Bruno', 'Davi']],
    ['CÉLIA', 'all', ['Célia']],
    ['a', 'all', ['Ana', 'Célia', 'Davi']],
    // Phones are +55119000000NN: four digits or more match anywhere in the number.
    ['9000', 'all', ['Ana', 'Célia', 'Bruno', 'Davi']],
    ['(11) 90000-0003', 'all', ['Célia']],
    // Fewer than four digits only match as typed, not as a number.
    ['0-3', 'all', []],
    ['', 'promise', ['Bruno']],
    ['bru', 'overdue', ['Bruno']],
    ['', 'pending', ['Célia', 'Davi']],
  ])('filter %j / %s → %j, in Today order', (text, filter, names) => {
    const mixed = todayRows(
      [
        debtor('1', 'Bruno', {
          data: {
            name: 'Bruno',
            status: 'promessa',
            contactPoints: [{ id: 'c', kind: 'phone', value: '+5511900000001' }],
          },
        }),
        debtor('2', 'Ana'),
        debtor('3', 'Célia', { pending: 1 }),
        debtor('4', 'Davi', { rejected: 1 }),
      ],
      debts,
      DEFAULT_CADENCE_POLICY,
      DAY,
    );
    expect(filterRows(mixed, text, filter).map((r) => r.name)).toEqual(names);
  });

  test('filters: overdue, waiting to sync', () => {
    expect(filterRows(rows, '', 'overdue').map((r) => r.name)).toEqual(['Ana', 'Bruno']);
    expect(filterRows(rows, '', 'pending').map((r) => r.name)).toEqual(['Célia']);
  });

  test('days overdue uses the oldest open debt', () => {
    expect(daysOverdue([debt('a', 'x', '2025-03-01'), debt('b', 'x', '2025-02-01')], DAY)).toBe(37);
    expect(daysOverdue([], DAY)).toBeNull();
  });
});

describe('debtBreakdown (shared balanceOn over the pulled terms)', () => {
  test('30 days late: 2% multa and 1% a.m. juros, confirmed payments only for this debt', () => {
    const b = debtBreakdown(debt('d', 'x', '2025-02-08'), [], DAY);
    expect(b).not.toBeNull();
    expect(b?.principal).toBe(100_000);
    expect(b?.fine).toBe(2_000);
    expect(b?.interest).toBe(1_000);
    expect(b?.totalDue).toBe(103_000);
    const paid = debtBreakdown(
      debt('d', 'x', '2025-02-08'),
      [
        { debtId: 'd', date: '2025-03-01', amount: 3_000 },
        { debtId: 'other', date: '2025-03-01', amount: 50_000 },
      ],
      DAY,
    );
    expect(paid?.paid).toBe(3_000);
  });

  test('incomplete terms give no breakdown instead of a wrong one', () => {
    expect(debtBreakdown(debt('d', 'x', '2025-02-08', { kind: undefined }), [], DAY)).toBeNull();
  });
});
