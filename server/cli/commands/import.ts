import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ImportFileError, openDebtorImport } from '../../import/import-debtors';
import {
  parseCommandArgs,
  printJson,
  usageError,
  withDb,
  EXIT_FAILURE,
  EXIT_OK,
  type Command,
} from '../command';

/** `quita import debtors FILE.csv [--dry-run]`: the same import as POST /api/import/debtors. */
export const importDebtorsCommand: Command = {
  name: 'import debtors',
  summary: 'import debtors and debts from a CSV file (idempotent)',
  help: `Usage: quita import debtors FILE.csv [--dry-run]

Imports debtors and their debts from a UTF-8 CSV file with the columns
external_id,name,document,email,phone,address,city,state,debt_id,description,amount,due_date
(any order, any case; extra columns ignored; ',' or ';' as separator). Amounts as 1234.56 or
1.234,56; dates as YYYY-MM-DD or DD/MM/AAAA. Debtors are matched by external_id and debts by
debt_id, so importing the same file again changes nothing.

Prints {dryRun, rows, debtors:{created,updated,unchanged}, debts:{…}, errors:[{line,column,message}],
errorCount, complete} as JSON. Rows with errors are skipped; the others are imported.
  --dry-run   check the file and count what would change, without writing

Exit codes: 0 imported without errors, 1 some rows had errors (or the file was refused),
2 bad usage.
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { 'dry-run': { type: 'boolean' } },
      true,
    );
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    if (positionals.length !== 1) throw usageError('informe exatamente um ARQUIVO.csv');
    const path = resolve(io.cwd, positionals[0] ?? '');
    if (!existsSync(path)) throw usageError(`arquivo não encontrado: ${path}`);
    return withDb(io, async (db) => {
      try {
        const importer = await openDebtorImport(db, createReadStream(path), {
          dryRun: values['dry-run'] ?? false,
          actor: null,
          source: 'cli',
        });
        const report = await importer.run();
        printJson(io, report);
        return report.errorCount > 0 ? EXIT_FAILURE : EXIT_OK;
      } catch (error) {
        if (!(error instanceof ImportFileError)) throw error;
        io.stderr(`quita import debtors: ${error.message}\n`);
        return EXIT_FAILURE;
      }
    });
  },
};
