/**
 * Review of field-edit conflicts: a collector's correction sent from a debtor version the phone had
 * not seen was applied on arrival (the server keeps the last one received); the owner keeps it or
 * restores the value it overwrote. A restore refused because the debtor changed again since (409)
 * is shown, never retried over the newer data.
 */
import { useState } from 'preact/hooks';
import type { Conflict, ConflictResolution } from '#shared/sync/conflict.schema';
import type { EditableField } from '#shared/sync/facts.schema';
import { api, ApiError, errorMessage } from '../../app/api';
import { role } from '../../app/session';
import { dateTime } from '../../i18n/format';
import { t, type MessageKey } from '../../i18n/messages';
import { Failure, Loading, useLoad } from '../../ui/async';

const FIELD_LABELS: Record<EditableField, MessageKey> = {
  contactPoints: 'review.field.contactPoints',
  address: 'review.field.address',
  preferredChannel: 'review.field.preferredChannel',
  preferredHours: 'review.field.preferredHours',
  geoPin: 'review.field.geoPin',
};

const CHANNELS: Record<string, MessageKey> = {
  sms: 'settings.cadence.channel.sms',
  whatsapp: 'settings.cadence.channel.whatsapp',
  email: 'settings.cadence.channel.email',
};

const coordinate = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 5 });

type Loose = Record<string, unknown>;
const str = (x: unknown) => (typeof x === 'string' ? x : '');

/** A field's stored JSON as one line a person reads. */
export function fieldText(field: EditableField, value: unknown): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0))
    return t('review.conflict.empty');
  switch (field) {
    case 'contactPoints':
      return (Array.isArray(value) ? (value as Loose[]) : [])
        .map((p) => str(p['value']))
        .join(', ');
    case 'address': {
      const a = value as Loose;
      const street = [str(a['street']), str(a['number']), str(a['complement'])]
        .filter(Boolean)
        .join(', ');
      return `${street} – ${str(a['district'])}, ${str(a['city'])}/${str(a['state'])}`;
    }
    case 'preferredChannel': {
      const key = CHANNELS[str(value)];
      return key ? t(key) : str(value);
    }
    case 'preferredHours': {
      const h = value as Loose;
      return `${str(h['from'])}–${str(h['to'])}`;
    }
    case 'geoPin': {
      const g = value as Loose;
      return `${coordinate.format(Number(g['lat']))}; ${coordinate.format(Number(g['lng']))}`;
    }
  }
}

function Resolve({ conflict, onDone }: { conflict: Conflict; onDone: () => void }) {
  const [saving, setSaving] = useState<ConflictResolution | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (resolution: ConflictResolution) => {
    setSaving(resolution);
    setError(null);
    try {
      await api('POST', `/api/status/conflicts/${conflict.id}/resolve`, { json: { resolution } });
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.slug === 'stale-version') setError(t('review.conflict.stale'));
      else if (e instanceof ApiError && e.slug === 'conflict-already-resolved')
        setError(t('review.conflict.alreadyResolved'));
      else setError(errorMessage(e));
      setSaving(null);
    }
  };
  const label = (resolution: ConflictResolution, key: MessageKey) =>
    saving === resolution ? t('review.conflict.saving') : t(key);
  return (
    <div class="decide">
      <div
        class="row"
        role="group"
        aria-label={`${conflict.debtor.name} · ${t(FIELD_LABELS[conflict.field])}`}
      >
        <button
          type="button"
          class="primary"
          disabled={saving !== null}
          onClick={() => void run('keep_applied')}
        >
          {label('keep_applied', 'review.conflict.keep')}
        </button>
        <button
          type="button"
          disabled={saving !== null}
          onClick={() => void run('restore_previous')}
        >
          {label('restore_previous', 'review.conflict.restore')}
        </button>
      </div>
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function OpenConflicts() {
  const [conflicts, reload] = useLoad(() =>
    api<{ items: Conflict[] }>('GET', '/api/status/conflicts'),
  );
  if (conflicts.state === 'loading') return <Loading />;
  if (conflicts.state === 'error') return <Failure message={conflicts.message} retry={reload} />;
  if (conflicts.value.items.length === 0) return <p class="muted">{t('review.noConflicts')}</p>;
  return (
    <ul class="items">
      {conflicts.value.items.map((k) => (
        <li key={k.id} data-testid="conflict">
          <p>
            <strong>{k.debtor.name}</strong> · {t(FIELD_LABELS[k.field])}
          </p>
          <p class="small">
            {t('review.conflict.phoneValue')}: <strong>{fieldText(k.field, k.appliedValue)}</strong>
          </p>
          <p class="small">
            {t('review.conflict.previousValue')}: {fieldText(k.field, k.previousValue)}
          </p>
          <p class="small muted">
            {k.collector.name} · {dateTime(k.at)}
          </p>
          <Resolve conflict={k} onDone={reload} />
        </li>
      ))}
    </ul>
  );
}

/** The conflicts section of the review screen (the API admits only the owner). */
export function ConflictsReview() {
  if (role.value !== 'owner') return <p class="small muted">{t('review.conflictsOwnerOnly')}</p>;
  return <OpenConflicts />;
}
