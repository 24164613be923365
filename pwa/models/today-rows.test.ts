import { describe, expect, test } from 'vitest';
import { DEFAULT_CADENCE_POLICY } from '#shared/cadence/cadence.schema';
import type { CalendarDate } from '#shared/time/calendar-date';
import { daysBetween } from '#shared/time/calendar-date';
import type { OutboxRow, SrvDebt, SrvDebtor, SrvFact } from '../db/db';
import { debtorList } from './merge';
import {
  currentStep,
  filterRows,
  todayBaseDeriver,
  todayRowsDeriver,
  type TodayFilter,
  type TodayRow,
} from './today-rows';

const DAY = '2025-03-10' as CalendarDate;
const policy = DEFAULT_CADENCE_POLICY;

/** The rule as first written (before caching and rank sorting): the oracle for order and matches. */
function reference(tables: Tables, day: CalendarDate) {
  const collator = new Intl.Collator('pt-BR');
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const views = debtorList(tables.debtors, tables.facts, tables.outbox);
  const rows = views.map((d) => {
    const open = tables.debts.filter((x) => x.debtor_id === d.id && x.data['status'] === 'open');
    const dues = open.map((x) => String(x.data['dueDate'])).sort();
    const days = dues[0] === undefined ? null : daysBetween(dues[0] as CalendarDate, day);
    const name = String(d.data['name'] ?? '');
    const points = (d.data['contactPoints'] ?? []) as { value: string }[];
    return {
      id: d.id,
      name,
      search: `${fold(name)} ${points.map((c) => c.value.replace(/\D/g, '')).join(' ')}`,
      days,
      step: currentStep(policy, days)?.id ?? null,
      balance: d.provisionalBalance,
      status: String(d.data['status'] ?? ''),
      pending: d.pending,
      rejected: d.rejected,
    };
  });
  rows.sort((a, b) => {
    const da = a.days ?? Number.NEGATIVE_INFINITY;
    const db = b.days ?? Number.NEGATIVE_INFINITY;
    return da !== db ? db - da : collator.compare(a.name, b.name);
  });
  const filter = (text: string, f: TodayFilter) => {
    const q = fold(text).trim();
    const digits = q.replace(/\D/g, '');
    return rows.filter((r) => {
      if (f === 'overdue' && !(r.days !== null && r.days > 0)) return false;
      if (f === 'promise' && r.status !== 'promessa' && r.status !== 'acordo') return false;
      if (f === 'pending' && r.pending === 0 && r.rejected === 0) return false;
      if (!q) return true;
      return r.search.includes(q) || (digits.length >= 4 && r.search.includes(digits));
    });
  };
  return { rows, filter };
}

interface Tables {
  debtors: SrvDebtor[];
  debts: SrvDebt[];
  facts: SrvFact[];
  outbox: OutboxRow[];
}

/** A deterministic portfolio with the cases that break a sort: ties, accents, case, NFD twins. */
function portfolio(n: number): Tables {
  let seed = 7;
  const rand = (k: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % k;
  };
  const first = [
    'Ana',
    'ana',
    'Álvaro',
    'Alvaro',
    'Célia',
    'Ce\u0301lia',
    'Zé',
    'Érica',
    'bruno',
    'Bruno',
  ];
  const last = ['Silva', 'Souza', 'Sílva', 'Oliveira', 'de Oliveira', ''];
  const statuses = ['vencido', 'promessa', 'acordo', 'em_dia'];
  const t: Tables = { debtors: [], debts: [], facts: [], outbox: [] };
  for (let i = 0; i < n; i++) {
    const id = `d${String(i).padStart(4, '0')}`;
    const name = `${first[rand(first.length)]} ${last[rand(last.length)]}`.trim();
    t.debtors.push({
      id,
      version: 1,
      data: {
        name,
        status: statuses[rand(statuses.length)],
        totalDue: 1000 * rand(50),
        contactPoints: [
          {
            id: `${id}p`,
            kind: 'phone',
            value: `+55 (11) 9${String(1000 + rand(9000))}-${String(i).padStart(4, '0')}`,
          },
          { id: `${id}e`, kind: 'email', value: `cliente${i}@example.com` },
        ],
      },
    });
    for (let k = rand(4); k > 0; k--)
      t.debts.push({
        id: `${id}t${k}`,
        debtor_id: id,
        version: 1,
        data: {
          status: rand(4) === 0 ? 'settled' : 'open',
          dueDate: `2025-0${1 + rand(4)}-${String(1 + rand(28)).padStart(2, '0')}`,
        },
      });
    if (rand(10) === 0)
      t.outbox.push({
        mutation_id: `${id}m`,
        device_id: 'dev',
        device_seq: i + 1,
        state: rand(3) === 0 ? 'rejected' : 'pending',
        type: 'payment.recorded',
        type_version: 1,
        debtor_id: id,
        occurred_at: '2025-03-10T09:00:00-03:00',
        payload: { amount: 500 },
        payload_hash: 'h',
        attempts: 0,
        created_at_device: '2025-03-10T12:00:00Z',
      });
    if (rand(15) === 0)
      t.facts.push({
        id: `${id}f`,
        debtor_id: id,
        type: 'payment',
        version: 1,
        data: { amount: 300, status: 'pending' },
      });
  }
  return t;
}

