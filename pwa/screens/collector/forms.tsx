/**
 * Recording offline: a visit, a payment received (with a numbered receipt to keep) and a promise
 * to pay. Each form saves ONE fact through the sync engine's outbox (strict-durability
 * transaction) and marks the page dirty while it holds edits, so no update or navigation drops it.
 * A visit whose outcome is "Prometeu pagar" continues into the promise form, pre-filled.
 */
import * as v from 'valibot';
import { useEffect, useState } from 'preact/hooks';
import { formatAddress } from '#shared/settings/settings.schema';
import { formatDocument, tryParseDocument } from '#shared/identity/document';
import { AddressSchema } from '#shared/domain/common.schema';
import {
  DEFAULT_PROMISE_POLICY,
  PromisePolicySchema,
  validatePromise,
} from '#shared/negotiation/promise';
import { VisitOutcomes, type VisitOutcome } from '#shared/domain/visit.schema';
import { FieldPaymentMethods, type FieldPaymentMethod } from '#shared/domain/payment.schema';
import { cents } from '#shared/money/money';
import { addDays, type CalendarDate } from '#shared/time/calendar-date';
import { orgSettings, runtime } from '../../app/collector';
import { useDirty } from '../../app/dirty';
import type { QuitaDb, SrvDebt } from '../../db/db';
import { brl, date as fmtDate } from '../../i18n/format';
import { t, type MessageKey } from '../../i18n/messages';
import type { TimelineItem } from '../../models/merge';
import { str } from './collector-data';
import { Choice, FieldError, invalid, MoneyField, readAmount } from './fields';
import { ReceiptCard, type ReceiptData, type ReceiptState } from './receipt';

function Status({ saved, error }: { saved: boolean; error: string | null }) {
  if (error)
    return (
      <p class="notice error" role="alert">
        {t('form.notSaved')}: {error}
      </p>
    );
  if (saved)
    return (
      <p class="notice" role="status" data-testid="form-saved">
        {t('form.saved')}
      </p>
    );
  return null;
}

async function saveFact(save: () => Promise<unknown>): Promise<string | null> {
  try {
    await save();
    return null;
  } catch (error) {
    return (error as Error).message ?? String(error);
  }
}

function position(): Promise<{ lat: number; lng: number; accuracyM: number } | null> {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) =>
        resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracyM: p.coords.accuracy }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  });
}

export function VisitForm({
  debtorId,
  onDone,
}: {
  debtorId: string;
  onDone: (outcome: VisitOutcome) => void;
}) {
  const [outcome, setOutcome] = useState<VisitOutcome | ''>('');
  const [notes, setNotes] = useState('');
  const [withLocation, setWithLocation] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useDirty(outcome !== '' || notes.trim() !== '');
  const rt = runtime.value;
  async function submit(e: Event) {
    e.preventDefault();
    if (!rt || outcome === '') return;
    let geolocation = null;
    if (withLocation) {
      setBusy(t('visit.locating'));
      geolocation = await position();
      setBusy(geolocation ? null : t('visit.noLocation'));
    }
    const failed = await saveFact(() =>
      rt.engine.save({
        type: 'visit.recorded',
        debtorId,
        payload: {
          outcome,
          ...(notes.trim() ? { notes: notes.trim() } : {}),
          ...(geolocation ? { geolocation } : {}),
        },
      }),
    );
    setError(failed);
    if (!failed) {
      setSaved(true);
      setOutcome('');
      setNotes('');
      onDone(outcome);
    }
  }
  return (
    <form class="record-form" onSubmit={(e) => void submit(e)} aria-label={t('visit.title')}>
      <fieldset>
        <legend>{t('visit.outcome')}</legend>
        <div class="choices">
          {VisitOutcomes.map((o) => (
            <Choice
              key={o}
              type="radio"
              name="outcome"
              value={o}
              checked={outcome === o}
              onChange={() => {
                setOutcome(o);
                setSaved(false);
              }}
            >
              {t(`visit.${o}` as MessageKey)}
            </Choice>
          ))}
        </div>
      </fieldset>
      {outcome === 'promise' ? <p class="small muted">{t('visit.promiseNext')}</p> : null}
      <label for="visit-notes">{t('visit.notes')}</label>
      <textarea
        id="visit-notes"
        rows={3}
        maxLength={2000}
        value={notes}
        onInput={(e) => setNotes(e.currentTarget.value)}
      />
      <Choice type="checkbox" checked={withLocation} onChange={setWithLocation}>
        {t('visit.location')}
      </Choice>
      {busy ? (
        <p class="small muted" role="status">
          {busy}
        </p>
      ) : null}
      <button type="submit" class="primary" disabled={outcome === ''}>
        {t('visit.save')}
      </button>
      <Status saved={saved} error={error} />
    </form>
  );
}

