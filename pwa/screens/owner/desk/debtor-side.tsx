/**
 * The debtor page's side facts: what the régua does next and why, who collects (assign or
 * unassign), and other records with the same CPF/CNPJ (the owner merges them here).
 */
import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../../app/api';
import { date, dateTime, num } from '../../../i18n/format';
import { t } from '../../../i18n/messages';
import { useLoad } from '../../../ui/async';
import { word, type Story } from './story';

export function Cadence({ story }: { story: Story }) {
  const c = story.cadence;
  const step = c.stepDue ?? c.next;
  return (
    <div class="desk-card" data-testid="cadence">
      <h2>{t('desk.cadence')}</h2>
      {step ? (
        <p>
          <strong>{c.stepDue ? t('desk.stepDue') : t('desk.nextStep')}:</strong>{' '}
          {word('kind', step.kind)} {t('desk.on')} {word('channel', step.channel)} ·{' '}
          {date(step.dueOn)}
        </p>
      ) : (
        <p>{t('desk.noStep')}</p>
      )}
      <p>
        <strong>{t('desk.why')}:</strong> {word('reason', c.reason)}
      </p>
      {c.next && c.next.blockedBy.length > 0 ? (
        <p>
          <strong>{t('desk.blocked')}:</strong>{' '}
          {c.next.blockedBy
            .map((b) => `${word('block', b.code)}${b.allowedOn ? ` (${date(b.allowedOn)})` : ''}`)
            .join('; ')}
        </p>
      ) : null}
      <p class="small muted">
        {t('desk.budget')}: {num(story.contactBudgetLeft.today)} {t('desk.budgetToday')},{' '}
        {num(story.contactBudgetLeft.last7Days)} {t('desk.budgetWeek')}
      </p>
    </div>
  );
}

interface UserItem {
  id: string;
  name: string;
  role: string;
  active: boolean;
}

export function Collector({ story, reload }: { story: Story; reload: () => void }) {
  const [users] = useLoad(() => api<UserItem[]>('GET', '/api/users').catch(() => []));
  const [pick, setPick] = useState('');
  const [error, setError] = useState<string | null>(null);
  const collectors =
    users.state === 'ready' ? users.value.filter((u) => u.role === 'collector' && u.active) : [];
  const a = story.assignment;
  const act = async (kind: 'assign' | 'unassign') => {
    setError(null);
    try {
      if (kind === 'assign')
        await api('POST', '/api/assignments', {
          json: { collectorId: pick, debtorIds: [story.debtor.id] },
        });
      else
        await api('POST', '/api/assignments/unassign', { json: { debtorIds: [story.debtor.id] } });
      reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div class="desk-card">
      <h2>{t('desk.assignment')}</h2>
      <p data-testid="collector">
        {a ? (
          <>
            <strong>{a.collectorName}</strong>{' '}
            <span class="small muted">
              {t('desk.since')} {dateTime(a.since)}
            </span>
          </>
        ) : (
          t('desk.noCollector')
        )}
      </p>
      {collectors.length > 0 ? (
        <div class="row">
          <label for="assign-to">{t('desk.pickCollector')}</label>
          <select id="assign-to" value={pick} onChange={(e) => setPick(e.currentTarget.value)}>
            <option value="">{t('desk.pickCollector')}</option>
            {collectors.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <button type="button" disabled={pick === ''} onClick={() => void act('assign')}>
            {t('desk.assign')}
          </button>
          {a ? (
            <button type="button" onClick={() => void act('unassign')}>
              {t('desk.unassign')}
            </button>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Duplicates({
  story,
  owner,
  reload,
}: {
  story: Story;
  owner: boolean;
  reload: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const merge = async (dupId: string) => {
    if (!confirm(t('desk.mergeConfirm'))) return;
    setError(null);
    try {
      const dup = await api<Story>('GET', `/api/debtors/${dupId}/story`);
      await api('POST', `/api/debtors/${story.debtor.id}/merge`, {
        json: {
          duplicateId: dupId,
          version: story.debtor.version,
          duplicateVersion: dup.debtor.version,
        },
      });
      reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div class="notice" data-testid="duplicates">
      <p>
        <strong>{t('desk.duplicates')}:</strong>
      </p>
      <ul>
        {story.duplicates.map((d) => (
          <li key={d.id}>
            <a href={`/devedor?id=${d.id}`}>{d.name}</a>{' '}
            {owner ? (
              <button type="button" onClick={() => void merge(d.id)}>
                {t('desk.merge')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {owner ? <p class="small">{t('desk.mergeHint')}</p> : null}
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
