/**
 * The shell: header (who, online/offline), the update prompt, navigation by role, and the screen
 * for the current path. Every screen behind the navigation is loaded on demand (with its area's
 * text, i18n/messages.ts), and so is the collector's runtime (Dexie, the sync line): it is imported
 * only once the session says "collector", so owners' and staff's first screen never downloads the
 * device database. The sync engine itself follows the first screen (app/collector.ts).
 */
import type { ComponentChildren, ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { loadMessages, t } from '../i18n/messages';
import { dirty } from './dirty';
import { applyUpdate, online, screenShown, updateReady } from './platform';
import { navigate, path } from './router';
import { role, session, signOut } from './session';
import { PUBLIC_ROUTES, ROUTES, type Route } from './routes';

type Loadable = Pick<Route, 'load' | 'reportsShown'>;

/** The first-run screen (creating the owner): loaded on demand, no session ever needs it again. */
const SETUP: Loadable = { load: () => import('../screens/setup').then((m) => m.Setup) };
/**
 * Sign-in and Home load on demand too: a collector's phone opening straight on /hoje (the first
 * screen that must stay small) downloads neither.
 */
const SIGN_IN: Loadable = { load: () => import('../screens/sign-in').then((m) => m.SignIn) };
const HOME: Loadable = { load: () => import('../screens/home').then((m) => m.Home) };

function LazyScreen({ route }: { route: Loadable }) {
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
  // After the screen's first render; a screen whose content arrives later reports it itself.
  useEffect(() => {
    if (failed || (screen && !route.reportsShown)) screenShown();
  }, [screen, failed, route]);
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

const signOutNow = () => void signOut().then(() => navigate('/entrar'));

/**
 * "Sair": at once for owners and staff; for a collector, the guard (../ui/sign-out.tsx, loaded
 * with its text on the tap) when records wait to be sent or there is no connection.
 */
function useSignOut(): { ask: () => void; guard: ComponentType | null } {
  const [guard, setGuard] = useState<ComponentType | null>(null);
  const ask = () => {
    if (role.value !== 'collector') return signOutNow();
    void Promise.all([loadMessages('field'), import('../ui/sign-out')]).then(([, m]) => {
      if (!m.mustAsk()) return signOutNow();
      const close = () => setGuard(null);
      setGuard(() => () => (
        <m.SignOutGuard
          onCancel={close}
          onSignOut={() => {
            close();
            signOutNow();
          }}
        />
      ));
    }, signOutNow);
  };
  return { ask, guard };
}

function Header({ onSignOut }: { onSignOut: () => void }) {
  const s = session.value;
  return (
    <header class="top">
      <a href="/" class="brand">
        {t('app.name')}
      </a>
      {/* A collector's sync line says it (once) with what waits to be sent. */}
      {role.value === 'collector' ? null : (
        <span class={`pill ${online.value ? 'on' : 'off'}`} role="status" aria-live="polite">
          {online.value ? t('status.online') : t('status.offline')}
        </span>
      )}
      {s ? (
        <button type="button" class="link" onClick={onSignOut}>
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

/** The screens in the entry bundle are shown by their first render. */
function Shown({ children }: { children: ComponentChildren }) {
  useEffect(screenShown, []);
  return <>{children}</>;
}

function Screen() {
  const p = path.value;
  if (p === '/setup') return <LazyScreen route={SETUP} />;
  const open = PUBLIC_ROUTES[p];
  if (open) return <LazyScreen route={open} />;
  if (!session.value) return <LazyScreen route={SIGN_IN} />;
  if (p === '/' || p === '/entrar') return <LazyScreen route={HOME} />;
  const r = role.value;
  const route = ROUTES.find((x) => x.path === p);
  if (!route || !r || !route.roles.includes(r))
    return (
      <Shown>
        <section>
          <h1 tabIndex={-1}>{t('notFound.title')}</h1>
          <p>
            <a href="/">{t('nav.home')}</a>
          </p>
        </section>
      </Shown>
    );
  return <LazyScreen route={route} />;
}

/** The sync line, loaded with the collector's runtime (it reads its signals). */
function SyncLine() {
  const [line, setLine] = useState<{ C: ComponentType } | null>(null);
  useEffect(() => {
    let live = true;
    void import('../ui/sync-indicator').then((m) => {
      if (live) setLine({ C: m.SyncIndicator });
    });
    return () => {
      live = false;
    };
  }, []);
  return line ? <line.C /> : null;
}

/**
 * A collector's session runs the device database and the sync engine (device registration and
 * the first sync happen on its first cycle); signing out stops them, keeping the outbox. The
 * module is imported here, after the session is known, not statically: Dexie and the engine are
 * a third of the JavaScript and no other role needs them.
 */
function useCollectorSession(): void {
  const s = session.value;
  const collectorId = s?.user.role === 'collector' ? s.user.id : null;
  useEffect(() => {
    if (!collectorId) return;
    let ended = false;
    let stop: (() => void) | null = null;
    void import('./collector').then((m) => {
      // Signed out (or switched user) before the module arrived: nothing to start.
      if (ended) return;
      stop = m.stopCollector;
      void m.startCollector(collectorId);
      if (online.value) void m.refreshSettings();
    });
    return () => {
      ended = true;
      stop?.();
    };
  }, [collectorId]);
}

export function App() {
  useCollectorSession();
  const signOutFlow = useSignOut();
  const Guard = signOutFlow.guard;
  return (
    <>
      <a href="#conteudo" class="skip">
        {t('a11y.skip')}
      </a>
      <Header onSignOut={signOutFlow.ask} />
      {Guard ? <Guard /> : null}
      <UpdatePrompt />
      <Nav />
      {role.value === 'collector' ? <SyncLine /> : null}
      <main id="conteudo">
        <Screen />
      </main>
    </>
  );
}
