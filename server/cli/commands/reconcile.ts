import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { problemOf } from '../../http/problem';
import { reconcileStatement } from '../../reconciliation/reconcile';
import { listCredits } from '../../reconciliation/suggestions.repo';
import {
  parseCommandArgs,
  printJson,
  usageError,
  withDb,
  EXIT_FAILURE,
  EXIT_OK,
  type Command,
} from '../command';

/** `quita reconcile FILE.ofx`: the same reconciliation as POST /api/reconciliation/statements. */
export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'reconcile a bank statement (OFX, or the Nubank/Inter CSV export) with the open debts',
  help: `Usage: quita reconcile FILE.ofx [--as EMAIL] [--list]

Reads the bank statement (OFX 1.x SGML or 2.x XML in any encoding the bank used; or the account
CSV of Nubank or Banco Inter), stores the credits not seen before (by account and FITID: the same
file twice changes nothing) and reconciles them with the open debts, exactly as the office's
upload does: a credit whose PIX txid names a debt, an installment or a debtor and whose amount
settles it is confirmed; the others go to Revisão with suggestions, or are listed as unmatched.

Prints {statementId, format, accounts, credits, autoConfirmed, suggested, unmatched, alreadySeen,
debits} as JSON; with --list, also the credits of this statement waiting for a person.
  --as EMAIL  the owner or staff member the confirmations are recorded for (default: the first owner)
  --list      add "review": the suggested and unmatched credits of this statement

Exit codes: 0 reconciled, 1 the file was refused (the reason on stderr), 2 bad usage.
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { as: { type: 'string' }, list: { type: 'boolean' } },
      true,
    );
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    if (positionals.length !== 1) throw usageError('informe exatamente um ARQUIVO de extrato');
    const path = resolve(io.cwd, positionals[0] ?? '');
    if (!existsSync(path)) throw usageError(`arquivo não encontrado: ${path}`);
    const bytes = new Uint8Array(readFileSync(path));
    return withDb(io, async (db) => {
      const [actor] = await db.query<{ id: string }>(
        values.as === undefined
          ? `SELECT id FROM users WHERE role = 'owner' AND active ORDER BY created_at, id LIMIT 1`
          : `SELECT id FROM users WHERE email = lower(btrim($1)) AND role IN ('owner', 'staff') AND active`,
        values.as === undefined ? [] : [values.as],
      );
      if (!actor)
        throw usageError(
          values.as === undefined
            ? 'não há proprietário cadastrado: crie um com quita user add ou informe --as'
            : `--as: ${values.as} não é um proprietário ou funcionário ativo`,
        );
      try {
        const summary = await reconcileStatement(db, { bytes, actor: actor.id, now: new Date() });
        const review =
          values.list && summary.statementId !== null
            ? await listCredits(db, {
                statuses: ['suggested', 'unmatched'],
                statementId: summary.statementId,
                limit: 1000,
              })
            : undefined;
        printJson(io, review === undefined ? summary : { ...summary, review });
        return EXIT_OK;
      } catch (error) {
        const carried = problemOf(error);
        if (!carried) throw error;
        io.stderr(`quita reconcile: ${carried.problem.detail ?? carried.problem.title}\n`);
        return EXIT_FAILURE;
      }
    });
  },
};
