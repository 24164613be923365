/**
 * The first start of the embedded database runs initdb, which PGlite does in a second wasm
 * instance inside the same process. Closing it does not give the memory back to the system: a
 * server that created its database kept ~700 MiB resident where one that opened an existing
 * directory holds ~280 MiB. So a new data directory is created by a short-lived child process
 * (`node` importing PGlite, create, close, exit) and the server then opens an existing directory.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** True when `dataDir` holds no PostgreSQL cluster yet. */
export function needsInitdb(dataDir: string): boolean {
  return !existsSync(join(dataDir, 'PG_VERSION'));
}

const SCRIPT = `
const { PGlite } = await import(process.argv[1]);
const pg = await PGlite.create({ dataDir: process.argv[2] });
await pg.close();
`;

/** Creates the PGlite cluster in `dataDir` from a child process. */
export async function initdbInChild(dataDir: string): Promise<void> {
  const entry = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT, entry, dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0)
    throw new Error(
      `could not create the database in ${dataDir}: ${stderr.trim().split('\n').at(-1) ?? code}`,
    );
}
