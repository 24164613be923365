/**
 * The import's index diet (issue 17, migrations 0480 and 0520): the lookups an import makes by
 * debtor and debt code descend the unique (org_id, external_id) indexes even on a connection that
 * skips row-level security (PGlite's superuser, the tests' own), and the indexes 0520 dropped
 * were serving no query: the reads that could have used them keep their plans.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Db } from '../server/db/db';
import { STORED_DEBTORS_SQL, STORED_DEBTS_SQL } from '../server/import/apply-chunk';
import { UNCHANGED_DEBTS_SQL } from '../server/import/import-skip';
import { forEachDb, openTestDb } from './helpers/test-db';

forEachDb((kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb(kind);
    // Enough rows that a walk of a whole index and a descent are different plans to cost.
    await db.exec(`
      INSERT INTO debtors (id, external_id, kind, name, document)
        SELECT gen_random_uuid(), 'C' || g, 'person', 'Devedor ' || g, lpad(g::text, 11, '0')
        FROM generate_series(1, 2000) g;
      INSERT INTO debts (id, debtor_id, external_id, description, principal_cents, due_on)
        SELECT gen_random_uuid(), id, 'D' || external_id, 'Plano', 1000, '2026-01-10' FROM debtors;
      ANALYZE debtors; ANALYZE debts;`);
  });
  afterAll(async () => {
    await db.close();
  });

  async function plan(sql: string, params: unknown[] = []): Promise<string> {
    return db.transaction(async (tx) => {
      // With sequential scans priced out, a plan still scanning sequentially means no index fits.
      await tx.query('SET LOCAL enable_seqscan = off');
      const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
  }

  const orgBound =
    /Index Cond: \(\(org_id = \(current_setting\('quita\.org_id'::text\)\)::bigint\) AND \(external_id = /;

  test(`${kind}: debtors by code descend debtors_external_id_key from the organisation`, async () => {
    const text = await plan(STORED_DEBTORS_SQL, [['C1', 'C2']]);
    expect(text).toMatch(/Index Scan using debtors_external_id_key on debtors d/);
    expect(text).toMatch(orgBound);
  });

  test(`${kind}: debts by code descend debts_external_id_key from the organisation`, async () => {
    const text = await plan(STORED_DEBTS_SQL, [['DC1', 'DC2']]);
    expect(text).toMatch(/Index Scan using debts_external_id_key/);
    expect(text).toMatch(orgBound);
  });

  test(`${kind}: the re-import lookup descends debts_external_id_key per code`, async () => {
    const text = await plan(UNCHANGED_DEBTS_SQL, [['DC1', 'DC2']]);
    expect(text).toMatch(/Index Scan using debts_external_id_key/);
    expect(text).toMatch(/Index Cond: \(\(org_id = .*\) AND \(external_id = k\.code\)\)/);
  });

  test(`${kind}: the indexes no query read are gone (0520), the ones reads use are kept`, async () => {
    const indexes = (
      await db.query<{ name: string }>(
        `SELECT indexrelid::regclass::text AS name FROM pg_index
          WHERE indrelid IN ('debtors'::regclass, 'contact_points'::regclass)`,
      )
    ).map((r) => r.name);
    expect(indexes).not.toContain('debtors_name_id_idx');
    expect(indexes).not.toContain('contact_points_match_idx');
    expect(indexes).toEqual(
      expect.arrayContaining([
        'debtors_name_fold_id_idx',
        'debtors_name_key_idx',
        'debtors_document_idx',
        'contact_points_debtor_idx',
      ]),
    );
  });

  test(`${kind}: the search page still walks the fold index, no sort`, async () => {
    const text = await plan(
      `SELECT d.id FROM debtors d WHERE d.merged_into IS NULL
         AND (d.name_fold, d.id) > ('devedor 1', '00000000-0000-0000-0000-000000000000'::uuid)
       ORDER BY d.name_fold, d.id LIMIT 51`,
    );
    expect(text).toMatch(/Index (Only )?Scan using debtors_name_fold_id_idx/);
    expect(text).not.toMatch(/Sort|Seq Scan/);
  });

  test(`${kind}: a lookup by phone or e-mail uses the match keys, not contact_points.match_key`, async () => {
    const text = await plan(
      `SELECT k.debtor_id FROM contact_point_keys k JOIN contact_points cp ON cp.id = k.contact_point_id
        WHERE k.kind = 'phone' AND k.key = ANY('{11987654321}'::text[])`,
    );
    expect(text).toMatch(/contact_point_keys_key_idx/);
  });
});
