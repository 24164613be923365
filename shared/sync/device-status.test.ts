/** The `seq_lost` reason of the owner's traffic light (re-base after a server restore); clock words. */
import { describe, expect, test } from 'vitest';
import {
  clockOffsetWords,
  type DeviceHealthRow,
  deviceStatus,
  SEQ_LOSS_VISIBLE_MS,
} from './device-status';

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

describe('deviceStatus: sequence lost in a server restore', () => {
  test.each<[string, Partial<DeviceHealthRow>, 'green' | 'amber' | 'red', string[], string[]]>([
    ['no loss recorded', {}, 'green', [], []],
    ['empty list', { seqLosses: [] }, 'green', [], []],
    [
      'range detected an hour ago',
      { seqLosses: [{ fromSeq: 6, toSeq: 10, detectedAt: NOW - H }] },
      'red',
      ['seq_lost'],
      ['nº 6 a 10'],
    ],
    [
      'single seq',
      { seqLosses: [{ fromSeq: 51, toSeq: 51, detectedAt: NOW - H }] },
      'red',
      ['seq_lost'],
      ['nº 51'],
    ],
    [
      'exactly at the edge of the window',
      { seqLosses: [{ fromSeq: 6, toSeq: 10, detectedAt: NOW - SEQ_LOSS_VISIBLE_MS }] },
      'red',
      ['seq_lost'],
      ['nº 6 a 10'],
    ],
    [
      'older than the window',
      { seqLosses: [{ fromSeq: 6, toSeq: 10, detectedAt: NOW - SEQ_LOSS_VISIBLE_MS - 1 }] },
      'green',
      [],
      [],
    ],
    [
      'two losses, one expired: only the recent one is named',
      {
        seqLosses: [
          { fromSeq: 2, toSeq: 3, detectedAt: NOW - 8 * 24 * H },
          { fromSeq: 51, toSeq: 79, detectedAt: NOW - 2 * H },
        ],
      },
      'red',
      ['seq_lost'],
      ['nº 51 a 79'],
    ],
    [
      'two recent losses are both named, with the other reasons kept',
      {
        outboxRejected: 1,
        seqLosses: [
          { fromSeq: 2, toSeq: 3, detectedAt: NOW - 3 * 24 * H },
          { fromSeq: 51, toSeq: 79, detectedAt: NOW - 2 * H },
        ],
      },
      'red',
      ['seq_lost', 'rejected_mutations'],
      ['nº 2 a 3', 'nº 51 a 79'],
    ],
  ])('%s', (_name, patch, level, codes, ranges) => {
    const status = deviceStatus({ ...healthy, ...patch }, NOW, { currentSchemaVersion: 3 });
    expect(status.level).toBe(level);
    expect(status.reasons.map((r) => r.code)).toEqual(codes);
    const message = status.reasons.find((r) => r.code === 'seq_lost')?.message ?? '';
    for (const range of ranges) expect(message).toContain(range);
    // A range that expired is never named.
    if (ranges.length === 1 && patch.seqLosses && patch.seqLosses.length > 1)
      expect(message).not.toContain('nº 2 a 3');
  });
});

describe('clockOffsetWords: one way to say how wrong a phone clock is', () => {
  test.each([
    [0, 'certo'],
    [-4_000, 'certo'],
    [-20_341, '20 s adiantado'],
    [20_341, '20 s atrasado'],
    [339_000, '5 min 39 s atrasado'],
    [-20_340_000, '5 h 39 min adiantado'],
    [-(339 * 60_000), '5 h 39 min adiantado'],
    [3_600_000, '1 h atrasado'],
    [86_400_000 + 3 * 3_600_000, '1 dia e 3 h atrasado'],
    [-2 * 86_400_000, '2 dias adiantado'],
  ])('%i ms → %s', (ms, words) => {
    expect(clockOffsetWords(ms)).toBe(words);
  });

  test("the owner's reason says it in the same words", () => {
    const reasons = deviceStatus({ ...healthy, clockOffsetMs: -(339 * 60_000) }, NOW, {
      currentSchemaVersion: 3,
    }).reasons;
    expect(reasons.find((r) => r.code === 'clock_offset')?.message).toBe(
      'O relógio do aparelho está 5 h 39 min adiantado.',
    );
  });
});
