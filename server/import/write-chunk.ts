/**
 * Writing one decided import chunk (apply-chunk.ts decides it): one statement per table and kind
 * of write (bulk-write.ts), the contact points' match keys, each debt's import state
 * (import-skip.ts), and the chunk's feed rows last.
 */
import { phoneMatchKeys } from '#shared/identity/phone';
import type { Row, Tx } from '../db/db';
import { deferChanges, flushChanges } from '../db/write';
import { insertEntities, updateEntities, type ColumnTypes } from './bulk-write';
import { writeImportState, type ImportStateRow } from './import-skip';

/** Everything one chunk writes, by table and kind of write. */
export interface ChunkWrites {
  debtorInserts: Row[];
  debtorUpdates: Row[];
  /** Debtors without a code that a row attached to by CPF/CNPJ: the row's code is recorded. */
  debtorCodes: Row[];
  contactInserts: Row[];
  debtInserts: Row[];
  debtUpdates: Row[];
  states: ImportStateRow[];
}

export function emptyWrites(): ChunkWrites {
  return {
    debtorInserts: [],
    debtorUpdates: [],
    debtorCodes: [],
    contactInserts: [],
    debtInserts: [],
    debtUpdates: [],
    states: [],
  };
}

const DEBTOR_TYPES: ColumnTypes = {
  id: 'uuid',
  external_id: 'text',
  kind: 'text',
  name: 'text',
  document: 'text',
  address_line: 'text',
  city: 'text',
  state: 'text',
};
const DEBTOR_UPDATE_TYPES: ColumnTypes = { ...DEBTOR_TYPES };
const DEBTOR_CODE_TYPES: ColumnTypes = { id: 'uuid', external_id: 'text' };
const CONTACT_POINT_TYPES: ColumnTypes = {
  id: 'uuid',
  debtor_id: 'uuid',
  kind: 'text',
  value: 'text',
  match_key: 'text',
  is_whatsapp: 'boolean',
};
const DEBT_TYPES: ColumnTypes = {
  id: 'uuid',
  debtor_id: 'uuid',
  external_id: 'text',
  description: 'text',
  principal_cents: 'bigint',
  due_on: 'date',
};
const DEBT_UPDATE_TYPES: ColumnTypes = {
  id: 'uuid',
  description: 'text',
  principal_cents: 'bigint',
  due_on: 'date',
};

export async function writeChunk(tx: Tx, writes: ChunkWrites): Promise<void> {
  const { debtorInserts, debtorUpdates, debtorCodes, contactInserts, debtInserts, debtUpdates } =
    writes;
  // The chunk's feed rows are written last, numbered under the feed lock (write.ts flushChanges).
  deferChanges(tx);
  // Debtors created by this chunk get no feed rows, nor do their contact points and debts written
  // with them (bulk-write.ts insertEntities): nobody can read them before an assignment, which
  // sends the debtor whole. A debt added later to a debtor of an earlier chunk gets its row.
  const unreadDebtors = new Set(debtorInserts.map((d) => String(d['id'])));
  await insertEntities(tx, 'debtor', DEBTOR_TYPES, debtorInserts, { unreadDebtors });
  await updateEntities(tx, 'debtor', DEBTOR_UPDATE_TYPES, debtorUpdates);
  await updateEntities(tx, 'debtor', DEBTOR_CODE_TYPES, debtorCodes);
  await insertEntities(tx, 'contact_point', CONTACT_POINT_TYPES, contactInserts, {
    unreadDebtors,
  });
  await insertContactKeys(tx, contactInserts);
  await insertEntities(tx, 'debt', DEBT_TYPES, debtInserts, { unreadDebtors });
  await updateEntities(tx, 'debt', DEBT_UPDATE_TYPES, debtUpdates);
  // After every write of the chunk, so the versions it records are the ones the chunk left.
  await writeImportState(tx, writes.states);
  await flushChanges(tx, { numbered: true });
}

/** The lookup keys of new contact points (contact_point_keys, migration 0010), as the ledger writes them. */
async function insertContactKeys(tx: Tx, points: readonly Row[]): Promise<void> {
  const keys = points.flatMap((p) => {
    const value = String(p['value']);
    const all = p['kind'] === 'phone' ? phoneMatchKeys(value) : [value];
    return all.map((key) => ({
      id: String(p['id']),
      debtor: String(p['debtor_id']),
      kind: String(p['kind']),
      key,
    }));
  });
  if (keys.length === 0) return;
  await tx.query(
    `INSERT INTO contact_point_keys (contact_point_id, debtor_id, kind, key)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])`,
    [
      keys.map((k) => k.id),
      keys.map((k) => k.debtor),
      keys.map((k) => k.kind),
      keys.map((k) => k.key),
    ],
  );
}
