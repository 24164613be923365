/**
 * The frame of every page: the creditor's identity at the top (CDC art. 42-A: name, CPF/CNPJ,
 * address, and a phone to talk to), the inline stylesheet, and the optional copy script.
 */
import { formatDocument, tryParseDocument } from '#shared/identity/document';
import { formatAddress } from '#shared/settings/settings.schema';
import type { OrganisationView } from '../../settings/settings.repo';
import { html, type Html, type Renderable } from '../html';
import { t } from '../i18n';
import { SCRIPT_TAG, STYLE_TAG } from '../portal-style';

/** How the page names the creditor: trade name, else legal name. */
export function creditorName(org: OrganisationView): string {
  return org.tradeName ?? org.legalName ?? t('org.unknown');
}

function creditorHeader(org: OrganisationView): Html {
  const doc = org.document === null ? null : tryParseDocument(org.document);
  const legal = org.legalName;
  return html`<header>
    <p class="org">${creditorName(org)}</p>
    ${legal !== null && legal !== creditorName(org) ? html`<p>${legal}</p>` : null}
    ${doc?.ok ? html`<p>${t(doc.value.kind === 'cpf' ? 'org.cpf' : 'org.cnpj', { document: formatDocument(doc.value.value) })}</p>` : null}
    ${org.address ? html`<p>${formatAddress(org.address)}</p>` : null}
    ${org.phone ? html`<p>${t('org.phone', { phone: org.phone })}</p>` : null}
  </header>`;
}

/** A whole page. */
export function layout(input: {
  title: string;
  org: OrganisationView;
  main: Renderable;
  footer?: Renderable;
  script?: boolean;
}): string {
  return `<!doctype html>${
    html`<html lang="${t('page.lang')}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex,nofollow" />
        <title>${input.title}</title>
        <link rel="icon" href="data:," />
        ${STYLE_TAG}
      </head>
      <body>
        <a class="skip" href="#main">${t('page.skip')}</a>
        ${creditorHeader(input.org)}
        <main id="main">${input.main}</main>
        ${input.footer ? html`<footer>${input.footer}</footer>` : null}
        ${input.script ? SCRIPT_TAG : null}
      </body>
    </html>`.value
  }`;
}

/** A page with a heading and a paragraph (link gone, wait, not allowed…). */
export function messagePage(
  org: OrganisationView,
  title: string,
  body: string,
  back?: string,
): string {
  return layout({
    title,
    org,
    main: html`<h1>${title}</h1>
      <p>${body}</p>
      ${back ? html`<p><a href="${back}">${t('back')}</a></p>` : null}`,
  });
}
