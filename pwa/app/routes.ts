/** The screens behind the navigation, by role; each is loaded on first visit. */
import type { ComponentType } from 'preact';
import type { Role } from '#shared/auth/user.schema';
import { loadMessages, type MessageArea, type MessageKey } from '../i18n/messages';

type Lazy = () => Promise<ComponentType>;

/**
 * The screen once its area's text is in the catalogue: the text first, since a screen module may
 * read it as it loads.
 */
function withText(area: MessageArea, screen: Lazy): Lazy {
  return () => loadMessages(area).then(screen);
}

export interface Route {
  path: string;
  label: MessageKey;
  roles: readonly Role[];
  load: Lazy;
  /** Reached from other screens (a debtor's page), not from the navigation. */
  hidden?: boolean;
  /**
   * The screen calls platform.ts `screenShown()` once its content is on screen (it arrives after
   * the first render); the shell reports the others when they mount.
   */
  reportsShown?: boolean;
}

const OFFICE: readonly Role[] = ['owner', 'staff'];

/** Public pages reached by a link, shown with or without a session. */
export const PUBLIC_ROUTES: Readonly<Record<string, Pick<Route, 'load'>>> = {
  '/redefinir-senha': {
    load: withText('desk', () => import('../screens/reset-password').then((m) => m.ResetPassword)),
  },
  // The link of a sign-in QR code (shared/auth/sign-in-code.schema.ts SIGN_IN_CODE_PATH).
  '/entrar-com-codigo': {
    load: withText('access', () => import('../screens/sign-in-code').then((m) => m.SignInCode)),
  },
};

export const ROUTES: readonly Route[] = [
  {
    path: '/hoje',
    label: 'nav.today',
    roles: ['collector'],
    reportsShown: true,
    load: () => import('../screens/collector/today').then((m) => m.Today),
  },
  {
    path: '/cliente',
    label: 'nav.today',
    roles: ['collector'],
    hidden: true,
    load: withText('field', () => import('../screens/collector/debtor').then((m) => m.Debtor)),
  },
  {
    path: '/carteira',
    label: 'nav.portfolio',
    roles: OFFICE,
    load: withText('office', () => import('../screens/owner/portfolio').then((m) => m.Portfolio)),
  },
  {
    path: '/trabalho',
    label: 'nav.work',
    roles: OFFICE,
    load: withText('office', () => import('../screens/owner/work').then((m) => m.Work)),
  },
  {
    path: '/revisao',
    label: 'nav.review',
    roles: OFFICE,
    load: withText('office', () => import('../screens/owner/review').then((m) => m.Review)),
  },
  {
    path: '/dispositivos',
    label: 'nav.devices',
    roles: ['owner'],
    load: withText('office', () => import('../screens/owner/devices').then((m) => m.Devices)),
  },
  {
    path: '/ajustes',
    label: 'nav.settings',
    roles: OFFICE,
    load: withText('office', () =>
      import('../screens/owner/settings/settings').then((m) => m.Settings),
    ),
  },
  {
    path: '/devedores',
    label: 'nav.debtors',
    roles: OFFICE,
    load: withText('desk', () => import('../screens/owner/desk/debtors').then((m) => m.Debtors)),
  },
  {
    path: '/devedor',
    label: 'nav.debtors',
    roles: OFFICE,
    hidden: true,
    load: withText('desk', () =>
      import('../screens/owner/desk/debtor-page').then((m) => m.DebtorPage),
    ),
  },
  {
    path: '/pessoas',
    label: 'nav.people',
    roles: ['owner'],
    load: withText('desk', () => import('../screens/owner/desk/people').then((m) => m.People)),
  },
  {
    path: '/primeiros-passos',
    label: 'nav.guide',
    roles: ['owner'],
    hidden: true,
    load: withText('guide', () => import('../screens/owner/guide/guide').then((m) => m.Guide)),
  },
  {
    path: '/privacidade',
    label: 'nav.privacy',
    roles: ['owner'],
    load: withText('office', () => import('../screens/owner/privacy').then((m) => m.Privacy)),
  },
  {
    path: '/pix',
    label: 'nav.pix',
    roles: ['owner', 'staff', 'collector'],
    load: withText('field', () => import('../screens/collector/pix').then((m) => m.Pix)),
  },
];
