/**
 * Today: the collector's route on one screen. The assigned debtors in cadence order, each row one
 * glance — name, amount, the next action in words, the bairro (or the distance when the debtor
 * is pinned and the phone's position is known) and how late — with search and filters, and "Abrir
 * rota": the day's visits, in list order, as one link to the phone's map app. The list is the
 * page's own scroll; only the rows in view are rendered (../../ui/virtual-list), so 5,000 debtors
 * scroll smoothly. Rows are derived once per debtor and cached (a liveQuery re-run re-derives only
 * what changed); the search runs a moment after typing stops, so keystrokes never wait.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { orgSettings, runtime } from '../../app/collector';
import { screenShown } from '../../app/platform';
import type { QuitaDb } from '../../db/db';
import { brl, num } from '../../i18n/format';
import { t, type MessageKey } from '../../i18n/messages';
import { VirtualList } from '../../ui/virtual-list';
import {
  filterRows,
  todayRowsDeriver,
  type TodayFilter,
  type TodayRow,
} from '../../models/today-rows';
import { cadencePolicy, orgTimeZone, today, todayBasesModel } from '../../models/read-models';
import { readTodayHead, saveTodayHead } from '../../models/today-head';
import { session } from '../../app/session';
import { distanceM, distanceText, routeLink, ROUTE_STOPS, type LatLng } from '../../models/where';

/** Two lines of text: at 360×640, seven rows and more fit under the header and the controls. */
const ROW = 54;
/** Long enough to skip the re-filters between keystrokes of steady typing, short enough to feel live. */
const SEARCH_DELAY_MS = 120;

function dueText(days: number | null): string {
  if (days === null) return t('today.upToDate');
  if (days === 1) return `1 ${t('today.daysLate.one')}`;
  if (days > 0) return `${num(days)} ${t('today.daysLate')}`;
  if (days === 0) return t('today.dueToday');
  if (days === -1) return t('today.dueTomorrow');
  return `${t('today.dueIn')} ${num(-days)} ${t('today.days')}`;
}

