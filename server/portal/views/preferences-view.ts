/**
 * The debtor's contact preferences: preferred channel and hours, the channels they do not want, and
 * for each contact point on file (shown masked) whether it is theirs.
 */
import { ContactChannels, PreferableChannels } from '#shared/cadence/cadence.schema';
import { html, type Html, type Renderable } from '../html';
import { t, type MessageKey } from '../i18n';
import type { PortalModel } from '../portal-data';
import { described, errorsOf, fieldError, section, type FormState } from './form-bits';

/** Remote channels a debtor may block from the page (visits and letters stay the creditor's call). */
export const BLOCKABLE = ContactChannels.filter((c) => c !== 'visit');
export const HOURS = Array.from({ length: 13 }, (_, i) => `${String(8 + i).padStart(2, '0')}:00`);

/** A contact point as the page shows it: enough to recognise, not to read out ("(19) •••••-5432"). */
export function maskContact(kind: 'phone' | 'email', value: string): string {
  if (kind === 'email') {
    const [user = '', domain = ''] = value.split('@');
    return `${user.slice(0, 1)}${'•'.repeat(Math.max(1, user.length - 1))}@${domain}`;
  }
  const digits = value.replace(/\D/g, '');
  const national = digits.startsWith('55') ? digits.slice(2) : digits;
  const ddd = national.slice(0, 2);
  return `(${ddd}) ${'•'.repeat(Math.max(0, national.length - 6))}-${national.slice(-4)}`;
}

/** "Is this yours?" for each contact point on file: confirmed here, the office sends amounts there. */
function contactsFieldset(model: PortalModel, state?: FormState): Renderable {
  const points = model.facts.contactPoints;
  if (points.length === 0) return null;
  const submitted = state?.form === 'preferencias';
  const current = (p: (typeof points)[number]) => {
    if (submitted) return state.values[`contato-${p.id}`] ?? '';
    const verification = p.verification;
    return verification === 'verified' || (verification === undefined && p.verified)
      ? 'meu'
      : verification === 'wrong'
        ? 'nao'
        : '';
  };
  return html`<fieldset>
    <legend>${t('prefs.contacts')}</legend>
    <p class="hint">${t('prefs.contactsHint')}</p>
    ${points.map((p, i) => {
      const value = current(p);
      const option = (v: string, key: MessageKey) =>
        html`<div class="choice">
          <input
            type="radio"
            id="ct-${i}-${v || 'nsei'}"
            name="contato-${p.id}"
            value="${v}"
            ${v === value ? html` checked` : null}
          />
          <label for="ct-${i}-${v || 'nsei'}">${t(key)}</label>
        </div>`;
      return html`<fieldset>
        <legend>${maskContact(p.kind, p.value)}</legend>
        ${option('meu', 'prefs.mine')} ${option('nao', 'prefs.notMine')}
        ${option('', 'prefs.dontKnow')}
      </fieldset>`;
    })}
  </fieldset>`;
}

export function preferencesForm(
  model: PortalModel,
  base: string,
  csrf: string,
  state?: FormState,
): Html {
  const debtor = model.facts.debtor;
  const errors = errorsOf(state, 'preferencias');
  const submitted = state?.form === 'preferencias';
  const channel = submitted ? (state.values['canal'] ?? '') : (debtor.preferred_channel ?? '');
  const from = submitted ? (state.values['das'] ?? '') : (debtor.preferred_hours?.from ?? '');
  const to = submitted ? (state.values['ate'] ?? '') : (debtor.preferred_hours?.to ?? '');
  const blocked = submitted ? (state.values['bloquear'] ?? '').split(',') : debtor.blocked_channels;
  const hourSelect = (id: string, name: string, value: string, label: MessageKey) =>
    html`<label for="${id}">${t(label)}</label
      ><select id="${id}" name="${name}" ${described(errors, id, name)}>
        <option value="">${t('prefs.anyTime')}</option>
        ${HOURS.map(
          (h) => html`<option value="${h}" ${h === value ? html` selected` : null}>${h}</option>`,
        )}</select
      >${fieldError(errors, id, name)}`;
  return section(
    state,
    'preferencias',
    t('prefs.summary'),
    html`<form method="post" action="${base}/preferencias">
<input type="hidden" name="csrf" value="${csrf}">
<fieldset${described(errors, 'canal', 'canal')}><legend>${t('prefs.channel')}</legend>
${['', ...PreferableChannels].map(
  (c) =>
    html`<div class="choice">
      <input
        type="radio"
        id="canal-${c || 'nenhum'}"
        name="canal"
        value="${c}"
        ${c === channel ? html` checked` : null}
      /><label for="canal-${c || 'nenhum'}"
        >${c === '' ? t('prefs.none') : t(`channel.${c as 'sms'}`)}</label
      >
    </div>`,
)}
</fieldset>
${fieldError(errors, 'canal', 'canal')}
<fieldset><legend>${t('prefs.hours')}</legend>
<p class="hint">${t('prefs.hoursHint')}</p>
${hourSelect('das', 'das', from, 'prefs.from')}
${hourSelect('ate', 'ate', to, 'prefs.to')}
</fieldset>
<fieldset${described(errors, 'bloquear', 'bloquear')}><legend>${t('prefs.block')}</legend>
${BLOCKABLE.map(
  (c) =>
    html`<div class="choice">
      <input
        type="checkbox"
        id="bl-${c}"
        name="bloquear"
        value="${c}"
        ${blocked.includes(c) ? html` checked` : null}
      /><label for="bl-${c}">${t(`channel.${c as 'sms'}`)}</label>
    </div>`,
)}
</fieldset>
${fieldError(errors, 'bloquear', 'bloquear')}
${contactsFieldset(model, state)}
<button type="submit">${t('prefs.submit')}</button>
</form>`,
  );
}
