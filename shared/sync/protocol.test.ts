import * as v from 'valibot';
import { describe, expect, test } from 'vitest';
import { type DeviceHealthRow, deviceStatus } from './device-status';
import { canonicalJson, payloadHash, sha256Hex } from './payload-hash';
import { MutationSchema } from './envelope.schema';
import { parseMutationPayload } from './facts.schema';
import { PushRequestSchema } from './push.schema';
import { PullQuerySchema } from './pull.schema';
import { decodeCursor, encodeCursor } from './cursor';

const M = {
  mutation_id: '01890a5d-ac96-774b-bcce-b302099a8057',
  device_id: '6f1c2b1e-9a0b-4c5d-8e7f-001122334455',
  device_seq: 1,
  type: 'visit.recorded',
  type_version: 1,
  debtor_id: '01890a5d-ac96-774b-bcce-b302099a8000',
  occurred_at: '2026-03-10T09:05:00.000-03:00',
  payload: { outcome: 'not_home', notes: 'portão fechado' },
};

describe('sha256Hex', () => {
  test.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('%j', (input, hex) => {
    expect(sha256Hex(input)).toBe(hex);
  });
  test('UTF-8 (accents, astral emoji) is hashed as bytes', () => {
    expect(sha256Hex('cobrança 💸 ção')).toBe(
      'bb150c3a84e0f52e2e7612aee2e3c946cedef15666e91bceeb7fbfa21a4eb5c3',
    );
  });
  test('a 1000-byte message spans several blocks', () => {
    expect(sha256Hex('a'.repeat(1000))).toBe(
      '41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3',
    );
  });
});

describe('payloadHash', () => {
  test('key order does not matter; content does', () => {
    const { mutation_id, ...rest } = M;
    const reordered = {
      ...rest,
      payload: { notes: 'portão fechado', outcome: 'not_home' },
      mutation_id,
    };
    expect(payloadHash(reordered)).toBe(payloadHash(M));
    expect(payloadHash({ ...M, payload: { outcome: 'refused' } })).not.toBe(payloadHash(M));
    expect(payloadHash({ ...M, device_seq: 2 })).not.toBe(payloadHash(M));
  });
  test('transport fields and undefined members are ignored', () => {
    expect(payloadHash({ ...M, state: 'sending', base_version: undefined })).toBe(payloadHash(M));
  });
  test('canonicalJson sorts nested keys', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });
});

describe('cursor', () => {
  test('round trips', () => {
    for (const c of [
      { epoch: 1, seq: 0 },
      { epoch: 3, seq: 123456789 },
      { epoch: 2, seq: 10, after: '01890a5d-ac96-774b-bcce-b302099a8000' },
    ])
      expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });
  test.each(['', 'abc', 'c1.1', 'c1.x.2', 'c2.1.2', 'c1.1.2.nope'])('rejects %j', (text) => {
    expect(decodeCursor(text)).toBeNull();
  });
});

