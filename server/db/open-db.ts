import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import type { Db } from './db';

/** Where the data lives: PostgreSQL when a URL is given, else PGlite in `dataDir`. */
export interface DbConfig {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** PGlite's shared_buffers (QUITA_PGLITE_SHARED_BUFFERS). */
  sharedBuffers?: string | undefined;
}

/** Opens the configured database (does not migrate). */
export async function openDb(config: DbConfig): Promise<Db> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  return openPglite({
    dataDir: config.dataDir,
    ...(config.sharedBuffers ? { sharedBuffers: config.sharedBuffers } : {}),
  });
}

/** A human description for start-up logs, without the password of a database URL. */
export function describeDbConfig(config: DbConfig): string {
  if (!config.databaseUrl) return `PGlite in ${config.dataDir}`;
  try {
    const url = new URL(config.databaseUrl);
    url.password = '';
    return `PostgreSQL at ${url.host}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}
