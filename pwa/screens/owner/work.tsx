/**
 * Work: spreadsheets in (./sheet-import.tsx) and out (./sheet-export.tsx), and assigning or
 * unassigning debtors to collectors in bulk.
 */
import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../app/api';
import { role } from '../../app/session';
import { Failure, Loading, useLoad } from '../../ui/async';
import { brl, num } from '../../i18n/format';
import { t } from '../../i18n/messages';
import { SheetExport } from './sheet-export';
import { SheetImport } from './sheet-import';

export function Work() {
  return (
    <section>
      <h1 tabIndex={-1}>{t('work.title')}</h1>
      <SheetImport />
      <SheetExport />
      {role.value === 'owner' ? <Assign /> : null}
    </section>
  );
}

interface DebtorItem {
  id: string;
  name: string;
  document: string;
  totalDue: number;
  daysOverdue: number;
  collector: { id: string; name: string } | null;
}

interface UserItem {
  id: string;
  name: string;
  role: string;
  active: boolean;
}

function Assign() {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [collector, setCollector] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [users] = useLoad(() => api<UserItem[]>('GET', '/api/users'));
  const [debtors, reload] = useLoad(
    () =>
      api<{ items: DebtorItem[] }>(
        'GET',
        `/api/debtors?limit=200${search ? `&q=${encodeURIComponent(search)}` : ''}`,
      ),
    [search],
  );
  const collectors =
    users.state === 'ready' ? users.value.filter((u) => u.role === 'collector' && u.active) : [];

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  const act = async (kind: 'assign' | 'unassign') => {
    setMessage(null);
    try {
      const debtorIds = [...selected];
      if (kind === 'assign') {
        const r = await api<{ assigned: number; moved: number; unchanged: number }>(
          'POST',
          '/api/assignments',
          { json: { collectorId: collector, debtorIds } },
        );
        setMessage({
          ok: true,
          text: `${num(r.assigned)} ${t('work.assign.assigned')} (${num(r.moved)} ${t('work.assign.moved')}), ${num(r.unchanged)} ${t('work.assign.unchanged')}`,
        });
      } else {
        const r = await api<{ unassigned?: number }>('POST', '/api/assignments/unassign', {
          json: { debtorIds },
        });
        setMessage({
          ok: true,
          text: `${num(r.unassigned ?? debtorIds.length)} ${t('work.assign.removed')}`,
        });
      }
      setSelected(new Set());
      reload();
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  };

  return (
    <>
      <h2>{t('work.assign.title')}</h2>
      <form
        class="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q.trim());
        }}
      >
        <label for="debtor-q" class="sr-only">
          {t('work.assign.search')}
        </label>
        <input
          id="debtor-q"
          type="search"
          placeholder={t('work.assign.search')}
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
        <button type="submit">{t('common.search')}</button>
      </form>
      <div class="row">
        <label for="collector">{t('work.assign.collector')}</label>
        <select
          id="collector"
          value={collector}
          onChange={(e) => setCollector(e.currentTarget.value)}
        >
          <option value="">{t('work.assign.pick')}</option>
          {collectors.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div class="row">
        <button
          type="button"
          class="primary"
          disabled={selected.size === 0 || collector === ''}
          onClick={() => void act('assign')}
        >
          {t('work.assign.assign')} ({num(selected.size)})
        </button>
        <button type="button" disabled={selected.size === 0} onClick={() => void act('unassign')}>
          {t('work.assign.unassign')}
        </button>
      </div>
      {message ? (
        <p class={`notice ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
      {debtors.state === 'loading' ? <Loading /> : null}
      {debtors.state === 'error' ? <Failure message={debtors.message} retry={reload} /> : null}
      {debtors.state === 'ready' ? (
        debtors.value.items.length === 0 ? (
          <p class="muted">{t('work.assign.none')}</p>
        ) : (
          <ul class="pick-list" aria-label={t('work.assign.listLabel')}>
            {debtors.value.items.map((d) => (
              <li key={d.id}>
                <input
                  type="checkbox"
                  id={`pick-${d.id}`}
                  checked={selected.has(d.id)}
                  onChange={() => toggle(d.id)}
                />
                <label for={`pick-${d.id}`}>
                  <span class="name">{d.name}</span>
                  <span class="small muted">
                    {brl(d.totalDue)}
                    {d.daysOverdue > 0
                      ? ` · ${num(d.daysOverdue)} ${t('portfolio.days')}`
                      : ''} ·{' '}
                    {d.collector ? d.collector.name : t('portfolio.unassigned')}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </>
  );
}
