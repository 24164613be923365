/**
 * The debtor's actions as plain HTML forms (no JavaScript needed): each in a <details> that opens
 * by itself when its last submission had errors, with the errors summarised at the top of the form
 * and beside each field (aria-describedby), and the CSRF token of the session.
 */
import { formatBps } from '#shared/charges/format-rate';
import { ContactChannels, PreferableChannels } from '#shared/cadence/cadence.schema';
import { formatDecimal, cents } from '#shared/money/money';
import type { PlanOption } from '#shared/negotiation/plan-options';
import { addDays, type CalendarDate } from '#shared/time/calendar-date';
import { brl, date, dateLong, dateWithWeekday } from '../format';
import { html, type Html, type Renderable } from '../html';
import { t, type MessageKey } from '../i18n';
import type { PortalModel } from '../portal-data';
import { creditorName } from './layout';

export const FORMS = ['acordo', 'promessa', 'pedido', 'contestacao', 'preferencias'] as const;
export type FormName = (typeof FORMS)[number];

/** A submitted form to show again: its values and what was wrong with them. */
export interface FormState {
  form: FormName;
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** Remote channels a debtor may block from the page (visits and letters stay the creditor's call). */
export const BLOCKABLE = ContactChannels.filter((c) => c !== 'visit');
export const HOURS = Array.from({ length: 13 }, (_, i) => `${String(8 + i).padStart(2, '0')}:00`);
/** How far ahead a new due date may be asked for. */
export const REQUEST_MAX_DAYS = 180;

function errorsOf(state: FormState | undefined, form: FormName): Record<string, string> {
  return state?.form === form ? state.errors : {};
}

function valueOf(state: FormState | undefined, form: FormName, field: string): string | undefined {
  return state?.form === form ? state.values[field] : undefined;
}

function fieldError(errors: Record<string, string>, id: string, field: string): Renderable {
  const message = errors[field];
  return message ? html`<p class="field-error" id="${id}-erro">${message}</p>` : null;
}

function described(errors: Record<string, string>, id: string, field: string, hint?: string) {
  const ids = [hint, errors[field] ? `${id}-erro` : undefined].filter(Boolean).join(' ');
  return html`${ids ? html` aria-describedby="${ids}"` : null}${errors[field] ? html` aria-invalid="true"` : null}`;
}

function summary(errors: Record<string, string>, id: string): Renderable {
  const list = Object.values(errors);
  if (list.length === 0) return null;
  return html`<div class="err" role="alert" id="${id}-erros">
    <h2>${t('errors.title')}</h2>
    <ul>
      ${list.map((m) => html`<li>${m}</li>`)}
    </ul>
  </div>`;
}

function section(state: FormState | undefined, form: FormName, title: string, body: Html): Html {
  const open = state?.form === form;
  return html`<details id="${form}" ${open ? html` open` : null}>
    <summary>${title}</summary>
    <div>${summary(errorsOf(state, form), form)}${body}</div>
  </details>`;
}

/** How a payment of a schedule is named: "Pagamento único", "1ª (entrada)", "2ª"… */
export function paymentLabel(seq: number, schedule: readonly { number: number }[]): string {
  if (schedule.length === 1) return t('agreement.single');
  const hasDown = schedule.some((e) => e.number === 0);
  if (seq === 0) return t('agreement.entrada');
  return t('agreement.nth', { n: hasDown ? seq + 1 : seq });
}

/** "À vista: R$ X" / "3× — entrada de R$ A e 2× de R$ B" / "3× de R$ X". */
export function optionLabel(option: PlanOption): string {
  const { proposal, result } = option;
  if (option.payments === 1)
    return result.concessions.discount > 0
      ? t('plan.vistaDiscount', {
          rate: formatBps(Math.floor((result.concessions.discount * 10_000) / result.balance)),
          amount: brl(result.agreedTotal),
        })
      : t('plan.vista', { amount: brl(result.agreedTotal) });
  const rest = result.schedule.filter((e) => e.number > 0);
  const amounts = new Set(result.schedule.map((e) => e.amount));
  if (
    amounts.size === 1 ||
    (amounts.size === 2 && Math.max(...amounts) - Math.min(...amounts) <= 1)
  )
    return t('plan.splitEqual', { n: option.payments, amount: brl(proposal.downPayment) });
  return t('plan.split', {
    n: option.payments,
    first: brl(proposal.downPayment),
    rest: rest.length,
    amount: brl(rest[rest.length - 1]?.amount ?? 0),
  });
}

function dateOptions(dates: readonly CalendarDate[], today: CalendarDate, selected?: string) {
  return dates.map(
    (d) =>
      html`<option value="${d}" ${d === selected ? html` selected` : null}>
        ${d === today ? `${t('today')}, ` : ''}${dateWithWeekday(d)}
      </option>`,
  );
}

function planForm(model: PortalModel, base: string, csrf: string, state?: FormState): Renderable {
  const plan = model.plan;
  if (!plan || plan.options.length === 0) return null;
  const creditor = creditorName(model.settings.organisation);
  const errors = errorsOf(state, 'acordo');
  const chosen = valueOf(state, 'acordo', 'opcao');
  const balance = plan.options[0]?.result.balance ?? 0;
  return section(
    state,
    'acordo',
    t('plan.summary'),
    html`<form method="post" action="${base}/acordo">
<input type="hidden" name="csrf" value="${csrf}">
<label for="primeiro">${t('plan.firstDate')}</label>
<select id="primeiro" name="primeiro"${described(errors, 'primeiro', 'primeiro')}>${dateOptions(plan.firstDates, model.today, plan.firstDue)}</select>
${fieldError(errors, 'primeiro', 'primeiro')}
<fieldset${described(errors, 'opcao', 'opcao')}><legend>${t('plan.options', { amount: brl(balance) })}</legend>
${plan.options.map(
  (o) =>
    html`<div class="choice">
      <input
        type="radio"
        id="op-${o.id}"
        name="opcao"
        value="${o.id}"
        ${o.id === chosen ? html` checked` : null}
      /><label for="op-${o.id}"
        >${optionLabel(o)}${o.result.needsApproval ? html` <span class="tag">${t('plan.approval', { creditor })}</span>` : null}</label
      >
    </div>`,
)}
</fieldset>
${fieldError(errors, 'opcao', 'opcao')}
<button type="submit">${t('plan.review')}</button>
</form>`,
  );
}

/** The review step of a plan: the full schedule, the concession and the rule, then confirm. */
export function planReview(
  model: PortalModel,
  option: PlanOption,
  base: string,
  csrf: string,
  notice?: string,
): Html {
  const creditor = creditorName(model.settings.organisation);
  const { result, proposal } = option;
  return html`<h1 id="revisao">${t('plan.reviewHeading')}</h1>
    ${notice ? html`<p class="err" role="alert">${notice}</p>` : null}
    <p>${t('plan.reviewLead', { creditor })}</p>
    <p><strong>${optionLabel(option)}</strong></p>
    ${result.concessions.discount > 0 ? html`<p>${t('plan.discountLine', { amount: brl(result.concessions.discount) })}</p>` : null}
    <table>
      <caption>
        ${t('agreement.caption')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('agreement.number')}</th>
          <th scope="col">${t('agreement.dueDate')}</th>
          <th scope="col" class="n">${t('agreement.amount')}</th>
        </tr>
      </thead>
      <tbody>
        ${result.schedule.map(
          (e) =>
            html`<tr>
              <td>${paymentLabel(e.number, result.schedule)}</td>
              <td>${date(e.dueDate)}</td>
              <td class="n">${brl(e.amount)}</td>
            </tr>`,
        )}
        <tr class="total">
          <th scope="row" colspan="2">${t('agreement.totalRow')}</th>
          <td class="n">${brl(result.agreedTotal)}</td>
        </tr>
      </tbody>
    </table>
    ${result.needsApproval ? html`<p class="card">${t('plan.reviewApproval', { creditor })}</p>` : null}
    <p class="note">${t('plan.rule', { creditor })}</p>
    <form method="post" action="${base}/acordo">
      <input type="hidden" name="csrf" value="${csrf}" />
      <input type="hidden" name="opcao" value="${option.id}" />
      <input type="hidden" name="primeiro" value="${proposal.firstDueDate}" />
      <input type="hidden" name="total" value="${result.agreedTotal}" />
      <input type="hidden" name="confirmar" value="1" />
      <button type="submit">${t('plan.confirm')}</button>
    </form>
    <p><a href="${base}#acordo">${t('back')}</a></p>`;
}

function promiseForm(
  model: PortalModel,
  base: string,
  csrf: string,
  state?: FormState,
): Renderable {
  if (model.promiseDates.length === 0) return null;
  const errors = errorsOf(state, 'promessa');
  const total = model.debts.filter((d) => !d.disputed).reduce((s, d) => s + d.balance.totalDue, 0);
  const min = Math.min(model.settings.promise.minAmount, total);
  const amount =
    valueOf(state, 'promessa', 'valor') ?? formatDecimal(cents(total)).replace('.', ',');
  return section(
    state,
    'promessa',
    t('promise.summary'),
    html`<form method="post" action="${base}/promessa">
      <input type="hidden" name="csrf" value="${csrf}" />
      <label for="pdata">${t('promise.date')}</label>
      <select id="pdata" name="data" ${described(errors, 'pdata', 'data')}>
        ${dateOptions(model.promiseDates, model.today, valueOf(state, 'promessa', 'data'))}
      </select>
      ${fieldError(errors, 'pdata', 'data')}
      <label for="pvalor">${t('promise.amount')}</label>
      <p class="hint" id="pvalor-dica">
        ${t('promise.amountHint', { amount: brl(total), min: brl(min) })}
      </p>
      <input
        type="text"
        id="pvalor"
        name="valor"
        inputmode="decimal"
        value="${amount}"
        ${described(errors, 'pvalor', 'valor', 'pvalor-dica')}
      />
      ${fieldError(errors, 'pvalor', 'valor')}
      <button type="submit">${t('promise.submit')}</button>
    </form>`,
  );
}

function requestForm(
  model: PortalModel,
  base: string,
  csrf: string,
  state?: FormState,
): Renderable {
  if (model.debts.length === 0 || model.requests.some((r) => r.status === 'open')) return null;
  const creditor = creditorName(model.settings.organisation);
  const errors = errorsOf(state, 'pedido');
  const max = addDays(model.today, REQUEST_MAX_DAYS);
  return section(
    state,
    'pedido',
    t('request.summary'),
    html`<form method="post" action="${base}/vencimento">
      <p>${t('request.lead', { creditor })}</p>
      <input type="hidden" name="csrf" value="${csrf}" />
      <label for="vdata">${t('request.date')}</label>
      <p class="hint" id="vdata-dica">${t('request.dateHint', { max: dateLong(max) })}</p>
      <input
        type="date"
        id="vdata"
        name="data"
        min="${addDays(model.today, 1)}"
        max="${max}"
        value="${valueOf(state, 'pedido', 'data') ?? ''}"
        ${described(errors, 'vdata', 'data', 'vdata-dica')}
      />
      ${fieldError(errors, 'vdata', 'data')}
      <label for="vmotivo">${t('request.reason')}</label>
      <textarea
        id="vmotivo"
        name="motivo"
        rows="3"
        maxlength="500"
        ${described(errors, 'vmotivo', 'motivo')}
      >
${valueOf(state, 'pedido', 'motivo') ?? ''}</textarea>
      ${fieldError(errors, 'vmotivo', 'motivo')}
      <button type="submit">${t('request.submit')}</button>
    </form>`,
  );
}

export const DISPUTE_CHOICES = ['already_paid', 'not_recognised', 'wrong_amount', 'other'] as const;

function disputeForm(
  model: PortalModel,
  base: string,
  csrf: string,
  state?: FormState,
): Renderable {
  const open = model.debts.filter((d) => !d.disputed);
  if (open.length === 0) return null;
  const errors = errorsOf(state, 'contestacao');
  const reason = valueOf(state, 'contestacao', 'motivo');
  const debtField =
    open.length === 1
      ? html`<input type="hidden" name="divida" value="${open[0]?.row.id ?? ''}" />`
      : html`<label for="cdivida">${t('dispute.debt')}</label>
          <select id="cdivida" name="divida" ${described(errors, 'cdivida', 'divida')}>
            ${open.map(
              (d) =>
                html`<option
                  value="${d.row.id}"
                  ${valueOf(state, 'contestacao', 'divida') === d.row.id ? html` selected` : null}
                >
                  ${d.row.description || t('debt.due', { date: date(d.balance.dueDate) })}
                  (${brl(d.balance.totalDue)})
                </option>`,
            )}</select
          >${fieldError(errors, 'cdivida', 'divida')}`;
  return section(
    state,
    'contestacao',
    t('dispute.summary'),
    html`<form method="post" action="${base}/contestacao">
<input type="hidden" name="csrf" value="${csrf}">
${debtField}
<fieldset${described(errors, 'cmotivo', 'motivo')}><legend>${t('dispute.reason')}</legend>
${DISPUTE_CHOICES.map(
  (r) =>
    html`<div class="choice">
      <input
        type="radio"
        id="cm-${r}"
        name="motivo"
        value="${r}"
        ${r === reason ? html` checked` : null}
      /><label for="cm-${r}">${t(`dispute.${r}`)}</label>
    </div>`,
)}
</fieldset>
${fieldError(errors, 'cmotivo', 'motivo')}
<label for="cdesc">${t('dispute.description')}</label>
<p class="hint" id="cdesc-dica">${t('dispute.descriptionHint')}</p>
<textarea id="cdesc" name="descricao" rows="4" maxlength="2000"${described(errors, 'cdesc', 'descricao', 'cdesc-dica')}>${valueOf(state, 'contestacao', 'descricao') ?? ''}</textarea>
${fieldError(errors, 'cdesc', 'descricao')}
<button type="submit">${t('dispute.submit')}</button>
</form>`,
  );
}

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

function preferencesForm(model: PortalModel, base: string, csrf: string, state?: FormState): Html {
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

/** Every form the debtor may use now. */
export function actionForms(
  model: PortalModel,
  base: string,
  csrf: string,
  state?: FormState,
): Html {
  return html`<h2>${t('actions.heading')}</h2>
    ${planForm(model, base, csrf, state)} ${promiseForm(model, base, csrf, state)}
    ${requestForm(model, base, csrf, state)} ${disputeForm(model, base, csrf, state)}
    ${preferencesForm(model, base, csrf, state)}`;
}
