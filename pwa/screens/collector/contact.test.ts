import { beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CADENCE_POLICY } from '#shared/cadence/cadence.schema';
import type { OutboxRow, SrvFact } from '../../db/db';
import { mergeTimeline } from '../../models/merge';
import { loadMessages } from '../../i18n/messages';
import { contactHistory, contactProfile, guard, whenText } from './contact';

beforeAll(() => loadMessages('field'));

const D = 'debtor-1';
// Monday 2025-03-10, 10:00 in São Paulo (13:00Z): inside the default window.
const NOW = Date.parse('2025-03-10T13:00:00Z');
const DEBTOR = { id: D, doNotContact: false, address: { state: 'SP' } };

const contact = (id: string, at: string, extra: Record<string, unknown> = {}): SrvFact => ({
  id,
  debtor_id: D,
  type: 'contact',
  version: 1,
  data: {
    id,
    debtorId: D,
    channel: 'whatsapp',
    direction: 'outbound',
    automated: false,
    status: 'sent',
    occurredAt: at,
    version: 1,
    ...extra,
  },
});
const serverVisit = (id: string, at: string): SrvFact => ({
  id,
  debtor_id: D,
  type: 'visit',
  version: 1,
  data: { id, debtorId: D, visitedAt: at, outcome: 'not_home', version: 1 },
});
const outboxVisit = (id: string, at: string, state: OutboxRow['state']): OutboxRow => ({
  mutation_id: id,
  device_id: 'dev',
  device_seq: 1,
  state,
  type: 'visit.recorded',
  type_version: 1,
  debtor_id: D,
  occurred_at: at,
  payload: { outcome: 'not_home' },
  payload_hash: 'h',
  attempts: 0,
  created_at_device: at,
});

const why = (facts: SrvFact[], outbox: OutboxRow[] = [], settings = null as never) =>
  guard(
    DEBTOR,
    contactHistory(mergeTimeline(facts, outbox)),
    'whatsapp',
    DEFAULT_CADENCE_POLICY,
    settings,
    NOW,
  );

describe('the phone counts contacts as the server does', () => {
  test('a WhatsApp the office sent this morning blocks another contact today', () => {
    expect(why([])).toBeNull();
    // …and says when contact opens again: the next working morning, in the debtor's zone.
    expect(why([contact('k1', '2025-03-10T11:30:00.000Z')])).toBe(
      'Este cliente já recebeu um contato hoje. Permitido a partir de amanhã às 08:00.',
    );
  });

  test('inbound, queued, failed and letter contacts do not count; yesterday only counts weekly', () => {
    expect(
      why([
        contact('k1', '2025-03-10T11:30:00.000Z', { direction: 'inbound', status: 'received' }),
        contact('k2', '2025-03-10T11:31:00.000Z', { status: 'failed' }),
        contact('k3', '2025-03-10T11:32:00.000Z', { status: 'queued' }),
        contact('k4', '2025-03-10T11:33:00.000Z', { channel: 'letter' }),
      ]),
    ).toBeNull();
    // One contact yesterday and one three days ago: the 7-day budget (2) is spent.
    expect(why([contact('k5', '2025-03-09T15:00:00.000Z')])).toBeNull();
    expect(
      why([contact('k5', '2025-03-09T15:00:00.000Z'), contact('k6', '2025-03-07T15:00:00.000Z')]),
    ).toMatch(
      /^Este cliente já atingiu o limite de contatos dos últimos 7 dias\. Permitido a partir de /,
    );
  });

  test('a visit counts once: pending, acked, and after the pull delivers its server copy', () => {
    const at = '2025-03-07T09:00:00-03:00';
    const office = contact('k1', '2025-03-09T15:00:00.000Z');
    for (const [facts, outbox] of [
      [[office], [outboxVisit('v1', at, 'pending')]],
      [[office], [outboxVisit('v1', at, 'acked')]],
      // Ack delivered but the outbox row not yet cleaned up: both copies, one event id.
      [[office, serverVisit('v1', at)], [outboxVisit('v1', at, 'acked')]],
      [[office, serverVisit('v1', at)], []],
    ] as const) {
      const history = contactHistory(mergeTimeline(facts, outbox));
      expect(history.filter((e) => e.channel === 'visit')).toHaveLength(1);
      expect(why([...facts], [...outbox])).toMatch(/7 dias/);
    }
    // A visit the server refused never happened as far as the budget goes.
    expect(why([office], [outboxVisit('v1', at, 'rejected')])).toBeNull();
  });

  test('holidays and the organisation state come from the pulled settings', () => {
    const settings = {
      organisation: { state: 'RJ' },
      holidays: { extra: [{ date: '2025-03-10', name: 'Aniversário da cidade' }] },
    };
    expect(why([], [], settings as never)).toBe(
      'Não fazemos contato de cobrança em feriados. Permitido a partir de amanhã às 08:00.',
    );
    expect(contactProfile({ id: D }, settings).state).toBe('RJ');
    // The debtor's own state (sent by the server) wins, even over the address.
    expect(contactProfile({ id: D, state: 'BA', address: { state: 'SP' } }, settings).state).toBe(
      'BA',
    );
    expect(contactProfile({ id: D, state: null, address: { state: 'SP' } }, settings).state).toBe(
      'RJ',
    );
  });

  test('a channel the debtor opted out of is refused', () => {
    expect(
      guard(
        { ...DEBTOR, blockedChannels: ['whatsapp'] },
        [],
        'whatsapp',
        DEFAULT_CADENCE_POLICY,
        null,
        NOW,
      ),
    ).toBe('Este cliente pediu para não ser contatado por este canal.');
  });

  test('when a blocked contact opens, in words and in the zone of the window', () => {
    const zone = 'America/Sao_Paulo';
    // Monday 10:00 in São Paulo.
    expect(whenText(Date.parse('2025-03-10T17:00:00Z'), NOW, zone)).toBe('hoje às 14:00');
    expect(whenText(Date.parse('2025-03-11T11:00:00Z'), NOW, zone)).toBe('amanhã às 08:00');
    expect(whenText(Date.parse('2025-03-15T11:00:00Z'), NOW, zone)).toBe('sáb., 15/03 às 08:00');
  });
});
