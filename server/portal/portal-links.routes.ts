/**
 * `/api/debtors/:id/portal-links`: the debtor's page link for a message.
 * - POST (owner, staff; a collector for an assigned debtor): the debtor's current link, minted when
 *   there is none with a week left → `{url, expiresAt}`. Every call is audited: a link opens the
 *   debtor's page to whoever also knows the first digits of the document.
 * - GET (owner, staff): the debtor's links without tokens (created, expires, revoked, first
 *   identity check, last view).
 * - DELETE (owner, staff): revokes every live link and ends the sessions opened through them; the
 *   next message carries a new link.
 */
import { Hono } from 'hono';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import { assertDebtorAccess } from '../http/access';
import { ANY_ROLE, requireRole, type AppEnv } from '../http/auth';
import { uuidParam } from '../http/validate';
import { ruleProblem } from '../ledger/http';
import {
  currentPortalLinks,
  ensurePortalLinksTx,
  listPortalLinks,
  revokePortalLinks,
} from './portal-links.repo';
import { portalUrl } from './portal-token';
import { publicBase } from './public-url';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** Mounted at `/api/debtors` beside the debtor routes. */
export function portalLinkRoutes(deps: Deps) {
  const { db, now, portalKey } = deps;
  return new Hono<AppEnv>()
    .post('/:id/portal-links', requireRole(...ANY_ROLE), async (c) => {
      const id = uuidParam(c, 'id');
      const user = c.get('user');
      await assertDebtorAccess(db, user, id);
      const at = now();
      const link = await db.transaction(async (tx) => {
        const before = await currentPortalLinks(tx, portalKey, [id], at);
        const links = await ensurePortalLinksTx(tx, portalKey, [id], at, { createdBy: user.id });
        const current = links.get(id);
        if (!current)
          throw ruleProblem(
            'no-document',
            'o cliente não tem CPF/CNPJ cadastrado: a página do cliente só abre depois de ele confirmar os primeiros dígitos do documento',
          );
        await audit(tx, {
          actor: user.id,
          ip: c.get('ip'),
          action: 'portal.link.issue',
          entity: 'portal_link',
          entityId: current.id,
          detail: { debtorId: id, minted: !before.has(id) },
        });
        return current;
      });
      return c.json({
        url: portalUrl(publicBase(c, deps), link.token),
        expiresAt: link.expiresAt.toISOString(),
      });
    })
    .get('/:id/portal-links', requireRole('owner', 'staff'), async (c) => {
      const id = uuidParam(c, 'id');
      await assertDebtorAccess(db, c.get('user'), id);
      const at = now();
      const [rows, current] = await Promise.all([
        listPortalLinks(db, id),
        currentPortalLinks(db, portalKey, [id], at),
      ]);
      return c.json({
        items: rows.map((r) => ({
          id: r.id,
          createdAt: r.created_at.toISOString(),
          createdBy: r.created_by,
          expiresAt: r.expires_at.toISOString(),
          status:
            r.revoked_at !== null
              ? r.revoke_reason === 'locked'
                ? 'locked'
                : 'revoked'
              : r.expires_at <= at
                ? 'expired'
                : 'live',
          current: current.get(id)?.id === r.id,
          revokedAt: iso(r.revoked_at),
          verifiedAt: iso(r.verified_at),
          lastSeenAt: iso(r.last_seen_at),
        })),
      });
    })
    .delete('/:id/portal-links', requireRole('owner', 'staff'), async (c) => {
      const id = uuidParam(c, 'id');
      const user = c.get('user');
      await assertDebtorAccess(db, user, id);
      const revoked = await db.transaction(async (tx) => {
        const n = await revokePortalLinks(tx, id, now(), { userId: user.id, reason: 'office' });
        await audit(tx, {
          actor: user.id,
          ip: c.get('ip'),
          action: 'portal.link.revoke',
          entity: 'debtor',
          entityId: id,
          detail: { revoked: n },
        });
        return n;
      });
      return c.json({ revoked });
    });
}
