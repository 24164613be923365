/**
 * Home: who is signed in, and this device's place in the world — connection, persistent storage
 * (requested here, result shown), install, app version. Owners get shortcuts to their screens.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import {
  installable,
  installed,
  online,
  persist,
  promptInstall,
  requestPersistence,
  swActive,
} from '../app/platform';
import { role, session } from '../app/session';
import { ROUTES } from '../app/routes';
import '../i18n/messages-start';
import { loadMessages, t, type MessageKey } from '../i18n/messages';

const PERSIST: Record<string, MessageKey> = {
  unknown: 'device.persist.unknown',
  granted: 'device.persist.granted',
  denied: 'device.persist.denied',
  unsupported: 'device.persist.unsupported',
};

/**
 * The owner's "what is still missing" and the demo offer: loaded on demand with its text, so the
 * collector's first screen never carries it.
 */
function OwnerSetup() {
  const [card, setCard] = useState<{ C: ComponentType } | null>(null);
  useEffect(() => {
    let live = true;
    void loadMessages('guide')
      .then(() => import('./owner/guide/home-card'))
      .then((m) => live && setCard({ C: m.HomeCard }));
    return () => {
      live = false;
    };
  }, []);
  return card ? <card.C /> : null;
}

export function Home() {
  useEffect(() => {
    if (persist.value === 'unknown') void requestPersistence();
  }, []);
  const s = session.value;
  const r = role.value;
  return (
    <section>
      <h1 tabIndex={-1}>
        {t('home.hello')}, {s?.user.name}
      </h1>
      <p class="muted">{r ? t(`role.${r}`) : ''}</p>
      {r === 'collector' ? <p class="notice">{t('home.collectorSoon')}</p> : null}
      {r === 'owner' ? <OwnerSetup /> : null}
      <ul class="tiles">
        {ROUTES.filter((x) => r && x.roles.includes(r) && !x.hidden).map((x) => (
          <li key={x.path}>
            <a href={x.path}>{t(x.label)}</a>
          </li>
        ))}
      </ul>
      <h2>{t('device.title')}</h2>
      <dl class="facts">
        <dt>{t('device.connection')}</dt>
        <dd>{online.value ? t('status.online') : t('status.offline')}</dd>
        <dt>{t('device.offlineReady')}</dt>
        <dd data-testid="sw-state">{swActive.value ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('device.persist')}</dt>
        <dd data-testid="persist-state">{t(PERSIST[persist.value] ?? 'device.persist.unknown')}</dd>
        <dt>{t('device.installed')}</dt>
        <dd>{installed.value ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('device.version')}</dt>
        <dd>{__APP_VERSION__}</dd>
      </dl>
      {installable.value && !installed.value ? (
        <button type="button" class="primary" onClick={() => void promptInstall()}>
          {t('device.install')}
        </button>
      ) : null}
    </section>
  );
}
