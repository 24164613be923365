/**
 * Sync status of every collector's device (reference/sync.md §5.9), from `GET /api/status/devices`
 * (server/routes/status.routes.ts). The server decides green/amber/red and the reasons (shared
 * `deviceStatus`); values are the LAST REPORTED ones, so each card says "as of" its last contact.
 * Below them, the records the server refused or deferred (`GET /api/status/rejections`), each with
 * the collector, the debtor and the reason, so the owner can follow up with the collector.
 * If the endpoint is missing (an older server: 404) the screen says "indisponível".
 */
import { useState } from 'preact/hooks';
import { clockOffsetWords, type DeviceLevel, type DeviceReason } from '#shared/sync/device-status';
import { DEVICE_NAME_MAX } from '#shared/sync/device-name';
import { api, ApiError, errorMessage } from '../../app/api';
import { Failure, Loading, useLoad } from '../../ui/async';
import { dateTime, num } from '../../i18n/format';
import '../../i18n/messages-start';
import { t, type MessageKey } from '../../i18n/messages';
import { reasonText, typeLabel } from '../../i18n/messages-sync';
import { ServerStateCard } from './server-state';

/** One item of `GET /api/status/devices` (the fields this screen shows). */
export interface DeviceItem {
  deviceId: string;
  /** "Moto g(60) de Carlos": named at registration, renamed by the owner. */
  name: string;
  collector: { id: string; name: string };
  level: DeviceLevel;
  reasons: DeviceReason[];
  asOf: string | null;
  lastPushOkAt: string | null;
  lastPullOkAt: string | null;
  appVersion: string | null;
  clockOffsetMs: number | null;
  outboxPending: number;
  outboxOldestPendingAt: string | null;
  outboxRejected: number;
  persisted: boolean | null;
  installed: boolean | null;
  lastError: string | null;
}

/** One item of `GET /api/status/rejections`. */
export interface RejectionItem {
  mutationId: string;
  collector: { id: string; name: string };
  type: string;
  debtorId: string | null;
  debtorName: string | null;
  status: 'rejected' | 'deferred';
  reason: string | null;
  receivedAt: string;
}

type Light = DeviceLevel;

const LIGHT: Record<Light, MessageKey> = {
  green: 'devices.green',
  amber: 'devices.amber',
  red: 'devices.red',
};

const when = (iso: string | null) => (iso ? dateTime(iso) : '—');
const yesNo = (b: boolean | null) => (b === null ? '—' : b ? t('common.yes') : t('common.no'));

