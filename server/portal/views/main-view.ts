/**
 * The page after the identity check: what is owed today, itemised exactly as shared `balanceOn`
 * computes it (principal, multa, juros, fees, payments, discount, total), the PIX codes to pay the
 * balance or the installment due, the live agreement, promise, disputes and requests, and the
 * forms for what the debtor may do (./forms-view.ts).
 */
import { formatBps } from '#shared/charges/format-rate';
import { agreementRuleText } from '#shared/negotiation/agreement-rules';
import { cents } from '#shared/money/money';
import { qrModulesPath } from '#shared/pix/qr-svg';
import { brl, date, dateLong } from '../format';
import { html, type Html, type Renderable } from '../html';
import { t, type MessageKey } from '../i18n';
import { agreementRulesOfRow } from '../../ledger/rows';
import type { AgreementView, DebtView, PortalModel } from '../portal-data';
import { portalBrCode, type PixTarget } from '../portal-pix';
import { actionForms, paymentLabel, type FormState } from './forms-view';
import { creditorName, layout } from './layout';

/** What the page says after an action (the `feito` query parameter of the redirect). */
export const DONE_KEYS = {
  acordo: 'done.agreement',
  proposta: 'done.agreementPending',
  promessa: 'done.promise',
  pedido: 'done.request',
  contestacao: 'done.dispute',
  preferencias: 'done.preferences',
} as const satisfies Record<string, MessageKey>;
export type DoneKind = keyof typeof DONE_KEYS;

function pixBlock(model: PortalModel, target: PixTarget, id: string): Html {
  const code = portalBrCode(model.settings.organisation, target);
  const creditor = creditorName(model.settings.organisation);
  if (code === null) return html`<p class="note">${t('pix.none', { creditor })}</p>`;
  const { size, d } = qrModulesPath(code);
  const amount = brl(target.amount);
  return html`<div class="pix">
    <h3>${t('pix.heading')}</h3>
    <p>${t('pix.amount', { amount })}</p>
    <svg
      class="qr"
      viewBox="0 0 ${size} ${size}"
      role="img"
      aria-label="${t('pix.qr', { amount })}"
      shape-rendering="crispEdges"
    >
      <rect width="${size}" height="${size}" fill="#fff" />
      <path d="${d}" fill="#000" />
    </svg>
    <label for="${id}">${t('pix.copyLabel')}</label>
    <textarea class="pix" id="${id}" rows="4" readonly>${code}</textarea>
    <button type="button" class="link" data-copy="${id}" data-done="${t('pix.copied')}" hidden>
      ${t('pix.copy')}
    </button>
    <p class="note">${t('pix.howto')}</p>
  </div>`;
}

function lateText(days: number): string {
  if (days <= 0) return t('debt.notLate');
  return days === 1 ? t('debt.lateOne') : t('debt.late', { days });
}

function breakdownTable(debt: DebtView): Html {
  const b = debt.balance;
  const row = (label: string, amount: number, sign = '') =>
    html`<tr>
      <th scope="row">${label}</th>
      <td class="n">${sign}${brl(amount)}</td>
    </tr>`;
  return html`<table>
    <caption>
      ${t('breakdown.caption')}
      <span class="sr">
        ${t('breakdown.captionOf', { description: debt.row.description || date(b.dueDate) })}
      </span>
    </caption>
    <thead>
      <tr>
        <th scope="col">${t('breakdown.item')}</th>
        <th scope="col" class="n">${t('breakdown.amount')}</th>
      </tr>
    </thead>
    <tbody>
      ${row(t('line.principal'), b.principal)}
      ${row(t('line.fine', { rate: formatBps(b.fineBps) }), b.fine)}
      ${row(t('line.interest', { rate: formatBps(b.monthlyInterestBps) }), b.interest)}
      ${b.fees > 0 ? row(t('line.fees'), b.fees) : null}
      ${b.paid > 0 ? row(t('line.paid'), b.paid, '− ') : null}
      ${b.discount > 0 ? row(t('line.discount'), b.discount, '− ') : null}
      <tr class="total">
        <th scope="row">${t('line.total')}</th>
        <td class="n">${brl(b.totalDue)}</td>
      </tr>
    </tbody>
  </table>`;
}

