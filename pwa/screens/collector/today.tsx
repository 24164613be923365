/**
 * Today: the collector's assigned debtors in cadence order, with search and filters. Only the rows
 * in view are rendered (../../ui/virtual-list), so 5,000 debtors scroll smoothly. The rows are
 * derived once per debtor and cached (a liveQuery re-run re-derives only what changed); the search
 * runs a moment after typing stops, so keystrokes never wait for a re-filter.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { orgSettings, runtime } from '../../app/collector';
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
import { cadencePolicy, today, todayBasesModel } from '../../models/read-models';

const ROW = 64;
/** Long enough to skip the re-filters between keystrokes of steady typing, short enough to feel live. */
const SEARCH_DELAY_MS = 120;

function dueText(days: number | null): string {
  if (days === null) return t('today.upToDate');
  if (days > 0) return `${num(days)} ${t('today.daysLate')}`;
  return `${t('today.dueIn')} ${num(-days)} ${t('today.days')}`;
}

/** Formatted texts per row object (rows are reused while their debtor is unchanged). */
const texts = new WeakMap<
  TodayRow,
  { href: string; amount: string; queue: string; meta: string }
>();

/** "20/03": a promise's date in the row, short enough for a 360 px line. */
const shortDate = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}`;

function rowTexts(row: TodayRow) {
  let out = texts.get(row);
  if (!out) {
    out = {
      href: `/cliente?id=${encodeURIComponent(row.id)}`,
      amount: brl(row.balance),
      queue:
        t(`today.queue.${row.queue}` as MessageKey) +
        (row.queue === 'promise' && row.promiseUntil ? ` ${shortDate(row.promiseUntil)}` : ''),
      meta:
        dueText(row.days) +
        (row.step ? ` · ${t('today.step')}: ${row.step.id} (${row.step.channel})` : ''),
    };
    texts.set(row, out);
  }
  return out;
}

function Row({ row }: { row: TodayRow }) {
  const text = rowTexts(row);
  return (
    <a href={text.href}>
      <span class="name">{row.name}</span>
      <span class="amount">{text.amount}</span>
      <span class="meta">
        <span class={`queue queue-${row.queue}`} data-queue={row.queue}>
          {text.queue}
        </span>{' '}
        · {text.meta}
      </span>
      <span class="meta">
        {row.rejected > 0 ? (
          <span class="badge rejected-badge">{t('sync.rejectedBadge')}</span>
        ) : null}
        {row.pending > 0 ? <span class="badge">{t('sync.pendingBadge')}</span> : null}
      </span>
    </a>
  );
}

const renderRow = (row: TodayRow) => <Row row={row} />;

function useTodayRows(db: QuitaDb): TodayRow[] | null {
  const model = useMemo(() => todayBasesModel(db), [db]);
  useEffect(() => () => model.dispose(), [model]);
  const derive = useMemo(() => todayRowsDeriver(), [db]);
  const bases = model.value.value;
  const settings = orgSettings.value;
  const policy = useMemo(() => cadencePolicy(settings), [settings]);
  const day = today(settings);
  return useMemo(() => (bases ? derive(bases, policy, day) : null), [derive, bases, policy, day]);
}

function TodayList({ db }: { db: QuitaDb }) {
  const rows = useTodayRows(db);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<TodayFilter>('all');
  const pendingSearch = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(pendingSearch.current), []);
  const shown = useMemo(() => (rows ? filterRows(rows, query, filter) : []), [rows, query, filter]);
  return (
    <>
      <div class="today-controls">
        <div>
          <label for="today-search">{t('today.search')}</label>
          {/* Uncontrolled: typing repaints the input alone; the list follows after a pause. */}
          <input
            id="today-search"
            type="search"
            autocomplete="off"
            onInput={(e) => {
              const value = e.currentTarget.value;
              clearTimeout(pendingSearch.current);
              pendingSearch.current = setTimeout(() => setQuery(value), SEARCH_DELAY_MS);
            }}
          />
        </div>
        <div>
          <label for="today-filter">{t('today.filter')}</label>
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
      </div>
      {rows === null ? (
        <p class="muted">{t('common.loading')}</p>
      ) : (
        <>
          <p class="small muted" role="status" data-testid="today-count">
            {num(shown.length)} {t('today.count')}
          </p>
          {rows.length === 0 ? (
            <p class="muted">{t('today.noneYet')}</p>
          ) : shown.length === 0 ? (
            <p class="muted">{t('today.empty')}</p>
          ) : (
            <VirtualList
              items={shown}
              rowHeight={ROW}
              label={t('today.list')}
              renderRow={renderRow}
            />
          )}
        </>
      )}
    </>
  );
}

export function Today() {
  const rt = runtime.value;
  return (
    <section>
      <h1 tabIndex={-1}>{t('today.title')}</h1>
      {rt ? <TodayList db={rt.db} /> : <p class="muted">{t('common.loading')}</p>}
    </section>
  );
}
