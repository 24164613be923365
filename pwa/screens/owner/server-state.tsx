/**
 * The server's own state at the top of Dispositivos (`GET /api/status/server`): version, database,
 * last and next backup, the automatic e-mail queue, free disk, memory, how phones reach it. The
 * server decides each level (green/amber/red); this card only shows it, in pt-BR. An older server
 * without the endpoint (404) shows nothing here.
 */
import { Fragment } from 'preact';
import { api, ApiError } from '../../app/api';
import { Failure, Loading, useLoad } from '../../ui/async';
import { dateTime, num } from '../../i18n/format';
import { t, type MessageKey } from '../../i18n/messages';

type Level = 'green' | 'amber' | 'red';

/** `GET /api/status/server` (the fields shown). */
export interface ServerState {
  serverNow: string;
  version: string;
  startedAt: string | null;
  database: { kind: 'pglite' | 'postgres'; sizeBytes: number };
  https: 'direct' | 'proxy' | 'none';
  memory: { rssBytes: number };
  backup: {
    level: Level;
    last: { at: string; file: string; bytes: number } | null;
    lastError: string | null;
    next: string | null;
    dir: string | null;
    keep: number | null;
    lastRestore: { at: string; file: string } | null;
  };
  email: {
    level: Level;
    workerEnabled: boolean;
    lastRunAt: string | null;
    lastRunOk: boolean | null;
    pending: number;
    failed: number;
    uncertain: number;
  };
  disks: { path: string; freeBytes: number; totalBytes: number; level: Level }[];
}

const LEVEL: Record<Level, MessageKey> = {
  green: 'server.green',
  amber: 'server.amber',
  red: 'server.red',
};

const HTTPS: Record<ServerState['https'], MessageKey> = {
  direct: 'server.https.direct',
  proxy: 'server.https.proxy',
  none: 'server.https.none',
};

const bytesFormat = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 1 });

/** "12,3 MB", "1,5 GB" (decimal units, as disks are sold). */
export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${bytesFormat.format(value)} ${units[unit]}`;
}

function worst(levels: Level[]): Level {
  return levels.includes('red') ? 'red' : levels.includes('amber') ? 'amber' : 'green';
}

function Light({ level }: { level: Level }) {
  return (
    <>
      <span class={`dot ${level}`} aria-hidden="true" />
      {t(LEVEL[level])}
    </>
  );
}

export function ServerStateCard() {
  const [loaded, reload] = useLoad(async () => {
    try {
      return await api<ServerState>('GET', '/api/status/server');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  });
  if (loaded.state === 'loading') return <Loading />;
  if (loaded.state === 'error') return <Failure message={loaded.message} retry={reload} />;
  const s = loaded.value;
  if (!s) return null;
  const httpsLevel: Level = s.https === 'none' ? 'amber' : 'green';
  const level = worst([s.backup.level, s.email.level, httpsLevel, ...s.disks.map((d) => d.level)]);
  return (
    <section
      aria-labelledby="server-title"
      class={`server-state light-${level}`}
      data-testid="server-state"
    >
      <h2 id="server-title">
        {t('server.title')} · <Light level={level} />
      </h2>
      <dl class="facts small">
        <dt>{t('server.version')}</dt>
        <dd data-testid="server-version">{s.version}</dd>
        {s.startedAt ? (
          <>
            <dt>{t('server.since')}</dt>
            <dd>{dateTime(s.startedAt)}</dd>
          </>
        ) : null}
        <dt>{t('server.database')}</dt>
        <dd data-testid="server-database">
          {t(s.database.kind === 'pglite' ? 'server.db.pglite' : 'server.db.postgres')}
        </dd>
        <dt>{t('server.dbSize')}</dt>
        <dd>{bytes(s.database.sizeBytes)}</dd>
        <dt>{t('server.memory')}</dt>
        <dd>{bytes(s.memory.rssBytes)}</dd>
        <dt>{t('server.https')}</dt>
        <dd data-testid="server-https">
          <Light level={httpsLevel} /> — {t(HTTPS[s.https])}
        </dd>
        <dt>{t('server.backup')}</dt>
        <dd data-testid="server-backup">
          <Light level={s.backup.level} /> —{' '}
          {s.backup.last
            ? `${dateTime(s.backup.last.at)} (${bytes(s.backup.last.bytes)})`
            : t('server.backup.none')}
          {s.backup.lastError ? (
            <>
              <br />
              {t('server.backup.failed')}: {s.backup.lastError}
            </>
          ) : null}
        </dd>
        <dt>{t('server.backup.next')}</dt>
        <dd>{s.backup.next ? dateTime(s.backup.next) : t('server.backup.off')}</dd>
        {s.backup.dir ? (
          <>
            <dt>{t('server.backup.where')}</dt>
            <dd>
              {s.backup.dir}
              {s.backup.keep ? ` (${t('server.backup.keep')} ${num(s.backup.keep)})` : ''}
            </dd>
          </>
        ) : null}
        {s.backup.lastRestore ? (
          <>
            <dt>{t('server.restore')}</dt>
            <dd>{dateTime(s.backup.lastRestore.at)}</dd>
          </>
        ) : null}
        <dt>{t('server.email')}</dt>
        <dd data-testid="server-email">
          <Light level={s.email.level} /> — {num(s.email.pending)} {t('server.email.pending')},{' '}
          {num(s.email.failed)} {t('server.email.failed')}
          {s.email.uncertain > 0
            ? `, ${num(s.email.uncertain)} ${t('server.email.uncertain')}`
            : ''}
          <br />
          {s.email.workerEnabled ? t('server.email.workerOn') : t('server.email.workerOff')}
          {s.email.workerEnabled && s.email.lastRunAt
            ? ` (${t('server.email.lastRun')} ${dateTime(s.email.lastRunAt)}${
                s.email.lastRunOk === false ? `; ${t('server.email.lastRunFailed')}` : ''
              })`
            : ''}
        </dd>
        {s.disks.map((d) => (
          <Fragment key={d.path}>
            <dt>{t('server.disk')}</dt>
            <dd data-testid="server-disk">
              <Light level={d.level} /> — {bytes(d.freeBytes)} {t('server.disk.of')}{' '}
              {bytes(d.totalBytes)} ({d.path})
            </dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}
