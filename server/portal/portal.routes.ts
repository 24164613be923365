/**
 * `/p/<token>`: the debtor's own page, server-rendered HTML that works without JavaScript.
 *
 * - GET without a session: the first view (creditor identity, a neutral line, the identity check);
 *   with one: the debts, PIX codes and forms (./views/main-view.ts).
 * - POST /confirmar: the identity check (first digits of the CPF/CNPJ, shared/portal); a right
 *   answer opens a session and redirects (303) to the page.
 * - POST /acordo, /promessa, /vencimento, /contestacao, /preferencias: the debtor's actions
 *   (./portal-actions.ts); success redirects to the page with a banner, errors answer 422 with the
 *   form shown again; /sair ends the session.
 *
 * Every response sets its own Content-Security-Policy (inline style and script by hash only),
 * no-store, no-referrer (the token is in the URL) and frame denial. Forms are CSRF-safe twice:
 * SameSite=Strict cookies, and a token in every form (the session's, or a double-submit cookie
 * before the check), plus a refusal of cross-site Origin / Sec-Fetch-Site.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import {
  identityAnswer,
  identityMatches,
  identityNeedsLetters,
  IDENTITY_DIGITS,
} from '#shared/portal/identity-check';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import { clientInfo } from '../ops/forwarded';
import { readOrganisation, type OrganisationView } from '../settings/settings.repo';
import { brl, date } from './format';
import { t } from './i18n';
import {
  choosePlan,
  contest,
  makePromise,
  requestDueDate,
  savePreferences,
  type ActionContext,
  type ActionOutcome,
  type FormFields,
} from './portal-actions';
import { loadPortalModel } from './portal-data';
import {
  answersLeft,
  badTokenWait,
  endSession,
  identityWait,
  LIMITS,
  openSession,
  randomToken,
  readSession,
  recordAttempt,
  sameToken,
  shouldLock,
  WINDOW_MS,
  windowCounter,
  type PortalSession,
} from './portal-guard';
import {
  findPortalLink,
  linkUsable,
  revokePortalLinks,
  type PortalLinkRow,
} from './portal-links.repo';
import { portalCsp } from './portal-style';
import { isHttps, publicBase } from './public-url';
import { checkPage } from './views/check-view';
import { planReview } from './views/forms-view';
import { creditorName, layout, messagePage } from './views/layout';
import { DONE_KEYS, mainPage, type DoneKind } from './views/main-view';

const SESSION_COOKIE = 'quita_p';
const CHECK_COOKIE = 'quita_pc';
const FORM_BODY_LIMIT = 16 * 1024;

interface PortalEnv {
  Variables: { ip: string; link: PortalLinkRow; org: OrganisationView };
}

/** Sends a page with the page's own security headers (set here, on every response). */
function send(c: Context, body: string, status: number, withScript = false): Response {
  return c.body(body, status as 200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': portalCsp(withScript),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  });
}

function waitText(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes === 1 ? t('wait.minute') : t('wait.minutes', { n: minutes });
}

function tooMany(c: Context, org: OrganisationView, seconds: number): Response {
  c.header('retry-after', String(seconds));
  return send(
    c,
    messagePage(org, t('wait.title'), t('wait.body', { minutes: waitText(seconds) })),
    429,
  );
}

async function formFields(c: Context): Promise<FormFields | null> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') return null;
  const body = await c.req.parseBody({ all: true });
  const out: FormFields = {};
  for (const [key, value] of Object.entries(body)) {
    const list = Array.isArray(value) ? value : [value];
    out[key] = list.filter((x): x is string => typeof x === 'string').slice(0, 20);
  }
  return out;
}

