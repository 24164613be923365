/** The export buttons (owner and staff): the portfolio and today's queue as Excel CSV files. */
import { useState } from 'preact/hooks';
import { errorMessage } from '../../app/api';
import { downloadFile } from '../../app/download';
import { t } from '../../i18n/messages';

const EXPORTS = [
  { path: '/api/export/portfolio.csv', label: 'sheets.export.portfolio', name: 'carteira.csv' },
  { path: '/api/export/queue.csv', label: 'sheets.export.queue', name: 'fila-do-dia.csv' },
] as const;

export function SheetExport() {
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async (path: string, name: string) => {
    setBusy(path);
    setMessage(null);
    try {
      const saved = await downloadFile(path, name);
      setMessage({ ok: true, text: `${t('sheets.export.done')}: ${saved}` });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };
  return (
    <div class="sheet-export">
      <h2>{t('sheets.export.title')}</h2>
      <div class="row">
        {EXPORTS.map((e) => (
          <button
            key={e.path}
            type="button"
            disabled={busy !== null}
            onClick={() => void run(e.path, e.name)}
          >
            {busy === e.path ? t('sheets.export.running') : t(e.label)}
          </button>
        ))}
      </div>
      {message ? (
        <p class={`notice ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
