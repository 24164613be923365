/**
 * `cadence today` as one function, shared by `GET /api/cadence/today` and `quita cadence today`:
 * one page of the day's queue for a role, with the date and zone it was computed in.
 */
import type { Role } from '#shared/auth/user.schema';
import type { Channel } from '#shared/templates/template.schema';
import { todayIn } from '#shared/time/calendar-date';
import type { Queryable } from '../db/db';
import { loadSettings, type EffectiveSettings } from '../settings/settings.repo';
import { portalLinkUrls, type PortalLinkMinter } from '../portal/portal-links.repo';
import { loadQueuePage, pendingEscalations, queueItems, type QueueItem } from './queue';

export interface TodayOptions {
  role: Role;
  userId: string | null;
  limit: number;
  cursor?: string;
  channel?: Channel;
  /** Computed once by a caller that pages through everything. */
  settings?: EffectiveSettings;
  /** Mints the debtor's page links `{{payment_link}}` carries (none: no link unless configured). */
  portal?: PortalLinkMinter;
}

export interface TodayPage {
  date: string;
  timeZone: string;
  generatedAt: string;
  items: QueueItem[];
  /** Owners only, on the first page. */
  escalations?: Awaited<ReturnType<typeof pendingEscalations>>;
  /** Debtors scanned on this page (items are only those with work today). */
  scanned: number;
  nextCursor: string | null;
}

/** One page of today's queue for `options.role`. */
export async function cadenceToday(
  q: Queryable,
  now: Date,
  options: TodayOptions,
): Promise<TodayPage> {
  const settings = options.settings ?? (await loadSettings(q));
  const page = await loadQueuePage(q, now, {
    limit: options.limit,
    ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
    ...(options.role === 'collector' && options.userId !== null
      ? { collectorId: options.userId }
      : {}),
  });
  const links = await portalLinkUrls(
    options.portal,
    settings.organisation,
    page.facts.map((f) => f.debtor.id),
    now,
  );
  const items = queueItems(page, settings, now, {
    role: options.role,
    links,
    ...(options.channel === undefined ? {} : { channel: options.channel }),
  });
  const first = options.cursor === undefined;
  return {
    date: todayIn(now.getTime(), settings.timeZone),
    timeZone: settings.timeZone,
    generatedAt: now.toISOString(),
    items,
    ...(options.role === 'owner' && first ? { escalations: await pendingEscalations(q) } : {}),
    scanned: page.facts.length,
    nextCursor: page.nextCursor,
  };
}
