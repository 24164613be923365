/**
 * PIX on the spot: a static BR Code (shared `buildPixPayload`) for the amount, drawn as an SVG QR
 * code plus the copy-and-paste code, both above the fold of a 360×640 phone under the header,
 * the menu and the sync line, so a customer's camera reads it from the collector's screen. A
 * full-screen mode shows the QR as large as the screen allows on white (keeping the screen awake
 * and asking for maximum brightness, which a web page cannot set itself). The creditor's key and
 * names come from the pulled settings on a collector's phone (offline too), else from the server.
 * Every code carries the reconciliation txid of what it pays (`?txid=`, derived on the debtor's
 * screen by shared `txidForBalance`, or the debtor's own txid from `?cliente=`), so the credit on
 * the bank statement is matched; without a debtor there is nothing to name, and no code is made.
 */
import { useEffect, useState } from 'preact/hooks';
import * as v from 'valibot';
import { QrSvg } from '../../ui/qr-svg';
import { buildPixPayload } from '#shared/pix/pix-payload';
import { parseQuitaTxid, txidForDebtor } from '#shared/pix/pix-txid';
import { IdSchema } from '#shared/domain/id';
import { api } from '../../app/api';
import { orgSettings } from '../../app/collector';
import { query } from '../../app/router';
import { Failure, Loading, useLoad } from '../../ui/async';
import { brl } from '../../i18n/format';
import { t } from '../../i18n/messages';
import { copyText } from '../../ui/clipboard';
import { amountText } from './forms';
import { FieldError, invalid, readAmount } from './fields';

interface OrgPix {
  legalName: string | null;
  tradeName: string | null;
  address: { city: string } | null;
  pix: { key: string; keyType: 'email' | 'cpf' | 'cnpj' | 'phone' | 'evp' } | null;
  pixMerchantName: string | null;
  pixMerchantCity: string | null;
}

/** The QR drawing lives in ui/ (the owner's screens draw sign-in QR codes too). */
export { QrSvg };

/** `?valor=` in centavos (from a debtor's page) as the text the amount field shows. */
function initialAmount(): string {
  const raw = query.value.get('valor');
  if (!raw || !/^\d{1,12}$/.test(raw) || Number(raw) <= 0) return '';
  return amountText(Number(raw));
}

/** The txid from `?txid=` (a Quita txid) or `?cliente=` (a debtor id); null without either. */
function txidFromQuery(): string | null {
  const typed = parseQuitaTxid(query.value.get('txid') ?? '');
  if (typed.ok) return typed.value.txid;
  const debtor = v.safeParse(IdSchema, query.value.get('cliente') ?? '');
  return debtor.success ? txidForDebtor(debtor.output) : null;
}

interface WakeLockish {
  release(): Promise<void>;
}

/**
 * The QR alone on white, as large as the screen: fullscreen when the browser allows it, the
 * screen kept awake while it shows (both secure-context APIs, so both optional), closed by its
 * button, Escape or the back gesture leaving fullscreen.
 */
function FullScreenQr({
  code,
  amount,
  payee,
  onClose,
}: {
  code: string;
  amount: number;
  payee: string;
  onClose: () => void;
}) {
  useEffect(() => {
    let lock: WakeLockish | null = null;
    let live = true;
    const nav = navigator as Navigator & {
      wakeLock?: { request(type: 'screen'): Promise<WakeLockish> };
    };
    void nav.wakeLock
      ?.request('screen')
      .then((l) => {
        if (live) lock = l;
        else void l.release();
      })
      .catch(() => undefined);
    void document.documentElement.requestFullscreen?.().catch(() => undefined);
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    const onFullscreen = () => {
      if (!document.fullscreenElement) onClose();
    };
    addEventListener('keydown', onKey);
    document.addEventListener('fullscreenchange', onFullscreen);
    document.getElementById('pix-close')?.focus();
    return () => {
      live = false;
      void lock?.release().catch(() => undefined);
      removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onFullscreen);
      if (document.fullscreenElement) void document.exitFullscreen?.().catch(() => undefined);
    };
  }, []);
  return (
    <div class="pix-full" role="dialog" aria-modal="true" aria-label={t('pix.fullTitle')}>
      <p class="pix-full-amount" data-testid="pix-full-amount">
        {brl(amount)}
      </p>
      <QrSvg text={code} label={`${t('pix.qrLabel')} ${brl(amount)}`} />
      <p class="small">{payee}</p>
      <p class="small muted">{t('pix.brightness')}</p>
      <button type="button" id="pix-close" class="primary" onClick={onClose}>
        {t('pix.closeFull')}
      </button>
    </div>
  );
}

