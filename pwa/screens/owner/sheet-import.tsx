/**
 * Importing a spreadsheet (owner and staff): choose the file → the server reads its beginning
 * (`POST /api/import/preview`: encoding, separator, headers, first rows) → when the headers are
 * not recognised, the column-mapping step (one select per piece of information, prefilled with
 * what the names suggest) saved on the server for that header layout → the import itself, with
 * streamed progress (`Accept: application/x-ndjson`) and a report of the rows refused and of the
 * rows imported with a warning (a CPF/CNPJ that already had a debtor).
 */
import { useState } from 'preact/hooks';
import {
  ImportColumns,
  ImportHeadersPtBR,
  RequiredImportColumns,
  type ImportColumn,
} from '#shared/api/import-columns';
import { api, authHeaders, errorMessage, failure } from '../../app/api';
import { downloadFile } from '../../app/download';
import { num } from '../../i18n/format';
import { t, type MessageKey } from '../../i18n/messages';
import { TableWrap } from '../../ui/table-wrap';

const PREVIEW_BYTES = 64 * 1024;

interface Preview {
  encoding: string;
  delimiter: string;
  headers: string[];
  sample: string[][];
  suggested: Partial<Record<ImportColumn, number>>;
  saved: Partial<Record<ImportColumn, number>> | null;
  ready: boolean;
  source: 'names' | 'saved' | 'none';
}

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}
interface RowNote {
  line: number;
  column: string | null;
  message: string;
}
interface ImportResult {
  rows: number;
  debtors: Counts;
  debts: Counts;
  errors: RowNote[];
  errorCount: number;
  warnings: RowNote[];
  warningCount: number;
}
type ImportLine =
  | { type: 'progress'; rows: number }
  | ({ type: 'result' } & ImportResult)
  | { type: 'error'; problem: { detail?: string } };

const colLabel = (c: ImportColumn) => t(`sheets.col.${c}` as MessageKey);
const separatorName = (d: string) => (d === '\t' ? 'tab' : d);