describe('mutations', () => {
  test('envelope parses; unknown types still parse (they are deferred, not rejected)', () => {
    expect(v.safeParse(MutationSchema, M).success).toBe(true);
    expect(v.safeParse(MutationSchema, { ...M, type: 'visit.photographed' }).success).toBe(true);
    expect(v.safeParse(MutationSchema, { ...M, mutation_id: crypto.randomUUID() }).success).toBe(
      false,
    );
    expect(v.safeParse(MutationSchema, { ...M, occurred_at: '2026-03-10T09:05:00' }).success).toBe(
      false,
    );
  });
  test.each([
    [{ type: 'visit.recorded', type_version: 1, payload: { outcome: 'paid' } }, 'ok'],
    [{ type: 'visit.recorded', type_version: 2, payload: { outcome: 'paid' } }, 'unknown'],
    [{ type: 'visit.teleported', type_version: 1, payload: {} }, 'unknown'],
    [{ type: 'visit.recorded', type_version: 1, payload: { outcome: 'sleeping' } }, 'invalid'],
    [
      {
        type: 'payment.recorded',
        type_version: 1,
        payload: {
          debtId: M.debtor_id,
          date: '2026-03-10',
          amount: 5000,
          method: 'cash',
          receiptNumber: 'R-1',
        },
      },
      'ok',
    ],
    [
      {
        type: 'payment.recorded',
        type_version: 1,
        payload: {
          debtId: M.debtor_id,
          date: '2026-03-10',
          amount: -1,
          method: 'cash',
          receiptNumber: 'R-1',
        },
      },
      'invalid',
    ],
    [
      {
        type: 'payment.recorded',
        type_version: 1,
        payload: {
          debtId: M.debtor_id,
          date: '2026-03-10',
          amount: 100,
          method: 'boleto',
          receiptNumber: 'R-1',
        },
      },
      'invalid',
    ],
    [
      {
        type: 'debtor.field_updated',
        type_version: 1,
        base_version: 3,
        payload: { field: 'preferredChannel', new_value: 'whatsapp' },
      },
      'ok',
    ],
    [
      {
        type: 'debtor.field_updated',
        type_version: 1,
        payload: { field: 'preferredChannel', new_value: 'whatsapp' },
      },
      'invalid',
    ],
    [
      {
        type: 'debtor.field_updated',
        type_version: 1,
        base_version: 3,
        payload: { field: 'name', new_value: 'Outro Nome' },
      },
      'invalid',
    ],
    [
      {
        type: 'promise.cancelled',
        type_version: 1,
        payload: { promiseId: M.debtor_id, reason: 'pagou' },
      },
      'ok',
    ],
  ])('%j → %s', (m, kind) => {
    expect(parseMutationPayload(m).kind).toBe(kind);
  });
  test('an invalid payload names the field', () => {
    const r = parseMutationPayload({
      type: 'visit.recorded',
      type_version: 1,
      payload: { outcome: 'x' },
    });
    expect(r).toMatchObject({ kind: 'invalid', field: 'payload.outcome' });
  });
  test('messages are pt-BR and leave the field name to the path', () => {
    const first = (m: Parameters<typeof parseMutationPayload>[0]) => {
      const r = parseMutationPayload(m);
      return r.kind === 'invalid' ? `${r.field}: ${r.message}` : r.kind;
    };
    expect(
      first({
        type: 'promise.cancelled',
        type_version: 1,
        payload: { promiseId: M.debtor_id, reason: '  ' },
      }),
    ).toBe('payload.reason: informe o motivo');
    expect(
      first({
        type: 'visit.recorded',
        type_version: 1,
        payload: { outcome: 'not_home', notes: 'x'.repeat(2001) },
      }),
    ).toBe('payload.notes: a observação deve ter no máximo 2000 caracteres');
    expect(
      first({
        type: 'payment.recorded',
        type_version: 1,
        payload: {
          debtId: M.debtor_id,
          date: '2026-03-10',
          amount: 0,
          method: 'cash',
          receiptNumber: 'R-1',
        },
      }),
    ).toBe('payload.amount: o valor deve ser maior que zero');
    expect(
      first({ type: 'debtor.field_updated', type_version: 1, payload: { field: 'geoPin' } }),
    ).toBe('base_version: informe a versão de base para corrigir um campo');
    const envelope = v.safeParse(MutationSchema, { ...M, mutation_id: 'x', device_seq: 0 });
    expect(envelope.issues?.map((i) => [v.getDotPath(i), i.message])).toEqual([
      ['mutation_id', 'o id da mutação deve ser um UUIDv7'],
      ['device_seq', 'a sequência do aparelho começa em 1'],
    ]);
    const query = v.safeParse(PullQuerySchema, { limit: '0' });
    expect(query.issues?.[0]?.message).toBe('o limite deve ser um número inteiro de 1 a 1000');
  });
  test('contact.logged: the four link channels, outcome opened, step and template optional', () => {
    const parse = (payload: unknown) =>
      parseMutationPayload({ type: 'contact.logged', type_version: 1, payload });
    expect(parse({ channel: 'phone', outcome: 'opened' })).toEqual({
      kind: 'ok',
      value: {
        type: 'contact.logged',
        payload: { channel: 'phone', outcome: 'opened', privacySafe: false },
      },
    });
    expect(
      parse({ channel: 'sms', outcome: 'opened', stepId: 'd0', templateId: 'privacy.sms' }).kind,
    ).toBe('ok');
    expect(parse({ channel: 'visit', outcome: 'opened' })).toMatchObject({
      kind: 'invalid',
      field: 'payload.channel',
    });
    expect(parse({ channel: 'sms', outcome: 'sent' })).toMatchObject({
      kind: 'invalid',
      field: 'payload.outcome',
    });
    expect(parse({ channel: 'sms' })).toMatchObject({
      kind: 'invalid',
      field: 'payload.outcome',
      message: 'campo obrigatório',
    });
  });
  test('push request keeps raw mutations (each is validated alone)', () => {
    const health = {
      app_version: '1.0.0',
      schema_version: 1,
      outbox_pending: 0,
      outbox_oldest_pending_at: null,
      outbox_rejected: 0,
      persisted: true,
      storage_usage: 1,
      storage_quota: 10,
      installed: true,
      last_error: null,
      user_agent: 'test',
    };
    const r = v.safeParse(PushRequestSchema, {
      protocol: 1,
      device_id: M.device_id,
      app_version: '1.0.0',
      schema_version: 1,
      device_now: '2026-03-10T09:05:00Z',
      health,
      mutations: [M, { garbage: true }],
    });
    expect(r.success).toBe(true);
  });
});

