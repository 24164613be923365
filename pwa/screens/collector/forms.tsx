/**
 * Recording offline: a visit, a payment received (with a numbered receipt to share) and a promise
 * to pay. Each form saves ONE fact through the sync engine's outbox (strict-durability
 * transaction) and marks the page dirty while it holds edits, so no update or navigation drops it.
 */
import * as v from 'valibot';
import { useState } from 'preact/hooks';
import { tryParseMoney } from '#shared/money/money';
import {
  DEFAULT_PROMISE_POLICY,
  PromisePolicySchema,
  validatePromise,
} from '#shared/negotiation/promise';
import { VisitOutcomes, type VisitOutcome } from '#shared/domain/visit.schema';
import { FieldPaymentMethods, type FieldPaymentMethod } from '#shared/domain/payment.schema';
import { cents } from '#shared/money/money';
import type { CalendarDate } from '#shared/time/calendar-date';
import { orgSettings, runtime } from '../../app/collector';
import { useDirty } from '../../app/dirty';
import type { QuitaDb, SrvDebt } from '../../db/db';
import { brl, date as fmtDate } from '../../i18n/format';
import { t, type MessageKey } from '../../i18n/messages';
import { str } from './collector-data';

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

export function VisitForm({ debtorId, onDone }: { debtorId: string; onDone: () => void }) {
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
      onDone();
    }
  }
  return (
    <form class="record-form" onSubmit={(e) => void submit(e)} aria-label={t('visit.title')}>
      <fieldset>
        <legend>{t('visit.outcome')}</legend>
        {VisitOutcomes.map((o) => (
          <label class="choice" key={o}>
            <input
              type="radio"
              name="outcome"
              value={o}
              checked={outcome === o}
              onChange={() => {
                setOutcome(o);
                setSaved(false);
              }}
            />
            {t(`visit.${o}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      <label for="visit-notes">{t('visit.notes')}</label>
      <textarea
        id="visit-notes"
        rows={3}
        maxLength={2000}
        value={notes}
        onInput={(e) => setNotes(e.currentTarget.value)}
      />
      <label class="choice">
        <input
          type="checkbox"
          checked={withLocation}
          onChange={(e) => setWithLocation(e.currentTarget.checked)}
        />
        {t('visit.location')}
      </label>
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

interface Receipt {
  number: string;
  text: string;
}

function ReceiptCard({ receipt }: { receipt: Receipt }) {
  const [copied, setCopied] = useState(false);
  async function share() {
    if (navigator.share) {
      try {
        await navigator.share({
          title: `${t('payment.receipt')} ${receipt.number}`,
          text: receipt.text,
        });
        return;
      } catch {
        // Cancelled or refused: fall back to copying.
      }
    }
    await navigator.clipboard?.writeText(receipt.text).catch(() => undefined);
    setCopied(true);
  }
  return (
    <div data-testid="receipt">
      <pre class="receipt">{receipt.text}</pre>
      <button type="button" onClick={() => void share()}>
        {t('payment.share')}
      </button>
      {copied ? (
        <span class="small" role="status">
          {t('payment.copied')}
        </span>
      ) : null}
    </div>
  );
}

export function PaymentForm({
  debtorId,
  debtorName,
  debts,
  day,
  onDone,
  openOf,
}: {
  debtorId: string;
  debtorName: string;
  debts: readonly SrvDebt[];
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
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [error, setError] = useState<string | null>(null);
  useDirty(amountText.trim() !== '' || note.trim() !== '');
  const rt = runtime.value;
  const parsed = amountText.trim() === '' ? null : tryParseMoney(amountText);
  const open = openOf?.(debtId);
  const above = parsed?.ok && open !== undefined && parsed.value > open;
  const amount = parsed?.ok && parsed.value > 0 && !above ? parsed.value : null;
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
    const org = orgSettings.value?.organisation;
    const creditor = [org?.tradeName ?? org?.legalName, org?.document].filter(Boolean).join(' - ');
    setReceipt({
      number,
      text: [
        `${t('payment.receipt')} ${number}`,
        creditor,
        `${t('payment.receiptText')} ${debtorName}: ${brl(amount)} (${t(`payment.${method}` as MessageKey)})`,
        fmtDate(day),
        t('sync.pendingBadge'),
      ]
        .filter(Boolean)
        .join('\n'),
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
      <label for="pay-amount">{t('payment.amount')}</label>
      <input
        id="pay-amount"
        inputMode="decimal"
        autocomplete="off"
        placeholder="0,00"
        value={amountText}
        aria-invalid={parsed !== null && !parsed.ok}
        onInput={(e) => {
          setAmountText(e.currentTarget.value);
          setReceipt(null);
        }}
      />
      {parsed !== null && !parsed.ok ? <p class="small error-text">{t('form.badAmount')}</p> : null}
      {above ? (
        <p class="small error-text" role="alert" data-testid="payment-above-open">
          {t('payment.aboveOpen')} {brl(open ?? 0)}.
        </p>
      ) : null}
      <fieldset>
        <legend>{t('payment.method')}</legend>
        {FieldPaymentMethods.map((m) => (
          <label class="choice" key={m}>
            <input
              type="radio"
              name="method"
              value={m}
              checked={method === m}
              onChange={() => setMethod(m)}
            />
            {t(`payment.${m}` as MessageKey)}
          </label>
        ))}
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
      {receipt ? <ReceiptCard receipt={receipt} /> : null}
    </form>
  );
}

export function PromiseForm({
  debtorId,
  debts,
  balance,
  broken,
  day,
  onDone,
}: {
  debtorId: string;
  debts: readonly SrvDebt[];
  balance: number;
  broken: number;
  day: CalendarDate;
  onDone: () => void;
}) {
  const [amountText, setAmountText] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useDirty(amountText.trim() !== '' || dueDate !== '');
  const rt = runtime.value;
  const parsedPolicy = v.safeParse(PromisePolicySchema, orgSettings.value?.promise);
  const policy = parsedPolicy.success ? parsedPolicy.output : DEFAULT_PROMISE_POLICY;
  const parsed = amountText.trim() === '' ? null : tryParseMoney(amountText);
  const amount = parsed?.ok && parsed.value > 0 ? parsed.value : null;
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
  return (
    <form class="record-form" onSubmit={(e) => void submit(e)} aria-label={t('promise.title')}>
      <label for="promise-amount">{t('promise.amount')}</label>
      <input
        id="promise-amount"
        inputMode="decimal"
        autocomplete="off"
        placeholder="0,00"
        value={amountText}
        aria-invalid={parsed !== null && !parsed.ok}
        onInput={(e) => {
          setAmountText(e.currentTarget.value);
          setSaved(false);
        }}
      />
      {parsed !== null && !parsed.ok ? <p class="small error-text">{t('form.badAmount')}</p> : null}
      <label for="promise-date">{t('promise.date')}</label>
      <input
        id="promise-date"
        type="date"
        min={day}
        value={dueDate}
        onInput={(e) => setDueDate(e.currentTarget.value)}
      />
      {check && !check.ok ? (
        <ul class="small error-text" data-testid="promise-violations">
          {check.violations.map((f) => (
            <li key={f.rule}>{f.message}</li>
          ))}
        </ul>
      ) : null}
      {check?.needsApproval ? <p class="notice">{t('promise.approval')}</p> : null}
      <button type="submit" class="primary" disabled={!check?.ok}>
        {t('promise.save')}
      </button>
      <Status saved={saved} error={error} />
    </form>
  );
}