export function Pix() {
  const [org, reload] = useLoad(() => api<OrgPix>('GET', '/api/settings/organisation'));
  const [amountTextValue, setAmountText] = useState(initialAmount);
  const [copied, setCopied] = useState<boolean | null>(null);
  const [full, setFull] = useState(false);
  // A collector's phone has the creditor identity from its last pull (kept current by sync):
  // it answers at once, online or not. Other roles read it from the server.
  const pulled = orgSettings.value?.organisation as OrgPix | undefined;
  if (!pulled && org.state === 'loading') return <Loading />;
  if (!pulled && org.state === 'error') return <Failure message={org.message} retry={reload} />;
  const o = pulled ?? (org.state === 'ready' ? org.value : null);
  if (!o) return <Loading />;
  const { amount, error } = readAmount(amountTextValue);
  const payee = o.pixMerchantName ?? o.tradeName ?? o.legalName ?? '';
  const txid = txidFromQuery();
  const payload =
    o.pix && txid !== null && amount !== null
      ? buildPixPayload({
          key: o.pix.key,
          keyType: o.pix.keyType,
          name: payee,
          city: o.pixMerchantCity ?? o.address?.city ?? '',
          amount,
          txid,
          truncate: true,
        })
      : null;
  const code = payload?.ok ? payload.value : null;
  return (
    <section class="pix-screen">
      <div class="screen-head">
        <h1 tabIndex={-1}>{t('pix.title')}</h1>
        {code ? (
          <button type="button" class="route" onClick={() => setFull(true)}>
            {t('pix.full')}
          </button>
        ) : null}
      </div>
      {!o.pix ? (
        <p class="notice error" role="alert">
          {t('pix.noKey')}
        </p>
      ) : txid === null ? (
        <p class="notice" role="status" data-testid="pix-no-debtor">
          {t('pix.noDebtor')}
        </p>
      ) : (
        <>
          <div class="pix-amount">
            <label for="pix-amount">{t('pix.amount')}</label>
            <input
              id="pix-amount"
              inputMode="decimal"
              autocomplete="off"
              placeholder="0,00"
              value={amountTextValue}
              {...invalid('pix-amount-error', error)}
              aria-describedby={error ? 'pix-amount-error' : 'pix-amount-help'}
              onInput={(e) => {
                setAmountText(e.currentTarget.value);
                setCopied(null);
              }}
            />
            <strong id="pix-amount-help" data-testid="pix-amount-shown">
              {amount !== null ? brl(amount) : ''}
            </strong>
          </div>
          <FieldError id="pix-amount-error" message={error} />
          {amount === null && !error ? <p class="small muted">{t('pix.amountHelp')}</p> : null}
          {payload && !payload.ok ? (
            <p class="notice error" role="alert">
              {t('pix.failed')}
            </p>
          ) : null}
          {code && amount !== null ? (
            <div class="pix">
              <QrSvg text={code} label={`${t('pix.qrLabel')} ${brl(amount)}`} />
              <div class="pix-copy">
                <label for="pix-code" class="sr-only">
                  {t('pix.copyPaste')}
                </label>
                <input id="pix-code" readOnly value={code} data-testid="pix-code" />
                <button
                  type="button"
                  class="primary"
                  onClick={() => void copyText(code).then(setCopied)}
                >
                  {copied ? t('pix.copied') : t('pix.copy')}
                </button>
              </div>
              {copied === false ? (
                <p class="small error-text" role="alert">
                  {t('pix.copyFailed')}
                </p>
              ) : null}
            </div>
          ) : null}
          {full && code && amount !== null ? (
            <FullScreenQr
              code={code}
              amount={amount}
              payee={payee}
              onClose={() => setFull(false)}
            />
          ) : null}
        </>
      )}
    </section>
  );
}
