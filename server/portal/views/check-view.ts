/**
 * The first view of a link: the creditor's identity and a neutral line, and the identity check.
 * Nothing about the debtor or a debt: no name, no amount, no debt word (a link can be forwarded).
 */
import { IDENTITY_DIGITS } from '#shared/portal/identity-check';
import type { OrganisationView } from '../../settings/settings.repo';
import { html } from '../html';
import { t } from '../i18n';
import { creditorName, layout } from './layout';

export function checkPage(input: {
  org: OrganisationView;
  action: string;
  csrf: string;
  /** The document on file has letters among its first six (an alphanumeric CNPJ). */
  letters?: boolean;
  error?: string;
  notice?: string;
}): string {
  const creditor = creditorName(input.org);
  const error = input.error;
  return layout({
    title: t('check.title', { creditor }),
    org: input.org,
    main: html`<h1>${t('check.heading', { creditor })}</h1>
      <p>${t('check.lead')}</p>
      ${input.notice ? html`<p class="ok" role="status">${input.notice}</p>` : null}
      ${
        error
          ? html`<div class="err" role="alert" id="erro">
              <h2>${t('check.errorTitle')}</h2>
              <p>${error}</p>
            </div>`
          : null
      }
      <form method="post" action="${input.action}">
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <label for="doc"
          >${t(input.letters ? 'check.labelLetters' : 'check.label', { digits: IDENTITY_DIGITS })}</label
        >
        <p class="hint" id="doc-hint">${t(input.letters ? 'check.hintLetters' : 'check.hint')}</p>
        <input
          type="text"
          id="doc"
          name="doc"
          inputmode="${input.letters ? 'text' : 'numeric'}"
          autocapitalize="${input.letters ? 'characters' : 'off'}"
          autocomplete="off"
          maxlength="18"
          required
          aria-describedby="doc-hint${error ? ' erro' : ''}"
          ${error ? html` aria-invalid="true" autofocus` : null}
        />
        <button type="submit">${t('check.submit')}</button>
      </form>
      <p class="note">${t('check.ignore')}</p>`,
  });
}
