/**
 * PIX on the spot: a static BR Code (shared `buildPixPayload`) for the amount typed, drawn as an
 * SVG QR code plus the copy-and-paste text. The creditor's key and names come from the
 * organisation settings (for now fetched; the collector build will read them from the device).
 * Every code carries the reconciliation txid of what it pays (`?txid=`, derived on the debtor's
 * screen by shared `txidForBalance`, or the debtor's own txid from `?cliente=`), so the credit on
 * the bank statement is matched; without a debtor there is nothing to name, and no code is made.
 */
import { useMemo, useState } from 'preact/hooks';
import qrcode from 'qrcode-generator';
import { buildPixPayload } from '#shared/pix/pix-payload';
import { parseQuitaTxid, txidForDebtor } from '#shared/pix/pix-txid';
import { IdSchema } from '#shared/domain/id';
import * as v from 'valibot';
import { tryParseMoney } from '#shared/money/money';
import { api } from '../../app/api';
import { orgSettings } from '../../app/collector';
import { query } from '../../app/router';
import { Failure, Loading, useLoad } from '../../ui/async';
import { brl } from '../../i18n/format';
import { t } from '../../i18n/messages';

interface OrgPix {
  legalName: string | null;
  tradeName: string | null;
  address: { city: string } | null;
  pix: { key: string; keyType: 'email' | 'cpf' | 'cnpj' | 'phone' | 'evp' } | null;
  pixMerchantName: string | null;
  pixMerchantCity: string | null;
}

/** The QR modules as one SVG path (no innerHTML; crisp at any size). */
export function QrSvg({ text, label }: { text: string; label: string }) {
  const { size, d } = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    const count = qr.getModuleCount();
    let path = '';
    // One rectangle per horizontal run of dark modules: a shorter path and no seams between cells.
    for (let r = 0; r < count; r++)
      for (let c = 0; c < count; c++) {
        if (!qr.isDark(r, c)) continue;
        let run = 1;
        while (c + run < count && qr.isDark(r, c + run)) run++;
        path += `M${c + 4} ${r + 4}h${run}v1h-${run}z`;
        c += run - 1;
      }
    return { size: count + 8, d: path };
  }, [text]);
  return (
    <svg
      class="qr"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}

/** `?valor=` in centavos (from a debtor's page) as the text the amount field shows. */
function initialAmount(): string {
  const raw = query.value.get('valor');
  if (!raw || !/^\d{1,12}$/.test(raw) || Number(raw) <= 0) return '';
  const n = Number(raw);
  return `${Math.floor(n / 100)},${String(n % 100).padStart(2, '0')}`;
}

/** The txid from `?txid=` (a Quita txid) or `?cliente=` (a debtor id); null without either. */
function txidFromQuery(): string | null {
  const typed = parseQuitaTxid(query.value.get('txid') ?? '');
  if (typed.ok) return typed.value.txid;
  const debtor = v.safeParse(IdSchema, query.value.get('cliente') ?? '');
  return debtor.success ? txidForDebtor(debtor.output) : null;
}

export function Pix() {
  const [org, reload] = useLoad(() => api<OrgPix>('GET', '/api/settings/organisation'));
  const [amountText, setAmountText] = useState(initialAmount);
  const [copied, setCopied] = useState(false);
  // A collector's phone has the creditor identity from its last pull (kept current by sync):
  // it answers at once, online or not. Other roles read it from the server.
  const pulled = orgSettings.value?.organisation as OrgPix | undefined;
  if (!pulled && org.state === 'loading') return <Loading />;
  if (!pulled && org.state === 'error') return <Failure message={org.message} retry={reload} />;
  const o = pulled ?? (org.state === 'ready' ? org.value : null);
  if (!o) return <Loading />;
  const parsed = amountText.trim() === '' ? null : tryParseMoney(amountText);
  const amount = parsed?.ok ? parsed.value : null;
  const txid = txidFromQuery();
  const payload =
    o.pix && txid !== null && amount !== null && amount > 0
      ? buildPixPayload({
          key: o.pix.key,
          keyType: o.pix.keyType,
          name: o.pixMerchantName ?? o.tradeName ?? o.legalName ?? '',
          city: o.pixMerchantCity ?? o.address?.city ?? '',
          amount,
          txid,
          truncate: true,
        })
      : null;
  return (
    <section>
      <h1 tabIndex={-1}>{t('pix.title')}</h1>
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
          <label for="pix-amount">{t('pix.amount')}</label>
          <input
            id="pix-amount"
            inputMode="decimal"
            autocomplete="off"
            placeholder="0,00"
            value={amountText}
            aria-invalid={parsed !== null && !parsed.ok}
            aria-describedby="pix-amount-help"
            onInput={(e) => {
              setAmountText(e.currentTarget.value);
              setCopied(false);
            }}
          />
          <p id="pix-amount-help" class="small muted">
            {parsed !== null && !parsed.ok
              ? t('pix.badAmount')
              : amount !== null
                ? brl(amount)
                : t('pix.amountHelp')}
          </p>
          {payload && !payload.ok ? (
            <p class="notice error" role="alert">
              {t('pix.failed')}
            </p>
          ) : null}
          {payload?.ok ? (
            <div class="pix">
              <QrSvg
                text={payload.value}
                label={`${t('pix.qrLabel')} ${amount === null ? '' : brl(amount)}`}
              />
              <label for="pix-code">{t('pix.copyPaste')}</label>
              <textarea
                id="pix-code"
                readOnly
                rows={4}
                value={payload.value}
                data-testid="pix-code"
              />
              <button
                type="button"
                class="primary"
                onClick={() =>
                  void navigator.clipboard?.writeText(payload.value).then(() => setCopied(true))
                }
              >
                {copied ? t('pix.copied') : t('pix.copy')}
              </button>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
