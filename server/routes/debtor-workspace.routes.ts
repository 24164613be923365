/**
 * The office workspace on `/api/debtors`: one debtor's whole story in one read, contact points edited one at a time
 * and verified in one tap (audited), and the merge of duplicates (owner). Reads are audited like
 * every read of debtor data (LGPD).
 */
import { Hono } from 'hono';
import {
  ContactPointPatchSchema,
  MergeRequestSchema,
  NewContactPointSchema,
  VerificationRequestSchema,
} from '#shared/api/workspace.schema';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import { duplicateGroups } from '../debtors/duplicates.repo';
import {
  addContactPoint,
  assertLiveDebtor as liveDebtor,
  patchContactPoint,
  setVerification,
} from '../debtors/contact-points.repo';
import { mergeDebtors } from '../debtors/merge.repo';
import { storyJson } from '../debtors/story';
import { readDebtor } from '../debtors/debtor-read.repo';
import { debtorNotFound } from '../http/access';
import { requireRole, type AppEnv } from '../http/auth';
import { jsonBody, uuidParam } from '../http/validate';
import { contactPointJson } from '../ledger/rows';
import { recordDebtorRead } from '../lgpd/read-audit';

const OFFICE = ['owner', 'staff'] as const;

/**
 * `/api/debtor-duplicates`: groups of live debtors sharing a CPF/CNPJ (the merge tool's worklist).
 * Its own path, not under `/api/debtors/`, where it would read as a debtor id.
 */
export function debtorDuplicateRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<AppEnv>().get('/', requireRole(...OFFICE), async (c) => {
    const groups = await duplicateGroups(db);
    // LGPD read audit: the names and documents of every debtor listed leave in this answer.
    await recordDebtorRead(db, {
      actor: c.get('user').id,
      ip: c.get('ip'),
      action: 'debtor.duplicates',
      debtorIds: groups.flatMap((g) => g.debtors.map((d) => d.id)),
      detail: { groups: groups.length },
    });
    return c.json({ groups });
  });
}

export function debtorWorkspaceRoutes(deps: Deps) {
  const { db, now } = deps;
  return new Hono<AppEnv>()
    .get('/:id/story', requireRole(...OFFICE), async (c) => {
      const id = uuidParam(c, 'id');
      const user = c.get('user');
      // Office roles see every debtor: the scope admits all, so one statement reads and audits.
      const read = await readDebtor(
        db,
        user,
        id,
        { actor: user.id, ip: c.get('ip'), action: 'debtor.story' },
        true,
      );
      if (!read) throw debtorNotFound();
      return c.json(storyJson(read.facts, read.extras, read.settings, now()));
    })
    .post(
      '/:id/contact-points',
      requireRole(...OFFICE),
      jsonBody(NewContactPointSchema),
      async (c) => {
        const id = uuidParam(c, 'id');
        const input = c.req.valid('json');
        const user = c.get('user');
        const row = await db.transaction(async (tx) => {
          await liveDebtor(tx, id);
          const created = await addContactPoint(tx, id, input, user.id, now());
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'contact_point.create',
            entity: 'debtor',
            entityId: id,
            detail: {
              pointId: created.id,
              kind: created.kind,
              value: created.value,
              isWhatsapp: created.is_whatsapp,
              verification: created.verification,
            },
          });
          return created;
        });
        return c.json(contactPointJson(row), 201);
      },
    )
    .patch(
      '/:id/contact-points/:pointId',
      requireRole(...OFFICE),
      jsonBody(ContactPointPatchSchema),
      async (c) => {
        const id = uuidParam(c, 'id');
        const pointId = uuidParam(c, 'pointId');
        const patch = c.req.valid('json');
        const user = c.get('user');
        const row = await db.transaction(async (tx) => {
          await liveDebtor(tx, id);
          const { before, after } = await patchContactPoint(tx, id, pointId, patch);
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'contact_point.update',
            entity: 'debtor',
            entityId: id,
            detail: {
              pointId,
              changed: Object.keys(patch).filter((k) => k !== 'version'),
              before: { value: before.value, label: before.label, isWhatsapp: before.is_whatsapp },
              after: { value: after.value, label: after.label, isWhatsapp: after.is_whatsapp },
            },
          });
          return after;
        });
        return c.json(contactPointJson(row));
      },
    )
    .post(
      '/:id/contact-points/:pointId/verification',
      requireRole(...OFFICE),
      jsonBody(VerificationRequestSchema),
      async (c) => {
        const id = uuidParam(c, 'id');
        const pointId = uuidParam(c, 'pointId');
        const { state, source } = c.req.valid('json');
        const user = c.get('user');
        const row = await db.transaction(async (tx) => {
          await liveDebtor(tx, id);
          const { before, after } = await setVerification(
            tx,
            id,
            pointId,
            state,
            source,
            user.id,
            now(),
          );
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'contact_point.verification',
            entity: 'debtor',
            entityId: id,
            detail: { pointId, value: after.value, from: before.verification, to: state, source },
          });
          return after;
        });
        return c.json(contactPointJson(row));
      },
    )
    .post('/:id/merge', requireRole('owner'), jsonBody(MergeRequestSchema), async (c) => {
      const id = uuidParam(c, 'id');
      const input = c.req.valid('json');
      const user = c.get('user');
      const result = await db.transaction(async (tx) => {
        const { result, duplicate } = await mergeDebtors(tx, {
          keepId: id,
          duplicateId: input.duplicateId,
          version: input.version,
          duplicateVersion: input.duplicateVersion,
          actorId: user.id,
          now: now(),
        });
        await audit(tx, {
          actor: user.id,
          ip: c.get('ip'),
          action: 'debtor.merge',
          entity: 'debtor',
          entityId: id,
          detail: {
            duplicate: {
              id: duplicate.id,
              name: duplicate.name,
              document: duplicate.document,
              externalId: duplicate.external_id,
            },
            moved: result.moved,
            contactPointsFolded: result.contactPointsFolded,
            collectorId: result.collectorId,
          },
        });
        return result;
      });
      return c.json(result);
    });
}
