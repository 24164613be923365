/**
 * The debtor import shared by `POST /api/import/debtors`, `quita import debtors` and `quita demo`.
 *
 * Flow: bytes are decoded and split into records as they arrive (csv-records.ts); the header is
 * checked before anything else (a missing column refuses the whole file); each row is checked in
 * full (debtor-row.ts) and against the rows before it in the file; valid rows are written in
 * batches, one transaction per batch, through the batched write helpers so the change feed sees
 * every row. A row is either written whole or reported; a batch the database refuses (a
 * constraint we did not foresee) is retried row by row so only the offending row is lost.
 *
 * Idempotency: debtors are keyed by `external_id`, debts by `debt_id`. A row identical to what is
 * stored counts as unchanged, a different one as updated; contact points from the file are added
 * when the debtor does not have them yet and never removed (a collector may have added others).
 */
import { uuidv7 } from 'uuidv7';
import { phoneMatchKeys } from '#shared/identity/phone';
import { whatsappFlag } from '#shared/identity/whatsapp';
import { audit } from '../db/audit';
import type { Db, Row, Tx } from '../db/db';
import { deferChanges, flushChanges } from '../db/write';
import { insertEntities, updateEntities, type ColumnTypes } from './bulk-write';
import type { ColumnIndex } from './columns';
import { InputTooLargeError, type CsvRecord } from './csv-records';
import type { TextEncodingName } from './decode';
import {
  debtorFingerprint,
  firstDifferentColumn,
  COLUMN_LABELS,
  parseImportRow,
  type ImportColumn,
  type ImportRow,
  type RowError,
} from './debtor-row';
import { openImportSource } from './source';

export { ImportFileError, type ImportFileProblem } from './source';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * The answer of an import. `debtors` counts distinct debtors (a debtor on five rows counts once),
 * `debts` counts rows. `errors` lists at most MAX_REPORTED_ERRORS problems; `errorCount` all.
 * `complete` is false when reading stopped early (the file exceeded the size limit): the rows
 * before that point were imported and an error says where it stopped.
 */
export interface ImportReport {
  dryRun: boolean;
  rows: number;
  debtors: ImportCounts;
  debts: ImportCounts;
  errors: RowError[];
  errorCount: number;
  /**
   * Rows imported with something to check: a CPF/CNPJ that already belongs to a debtor, whose
   * facts the row was attached to (the stored name kept). At most MAX_REPORTED_ERRORS listed.
   */
  warnings: RowError[];
  warningCount: number;
  complete: boolean;
  /** How the file was read: its encoding, separator, and whether a saved column map applied. */
  file: { encoding: TextEncodingName; delimiter: string; mapped: boolean };
}

export interface ImportOptions {
  dryRun?: boolean;
  /** Who imports (null: the CLI or the system), for the audit log. */
  actor: string | null;
  ip?: string | null;
  source: 'api' | 'cli' | 'demo';
  maxBytes?: number;
  /** The charset the client declared, when it declared one we read. */
  declared?: TextEncodingName;
  batchSize?: number;
  /** Called after each batch with the report so far. */
  onProgress?: (report: ImportReport) => void | Promise<void>;
}

export const MAX_REPORTED_ERRORS = 1000;
/** Rows per transaction on PostgreSQL: each commit waits for its WAL flush, so few and large. */
export const DEFAULT_BATCH_SIZE = 2000;
/**
 * PGlite has one connection: while a chunk's transaction runs, every other request (a health
 * check, a collector's read) waits for it. Chunks there are sized to take about this long
 * (adjusted after each one, between PGLITE_MIN_BATCH and PGLITE_MAX_BATCH rows), and the import
 * yields to the event loop between them.
 */
export const PGLITE_CHUNK_MS = 30;
const PGLITE_FIRST_BATCH = 250;
// Below this a chunk's fixed cost (its ~10 statements and the commit) outweighs its rows.
const PGLITE_MIN_BATCH = 100;
const PGLITE_MAX_BATCH = 1000;

