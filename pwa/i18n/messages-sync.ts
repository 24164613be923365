/**
 * The words of synchronisation outcomes: what the server says about a record (its refusal
 * reasons, shared/sync/push.schema `MutationReasons`), the kinds of records, and the engine's
 * failures. Registered on import by the modules that show them (the sync engine, the refused
 * list of the sync line, a debtor's timeline, the owner's Dispositivos), so Today's first screen
 * carries none of it. See ./messages.ts.
 */
import { registerMessages, t, type MessageKey } from './messages';

export const syncPtBR = {
  'sync.fail.network': 'sem conexão com o servidor; tentando de novo',
  'sync.fail.incomplete': 'a resposta do servidor chegou incompleta; tentando de novo',
  'sync.fail.unexpected': 'o servidor respondeu algo que este aplicativo não entende',
  'sync.fail.local': 'não foi possível ler ou gravar os dados deste aparelho',
  'sync.fail.sequence': 'o servidor não aceitou a sequência deste aparelho',
  'sync.fail.resetLoop': 'o servidor pediu para recomeçar a sincronização várias vezes seguidas',
  'sync.fail.noDevice': 'este aparelho ainda não foi registrado; entre de novo',
  'sync.fail.storageFull':
    'o aparelho está sem espaço para gravar os dados recebidos; libere espaço e a sincronização continua',
  'sync.fail.saveStorageFull':
    'o aparelho está sem espaço: nada foi salvo; libere espaço e tente de novo',
  'type.visit.recorded': 'Visita',
  'type.payment.recorded': 'Pagamento',
  'type.promise.created': 'Promessa',
  'type.agreement.proposed': 'Proposta de acordo',
  'type.promise.cancelled': 'Promessa cancelada',
  'type.payment.voided': 'Pagamento anulado',
  'type.debtor.field_updated': 'Correção de contato',
  'type.contact.logged': 'Contato registrado',
  'reject.debtor_not_found': 'cliente não encontrado no servidor',
  'reject.not_assigned': 'o cliente não está mais atribuído a você',
  'reject.debt_not_found': 'dívida não encontrada no servidor',
  'reject.debt_cancelled': 'a dívida foi cancelada',
  'reject.promise_active': 'já existe uma promessa ativa para este cliente',
  'reject.agreement_active': 'já existe um acordo ativo para este cliente',
  'reject.not_found': 'registro não encontrado',
  'reject.not_pending': 'o pagamento já foi conferido pelo escritório',
  'reject.promise_not_active': 'a promessa não está mais ativa',
  'reject.base_version_mismatch': 'os dados mudaram no servidor; confira e registre de novo',
  'reject.idempotency_mismatch': 'o mesmo registro chegou duas vezes com conteúdos diferentes',
  'reject.invalid_payload': 'o registro tem um dado inválido',
  'reject.recorded_while_unassigned': 'registrado quando o cliente já não era seu',
  'reject.over_budget': 'aceito, mas acima do limite de contatos do cliente',
  'reject.contact_refused': 'aceito, mas fora das regras de contato',
  'reject.unknown_type': 'o servidor ainda não conhece este tipo de registro; ele fica guardado',
  'reject.duplicate_receipt': 'este número de recibo já foi usado',
  'reject.device_mismatch': 'o registro é de outro aparelho',
  'reject.sequence_reused': 'a numeração deste aparelho foi reutilizada',
  'reject.other': 'recusado pelo servidor',
  'type.other': 'Registro',
} as const;

registerMessages(syncPtBR);

/** A synced record's kind in words; a type this build does not know (deferred) is a "Registro". */
export function typeLabel(type: string): string {
  return t(`type.${type}` as MessageKey) ?? t('type.other');
}

/**
 * The server's reason (shared/sync/push.schema `MutationReasons`, "code" or "code: detail") in
 * words, never the code: a policy refusal carries its own pt-BR message, an invalid payload its
 * schema message (without the field's API name), anything unknown reads "recusado pelo servidor".
 */
export function reasonText(reason: string): string {
  const colon = reason.indexOf(': ');
  const code = colon < 0 ? reason : reason.slice(0, colon);
  const detail = colon < 0 ? '' : reason.slice(colon + 2);
  if (code === 'policy') return detail;
  const words = t(`reject.${code}` as MessageKey) ?? t('reject.other');
  if (code !== 'invalid_payload' || !detail) return words;
  // "amount: o valor deve…": the field's API name is a code; its message is already words.
  return `${words} (${detail.replace(/^[\w.[\]]+: /, '')})`;
}
