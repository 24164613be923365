/**
 * Saving a fact into the outbox (./db.ts describes the tables). Apart from db.ts because of its
 * pure-TS SHA-256: the sync engine needs it, the collector's first screen (which only reads) does
 * not download it.
 */
import { payloadHash } from '#shared/sync/payload-hash';
import type { OutboxRow, QuitaDb } from './db';

/** A fact the UI saves: everything but the bookkeeping the outbox adds. */
export interface NewFact {
  mutation_id: string;
  type: string;
  type_version: number;
  debtor_id: string;
  base_version?: number;
  occurred_at: string;
  payload: unknown;
}

/**
 * Saves a fact: ONE rw transaction allocates `device_seq = next_seq++` and inserts the outbox
 * row, so either both are written or neither (no gap, no orphan). Errors are never swallowed:
 * the caller must show "not saved".
 */
export async function recordFact(
  db: QuitaDb,
  fact: NewFact,
  createdAtDevice: string,
): Promise<OutboxRow> {
  return db.transaction('rw', db.device, db.outbox, async () => {
    const device = await db.device.get('device');
    if (!device) throw new Error('device not initialised (ensureDevice first)');
    const envelope = {
      mutation_id: fact.mutation_id,
      device_id: device.device_id,
      device_seq: device.next_seq,
      type: fact.type,
      type_version: fact.type_version,
      debtor_id: fact.debtor_id,
      ...(fact.base_version === undefined ? {} : { base_version: fact.base_version }),
      occurred_at: fact.occurred_at,
      payload: fact.payload,
    };
    const row: OutboxRow = {
      ...envelope,
      state: 'pending',
      // Synchronous (pure-TS SHA-256), so it fits inside the IDB transaction with the seq.
      payload_hash: payloadHash(envelope),
      attempts: 0,
      created_at_device: createdAtDevice,
    };
    await db.outbox.add(row);
    await db.device.update('device', { next_seq: device.next_seq + 1 });
    return row;
  });
}