/** "20/03": a promise's date in the row, short enough for a 360 px line. */
const shortDate = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}`;

/** What to do next, in words: "Visitar", "Mandar WhatsApp", "Promessa até 20/03"… */
function nextAction(row: TodayRow): string {
  if (row.queue === 'contact' && row.step)
    return t(`today.next.${row.step.channel}` as MessageKey) ?? t('today.queue.contact');
  return (
    t(`today.queue.${row.queue}` as MessageKey) +
    (row.queue === 'promise' && row.promiseUntil ? ` ${shortDate(row.promiseUntil)}` : '')
  );
}

/** Formatted texts per row object (rows are reused while their debtor is unchanged). */
const texts = new WeakMap<TodayRow, { href: string; amount: string; next: string; due: string }>();

function rowTexts(row: TodayRow) {
  let out = texts.get(row);
  if (!out) {
    out = {
      href: `/cliente?id=${encodeURIComponent(row.id)}`,
      amount: brl(row.balance),
      next: nextAction(row),
      due: dueText(row.days),
    };
    texts.set(row, out);
  }
  return out;
}

function Row({ row, here }: { row: TodayRow; here: LatLng | null }) {
  const text = rowTexts(row);
  const where = here && row.pin ? distanceText(distanceM(here, row.pin)) : row.area;
  return (
    <a href={text.href}>
      <span class="name">{row.name}</span>
      <span class="amount">{text.amount}</span>
      <span class="meta">
        <span class={`queue queue-${row.queue}`} data-queue={row.queue}>
          {text.next}
        </span>
        {where ? <span data-testid="row-where"> · {where}</span> : null}
      </span>
      <span class="meta due">
        {row.rejected > 0 ? (
          <span class="badge rejected-badge">{t('sync.rejectedBadge')}</span>
        ) : row.pending > 0 ? (
          <span class="badge">{t('sync.pendingBadge')}</span>
        ) : (
          text.due
        )}
      </span>
    </a>
  );
}

/** The live rows from the device database (null until the first read, or without a database). */
function useTodayRows(db: QuitaDb | null): TodayRow[] | null {
  const model = useMemo(() => (db ? todayBasesModel(db) : null), [db]);
  useEffect(() => () => model?.dispose(), [model]);
  const derive = useMemo(() => todayRowsDeriver(), [db]);
  const bases = model?.value.value ?? null;
  const settings = orgSettings.value;
  const policy = useMemo(() => cadencePolicy(settings), [settings]);
  const day = today(settings);
  const rows = useMemo(
    () => (bases ? derive(bases, policy, day) : null),
    [derive, bases, policy, day],
  );
  // The head of the list, for the next time the app opens (../../models/today-head.ts).
  const me = session.value?.user.id;
  useEffect(() => {
    if (rows && me) saveTodayHead(me, orgTimeZone(settings), day, rows);
  }, [rows, me]);
  return rows;
}

/**
 * The phone's position when the collector already allowed it (never asks on this screen: the
 * visit form does, when it attaches the location), for the distance to pinned debtors.
 */
function useHere(): LatLng | null {
  const [here, setHere] = useState<LatLng | null>(null);
  useEffect(() => {
    let live = true;
    const geo = navigator.geolocation;
    void navigator.permissions
      ?.query({ name: 'geolocation' })
      .then((p) => {
        if (!live || p.state !== 'granted' || !geo) return;
        geo.getCurrentPosition(
          (pos) => live && setHere({ lat: pos.coords.latitude, lng: pos.coords.longitude }),
          () => undefined,
          { maximumAge: 300_000, timeout: 10_000 },
        );
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return here;
}

function TodayList({ db }: { db: QuitaDb | null }) {
  const live = useTodayRows(db);
  // Until the live rows arrive: the head the app kept last time, painted at once.
  const [head] = useState(() => readTodayHead(session.value?.user.id ?? ''));
  const rows = live ?? head?.rows ?? null;
  const total = live ? live.length : (head?.total ?? 0);
  const here = useHere();
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<TodayFilter>('all');
  const pendingSearch = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(pendingSearch.current), []);
  const shown = useMemo(() => (rows ? filterRows(rows, query, filter) : []), [rows, query, filter]);
  // The kept head is the list's first rows: its count is the whole list's until the live read.
  const count = live || query !== '' || filter !== 'all' ? shown.length : total;
  // The live list (or "nothing assigned") is on screen: what waited for the first screen may start.
  const ready = live !== null;
  useEffect(() => {
    if (ready) screenShown();
  }, [ready]);
  // The day's visits in list order (the rows still to visit), as stops of one route.
  const route = useMemo(() => {
    const stops = (rows ?? []).filter((r) => r.queue === 'visit' && r.stop !== '');
    return { href: routeLink(stops.map((r) => r.stop)), count: stops.length };
  }, [rows]);
  return (
    <>
      <div class="screen-head">
        <h1 tabIndex={-1}>{t('today.title')}</h1>
        {rows === null ? null : (
          <span
            class="small muted"
            role="status"
            data-testid="today-count"
            data-live={live ? 'true' : 'false'}
          >
            {num(count)} {t(count === 1 ? 'today.count.one' : 'today.count')}
          </span>
        )}
        {route.href ? (
          <a
            class="button-link route"
            href={route.href}
            target="_blank"
            rel="noopener"
            title={t('today.routeHelp')}
            data-testid="route-link"
          >
            {t('today.route')} ({num(Math.min(route.count, ROUTE_STOPS))})
          </a>
        ) : null}
      </div>
      <div class="today-controls">
        <label for="today-search" class="sr-only">
          {t('today.search')}
        </label>
        {/* Uncontrolled: typing repaints the input alone; the list follows after a pause. */}
        <input
          id="today-search"
          type="search"
          autocomplete="off"
          placeholder={t('today.searchPlaceholder')}
          onInput={(e) => {
            const value = e.currentTarget.value;
            clearTimeout(pendingSearch.current);
            pendingSearch.current = setTimeout(() => setQuery(value), SEARCH_DELAY_MS);
          }}
        />
        <label for="today-filter" class="sr-only">
          {t('today.filter')}
        </label>
        <select
          id="today-filter"
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value as TodayFilter)}
        >
          <option value="all">{t('today.filter.all')}</option>
          <option value="overdue">{t('today.filter.overdue')}</option>
          <option value="promise">{t('today.filter.promise')}</option>
          <option value="pending">{t('today.filter.pending')}</option>
        </select>
      </div>
      {rows === null ? (
        <p class="muted">{t('common.loading')}</p>
      ) : rows.length === 0 ? (
        <p class="muted">{t('today.noneYet')}</p>
      ) : shown.length === 0 ? (
        <p class="muted">{t('today.empty')}</p>
      ) : (
        <VirtualList
          items={shown}
          rowHeight={ROW}
          label={t('today.list')}
          renderRow={(row) => <Row row={row} here={here} />}
        />
      )}
    </>
  );
}

export function Today() {
  const rt = runtime.value;
  return (
    <section class="today">
      <TodayList db={rt?.db ?? null} />
    </section>
  );
}
