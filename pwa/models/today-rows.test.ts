import { describe, expect, test } from 'vitest';
import { DEFAULT_CADENCE_POLICY } from '#shared/cadence/cadence.schema';
import type { CalendarDate } from '#shared/time/calendar-date';
import { daysBetween } from '#shared/time/calendar-date';
import type { OutboxRow, SrvDebt, SrvDebtor, SrvFact } from '../db/db';
import { debtorList } from './merge';
import {
  currentStep,
  filterRows,
  queueFacts,
  queueState,
  todayBaseDeriver,
  todayRowsDeriver,
  type QueueState,
  type TodayBase,
  type TodayFilter,
  type TodayRow,
} from './today-rows';

const DAY = '2025-03-10' as CalendarDate;
const policy = DEFAULT_CADENCE_POLICY;

const GROUP: Record<QueueState, number> = {
  visit: 0,
  contact: 1,
  promise: 2,
  agreement: 2,
  dispute: 2,
  done: 2,
  automatic: 2,
  not_yet: 2,
  nothing: 3,
};

/** The queue rule spelled out per debtor over the raw tables (no caching, no shared helpers). */
function referenceQueue(
  tables: Tables,
  id: string,
  status: string,
  oldestDue: string | undefined,
  days: number | null,
  day: CalendarDate,
): QueueState {
  if (oldestDue === undefined) return 'nothing';
  if (status === 'disputa') return 'dispute';
  const facts = tables.facts.filter((f) => f.debtor_id === id);
  const outbox = tables.outbox.filter((r) => r.debtor_id === id && r.state !== 'rejected');
  if (facts.some((f) => f.type === 'agreement' && f.data['status'] === 'active'))
    return 'agreement';
  const cancelled = outbox
    .filter((r) => r.type === 'promise.cancelled')
    .map((r) => (r.payload as { promiseId: string }).promiseId);
  const promiseDates = [
    ...facts
      .filter((f) => f.type === 'promise' && f.data['status'] === 'active')
      .filter((f) => !cancelled.includes(f.id))
      .map((f) => String(f.data['dueDate'])),
    ...outbox
      .filter((r) => r.type === 'promise.created' && !cancelled.includes(r.mutation_id))
      .map((r) => (r.payload as { dueDate: string }).dueDate),
  ];
  if (promiseDates.some((d) => d >= day)) return 'promise';
  const step = currentStep(policy, days);
  if (!step) return 'not_yet';
  const instants = [
    ...facts.filter((f) => f.type === 'visit').map((f) => String(f.data['visitedAt'])),
    ...facts
      .filter((f) => f.type === 'contact' && f.data['direction'] === 'outbound')
      .map((f) => String(f.data['occurredAt'])),
    ...outbox
      .filter((r) => r.type === 'visit.recorded' || r.type === 'contact.logged')
      .map((r) => r.occurred_at),
  ];
  const localDates = instants.map((iso) =>
    new Date(iso).toLocaleDateString('en-CA', { timeZone: policy.timeZone }),
  );
  const due = new Date(Date.parse(`${oldestDue}T00:00:00Z`) + step.offsetDays * 86_400_000)
    .toISOString()
    .slice(0, 10);
  if (localDates.some((d) => d >= due)) return 'done';
  if (step.channel === 'visit') return 'visit';
  return step.mode === 'automatic' && step.channel === 'email' ? 'automatic' : 'contact';
}

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
    const status = String(d.data['status'] ?? '');
    return {
      queue: referenceQueue(tables, d.id, status, dues[0], days, day),
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
    if (GROUP[a.queue] !== GROUP[b.queue]) return GROUP[a.queue] - GROUP[b.queue];
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
  // mulberry32 (an LCG's low bits repeat every few calls: `rand(4)` would be the same each time).
  let seed = 7;
  const rand = (k: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let z = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    z = (z + Math.imul(z ^ (z >>> 7), 61 | z)) ^ z;
    return ((z ^ (z >>> 14)) >>> 0) % k;
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
  // mulberry32: the LCG above has short low-bit periods, fine for names, not for a second stream.
  let state = 99;
  const pick = (k: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let z = Math.imul(state ^ (state >>> 15), 1 | state);
    z = (z + Math.imul(z ^ (z >>> 7), 61 | z)) ^ z;
    return ((z ^ (z >>> 14)) >>> 0) % k;
  };
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
    // What moves a debtor in the queue (its own generator, so the rows above stay as they were):
    // promises (some broken, some cancelled here), agreements,
    // visits and contacts pulled or saved here, around the step dates.
    const date = () => `2025-0${1 + pick(3)}-${String(1 + pick(28)).padStart(2, '0')}`;
    const kind = pick(9);
    if (pick(12) === 0) (t.debtors.at(-1) as SrvDebtor).data['status'] = 'disputa';
    if (kind === 0)
      t.facts.push({
        id: `${id}p`,
        debtor_id: id,
        type: 'promise',
        version: 1,
        data: {
          status: pick(3) === 0 ? 'broken' : 'active',
          dueDate: pick(2) ? '2025-03-20' : '2025-03-05',
        },
      });
    else if (kind === 1)
      t.facts.push({
        id: `${id}a`,
        debtor_id: id,
        type: 'agreement',
        version: 1,
        data: { status: pick(2) ? 'active' : 'proposed' },
      });
    else if (kind === 2)
      t.facts.push({
        id: `${id}v`,
        debtor_id: id,
        type: 'visit',
        version: 1,
        data: { visitedAt: `${date()}T${pick(2) ? '23:30' : '10:00'}:00-03:00` },
      });
    else if (kind === 3)
      t.facts.push({
        id: `${id}c`,
        debtor_id: id,
        type: 'contact',
        version: 1,
        data: {
          direction: pick(3) === 0 ? 'inbound' : 'outbound',
          occurredAt: `${date()}T02:30:00Z`,
        },
      });
    else if (kind === 4 || kind === 5) {
      const type = kind === 4 ? 'visit.recorded' : 'promise.created';
      t.outbox.push({
        mutation_id: `${id}o`,
        device_id: 'dev',
        device_seq: 10_000 + i,
        state: pick(4) === 0 ? 'rejected' : 'pending',
        type,
        type_version: 1,
        debtor_id: id,
        occurred_at: `${date()}T21:00:00-03:00`,
        payload:
          type === 'promise.created' ? { dueDate: pick(2) ? '2025-03-12' : '2025-03-01' } : {},
        payload_hash: 'h',
        attempts: 0,
        created_at_device: '2025-03-10T12:00:00Z',
      });
    } else if (kind === 6) {
      t.facts.push({
        id: `${id}p`,
        debtor_id: id,
        type: 'promise',
        version: 1,
        data: { status: 'active', dueDate: '2025-03-25' },
      });
      t.outbox.push({
        mutation_id: `${id}x`,
        device_id: 'dev',
        device_seq: 20_000 + i,
        state: 'pending',
        type: 'promise.cancelled',
        type_version: 1,
        debtor_id: id,
        occurred_at: '2025-03-10T09:00:00-03:00',
        payload: { promiseId: `${id}p` },
        payload_hash: 'h',
        attempts: 0,
        created_at_device: '2025-03-10T12:00:00Z',
      });
    }
  }
  return t;
}

