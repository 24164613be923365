/**
 * The shell: header (who, online/offline), the update prompt, navigation by role, and the screen
 * for the current path. Owner screens are loaded on demand so the collector's first screen stays
 * small; they need a connection anyway.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/messages';
import { SignIn } from '../screens/sign-in';
import { Setup } from '../screens/setup';
import { Home } from '../screens/home';
import { dirty } from './dirty';
import { applyUpdate, online, updateReady } from './platform';
import { navigate, path } from './router';
import { role, session, signOut } from './session';
import { ROUTES, type Route } from './routes';
import { refreshSettings, startCollector, stopCollector } from './collector';
import { SyncIndicator } from '../ui/sync-indicator';

function LazyScreen({ route }: { route: Route }) {
  const [screen, setScreen] = useState<{ C: ComponentType } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    setScreen(null);
    setFailed(false);
    route.load().then(
      (C) => setScreen({ C }),
      () => setFailed(true),
    );
  }, [route]);
  if (failed)
    return (
      <p class="notice error" role="alert">
        {t('error.screenLoad')}
      </p>
    );
  if (!screen)
    return (
      <p class="muted" role="status">
        {t('common.loading')}
      </p>
    );
  return <screen.C />;
}

function UpdatePrompt() {
  const [refused, setRefused] = useState(false);
  if (!updateReady.value) return null;
  return (
    <div class="banner" role="status">
      <span>{t('update.ready')}</span>
      <button
        type="button"
        onClick={() => setRefused(!applyUpdate())}
        aria-describedby={dirty.value ? 'update-dirty' : undefined}
      >
        {t('update.apply')}
      </button>
      {dirty.value || refused ? (
        <span id="update-dirty" class="small">
          {t('update.dirty')}
        </span>
      ) : null}
    </div>
  );
}

function Header() {
  const s = session.value;
  return (
    <header class="top">
      <a href="/" class="brand">
        {t('app.name')}
      </a>
      <span class={`pill ${online.value ? 'on' : 'off'}`} role="status" aria-live="polite">
        {online.value ? t('status.online') : t('status.offline')}
      </span>
      {s ? (
        <button
          type="button"
          class="link"
          onClick={() => void signOut().then(() => navigate('/entrar'))}
        >
          {t('auth.signOut')}
        </button>
      ) : null}
    </header>
  );
}

function Nav() {
  const r = role.value;
  if (!r) return null;
  const items = ROUTES.filter((x) => x.roles.includes(r) && !x.hidden);
  return (
    <nav aria-label={t('nav.label')}>
      <ul>
        <li>
          <a href="/" aria-current={path.value === '/' ? 'page' : undefined}>
            {t('nav.home')}
          </a>
        </li>
        {items.map((x) => (
          <li key={x.path}>
            <a href={x.path} aria-current={path.value === x.path ? 'page' : undefined}>
              {t(x.label)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Screen() {
  const p = path.value;
  if (p === '/setup') return <Setup />;
  if (!session.value) return <SignIn />;
  if (p === '/' || p === '/entrar') return <Home />;
  const r = role.value;
  const route = ROUTES.find((x) => x.path === p);
  if (!route || !r || !route.roles.includes(r))
    return (
      <section>
        <h1 tabIndex={-1}>{t('notFound.title')}</h1>
        <p>
          <a href="/">{t('nav.home')}</a>
        </p>
      </section>
    );
  return <LazyScreen route={route} />;
}

/**
 * A collector's session runs the device database and the sync engine (device registration and
 * the first sync happen on its first cycle); signing out stops them, keeping the outbox.
 */
function useCollectorSession(): void {
  const s = session.value;
  const collectorId = s?.user.role === 'collector' ? s.user.id : null;
  useEffect(() => {
    if (!collectorId) return;
    void startCollector(collectorId);
    if (online.value) void refreshSettings();
    return () => stopCollector();
  }, [collectorId]);
}

export function App() {
  useCollectorSession();
  return (
    <>
      <a href="#conteudo" class="skip">
        {t('a11y.skip')}
      </a>
      <Header />
      <UpdatePrompt />
      <Nav />
      {role.value === 'collector' ? <SyncIndicator /> : null}
      <main id="conteudo">
        <Screen />
      </main>
    </>
  );
}