/** `/p`. */
export function portalRoutes(deps: Deps) {
  const { db, now } = deps;
  const perAddress = windowCounter(LIMITS.requestsPerAddress, WINDOW_MS);
  const perLink = windowCounter(LIMITS.requestsPerLink, WINDOW_MS);
  const cookieOptions = (c: Context, token: string, maxAge: number) =>
    ({
      path: `/p/${token}`,
      httpOnly: true,
      sameSite: 'Strict',
      secure: isHttps(c, deps.proxies),
      maxAge,
    }) as const;

  /**
   * Cross-site form posts are refused whatever cookie they carry: Sec-Fetch-Site when the browser
   * sends it, else the Origin. A page sent with `Referrer-Policy: no-referrer` makes browsers post
   * its forms with `Origin: null`, so that value alone proves nothing either way (the form token
   * and the SameSite=Strict cookie still do).
   */
  const crossSite = (c: Context) => {
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined) return site !== 'same-origin';
    const origin = c.req.header('origin');
    return origin !== undefined && origin !== 'null' && origin !== publicBase(c, deps);
  };

  const forbidden = (c: Context<PortalEnv>) =>
    send(
      c,
      messagePage(
        c.get('org'),
        t('forbidden.title'),
        t('forbidden.body'),
        `/p/${c.req.param('token') ?? ''}`,
      ),
      403,
    );

  const app = new Hono<PortalEnv>();
  app.use('/:token/*', bodyLimit({ maxSize: FORM_BODY_LIMIT }));
  // Resolve the link (or refuse) before any handler: limits first, then the token.
  app.use('/:token/*', async (c, next) => {
    const at = now();
    const ip = clientInfo(c, deps.proxies).ip;
    c.set('ip', ip);
    const org = await readOrganisation(db);
    c.set('org', org);
    // CDC art. 42-A: no page without the creditor's name, CPF/CNPJ and address to show.
    if (!org.configured)
      return send(c, messagePage(org, t('unavailable.title'), t('unconfigured.body')), 503);
    const busy = perAddress.hit(ip, at.getTime());
    if (busy !== null) return tooMany(c, org, busy);
    const blocked = await badTokenWait(db, ip, at);
    if (blocked !== null) return tooMany(c, org, blocked);
    const token = c.req.param('token') ?? '';
    const link = await findPortalLink(db, token);
    if (!link || !linkUsable(link, at)) {
      await db.transaction((tx) =>
        recordAttempt(tx, { kind: 'bad_token', linkId: null, ip, now: at }),
      );
      const locked = link?.revoke_reason === 'locked';
      const creditor = creditorName(org);
      return send(
        c,
        messagePage(
          org,
          t('gone.title'),
          locked ? t('locked.body', { creditor }) : t('gone.body', { creditor }),
        ),
        link ? 410 : 404,
      );
    }
    const hot = perLink.hit(link.id, at.getTime());
    if (hot !== null) return tooMany(c, org, hot);
    c.set('link', link);
    await next();
  });

  /** The debtor's CPF/CNPJ on file (null when none): what the identity check compares with. */
  const documentOf = async (debtorId: string): Promise<string | null> => {
    const [debtor] = await db.query<{ document: string | null }>(
      'SELECT document FROM debtors WHERE id = $1',
      [debtorId],
    );
    return debtor?.document ?? null;
  };

  const firstView = async (
    c: Context<PortalEnv>,
    status: number,
    extra: { error?: string; notice?: string } = {},
  ) => {
    const token = c.req.param('token') ?? '';
    const csrf = getCookie(c, CHECK_COOKIE);
    const value = csrf && /^[A-Za-z0-9_-]{24}$/.test(csrf) ? csrf : randomToken(18);
    setCookie(c, CHECK_COOKIE, value, cookieOptions(c, token, 3600));
    const document = await documentOf(c.get('link').debtor_id);
    return send(
      c,
      checkPage({
        org: c.get('org'),
        action: `/p/${token}/confirmar`,
        csrf: value,
        letters: document !== null && identityNeedsLetters(document),
        ...extra,
      }),
      status,
    );
  };

  const session = (c: Context<PortalEnv>) =>
    readSession(db, getCookie(c, SESSION_COOKIE), c.get('link').id, now());

  app.get('/:token', async (c) => {
    const link = c.get('link');
    const s = await session(c);
    if (!s) return firstView(c, 200);
    const at = now();
    const model = await loadPortalModel(db, s.debtorId, at);
    if (!model)
      return send(
        c,
        messagePage(
          c.get('org'),
          t('gone.title'),
          t('gone.body', { creditor: creditorName(c.get('org')) }),
        ),
        410,
      );
    await db.query('UPDATE portal_links SET last_seen_at = $2 WHERE id = $1', [link.id, at]);
    const done = c.req.query('feito');
    const kind = done !== undefined && done in DONE_KEYS ? (done as DoneKind) : undefined;
    const doneParams: Record<string, string> = {};
    // The banner reads the stored promise, never the URL (no text of a link reflected on the page).
    if (kind === 'promessa' && model.promise) {
      doneParams['amount'] = brl(model.promise.amount);
      doneParams['date'] = date(model.promise.dueDate);
    }
    return send(
      c,
      mainPage({
        model,
        base: `/p/${c.req.param('token') ?? ''}`,
        csrf: s.csrf,
        done: kind === 'promessa' && !model.promise ? undefined : kind,
        doneParams,
      }),
      200,
      true,
    );
  });

  app.post('/:token/confirmar', async (c) => {
    const link = c.get('link');
    const ip = c.get('ip');
    const at = now();
    const token = c.req.param('token');
    const fields = await formFields(c);
    const cookie = getCookie(c, CHECK_COOKIE);
    if (!fields || crossSite(c) || !cookie || !sameToken(cookie, fields['csrf']?.[0] ?? ''))
      return forbidden(c);
    const wait = await identityWait(db, link.id, ip, at);
    if (wait !== null) return tooMany(c, c.get('org'), wait);
    const document = await documentOf(link.debtor_id);
    const letters = document !== null && identityNeedsLetters(document);
    const answer = identityAnswer(fields['doc']?.[0] ?? '', letters);
    if (answer === null)
      return firstView(c, 422, {
        error: t(letters ? 'check.invalidLetters' : 'check.invalid', { digits: IDENTITY_DIGITS }),
      });
    if (document === null) {
      const org = c.get('org');
      return send(
        c,
        messagePage(
          org,
          t('unavailable.title'),
          t('unavailable.body', { creditor: creditorName(org) }),
        ),
        409,
      );
    }
    const ok = identityMatches(document, answer);
    const result = await db.transaction(async (tx) => {
      await recordAttempt(tx, {
        kind: ok ? 'identity_ok' : 'identity_failed',
        linkId: link.id,
        ip,
        now: at,
      });
      await audit(tx, {
        actor: null,
        ip,
        action: ok ? 'portal.identity.ok' : 'portal.identity.failed',
        entity: 'portal_link',
        entityId: link.id,
        detail: { debtorId: link.debtor_id },
      });
      if (ok) {
        await tx.query(
          'UPDATE portal_links SET verified_at = coalesce(verified_at, $2), last_seen_at = $2 WHERE id = $1',
          [link.id, at],
        );
        return { kind: 'session' as const, cookie: await openSession(tx, link, ip, at) };
      }
      if (await shouldLock(tx, link.id, at)) {
        await revokePortalLinks(
          tx,
          link.debtor_id,
          at,
          { userId: null, reason: 'locked' },
          link.id,
        );
        await audit(tx, {
          actor: null,
          ip,
          action: 'portal.link.locked',
          entity: 'portal_link',
          entityId: link.id,
          detail: { debtorId: link.debtor_id, wrongAnswers: LIMITS.wrongAnswersToLock },
        });
        return { kind: 'locked' as const };
      }
      return { kind: 'wrong' as const };
    });
    if (result.kind === 'session') {
      setCookie(c, SESSION_COOKIE, result.cookie, cookieOptions(c, token, 2 * 3600));
      deleteCookie(c, CHECK_COOKIE, { path: `/p/${token}` });
      return c.redirect(`/p/${token}`, 303);
    }
    const org = c.get('org');
    if (result.kind === 'locked')
      return send(
        c,
        messagePage(org, t('gone.title'), t('locked.body', { creditor: creditorName(org) })),
        410,
      );
    const left = await answersLeft(db, link.id, now());
    return firstView(c, 422, {
      error:
        left > 0 && left < LIMITS.wrongAnswersPerLink
          ? t('check.wrongLeft', { left })
          : t('check.wrong'),
    });
  });

  const action =
    (run: (ctx: ActionContext) => Promise<ActionOutcome>) => async (c: Context<PortalEnv>) => {
      const token = c.req.param('token') ?? '';
      const fields = await formFields(c);
      const s: PortalSession | null = await session(c);
      if (!s) return firstView(c, 401, { notice: t('check.expiredSession') });
      if (!fields || crossSite(c) || !sameToken(s.csrf, fields['csrf']?.[0] ?? ''))
        return forbidden(c);
      const at = now();
      const outcome = await run({ db, session: s, ip: c.get('ip'), now: at, fields });
      const base = `/p/${token}`;
      const org = c.get('org');
      if (outcome.kind === 'done') return c.redirect(`${base}?feito=${outcome.done}`, 303);
      if (outcome.kind === 'gone')
        return send(
          c,
          messagePage(org, t('gone.title'), t('gone.body', { creditor: creditorName(org) })),
          410,
        );
      const model = await loadPortalModel(db, s.debtorId, at);
      if (!model)
        return send(
          c,
          messagePage(org, t('gone.title'), t('gone.body', { creditor: creditorName(org) })),
          410,
        );
      if (outcome.kind === 'review')
        return send(
          c,
          layout({
            title: t('plan.reviewHeading'),
            org,
            main: planReview(model, outcome.option, base, s.csrf, outcome.notice),
          }),
          200,
        );
      return send(c, mainPage({ model, base, csrf: s.csrf, form: outcome.state }), 422, true);
    };

  app.post('/:token/acordo', action(choosePlan));
  app.post('/:token/promessa', action(makePromise));
  app.post('/:token/vencimento', action(requestDueDate));
  app.post('/:token/contestacao', action(contest));
  app.post('/:token/preferencias', action(savePreferences));
  app.post('/:token/sair', async (c) => {
    const token = c.req.param('token');
    const fields = await formFields(c);
    const s = await session(c);
    if (s && fields && !crossSite(c) && sameToken(s.csrf, fields['csrf']?.[0] ?? ''))
      await endSession(db, getCookie(c, SESSION_COOKIE), now());
    deleteCookie(c, SESSION_COOKIE, { path: `/p/${token}` });
    return c.redirect(`/p/${token}`, 303);
  });
  return app;
}