export function Devices() {
  const [loaded, reload] = useLoad(async () => {
    try {
      const [devices, rejections] = await Promise.all([
        api<{ items: DeviceItem[]; serverNow: string }>('GET', '/api/status/devices'),
        api<{ items: RejectionItem[] }>('GET', '/api/status/rejections'),
      ]);
      return { ...devices, rejections: rejections.items };
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  });
  return (
    <section>
      <h1 tabIndex={-1}>{t('devices.title')}</h1>
      <ServerStateCard />
      {loaded.state === 'loading' ? <Loading /> : null}
      {loaded.state === 'error' ? <Failure message={loaded.message} retry={reload} /> : null}
      {loaded.state === 'ready' && loaded.value === null ? (
        <p class="notice" data-testid="devices-unavailable">
          {t('common.unavailable')}
        </p>
      ) : null}
      {loaded.state === 'ready' && loaded.value ? (
        <>
          <p class="small muted">
            {t('devices.checked')} {dateTime(loaded.value.serverNow)}
          </p>
          {loaded.value.items.length === 0 ? <p class="muted">{t('devices.none')}</p> : null}
          <ul class="items">
            {loaded.value.items.map((d) => (
              <li key={d.deviceId} class={`light-${d.level}`} data-testid="device">
                <p>
                  <span class={`dot ${d.level}`} aria-hidden="true" />
                  <strong data-testid="device-name">{d.name}</strong> · {t(LIGHT[d.level])}
                </p>
                <p class="small">
                  {t('devices.collector')}: {d.collector.name}
                </p>
                <Rename device={d} onDone={reload} />
                <p class="small muted">
                  {t('common.asOf')} {when(d.asOf)}
                </p>
                {d.reasons.length > 0 ? (
                  <ul class="small">
                    {d.reasons.map((r) => (
                      <li key={r.code}>{r.message}</li>
                    ))}
                  </ul>
                ) : null}
                <dl class="facts small">
                  <dt>{t('devices.lastPush')}</dt>
                  <dd>{when(d.lastPushOkAt)}</dd>
                  <dt>{t('devices.lastPull')}</dt>
                  <dd>{when(d.lastPullOkAt)}</dd>
                  <dt>{t('devices.pending')}</dt>
                  <dd>
                    {num(d.outboxPending)}
                    {d.outboxOldestPendingAt
                      ? ` (${t('devices.since')} ${when(d.outboxOldestPendingAt)})`
                      : ''}
                  </dd>
                  <dt>{t('devices.rejected')}</dt>
                  <dd>{num(d.outboxRejected)}</dd>
                  <dt>{t('devices.version')}</dt>
                  <dd>{d.appVersion ?? '—'}</dd>
                  {/* Once: a clock far enough off is already a reason above, in these words. */}
                  {d.reasons.some((r) => r.code === 'clock_offset') ? null : (
                    <>
                      <dt>{t('devices.clock')}</dt>
                      <dd data-testid="device-clock">
                        {d.clockOffsetMs === null ? '—' : clockOffsetWords(d.clockOffsetMs)}
                      </dd>
                    </>
                  )}
                  <dt>{t('device.persist')}</dt>
                  <dd>{yesNo(d.persisted)}</dd>
                  <dt>{t('device.installed')}</dt>
                  <dd>{yesNo(d.installed)}</dd>
                  {d.lastError ? (
                    <>
                      <dt>{t('devices.lastError')}</dt>
                      <dd>{d.lastError}</dd>
                    </>
                  ) : null}
                </dl>
              </li>
            ))}
          </ul>
          <Rejections items={loaded.value.rejections} />
        </>
      ) : null}
    </section>
  );
}

/** The owner names a device; the name is what the list shows first. */
function Rename({ device, onDone }: { device: DeviceItem; onDone: () => void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(device.name);
  const [error, setError] = useState<string | null>(null);
  if (!editing)
    return (
      <button type="button" class="link small" onClick={() => setEditing(true)}>
        {t('devices.rename')}
      </button>
    );
  const id = `device-name-${device.deviceId}`;
  return (
    <form
      class="row"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        void api('PATCH', `/api/status/devices/${device.deviceId}`, { json: { name } }).then(
          () => {
            setEditing(false);
            onDone();
          },
          (err: unknown) => setError(errorMessage(err)),
        );
      }}
    >
      <label for={id}>{t('devices.name')}</label>
      <input
        id={id}
        value={name}
        maxLength={DEVICE_NAME_MAX}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <button type="submit" class="primary">
        {t('common.save')}
      </button>
      <button type="button" class="link" onClick={() => setEditing(false)}>
        {t('common.cancel')}
      </button>
      {error ? (
        <p id={`${id}-error`} class="field-error small" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function Rejections({ items }: { items: readonly RejectionItem[] }) {
  return (
    <>
      <h2>{t('devices.rejections.title')}</h2>
      {items.length === 0 ? <p class="muted">{t('devices.rejections.none')}</p> : null}
      <ul class="items">
        {items.map((r) => (
          <li key={r.mutationId} data-testid="rejection" class={`rejection-${r.status}`}>
            <p>
              <strong>{typeLabel(r.type)}</strong> ·{' '}
              {r.debtorName ?? t('devices.rejections.unknownDebtor')} · {r.collector.name}
            </p>
            <p class="small">
              {t(
                r.status === 'rejected'
                  ? 'devices.rejections.rejected'
                  : 'devices.rejections.deferred',
              )}
              {r.reason ? ` — ${t('devices.rejections.reason')}: ${reasonText(r.reason)}` : ''}
            </p>
            <p class="small muted">
              {t('devices.rejections.received')} {dateTime(r.receivedAt)}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
