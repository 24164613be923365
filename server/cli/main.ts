/**
 * `quita` entry point: finds the subcommand (longest match of leading words, so 'user add' and
 * 'cadence today' work) and runs it. To add a command, write `commands/<name>.ts` exporting a
 * `Command` and append it to COMMANDS.
 */
import {
  isUsageError,
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  type CliIo,
  type Command,
} from './command';
import { backupCommand, restoreCommand } from './commands/backup';
import { cadencePlanCommand } from './commands/cadence-plan';
import { cadenceTodayCommand } from './commands/cadence-today';
import { chargesCommand } from './commands/charges';
import { demoCommand } from './commands/demo';
import { importDebtorsCommand } from './commands/import';
import { exportCommand } from './commands/export';
import { lgpdAnonymiseCommand } from './commands/lgpd';
import { migrateCommand } from './commands/migrate';
import { pixCommand } from './commands/pix';
import { reconcileCommand } from './commands/reconcile';
import { serveCommand } from './commands/serve';
import { syncBumpEpochCommand, syncReprocessCommand } from './commands/sync';
import { userAddCommand } from './commands/user-add';

/** Every subcommand, in the order `quita --help` lists them. */
export const COMMANDS: readonly Command[] = [
  serveCommand,
  migrateCommand,
  userAddCommand,
  pixCommand,
  chargesCommand,
  cadenceTodayCommand,
  cadencePlanCommand,
  importDebtorsCommand,
  exportCommand,
  lgpdAnonymiseCommand,
  reconcileCommand,
  demoCommand,
  syncReprocessCommand,
  syncBumpEpochCommand,
  backupCommand,
  restoreCommand,
];

/** The CLI's io bound to this process. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
}

function overview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: quita <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run 'quita <command> --help' for the options of a command.
`;
}

/** Finds the command named by the leading words of `argv`. */
export function findCommand(
  argv: readonly string[],
  commands: readonly Command[] = COMMANDS,
): { command: Command; rest: string[] } | undefined {
  let best: { command: Command; rest: string[] } | undefined;
  for (const command of commands) {
    const words = command.name.split(' ');
    if (
      words.every((word, i) => argv[i] === word) &&
      (!best || words.length > best.command.name.split(' ').length)
    )
      best = { command, rest: argv.slice(words.length) };
  }
  return best;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(
  argv: readonly string[],
  io: CliIo,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(overview(commands));
    return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  const found = findCommand(argv, commands);
  if (!found) {
    const group = commands.filter((c) => c.name.startsWith(`${argv[0]} `));
    const hint =
      group.length > 0 ? ` (tente: ${group.map((c) => `quita ${c.name}`).join(', ')})` : '';
    io.stderr(`quita: comando desconhecido '${argv.join(' ')}'${hint}; veja 'quita --help'\n`);
    return EXIT_USAGE;
  }
  try {
    return await found.command.run(found.rest, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`quita ${found.command.name}: ${message.split('\n')[0]}\n`);
    return isUsageError(error) ? EXIT_USAGE : EXIT_FAILURE;
  }
}
