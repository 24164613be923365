/**
 * Settings: the creditor identity and PIX key (owner edits; staff read), templates with the
 * linter's findings and the SMS segment count as you type, and the cadence steps, negotiation
 * policy and contact windows as they stand. Each form marks the page dirty while it holds edits.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { tryParseMoney } from '#shared/money/money';
import { smsSegments } from '#shared/templates/sms-segments';
import { api, errorMessage } from '../../app/api';
import { useDirty } from '../../app/dirty';
import { role } from '../../app/session';
import { Failure, Loading, useLoad } from '../../ui/async';
import { brl, num } from '../../i18n/format';
import { TableWrap } from '../../ui/table-wrap';
import { t, type MessageKey } from '../../i18n/messages';

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

interface Template {
  id: string;
  channel: 'sms' | 'whatsapp' | 'email' | 'visit';
  tone: string;
  privacySafe: boolean;
  stepId?: string;
  subject?: string;
  body: string;
}

interface Finding {
  severity: 'error' | 'warning';
  rule: string;
  message: string;
}

interface AllSettings {
  cadence: {
    steps: {
      id: string;
      offsetDays: number;
      channel: string;
      mode: string;
      templateId: string;
      allowsDiscount: boolean;
    }[];
    windows: Record<'weekdays' | 'saturday' | 'sunday', { from: string; to: string } | null> & {
      allowHolidays: boolean;
    };
    budget: { maxPerDay: number; maxPer7Days: number };
  };
  negotiation: {
    discountBands: { minDaysOverdue: number; maxDiscountBps: number }[];
    maxInstallments: number;
    minInstallment: number;
    minDownPaymentBps: number;
    maxFirstDueDays: number;
  };
}

export function Settings() {
  const [all, reload] = useLoad(() => api<AllSettings>('GET', '/api/settings'));
  return (
    <section>
      <h1 tabIndex={-1}>{t('settings.title')}</h1>
      <OrganisationForm />
      <TemplateEditor />
      {all.state === 'loading' ? <Loading /> : null}
      {all.state === 'error' ? <Failure message={all.message} retry={reload} /> : null}
      {all.state === 'ready' ? <Policies s={all.value} /> : null}
    </section>
  );
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

function OrganisationForm() {
  const [loaded, reload] = useLoad(() => api<Organisation>('GET', '/api/settings/organisation'));
  const [edited, setEdited] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
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
      setMessage({ ok: false, text: errorMessage(e) });
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
            />
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
            />
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
        <input id="org-pixKey" name="pixKey" defaultValue={org.pix?.key ?? ''} autocomplete="off" />
        {owner ? (
          <button type="submit" class="primary">
            {t('common.save')}
          </button>
        ) : (
          <p class="small muted">{t('settings.ownerOnly')}</p>
        )}
      </fieldset>
      {message ? (
        <p class={`notice ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}

function TemplateEditor() {
  const [list, reload] = useLoad(() =>
    api<{ templates: { template: Template; findings: Finding[] }[] }>(
      'GET',
      '/api/settings/templates',
    ),
  );
  const [id, setId] = useState('');
  const [body, setBody] = useState('');
  const [original, setOriginal] = useState('');
  const [findings, setFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useDirty(body !== original);
  const templates = list.state === 'ready' ? list.value.templates.map((x) => x.template) : [];
  const current = templates.find((x) => x.id === id);

  useEffect(() => {
    const first = templates[0];
    if (!current && first) choose(first.id);
  }, [list.state]);

  function choose(next: string) {
    const tpl = templates.find((x) => x.id === next);
    setId(next);
    setBody(tpl?.body ?? '');
    setOriginal(tpl?.body ?? '');
    setFindings(
      list.state === 'ready'
        ? (list.value.templates.find((x) => x.template.id === next)?.findings ?? [])
        : [],
    );
    setMessage(null);
  }

  // Lint after a pause in typing; the linter lives on the server with the creditor's data.
  useEffect(() => {
    if (!current || body === original) return;
    const timer = setTimeout(() => {
      api<{ findings: Finding[] }>('POST', '/api/settings/templates/lint', {
        json: { ...current, body },
      }).then(
        (r) => setFindings(r.findings),
        () => undefined,
      );
    }, 400);
    return () => clearTimeout(timer);
  }, [body, id]);

  const sms = useMemo(() => smsSegments(body), [body]);
  if (list.state === 'loading') return <Loading />;
  if (list.state === 'error') return <Failure message={list.message} retry={reload} />;

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    if (!current) return;
    try {
      await api('PUT', `/api/settings/templates/${encodeURIComponent(current.id)}`, {
        json: { ...current, body },
      });
      setOriginal(body);
      setMessage({ ok: true, text: t('common.saved') });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  };

  return (
    <form onSubmit={(e) => void save(e)} aria-labelledby="tpl-title">
      <h2 id="tpl-title">{t('settings.templates.title')}</h2>
      <label for="tpl-id">{t('settings.templates.pick')}</label>
      <select
        id="tpl-id"
        value={id}
        onChange={(e) => {
          if (body !== original && !confirm(t('dirty.leave'))) return;
          choose(e.currentTarget.value);
        }}
      >
        {templates.map((x) => (
          <option key={x.id} value={x.id}>
            {x.id}
          </option>
        ))}
      </select>
      <label for="tpl-body">{t('settings.templates.body')}</label>
      <textarea
        id="tpl-body"
        rows={6}
        value={body}
        onInput={(e) => setBody(e.currentTarget.value)}
        aria-describedby="tpl-sms tpl-findings"
      />
      <p id="tpl-sms" class="small" aria-live="polite" data-testid="sms-count">
        {t('settings.templates.sms')}: {num(sms.segments)} {t('settings.templates.segments')} ·{' '}
        {num(sms.characters)} {t('settings.templates.chars')} ({sms.encoding})
      </p>
      <div id="tpl-findings" aria-live="polite">
        {findings.length === 0 ? (
          <p class="small ok-text">{t('settings.templates.clean')}</p>
        ) : (
          <ul class="findings">
            {findings.map((f, i) => (
              <li key={`${f.rule}-${i}`} class={f.severity}>
                <strong>{f.severity === 'error' ? t('lint.error') : t('lint.warning')}:</strong>{' '}
                {f.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      {role.value === 'owner' ? (
        <button type="submit" class="primary" disabled={body === original}>
          {t('common.save')}
        </button>
      ) : null}
      {message ? (
        <p class={`notice ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}

function Policies({ s }: { s: AllSettings }) {
  return (
    <>
      <h2>{t('settings.cadence.title')}</h2>
      <TableWrap label={t('settings.cadence.title')}>
        <table>
          <thead>
            <tr>
              <th scope="col" class="num">
                {t('settings.cadence.day')}
              </th>
              <th scope="col">{t('settings.cadence.channel')}</th>
              <th scope="col">{t('settings.cadence.mode')}</th>
              <th scope="col">{t('settings.cadence.template')}</th>
            </tr>
          </thead>
          <tbody>
            {[...s.cadence.steps]
              .sort((a, b) => a.offsetDays - b.offsetDays)
              .map((step) => (
                <tr key={step.id}>
                  <td class="num">
                    {step.offsetDays > 0 ? `+${step.offsetDays}` : step.offsetDays}
                  </td>
                  <td>{step.channel}</td>
                  <td>
                    {step.mode === 'automatic'
                      ? t('settings.cadence.auto')
                      : t('settings.cadence.manual')}
                  </td>
                  <td>{step.templateId}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </TableWrap>
      <p class="small muted">{t('settings.policiesReadOnly')}</p>
      <NegotiationForm />
      <WindowsForm />
    </>
  );
}

type Message = { ok: boolean; text: string } | null;

function Saved({ message }: { message: Message }) {
  if (!message) return null;
  return (
    <p class={`notice ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
      {message.text}
    </p>
  );
}

/** A whole number from a form field, or NaN (the server's validation then names the field). */
const int = (f: FormData, k: string) => {
  const text = String(f.get(k) ?? '').trim();
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
};
/** "12,5" (percent) → 1250 basis points. */
const bps = (f: FormData, k: string) =>
  Math.round(Number(String(f.get(k) ?? '').replace(',', '.')) * 100);
