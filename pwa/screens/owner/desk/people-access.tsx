/** One person's sessions, extension tokens and phones, each revocable by the owner. */
import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../../app/api';
import { dateTime, num } from '../../../i18n/format';
import { t, type MessageKey } from '../../../i18n/messages';
import { Failure, Loading, useLoad } from '../../../ui/async';

interface AccessView {
  tokens: {
    id: string;
    kind: 'session' | 'api';
    name: string | null;
    display: string;
    lastUsedAt: string | null;
    expiresAt: string;
  }[];
  devices: {
    id: string;
    lastSeenAt: string | null;
    appVersion: string | null;
    userAgent: string | null;
    outboxPending: number;
    revokedAt: string | null;
  }[];
}

export function Access({ userId }: { userId: string }) {
  const [access, reload] = useLoad(
    () => api<AccessView>('GET', `/api/users/${userId}/access`),
    [userId],
  );
  const [error, setError] = useState<string | null>(null);
  const run = async (method: string, path: string) => {
    setError(null);
    try {
      await api(method, path);
      reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  if (access.state === 'loading') return <Loading />;
  if (access.state === 'error') return <Failure message={access.message} retry={reload} />;
  const { tokens, devices } = access.value;
  return (
    <div data-testid="access">
      <h3>{t('people.sessions')}</h3>
      {tokens.length === 0 ? <p class="muted small">{t('people.noTokens')}</p> : null}
      <ul>
        {tokens.map((tk) => (
          <li key={tk.id}>
            {t(`people.token.${tk.kind}` as MessageKey)}
            {tk.name ? ` “${tk.name}”` : ''} <code>{tk.display}…</code>{' '}
            <span class="small muted">
              {t('people.lastUsed')}: {tk.lastUsedAt ? dateTime(tk.lastUsedAt) : t('people.never')}{' '}
              · {t('people.expires')} {dateTime(tk.expiresAt)}
            </span>{' '}
            <button
              type="button"
              onClick={() => void run('DELETE', `/api/users/${userId}/tokens/${tk.id}`)}
            >
              {t('people.revoke')}
            </button>
          </li>
        ))}
      </ul>
      <h3>{t('people.devices')}</h3>
      {devices.length === 0 ? <p class="muted small">{t('people.noDevices')}</p> : null}
      <ul>
        {devices.map((d) => (
          <li key={d.id}>
            {d.userAgent ?? d.id.slice(0, 8)} {d.appVersion ? `· ${d.appVersion}` : ''}{' '}
            <span class="small muted">
              {t('people.lastSeen')}: {d.lastSeenAt ? dateTime(d.lastSeenAt) : t('people.never')} ·{' '}
              {num(d.outboxPending)} {t('people.pending')}
            </span>{' '}
            {d.revokedAt ? (
              <span class="badge wrong">{t('people.revoked')}</span>
            ) : (
              <button
                type="button"
                onClick={() => void run('POST', `/api/users/${userId}/devices/${d.id}/revoke`)}
              >
                {t('people.revokeDevice')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
