import { EXIT_OK, parseCommandArgs, printJson, withDb, type Command } from '../command';
import { bumpEpoch, reprocessDeferred } from '../../sync/maintenance';

/** `quita sync reprocess`: apply deferred mutations the upgraded server now understands. */
export const syncReprocessCommand: Command = {
  name: 'sync reprocess',
  summary: 'apply deferred sync mutations after an upgrade',
  help: `Usage: quita sync reprocess

Mutations from newer apps whose type or version this server did not know were kept as
"deferred". After upgrading the server, this applies the ones it now understands (in each
device's order) and prints {applied, conflict, rejected, stillDeferred} as JSON.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {});
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    return withDb(io, async (db) => {
      printJson(io, await reprocessDeferred(db, new Date()));
      return EXIT_OK;
    });
  },
};

/** `quita sync bump-epoch`: make every device start its pull over (after a restore). */
export const syncBumpEpochCommand: Command = {
  name: 'sync bump-epoch',
  summary: 'force every device to re-pull (run after restoring a backup)',
  help: `Usage: quita sync bump-epoch

Run after restoring the database from a backup or compacting the change feed. Every device's
next pull answers reset_required: it wipes its copy of the server data, KEEPS its unsent
records, pulls again from the start and resends what the server lacks. Prints {epoch}.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {});
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    return withDb(io, async (db) => {
      printJson(io, { epoch: await bumpEpoch(db) });
      return EXIT_OK;
    });
  },
};
