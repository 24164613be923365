/**
 * The day's queue as a CSV: what `GET /api/cadence/today` answers for the caller's role (owner:
 * everything; staff: the remote messages), one line per item, in the queue's own pages (keyset
 * on debtor id, server/cadence/queue.ts), each page streamed as soon as it is computed and
 * audited with one row naming its debtors. Messages are the rendered ones, the same a person
 * sends; they are neutralised like any free text (./csv.ts).
 */
import type { Role } from '#shared/auth/user.schema';
import { formatPhoneBR } from '#shared/identity/phone';
import { localDateTime } from '#shared/time/calendar-date';
import type { Db } from '../db/db';
import { cadenceToday } from '../cadence/today';
import type { QueueItem } from '../cadence/queue';
import type { RenderedQueueItem } from '../cadence/queue-item';
import { loadSettings } from '../settings/settings.repo';
import { recordDebtorRead } from '../lgpd/read-audit';
import { CSV_BOM, csvLine, dateCell, intCell, moneyCell, textCell } from './csv';

export const QUEUE_HEADERS = [
  'devedor',
  'uf',
  'cobrador',
  'etapa',
  'tipo',
  'canal',
  'envio',
  'vencimento_divida',
  'dias_atraso',
  'saldo_atualizado',
  'destino',
  'destino_verificado',
  'a_partir_de',
  'pode_contatar_agora',
  'motivo',
  'assunto',
  'mensagem',
  'pix_copia_e_cola',
] as const;

const KIND: Readonly<Record<string, string>> = {
  reminder: 'lembrete',
  negotiation: 'negociação',
  notice: 'aviso prévio',
  escalation: 'escalonamento',
};
const CHANNEL: Readonly<Record<string, string>> = {
  whatsapp: 'WhatsApp',
  sms: 'SMS',
  email: 'e-mail',
  phone: 'telefone',
  visit: 'visita',
  letter: 'carta',
};

function destination(item: QueueItem): string {
  const r = item.recipient;
  if (!r) return '';
  if (r.kind !== 'phone') return textCell(r.value);
  try {
    return formatPhoneBR(r.value);
  } catch {
    return textCell(r.value);
  }
}

/** One queue item as a line; `timeZone` is the organisation's. */
export function queueLine(
  item: QueueItem & Partial<Pick<RenderedQueueItem, 'message' | 'pix'>>,
  timeZone: string,
): string {
  let from = '';
  if (item.earliestAt !== null) {
    const at = localDateTime(Date.parse(item.earliestAt), timeZone);
    from = `${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;
  }
  const guard = item.guard as { allowed: boolean; message?: string };
  return csvLine([
    textCell(item.debtor.name),
    item.debtor.state ?? '',
    textCell(item.assignedTo?.name),
    textCell(item.step.id),
    KIND[item.step.kind] ?? item.step.kind,
    CHANNEL[item.step.channel] ?? item.step.channel,
    item.delivery === 'smtp' ? 'automático (servidor)' : 'pessoa',
    dateCell(item.debt.dueDate),
    intCell(item.debt.daysOverdue),
    moneyCell(item.debt.balance.totalDue),
    destination(item),
    item.recipient ? (item.recipient.verified ? 'sim' : 'não') : '',
    from,
    guard.allowed ? 'sim' : 'não',
    textCell(guard.allowed ? '' : guard.message),
    textCell(item.message?.subject),
    textCell(item.message?.body),
    textCell(item.pix),
  ]);
}

/** The day's queue for `role` as CSV, page by page. */
export async function* queueCsv(
  db: Db,
  options: { now: Date; role: Role; actor: string | null; ip?: string | null; pageSize?: number },
): AsyncGenerator<string> {
  const settings = await loadSettings(db);
  yield `${CSV_BOM}${csvLine([...QUEUE_HEADERS])}`;
  let cursor: string | undefined;
  for (;;) {
    const page = await cadenceToday(db, options.now, {
      role: options.role,
      userId: options.actor,
      limit: options.pageSize ?? 1000,
      settings,
      // The export is the day's queue to work from a spreadsheet: every message rendered.
      withMessages: true,
      ...(cursor === undefined ? {} : { cursor }),
    });
    await recordDebtorRead(db, {
      actor: options.actor,
      ip: options.ip ?? null,
      action: 'debtor.export',
      debtorIds: page.items.map((i) => i.debtor.id),
      detail: { export: 'queue', date: page.date },
    });
    const lines = page.items.map((item) => queueLine(item, page.timeZone)).join('');
    if (lines !== '') yield lines;
    if (page.nextCursor === null) return;
    cursor = page.nextCursor;
  }
}