/** Rows as the reference builds them (`oldestDue` is the cache's own field). */
const comparable = (rows: readonly TodayRow[]) =>
  rows.map((r) => ({
    id: r.id,
    name: r.name,
    search: r.search,
    days: r.days,
    step: r.step?.id ?? null,
    balance: r.balance,
    status: r.status,
    pending: r.pending,
    rejected: r.rejected,
  }));

function derived(tables: Tables, day = DAY) {
  const bases = todayBaseDeriver()(tables);
  return todayRowsDeriver()(bases, policy, day);
}

describe('Today rows: the cached derivation keeps the rule', () => {
  const tables = portfolio(1500);
  const ref = reference(tables, DAY);
  const rows = derived(tables);

  test('same rows, same order, same fields as the uncached rule', () => {
    expect(rows.length).toBe(1500);
    expect(comparable(rows)).toEqual(ref.rows);
  });

  test.each<[string, TodayFilter]>([
    ['', 'all'],
    ['', 'overdue'],
    ['', 'promise'],
    ['', 'pending'],
    ['silva', 'all'],
    ['SÍLVA', 'all'],
    ['celia', 'all'],
    ['célia sou', 'overdue'],
    ['alvaro', 'promise'],
    ['  ana  ', 'pending'],
    ['0042', 'all'],
    ['9 1', 'all'],
    ['(11) 9', 'all'],
    ['(11) 91', 'all'],
    ['-0042', 'all'],
    ['-004', 'all'],
    ['cliente1', 'all'],
    ['zzz', 'all'],
  ])('filter %j / %s matches the same rows in the same order', (text, filter) => {
    const got = filterRows(rows, text, filter).map((r) => r.id);
    expect(got).toEqual(ref.filter(text, filter).map((r) => r.id));
  });

  test('names the collator calls equal (NFC and NFD) keep their input order', () => {
    const twins: Tables = {
      debtors: [
        { id: 'x', version: 1, data: { name: 'Ce\u0301lia' } },
        { id: 'y', version: 1, data: { name: 'Célia' } },
        { id: 'z', version: 1, data: { name: 'Ce\u0301lia' } },
        { id: 'a', version: 1, data: { name: 'celia' } },
      ],
      debts: [],
      facts: [],
      outbox: [],
    };
    expect(derived(twins).map((r) => r.id)).toEqual(reference(twins, DAY).rows.map((r) => r.id));
  });
});

describe('Today rows: what a re-run re-derives', () => {
  test('one new outbox row re-derives that debtor only; the order follows', () => {
    const tables = portfolio(300);
    const bases = todayBaseDeriver();
    const rows = todayRowsDeriver();
    const before = bases(tables);
    const target = tables.debtors[10] as SrvDebtor;
    const outbox = [
      ...tables.outbox,
      {
        ...(tables.outbox[0] as OutboxRow),
        mutation_id: 'new',
        debtor_id: target.id,
        state: 'pending' as const,
      },
    ];
    const after = bases({ ...tables, outbox });
    const changed = after.filter((b, i) => b !== before[i]).map((b) => b.id);
    expect(changed).toEqual([target.id]);
    expect(after.find((b) => b.id === target.id)?.pending).toBeGreaterThan(0);
    expect(comparable(rows(after, policy, DAY))).toEqual(
      reference({ ...tables, outbox }, DAY).rows,
    );
  });

  test('a new debt version, a renamed debtor and a new day are all seen', () => {
    const tables = portfolio(200);
    const bases = todayBaseDeriver();
    const rows = todayRowsDeriver();
    rows(bases(tables), policy, DAY);
    const debt = tables.debts[0] as SrvDebt;
    const renamed = tables.debtors.map((d, i) =>
      i === 5 ? { ...d, version: 2, data: { ...d.data, name: 'Aaron Primeiro' } } : d,
    );
    const next: Tables = {
      ...tables,
      debtors: renamed,
      debts: [
        { ...debt, version: 2, data: { ...debt.data, status: 'open', dueDate: '2024-01-01' } },
        ...tables.debts.slice(1),
      ],
    };
    const later = '2025-04-02' as CalendarDate;
    expect(comparable(rows(bases(next), policy, DAY))).toEqual(reference(next, DAY).rows);
    expect(comparable(rows(bases(next), policy, later))).toEqual(reference(next, later).rows);
  });

  test('a revoked debtor leaves the list', () => {
    const tables = portfolio(50);
    const bases = todayBaseDeriver();
    bases(tables);
    const gone = tables.debtors[3] as SrvDebtor;
    const after = bases({ ...tables, debtors: tables.debtors.filter((d) => d !== gone) });
    expect(after.map((b) => b.id)).not.toContain(gone.id);
    expect(after).toHaveLength(49);
  });
});
