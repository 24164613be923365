/** The creditor identity and PIX key (CDC art. 42-A: every message names the creditor). */
import { useState } from 'preact/hooks';
import { api, ApiError, errorMessage } from '../../../app/api';
import { useDirty } from '../../../app/dirty';
import { role } from '../../../app/session';
import { Failure, Loading, useLoad } from '../../../ui/async';
import { t, type MessageKey } from '../../../i18n/messages';
import { FieldError, invalidAttrs, Saved, type Message } from './form-bits';
import { problemFieldErrors, type FieldErrors } from './cadence-form-model';

/** The API's field path → the input that shows its error ("address.street" → "street"). */
function inputOf(field: string): string {
  if (field.startsWith('address.')) return field.slice('address.'.length);
  if (field === 'pix.key' || field === 'pix') return 'pixKey';
  if (field === 'pix.keyType') return 'pixKeyType';
  return field;
}

interface Address {
  street: string;
  number: string;
  complement?: string;
  district: string;
  city: string;
  state: string;
  postalCode: string;
}

interface Organisation {
  legalName: string | null;
  tradeName: string | null;
  document: string | null;
  address: Address | null;
  phone: string | null;
  pix: { key: string; keyType: string } | null;
  pixMerchantName: string | null;
  pixMerchantCity: string | null;
  version: number;
}

const PIX_TYPES: [string, MessageKey][] = [
  ['cnpj', 'pixType.cnpj'],
  ['cpf', 'pixType.cpf'],
  ['email', 'pixType.email'],
  ['phone', 'pixType.phone'],
  ['evp', 'pixType.evp'],
];

type Field = [name: string, label: MessageKey, autocomplete?: string];
const IDENTITY: Field[] = [
  ['legalName', 'settings.org.legalName', 'organization'],
  ['tradeName', 'settings.org.tradeName'],
  ['document', 'settings.org.document'],
  ['phone', 'settings.org.phone', 'tel'],
];
const ADDRESS: Field[] = [
  ['street', 'address.street', 'address-line1'],
  ['number', 'address.number'],
  ['complement', 'address.complement', 'address-line2'],
  ['district', 'address.district'],
  ['city', 'address.city', 'address-level2'],
  ['state', 'address.state', 'address-level1'],
  ['postalCode', 'address.postalCode', 'postal-code'],
];

export function OrganisationForm() {
  const [loaded, reload] = useLoad(() => api<Organisation>('GET', '/api/settings/organisation'));
  const [edited, setEdited] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  useDirty(edited);
  const owner = role.value === 'owner';
  if (loaded.state === 'loading') return <Loading />;
  if (loaded.state === 'error') return <Failure message={loaded.message} retry={reload} />;
  const org = loaded.value;
  const value = (name: string): string => {
    if (name in (org.address ?? {}))
      return String((org.address as unknown as Record<string, string>)[name] ?? '');
    const v = (org as unknown as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : '';
  };
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const get = (k: string) => String(f.get(k) ?? '').trim();
    const opt = (k: string) => (get(k) === '' ? {} : { [k]: get(k) });
    setMessage(null);
    setErrors({});
    try {
      await api('PUT', '/api/settings/organisation', {
        headers: { 'if-match': `"${org.version}"` },
        json: {
          legalName: get('legalName'),
          ...opt('tradeName'),
          document: get('document'),
          ...opt('phone'),
          address: {
            street: get('street'),
            number: get('number'),
            ...opt('complement'),
            district: get('district'),
            city: get('city'),
            state: get('state').toUpperCase(),
            postalCode: get('postalCode'),
          },
          ...(get('pixKey') === ''
            ? {}
            : { pix: { key: get('pixKey'), keyType: get('pixKeyType') } }),
        },
      });
      setEdited(false);
      setMessage({ ok: true, text: t('common.saved') });
      reload();
    } catch (e) {
      if (e instanceof ApiError && (e.status === 400 || e.status === 422)) {
        // Each message beside its input; the summary never lists the fields' API names.
        const byInput: FieldErrors = {};
        for (const [field, text] of Object.entries(problemFieldErrors(e.body, e.message)))
          if (field !== '') byInput[inputOf(field)] = text;
        setErrors(byInput);
        setMessage({ ok: false, text: t('settings.err.fix') });
      } else setMessage({ ok: false, text: errorMessage(e) });
    }
  };
  return (
    <form
      onSubmit={(e) => void submit(e)}
      onInput={() => setEdited(true)}
      aria-labelledby="org-title"
    >
      <h2 id="org-title">{t('settings.org.title')}</h2>
      <fieldset disabled={!owner}>
        <legend class="sr-only">{t('settings.org.title')}</legend>
        {IDENTITY.map(([name, label, ac]) => (
          <div key={name}>
            <label for={`org-${name}`}>{t(label)}</label>
            <input
              id={`org-${name}`}
              name={name}
              defaultValue={value(name)}
              autocomplete={ac ?? 'off'}
              {...invalidAttrs(errors, name)}
            />
            <FieldError errors={errors} field={name} />
          </div>
        ))}
        <h3>{t('settings.org.address')}</h3>
        {ADDRESS.map(([name, label, ac]) => (
          <div key={name}>
            <label for={`org-${name}`}>{t(label)}</label>
            <input
              id={`org-${name}`}
              name={name}
              defaultValue={value(name)}
              autocomplete={ac ?? 'off'}
              {...invalidAttrs(errors, name)}
            />
            <FieldError errors={errors} field={name} />
          </div>
        ))}
        <h3>{t('settings.org.pix')}</h3>
        <label for="org-pixKeyType">{t('settings.org.pixType')}</label>
        <select id="org-pixKeyType" name="pixKeyType" defaultValue={org.pix?.keyType ?? 'cnpj'}>
          {PIX_TYPES.map(([v, label]) => (
            <option key={v} value={v}>
              {t(label)}
            </option>
          ))}
        </select>
        <label for="org-pixKey">{t('settings.org.pixKey')}</label>
        <input
          id="org-pixKey"
          name="pixKey"
          defaultValue={org.pix?.key ?? ''}
          autocomplete="off"
          {...invalidAttrs(errors, 'pixKey')}
        />
        <FieldError errors={errors} field="pixKey" />
        {owner ? (
          <button type="submit" class="primary">
            {t('common.save')}
          </button>
        ) : (
          <p class="small muted">{t('settings.ownerOnly')}</p>
        )}
      </fieldset>
      <Saved message={message} />
    </form>
  );
}
