/**
 * Applying one chunk of checked import rows: one transaction that reads what the chunk's rows name
 * (debtors by code and by CPF/CNPJ, their contact points, debts by code), decides each row
 * (create, update, attach, refuse), then writes the whole chunk set-based (write-chunk.ts: one
 * statement per table, the import state of every debt it met, the change feed last).
 *
 * Reading the file, checking rows and pipelining chunks is import-debtors.ts.
 */
import { uuidv7 } from 'uuidv7';
import { phoneMatchKeys } from '#shared/identity/phone';
import { whatsappFlag } from '#shared/identity/whatsapp';
import type { Tx } from '../db/db';
import { CURRENT_ORG_SQL } from '../db/org';
import type { ImportColumn, ImportRow, RowError } from './debtor-row';
import { emptyWrites, writeChunk } from './write-chunk';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** A checked row with the hash of its raw CSV fields (import-skip.ts `rowHash`). */
export type ChunkRow = ImportRow & { hash: string };

/** What the import knows about a debtor code met earlier in the file. */
export interface SeenDebtor {
  /** The debtor half of the first row with this code (debtor-row.ts `debtorFingerprint`). */
  fingerprint?: string;
  /**
   * When that first row was skipped unchanged (not checked), its raw fields: the fingerprint is
   * computed from them only if a later row of the same code needs the comparison.
   */
  skippedFields?: readonly string[];
  line: number;
  /** Set once the debtor is known to exist (or, in a dry run, would exist). */
  id?: string;
  /** The ids of the contact points the row stood for, once known. */
  contacts?: readonly string[];
}

/** A debtor a chunk created or found, and the contact points its row stood for. */
export interface Resolved {
  id: string;
  contacts: string[];
}

export interface BatchOutcome {
  debtors: ImportCounts;
  debts: ImportCounts;
  errors: RowError[];
  warnings: RowError[];
  /** external_id → every debtor this batch created or found. */
  resolved: Map<string, Resolved>;
  /** document → the debtor it belongs to, for every document this batch met. */
  documents: Map<string, SeenDocument>;
}

/** Who a CPF/CNPJ belongs to, once the import has met it. */
export interface SeenDocument {
  id: string;
  name: string;
  externalId: string | null;
}

interface StoredDebtor {
  id: string;
  external_id: string | null;
  kind: string;
  name: string;
  document: string | null;
  address_line: string | null;
  city: string | null;
  state: string | null;
  anonymised_at: Date | null;
  merged_into: string | null;
  survivor_name: string | null;
}

interface StoredDebt {
  id: string;
  external_id: string;
  debtor_id: string;
  description: string;
  principal_cents: number;
  due_on: string;
}

// Debtors and debts by code ($1: text[]). The organisation is named so the unique
// (org_id, external_id) indexes are descended, not walked whole, on a connection that skips the
// policy (PGlite's superuser; db/org.ts CURRENT_ORG_SQL). test/import-indexes.test.ts.
export const STORED_DEBTORS_SQL = `SELECT d.id, d.external_id, d.kind, d.name, d.document,
    d.address_line, d.city, d.state, d.anonymised_at, d.merged_into, m.name AS survivor_name
  FROM debtors d LEFT JOIN debtors m ON m.id = d.merged_into
  WHERE d.org_id = ${CURRENT_ORG_SQL} AND d.external_id = ANY($1::text[])`;
export const STORED_DEBTS_SQL = `SELECT id, external_id, debtor_id, description, principal_cents, due_on
  FROM debts WHERE org_id = ${CURRENT_ORG_SQL} AND external_id = ANY($1::text[])`;

function owned(owner: SeenDocument): string {
  return owner.externalId === null
    ? `"${owner.name}"`
    : `"${owner.name}" (código ${owner.externalId})`;
}

/**
 * Decides and (unless `dryRun`) writes one batch. It must not touch anything outside `tx`:
 * PostgreSQL may run it again after a serialisation failure, so what it learnt goes back in
 * the outcome and is applied by the caller after the commit.
 *
 * The duplicate rule (one CPF/CNPJ is one person): a row whose debtor code is new but whose
 * document already belongs to a debtor (stored, or met earlier in this file) is attached to that
 * debtor: its debts and contact points go there, the stored name is never overwritten, the code
 * is recorded on that debtor when it had none, and the report warns naming both names. A row
 * whose code belongs to one debtor and whose document to another is refused (which is right?).
 */
