/**
 * The debtor's phones and e-mails: each with its WhatsApp flag and verification state, marked
 * verified or wrong in one tap (audited on the server), fixed in place (value, label, WhatsApp,
 * do-not-use; saved with the version read, so a concurrent fix is refused, never overwritten),
 * and new ones added (a mobile is presumed on WhatsApp unless unticked).
 */
import { useState } from 'preact/hooks';
import { formatPhoneBR, isMobile, tryToE164 } from '#shared/identity/phone';
import { api, ApiError, errorMessage } from '../../../app/api';
import { t } from '../../../i18n/messages';
import { word, type Point, type Story } from './story';

function shown(p: Pick<Point, 'kind' | 'value'>): string {
  return p.kind === 'phone' && tryToE164(p.value).ok ? formatPhoneBR(p.value) : p.value;
}

type Notice = { ok: boolean; text: string } | null;

function Message({ notice }: { notice: Notice }) {
  if (!notice) return null;
  return (
    <p class={`notice ${notice.ok ? 'ok' : 'error'}`} role={notice.ok ? 'status' : 'alert'}>
      {notice.text}
    </p>
  );
}

function failureText(e: unknown): string {
  return e instanceof ApiError && e.status === 409 && e.slug === 'stale-version'
    ? t('desk.stale')
    : errorMessage(e);
}

function PointRow({ story, point, reload }: { story: Story; point: Point; reload: () => void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(shown(point));
  const [label, setLabel] = useState(point.label ?? '');
  const [wa, setWa] = useState(point.isWhatsapp ?? false);
  const [dnc, setDnc] = useState(point.doNotContact);
  const [notice, setNotice] = useState<Notice>(null);
  const base = `/api/debtors/${story.debtor.id}/contact-points/${point.id}`;
  const mark = async (state: Point['verification']) => {
    setNotice(null);
    try {
      await api('POST', `${base}/verification`, { json: { state, source: 'office' } });
      reload();
    } catch (e) {
      setNotice({ ok: false, text: errorMessage(e) });
    }
  };
  const save = async (e: Event) => {
    e.preventDefault();
    setNotice(null);
    try {
      await api('PATCH', base, {
        json: {
          version: point.version,
          ...(value.trim() !== shown(point) ? { value } : {}),
          label: label.trim() === '' ? null : label.trim(),
          ...(point.kind === 'phone' ? { isWhatsapp: wa } : {}),
          doNotContact: dnc,
        },
      });
      setEditing(false);
      reload();
    } catch (err) {
      setNotice({ ok: false, text: failureText(err) });
    }
  };
  const id = point.id.slice(-8);
  return (
    <li data-testid={`point-${point.value}`}>
      <span class="value">{shown(point)}</span>
      {point.label ? <span class="muted small">({point.label}) </span> : null}
      {point.kind === 'phone' ? (
        <span class={`badge ${point.isWhatsapp ? 'wa' : ''}`}>
          {point.isWhatsapp ? t('desk.onWhatsapp') : t('desk.notWhatsapp')}
        </span>
      ) : null}{' '}
      <span class={`badge ${point.verification}`}>{word('verification', point.verification)}</span>
      {point.doNotContact ? <span class="badge wrong">{t('desk.dnc')}</span> : null}
      <div class="tap-row">
        {point.verification !== 'verified' ? (
          <button type="button" onClick={() => void mark('verified')}>
            {t('desk.markVerified')}
          </button>
        ) : null}
        {point.verification !== 'wrong' ? (
          <button type="button" onClick={() => void mark('wrong')}>
            {t('desk.markWrong')}
          </button>
        ) : null}
        {point.verification !== 'unverified' ? (
          <button type="button" class="link" onClick={() => void mark('unverified')}>
            {t('desk.markUnverified')}
          </button>
        ) : null}
        <button
          type="button"
          class="link"
          aria-expanded={editing}
          onClick={() => setEditing(!editing)}
        >
          {t('desk.fixContact')}
        </button>
      </div>
      {editing ? (
        <form onSubmit={(e) => void save(e)}>
          <label for={`pv-${id}`}>{t('desk.contactValue')}</label>
          <input id={`pv-${id}`} value={value} onInput={(e) => setValue(e.currentTarget.value)} />
          <label for={`pl-${id}`}>{t('desk.contactLabel')}</label>
          <input id={`pl-${id}`} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
          {point.kind === 'phone' ? (
            <label class="check">
              <input
                type="checkbox"
                checked={wa}
                onChange={(e) => setWa(e.currentTarget.checked)}
              />
              {t('desk.isWhatsapp')}
            </label>
          ) : null}
          <label class="check">
            <input
              type="checkbox"
              checked={dnc}
              onChange={(e) => setDnc(e.currentTarget.checked)}
            />
            {t('desk.contactDnc')}
          </label>
          <button type="submit" class="primary">
            {t('common.save')}
          </button>
        </form>
      ) : null}
      <Message notice={notice} />
    </li>
  );
}

function AddPoint({ story, reload }: { story: Story; reload: () => void }) {
  const [kind, setKind] = useState<'phone' | 'email'>('phone');
  const [value, setValue] = useState('');
  const [wa, setWa] = useState<boolean | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const presumed = kind === 'phone' && isMobile(value);
  const submit = async (e: Event) => {
    e.preventDefault();
    setNotice(null);
    try {
      await api('POST', `/api/debtors/${story.debtor.id}/contact-points`, {
        json: { kind, value, ...(kind === 'phone' ? { isWhatsapp: wa ?? presumed } : {}) },
      });
      setValue('');
      setWa(null);
      reload();
    } catch (err) {
      setNotice({ ok: false, text: errorMessage(err) });
    }
  };
  return (
    <details class="action">
      <summary>{t('desk.addContact')}</summary>
      <form onSubmit={(e) => void submit(e)}>
        <label for="np-kind">{t('desk.contactKind')}</label>
        <select
          id="np-kind"
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as 'phone' | 'email')}
        >
          <option value="phone">{t('desk.addPhone')}</option>
          <option value="email">{t('desk.addEmail')}</option>
        </select>
        <label for="np-value">{t('desk.contactValue')}</label>
        <input id="np-value" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        {kind === 'phone' ? (
          <>
            <label class="check">
              <input
                type="checkbox"
                checked={wa ?? presumed}
                onChange={(e) => setWa(e.currentTarget.checked)}
              />
              {t('desk.isWhatsapp')}
            </label>
            <p class="small muted">{t('desk.whatsappPresumed')}</p>
          </>
        ) : null}
        <button type="submit" class="primary">
          {t('desk.addContact')}
        </button>
      </form>
      <Message notice={notice} />
    </details>
  );
}

export function ContactPoints({ story, reload }: { story: Story; reload: () => void }) {
  const points = story.debtor.contactPoints;
  return (
    <div class="desk-card">
      <h2>{t('desk.contacts')}</h2>
      <p class="small muted">{t('desk.verifiedHint')}</p>
      {points.length === 0 ? <p class="muted">{t('desk.noContacts')}</p> : null}
      <ul class="points">
        {points.map((p) => (
          <PointRow key={`${p.id}:${p.version}`} story={story} point={p} reload={reload} />
        ))}
      </ul>
      <AddPoint story={story} reload={reload} />
    </div>
  );
}
