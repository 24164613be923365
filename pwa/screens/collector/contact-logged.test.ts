import { recordFact } from '../../db/record-fact';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { uuidv7 } from 'uuidv7';
import { beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CADENCE_POLICY } from '#shared/cadence/cadence.schema';
import { parseMutationPayload } from '#shared/sync/facts.schema';
import { ensureDevice, openDb, type OutboxRow, type SrvFact } from '../../db/db';
import { mergeTimeline } from '../../models/merge';
import { loadMessages } from '../../i18n/messages';
import { contactHistory, guard, openLoggedContact, type Message } from './contact';

beforeAll(() => loadMessages('field'));

const D = 'debtor-1';
const DEBTOR = { id: D, doNotContact: false, address: { state: 'SP' } };
// Monday 2025-03-10, 10:00 in São Paulo: inside the default window.
const NOW = Date.parse('2025-03-10T13:00:00Z');
const TAPPED_AT = '2025-03-10T09:30:00-03:00';

const logged = (state: OutboxRow['state']): OutboxRow => ({
  mutation_id: 'm1',
  device_id: 'dev',
  device_seq: 1,
  state,
  type: 'contact.logged',
  type_version: 1,
  debtor_id: D,
  occurred_at: TAPPED_AT,
  payload: { channel: 'whatsapp', outcome: 'opened' },
  payload_hash: 'h',
  attempts: 0,
  created_at_device: TAPPED_AT,
});
/** What the pull delivers for it: the server's contact row under the same id. */
const pulled: SrvFact = {
  id: 'm1',
  debtor_id: D,
  type: 'contact',
  version: 1,
  data: {
    id: 'm1',
    debtorId: D,
    channel: 'whatsapp',
    direction: 'outbound',
    automated: false,
    status: 'sent',
    occurredAt: '2025-03-10T12:30:00.000Z',
    version: 1,
  },
};

const why = (facts: SrvFact[], outbox: OutboxRow[], now = NOW) =>
  guard(
    DEBTOR,
    contactHistory(mergeTimeline(facts, outbox)),
    'sms',
    DEFAULT_CADENCE_POLICY,
    null,
    now,
  );

describe('a contact link the collector opened counts in the budget', () => {
  test('once: pending, sending, acked, both copies after the pull, and the server copy alone', () => {
    const stages: [SrvFact[], OutboxRow[]][] = [
      [[], [logged('pending')]],
      [[], [logged('sending')]],
      [[], [logged('acked')]],
      [[pulled], [logged('acked')]],
      [[pulled], []],
    ];
    for (const [facts, outbox] of stages) {
      expect(contactHistory(mergeTimeline(facts, outbox))).toHaveLength(1);
      // Another channel, same day: the one daily contact is spent.
      expect(why(facts, outbox)).toBe(
        'Este cliente já recebeu um contato hoje. Permitido a partir de amanhã às 08:00.',
      );
      // Next day: counted once, the 7-day budget (2) still has room; counted twice it would not.
      expect(why(facts, outbox, NOW + 86_400_000)).toBeNull();
    }
    // A refused fact is not a contact.
    expect(why([], [logged('rejected')])).toBeNull();
  });

  test('the tap is saved in the outbox before the link opens; a failed save opens nothing', async () => {
    const opened = await openDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    if (!opened.ok) throw new Error(opened.failure.message);
    const db = opened.db;
    await ensureDevice(db, { collectorId: 'c', newId: () => crypto.randomUUID() });
    const message: Message = {
      ok: true,
      text: 'Olá',
      templateId: 'd+1.whatsapp',
      privacySafe: false,
      stepId: 'd+1',
    };
    const seen: { href: string; rows: OutboxRow[] }[] = [];
    const error = await openLoggedContact(
      (input) =>
        recordFact(
          db,
          {
            mutation_id: uuidv7(),
            type: input.type,
            type_version: 1,
            debtor_id: input.debtorId,
            occurred_at: TAPPED_AT,
            payload: input.payload,
          },
          TAPPED_AT,
        ),
      (href) => void db.outbox.toArray().then((rows) => seen.push({ href, rows })),
      {
        debtorId: D,
        channel: 'whatsapp',
        href: 'https://wa.me/5511987654321?text=Ol%C3%A1',
        message,
      },
    );
    expect(error).toBeNull();
    await db.outbox.count();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.href).toBe('https://wa.me/5511987654321?text=Ol%C3%A1');
    const [row] = seen[0]?.rows ?? [];
    expect(row).toMatchObject({ type: 'contact.logged', state: 'pending', debtor_id: D });
    // What the phone saved is exactly what the server will accept.
    expect(row?.payload).toEqual({
      channel: 'whatsapp',
      outcome: 'opened',
      stepId: 'd+1',
      templateId: 'd+1.whatsapp',
      privacySafe: false,
    });
    expect(
      parseMutationPayload({ type: 'contact.logged', type_version: 1, payload: row?.payload }),
    ).toMatchObject({ kind: 'ok' });

    const navigated: string[] = [];
    const failed = await openLoggedContact(
      () => Promise.reject(new Error('QuotaExceededError')),
      (href) => navigated.push(href),
      { debtorId: D, channel: 'phone', href: 'tel:11987654321' },
    );
    expect(failed).toBe('QuotaExceededError');
    expect(navigated).toEqual([]);
    db.close();
  });
});
