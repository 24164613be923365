/**
 * Work: import debtors from CSV (streamed progress, per-row errors) and assign/unassign debtors to
 * collectors in bulk. Progress comes from `Accept: application/x-ndjson` on the import request
 * itself; the total is estimated from the file's line count, which the browser has anyway.
 */
import { useState } from 'preact/hooks';
import { api, authHeaders, errorMessage, failure } from '../../app/api';
import { role } from '../../app/session';
import { Failure, Loading, useLoad } from '../../ui/async';
import { brl, num } from '../../i18n/format';
import { TableWrap } from '../../ui/table-wrap';
import { t, type MessageKey } from '../../i18n/messages';

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

interface ImportResult {
  rows: number;
  debtors: Counts;
  debts: Counts;
  errors: { line: number; column: string | null; message: string }[];
  errorCount: number;
  complete: boolean;
}

type ImportLine =
  | { type: 'progress'; rows: number; errorCount: number }
  | ({ type: 'result' } & ImportResult)
  | { type: 'error'; problem: { detail?: string } };

export function Work() {
  return (
    <section>
      <h1 tabIndex={-1}>{t('work.title')}</h1>
      <CsvImport />
      {role.value === 'owner' ? <Assign /> : null}
    </section>
  );
}

function CsvImport() {
  const [progress, setProgress] = useState<{ rows: number; total: number } | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('csv');
    const file = input instanceof HTMLInputElement ? input.files?.[0] : undefined;
    if (!file) {
      setError(t('work.import.choose'));
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    const text = await file.text();
    // Data rows ≈ non-empty lines minus the header (quoted newlines make this an estimate).
    const total = Math.max(1, text.split(/\r?\n/).filter((l) => l.trim() !== '').length - 1);
    setProgress({ rows: 0, total });
    try {
      const res = await fetch('/api/import/debtors', {
        method: 'POST',
        headers: { 'content-type': 'text/csv', accept: 'application/x-ndjson', ...authHeaders() },
        body: file,
      });
      if (!res.ok || !res.body) throw await failure(res);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (!line) continue;
          const msg = JSON.parse(line) as ImportLine;
          if (msg.type === 'progress')
            setProgress({ rows: msg.rows, total: Math.max(total, msg.rows) });
          else if (msg.type === 'result') {
            setProgress({ rows: msg.rows, total: msg.rows });
            setResult(msg);
          } else setError(msg.problem.detail ?? t('error.generic'));
        }
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h2>{t('work.import.title')}</h2>
      <p class="small muted">{t('work.import.help')}</p>
      <ul class="small muted columns" data-testid="import-columns">
        {CSV_COLUMNS.map((c) => (
          <li key={c}>
            <code>{c}</code> {columnLabel(c)}
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void submit(e)}>
        <label for="csv">{t('work.import.file')}</label>
        <input id="csv" name="csv" type="file" accept=".csv,text/csv" />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('work.import.running') : t('work.import.submit')}
        </button>
      </form>
      {progress ? (
        <div class="progress">
          <label for="import-progress">{t('work.import.progress')}</label>
          <progress id="import-progress" max={progress.total} value={progress.rows} />
          <span class="small" role="status" data-testid="import-rows">
            {num(progress.rows)} {t('work.import.rows')}
          </span>
        </div>
      ) : null}
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
      {result ? <ImportReport r={result} /> : null}
    </>
  );
}

/** The import file's columns, as its header must spell them. */
const CSV_COLUMNS = [
  'external_id',
  'name',
  'document',
  'email',
  'phone',
  'address',
  'city',
  'state',
  'debt_id',
  'description',
  'amount',
  'due_date',
] as const;

/** A column of the import file in words ("CPF/CNPJ"); the header itself is shown as code. */
function columnLabel(column: string): string {
  return t(`work.column.${column}` as MessageKey) ?? t('work.column.other');
}

function ImportReport({ r }: { r: ImportResult }) {
  return (
    <div class="report" data-testid="import-report">
      <p role="status">
        {t('work.import.done')}: {num(r.debtors.created)} {t('work.import.created')},{' '}
        {num(r.debtors.updated)} {t('work.import.updated')}, {num(r.debtors.unchanged)}{' '}
        {t('work.import.unchanged')} · {num(r.errorCount)} {t('work.import.errors')}
      </p>
      {r.errors.length > 0 ? (
        <TableWrap label={t('work.import.errorsCaption')}>
          <table data-testid="import-errors">
            <caption>{t('work.import.errorsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  {t('work.import.line')}
                </th>
                <th scope="col">{t('work.import.column')}</th>
                <th scope="col">{t('work.import.message')}</th>
              </tr>
            </thead>
            <tbody>
              {r.errors.map((e, i) => (
                <tr key={`${e.line}-${i}`}>
                  <td class="num">{e.line}</td>
                  <td>
                    {e.column ? (
                      <>
                        {columnLabel(e.column)} <code>{e.column}</code>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </div>
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
