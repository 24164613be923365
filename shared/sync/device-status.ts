/**
 * The owner's traffic light per device (reference/sync.md §5.9), from the last health report the
 * server stored. Pure: `now` is a parameter. The dashboard must label it "as of last_seen_at": the
 * server cannot know what an offline phone holds now.
 */

export type DeviceLevel = 'green' | 'amber' | 'red';

export type DeviceReasonCode =
  | 'never_seen'
  | 'not_seen_recently'
  | 'outbox_stuck'
  | 'no_recent_pull'
  | 'not_persisted'
  | 'not_installed'
  | 'old_app'
  | 'rejected_mutations'
  | 'clock_offset'
  | 'storage_pressure'
  | 'storage_full'
  | 'silent_with_pending'
  | 'replaced_with_pending'
  | 'seq_lost';

/**
 * A measured clock offset (server − device, ms) in words, the one way every screen says it:
 * "certo" within a few seconds, else how far ahead or behind ("20 s adiantado", "5 min 39 s
 * atrasado", "5 h 39 min adiantado", "2 dias e 3 h atrasado"). A positive offset means the
 * device's clock is behind the server's.
 */
export function clockOffsetWords(offsetMs: number): string {
  const abs = Math.abs(offsetMs);
  if (abs < CLOCK_OFFSET_NOISE_MS) return 'certo';
  const s = Math.round(abs / 1000);
  const parts =
    s < 60
      ? `${s} s`
      : s < 3600
        ? `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`
        : s < 86_400
          ? `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`
          : `${Math.floor(s / 86_400)} ${Math.floor(s / 86_400) === 1 ? 'dia' : 'dias'}${Math.floor((s % 86_400) / 3600) ? ` e ${Math.floor((s % 86_400) / 3600)} h` : ''}`;
  return `${parts} ${offsetMs > 0 ? 'atrasado' : 'adiantado'}`;
}

/** Below this the offset is the network's round trip, not the clock: shown as "certo". */
export const CLOCK_OFFSET_NOISE_MS = 5_000;

export interface DeviceReason {
  code: DeviceReasonCode;
  level: Exclude<DeviceLevel, 'green'>;
  /** pt-BR, for the owner's screen. */
  message: string;
}

/** The stored health of one device (times as epoch ms; null when never reported). */
export interface DeviceHealthRow {
  lastSeenAt: number | null;
  lastPullOkAt: number | null;
  outboxPending: number;
  /** Device time of the oldest pending row, corrected by the measured clock offset when known. */
  outboxOldestPendingAt: number | null;
  outboxRejected: number;
  persisted: boolean | null;
  storageUsage: number | null;
  storageQuota: number | null;
  /** The device last reported running out of space while writing data. */
  storageFull?: boolean;
  installed: boolean;
  schemaVersion: number;
  clockOffsetMs: number | null;
  /** A newer device of the same collector registered while this one reported pending items. */
  replacedWithPending: boolean;
  /**
   * Sequence ranges of this device the server re-based past (it was restored from a backup older
   * than facts the device had already dropped): those facts exist nowhere any more.
   */
  seqLosses?: readonly SeqLoss[];
}

export interface SeqLoss {
  fromSeq: number;
  toSeq: number;
  /** Epoch ms. */
  detectedAt: number;
}

export interface DeviceStatusOptions {
  /** The server's client schema version; N−1 is still fine. */
  currentSchemaVersion: number;
  /** Green needs contact within this many hours (default 24). */
  seenWithinHours?: number;
  /** Pending items older than this many hours turn amber (default 4). */
  stuckAfterHours?: number;
}

export interface DeviceStatus {
  level: DeviceLevel;
  reasons: DeviceReason[];
}

const HOUR = 3_600_000;
export const CLOCK_OFFSET_RED_MS = 5 * 60_000;
export const CLOCK_OFFSET_FLAG_MS = 2 * HOUR;
/**
 * A lost range stays on the traffic light this long after detection: long enough for an owner who
 * looks weekly to see it; the loss itself is kept (sync_seq_losses, audit log) forever.
 */
export const SEQ_LOSS_VISIBLE_MS = 7 * 24 * HOUR;

