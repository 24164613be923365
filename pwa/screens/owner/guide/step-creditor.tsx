/**
 * Step 2: the creditor identity (CDC art. 42-A: every collection names the creditor, its CPF/CNPJ
 * and address). The server validates (CPF/CNPJ check digits, CEP, UF) and names the field that
 * failed; the PIX key already saved is kept.
 */
import { useState } from 'preact/hooks';
import { errorMessage } from '../../../app/api';
import { t, type MessageKey } from '../../../i18n/messages';
import { Failure, Loading, useLoad } from '../../../ui/async';
import { loadOrganisation, saveOrganisation, type Identity } from './org';
import type { StepProps } from './steps';

const OPTIONAL = new Set(['tradeName', 'phone', 'complement']);

type Field = [name: string, label: MessageKey, width: string, autocomplete?: string];

const IDENTITY: Field[] = [
  ['legalName', 'guide.creditor.legalName', 'w4', 'organization'],
  ['document', 'guide.creditor.document', 'w2'],
  ['tradeName', 'guide.creditor.tradeName', 'w3'],
  ['phone', 'guide.creditor.phone', 'w3', 'tel'],
];
const ADDRESS: Field[] = [
  ['postalCode', 'guide.creditor.postalCode', 'w2', 'postal-code'],
  ['street', 'guide.creditor.street', 'w4', 'address-line1'],
  ['number', 'guide.creditor.number', 'w2'],
  ['complement', 'guide.creditor.complement', 'w4', 'address-line2'],
  ['district', 'guide.creditor.district', 'w2', 'address-level3'],
  ['city', 'guide.creditor.city', 'w3', 'address-level2'],
  ['state', 'guide.creditor.state', 'w1', 'address-level1'],
];

export function CreditorStep({ done, onSaved, skipButton }: StepProps) {
  const [org, reload] = useLoad(loadOrganisation);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (org.state === 'loading') return <Loading />;
  if (org.state === 'error') return <Failure message={org.message} retry={reload} />;
  const o = org.value;
  const initial = (name: string): string => {
    const address = (o.address ?? {}) as unknown as Record<string, string | undefined>;
    if (name in address) return address[name] ?? '';
    const value = (o as unknown as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : '';
  };
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const get = (k: string) => String(f.get(k) ?? '').trim();
    const optional = (k: string) => (get(k) === '' ? {} : { [k]: get(k) });
    const identity: Identity = {
      legalName: get('legalName'),
      ...optional('tradeName'),
      document: get('document'),
      ...optional('phone'),
      address: {
        street: get('street'),
        number: get('number'),
        ...optional('complement'),
        district: get('district'),
        city: get('city'),
        state: get('state').toUpperCase(),
        postalCode: get('postalCode'),
      },
    };
    setBusy(true);
    setError(null);
    try {
      await saveOrganisation(o, identity, o.pix);
      onSaved();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const input = ([name, label, width, ac]: Field) => (
    <div class={width} key={name}>
      <label for={`cr-${name}`}>{t(label)}</label>
      <input
        id={`cr-${name}`}
        name={name}
        defaultValue={initial(name)}
        autocomplete={ac ?? 'off'}
        required={!OPTIONAL.has(name)}
        {...(name === 'state' ? { maxLength: 2 } : {})}
      />
    </div>
  );
  return (
    <form onSubmit={(e) => void submit(e)}>
      <h2 tabIndex={-1}>{t('guide.creditor.title')}</h2>
      <p>{t('guide.creditor.text')}</p>
      {done ? <p class="notice ok small">{t('guide.doneNote')}</p> : null}
      <div class="guide-form-grid">{IDENTITY.map(input)}</div>
      <h3>{t('guide.creditor.address')}</h3>
      <div class="guide-form-grid">{ADDRESS.map(input)}</div>
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="guide-actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('common.wait') : t('guide.saveNext')}
        </button>
        {skipButton}
      </div>
    </form>
  );
}
