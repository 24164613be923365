/**
 * The agreement simulator: the policy's limits shown up front, discounts locked until the cadence
 * reaches a step that allows them ("last resort"), the schedule (shared `validateProposal` builds
 * it with `buildSchedule`) and the approval flag. Saving records an `agreement.proposed` fact.
 *
 * What is wrong comes first and next to its field (a rule of the policy is shown under the input
 * it is about, announced), and the schedule is compact: long runs of equal installments are one
 * line, so 100 installments never push the reason "Enviar proposta" is disabled off the screen.
 */
import * as v from 'valibot';
import { useState } from 'preact/hooks';
import type { Breakdown } from '#shared/charges/charges.schema';
import { cents } from '#shared/money/money';
import { agreementRuleText } from '#shared/negotiation/agreement-rules';
import {
  agreementRulesOf,
  DEFAULT_NEGOTIATION_POLICY,
  NegotiationPolicySchema,
  type RuleFinding,
  type ScheduleEntry,
} from '#shared/negotiation/negotiation.schema';
import { validateProposal } from '#shared/negotiation/validate-proposal';
import { addDays, type CalendarDate } from '#shared/time/calendar-date';
import { orgSettings, runtime } from '../../app/collector';
import { useDirty } from '../../app/dirty';
import { brl, date as fmtDate, num } from '../../i18n/format';
import { t } from '../../i18n/messages';
import { Choice, FieldError, invalid, MoneyField, readAmount } from './fields';

type AgreementField = 'installments' | 'down' | 'first' | 'discount' | 'waivers' | 'form';

/** The input a broken rule is about (the rest are shown above the form's button). */
const FIELD_OF: Record<string, AgreementField> = {
  'too-many-installments': 'installments',
  'installment-below-minimum': 'installments',
  'down-payment-must-equal-total': 'down',
  'down-payment-covers-total': 'down',
  'down-payment-below-minimum': 'down',
  'first-due-date-in-past': 'first',
  'first-due-date-too-far': 'first',
  'discount-locked': 'discount',
  'discount-above-limit': 'discount',
  'fine-waiver-not-allowed': 'waivers',
  'interest-waiver-not-allowed': 'waivers',
};

function byField(findings: readonly RuleFinding[]): Partial<Record<AgreementField, string>> {
  const out: Partial<Record<AgreementField, string>> = {};
  for (const f of findings) {
    const field = FIELD_OF[f.rule] ?? 'form';
    out[field] = out[field] ? `${out[field]} ${f.message}` : f.message;
  }
  return out;
}

/** Schedules longer than this show runs of equal installments as one line. */
const FULL_SCHEDULE = 4;

/** "2ª", "12ª": the installment's ordinal. */
const nth = (n: number) => `${n}ª`;