interface SeenDebtor {
  fingerprint: string;
  line: number;
  /** Set once the debtor is known to exist (or, in a dry run, would exist). */
  id?: string;
}

/**
 * Reads the header of `bytes` (decoding and column stages, ./source.ts); resolves to a runner
 * for the rows, or rejects with ImportFileError.
 */
export async function openDebtorImport(
  db: Db,
  bytes: AsyncIterable<Uint8Array>,
  options: ImportOptions,
): Promise<{ run: (onProgress?: ImportOptions['onProgress']) => Promise<ImportReport> }> {
  const source = await openImportSource(db, bytes, {
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    ...(options.declared === undefined ? {} : { declared: options.declared }),
  });
  const file = () => ({
    encoding: source.encoding() ?? 'utf-8',
    delimiter: source.delimiter() ?? ',',
    mapped: source.mapped,
  });
  return {
    run: (onProgress) =>
      runImport(
        db,
        source.records,
        source.index,
        source.header.length,
        onProgress ? { ...options, onProgress } : options,
        file,
      ),
  };
}

function emptyReport(dryRun: boolean): ImportReport {
  const counts = () => ({ created: 0, updated: 0, unchanged: 0 });
  return {
    dryRun,
    rows: 0,
    debtors: counts(),
    debts: counts(),
    errors: [],
    errorCount: 0,
    warnings: [],
    warningCount: 0,
    complete: true,
    file: { encoding: 'utf-8', delimiter: ',', mapped: false },
  };
}

function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // SQLSTATE class 22 (data exception) and 23 (integrity constraint violation).
  return typeof code === 'string' && /^2[23]/.test(code);
}