const H = 3_600_000;
const NOW = Date.UTC(2026, 2, 10, 12);
const healthy: DeviceHealthRow = {
  lastSeenAt: NOW - H,
  lastPullOkAt: NOW - H,
  outboxPending: 0,
  outboxOldestPendingAt: null,
  outboxRejected: 0,
  persisted: true,
  storageUsage: 10,
  storageQuota: 100,
  installed: true,
  schemaVersion: 3,
  clockOffsetMs: 1000,
  replacedWithPending: false,
};

describe('deviceStatus', () => {
  test.each<[string, Partial<DeviceHealthRow>, 'green' | 'amber' | 'red', string[]]>([
    ['healthy', {}, 'green', []],
    ['never seen', { lastSeenAt: null, lastPullOkAt: null }, 'amber', ['never_seen']],
    [
      'silent 30 h, empty outbox',
      { lastSeenAt: NOW - 30 * H, lastPullOkAt: NOW - 30 * H },
      'amber',
      ['not_seen_recently', 'no_recent_pull'],
    ],
    [
      'pending 5 h',
      { outboxPending: 2, outboxOldestPendingAt: NOW - 5 * H },
      'amber',
      ['outbox_stuck'],
    ],
    ['pending 1 h is fine', { outboxPending: 2, outboxOldestPendingAt: NOW - H }, 'green', []],
    ['no pull for 25 h', { lastPullOkAt: NOW - 25 * H }, 'amber', ['no_recent_pull']],
    ['not persisted', { persisted: false }, 'amber', ['not_persisted']],
    ['persisted unknown is not flagged', { persisted: null }, 'green', []],
    ['not installed', { installed: false }, 'amber', ['not_installed']],
    ['schema N−1 is fine', { schemaVersion: 2 }, 'green', []],
    ['schema N−2', { schemaVersion: 1 }, 'amber', ['old_app']],
    ['rejects', { outboxRejected: 1 }, 'red', ['rejected_mutations']],
    ['clock +6 min', { clockOffsetMs: 6 * 60_000 }, 'red', ['clock_offset']],
    ['clock −2 h', { clockOffsetMs: -2 * H }, 'red', ['clock_offset']],
    ['clock 4 min is fine', { clockOffsetMs: 4 * 60_000 }, 'green', []],
    ['storage 81%', { storageUsage: 81, storageQuota: 100 }, 'red', ['storage_pressure']],
    ['storage 80% is fine', { storageUsage: 80, storageQuota: 100 }, 'green', []],
    ['ran out of space writing', { storageFull: true }, 'red', ['storage_full']],
    ['not full', { storageFull: false }, 'green', []],
    [
      'full while the estimate still says 50%',
      { storageFull: true, storageUsage: 50, storageQuota: 100 },
      'red',
      ['storage_full'],
    ],
    [
      'silent 4 days with pending',
      {
        lastSeenAt: NOW - 96 * H,
        lastPullOkAt: NOW - 96 * H,
        outboxPending: 1,
        outboxOldestPendingAt: NOW - 97 * H,
      },
      'red',
      ['silent_with_pending', 'outbox_stuck', 'no_recent_pull'],
    ],
    ['replaced with pending', { replacedWithPending: true }, 'red', ['replaced_with_pending']],
  ])('%s', (_name, patch, level, codes) => {
    const status = deviceStatus({ ...healthy, ...patch }, NOW, { currentSchemaVersion: 3 });
    expect(status.level).toBe(level);
    expect(status.reasons.map((r) => r.code)).toEqual(codes);
  });
});
