/**
 * The floor of any set-based import on Quita's schema: the file `COPY`ed into a staging table,
 * then one INSERT…SELECT per real table (debtors, their contact points and match keys, debts),
 * with no checks, no duplicate rules, no change feed and no import state. What it costs beyond a
 * bare `COPY` is the schema's own price per row (heap rows in four tables, their indexes, foreign
 * keys, CHECK constraints, generated columns): no importer can go below it without dropping some.
 * Used by import.bench.ts (beside the same-run COPY) and import-probe.ts (PROBE_FLOOR=1).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

export const STAGING_COLUMNS = `external_id text, name text, document text, email text, phone text,
  address text, city text, state text, debt_id text, description text, amount text, due_date text`;

/** The statements after the COPY into `floor_staging`, as one transaction. */
export const FLOOR_SQL = `
BEGIN;
CREATE TEMP TABLE floor_debtors ON COMMIT DROP AS
  SELECT DISTINCT ON (external_id) gen_random_uuid() AS id, * FROM floor_staging ORDER BY external_id;
INSERT INTO debtors (id, external_id, kind, name, document, address_line, city, state)
  SELECT id, external_id, CASE WHEN length(regexp_replace(document, '[^0-9]', '', 'g')) = 14
    THEN 'company' ELSE 'person' END, name, regexp_replace(document, '[^0-9]', '', 'g'),
    address, city, state FROM floor_debtors;
CREATE TEMP TABLE floor_points ON COMMIT DROP AS
  SELECT gen_random_uuid() AS id, id AS debtor_id, 'phone' AS kind, phone AS value
    FROM floor_debtors WHERE phone <> ''
  UNION ALL SELECT gen_random_uuid(), id, 'email', email FROM floor_debtors WHERE email <> '';
INSERT INTO contact_points (id, debtor_id, kind, value, match_key, is_whatsapp)
  SELECT id, debtor_id, kind, value, value, false FROM floor_points;
INSERT INTO contact_point_keys (contact_point_id, debtor_id, kind, key)
  SELECT id, debtor_id, kind, value FROM floor_points
  UNION ALL SELECT id, debtor_id, kind, right(value, 8) FROM floor_points WHERE kind = 'phone';
INSERT INTO debts (id, debtor_id, external_id, description, principal_cents, due_on)
  SELECT gen_random_uuid(), d.id, s.debt_id, s.description, (s.amount::numeric * 100)::bigint,
    s.due_date::date
  FROM floor_staging s JOIN floor_debtors d USING (external_id);
COMMIT;`;

export const FLOOR_RESET =
  'TRUNCATE debtors, contact_points, contact_point_keys, debts, debt_import_state, changes, floor_staging CASCADE';

/** An in-memory PGlite with every migration applied as plain SQL, plus the staging table. */
export async function floorPglite(): Promise<PGlite> {
  const pglite = await PGlite.create();
  const dir = new URL('../../server/db/migrations/', import.meta.url);
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort())
    await pglite.exec(readFileSync(new URL(file, dir), 'utf8'));
  // The organisation the rows belong to (migration 0480: every org_id defaults to this setting).
  await pglite.exec(`SET quita.org_id = '1'`);
  await pglite.exec(`CREATE UNLOGGED TABLE floor_staging (${STAGING_COLUMNS})`);
  return pglite;
}

/** One floor run on PGlite: reset, COPY the file into staging, the set-based inserts. */
export async function floorRunPglite(pglite: PGlite, file: Blob): Promise<void> {
  await pglite.exec(FLOOR_RESET);
  await pglite.query(`COPY floor_staging FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], {
    blob: file,
  });
  await pglite.exec(FLOOR_SQL);
}
