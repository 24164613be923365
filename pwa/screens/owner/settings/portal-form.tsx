/** The debtor's page: how many days a link sent in a message keeps working (server/portal). */
import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../../app/api';
import { useDirty } from '../../../app/dirty';
import { role } from '../../../app/session';
import { Failure, Loading, useLoad } from '../../../ui/async';
import { t } from '../../../i18n/messages';
import { Saved, type Message, type Section } from './form-bits';

export function PortalForm() {
  const [loaded, reload] = useLoad(() =>
    api<Section<{ linkDays: number }>>('GET', '/api/settings/portal'),
  );
  const [edited, setEdited] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  useDirty(edited);
  if (loaded.state === 'loading') return <Loading />;
  if (loaded.state === 'error') return <Failure message={loaded.message} retry={reload} />;
  const { value, version } = loaded.value;
  const owner = role.value === 'owner';
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const text = String(f.get('linkDays') ?? '').trim();
    setMessage(null);
    try {
      await api('PUT', '/api/settings/portal', {
        headers: { 'if-match': `"${version}"` },
        // Not a whole number: sent as is, so the server's message names the field.
        json: { linkDays: /^\d+$/.test(text) ? Number(text) : text },
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
      aria-labelledby="portal-title"
    >
      <h2 id="portal-title">{t('settings.portal.title')}</h2>
      <p class="small muted">{t('settings.portal.lead')}</p>
      <fieldset disabled={!owner}>
        <legend class="sr-only">{t('settings.portal.title')}</legend>
        <label for="portal-days">{t('settings.portal.linkDays')}</label>
        <input
          id="portal-days"
          name="linkDays"
          inputMode="numeric"
          defaultValue={String(value.linkDays)}
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