function seqRange(loss: SeqLoss): string {
  return loss.fromSeq === loss.toSeq ? `nº ${loss.fromSeq}` : `nº ${loss.fromSeq} a ${loss.toSeq}`;
}

function hours(ms: number): string {
  const h = Math.floor(ms / HOUR);
  return h >= 48 ? `${Math.floor(h / 24)} dias` : `${h} h`;
}

export function deviceStatus(
  row: DeviceHealthRow,
  now: number,
  options: DeviceStatusOptions,
): DeviceStatus {
  const seenWithin = (options.seenWithinHours ?? 24) * HOUR;
  const stuckAfter = (options.stuckAfterHours ?? 4) * HOUR;
  const reasons: DeviceReason[] = [];
  const red = (code: DeviceReasonCode, message: string): void => {
    reasons.push({ code, level: 'red', message });
  };
  const amber = (code: DeviceReasonCode, message: string): void => {
    reasons.push({ code, level: 'amber', message });
  };

  if (row.lastSeenAt === null) {
    amber('never_seen', 'O aparelho nunca sincronizou.');
  } else {
    const silence = now - row.lastSeenAt;
    if (silence > 3 * 24 * HOUR && row.outboxPending > 0)
      red(
        'silent_with_pending',
        `Sem contato há ${hours(silence)} com ${row.outboxPending} registro(s) pendente(s).`,
      );
    else if (silence > seenWithin) amber('not_seen_recently', `Sem contato há ${hours(silence)}.`);
  }
  if (row.replacedWithPending)
    red(
      'replaced_with_pending',
      'O cobrador passou a usar outro aparelho enquanto este tinha registros pendentes (possível perda de dados).',
    );
  const lost = (row.seqLosses ?? []).filter((l) => now - l.detectedAt <= SEQ_LOSS_VISIBLE_MS);
  // Red: facts recorded in the field (payments among them) are gone from the server for good;
  // only the owner can recover them, from the collector's paper receipts.
  if (lost.length > 0)
    red(
      'seq_lost',
      `Registros ${lost.map(seqRange).join(', ')} deste aparelho foram perdidos na restauração do servidor; confira com o cobrador.`,
    );
  if (row.outboxRejected > 0)
    red('rejected_mutations', `${row.outboxRejected} registro(s) recusado(s) pelo servidor.`);
  if (row.clockOffsetMs !== null && Math.abs(row.clockOffsetMs) > CLOCK_OFFSET_RED_MS)
    red('clock_offset', `O relógio do aparelho está ${clockOffsetWords(row.clockOffsetMs)}.`);
  if (
    row.storageUsage !== null &&
    row.storageQuota !== null &&
    row.storageQuota > 0 &&
    row.storageUsage / row.storageQuota > 0.8
  )
    red(
      'storage_pressure',
      `Armazenamento ${Math.round((100 * row.storageUsage) / row.storageQuota)}% cheio.`,
    );
  if (row.storageFull)
    red(
      'storage_full',
      'O aparelho ficou sem espaço ao gravar dados e não recebe atualizações; libere espaço no celular.',
    );

  if (
    row.outboxPending > 0 &&
    row.outboxOldestPendingAt !== null &&
    now - row.outboxOldestPendingAt > stuckAfter
  )
    amber(
      'outbox_stuck',
      `${row.outboxPending} registro(s) aguardando envio há ${hours(now - row.outboxOldestPendingAt)}.`,
    );
  if (row.lastSeenAt !== null && (row.lastPullOkAt === null || now - row.lastPullOkAt > 24 * HOUR))
    amber('no_recent_pull', 'Sem receber atualizações há mais de 24 h.');
  if (row.persisted === false)
    amber(
      'not_persisted',
      'O navegador pode apagar os dados do aplicativo (armazenamento não persistente).',
    );
  if (!row.installed) amber('not_installed', 'O aplicativo não está instalado na tela inicial.');
  if (row.schemaVersion < options.currentSchemaVersion - 1)
    amber('old_app', 'Versão do aplicativo desatualizada.');

  const level: DeviceLevel = reasons.some((r) => r.level === 'red')
    ? 'red'
    : reasons.length > 0
      ? 'amber'
      : 'green';
  return { level, reasons };
}
