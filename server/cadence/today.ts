/**
 * `cadence today` as one function, shared by `GET /api/cadence/today` and `quita cadence today`:
 * one page of the day's queue for a role, with the date and zone it was computed in; and one
 * debtor's item of the day with its message and PIX code rendered (`cadenceTodayItem`,
 * `GET /api/cadence/today/:debtorId`), what a screen asks when a person opens an item.
 */
import type { Role } from '#shared/auth/user.schema';
import type { Channel } from '#shared/templates/template.schema';
import { todayIn } from '#shared/time/calendar-date';
import type { Queryable } from '../db/db';
import { loadSettings, type EffectiveSettings } from '../settings/settings.repo';
import { portalLinkUrls, type PortalLinkMinter } from '../portal/portal-links.repo';
import { pendingEscalations, queueItems, type QueueItem } from './queue';
import { queueItemsWithMessages, type RenderedQueueItem } from './queue-item';
import { loadQueuePage } from './queue-page';

export interface TodayOptions {
  role: Role;
  userId: string | null;
  limit: number;
  cursor?: string;
  channel?: Channel;
  /** Computed once by a caller that pages through everything. */
  settings?: EffectiveSettings;
  /** Render every item's message and PIX code (the CLI's report); the API never does. */
  withMessages?: boolean;
  /**
   * Mints the debtor's page links `{{payment_link}}` carries (none: no link unless configured);
   * used only with `withMessages`, for the debtors whose messages are rendered.
   */
  portal?: PortalLinkMinter;
}

export interface TodayPage {
  date: string;
  timeZone: string;
  generatedAt: string;
  items: (QueueItem | RenderedQueueItem)[];
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
    // A list reads only what its items are derived from; rendered messages read whole rows.
    columns: options.withMessages === true ? 'all' : 'list',
    ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
    ...(options.role === 'collector' && options.userId !== null
      ? { collectorId: options.userId }
      : {}),
  });
  const routing = {
    role: options.role,
    ...(options.channel === undefined ? {} : { channel: options.channel }),
  };
  // A page without messages mints no links: a link is minted when its message is rendered.
  const items =
    options.withMessages === true
      ? queueItemsWithMessages(page, settings, now, {
          ...routing,
          links: await portalLinkUrls(
            options.portal,
            settings.organisation,
            page.facts.map((f) => f.debtor.id),
            now,
          ),
        })
      : queueItems(page, settings, now, routing);
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

/** One debtor's item of today's queue, rendered. */
export interface TodayItem {
  date: string;
  timeZone: string;
  generatedAt: string;
  item: RenderedQueueItem;
}

/**
 * The item of today's queue for one debtor, as `role` sees it, with its message and PIX code
 * rendered; null when the debtor has no work today for this role (or, for a collector, is not
 * assigned to them: the same answer, so ids cannot be probed).
 */
export async function cadenceTodayItem(
  q: Queryable,
  now: Date,
  options: { role: Role; userId: string | null; debtorId: string; portal?: PortalLinkMinter },
): Promise<TodayItem | null> {
  const [settings, page] = await Promise.all([
    loadSettings(q),
    loadQueuePage(q, now, {
      limit: 1,
      debtorIds: [options.debtorId],
      ...(options.role === 'collector' && options.userId !== null
        ? { collectorId: options.userId }
        : {}),
    }),
  ]);
  // The link is minted only for a debtor with work today for this role.
  const visible = queueItems(page, settings, now, { role: options.role });
  if (visible.length === 0) return null;
  const links = await portalLinkUrls(
    options.portal,
    settings.organisation,
    [options.debtorId],
    now,
  );
  const [item] = queueItemsWithMessages(page, settings, now, { role: options.role, links });
  if (!item) return null;
  return {
    date: todayIn(now.getTime(), settings.timeZone),
    timeZone: settings.timeZone,
    generatedAt: now.toISOString(),
    item,
  };
}
