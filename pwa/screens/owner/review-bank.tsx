/**
 * Revisão → Conciliação bancária: upload the bank's statement (OFX, or the Nubank/Inter CSV), see
 * what it did, confirm each credit that waits with one tap on a suggestion (a surplus only as a
 * credit to return), mark what is not collection money, undo an automatic confirmation, mark
 * credits to return as returned, and see the agreements a missed installment broke.
 */
import { useState } from 'preact/hooks';
import { SUGGESTION_REASON_TEXT } from '#shared/reconciliation/reconciliation.schema';
import { api, authHeaders, errorMessage, failure } from '../../app/api';
import { Failure, Loading, useLoad } from '../../ui/async';
import { brl, date, num } from '../../i18n/format';
import { t } from '../../i18n/messages';

type Target =
  | { kind: 'debt'; debtId: string }
  | { kind: 'installment'; agreementId: string; number: number }
  | { kind: 'debtor' };

interface Suggestion {
  rank: number;
  debtorId: string;
  debtorName: string;
  target: Target | null;
  debt: { id: string; description: string | null; dueDate: string | null } | null;
  reportPaymentId: string | null;
  owed: number;
  reasons: string[];
}

interface Credit {
  id: string;
  fitid: string;
  postedOn: string;
  amount: number;
  payerName: string | null;
  memo: string | null;
  status: string;
  debtorName: string | null;
  confirmedAs: 'record' | 'report' | 'link' | null;
  suggestions: Suggestion[];
}

interface Summary {
  statementId: string | null;
  credits: number;
  autoConfirmed: number;
  suggested: number;
  unmatched: number;
  alreadySeen: number;
}

interface Refund {
  paymentId: string;
  debtorName: string;
  toReturn: number;
  paidOn: string;
}

interface Broken {
  id: string;
  debtorName: string;
  brokenOn: string | null;
  paid: number;
  total: number;
}

function targetText(s: Suggestion): string {
  const target = s.target;
  if (!target || target.kind === 'debtor') return t('bank.target.debtor');
  if (target.kind === 'installment')
    return target.number === 0
      ? t('bank.target.downPayment')
      : `${t('bank.target.installment')} ${num(target.number)}`;
  const due = s.debt?.dueDate ? ` · ${t('bank.target.due')} ${date(s.debt.dueDate)}` : '';
  return `${t('bank.target.debt')}: ${s.debt?.description ?? ''}${due}`;
}

/** A reason asked for inline (undo, ignore), then `run(reason)`. */
function ReasonAction({
  label,
  prompt,
  submit,
  run,
}: {
  label: string;
  prompt: string;
  submit: string;
  run: (reason: string) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void run(reason);
      }}
    >
      <label>
        {prompt}
        <input
          value={reason}
          required
          maxLength={500}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </label>
      <button type="submit">{submit}</button>
      <button type="button" class="link" onClick={() => setOpen(false)}>
        {t('bank.cancel')}
      </button>
    </form>
  );
}

function CreditLine({ credit }: { credit: Credit }) {
  const payer = credit.payerName ?? credit.memo ?? '';
  return (
    <p>
      <strong>{brl(credit.amount)}</strong> · {date(credit.postedOn)}
      {payer ? (
        <>
          {' · '}
          <span class="small">
            {t('bank.payer')}: {payer}
          </span>
        </>
      ) : null}
    </p>
  );
}

