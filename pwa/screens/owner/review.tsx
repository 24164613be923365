/**
 * Review: field payments waiting for reconciliation (confirm / reject with a reason), agreements
 * awaiting the owner's approval, new due dates debtors asked for on their page, and sync conflicts
 * (keep the phone's value or restore the previous).
 */
import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../app/api';
import { role } from '../../app/session';
import { Failure, Loading, useLoad } from '../../ui/async';
import { brl, date, dateTime, num } from '../../i18n/format';
import { t, type MessageKey } from '../../i18n/messages';
import { BankReview } from './review-bank';
import { ConflictsReview } from './review-conflicts';
import { DueDatesReview } from './review-due-dates';

interface Payment {
  id: string;
  debtorId: string;
  debtorName: string;
  amount: number;
  date: string;
  method: string;
  receiptNumber: string | null;
  note: string | null;
  reportedAt: string | null;
}

interface Agreement {
  id: string;
  debtorId: string;
  debtorName: string;
  total: number;
  downPayment: number;
  concessions: { discount: number; fineWaived: number; interestWaived: number };
  installments: { number: number; dueDate: string; amount: number }[];
  createdAt: string;
}

const METHODS: Record<string, MessageKey> = {
  cash: 'method.cash',
  pix: 'method.pix',
  transfer: 'method.transfer',
  boleto: 'method.boleto',
  card: 'method.card',
};

function Decide({
  onApprove,
  onReject,
  approveLabel,
}: {
  onApprove: () => Promise<void>;
  onReject: (reason: string) => Promise<void>;
  approveLabel: string;
}) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const run = async (f: () => Promise<void>) => {
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div class="decide">
      {rejecting ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => onReject(reason));
          }}
        >
          <label>
            {t('review.reason')}
            <input
              value={reason}
              required
              maxLength={500}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </label>
          <button type="submit">{t('review.confirmReject')}</button>
          <button type="button" class="link" onClick={() => setRejecting(false)}>
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <div class="row">
          <button type="button" class="primary" onClick={() => void run(onApprove)}>
            {approveLabel}
          </button>
          <button type="button" onClick={() => setRejecting(true)}>
            {t('review.reject')}
          </button>
        </div>
      )}
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Review() {
  const [payments, reloadPayments] = useLoad(() =>
    api<{ items: Payment[] }>('GET', '/api/payments?status=pending'),
  );
  const [agreements, reloadAgreements] = useLoad(() =>
    api<{ items: Agreement[] }>('GET', '/api/agreements?status=pending_approval'),
  );
  return (
    <section>
      <h1 tabIndex={-1}>{t('review.title')}</h1>
      <h2>{t('review.payments')}</h2>
      {payments.state === 'loading' ? <Loading /> : null}
      {payments.state === 'error' ? (
        <Failure message={payments.message} retry={reloadPayments} />
      ) : null}
      {payments.state === 'ready' && payments.value.items.length === 0 ? (
        <p class="muted">{t('review.noPayments')}</p>
      ) : null}
      {payments.state === 'ready' ? (
        <ul class="items">
          {payments.value.items.map((p) => (
            <li key={p.id} data-testid="payment-to-confirm">
              <p>
                <strong>{p.debtorName}</strong>
              </p>
              <p>
                <strong>{brl(p.amount)}</strong> · {t(METHODS[p.method] ?? 'method.other')} ·{' '}
                {date(p.date)}
              </p>
              <p class="small muted">
                {p.receiptNumber ? `${t('review.receipt')} ${p.receiptNumber} · ` : ''}
                {p.reportedAt ? `${t('review.reportedAt')} ${dateTime(p.reportedAt)}` : ''}
              </p>
              {p.note ? <p class="small">{p.note}</p> : null}
              <Decide
                approveLabel={t('review.confirm')}
                onApprove={async () => {
                  await api('POST', `/api/payments/${p.id}/confirm`);
                  reloadPayments();
                }}
                onReject={async (reason) => {
                  await api('POST', `/api/payments/${p.id}/reject`, { json: { reason } });
                  reloadPayments();
                }}
              />
            </li>
          ))}
        </ul>
      ) : null}
      <h2>{t('review.agreements')}</h2>
      {agreements.state === 'loading' ? <Loading /> : null}
      {agreements.state === 'error' ? (
        <Failure message={agreements.message} retry={reloadAgreements} />
      ) : null}
      {agreements.state === 'ready' && agreements.value.items.length === 0 ? (
        <p class="muted">{t('review.noAgreements')}</p>
      ) : null}
      {agreements.state === 'ready' ? (
        <ul class="items">
          {agreements.value.items.map((a) => (
            <li key={a.id} data-testid="agreement-to-approve">
              <p>
                <strong>{a.debtorName}</strong>
              </p>
              <p>
                <strong>{brl(a.total)}</strong> · {num(a.installments.length)}{' '}
                {t('review.installments')} · {t('review.down')} {brl(a.downPayment)}
              </p>
              <p class="small muted">
                {t('review.discount')} {brl(a.concessions.discount)} · {t('review.waived')}{' '}
                {brl(a.concessions.fineWaived + a.concessions.interestWaived)}
              </p>
              {role.value === 'owner' ? (
                <Decide
                  approveLabel={t('review.approve')}
                  onApprove={async () => {
                    await api('POST', `/api/agreements/${a.id}/approve`);
                    reloadAgreements();
                  }}
                  onReject={async (reason) => {
                    await api('POST', `/api/agreements/${a.id}/reject`, { json: { reason } });
                    reloadAgreements();
                  }}
                />
              ) : (
                <p class="small muted">{t('review.ownerDecides')}</p>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <BankReview />
      <h2>{t('review.dueDates')}</h2>
      <DueDatesReview />
      <h2>{t('review.conflicts')}</h2>
      <ConflictsReview />
    </section>
  );
}
