import { describe, expect, test } from 'vitest';
import { payloadHash } from '#shared/sync/payload-hash';
import { payloadHashNative } from './payload-hash-native';

const base = {
  mutation_id: '0190f3a2-0000-7000-8000-000000000001',
  device_id: '0190f3a2-0000-7000-8000-0000000000d1',
  device_seq: 7,
  type: 'payment.recorded',
  type_version: 1,
  debtor_id: '0190f3a2-0000-7000-8000-0000000000a1',
  occurred_at: '2025-03-10T09:00:00.000-03:00',
};

describe('payloadHashNative equals the shared payloadHash', () => {
  test.each([
    ['ASCII', { outcome: 'not_home', notes: 'gate closed' }],
    ['accents (2-byte UTF-8)', { notes: 'João não estava; pagará amanhã às 9h' }],
    ['3-byte UTF-8 (€, ‰)', { notes: '€ 10 ‰ 5' }],
    ['emoji (surrogate pair, 4-byte UTF-8)', { notes: 'ok 👍🏽 pago' }],
    ['lone high surrogate', { notes: 'a\ud800b' }],
    ['lone low surrogate at the end', { notes: 'fim\udc00' }],
    ['nested, numbers, null, arrays', { amount: 12345, list: [1, 'dois', null, { b: 2, a: 1 }] }],
    ['empty payload', {}],
    ['long text (several SHA-256 blocks)', { notes: 'x'.repeat(5_000) }],
  ])('%s', (_name, payload) => {
    const mutation = { ...base, payload, transport_only: 'ignored' };
    expect(payloadHashNative(mutation)).toBe(payloadHash(mutation));
  });

  test('another payload gives another hash', () => {
    expect(payloadHashNative({ ...base, payload: { a: 1 } })).not.toBe(
      payloadHashNative({ ...base, payload: { a: 2 } }),
    );
  });
});