async function readPreview(file: File): Promise<Preview> {
  const partial = file.size > PREVIEW_BYTES;
  const res = await fetch(`/api/import/preview${partial ? '?partial=1' : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', ...authHeaders() },
    body: file.slice(0, PREVIEW_BYTES),
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as Preview;
}

export function SheetImport() {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [map, setMap] = useState<Partial<Record<ImportColumn, number>>>({});
  const [progress, setProgress] = useState<{ rows: number; total: number } | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const choose = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const chosen = input.files?.[0] ?? null;
    setFile(chosen);
    setPreview(null);
    setResult(null);
    setError(null);
    setProgress(null);
    if (!chosen) return;
    setBusy(true);
    try {
      const read = await readPreview(chosen);
      setPreview(read);
      setMap(read.saved ?? read.suggested);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const run = async () => {
    if (!file) {
      setError(t('sheets.import.choose'));
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      if (preview && !preview.ready) {
        const columns = Object.fromEntries(ImportColumns.map((c) => [c, map[c] ?? null]));
        await api('PUT', '/api/import/mappings', {
          json: { headers: preview.headers, columns },
        });
      }
      const text = await file.slice(0, Math.min(file.size, 8 * 1024 * 1024)).text();
      const estimate = Math.max(1, text.split(/\r?\n/).filter((l) => l.trim() !== '').length - 1);
      const total =
        file.size > text.length ? Math.round((estimate * file.size) / text.length) : estimate;
      setProgress({ rows: 0, total });
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
            setPreview((p) =>
              p ? { ...p, ready: true, source: p.ready ? p.source : 'saved' } : p,
            );
          } else setError(msg.problem.detail ?? t('error.generic'));
        }
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const missing =
    preview && !preview.ready ? RequiredImportColumns.filter((c) => map[c] === undefined) : [];
  const taken = new Map<number, number>();
  for (const c of ImportColumns) {
    const at = map[c];
    if (at !== undefined) taken.set(at, (taken.get(at) ?? 0) + 1);
  }
  const repeated = [...taken.values()].some((n) => n > 1);

  return (
    <>
      <h2>{t('sheets.import.title')}</h2>
      <p class="small muted">{t('sheets.import.help')}</p>
      <details class="action">
        <summary>{t('sheets.import.columnsTitle')}</summary>
        <ul class="small muted columns" data-testid="import-columns">
          {ImportColumns.map((c) => (
            <li key={c}>
              <code>{ImportHeadersPtBR[c]}</code> {colLabel(c)}
              {RequiredImportColumns.includes(c) ? ` (${t('sheets.import.required')})` : null}
            </li>
          ))}
        </ul>
      </details>
      <p>
        <button
          type="button"
          class="link"
          onClick={() =>
            void downloadFile('/api/import/template.csv', 'modelo.csv').catch((e: unknown) =>
              setError(errorMessage(e)),
            )
          }
        >
          {t('sheets.import.template')}
        </button>
      </p>
      <div class="row">
        <label for="sheet-file">{t('sheets.import.file')}</label>
        <input
          id="sheet-file"
          type="file"
          accept=".csv,.txt,text/csv"
          onChange={(e) => void choose(e)}
        />
      </div>
      {busy && !progress ? (
        <p class="muted" role="status">
          {t('sheets.import.reading')}
        </p>
      ) : null}
      {preview ? (
        <p class="small" data-testid="sheet-read-as">
          {t('sheets.import.readAs')}{' '}
          {t(`sheets.import.encoding.${preview.encoding}` as MessageKey) ?? preview.encoding},{' '}
          {t('sheets.import.separator')} “{separatorName(preview.delimiter)}”.{' '}
          {preview.ready
            ? t(preview.source === 'saved' ? 'sheets.import.readySaved' : 'sheets.import.ready')
            : null}
        </p>
      ) : null}
      {preview && !preview.ready && !result ? (
        <ColumnMap preview={preview} map={map} onChange={setMap} />
      ) : null}
      {preview ? (
        <button
          type="button"
          class="primary"
          disabled={busy || missing.length > 0 || repeated}
          onClick={() => void run()}
        >
          {busy && progress
            ? t('sheets.import.running')
            : preview.ready
              ? t('sheets.import.submit')
              : t('sheets.import.saveAndImport')}
        </button>
      ) : null}
      {progress ? (
        <div class="progress">
          <label for="sheet-progress">{t('sheets.import.progress')}</label>
          <progress id="sheet-progress" max={progress.total} value={progress.rows} />
          <span class="small" role="status" data-testid="import-rows">
            {num(progress.rows)} {t('sheets.import.rows')}
          </span>
        </div>
      ) : null}
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
      {result ? <Report r={result} /> : null}
    </>
  );
}

function ColumnMap({
  preview,
  map,
  onChange,
}: {
  preview: Preview;
  map: Partial<Record<ImportColumn, number>>;
  onChange: (map: Partial<Record<ImportColumn, number>>) => void;
}) {
  const example = (at: number | undefined) =>
    at === undefined ? '' : (preview.sample.find((row) => (row[at] ?? '') !== '')?.[at] ?? '');
  return (
    <div class="column-map">
      <h3>{t('sheets.import.mapTitle')}</h3>
      <p class="small muted">{t('sheets.import.mapHelp')}</p>
      <TableWrap label={t('sheets.import.mapCaption')}>
        <table data-testid="column-map">
          <caption>{t('sheets.import.mapCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('sheets.import.field')}</th>
              <th scope="col">{t('sheets.import.column')}</th>
              <th scope="col">{t('sheets.import.example')}</th>
            </tr>
          </thead>
          <tbody>
            {ImportColumns.map((column) => {
              const required = RequiredImportColumns.includes(column);
              const id = `map-${column}`;
              return (
                <tr key={column}>
                  <th scope="row">
                    <label for={id}>
                      {colLabel(column)}
                      {required ? (
                        <span class="small muted"> ({t('sheets.import.required')})</span>
                      ) : null}
                    </label>
                  </th>
                  <td>
                    <select
                      id={id}
                      value={map[column] === undefined ? '' : String(map[column])}
                      aria-required={required}
                      onChange={(e) => {
                        const value = e.currentTarget.value;
                        const next = { ...map };
                        if (value === '') delete next[column];
                        else next[column] = Number(value);
                        onChange(next);
                      }}
                    >
                      <option value="">{t('sheets.import.none')}</option>
                      {preview.headers.map((header, i) => (
                        <option key={i} value={String(i)}>
                          {header}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td class="small">{example(map[column])}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
    </div>
  );
}

function Notes({ rows, caption, testid }: { rows: RowNote[]; caption: string; testid: string }) {
  if (rows.length === 0) return null;
  return (
    <TableWrap label={caption}>
      <table data-testid={testid}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              {t('sheets.import.line')}
            </th>
            <th scope="col">{t('sheets.import.field')}</th>
            <th scope="col">{t('sheets.import.message')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e, i) => (
            <tr key={`${e.line}-${i}`}>
              <td class="num">{e.line}</td>
              <td>
                {e.column && (ImportColumns as readonly string[]).includes(e.column)
                  ? colLabel(e.column as ImportColumn)
                  : '—'}
              </td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Report({ r }: { r: ImportResult }) {
  return (
    <div class="report" data-testid="import-report">
      <p role="status">
        {t('sheets.import.done')}: {num(r.debtors.created)} {t('sheets.import.created')},{' '}
        {num(r.debtors.updated)} {t('sheets.import.updated')}, {num(r.debtors.unchanged)}{' '}
        {t('sheets.import.unchanged')} · {num(r.errorCount)} {t('sheets.import.errors')} ·{' '}
        {num(r.warningCount)} {t('sheets.import.warnings')}
      </p>
      <Notes rows={r.errors} caption={t('sheets.import.errorsCaption')} testid="import-errors" />
      <Notes
        rows={r.warnings}
        caption={t('sheets.import.warningsCaption')}
        testid="import-warnings"
      />
    </div>
  );
}
