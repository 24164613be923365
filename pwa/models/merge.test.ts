import { describe, expect, test } from 'vitest';
import type { OutboxRow, SrvDebtor, SrvFact } from '../db/db';
import {
  debtorList,
  debtorView,
  mergeTimeline,
  overlayFields,
  pendingPayments,
  syncStatus,
} from './merge';

const D1 = 'd1';
let seq = 0;

function row(overrides: Partial<OutboxRow> = {}): OutboxRow {
  seq++;
  return {
    mutation_id: `m${seq}`,
    device_id: 'dev',
    device_seq: seq,
    state: 'pending',
    type: 'payment.recorded',
    type_version: 1,
    debtor_id: D1,
    occurred_at: `2025-03-10T09:0${seq % 10}:00-03:00`,
    payload: { amount: 1000 },
    payload_hash: 'h',
    attempts: 0,
    created_at_device: `2025-03-10T12:0${seq % 10}:00Z`,
    ...overrides,
  };
}

function payment(id: string, amount: number, status: string, debtorId = D1): SrvFact {
  return {
    id,
    debtor_id: debtorId,
    type: 'payment',
    version: 1,
    data: { id, amount, status, date: '2025-03-10' },
  };
}

const debtor = (id: string, totalDue: number, name = id): SrvDebtor => ({
  id,
  version: 3,
  data: { id, name, totalDue },
});

describe('pendingPayments (provisional balance = totalDue − unconfirmed field payments)', () => {
  test.each([
    ['local pending', [row({ mutation_id: 'p' })], [], 1000],
    ['local rejected is ignored', [row({ mutation_id: 'p', state: 'rejected' })], [], 0],
    [
      'acked but not pulled yet still counts',
      [row({ mutation_id: 'p', state: 'acked' })],
      [],
      1000,
    ],
    [
      'acked and pulled as pending counts ONCE',
      [row({ mutation_id: 'p', state: 'acked' })],
      [payment('p', 1000, 'pending')],
      1000,
    ],
    ['pulled pending only', [], [payment('p', 700, 'pending')], 700],
    [
      'confirmed by the office: now in totalDue, not subtracted again',
      [row({ mutation_id: 'p', state: 'acked' })],
      [payment('p', 1000, 'confirmed')],
      0,
    ],
    [
      'a local void cancels it',
      [
        row({ mutation_id: 'p', state: 'acked' }),
        row({ type: 'payment.voided', payload: { paymentId: 'p', reason: 'typo' } }),
      ],
      [payment('p', 1000, 'pending')],
      0,
    ],
    [
      'two payments add up',
      [row({ mutation_id: 'a' }), row({ mutation_id: 'b', payload: { amount: 250 } })],
      [],
      1250,
    ],
    ['visits do not count', [row({ type: 'visit.recorded', payload: { outcome: 'paid' } })], [], 0],
  ] as const)('%s', (_name, outbox, facts, expected) => {
    expect(pendingPayments([...facts], [...outbox])).toBe(expected);
  });
});

describe('mergeTimeline', () => {
  test('union by event id: the server copy replaces the local one, nothing twice', () => {
    const local = row({ mutation_id: 'p', state: 'acked' });
    const other = row({
      mutation_id: 'v',
      type: 'visit.recorded',
      payload: { outcome: 'not_home' },
    });
    const merged = mergeTimeline([payment('p', 1000, 'pending')], [local, other]);
    expect(merged.map((i) => [i.id, i.origin, i.type])).toEqual(
      expect.arrayContaining([
        ['p', 'server', 'payment'],
        ['v', 'pending', 'visit'],
      ]),
    );
    expect(merged).toHaveLength(2);
  });

  test('newest first, rejected items keep their reason', () => {
    const a = row({ occurred_at: '2025-03-01T10:00:00Z' });
    const b = row({
      occurred_at: '2025-03-05T10:00:00Z',
      state: 'rejected',
      reason: 'not_assigned',
    });
    const merged = mergeTimeline([], [a, b]);
    expect(merged.map((i) => i.id)).toEqual([b.mutation_id, a.mutation_id]);
    expect(merged[0]?.reason).toBe('not_assigned');
  });
});

describe('debtor views', () => {
  test('provisional balance and pending count per debtor, sorted by name', () => {
    const list = debtorList(
      [debtor('d2', 5000, 'Bruna'), debtor(D1, 10_000, 'Ana')],
      [payment('s1', 300, 'pending', 'd2')],
      [
        row({ mutation_id: 'x', payload: { amount: 2500 } }),
        row({ mutation_id: 'r', state: 'rejected' }),
      ],
    );
    expect(
      list.map((d) => [d.id, d.serverBalance, d.provisionalBalance, d.pending, d.rejected]),
    ).toEqual([
      [D1, 10_000, 7500, 1, 1],
      ['d2', 5000, 4700, 0, 0],
    ]);
  });

  test('an acked payment delivered back is no longer pending but still subtracted while unconfirmed', () => {
    const view = debtorView(
      debtor(D1, 10_000),
      [payment('p', 1000, 'pending')],
      [row({ mutation_id: 'p', state: 'acked' })],
    );
    expect([view.pending, view.provisionalBalance]).toEqual([0, 9000]);
  });

  test('pending field edits overlay the server fields in device order; rejected ones do not', () => {
    const data = overlayFields({ preferredChannel: 'sms', name: 'Ana' }, [
      row({
        type: 'debtor.field_updated',
        device_seq: 2,
        payload: { field: 'preferredChannel', new_value: 'email' },
      }),
      row({
        type: 'debtor.field_updated',
        device_seq: 1,
        payload: { field: 'preferredChannel', new_value: 'whatsapp' },
      }),
      row({
        type: 'debtor.field_updated',
        state: 'rejected',
        payload: { field: 'name', new_value: 'X' },
      }),
    ]);
    expect(data).toEqual({ preferredChannel: 'email', name: 'Ana' });
  });
});

describe('syncStatus', () => {
  test('counts what is left to push and lists rejects with reasons', () => {
    const status = syncStatus({
      outbox: [
        row({ state: 'pending', created_at_device: '2025-03-10T10:00:00Z' }),
        row({ state: 'sending', created_at_device: '2025-03-09T10:00:00Z' }),
        row({ state: 'acked' }),
        row({
          state: 'rejected',
          reason: 'invalid_payload: amount must be positive',
          mutation_id: 'bad',
        }),
      ],
      device: { last_push_ok_at: 'a', last_pull_ok_at: 'b', last_error: null },
      online: false,
      syncing: false,
    });
    expect(status).toMatchObject({
      online: false,
      pending: 2,
      oldestPendingAt: '2025-03-09T10:00:00Z',
      lastPushOkAt: 'a',
      lastPullOkAt: 'b',
      rejected: [{ mutation_id: 'bad', reason: 'invalid_payload: amount must be positive' }],
    });
  });
});
