/**
 * "Economizar SMS": the owner's choice to fold SMS into the GSM-7 alphabet (no ã, ç, õ…) so each
 * part carries 153 characters instead of 67. Off by default: messages keep their accents. Shown
 * under an SMS template, beside the segment count both ways (./template-editor.tsx).
 */
import { useState } from 'preact/hooks';
import type { MessageSettings } from '#shared/settings/message-settings.schema';
import { api, errorMessage } from '../../../app/api';
import { role } from '../../../app/session';
import { useLoad } from '../../../ui/async';
import { t } from '../../../i18n/messages';

interface Section {
  value: MessageSettings;
  version: number;
}

export interface SmsChoiceState {
  saving: boolean;
  section: Section | null;
  set: (next: boolean) => Promise<void>;
  error: string | null;
}

export function useSmsChoice(): SmsChoiceState {
  const [loaded, reload] = useLoad(() => api<Section>('GET', '/api/settings/messages'));
  const [error, setError] = useState<string | null>(null);
  const section = loaded.state === 'ready' ? loaded.value : null;
  return {
    saving: section?.value.smsSaveSegments === true,
    section,
    error,
    async set(next) {
      if (!section) return;
      setError(null);
      try {
        await api('PUT', '/api/settings/messages', {
          headers: { 'if-match': `"${section.version}"` },
          json: { ...section.value, smsSaveSegments: next },
        });
        reload();
      } catch (e) {
        setError(errorMessage(e));
      }
    },
  };
}

export function SmsChoice({ choice }: { choice: SmsChoiceState }) {
  if (!choice.section) return null;
  return (
    <div class="sms-choice">
      <label class="choice">
        <input
          type="checkbox"
          checked={choice.saving}
          disabled={role.value !== 'owner'}
          onChange={(e) => void choice.set(e.currentTarget.checked)}
          data-testid="sms-save-segments"
        />
        <span>{t('settings.messages.saveSms')}</span>
      </label>
      <p class="small muted">{t('settings.messages.saveSmsHelp')}</p>
      {choice.error ? (
        <p class="notice error" role="alert">
          {choice.error}
        </p>
      ) : null}
    </div>
  );
}
