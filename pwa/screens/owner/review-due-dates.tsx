/**
 * Review of the new due dates debtors asked for on their own page (server/portal): the date, the
 * debtor's reason, and the office's answer — grant (a promise for that date is recorded, the
 * régua waits until then) or refuse with a reason the debtor reads on the page.
 */
import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../app/api';
import { date, dateTime } from '../../i18n/format';
import { t } from '../../i18n/messages';
import { Failure, Loading, useLoad } from '../../ui/async';

interface DueDateRequest {
  id: string;
  debtor: { id: string; name: string };
  requestedOn: string;
  reason: string | null;
  createdAt: string;
}

function Answer({ request, done }: { request: DueDateRequest; done: () => void }) {
  const [refusing, setRefusing] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const run = async (path: string, json: unknown) => {
    setError(null);
    try {
      await api('POST', `/api/portal/requests/${request.id}/${path}`, { json });
      done();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div class="decide">
      {refusing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run('refuse', { note });
          }}
        >
          <label>
            {t('review.dueDate.refuseReason')}
            <input
              value={note}
              required
              maxLength={500}
              onInput={(e) => setNote(e.currentTarget.value)}
            />
          </label>
          <button type="submit">{t('review.confirmReject')}</button>
          <button type="button" class="link" onClick={() => setRefusing(false)}>
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <div class="row">
          <button type="button" class="primary" onClick={() => void run('grant', {})}>
            {t('review.dueDate.grant')}
          </button>
          <button type="button" onClick={() => setRefusing(true)}>
            {t('review.reject')}
          </button>
        </div>
      )}
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function DueDatesReview() {
  const [requests, reload] = useLoad(() =>
    api<{ items: DueDateRequest[] }>('GET', '/api/portal/requests?status=open'),
  );
  if (requests.state === 'loading') return <Loading />;
  if (requests.state === 'error') return <Failure message={requests.message} retry={reload} />;
  if (requests.value.items.length === 0) return <p class="muted">{t('review.dueDate.none')}</p>;
  return (
    <ul class="items">
      {requests.value.items.map((r) => (
        <li key={r.id} data-testid="due-date-request">
          <p>
            <strong>{r.debtor.name}</strong>
          </p>
          <p>
            {t('review.dueDate.asks')} <strong>{date(r.requestedOn)}</strong>
          </p>
          {r.reason ? <p class="small">“{r.reason}”</p> : null}
          <p class="small muted">
            {t('review.dueDate.askedAt')} {dateTime(r.createdAt)}
          </p>
          <Answer request={r} done={reload} />
        </li>
      ))}
    </ul>
  );
}