const pct = (b: number) => String(b / 100).replace('.', ',');

interface Section<T> {
  value: T;
  version: number;
}

type Negotiation = AllSettings['negotiation'] & {
  waiverAllowed: { fine: boolean; interest: boolean };
};

function NegotiationForm() {
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

type Day = 'weekdays' | 'saturday' | 'sunday';
const DAYS: [Day, MessageKey][] = [
  ['weekdays', 'settings.windows.weekdays'],
  ['saturday', 'settings.windows.saturday'],
  ['sunday', 'settings.windows.sunday'],
];

interface WindowsValue {
  windows: AllSettings['cadence']['windows'];
  stateWindows: Record<string, unknown>;
  budget: { maxPerDay: number; maxPer7Days: number };
}

function WindowsForm() {
  const [loaded, reload] = useLoad(() =>
    api<Section<WindowsValue>>('GET', '/api/settings/contact-windows'),
  );
  const [edited, setEdited] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  useDirty(edited);
  if (loaded.state === 'loading') return <Loading />;
  if (loaded.state === 'error') return <Failure message={loaded.message} retry={reload} />;
  const { value: w, version } = loaded.value;
  const owner = role.value === 'owner';
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const day = (d: Day) =>
      f.get(`${d}-open`) === 'on'
        ? { from: String(f.get(`${d}-from`) ?? ''), to: String(f.get(`${d}-to`) ?? '') }
        : null;
    setMessage(null);
    try {
      await api('PUT', '/api/settings/contact-windows', {
        headers: { 'if-match': `"${version}"` },
        json: {
          windows: {
            weekdays: day('weekdays'),
            saturday: day('saturday'),
            sunday: day('sunday'),
            allowHolidays: f.get('holidays') === 'on',
          },
          stateWindows: w.stateWindows,
          budget: { maxPerDay: int(f, 'perDay'), maxPer7Days: int(f, 'per7') },
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
      aria-labelledby="win-title"
    >
      <h2 id="win-title">{t('settings.windows.title')}</h2>
      <fieldset disabled={!owner}>
        <legend class="sr-only">{t('settings.windows.title')}</legend>
        {DAYS.map(([d, label]) => {
          const r = w.windows[d];
          return (
            <fieldset key={d} class="day">
              <legend>{t(label)}</legend>
              <label class="check">
                <input type="checkbox" name={`${d}-open`} defaultChecked={r !== null} />{' '}
                {t('settings.windows.allowed')}
              </label>
              <div class="row">
                <label for={`${d}-from`}>{t('settings.windows.from')}</label>
                <input
                  id={`${d}-from`}
                  name={`${d}-from`}
                  type="time"
                  defaultValue={r?.from ?? '08:00'}
                />
                <label for={`${d}-to`}>{t('settings.windows.to')}</label>
                <input
                  id={`${d}-to`}
                  name={`${d}-to`}
                  type="time"
                  defaultValue={r?.to ?? '20:00'}
                />
              </div>
            </fieldset>
          );
        })}
        <label class="check">
          <input type="checkbox" name="holidays" defaultChecked={w.windows.allowHolidays} />{' '}
          {t('settings.windows.holidays')}
        </label>
        <label for="win-day">
          {t('settings.windows.budget')} {t('settings.windows.perDay')}
        </label>
        <input
          id="win-day"
          name="perDay"
          inputMode="numeric"
          defaultValue={String(w.budget.maxPerDay)}
        />
        <label for="win-7">
          {t('settings.windows.budget')} {t('settings.windows.per7')}
        </label>
        <input
          id="win-7"
          name="per7"
          inputMode="numeric"
          defaultValue={String(w.budget.maxPer7Days)}
        />
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
