/** The negotiation policy: installments, down payment, discount bands, waivers. */
import { useState } from 'preact/hooks';
import { tryParseMoney } from '#shared/money/money';
import { api, errorMessage } from '../../../app/api';
import { useDirty } from '../../../app/dirty';
import { role } from '../../../app/session';
import { Failure, Loading, useLoad } from '../../../ui/async';
import { brl } from '../../../i18n/format';
import { t } from '../../../i18n/messages';
import { Saved, type Message, type Section } from './form-bits';

type Negotiation = {
  discountBands: { minDaysOverdue: number; maxDiscountBps: number }[];
  maxInstallments: number;
  minInstallment: number;
  minDownPaymentBps: number;
  maxFirstDueDays: number;
  waiverAllowed: { fine: boolean; interest: boolean };
};

/** A whole number from a form field, or NaN (the server's validation then names the field). */
const int = (f: FormData, k: string) => {
  const text = String(f.get(k) ?? '').trim();
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
};
/** "12,5" (percent) → 1250 basis points. */
const bps = (f: FormData, k: string) =>
  Math.round(Number(String(f.get(k) ?? '').replace(',', '.')) * 100);
const pct = (b: number) => String(b / 100).replace('.', ',');

export function NegotiationForm() {
  const [loaded, reload] = useLoad(() =>
    api<Section<Negotiation>>('GET', '/api/settings/negotiation'),
  );
  const [edited, setEdited] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  useDirty(edited);
  if (loaded.state === 'loading') return <Loading />;
  if (loaded.state === 'error') return <Failure message={loaded.message} retry={reload} />;
  const { value: n, version } = loaded.value;
  const owner = role.value === 'owner';
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const minInstallment = tryParseMoney(String(f.get('minInstallment') ?? ''));
    if (!minInstallment.ok) {
      setMessage({ ok: false, text: t('settings.negotiation.badMoney') });
      return;
    }
    setMessage(null);
    try {
      await api('PUT', '/api/settings/negotiation', {
        headers: { 'if-match': `"${version}"` },
        json: {
          ...n,
          maxInstallments: int(f, 'maxInstallments'),
          minInstallment: minInstallment.value,
          minDownPaymentBps: bps(f, 'minDown'),
          maxFirstDueDays: int(f, 'maxFirstDueDays'),
          discountBands: n.discountBands.map((b, i) => ({
            minDaysOverdue: int(f, `band-days-${i}`),
            maxDiscountBps: bps(f, `band-max-${i}`),
          })),
          waiverAllowed: {
            fine: f.get('waiveFine') === 'on',
            interest: f.get('waiveInterest') === 'on',
          },
        },
      });
      setEdited(false);
      setMessage({ ok: true, text: t('common.saved') });
      reload();
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  };
  return (
    <form
      onSubmit={(e) => void submit(e)}
      onInput={() => setEdited(true)}
      aria-labelledby="neg-title"
    >
      <h2 id="neg-title">{t('settings.negotiation.title')}</h2>
      <fieldset disabled={!owner}>
        <legend class="sr-only">{t('settings.negotiation.title')}</legend>
        <label for="neg-max">{t('settings.negotiation.maxInstallments')}</label>
        <input
          id="neg-max"
          name="maxInstallments"
          inputMode="numeric"
          defaultValue={String(n.maxInstallments)}
        />
        <label for="neg-min">{t('settings.negotiation.minInstallment')}</label>
        <input
          id="neg-min"
          name="minInstallment"
          inputMode="decimal"
          defaultValue={brl(n.minInstallment).replace(/^R\$\s/, '')}
        />
        <label for="neg-down">{t('settings.negotiation.minDown')} (%)</label>
        <input
          id="neg-down"
          name="minDown"
          inputMode="decimal"
          defaultValue={pct(n.minDownPaymentBps)}
        />
        <label for="neg-first">
          {t('settings.negotiation.firstDue')} ({t('portfolio.days')})
        </label>
        <input
          id="neg-first"
          name="maxFirstDueDays"
          inputMode="numeric"
          defaultValue={String(n.maxFirstDueDays)}
        />
        {n.discountBands.map((b, i) => (
          <div class="row" key={i}>
            <label for={`band-days-${i}`}>
              {t('settings.negotiation.discountFrom')} ({t('portfolio.days')})
            </label>
            <input
              id={`band-days-${i}`}
              name={`band-days-${i}`}
              inputMode="numeric"
              defaultValue={String(b.minDaysOverdue)}
            />
            <label for={`band-max-${i}`}>{t('settings.negotiation.maxDiscount')} (%)</label>
            <input
              id={`band-max-${i}`}
              name={`band-max-${i}`}
              inputMode="decimal"
              defaultValue={pct(b.maxDiscountBps)}
            />
          </div>
        ))}
        <label class="check">
          <input type="checkbox" name="waiveFine" defaultChecked={n.waiverAllowed.fine} />{' '}
          {t('settings.negotiation.waiveFine')}
        </label>
        <label class="check">
          <input type="checkbox" name="waiveInterest" defaultChecked={n.waiverAllowed.interest} />{' '}
          {t('settings.negotiation.waiveInterest')}
        </label>
        {owner ? (
          <button type="submit" class="primary">
            {t('common.save')}
          </button>
        ) : null}
      </fieldset>
      <Saved message={message} />
    </form>
  );
}