/** The next receipt number of this device: its own sequence, prefixed to be unique across devices. */
async function nextReceipt(db: QuitaDb, deviceId: string): Promise<string> {
  const n = await db.transaction('rw', db.meta, async () => {
    const row = await db.meta.get('receipt_seq');
    const next = (typeof row?.value === 'number' ? row.value : 0) + 1;
    await db.meta.put({ key: 'receipt_seq', value: next });
    return next;
  });
  return `R${deviceId.replace(/-/g, '').slice(-6).toUpperCase()}-${String(n).padStart(4, '0')}`;
}

/** The creditor as a receipt names it: razão social, formatted CPF/CNPJ, address on one line. */
function receiptCreditor(): ReceiptData['creditor'] {
  const org = orgSettings.value?.organisation;
  const doc = org?.document ? tryParseDocument(org.document) : null;
  const address = v.safeParse(AddressSchema, org?.address);
  const kind = doc?.ok ? (doc.value.kind === 'cnpj' ? 'CNPJ' : 'CPF') : '';
  return {
    name: org?.legalName ?? org?.tradeName ?? '',
    document: doc?.ok ? `${kind} ${formatDocument(doc.value.value)}` : null,
    address: address.success ? formatAddress(address.output) : null,
  };
}

/** Where a receipt's payment stands, from the debtor's timeline (outbox row, then pulled fact). */
function receiptState(timeline: readonly TimelineItem[], number: string): ReceiptState {
  const item = timeline.find((i) => i.type === 'payment' && i.data['receiptNumber'] === number);
  if (!item || item.origin === 'pending' || item.origin === 'sending') return 'unsent';
  if (item.origin === 'rejected') return 'rejected';
  const status = str(item.data['status']);
  return status === 'confirmed' ? 'confirmed' : status === 'rejected' ? 'rejected' : 'pending';
}

const clock = new Intl.DateTimeFormat('pt-BR', { hour: '2-digit', minute: '2-digit' });

export function PaymentForm({
  debtorId,
  debtorName,
  debts,
  balance,
  collectorName,
  timeline,
  day,
  onDone,
  openOf,
}: {
  debtorId: string;
  debtorName: string;
  debts: readonly SrvDebt[];
  /** The debtor's provisional balance before this payment. */
  balance: number;
  collectorName: string;
  timeline: readonly TimelineItem[];
  day: CalendarDate;
  onDone: () => void;
  /**
   * What is still open for a debt on this phone (its balance less the payments waiting for the
   * office); undefined when unknown. More than that is refused here, as the server refuses it.
   */
  openOf?: (debtId: string) => number | undefined;
}) {
  const [debtId, setDebtId] = useState(debts[0]?.id ?? '');
  const [amountText, setAmountText] = useState('');
  const [method, setMethod] = useState<FieldPaymentMethod>('cash');
  const [note, setNote] = useState('');
  const [receipt, setReceipt] = useState<ReceiptData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useDirty(amountText.trim() !== '' || note.trim() !== '');
  const rt = runtime.value;
  const read = readAmount(amountText);
  const open = openOf?.(debtId);
  const above = read.amount !== null && open !== undefined && read.amount > open;
  const amount = above ? null : read.amount;
  const amountError = read.error;
  if (debts.length === 0) return <p class="muted">{t('payment.noDebt')}</p>;
  async function submit(e: Event) {
    e.preventDefault();
    if (!rt || amount === null || !debtId) return;
    let number = '';
    const failed = await saveFact(async () => {
      number = await nextReceipt(rt.db, rt.deviceId);
      return rt.engine.save({
        type: 'payment.recorded',
        debtorId,
        payload: {
          debtId,
          date: day,
          amount,
          method,
          receiptNumber: number,
          ...(note.trim() ? { note: note.trim() } : {}),
        },
      });
    });
    setError(failed);
    if (failed) return;
    const debt = debts.find((d) => d.id === debtId);
    setReceipt({
      number,
      creditor: receiptCreditor(),
      debtorName,
      amount,
      method,
      reference: debt
        ? `${str(debt.data['description'])} · ${t('debtor.due')} ${fmtDate(str(debt.data['dueDate']))}`
        : '',
      remaining: Math.max(0, balance - amount),
      collectorName,
      day,
      time: clock.format(new Date()),
    });
    setAmountText('');
    setNote('');
    onDone();
  }
  return (
    <form class="record-form" onSubmit={(e) => void submit(e)} aria-label={t('payment.title')}>
      <label for="pay-debt">{t('payment.debt')}</label>
      <select id="pay-debt" value={debtId} onChange={(e) => setDebtId(e.currentTarget.value)}>
        {debts.map((d) => (
          <option key={d.id} value={d.id}>
            {str(d.data['description'])} · {fmtDate(str(d.data['dueDate']))}
          </option>
        ))}
      </select>
      <MoneyField
        id="pay-amount"
        label={t('payment.amount')}
        value={amountText}
        error={amountError}
        onInput={(text) => {
          setAmountText(text);
          setReceipt(null);
        }}
      />
      {above ? (
        <p class="small error-text" role="alert" data-testid="payment-above-open">
          {t('payment.aboveOpen')} {brl(open ?? 0)}.
        </p>
      ) : null}
      <fieldset>
        <legend>{t('payment.method')}</legend>
        <div class="choices">
          {FieldPaymentMethods.map((m) => (
            <Choice
              key={m}
              type="radio"
              name="method"
              value={m}
              checked={method === m}
              onChange={() => setMethod(m)}
            >
              {t(`payment.${m}` as MessageKey)}
            </Choice>
          ))}
        </div>
      </fieldset>
      <label for="pay-note">{t('payment.note')}</label>
      <input
        id="pay-note"
        maxLength={500}
        value={note}
        onInput={(e) => setNote(e.currentTarget.value)}
      />
      <button type="submit" class="primary" disabled={amount === null}>
        {t('payment.save')}
      </button>
      <Status saved={receipt !== null} error={error} />
      {receipt ? (
        <ReceiptCard receipt={receipt} state={receiptState(timeline, receipt.number)} />
      ) : null}
    </form>
  );
}

