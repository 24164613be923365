/**
 * The agreement simulator: the policy's limits shown up front, discounts locked until the cadence
 * reaches a step that allows them ("last resort"), the schedule (shared `validateProposal` builds
 * it with `buildSchedule`) and the approval flag. Saving records an `agreement.proposed` fact.
 */
import * as v from 'valibot';
import { useState } from 'preact/hooks';
import type { Breakdown } from '#shared/charges/charges.schema';
import { cents, tryParseMoney } from '#shared/money/money';
import { agreementRuleText } from '#shared/negotiation/agreement-rules';
import {
  agreementRulesOf,
  DEFAULT_NEGOTIATION_POLICY,
  NegotiationPolicySchema,
} from '#shared/negotiation/negotiation.schema';
import { validateProposal } from '#shared/negotiation/validate-proposal';
import { addDays, type CalendarDate } from '#shared/time/calendar-date';
import { orgSettings, runtime } from '../../app/collector';
import { useDirty } from '../../app/dirty';
import { brl, date as fmtDate, num } from '../../i18n/format';
import { t } from '../../i18n/messages';

export function AgreementForm({
  debtorId,
  balances,
  discountUnlocked,
  day,
}: {
  debtorId: string;
  balances: readonly { debtId: string; breakdown: Breakdown }[];
  discountUnlocked: boolean;
  day: CalendarDate;
}) {
  const parsedPolicy = v.safeParse(NegotiationPolicySchema, orgSettings.value?.negotiation);
  const policy = parsedPolicy.success ? parsedPolicy.output : DEFAULT_NEGOTIATION_POLICY;
  const [installments, setInstallments] = useState('1');
  const [downText, setDownText] = useState('');
  const [firstDue, setFirstDue] = useState<string>(addDays(day, 7));
  const [discountPct, setDiscountPct] = useState('');
  const [waiveFine, setWaiveFine] = useState(false);
  const [waiveInterest, setWaiveInterest] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useDirty(
    downText !== '' || discountPct !== '' || installments !== '1' || waiveFine || waiveInterest,
  );
  const rt = runtime.value;
  const down = downText.trim() === '' ? null : tryParseMoney(downText);
  const count = Number(installments);
  const pct =
    discountUnlocked && discountPct.trim() !== '' ? Number(discountPct.replace(',', '.')) : 0;
  const discountBps = Number.isFinite(pct) ? Math.round(pct * 100) : 0;
  const proposal = {
    debtIds: balances.map((b) => b.debtId),
    ...(discountBps > 0 ? { discountBps } : {}),
    waiveFine,
    waiveInterest,
    downPayment: down?.ok ? down.value : cents(0),
    installments: Number.isSafeInteger(count) ? count : 0,
    firstDueDate: firstDue as CalendarDate,
    interval: 'monthly' as const,
  };
  const result =
    balances.length > 0 && /^\d{4}-\d{2}-\d{2}$/.test(firstDue) && (down === null || down.ok)
      ? validateProposal(policy, proposal, { today: day, discountUnlocked, balances })
      : null;
  const first = result?.schedule.find((e) => e.number === 1) ?? result?.schedule[0];
  async function submit(e: Event) {
    e.preventDefault();
    if (!rt || !result?.ok) return;
    try {
      await rt.engine.save({ type: 'agreement.proposed', debtorId, payload: proposal });
      setSaved(true);
      setError(null);
      setDownText('');
      setDiscountPct('');
      setInstallments('1');
      setWaiveFine(false);
      setWaiveInterest(false);
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <form class="record-form" onSubmit={(e) => void submit(e)} aria-label={t('agreement.title')}>
      <p class="small" data-testid="policy-limits">
        {t('agreement.limits')}: {t('agreement.maxInstallments')} {num(policy.maxInstallments)}{' '}
        {t('agreement.installments').toLowerCase()} · {t('agreement.minInstallment')}{' '}
        {brl(policy.minInstallment)} · {t('agreement.minDown')}{' '}
        {num(policy.minDownPaymentBps / 100)}% · {t('agreement.maxDiscount')}{' '}
        {num((result?.maxDiscountBps ?? 0) / 100)}%
      </p>
      <label for="ag-count">{t('agreement.installments')}</label>
      <input
        id="ag-count"
        type="number"
        min={1}
        max={policy.maxInstallments}
        value={installments}
        onInput={(e) => setInstallments(e.currentTarget.value)}
      />
      <label for="ag-down">{t('agreement.downPayment')}</label>
      <input
        id="ag-down"
        inputMode="decimal"
        placeholder="0,00"
        value={downText}
        aria-invalid={down !== null && !down.ok}
        onInput={(e) => setDownText(e.currentTarget.value)}
      />
      <label for="ag-first">{t('agreement.firstDue')}</label>
      <input
        id="ag-first"
        type="date"
        min={day}
        value={firstDue}
        onInput={(e) => setFirstDue(e.currentTarget.value)}
      />
      <label for="ag-discount">{t('agreement.discount')}</label>
      <input
        id="ag-discount"
        inputMode="decimal"
        disabled={!discountUnlocked}
        aria-describedby={discountUnlocked ? undefined : 'ag-discount-locked'}
        value={discountPct}
        onInput={(e) => setDiscountPct(e.currentTarget.value)}
      />
      {discountUnlocked ? null : (
        <p id="ag-discount-locked" class="small muted">
          {t('agreement.discountLocked')}
        </p>
      )}
      <label class="choice">
        <input
          type="checkbox"
          checked={waiveFine}
          disabled={!policy.waiverAllowed.fine}
          onChange={(e) => setWaiveFine(e.currentTarget.checked)}
        />
        {t('agreement.waiveFine')}
      </label>
      <label class="choice">
        <input
          type="checkbox"
          checked={waiveInterest}
          disabled={!policy.waiverAllowed.interest}
          onChange={(e) => setWaiveInterest(e.currentTarget.checked)}
        />
        {t('agreement.waiveInterest')}
      </label>
      {result ? (
        <div data-testid="simulation">
          <p>
            {t('agreement.total')}: <strong>{brl(result.agreedTotal)}</strong>
          </p>
          {result.schedule.length > 0 ? (
            <>
              <p class="small">{t('agreement.schedule')}</p>
              <ul class="small" data-testid="schedule">
                {result.schedule.map((e) => (
                  <li key={e.number}>
                    {e.number === 0 ? `${t('agreement.downPayment')}: ` : ''}
                    {fmtDate(e.dueDate)} — {brl(e.amount)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {result.violations.length > 0 ? (
            <ul class="small error-text">
              {result.violations.map((f, i) => (
                <li key={`${f.rule}-${i}`}>{f.message}</li>
              ))}
            </ul>
          ) : null}
          {/* The break rule, before the debtor accepts (shared/negotiation/agreement-rules.ts). */}
          <p class="small" data-testid="agreement-rule">
            <strong>{t('agreement.ruleTitle')}</strong>{' '}
            {agreementRuleText(
              agreementRulesOf(policy),
              result.concessions.discount +
                result.concessions.fineWaived +
                result.concessions.interestWaived >
                0,
            )}
          </p>
          {result.needsApproval ? (
            <p class="notice" data-testid="needs-approval">
              {t('agreement.approval')}: {result.approvalReasons.map((r) => r.message).join(' ')}
            </p>
          ) : null}
          <p class="contact-actions">
            {down?.ok && down.value > 0 ? (
              <a href={`/pix?valor=${down.value}&cliente=${encodeURIComponent(debtorId)}`}>
                {t('agreement.pixDown')}
              </a>
            ) : null}
            {first && result.ok ? (
              <a href={`/pix?valor=${first.amount}&cliente=${encodeURIComponent(debtorId)}`}>
                {t('agreement.pixFirst')}
              </a>
            ) : null}
          </p>
        </div>
      ) : null}
      <button type="submit" class="primary" disabled={!result?.ok}>
        {t('agreement.save')}
      </button>
      {error ? (
        <p class="notice error" role="alert">
          {t('form.notSaved')}: {error}
        </p>
      ) : saved ? (
        <p class="notice" role="status" data-testid="form-saved">
          {t('form.saved')}
        </p>
      ) : null}
    </form>
  );
}