/** The schedule's lines: the down payment, then each installment or each run of equal ones. */
export function scheduleLines(schedule: readonly ScheduleEntry[]): string[] {
  const lines: string[] = [];
  const parts = schedule.filter((e) => e.number > 0);
  const down = schedule.find((e) => e.number === 0);
  if (down)
    lines.push(`${t('agreement.downPayment')}: ${fmtDate(down.dueDate)} — ${brl(down.amount)}`);
  if (parts.length <= FULL_SCHEDULE) {
    for (const e of parts) lines.push(`${nth(e.number)}: ${fmtDate(e.dueDate)} — ${brl(e.amount)}`);
    return lines;
  }
  for (let i = 0; i < parts.length;) {
    const first = parts[i] as ScheduleEntry;
    let j = i;
    while (j + 1 < parts.length && (parts[j + 1] as ScheduleEntry).amount === first.amount) j++;
    const last = parts[j] as ScheduleEntry;
    lines.push(
      i === j
        ? `${nth(first.number)}: ${fmtDate(first.dueDate)} — ${brl(first.amount)}`
        : `${nth(first.number)} ${t('agreement.to')} ${nth(last.number)}: ${num(j - i + 1)} × ${brl(first.amount)} (${fmtDate(first.dueDate)} ${t('agreement.to')} ${fmtDate(last.dueDate)})`,
    );
    i = j + 1;
  }
  return lines;
}

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
  const down = readAmount(downText, { allowZero: true });
  const count = Number(installments);
  const countOk = /^\d+$/.test(installments.trim()) && Number.isSafeInteger(count) && count >= 1;
  const countError = countOk ? null : t('agreement.badCount');
  const pct =
    discountUnlocked && discountPct.trim() !== '' ? Number(discountPct.replace(',', '.')) : 0;
  const discountError =
    discountUnlocked &&
    discountPct.trim() !== '' &&
    !(Number.isFinite(pct) && pct >= 0 && pct <= 100)
      ? t('agreement.badDiscount')
      : null;
  const discountBps = Number.isFinite(pct) && pct > 0 ? Math.round(pct * 100) : 0;
  const dateOk = /^\d{4}-\d{2}-\d{2}$/.test(firstDue);
  const proposal = {
    debtIds: balances.map((b) => b.debtId),
    ...(discountBps > 0 ? { discountBps } : {}),
    waiveFine,
    waiveInterest,
    downPayment: cents(down.amount ?? 0),
    installments: countOk ? count : 0,
    firstDueDate: firstDue as CalendarDate,
    interval: 'monthly' as const,
  };
  // The proposal is checked even while the down payment is malformed (as zero), so every
  // problem shows at once; it is sent only when nothing is wrong.
  const inputsOk = countOk && dateOk && discountError === null;
  const result =
    balances.length > 0 && inputsOk
      ? validateProposal(policy, proposal, { today: day, discountUnlocked, balances })
      : null;
  const problems = byField(result?.violations ?? []);
  const fieldProblem = (field: AgreementField, own: string | null) =>
    own ?? problems[field] ?? null;
  const first = result?.schedule.find((e) => e.number === 1) ?? result?.schedule[0];
  const canSend = result?.ok === true && down.error === null;
  async function submit(e: Event) {
    e.preventDefault();
    if (!rt || !canSend) return;
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
  const countMessage = fieldProblem('installments', countError);
  const dateMessage = fieldProblem('first', dateOk ? null : t('agreement.badDate'));
  const discountMessage = fieldProblem('discount', discountError);
  return (
    <form class="record-form" onSubmit={(e) => void submit(e)} aria-label={t('agreement.title')}>
      <p class="small" data-testid="policy-limits">
        {t('agreement.limits')}: {t('agreement.maxInstallments')} {num(policy.maxInstallments)}{' '}
        {t('agreement.installments').toLowerCase()} · {t('agreement.minInstallment')}{' '}
        {brl(policy.minInstallment)} · {t('agreement.minDown')}{' '}
        {num(policy.minDownPaymentBps / 100)}% · {t('agreement.maxDiscount')}{' '}
        {num((result?.maxDiscountBps ?? 0) / 100)}%
      </p>
      {problems.form ? (
        <p class="notice error" role="alert" data-testid="agreement-problem">
          {problems.form}
        </p>
      ) : null}
      <label for="ag-count">{t('agreement.installments')}</label>
      <input
        id="ag-count"
        type="number"
        inputMode="numeric"
        min={1}
        max={policy.maxInstallments}
        value={installments}
        {...invalid('ag-count-error', countMessage)}
        onInput={(e) => setInstallments(e.currentTarget.value)}
      />
      <FieldError id="ag-count-error" message={countMessage} />
      <MoneyField
        id="ag-down"
        label={t('agreement.downPayment')}
        value={downText}
        error={fieldProblem('down', down.error)}
        onInput={setDownText}
      />
      <label for="ag-first">{t('agreement.firstDue')}</label>
      <input
        id="ag-first"
        type="date"
        min={day}
        value={firstDue}
        {...invalid('ag-first-error', dateMessage)}
        onInput={(e) => setFirstDue(e.currentTarget.value)}
      />
      <FieldError id="ag-first-error" message={dateMessage} />
      <label for="ag-discount">{t('agreement.discount')}</label>
      <input
        id="ag-discount"
        inputMode="decimal"
        disabled={!discountUnlocked}
        {...(discountMessage
          ? invalid('ag-discount-error', discountMessage)
          : discountUnlocked
            ? {}
            : { 'aria-describedby': 'ag-discount-locked' })}
        value={discountPct}
        onInput={(e) => setDiscountPct(e.currentTarget.value)}
      />
      <FieldError id="ag-discount-error" message={discountMessage} />
      {discountUnlocked ? null : (
        <p id="ag-discount-locked" class="small muted">
          {t('agreement.discountLocked')}
        </p>
      )}
      <div class="choices">
        <Choice
          type="checkbox"
          checked={waiveFine}
          disabled={!policy.waiverAllowed.fine}
          onChange={setWaiveFine}
        >
          {t('agreement.waiveFine')}
        </Choice>
        <Choice
          type="checkbox"
          checked={waiveInterest}
          disabled={!policy.waiverAllowed.interest}
          onChange={setWaiveInterest}
        >
          {t('agreement.waiveInterest')}
        </Choice>
      </div>
      <FieldError id="ag-waivers-error" message={problems.waivers ?? null} />
      {result ? (
        <div data-testid="simulation">
          <p>
            {t('agreement.total')}: <strong>{brl(result.agreedTotal)}</strong>
          </p>
          {result.schedule.length > 0 ? (
            <>
              <p class="small">{t('agreement.schedule')}</p>
              <ul class="small" data-testid="schedule">
                {scheduleLines(result.schedule).map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            </>
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
            {down.amount !== null && down.amount > 0 ? (
              <a href={`/pix?valor=${down.amount}&cliente=${encodeURIComponent(debtorId)}`}>
                {t('agreement.pixDown')}
              </a>
            ) : null}
            {first && canSend ? (
              <a href={`/pix?valor=${first.amount}&cliente=${encodeURIComponent(debtorId)}`}>
                {t('agreement.pixFirst')}
              </a>
            ) : null}
          </p>
        </div>
      ) : null}
      {(result && !result.ok) || down.error ? (
        <p class="small error-text" data-testid="agreement-blocked">
          {t('agreement.fixFirst')}
        </p>
      ) : null}
      <button type="submit" class="primary" disabled={!canSend}>
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
