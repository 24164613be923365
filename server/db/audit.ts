import type { Queryable } from './db';

/** One audit entry: who (user id, or null for the system/CLI) did what to which entity. */
export interface AuditEntry {
  actor: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  detail?: Record<string, unknown>;
  ip?: string | null;
}

/**
 * Appends to the audit log inside the caller's transaction, so the entry exists exactly when the
 * audited change does (a read is audited by this one statement on its own: it is atomic). Never
 * put secrets (passwords, tokens) in `detail`.
 */
export async function audit(tx: Queryable, entry: AuditEntry): Promise<void> {
  await tx.query(
    'INSERT INTO audit_log (actor_id, ip, action, entity, entity_id, detail) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      entry.actor,
      entry.ip ?? null,
      entry.action,
      entry.entity,
      entry.entityId ?? null,
      JSON.stringify(entry.detail ?? {}),
    ],
  );
}