export function BankReview() {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [review, reloadReview] = useLoad(() =>
    api<{ items: Credit[] }>('GET', '/api/reconciliation/credits?status=suggested,unmatched'),
  );
  const [auto, reloadAuto] = useLoad(() =>
    api<{ items: Credit[] }>('GET', '/api/reconciliation/credits?status=auto_confirmed&limit=50'),
  );
  const [refunds, reloadRefunds] = useLoad(() =>
    api<{ items: Refund[] }>('GET', '/api/reconciliation/refunds'),
  );
  const [broken] = useLoad(() => api<{ items: Broken[] }>('GET', '/api/agreements?status=broken'));
  const reloadAll = () => {
    reloadReview();
    reloadAuto();
    reloadRefunds();
  };
  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
      reloadAll();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  async function upload(e: Event) {
    e.preventDefault();
    if (!file) {
      setError(t('bank.upload.choose'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/reconciliation/statements', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', ...authHeaders() },
        body: await file.arrayBuffer(),
      });
      if (!res.ok) throw await failure(res);
      setSummary((await res.json()) as Summary);
      reloadAll();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const items = review.state === 'ready' ? review.value.items : [];
  const suggested = items.filter((c) => c.status === 'suggested');
  const unmatched = items.filter((c) => c.status === 'unmatched');
  return (
    <section aria-labelledby="bank-title">
      <h2 id="bank-title">{t('bank.title')}</h2>
      <form class="record-form" onSubmit={(e) => void upload(e)}>
        <label for="bank-file">{t('bank.upload.label')}</label>
        <input
          id="bank-file"
          type="file"
          accept=".ofx,.OFX,.csv,.txt,application/x-ofx,text/csv"
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
        <p class="small muted">{t('bank.upload.help')}</p>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('bank.upload.running') : t('bank.upload.submit')}
        </button>
      </form>
      {summary ? (
        <p class="notice" role="status" data-testid="bank-summary">
          {summary.statementId === null && summary.alreadySeen > 0
            ? t('bank.summary.nothingNew')
            : `${t('bank.summary.credits')}: ${num(summary.credits)} — ${t('bank.summary.auto')}: ${num(summary.autoConfirmed)}; ${t('bank.summary.suggested')}: ${num(summary.suggested)}; ${t('bank.summary.unmatched')}: ${num(summary.unmatched)}; ${t('bank.summary.seen')}: ${num(summary.alreadySeen)}.`}
        </p>
      ) : null}
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}

      <h3>{t('bank.review.title')}</h3>
      {review.state === 'loading' ? <Loading /> : null}
      {review.state === 'error' ? <Failure message={review.message} retry={reloadReview} /> : null}
      {review.state === 'ready' && suggested.length === 0 ? (
        <p class="muted">{t('bank.review.empty')}</p>
      ) : null}
      <ul class="items">
        {suggested.map((c) => (
          <li key={c.id} data-testid="credit-to-review">
            <CreditLine credit={c} />
            <ul class="small">
              {c.suggestions.map((s) => {
                const above = s.reasons.includes('acima');
                return (
                  <li key={s.rank}>
                    <strong>{s.debtorName}</strong> · {targetText(s)} · {brl(s.owed)}{' '}
                    {t('bank.review.owed')}
                    <br />
                    <span class="muted">
                      {t('bank.review.why')}:{' '}
                      {s.reasons.map((r) => SUGGESTION_REASON_TEXT[r] ?? r).join('; ')}
                    </span>
                    <br />
                    <button
                      type="button"
                      class="primary"
                      onClick={() =>
                        void act(() =>
                          api('POST', `/api/reconciliation/credits/${c.id}/confirm`, {
                            json: {
                              debtorId: s.debtorId,
                              target: s.target ?? { kind: 'debtor' },
                              ...(s.reportPaymentId ? { reportPaymentId: s.reportPaymentId } : {}),
                              ...(above ? { creditToReturn: true } : {}),
                            },
                          }),
                        )
                      }
                    >
                      {above
                        ? `${t('bank.review.confirmRefund')} ${brl(Math.max(0, c.amount - s.owed))}`
                        : t('bank.review.confirm')}
                    </button>
                  </li>
                );
              })}
            </ul>
            <ReasonAction
              label={t('bank.review.ignore')}
              prompt={t('bank.review.ignoreReason')}
              submit={t('bank.review.ignoreSubmit')}
              run={(reason) =>
                act(() =>
                  api('POST', `/api/reconciliation/credits/${c.id}/ignore`, { json: { reason } }),
                )
              }
            />
          </li>
        ))}
      </ul>

      <h3>{t('bank.unmatched.title')}</h3>
      {review.state === 'ready' && unmatched.length === 0 ? (
        <p class="muted">{t('bank.unmatched.empty')}</p>
      ) : null}
      <ul class="items">
        {unmatched.map((c) => (
          <li key={c.id} data-testid="credit-unmatched">
            <CreditLine credit={c} />
            <ReasonAction
              label={t('bank.review.ignore')}
              prompt={t('bank.review.ignoreReason')}
              submit={t('bank.review.ignoreSubmit')}
              run={(reason) =>
                act(() =>
                  api('POST', `/api/reconciliation/credits/${c.id}/ignore`, { json: { reason } }),
                )
              }
            />
          </li>
        ))}
      </ul>

      <h3>{t('bank.auto.title')}</h3>
      {auto.state === 'loading' ? <Loading /> : null}
      {auto.state === 'error' ? <Failure message={auto.message} retry={reloadAuto} /> : null}
      {auto.state === 'ready' && auto.value.items.length === 0 ? (
        <p class="muted">{t('bank.auto.empty')}</p>
      ) : null}
      <ul class="items">
        {(auto.state === 'ready' ? auto.value.items : []).map((c) => (
          <li key={c.id} data-testid="credit-auto">
            <CreditLine credit={c} />
            <p class="small">
              <strong>{c.debtorName ?? ''}</strong>
              {c.confirmedAs ? ` · ${t(`bank.auto.how.${c.confirmedAs}`)}` : ''}
            </p>
            <ReasonAction
              label={t('bank.auto.undo')}
              prompt={t('bank.auto.undoReason')}
              submit={t('bank.auto.undoSubmit')}
              run={(reason) =>
                act(() =>
                  api('POST', `/api/reconciliation/credits/${c.id}/undo`, { json: { reason } }),
                )
              }
            />
          </li>
        ))}
      </ul>

      <h3>{t('bank.refunds.title')}</h3>
      {refunds.state === 'ready' && refunds.value.items.length === 0 ? (
        <p class="muted">{t('bank.refunds.empty')}</p>
      ) : null}
      <ul class="items">
        {(refunds.state === 'ready' ? refunds.value.items : []).map((r) => (
          <li key={r.paymentId} data-testid="refund">
            <p>
              <strong>{r.debtorName}</strong> · {brl(r.toReturn)} {t('bank.refunds.toReturn')} ·{' '}
              {date(r.paidOn)}
            </p>
            <button
              type="button"
              onClick={() =>
                void act(() => api('POST', `/api/reconciliation/refunds/${r.paymentId}/returned`))
              }
            >
              {t('bank.refunds.done')}
            </button>
          </li>
        ))}
      </ul>

      <h3>{t('bank.broken.title')}</h3>
      {broken.state === 'ready' && broken.value.items.length === 0 ? (
        <p class="muted">{t('bank.broken.empty')}</p>
      ) : null}
      <ul class="items">
        {(broken.state === 'ready' ? broken.value.items : []).slice(0, 50).map((a) => (
          <li key={a.id} data-testid="agreement-broken">
            <strong>{a.debtorName}</strong> · {t('bank.broken.on')}{' '}
            {a.brokenOn ? date(a.brokenOn) : '—'} · {t('bank.broken.paid')} {brl(a.paid)} /{' '}
            {brl(a.total)}
          </li>
        ))}
      </ul>
    </section>
  );
}
