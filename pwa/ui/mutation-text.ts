/**
 * A synced record's kind and the server's refusal reason in words, for the collector's sync line
 * and timeline and for the owner's list of refused records.
 */
import { t, type MessageKey } from '../i18n/messages';

/** A type this build does not know (a deferred record from a newer app) shows as sent. */
export function typeLabel(type: string): string {
  const key = `type.${type}` as MessageKey;
  return t(key) ?? type;
}

/** The server's reason code in words; policy refusals already carry their pt-BR message. */
export function reasonText(reason: string): string {
  if (reason.startsWith('policy: ')) return reason.slice('policy: '.length);
  const key = `reject.${reason}` as MessageKey;
  return t(key) ?? reason;
}
