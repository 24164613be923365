/**
 * The read audit of lists (server/lgpd/read-audit.ts): every JSON answer to a GET that names
 * debtors (`debtorId`, or `debtor: {id}`: the debts, payments, promises, agreements, disputes,
 * notices, escalations and contacts lists, with or without a debtor filter, the review lists of
 * the owner) writes ONE audit row naming them, after the route answered and before the answer
 * leaves. Routes that audit themselves (debtor reads, sync pages, the queue, exports) and the
 * ones that carry no debtor data are skipped by path, so nothing is counted twice.
 */
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/db';
import type { AppEnv } from '../http/auth';
import { recordDebtorRead } from './read-audit';

const SELF_AUDITED =
  /^\/api\/(debtors|debtor-duplicates|sync|cadence|export|import|auth|setup|settings|users|health|openapi\.json|lgpd)(\/|$)/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_DEPTH = 8;

/** Every debtor id named in `value` (keys `debtorId`, `debtor_id`, `debtor.id`). */
export function debtorIdsIn(value: unknown, into = new Set<string>(), depth = 0): Set<string> {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return into;
  if (Array.isArray(value)) {
    for (const item of value) debtorIdsIn(item, into, depth + 1);
    return into;
  }
  for (const [key, item] of Object.entries(value)) {
    if ((key === 'debtorId' || key === 'debtor_id') && typeof item === 'string' && UUID.test(item))
      into.add(item);
    else if (key === 'debtor' && item && typeof item === 'object') {
      const id = (item as { id?: unknown }).id;
      if (typeof id === 'string' && UUID.test(id)) into.add(id);
      debtorIdsIn(item, into, depth + 1);
    } else debtorIdsIn(item, into, depth + 1);
  }
  return into;
}

/** Audits the debtors a JSON list answer names (one row per answer). */
export function auditDebtorLists(deps: { db: Db }): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    if (c.req.method !== 'GET' || SELF_AUDITED.test(c.req.path)) return;
    const user = c.get('user');
    if (!user || c.res.status < 200 || c.res.status >= 300) return;
    if (!/^application\/json/i.test(c.res.headers.get('content-type') ?? '')) return;
    let body: unknown;
    try {
      body = await c.res.clone().json();
    } catch {
      return;
    }
    const ids = [...debtorIdsIn(body)];
    const filter = c.req.query('debtorId');
    if (filter && UUID.test(filter) && !ids.includes(filter)) ids.push(filter);
    await recordDebtorRead(deps.db, {
      actor: user.id,
      ip: c.get('ip'),
      action: 'debtor.list',
      debtorIds: ids,
      detail: { path: c.req.path },
    });
  });
}
