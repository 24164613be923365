/**
 * Step 3: the PIX key. Checked as it is typed by the same shared rule the server applies
 * (`normalisePixKey`: CPF/CNPJ check digits, +55 phones, e-mail, UUID), saved with the creditor
 * identity, then shown as a test BR Code of R$ 0,01 to scan with the owner's own bank app.
 */
import { useState } from 'preact/hooks';
import { normalisePixKey } from '#shared/pix/pix-key';
import { buildPixPayload } from '#shared/pix/pix-payload';
import { cents } from '#shared/money/money';
import { errorMessage } from '../../../app/api';
import { t, type MessageKey } from '../../../i18n/messages';
import { Failure, Loading, useLoad } from '../../../ui/async';
import { QrSvg } from '../../../ui/qr-svg';
import {
  identityOf,
  loadOrganisation,
  saveOrganisation,
  type Organisation,
  type PixKeyType,
} from './org';
import type { StepProps } from './steps';

const TYPES: PixKeyType[] = ['cnpj', 'cpf', 'email', 'phone', 'evp'];

/** The R$ 0,01 code the owner scans to see the bank show their name and key. */
function testPayload(org: Organisation): string | null {
  if (!org.pix) return null;
  const built = buildPixPayload({
    key: org.pix.key,
    keyType: org.pix.keyType,
    name: org.pixMerchantName ?? org.tradeName ?? org.legalName ?? '',
    city: org.pixMerchantCity ?? org.address?.city ?? '',
    amount: cents(1),
    txid: 'QUITATESTE',
    description: 'Teste do Quita',
    truncate: true,
  });
  return built.ok ? built.value : null;
}

export function PixStep({ done, onSaved, refresh, go, skipButton }: StepProps) {
  const [org, reload] = useLoad(loadOrganisation);
  const [type, setType] = useState<PixKeyType | null>(null);
  const [key, setKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (org.state === 'loading') return <Loading />;
  if (org.state === 'error') return <Failure message={org.message} retry={reload} />;
  const o = org.value;
  const identity = identityOf(o);
  const keyType = type ?? o.pix?.keyType ?? 'cnpj';
  const keyText = key ?? o.pix?.key ?? '';
  const checked = keyText.trim() === '' ? null : normalisePixKey(keyText, keyType);
  const payload = testPayload(o);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!identity || !checked?.ok) return;
    setBusy(true);
    setError(null);
    try {
      await saveOrganisation(o, identity, { key: checked.value.key, keyType });
      reload();
      refresh();
      setKey(null);
      setType(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <h2 tabIndex={-1}>{t('guide.pix.title')}</h2>
      <p>{t('guide.pix.text')}</p>
      {!identity ? (
        <>
          <p class="notice" role="status">
            {t('guide.pix.needsCreditor')}
          </p>
          <div class="guide-actions">
            <button type="button" class="primary" onClick={() => go('creditor')}>
              {t('guide.pix.goCreditor')}
            </button>
            {skipButton}
          </div>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <div class="guide-form-grid">
            <div class="w2">
              <label for="pix-type">{t('guide.pix.type')}</label>
              <select
                id="pix-type"
                value={keyType}
                onChange={(e) => setType(e.currentTarget.value as PixKeyType)}
              >
                {TYPES.map((k) => (
                  <option key={k} value={k}>
                    {t(`guide.pix.type.${k}` as MessageKey)}
                  </option>
                ))}
              </select>
            </div>
            <div class="w4">
              <label for="pix-key">{t('guide.pix.key')}</label>
              <input
                id="pix-key"
                autocomplete="off"
                value={keyText}
                aria-invalid={checked !== null && !checked.ok}
                aria-describedby="pix-key-check"
                onInput={(e) => setKey(e.currentTarget.value)}
              />
            </div>
          </div>
          <p id="pix-key-check" class={`small ${checked?.ok ? 'ok-text' : ''}`} role="status">
            {checked === null ? '' : checked.ok ? t('guide.pix.keyOk') : checked.message}
          </p>
          {error ? (
            <p class="notice error" role="alert">
              {error}
            </p>
          ) : null}
          <div class="guide-actions">
            <button type="submit" class="primary" disabled={busy || !checked?.ok}>
              {busy ? t('common.wait') : t('common.save')}
            </button>
            {done ? (
              <button type="button" onClick={onSaved}>
                {t('guide.next')}
              </button>
            ) : (
              skipButton
            )}
          </div>
        </form>
      )}
      {payload && o.pix ? (
        <section class="pix" aria-labelledby="pix-test-title" data-testid="pix-test">
          <h3 id="pix-test-title">{t('guide.pix.testTitle')}</h3>
          <p>
            {t('guide.pix.current')}: <strong>{o.pix.key}</strong>
          </p>
          <p>{t('guide.pix.testText')}</p>
          <QrSvg text={payload} label={t('guide.pix.testQr')} testId="pix-test-qr" />
          <label for="pix-copy">{t('guide.pix.copyPaste')}</label>
          <textarea id="pix-copy" readOnly rows={3} value={payload} />
        </section>
      ) : null}
    </div>
  );
}