export async function applyChunk(
  tx: Tx,
  rows: readonly ChunkRow[],
  seen: ReadonlyMap<string, SeenDebtor>,
  seenDocuments: ReadonlyMap<string, SeenDocument>,
  dryRun: boolean,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = {
    debtors: { created: 0, updated: 0, unchanged: 0 },
    debts: { created: 0, updated: 0, unchanged: 0 },
    errors: [],
    warnings: [],
    resolved: new Map(),
    documents: new Map(),
  };
  const unknownDebtors = [
    ...new Set(rows.map((r) => r.debtor.externalId).filter((e) => seen.get(e)?.id === undefined)),
  ];
  const storedDebtors = new Map(
    (await tx.query<StoredDebtor>(STORED_DEBTORS_SQL, [unknownDebtors])).map((d) => [
      d.external_id ?? '',
      d,
    ]),
  );
  const unknownDocuments = [
    ...new Set(rows.map((r) => r.debtor.document).filter((d) => !seenDocuments.has(d))),
  ];
  const storedByDocument = new Map<string, SeenDocument>();
  for (const d of await tx.query<{
    id: string;
    name: string;
    external_id: string | null;
    document: string;
  }>(
    `SELECT id, name, external_id, document FROM debtors
     WHERE document = ANY($1::text[]) AND merged_into IS NULL AND anonymised_at IS NULL
     ORDER BY created_at, id`,
    [unknownDocuments],
  ))
    if (!storedByDocument.has(d.document))
      storedByDocument.set(d.document, { id: d.id, name: d.name, externalId: d.external_id });
  const targetIds = [
    ...[...storedDebtors.values()].map((d) => d.merged_into ?? d.id),
    ...[...storedByDocument.values()].map((d) => d.id),
  ];
  const knownContacts = new Map(
    (
      await tx.query<{ id: string; debtor_id: string; kind: string; value: string }>(
        'SELECT id, debtor_id, kind, value FROM contact_points WHERE debtor_id = ANY($1::uuid[])',
        [targetIds],
      )
    ).map((c) => [`${c.debtor_id} ${c.kind} ${c.value}`, c.id]),
  );
  const storedDebts = new Map(
    (await tx.query<StoredDebt>(STORED_DEBTS_SQL, [rows.map((r) => r.debt.externalId)])).map(
      (d) => [d.external_id, d],
    ),
  );

  const writes = emptyWrites();
  const { debtorInserts, debtorUpdates, debtorCodes, contactInserts, debtInserts, debtUpdates } =
    writes;
  const { states } = writes;
  const fail = (line: number, column: ImportColumn, message: string) =>
    outcome.errors.push({ line, column, message });
  const warn = (line: number, column: ImportColumn, message: string) =>
    outcome.warnings.push({ line, column, message });
  const ownerOf = (document: string) =>
    outcome.documents.get(document) ??
    seenDocuments.get(document) ??
    storedByDocument.get(document);

  for (const { line, debtor, debt, hash } of rows) {
    const earlier = seen.get(debtor.externalId);
    const resolvedHere = outcome.resolved.get(debtor.externalId);
    const known = earlier?.id ?? resolvedHere?.id;
    let contacts: readonly string[] = earlier?.contacts ?? resolvedHere?.contacts ?? [];
    const stored = known === undefined ? storedDebtors.get(debtor.externalId) : undefined;
    if (stored?.anonymised_at) {
      fail(
        line,
        'external_id',
        `o devedor "${debtor.externalId}" foi anonimizado (retenção da LGPD) e não é importado de novo`,
      );
      continue;
    }
    const documentOwner = ownerOf(debtor.document);
    // Where this row's facts go, and how the debtor half is handled.
    let mode: 'known' | 'update' | 'attach' | 'create';
    let target: string;
    if (known !== undefined) {
      mode = 'known';
      target = known;
    } else if (stored?.merged_into) {
      mode = 'attach';
      target = stored.merged_into;
    } else if (stored) {
      if (documentOwner && documentOwner.id !== stored.id) {
        fail(
          line,
          'document',
          `o CPF/CNPJ desta linha já é de ${owned(documentOwner)}, mas o código "${debtor.externalId}" é de "${stored.name}"; corrija a planilha ou una os dois cadastros`,
        );
        continue;
      }
      mode = 'update';
      target = stored.id;
    } else if (documentOwner) {
      mode = 'attach';
      target = documentOwner.id;
    } else {
      mode = 'create';
      target = uuidv7();
    }

    const storedDebt = storedDebts.get(debt.externalId);
    if (storedDebt && storedDebt.debtor_id !== target) {
      fail(line, 'debt_id', `o código da dívida "${debt.externalId}" já pertence a outro devedor`);
      continue;
    }

    if (mode !== 'known') {
      const fields = {
        external_id: debtor.externalId,
        kind: debtor.kind,
        name: debtor.name,
        document: debtor.document,
        address_line: debtor.addressLine,
        city: debtor.city,
        state: debtor.state,
      };
      let changed = false;
      if (mode === 'create') {
        changed = true;
        debtorInserts.push({ id: target, ...fields });
        outcome.documents.set(debtor.document, {
          id: target,
          name: debtor.name,
          externalId: debtor.externalId,
        });
      } else if (mode === 'update' && stored) {
        changed =
          stored.kind !== fields.kind ||
          stored.name !== fields.name ||
          stored.document !== fields.document ||
          stored.address_line !== fields.address_line ||
          stored.city !== fields.city ||
          stored.state !== fields.state;
        if (changed) debtorUpdates.push({ id: target, ...fields });
        outcome.documents.set(debtor.document, {
          id: target,
          name: debtor.name,
          externalId: debtor.externalId,
        });
      } else if (stored?.merged_into) {
        warn(
          line,
          'external_id',
          `o código "${debtor.externalId}" era de um cadastro unido a "${stored.survivor_name ?? ''}"; as dívidas e contatos desta linha ("${debtor.name}") foram para esse cadastro, sem mudar o nome`,
        );
      } else if (documentOwner) {
        warn(
          line,
          'document',
          `o CPF/CNPJ desta linha já é de ${owned(documentOwner)}; as dívidas e contatos desta linha ("${debtor.name}", código ${debtor.externalId}) foram anexados a esse cadastro, sem mudar o nome`,
        );
        if (documentOwner.externalId === null) {
          // The next import of this file then finds the debtor by its code.
          debtorCodes.push({ id: target, external_id: debtor.externalId });
          outcome.documents.set(debtor.document, {
            ...documentOwner,
            externalId: debtor.externalId,
          });
          changed = true;
        }
      }
      const points = [
        ...(debtor.phone === null
          ? []
          : [
              {
                kind: 'phone',
                value: debtor.phone,
                match_key: phoneMatchKeys(debtor.phone).at(-1) ?? debtor.phone,
                is_whatsapp: whatsappFlag(debtor.phone, debtor.whatsapp),
              },
            ]),
        ...(debtor.email === null
          ? []
          : [{ kind: 'email', value: debtor.email, match_key: debtor.email, is_whatsapp: false }]),
      ];
      let addedContact = false;
      const pointIds: string[] = [];
      for (const point of points) {
        const key = `${target} ${point.kind} ${point.value}`;
        const stored = knownContacts.get(key);
        if (stored !== undefined) {
          pointIds.push(stored);
          continue;
        }
        const id = uuidv7();
        knownContacts.set(key, id);
        contactInserts.push({ id, debtor_id: target, ...point });
        pointIds.push(id);
        addedContact = true;
      }
      contacts = pointIds;
      if (mode === 'create') outcome.debtors.created += 1;
      else if (changed || addedContact) outcome.debtors.updated += 1;
      else outcome.debtors.unchanged += 1;
      outcome.resolved.set(debtor.externalId, { id: target, contacts: pointIds });
    }

    const debtFields = {
      description: debt.description,
      principal_cents: debt.principalCents,
      due_on: debt.dueOn,
    };
    const debtId = storedDebt?.id ?? uuidv7();
    states.push({ debtId, hash, contacts });
    if (!storedDebt) {
      debtInserts.push({
        id: debtId,
        debtor_id: target,
        external_id: debt.externalId,
        ...debtFields,
      });
      outcome.debts.created += 1;
    } else if (
      storedDebt.description !== debtFields.description ||
      storedDebt.principal_cents !== debtFields.principal_cents ||
      storedDebt.due_on !== debtFields.due_on
    ) {
      debtUpdates.push({ id: storedDebt.id, ...debtFields });
      outcome.debts.updated += 1;
    } else outcome.debts.unchanged += 1;
  }

  if (dryRun) return outcome;
  await writeChunk(tx, writes);
  return outcome;
}