/** Money as the amount field shows it: 12345 → "123,45". */
export const amountText = (value: number): string =>
  `${Math.floor(value / 100)},${String(value % 100).padStart(2, '0')}`;

export function PromiseForm({
  debtorId,
  debts,
  balance,
  broken,
  day,
  fromVisit = false,
  onDone,
}: {
  debtorId: string;
  debts: readonly SrvDebt[];
  balance: number;
  broken: number;
  day: CalendarDate;
  /** Opened by a visit saved as "Prometeu pagar": starts with the balance and a date, focused. */
  fromVisit?: boolean;
  onDone: () => void;
}) {
  const parsedPolicy = v.safeParse(PromisePolicySchema, orgSettings.value?.promise);
  const policy = parsedPolicy.success ? parsedPolicy.output : DEFAULT_PROMISE_POLICY;
  const [amountTextValue, setAmountText] = useState(() =>
    fromVisit && balance > 0 ? amountText(balance) : '',
  );
  const [dueDate, setDueDate] = useState<string>(() =>
    fromVisit ? addDays(day, Math.min(7, policy.maxDaysAhead)) : '',
  );
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (fromVisit) document.getElementById('promise-amount')?.focus();
  }, [fromVisit]);
  useDirty(amountTextValue.trim() !== '' || dueDate !== '');
  const rt = runtime.value;
  const { amount, error: amountError } = readAmount(amountTextValue);
  const check =
    amount !== null && /^\d{4}-\d{2}-\d{2}$/.test(dueDate)
      ? validatePromise(
          policy,
          { amount, dueDate: dueDate as CalendarDate },
          { today: day, balance: cents(Math.max(0, balance)), brokenPromisesCount: broken },
        )
      : null;
  if (debts.length === 0) return <p class="muted">{t('payment.noDebt')}</p>;
  async function submit(e: Event) {
    e.preventDefault();
    if (!rt || amount === null || !check?.ok) return;
    const failed = await saveFact(() =>
      rt.engine.save({
        type: 'promise.created',
        debtorId,
        payload: {
          debtIds: debts.map((d) => d.id),
          amount,
          dueDate: dueDate as CalendarDate,
          madeOn: day,
          channel: 'visit',
        },
      }),
    );
    setError(failed);
    if (!failed) {
      setSaved(true);
      setAmountText('');
      setDueDate('');
      onDone();
    }
  }
  const violations = check && !check.ok ? check.violations : [];
  const dateProblems = violations.filter((f) => f.unit === 'days');
  const amountProblems = violations.filter((f) => f.unit !== 'days');
  const amountMessage = amountError ?? (amountProblems.map((f) => f.message).join(' ') || null);
  const dateMessage = dateProblems.map((f) => f.message).join(' ') || null;
  return (
    <form class="record-form" onSubmit={(e) => void submit(e)} aria-label={t('promise.title')}>
      {fromVisit ? (
        <p class="notice" role="status" data-testid="promise-from-visit">
          {t('promise.fromVisit')}
        </p>
      ) : null}
      <MoneyField
        id="promise-amount"
        label={t('promise.amount')}
        value={amountTextValue}
        error={amountMessage}
        hint={`${t('promise.balance')} ${brl(Math.max(0, balance))}`}
        onInput={(text) => {
          setAmountText(text);
          setSaved(false);
        }}
      />
      <label for="promise-date">{t('promise.date')}</label>
      <input
        id="promise-date"
        type="date"
        min={day}
        max={addDays(day, policy.maxDaysAhead)}
        value={dueDate}
        {...invalid('promise-date-error', dateMessage)}
        onInput={(e) => setDueDate(e.currentTarget.value)}
      />
      <FieldError id="promise-date-error" message={dateMessage} />
      {check?.needsApproval ? <p class="notice">{t('promise.approval')}</p> : null}
      <button type="submit" class="primary" disabled={!check?.ok}>
        {t('promise.save')}
      </button>
      <Status saved={saved} error={error} />
    </form>
  );
}
