/**
 * Today: the collector's assigned debtors in cadence order, with search and filters. Only the rows
 * in view are rendered (fixed-height rows in a scroll box), so 5,000 debtors scroll smoothly.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { orgSettings, runtime } from '../../app/collector';
import type { QuitaDb, SrvDebt } from '../../db/db';
import { liveSignal } from '../../models/live-signal';
import { debtorsModel } from '../../models/read-models';
import { brl, num } from '../../i18n/format';
import { t } from '../../i18n/messages';
import {
  cadencePolicy,
  filterRows,
  today,
  todayRows,
  type TodayFilter,
  type TodayRow,
} from './collector-data';

const ROW = 64;
const OVERSCAN = 8;

function useModels(db: QuitaDb) {
  const models = useMemo(
    () => ({
      debtors: debtorsModel(db),
      debts: liveSignal<SrvDebt[]>(() => db.debts.toArray(), []),
    }),
    [db],
  );
  useEffect(
    () => () => {
      models.debtors.dispose();
      models.debts.dispose();
    },
    [models],
  );
  return models;
}

function dueText(days: number | null): string {
  if (days === null) return t('today.upToDate');
  if (days > 0) return `${num(days)} ${t('today.daysLate')}`;
  return `${t('today.dueIn')} ${num(-days)} ${t('today.days')}`;
}

function Row({ row, top }: { row: TodayRow; top: number }) {
  return (
    <li
      class="vrow"
      style={{ transform: `translateY(${top}px)`, position: 'absolute', left: 0, right: 0 }}
    >
      <a href={`/cliente?id=${encodeURIComponent(row.id)}`}>
        <span class="name">{row.name}</span>
        <span class="amount">{brl(row.balance)}</span>
        <span class="meta">
          {dueText(row.days)}
          {row.step ? ` · ${t('today.step')}: ${row.step.id} (${row.step.channel})` : ''}
        </span>
        <span class="meta">
          {row.rejected > 0 ? (
            <span class="badge rejected-badge">{t('sync.rejectedBadge')}</span>
          ) : null}
          {row.pending > 0 ? <span class="badge">{t('sync.pendingBadge')}</span> : null}
        </span>
      </a>
    </li>
  );
}

function TodayList({ db }: { db: QuitaDb }) {
  const models = useModels(db);
  const [text, setText] = useState('');
  const [filter, setFilter] = useState<TodayFilter>('all');
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(480);
  const debtors = models.debtors.value.value;
  const debts = models.debts.value.value;
  const settings = orgSettings.value;
  const day = today(settings);
  const rows = useMemo(
    () => todayRows(debtors, debts, cadencePolicy(settings), day),
    [debtors, debts, settings, day],
  );
  const shown = useMemo(() => filterRows(rows, text, filter), [rows, text, filter]);
  const first = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const last = Math.min(shown.length, Math.ceil((scrollTop + height) / ROW) + OVERSCAN);
  return (
    <>
      <div class="today-controls">
        <div>
          <label for="today-search">{t('today.search')}</label>
          <input
            id="today-search"
            type="search"
            value={text}
            autocomplete="off"
            onInput={(e) => setText(e.currentTarget.value)}
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
      <p class="small muted" role="status" data-testid="today-count">
        {num(shown.length)} {t('today.count')}
      </p>
      {rows.length === 0 ? (
        <p class="muted">{t('today.noneYet')}</p>
      ) : shown.length === 0 ? (
        <p class="muted">{t('today.empty')}</p>
      ) : (
        <div
          class="vlist"
          tabIndex={0}
          role="region"
          aria-label={t('today.list')}
          ref={(el) => {
            if (el && el.clientHeight && el.clientHeight !== height) setHeight(el.clientHeight);
          }}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        >
          <ul style={{ height: `${shown.length * ROW}px` }}>
            {shown.slice(first, last).map((row, i) => (
              <Row key={row.id} row={row} top={(first + i) * ROW} />
            ))}
          </ul>
        </div>
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
