/**
 * Step 5: the portfolio. Download the template (`GET /api/import/template.csv`), send the filled
 * file (`POST /api/import/debtors`, the same importer as Trabalho: rows with errors are listed by
 * line and skipped, the others imported, a file sent twice changes nothing), then hand the debtors
 * nobody collects to a collector, or split them among all (`POST /api/assignments`, by pages of
 * the unassigned search). On an organisation without debtors, the demo is offered instead.
 */
import { useState } from 'preact/hooks';
import { api, authHeaders, errorMessage, failure } from '../../../app/api';
import { num } from '../../../i18n/format';
import { t } from '../../../i18n/messages';
import { useLoad } from '../../../ui/async';
import { DemoOffer } from './demo-panel';
import type { StepProps } from './steps';

interface Report {
  rows: number;
  debtors: { created: number; updated: number; unchanged: number };
  debts: { created: number; updated: number; unchanged: number };
  errors: { line: number; column?: string; message: string }[];
  errorCount: number;
}

interface Person {
  id: string;
  name: string;
  role: string;
  active: boolean;
}

async function downloadTemplate(): Promise<boolean> {
  const res = await fetch('/api/import/template.csv', { headers: authHeaders() });
  if (res.status === 404) return false;
  if (!res.ok) throw await failure(res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = 'modelo-importacao-quita.csv';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return true;
}

/** Every debtor nobody collects, handed to `collectors` in turn; answers how many. */
async function assignUnassigned(collectors: readonly string[]): Promise<number> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { id: string }[]; nextCursor: string | null } = await api(
      'GET',
      `/api/debtors?unassigned=1&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    ids.push(...page.items.map((d) => d.id));
    cursor = page.nextCursor;
  } while (cursor !== null && ids.length < 50_000);
  const shares = collectors.map((_, i) => ids.filter((_id, k) => k % collectors.length === i));
  for (const [i, collectorId] of collectors.entries())
    for (let k = 0; k < (shares[i]?.length ?? 0); k += 5000)
      await api('POST', '/api/assignments', {
        json: { collectorId, debtorIds: shares[i]?.slice(k, k + 5000) },
      });
  return ids.length;
}

export function ImportStep({ status, done, onSaved, refresh, skipButton }: StepProps) {
  const [people] = useLoad(() => api<Person[]>('GET', '/api/users'));
  const [templateMissing, setTemplateMissing] = useState(false);
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [target, setTarget] = useState('all');
  const [assigned, setAssigned] = useState<number | null>(null);
  const collectors =
    people.state === 'ready' ? people.value.filter((p) => p.role === 'collector' && p.active) : [];
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const upload = (event: SubmitEvent) => {
    event.preventDefault();
    const file = (new FormData(event.currentTarget as HTMLFormElement).get('file') ??
      null) as File | null;
    if (!file || file.size === 0) {
      setError(t('guide.import.choose'));
      return;
    }
    void run(async () => {
      const res = await fetch('/api/import/debtors', {
        method: 'POST',
        headers: { 'content-type': 'text/csv', accept: 'application/json', ...authHeaders() },
        body: file,
      });
      if (!res.ok) throw await failure(res);
      setReport((await res.json()) as Report);
      setAssigned(null);
      refresh();
    });
  };
  const assign = () =>
    void run(async () => {
      const ids = target === 'all' ? collectors.map((c) => c.id) : [target];
      setAssigned(await assignUnassigned(ids));
      refresh();
    });
  const unassigned = status.facts.unassignedDebtors;
  return (
    <div>
      <h2 tabIndex={-1}>{t('guide.import.title')}</h2>
      <p>{t('guide.import.text')}</p>
      <button
        type="button"
        onClick={() => void run(async () => setTemplateMissing(!(await downloadTemplate())))}
      >
        {t('guide.import.template')}
      </button>
      {templateMissing ? <p class="notice small">{t('guide.import.templateMissing')}</p> : null}
      <form onSubmit={upload}>
        <label for="guide-file">{t('guide.import.file')}</label>
        <input id="guide-file" name="file" type="file" accept=".csv,text/csv" />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('guide.import.running') : t('guide.import.submit')}
        </button>
      </form>
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
      {report ? (
        <div class="import-report" role="status" data-testid="guide-import-report">
          <h3>{t('guide.import.result')}</h3>
          <p>
            {num(report.debtors.created)} {t('guide.import.debtors')} · {num(report.debts.created)}{' '}
            {t('guide.import.debts')} · {num(report.debtors.updated + report.debts.updated)}{' '}
            {t('guide.import.updated')}
          </p>
          {report.errorCount > 0 ? (
            <>
              <p class="notice error">
                {num(report.errorCount)} {t('guide.import.errors')}
              </p>
              <ul class="small">
                {report.errors.slice(0, 20).map((e) => (
                  <li key={`${e.line}:${e.column ?? ''}`}>
                    {t('guide.import.line')} {e.line}: {e.message}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      {unassigned > 0 && collectors.length > 0 ? (
        <div>
          <h3>{t('guide.import.assignTitle')}</h3>
          <p>
            {num(unassigned)} {t('guide.import.unassigned')}
          </p>
          <label for="guide-assign">{t('guide.import.assignTo')}</label>
          <select
            id="guide-assign"
            value={target}
            onChange={(e) => setTarget(e.currentTarget.value)}
          >
            <option value="all">{t('guide.import.assignAll')}</option>
            {collectors.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <button type="button" disabled={busy} onClick={assign}>
            {t('guide.import.assign')}
          </button>
        </div>
      ) : null}
      {assigned !== null ? (
        <p class="notice ok" role="status">
          {num(assigned)} {t('guide.import.assigned')}
        </p>
      ) : null}
      <p class="small">
        <a href="/trabalho">{t('guide.import.full')}</a>
      </p>
      <div class="guide-actions">
        {done ? (
          <button type="button" class="primary" onClick={onSaved}>
            {t('guide.next')}
          </button>
        ) : (
          skipButton
        )}
      </div>
      {status.demo.available && status.facts.debtors === 0 ? (
        <DemoOffer onLoaded={refresh} />
      ) : null}
    </div>
  );
}
