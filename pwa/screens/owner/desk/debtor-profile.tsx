/**
 * The debtor's identity (name, CPF/CNPJ, code) and contact preferences (preferred channel and
 * hours, do-not-contact for all channels, per channel or at work), each form saved with the
 * version it read (`PATCH /api/debtors/:id`): a concurrent edit is refused, never overwritten.
 */
import { useState } from 'preact/hooks';
import { ContactChannels } from '#shared/domain/common.schema';
import { PreferableChannels } from '#shared/cadence/cadence.schema';
import { api, ApiError, errorMessage } from '../../../app/api';
import { t } from '../../../i18n/messages';
import { word, type Story } from './story';

type Notice = { ok: boolean; text: string } | null;

function useSave(story: Story, reload: () => void) {
  const [notice, setNotice] = useState<Notice>(null);
  const save = async (fields: Record<string, unknown>) => {
    setNotice(null);
    try {
      await api('PATCH', `/api/debtors/${story.debtor.id}`, {
        json: { version: story.debtor.version, ...fields },
      });
      setNotice({ ok: true, text: t('desk.saved') });
      reload();
    } catch (e) {
      setNotice({
        ok: false,
        text:
          e instanceof ApiError && e.slug === 'stale-version' ? t('desk.stale') : errorMessage(e),
      });
    }
  };
  const view = notice ? (
    <p class={`notice ${notice.ok ? 'ok' : 'error'}`} role={notice.ok ? 'status' : 'alert'}>
      {notice.text}
    </p>
  ) : null;
  return { save, view };
}

export function Preferences({ story, reload }: { story: Story; reload: () => void }) {
  const d = story.debtor;
  const [channel, setChannel] = useState(d.preferredChannel ?? '');
  const [from, setFrom] = useState(d.preferredHours?.from ?? '');
  const [to, setTo] = useState(d.preferredHours?.to ?? '');
  const [all, setAll] = useState(d.doNotContact.all);
  const [blocked, setBlocked] = useState<readonly string[]>(d.doNotContact.channels);
  const [atWork, setAtWork] = useState(d.doNotContact.atWork);
  const { save, view } = useSave(story, reload);
  const submit = (e: Event) => {
    e.preventDefault();
    void save({
      preferredChannel: channel === '' ? null : channel,
      preferredHours: from && to ? { from, to } : null,
      doNotContact: { all, channels: blocked, atWork },
    });
  };
  const toggle = (c: string, on: boolean) =>
    setBlocked(on ? [...blocked, c] : blocked.filter((x) => x !== c));
  return (
    <details class="desk-card action">
      <summary>{t('desk.preferences')}</summary>
      <form onSubmit={submit}>
        <label for="pref-channel">{t('desk.preferredChannel')}</label>
        <select
          id="pref-channel"
          value={channel}
          onChange={(e) => setChannel(e.currentTarget.value)}
        >
          <option value="">{t('desk.noPreference')}</option>
          {PreferableChannels.map((c) => (
            <option key={c} value={c}>
              {word('channel', c)}
            </option>
          ))}
        </select>
        <p class="small muted">{t('desk.hoursHint')}</p>
        <div class="row">
          <label for="pref-from">{t('desk.hoursFrom')}</label>
          <input
            id="pref-from"
            type="time"
            value={from}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
          <label for="pref-to">{t('desk.hoursTo')}</label>
          <input
            id="pref-to"
            type="time"
            value={to}
            onInput={(e) => setTo(e.currentTarget.value)}
          />
        </div>
        <label class="check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
          {t('desk.dncAll')}
        </label>
        <fieldset>
          <legend>{t('desk.dncChannels')}</legend>
          {ContactChannels.map((c) => (
            <label class="check" key={c}>
              <input
                type="checkbox"
                checked={blocked.includes(c)}
                onChange={(e) => toggle(c, e.currentTarget.checked)}
              />
              {word('channel', c)}
            </label>
          ))}
        </fieldset>
        <label class="check">
          <input
            type="checkbox"
            checked={atWork}
            onChange={(e) => setAtWork(e.currentTarget.checked)}
          />
          {t('desk.dncAtWork')}
        </label>
        <button type="submit" class="primary">
          {t('common.save')}
        </button>
      </form>
      {view}
    </details>
  );
}

export function Identity({ story, reload }: { story: Story; reload: () => void }) {
  const d = story.debtor;
  const [name, setName] = useState(d.name);
  const [doc, setDoc] = useState(d.document ?? '');
  const [code, setCode] = useState(d.externalId ?? '');
  const { save, view } = useSave(story, reload);
  const submit = (e: Event) => {
    e.preventDefault();
    void save({
      name,
      document: doc.trim() === '' ? null : doc,
      externalId: code.trim() === '' ? null : code,
    });
  };
  return (
    <details class="desk-card action">
      <summary>{t('desk.identity')}</summary>
      <form onSubmit={submit}>
        <label for="id-name">{t('desk.name')}</label>
        <input id="id-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="id-doc">{t('desk.document')}</label>
        <input id="id-doc" value={doc} onInput={(e) => setDoc(e.currentTarget.value)} />
        <label for="id-code">{t('desk.externalId')}</label>
        <input id="id-code" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        <button type="submit" class="primary">
          {t('common.save')}
        </button>
      </form>
      {view}
    </details>
  );
}
