/**
 * The duplicate rule: one CPF/CNPJ is one person. Creating a debtor (or changing a debtor's
 * document) to a document another live debtor already has is refused with 409 naming the field
 * `document` and pointing to that debtor, so the caller can open it instead; the spreadsheet
 * import attaches its rows to that debtor. Duplicates that predate the rule are listed here and
 * merged by ./merge.repo.ts.
 */
import type { Queryable } from '../db/db';
import { problem, problemError } from '../http/problem';

/** The live debtor that already has `document`, other than `exceptId`. */
export async function debtorWithDocument(
  q: Queryable,
  document: string,
  exceptId: string | null = null,
): Promise<{ id: string; name: string } | undefined> {
  const [row] = await q.query<{ id: string; name: string }>(
    `SELECT id, name FROM debtors
      WHERE document = $1 AND merged_into IS NULL AND ($2::uuid IS NULL OR id <> $2)
      ORDER BY created_at, id LIMIT 1`,
    [document, exceptId],
  );
  return row;
}

/** The 409 for a document that belongs to `existing`. */
export function documentTaken(existing: { id: string; name: string }): Error {
  const message = `este CPF/CNPJ já é de ${existing.name}; abra o cadastro existente`;
  return problemError(
    problem(409, 'duplicate-document', `document: ${message}`, {
      errors: [{ field: 'document', message }],
      existing: { id: existing.id, name: existing.name },
    }),
  );
}

/** Throws the 409 when `document` is already another live debtor's. */
export async function assertDocumentFree(
  q: Queryable,
  document: string | null | undefined,
  exceptId: string | null = null,
): Promise<void> {
  if (!document) return;
  const existing = await debtorWithDocument(q, document, exceptId);
  if (existing) throw documentTaken(existing);
}

/** Groups of live debtors sharing a document, largest first (the merge tool's worklist). */
export async function duplicateGroups(
  q: Queryable,
  limit = 100,
): Promise<{ document: string; debtors: { id: string; name: string; createdAt: string }[] }[]> {
  const rows = await q.query<{
    document: string;
    debtors: { id: string; name: string; created_at: string }[];
  }>(
    `SELECT document,
            jsonb_agg(jsonb_build_object('id', id, 'name', name, 'created_at', created_at)
                      ORDER BY created_at, id) AS debtors
       FROM debtors
      WHERE document IS NOT NULL AND merged_into IS NULL
      GROUP BY document HAVING count(*) > 1
      ORDER BY count(*) DESC, document LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    document: r.document,
    debtors: r.debtors.map((d) => ({
      id: d.id,
      name: d.name,
      createdAt: new Date(d.created_at).toISOString(),
    })),
  }));
}
