/**
 * The debtor's actions as plain HTML forms (no JavaScript needed): each in a <details> that opens
 * by itself when its last submission had errors, with the errors summarised at the top of the form
 * and beside each field (aria-describedby), and the CSRF token of the session.
 */
import { formatBps } from '#shared/charges/format-rate';
import { formatDecimal, cents } from '#shared/money/money';
import { agreementRuleText } from '#shared/negotiation/agreement-rules';
import { agreementRulesOf } from '#shared/negotiation/negotiation.schema';
import type { PlanOption } from '#shared/negotiation/plan-options';
import { addDays, type CalendarDate } from '#shared/time/calendar-date';
import { brl, date, dateLong, dateWithWeekday } from '../format';
import { html, type Html, type Renderable } from '../html';
import { t } from '../i18n';
import type { PortalModel } from '../portal-data';
import { described, errorsOf, fieldError, section, valueOf, type FormState } from './form-bits';
import { creditorName } from './layout';
import { preferencesForm } from './preferences-view';

export type { FormName, FormState } from './form-bits';
export { BLOCKABLE, HOURS } from './preferences-view';

/** How far ahead a new due date may be asked for. */
export const REQUEST_MAX_DAYS = 180;

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
    <h2>${t('plan.ruleHeading')}</h2>
    <p class="note" id="regra-do-acordo">
      ${t('plan.rule')}
      ${agreementRuleText(
        agreementRulesOf(model.settings.negotiation),
        result.concessions.discount +
          result.concessions.fineWaived +
          result.concessions.interestWaived >
          0,
      )}
    </p>
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