/** Rows as the reference builds them (`oldestDue` is the cache's own field). */
const comparable = (rows: readonly TodayRow[]) =>
  rows.map((r) => ({
    queue: r.queue,
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
    // The portfolio reaches every queue state, so the order above is tested for each.
    const seen = new Set(rows.map((r) => r.queue));
    expect([...seen].sort()).toEqual(
      [
        'agreement',
        'automatic',
        'contact',
        'dispute',
        'done',
        'not_yet',
        'nothing',
        'promise',
        'visit',
      ].sort(),
    );
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

describe('queueState: where a debtor stands in the cadence queue on the phone', () => {
  // Default régua: d+5 automatic e-mail (server-sent), d+10 manual WhatsApp, d+15 visit.
  const base = (over: Partial<TodayBase> = {}): TodayBase => ({
    id: 'x',
    name: 'X',
    search: 'x',
    balance: 1000,
    status: 'vencido',
    pending: 0,
    rejected: 0,
    oldestDue: '2025-02-20',
    promiseUntil: null,
    agreementActive: false,
    lastWorkedAt: null,
    area: '',
    stop: '',
    pin: null,
    ...over,
  });
  const at = (iso: string) => Date.parse(iso);
  const state = (b: TodayBase, day = DAY) => {
    const days = b.oldestDue === null ? null : daysBetween(b.oldestDue as CalendarDate, day);
    return queueState(b, days, currentStep(policy, days), day, 'America/Sao_Paulo');
  };

  test.each<[string, Partial<TodayBase>, QueueState]>([
    // 2025-02-20 → 2025-03-10 is 18 days: the d+15 visit step, due since 2025-03-07.
    ['visit step due, nothing done', {}, 'visit'],
    [
      'visited the day the step fell due',
      { lastWorkedAt: at('2025-03-07T10:00:00-03:00') },
      'done',
    ],
    [
      'visited the day before it fell due (older step)',
      { lastWorkedAt: at('2025-03-06T20:59:00-03:00') },
      'visit',
    ],
    // 23:30 in São Paulo on 03-06 is 02:30Z on 03-07: the local day decides.
    [
      'late-evening contact counts on its local day',
      { lastWorkedAt: at('2025-03-07T02:30:00Z') },
      'visit',
    ],
    ['active promise until a later date pauses', { promiseUntil: '2025-03-20' }, 'promise'],
    ['a promise due today still pauses', { promiseUntil: '2025-03-10' }, 'promise'],
    [
      'a promise past its date is broken: back in the queue',
      { promiseUntil: '2025-03-09' },
      'visit',
    ],
    ['active agreement pauses', { agreementActive: true }, 'agreement'],
    ['open dispute pauses', { status: 'disputa' }, 'dispute'],
    ['12 days late: the d+10 manual WhatsApp', { oldestDue: '2025-02-26' }, 'contact'],
    [
      '7 days late: the d+5 e-mail the server sends itself',
      { oldestDue: '2025-03-03' },
      'automatic',
    ],
    ['due in 5 days: before the first step (d-3)', { oldestDue: '2025-03-15' }, 'not_yet'],
    ['due in 2 days: the d-3 WhatsApp reminder', { oldestDue: '2025-03-12' }, 'contact'],
    ['nothing open', { oldestDue: null, status: 'em_dia' }, 'nothing'],
  ])('%s', (_, over, expected) => {
    expect(state(base(over))).toBe(expected);
  });

  test('facts and outbox: promises (cancelled here or refused do not count), visits, contacts', () => {
    const fact = (type: string, data: Record<string, unknown>, id = `${type}-1`): SrvFact => ({
      id,
      debtor_id: 'x',
      type,
      version: 1,
      data,
    });
    const row = (
      type: string,
      payload: unknown,
      state: OutboxRow['state'] = 'pending',
      id = `${type}-m`,
    ) =>
      ({
        mutation_id: id,
        device_id: 'd',
        device_seq: 1,
        state,
        type,
        type_version: 1,
        debtor_id: 'x',
        occurred_at: '2025-03-09T15:00:00-03:00',
        payload,
        payload_hash: 'h',
        attempts: 0,
        created_at_device: '2025-03-09T18:00:00Z',
      }) as OutboxRow;
    expect(
      queueFacts(
        [
          fact('promise', { status: 'active', dueDate: '2025-03-15' }, 'p1'),
          fact('promise', { status: 'active', dueDate: '2025-03-30' }, 'p2'),
          fact('promise', { status: 'kept', dueDate: '2025-04-30' }, 'p3'),
          fact('contact', { direction: 'inbound', occurredAt: '2025-03-09T20:00:00Z' }),
          fact('visit', { visitedAt: '2025-03-08T12:00:00Z' }),
          fact('agreement', { status: 'proposed' }),
        ],
        [
          row('promise.cancelled', { promiseId: 'p2' }),
          row('promise.created', { dueDate: '2025-05-01' }, 'rejected'),
          row('contact.logged', {}, 'rejected'),
        ],
      ),
    ).toEqual({
      promiseUntil: '2025-03-15',
      agreementActive: false,
      lastWorkedAt: Date.parse('2025-03-08T12:00:00Z'),
    });
    expect(
      queueFacts(
        [fact('agreement', { status: 'active' })],
        [row('visit.recorded', {}), row('promise.created', { dueDate: '2025-03-18' })],
      ),
    ).toEqual({
      promiseUntil: '2025-03-18',
      agreementActive: true,
      lastWorkedAt: Date.parse('2025-03-09T15:00:00-03:00'),
    });
    expect(queueFacts(undefined, undefined)).toEqual({
      promiseUntil: null,
      agreementActive: false,
      lastWorkedAt: null,
    });
  });
});