function debtCard(model: PortalModel, debt: DebtView, index: number): Html {
  const creditor = creditorName(model.settings.organisation);
  return html`<section class="card" aria-labelledby="divida-${index}">
    <h3 id="divida-${index}">
      ${debt.row.description || t('debt.due', { date: date(debt.balance.dueDate) })}
    </h3>
    <p class="note">
      ${t('debt.due', { date: date(debt.balance.dueDate) })} · ${lateText(debt.balance.daysOverdue)}
    </p>
    ${breakdownTable(debt)}
    ${
      debt.disputed
        ? html`<p><span class="tag">${t('debt.disputed', { creditor })}</span></p>`
        : payable(model).length > 1
          ? html`<details>
              <summary>${t('pix.onlyThis')}</summary>
              <div>
                ${pixBlock(model, { kind: 'debt', debtId: debt.row.id, amount: debt.balance.totalDue }, `pix-d${index}`)}
              </div>
            </details>`
          : pixBlock(
              model,
              { kind: 'debt', debtId: debt.row.id, amount: debt.balance.totalDue },
              `pix-d${index}`,
            )
    }
  </section>`;
}

/** The debts the page offers to pay now: open, not contested. */
function payable(model: PortalModel) {
  return model.debts.filter((d) => !d.disputed);
}

/** With several debts, one code for all of them (txid `QC…`: the server spreads it, oldest first). */
function totalBlock(model: PortalModel): Renderable {
  const debts = payable(model);
  if (debts.length < 2) return null;
  const amount = cents(debts.reduce((sum, d) => sum + d.balance.totalDue, 0));
  return html`<section class="card" aria-labelledby="pagar-tudo">
    <h3 id="pagar-tudo">${t('pix.all', { amount: brl(amount) })}</h3>
    ${pixBlock(model, { kind: 'debtor', debtorId: model.facts.debtor.id, amount }, 'pix-total')}
  </section>`;
}

