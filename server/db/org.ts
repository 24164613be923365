/**
 * The organisation a connection works for (server/db/README.md). Every table of the app carries
 * `org_id`, and PostgreSQL's row-level security shows and accepts only the rows whose org_id is
 * the connection's `quita.org_id` setting (migration 0480). Both adapters set it on every
 * connection they open, before any query; a connection without it reads and writes nothing.
 *
 * Today one server process serves one organisation: the default one (1), which every database
 * created before organisations existed was given.
 */
import type { Queryable, Tx } from './db';

/** The organisation of single-business deployments; every pre-existing row belongs to it. */
export const DEFAULT_ORG_ID = 1;

/** The setting the policies, and the org_id column defaults, read. */
export const ORG_SETTING = 'quita.org_id';

/**
 * The connection's organisation, as SQL. Lookups by a business key unique per organisation
 * (`(org_id, external_id)`) name it explicitly: the policy adds the same condition under row-level
 * security, but a superuser connection (PGlite's, a bench's) skips the policy, and without the
 * leading `org_id` the unique index is walked whole for every key.
 */
export const CURRENT_ORG_SQL = `current_setting('${ORG_SETTING}')::bigint`;

/** The setting's text for `orgId`, refusing anything but a positive integer id. */
export function orgSettingValue(orgId: number): string {
  if (!Number.isSafeInteger(orgId) || orgId < 1)
    throw new RangeError(`organisation id must be a positive integer: ${orgId}`);
  return String(orgId);
}

/**
 * Creates organisation `id` with the rows every organisation has (its creditor identity, empty
 * until the owner fills it in, and its sync epoch). Runs in the caller's transaction, which goes
 * on working for its own organisation afterwards.
 */
export async function createOrganisation(tx: Tx, org: { id: number; name: string }): Promise<void> {
  const [own] = await tx.query<{ org: string }>('SELECT current_setting($1) AS org', [ORG_SETTING]);
  await tx.query('SELECT set_config($1, $2, true)', [ORG_SETTING, orgSettingValue(org.id)]);
  await tx.query('INSERT INTO organisations (id, name) VALUES ($1, $2)', [org.id, org.name]);
  await tx.query('INSERT INTO organisation (id) VALUES (1)');
  await tx.query('INSERT INTO sync_state (id, epoch) VALUES (1, 1)');
  await tx.query('SELECT set_config($1, $2, true)', [ORG_SETTING, own?.org ?? '']);
}

/** Throws unless the connection's organisation exists (a server never works for no one). */
export async function assertOrganisation(db: Queryable): Promise<void> {
  const [row] = await db.query<{ org: string; found: boolean }>(
    `SELECT current_setting($1) AS org,
            EXISTS (SELECT 1 FROM organisations WHERE id = current_setting($1)::bigint) AS found`,
    [ORG_SETTING],
  );
  if (!row?.found)
    throw new Error(`organisation ${row?.org ?? '?'} does not exist in this database`);
}
