/** Display helpers for the extension pages (pt-BR). */
import type { DebtorCard } from '#shared/extension/page-messages';
import { cents, formatBRL } from '#shared/money/money';
import { formatDateBR } from '#shared/templates/render-message';
import { calendarDate } from '#shared/time/calendar-date';
import { t, type MessageKey } from '../i18n';

export function money(value: number): string {
  return formatBRL(cents(value));
}

export function dateBR(value: string): string {
  return formatDateBR(calendarDate(value.slice(0, 10)));
}

/** "vencido há 12 dias", "promessa até 05/12/2026", … */
export function statusLabel(
  card: Pick<DebtorCard, 'status' | 'daysOverdue' | 'promiseUntil'>,
): string {
  switch (card.status) {
    case 'vencido':
      return card.daysOverdue === 1
        ? t('status.vencido.one')
        : t('status.vencido', { days: card.daysOverdue });
    case 'promessa':
      return card.promiseUntil
        ? t('status.promessaAte', { date: dateBR(card.promiseUntil) })
        : t('status.promessa');
    default:
      return t(`status.${card.status}` as MessageKey);
  }
}

export function channelLabel(channel: string): string {
  const key = `channel.${channel}` as MessageKey;
  return key in
    {
      'channel.whatsapp': 1,
      'channel.email': 1,
      'channel.sms': 1,
      'channel.phone': 1,
      'channel.visit': 1,
      'channel.letter': 1,
    }
    ? t(key)
    : channel;
}

export { stepLabel } from '../core/step-label';

/** "14:05 de 24/11/2026" for an epoch-ms instant, in the browser's time zone. */
export function timeBR(ms: number): string {
  return new Intl.DateTimeFormat('pt-BR', { dateStyle: 'short', timeStyle: 'short' }).format(ms);
}

/** Sends a request to the service worker and unwraps its answer. */
export async function ask<T>(message: unknown): Promise<T> {
  const answer = (await chrome.runtime.sendMessage(message)) as
    | { ok: true; value: T }
    | { ok: false; message: string }
    | undefined;
  if (!answer) throw new Error('sem resposta da extensão');
  if (!answer.ok) throw new Error(answer.message);
  return answer.value;
}