async function runImport(
  db: Db,
  records: AsyncIterator<CsvRecord>,
  index: ColumnIndex,
  headerLength: number,
  options: ImportOptions,
  file: () => ImportReport['file'],
): Promise<ImportReport> {
  const dryRun = options.dryRun ?? false;
  const adaptive = options.batchSize === undefined && db.kind === 'pglite';
  let batchSize = options.batchSize ?? (adaptive ? PGLITE_FIRST_BATCH : DEFAULT_BATCH_SIZE);
  const report = emptyReport(dryRun);
  const seen = new Map<string, SeenDebtor>();
  const seenDocuments = new Map<string, SeenDocument>();
  const debtLines = new Map<string, number>();
  // Chunks are written while the next one is read and checked, so a chunk's database errors may
  // arrive after later lines' errors: the report lists them in line order (`errorsInOrder`).
  const addError = (error: RowError) => {
    report.errorCount += 1;
    if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push(error);
  };
  const errorsInOrder = () => report.errors.sort((a, b) => a.line - b.line);
  const addWarning = (warning: RowError) => {
    report.warningCount += 1;
    if (report.warnings.length < MAX_REPORTED_ERRORS) report.warnings.push(warning);
  };
  const add = (into: ImportCounts, from: ImportCounts) => {
    into.created += from.created;
    into.updated += from.updated;
    into.unchanged += from.unchanged;
  };

  const flush = async (batch: readonly ImportRow[]): Promise<void> => {
    let outcome: BatchOutcome;
    try {
      const started = performance.now();
      outcome = await db.transaction((tx) => applyBatch(tx, batch, seen, seenDocuments, dryRun));
      if (adaptive && batch.length === batchSize) {
        const ms = Math.max(performance.now() - started, 1);
        batchSize = Math.round(
          Math.min(
            PGLITE_MAX_BATCH,
            Math.max(PGLITE_MIN_BATCH, (batchSize * PGLITE_CHUNK_MS) / ms, batchSize / 2),
            batchSize * 2,
          ),
        );
      }
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (batch.length > 1) {
        for (const row of batch) await flush([row]);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      addError({
        line: batch[0]?.line ?? 0,
        column: null,
        message: `o banco de dados recusou esta linha: ${message}`,
      });
      return;
    }
    add(report.debtors, outcome.debtors);
    add(report.debts, outcome.debts);
    for (const error of outcome.errors) addError(error);
    for (const warning of outcome.warnings) addWarning(warning);
    for (const [externalId, id] of outcome.resolved) {
      const entry = seen.get(externalId);
      if (entry) entry.id = id;
    }
    for (const [document, owner] of outcome.documents) seenDocuments.set(document, owner);
  };

  // One chunk is written while the next is read and checked (on PostgreSQL the database works
  // while Node parses). Chunks are still written one after the other, in file order: a chunk's
  // outcome (the ids of the debtors it created, in `seen`) is known before the next one starts.
  let writing: Promise<void> = Promise.resolve();
  let reportedRows = -1;
  const progress = async (rows: number) => {
    if (rows === reportedRows) return;
    reportedRows = rows;
    await options.onProgress?.({ ...report, rows });
  };
  const write = async (rows: readonly ImportRow[]): Promise<void> => {
    await writing;
    if (adaptive) await new Promise((resolve) => setImmediate(resolve));
    // Progress counts the rows read up to the end of this chunk, not those read meanwhile.
    const through = report.rows;
    writing = (async () => {
      await flush(rows);
      await progress(through);
    })();
    // Not awaited here: the caller goes on reading. A failure surfaces at the next write or at
    // the end; meanwhile it must not count as unhandled.
    writing.catch(() => {});
  };
  let batch: ImportRow[] = [];
  let lastLine = 1;
  try {
    for (let next = await records.next(); !next.done; next = await records.next()) {
      const record = next.value;
      lastLine = record.line;
      report.rows += 1;
      if (record.error !== undefined) {
        addError({
          line: record.line,
          column: null,
          message: `a linha não pôde ser lida: ${record.error}`,
        });
        continue;
      }
      if (record.fields.length !== headerLength) {
        addError({
          line: record.line,
          column: null,
          message: `a linha tem ${record.fields.length} campos, mas o cabeçalho tem ${headerLength} (um separador dentro de um valor precisa ficar entre aspas)`,
        });
        continue;
      }
      const parsed = parseImportRow(record.fields, index, record.line);
      if (!parsed.ok) {
        for (const error of parsed.errors) addError(error);
        continue;
      }
      const { row } = parsed;
      const earlierDebt = debtLines.get(row.debt.externalId);
      if (earlierDebt !== undefined) {
        addError({
          line: row.line,
          column: 'debt_id',
          message: `o código da dívida "${row.debt.externalId}" já aparece na linha ${earlierDebt}`,
        });
        continue;
      }
      const fingerprint = debtorFingerprint(row.debtor);
      const earlier = seen.get(row.debtor.externalId);
      if (earlier && earlier.fingerprint !== fingerprint) {
        const column = firstDifferentColumn(earlier.fingerprint, fingerprint);
        addError({
          line: row.line,
          column,
          message: `${COLUMN_LABELS[column]} difere da linha ${earlier.line} para o mesmo devedor "${row.debtor.externalId}"; todas as linhas de um devedor devem ter os mesmos dados`,
        });
        continue;
      }
      debtLines.set(row.debt.externalId, row.line);
      if (!earlier) seen.set(row.debtor.externalId, { fingerprint, line: row.line });
      batch.push(row);
      if (batch.length >= batchSize) {
        await write(batch);
        batch = [];
      }
    }
  } catch (error) {
    if (!(error instanceof InputTooLargeError)) {
      await writing.catch(() => {});
      throw error;
    }
    report.complete = false;
    addError({
      line: lastLine + 1,
      column: null,
      message: `o arquivo passa do limite de ${Math.round(error.maxBytes / 1024 / 1024)} MB; nada desta linha em diante foi lido`,
    });
  }
  await writing;
  if (batch.length > 0) await flush(batch);
  errorsInOrder();
  report.file = file();
  reportedRows = -1;
  await progress(report.rows);
  if (!dryRun)
    await db.transaction((tx) =>
      audit(tx, {
        actor: options.actor,
        ip: options.ip ?? null,
        action: 'debtors.import',
        entity: 'import',
        entityId: uuidv7(),
        detail: {
          source: options.source,
          rows: report.rows,
          debtors: report.debtors,
          debts: report.debts,
          errorCount: report.errorCount,
          warningCount: report.warningCount,
          complete: report.complete,
          file: report.file,
        },
      }),
    );
  return report;
}

interface BatchOutcome {
  debtors: ImportCounts;
  debts: ImportCounts;
  errors: RowError[];
  warnings: RowError[];
  /** external_id → debtor id of every debtor this batch created or found. */
  resolved: Map<string, string>;
  /** document → the debtor it belongs to, for every document this batch met. */
  documents: Map<string, SeenDocument>;
}

/** Who a CPF/CNPJ belongs to, once the import has met it. */
interface SeenDocument {
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
async function applyBatch(
  tx: Tx,
  rows: readonly ImportRow[],
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
    (
      await tx.query<StoredDebtor>(
        `SELECT d.id, d.external_id, d.kind, d.name, d.document, d.address_line, d.city, d.state,
                d.anonymised_at, d.merged_into, m.name AS survivor_name
         FROM debtors d LEFT JOIN debtors m ON m.id = d.merged_into
         WHERE d.external_id = ANY($1::text[])`,
        [unknownDebtors],
      )
    ).map((d) => [d.external_id ?? '', d]),
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
  const knownContacts = new Set(
    (
      await tx.query<{ debtor_id: string; kind: string; value: string }>(
        'SELECT debtor_id, kind, value FROM contact_points WHERE debtor_id = ANY($1::uuid[])',
        [targetIds],
      )
    ).map((c) => `${c.debtor_id} ${c.kind} ${c.value}`),
  );
  const storedDebts = new Map(
    (
      await tx.query<StoredDebt>(
        `SELECT id, external_id, debtor_id, description, principal_cents, due_on
         FROM debts WHERE external_id = ANY($1::text[])`,
        [rows.map((r) => r.debt.externalId)],
      )
    ).map((d) => [d.external_id, d]),
  );

  const debtorInserts: Row[] = [];
  const debtorUpdates: Row[] = [];
  const debtorCodes: Row[] = [];
  const contactInserts: Row[] = [];
  const debtInserts: Row[] = [];
  const debtUpdates: Row[] = [];
  const fail = (line: number, column: ImportColumn, message: string) =>
    outcome.errors.push({ line, column, message });
  const warn = (line: number, column: ImportColumn, message: string) =>
    outcome.warnings.push({ line, column, message });
  const ownerOf = (document: string) =>
    outcome.documents.get(document) ??
    seenDocuments.get(document) ??
    storedByDocument.get(document);

  for (const { line, debtor, debt } of rows) {
    const known = seen.get(debtor.externalId)?.id ?? outcome.resolved.get(debtor.externalId);
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
      for (const point of points) {
        const key = `${target} ${point.kind} ${point.value}`;
        if (knownContacts.has(key)) continue;
        knownContacts.add(key);
        contactInserts.push({ id: uuidv7(), debtor_id: target, ...point });
        addedContact = true;
      }
      if (mode === 'create') outcome.debtors.created += 1;
      else if (changed || addedContact) outcome.debtors.updated += 1;
      else outcome.debtors.unchanged += 1;
      outcome.resolved.set(debtor.externalId, target);
    }

    const debtFields = {
      description: debt.description,
      principal_cents: debt.principalCents,
      due_on: debt.dueOn,
    };
    if (!storedDebt) {
      debtInserts.push({
        id: uuidv7(),
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
  await flushChanges(tx, { numbered: true });
  return outcome;
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