function agreementPanel(model: PortalModel, a: AgreementView, index: number): Html {
  const creditor = creditorName(model.settings.organisation);
  const pending = a.row.status === 'pending_approval';
  return html`<section class="card" aria-labelledby="acordo-${index}">
    <h2 id="acordo-${index}">
      ${pending ? t('agreement.pendingHeading') : t('agreement.heading')}
    </h2>
    ${pending ? html`<p>${t('agreement.pending', { creditor })}</p>` : null}
    <p>${t('agreement.total', { amount: brl(a.row.total_cents) })}</p>
    ${a.row.discount_cents > 0 ? html`<p>${t('plan.discountLine', { amount: brl(a.row.discount_cents) })}</p>` : null}
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
        ${a.installments.map(
          (i) =>
            html`<tr>
              <td>
                ${paymentLabel(
                  i.row.seq,
                  a.installments.map((x) => ({ number: x.row.seq })),
                )}
              </td>
              <td>
                ${date(i.row.due_on)}
                ${pending ? null : html`<br /><span class="note">${t(`installment.${i.state}`)}</span>`}
              </td>
              <td class="n">${brl(i.row.amount_cents)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p class="note">
      <strong>${t('agreement.ruleHeading')}:</strong>
      ${agreementRuleText(
        agreementRulesOfRow(a.row),
        a.row.discount_cents + a.row.waived_fine_cents + a.row.waived_interest_cents > 0,
      )}
    </p>
    ${a.payable.map(
      (i) =>
        html`<h3>
            ${t('agreement.payNow')}:
            ${paymentLabel(
              i.row.seq,
              a.installments.map((x) => ({ number: x.row.seq })),
            )}
            — ${date(i.row.due_on)}
          </h3>
          ${i.state === 'overdue' ? html`<p>${t('installment.lastDay', { date: date(i.lastDayToPay) })}</p>` : null}
          ${pixBlock(model, { kind: 'installment', agreementId: a.row.id, number: i.row.seq, amount: i.open }, `pix-a${index}-${i.row.seq}`)}`,
    )}
  </section>`;
}

const DISPUTE_REASON_KEYS: Record<string, MessageKey> = {
  already_paid: 'dispute.already_paid',
  not_recognised: 'dispute.not_recognised',
  wrong_amount: 'dispute.wrong_amount',
  product_or_service: 'dispute.product_or_service',
  other: 'dispute.other',
};

function statusNotes(model: PortalModel): Renderable[] {
  const notes: Renderable[] = [];
  // The creditor's "no" to the debtor's last proposal, while no other agreement lives.
  const last = model.facts.agreements.at(-1);
  if (last?.status === 'rejected' && model.agreements.length === 0)
    notes.push(
      html`<p class="card">
        ${t('agreement.rejected', {
          creditor: creditorName(model.settings.organisation),
          reason: last.rejection_reason ?? '—',
        })}
      </p>`,
    );
  if (model.promise)
    notes.push(
      html`<p class="card">
        ${t('promise.active', { amount: brl(model.promise.amount), date: dateLong(model.promise.dueDate) })}
      </p>`,
    );
  for (const d of model.disputes)
    notes.push(
      html`<p class="card">
        ${t('dispute.open', {
          reason: t(DISPUTE_REASON_KEYS[d.reason] ?? 'dispute.other'),
          date: d.openedOn ? date(d.openedOn) : '—',
        })}
      </p>`,
    );
  for (const r of model.requests.slice(0, 3)) {
    const when = date(r.requested_on);
    if (r.status === 'open')
      notes.push(html`<p class="card">${t('request.open', { date: when })}</p>`);
    else if (r.status === 'granted')
      notes.push(html`<p class="card">${t('request.granted', { date: when })}</p>`);
    else
      notes.push(
        html`<p class="card">
          ${t('request.refused', { date: when, note: r.decision_note ?? '' })}
        </p>`,
      );
  }
  return notes;
}

/** The whole page after the check. */
export function mainPage(input: {
  model: PortalModel;
  base: string;
  csrf: string;
  done?: DoneKind | undefined;
  doneParams?: Record<string, string>;
  form?: FormState;
  status?: 'ok' | 'error';
}): string {
  const { model } = input;
  const org = model.settings.organisation;
  const creditor = creditorName(org);
  const first = model.facts.debtor.name.trim().split(/\s+/)[0] ?? '';
  const done = input.done;
  const nothing = model.debts.length === 0 && model.agreements.length === 0;
  return layout({
    title: t('main.title', { creditor }),
    org,
    script: true,
    main: html`<h1>${t('main.hello', { name: first })}</h1>
      <p class="note">${t('main.asOf', { date: dateLong(model.today) })}</p>
      ${done ? html`<p class="ok" role="status">${t(DONE_KEYS[done], { creditor, ...input.doneParams })}</p>` : null}
      ${model.agreements.map((a, i) => agreementPanel(model, a, i))} ${statusNotes(model)}
      ${nothing ? html`<p class="card">${t('main.nothing', { creditor })}</p>` : null}
      ${
        model.debts.length > 0
          ? html`<h2>${t('debts.heading')}</h2>
              ${model.debts.length > 1 ? html`<p><strong>${t('debts.total', { amount: brl(model.totalDue) })}</strong></p>` : null}
              ${totalBlock(model)} ${model.debts.map((d, i) => debtCard(model, d, i))}`
          : null
      }
      ${actionForms(model, input.base, input.csrf, input.form)}`,
    footer: html`<p>
        ${org.phone ? t('main.help', { creditor, phone: org.phone }) : t('main.helpNoPhone')}
      </p>
      <p>${t('main.privacy')}</p>
      <form method="post" action="${input.base}/sair">
        <input type="hidden" name="csrf" value="${input.csrf}" /><button type="submit" class="link">
          ${t('main.logout')}
        </button>
      </form>`,
  });
}
