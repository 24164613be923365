/**
 * The debtor import shared by `POST /api/import/debtors`, `quita import debtors` and `quita demo`:
 * reading, checking and pipelining the rows. Applying a chunk is apply-chunk.ts; skipping rows
 * unchanged since the last import is import-skip.ts.
 *
 * Flow: bytes are decoded and split into records as they arrive (csv-records.ts); the header is
 * checked before anything else (a missing column refuses the whole file); each row is checked in
 * full (debtor-row.ts) and against the rows before it in the file; valid rows are written in
 * batches, one transaction per batch, through the batched write helpers so the change feed sees
 * every row. Rows whose raw text, debt and debtor are unchanged since the import that wrote them
 * are skipped before any check (import-skip.ts). A row is either written whole or reported; a batch the database refuses (a
 * constraint we did not foresee) is retried row by row so only the offending row is lost.
 *
 * Idempotency: debtors are keyed by `external_id`, debts by `debt_id`. A row identical to what is
 * stored counts as unchanged, a different one as updated; contact points from the file are added
 * when the debtor does not have them yet and never removed (a collector may have added others).
 */
import { uuidv7 } from 'uuidv7';
import { audit } from '../db/audit';
import type { Db } from '../db/db';
import {
  applyChunk,
  type BatchOutcome,
  type ChunkRow,
  type ImportCounts,
  type SeenDebtor,
  type SeenDocument,
} from './apply-chunk';
import type { ColumnIndex } from './columns';
import { InputTooLargeError, type CsvRecord } from './csv-records';
import {
  debtorFingerprint,
  firstDifferentColumn,
  COLUMN_LABELS,
  parseImportRow,
  type RowError,
} from './debtor-row';
import {
  emptyReport,
  MAX_REPORTED_ERRORS,
  type ImportOptions,
  type ImportReport,
} from './import-report';
import { layoutKey, rowHash, unchangedDebts, type UnchangedDebt } from './import-skip';
import { openImportSource } from './source';

export { ImportFileError, type ImportFileProblem } from './source';

export type { ImportCounts } from './apply-chunk';
export { MAX_REPORTED_ERRORS, type ImportOptions, type ImportReport } from './import-report';

/** Rows per transaction on PostgreSQL: each commit waits for its WAL flush, so few and large. */
export const DEFAULT_BATCH_SIZE = 2000;
/**
 * PGlite has one connection, and runs each statement in the server's own thread: while a chunk's
 * transaction runs, every other request (a health check, a collector's read) waits for it. Chunks
 * there are sized to hold the connection about this long (measured inside the transaction after
 * each chunk, between PGLITE_MIN_BATCH and PGLITE_MAX_BATCH rows), and the import yields to the
 * event loop between them, so a read waits at most about one chunk.
 */
export const PGLITE_CHUNK_MS = 20;
const PGLITE_FIRST_BATCH = 100;
// Below this a chunk's fixed cost (its ~10 statements and the commit) outweighs its rows.
const PGLITE_MIN_BATCH = 20;
const PGLITE_MAX_BATCH = 1000;

/**
 * Raw rows are looked up (import-skip.ts) this many at a time, before they are checked: the ones
 * unchanged since the last import are skipped. PostgreSQL: few round trips; PGlite: a lookup
 * holds the one connection, so it stays short.
 */
const LOOKUP_ROWS = { postgres: 4000, pglite: 200 } as const;
/**
 * Groups whose lookups may run ahead of the group being checked: on PostgreSQL the lookups are
 * what a re-import waits for (Node idle ~60% with one ahead), so a second one runs meanwhile.
 * PGlite runs them one at a time on its connection anyway.
 */
