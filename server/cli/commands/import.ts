import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_BATCH_SIZE, ImportFileError, openDebtorImport } from '../../import/import-debtors';
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

Imports debtors and their debts from a CSV file as Excel saves it: UTF-8 (with or without BOM),
Windows-1252 ("CSV (separado por vírgulas)") or UTF-16, detected from the bytes; ',' ';' or tab
as separator. Columns (any order; English or Portuguese names; extra columns ignored; * required):
  external_id|codigo_cliente*  name|nome*  document|cpf_cnpj*  email  phone|telefone
  whatsapp (sim/não)  address|endereco  city|cidade  state|uf  debt_id|codigo_divida*
  description|descricao  amount|valor*  due_date|vencimento*
A file with other headers imports with the column map saved for its headers in the owner's
import screen. Amounts as 1234.56 or 1.234,56; dates as YYYY-MM-DD or DD/MM/AAAA. Debtors are
matched by external_id, then by CPF/CNPJ (a row whose CPF/CNPJ already belongs to a debtor is
attached to it, the stored name kept, and listed in warnings); debts by debt_id, so importing
the same file again changes nothing.

Prints {dryRun, rows, debtors:{created,updated,unchanged}, debts:{…}, errors:[{line,column,message}],
errorCount, warnings, warningCount, complete, file:{encoding,delimiter,mapped}} as JSON. Rows with
errors are skipped; the others are imported.
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
          // The command holds the database alone (PGlite's data directory is locked against a
          // server): no request waits for its chunks, so they are not cut to PGlite's time slices.
          batchSize: DEFAULT_BATCH_SIZE,
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
