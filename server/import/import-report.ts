/** The answer of a debtor import and the options it takes (import-debtors.ts). */
import type { ImportCounts } from './apply-chunk';
import type { TextEncodingName } from './decode';
import type { RowError } from './debtor-row';

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

/** A report with nothing counted yet. */
export function emptyReport(dryRun: boolean): ImportReport {
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