const LOOKAHEAD = { postgres: 2, pglite: 1 } as const;

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

  const flush = async (batch: readonly ChunkRow[]): Promise<void> => {
    let outcome: BatchOutcome;
    try {
      // The time the chunk held the connection, not the time it waited for it.
      let held = 0;
      outcome = await db.transaction(async (tx) => {
        const started = performance.now();
        const decided = await applyChunk(tx, batch, seen, seenDocuments, dryRun);
        held = performance.now() - started;
        return decided;
      });
      if (adaptive && batch.length === batchSize) {
        const ms = Math.max(held, 1);
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
    for (const [externalId, resolved] of outcome.resolved) {
      const entry = seen.get(externalId);
      if (entry) {
        entry.id = resolved.id;
        entry.contacts = resolved.contacts;
      }
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
  const write = async (rows: readonly ChunkRow[]): Promise<void> => {
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
  let batch: ChunkRow[] = [];
  const layout = layoutKey(index);
  const cellOf = (fields: readonly string[], at: number) =>
    at < 0 ? '' : (fields[at] ?? '').trim();
  // The debtor half of a row skipped unchanged, computed only when a later row needs it.
  const fingerprintOf = (entry: SeenDebtor, current: string): string => {
    if (entry.fingerprint === undefined && entry.skippedFields !== undefined) {
      const parsed = parseImportRow(entry.skippedFields, index, entry.line);
      // It passed every check when it was imported; were the rules stricter now, the later row
      // is not the one to blame.
      entry.fingerprint = parsed.ok ? debtorFingerprint(parsed.row.debtor) : current;
    }
    return entry.fingerprint ?? current;
  };
  const check = async (record: CsvRecord, hash: string): Promise<void> => {
    const parsed = parseImportRow(record.fields, index, record.line);
    if (!parsed.ok) {
      for (const error of parsed.errors) addError(error);
      return;
    }
    const { row } = parsed;
    const earlierDebt = debtLines.get(row.debt.externalId);
    if (earlierDebt !== undefined) {
      addError({
        line: row.line,
        column: 'debt_id',
        message: `o código da dívida "${row.debt.externalId}" já aparece na linha ${earlierDebt}`,
      });
      return;
    }
    const fingerprint = debtorFingerprint(row.debtor);
    const earlier = seen.get(row.debtor.externalId);
    const earlierFingerprint = earlier && fingerprintOf(earlier, fingerprint);
    if (earlier && earlierFingerprint !== undefined && earlierFingerprint !== fingerprint) {
      const column = firstDifferentColumn(earlierFingerprint, fingerprint);
      addError({
        line: row.line,
        column,
        message: `${COLUMN_LABELS[column]} difere da linha ${earlier.line} para o mesmo devedor "${row.debtor.externalId}"; todas as linhas de um devedor devem ter os mesmos dados`,
      });
      return;
    }
    debtLines.set(row.debt.externalId, row.line);
    if (!earlier) seen.set(row.debtor.externalId, { fingerprint, line: row.line });
    batch.push({ ...row, hash });
    if (batch.length >= batchSize) {
      await write(batch);
      batch = [];
    }
  };
  // Rows are read LOOKUP_ROWS at a time; those unchanged since the last import are skipped. A
  // group's lookup starts as soon as it is read and runs while the group before it is checked.
  interface Group {
    records: readonly CsvRecord[];
    unchanged: Promise<Map<string, UnchangedDebt>>;
  }
  const lookUp = (records: readonly CsvRecord[]): Group => {
    const whole = records.filter((r) => r.error === undefined && r.fields.length === headerLength);
    const unchanged = unchangedDebts(
      db,
      whole.map((r) => cellOf(r.fields, index.debt_id)),
    );
    // Awaited in `take`; meanwhile a failure must not count as unhandled.
    unchanged.catch(() => {});
    return { records, unchanged };
  };
  const take = async (group: Group | undefined): Promise<void> => {
    if (group === undefined) return;
    const unchanged = await group.unchanged;
    for (const record of group.records) {
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
      const hash = rowHash(layout, record.fields);
      const debtCode = cellOf(record.fields, index.debt_id);
      const stored = unchanged.get(debtCode);
      const debtorCode = cellOf(record.fields, index.external_id);
      const earlier = seen.get(debtorCode);
      // Skipped only when nothing earlier in this file touched the debt or its debtor: a debtor
      // an earlier row checked is compared (and maybe written) with the full checks.
      if (
        stored !== undefined &&
        stored.hash === hash &&
        !debtLines.has(debtCode) &&
        (earlier === undefined || earlier.skippedFields !== undefined)
      ) {
        debtLines.set(debtCode, record.line);
        if (earlier === undefined) {
          seen.set(debtorCode, {
            skippedFields: record.fields,
            line: record.line,
            id: stored.debtorId,
            contacts: stored.contacts,
          });
          report.debtors.unchanged += 1;
        }
        report.debts.unchanged += 1;
        continue;
      }
      await check(record, hash);
    }
  };
  const lookupRows = LOOKUP_ROWS[db.kind];
  let pending: CsvRecord[] = [];
  const looking: Group[] = [];
  const drain = async () => {
    while (looking.length > 0) await take(looking.shift());
  };
  let lastLine = 1;
  try {
    for (let next = await records.next(); !next.done; next = await records.next()) {
      lastLine = next.value.line;
      pending.push(next.value);
      if (pending.length >= lookupRows) {
        looking.push(lookUp(pending));
        pending = [];
        if (looking.length > LOOKAHEAD[db.kind]) await take(looking.shift());
      }
    }
    await drain();
    await take(lookUp(pending));
  } catch (error) {
    if (!(error instanceof InputTooLargeError)) {
      await writing.catch(() => {});
      throw error;
    }
    // Only reading stops with this error: the rows read before it are imported.
    await drain();
    await take(lookUp(pending));
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
  // Rows read since the last chunk's line (a last partial chunk, refused or skipped rows): one
  // more line. None when the last chunk's line already counted every row: the result follows.
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
