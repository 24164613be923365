/**
 * Every string the PWA shows goes through `t()`. pt-BR is the product language; English can follow
 * by adding a catalogue with the same keys (the type makes a missing key a compile error).
 * Numbers, money and dates are formatted by ./format.ts (Intl), never spelled here.
 *
 * One key space, split by area so a screen downloads only its own text: this module holds what
 * the shell and the collector's first screen (Today, the sync line) show; ./messages-office.ts
 * (the office screens) and ./messages-field.ts (a debtor's page, its forms, PIX) are loaded by
 * `loadMessages` before a screen of their area is imported (app/routes.ts). Until then their keys
 * read as undefined, like an unknown key.
 */
import type { deskPtBR } from './messages-desk';
import type { fieldPtBR } from './messages-field';
import type { officePtBR } from './messages-office';

const ptBR = {
  'app.name': 'Quita',
  'app.tagline': 'Cobrança amigável para pequenos negócios',
  'a11y.skip': 'Pular para o conteúdo',

  'status.online': 'Online',
  'status.offline': 'Sem conexão',
  'update.ready': 'Nova versão disponível.',
  'update.apply': 'Atualizar agora',
  'update.dirty': 'Salve ou descarte o formulário aberto antes de atualizar.',
  'dirty.leave': 'Há alterações não salvas. Sair mesmo assim?',

  'common.loading': 'Carregando…',
  'common.wait': 'Aguarde…',
  'common.retry': 'Tentar de novo',
  'common.save': 'Salvar',
  'common.saved': 'Salvo.',
  'common.cancel': 'Cancelar',
  'common.search': 'Buscar',
  'common.yes': 'sim',
  'common.no': 'não',
  'common.asOf': 'Posição de',
  'common.unavailable': 'Indisponível no momento.',
  'error.generic': 'Algo deu errado; tente novamente.',
  'error.network': 'Sem conexão com o servidor.',
  'error.screenLoad': 'Não foi possível abrir esta tela sem conexão.',
  'owner.needsConnection': 'Esta tela precisa de conexão com a internet.',
  'notFound.title': 'Página não encontrada',

  'nav.label': 'Menu principal',
  'nav.home': 'Início',
  'nav.portfolio': 'Carteira',
  'nav.work': 'Trabalho',
  'nav.review': 'Revisão',
  'nav.devices': 'Dispositivos',
  'nav.settings': 'Ajustes',
  'nav.privacy': 'Privacidade',
  'nav.pix': 'PIX',
  'nav.debtors': 'Devedores',
  'nav.people': 'Pessoas',

  'role.owner': 'Proprietário',
  'role.staff': 'Escritório',
  'role.collector': 'Cobrador',

  'auth.title': 'Entrar',
  'auth.email': 'E-mail',
  'auth.password': 'Senha',
  'auth.submit': 'Entrar',
  'auth.signOut': 'Sair',
  'auth.needsConnection': 'Para entrar é preciso estar conectado.',
  'auth.deviceBusy':
    'Este aparelho tem {count} de {name} aguardando envio. Entre como {name} e sincronize antes de trocar de usuário.',
  'auth.deviceBusyUnnamed':
    'Este aparelho tem {count} de outro cobrador aguardando envio. Entre com esse usuário e sincronize antes de trocar de usuário.',
  'auth.deviceBusy.one': 'registro',
  'auth.deviceBusy.many': 'registros',

  'setup.title': 'Configuração inicial',
  'setup.intro': 'Crie a conta do proprietário. Este link funciona uma única vez.',
  'setup.name': 'Seu nome',
  'setup.passwordHint': 'Pelo menos 10 caracteres.',
  'setup.confirm': 'Repita a senha',
  'setup.mismatch': 'As senhas não conferem.',
  'setup.submit': 'Criar conta',
  'setup.noToken':
    'Link de configuração incompleto. Use o link exibido pelo servidor na primeira inicialização.',

  'home.hello': 'Olá',
  'home.collectorSoon':
    'Seu trabalho do dia está em Hoje: clientes, visitas, pagamentos e promessas, mesmo sem conexão.',
  'home.serverStatus': 'Servidor',
  'home.online': 'conectado',
  'home.offline': 'sem conexão',
  'home.database': 'Banco de dados',

  'device.title': 'Este aparelho',
  'device.connection': 'Conexão',
  'device.offlineReady': 'Pronto para uso offline',
  'device.persist': 'Armazenamento persistente',
  'device.persist.unknown': 'verificando…',
  'device.persist.granted': 'concedido',
  'device.persist.denied': 'negado pelo navegador (os dados podem ser apagados se faltar espaço)',
  'device.persist.unsupported': 'não suportado neste navegador',
  'device.installed': 'Instalado na tela inicial',
  'device.install': 'Instalar o app',
  'device.version': 'Versão do app',

  // ---- Collector
  'nav.today': 'Hoje',
  'sync.online': 'Online',
  'sync.offline': 'Sem conexão',
  'sync.syncing': 'Sincronizando…',
  'sync.waiting': 'aguardando envio',
  'sync.allSent': 'tudo enviado',
  'sync.lastOk': 'Última sincronização',
  'sync.never': 'nunca',
  'sync.now': 'Sincronizar agora',
  'sync.rejected': 'recusado(s) pelo servidor',
  'sync.rejectedTitle': 'Registros recusados pelo servidor',
  'sync.details': 'Detalhes da sincronização',
  'sync.first': 'Primeira sincronização: baixando sua carteira…',
  'sync.firstCount': 'registros recebidos',
  'sync.error': 'Falha na última sincronização',
  'sync.pendingBadge': 'aguardando sincronização',
  'sync.rejectedBadge': 'recusado',
  'sync.dbError': 'Não foi possível abrir os dados deste aparelho.',
  'sync.fail.network': 'sem conexão',
  'sync.fail.sequence': 'o servidor não aceitou a sequência deste aparelho',
  'sync.fail.resetLoop': 'o servidor pediu para recomeçar a sincronização várias vezes seguidas',
  'sync.fail.noDevice': 'este aparelho ainda não foi registrado; entre de novo',
  'sync.fail.storageFull':
    'o aparelho está sem espaço para gravar os dados recebidos; libere espaço e a sincronização continua',
  'sync.fail.saveStorageFull':
    'o aparelho está sem espaço: nada foi salvo; libere espaço e tente de novo',
  'sync.upgradeRequired':
    'Esta versão do aplicativo está desatualizada. Conecte-se para baixar a nova; nada do que foi salvo neste aparelho se perde.',
  'sync.newerData':
    'os dados deste aparelho são de uma versão mais nova do app; recarregue a página',
  'contact.noTemplate': 'sem modelo de mensagem para este passo',
  'type.visit.recorded': 'Visita',
  'type.payment.recorded': 'Pagamento',
  'type.promise.created': 'Promessa',
  'type.agreement.proposed': 'Proposta de acordo',
  'type.promise.cancelled': 'Promessa cancelada',
  'type.payment.voided': 'Pagamento anulado',
  'type.debtor.field_updated': 'Correção de contato',
  'type.contact.logged': 'Contato registrado',

  'today.title': 'Hoje',
  'today.search': 'Buscar por nome ou telefone',
  'today.filter': 'Filtro',
  'today.filter.all': 'Todos',
  'today.filter.overdue': 'Vencidos',
  'today.filter.promise': 'Com promessa ou acordo',
  'today.filter.pending': 'Aguardando sincronização',
  'today.count': 'clientes',
  'today.empty': 'Nenhum cliente encontrado.',
  'today.noneYet': 'Nenhum cliente atribuído a você ainda.',
  'today.daysLate': 'dias em atraso',
  'today.dueIn': 'vence em',
  'today.days': 'dias',
  'today.upToDate': 'em dia',
  'today.step': 'Próximo passo',
  'today.queue.visit': 'Visitar',
  'today.queue.contact': 'Contatar',
  'today.queue.promise': 'Promessa até',
  'today.queue.agreement': 'Em acordo',
  'today.queue.dispute': 'Em contestação',
  'today.queue.done': 'Etapa já feita',
  'today.queue.automatic': 'Envio automático',
  'today.queue.not_yet': 'Antes da régua',
  'today.queue.nothing': 'Sem débitos em aberto',
  'today.list': 'Clientes do dia, ordenados pela régua',

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
} as const;

export type MessageKey =
  | keyof typeof ptBR
  | keyof typeof officePtBR
  | keyof typeof fieldPtBR
  | keyof typeof deskPtBR;
export type MessageArea = 'office' | 'field' | 'desk';

type Catalogue = Partial<Record<MessageKey, string>>;

const areas: Record<MessageArea, () => Promise<Catalogue>> = {
  office: () => import('./messages-office').then((m) => m.officePtBR),
  field: () => import('./messages-field').then((m) => m.fieldPtBR),
  desk: () => import('./messages-desk').then((m) => m.deskPtBR),
};
const loading = new Map<MessageArea, Promise<void>>();
const catalogues: Record<string, Catalogue> = { 'pt-BR': { ...ptBR } };
let current: Catalogue = catalogues['pt-BR'] ?? {};

export function setLocale(locale: string): void {
  current = catalogues[locale] ?? catalogues['pt-BR'] ?? {};
}

/** Adds an area's text to the catalogue (once); resolve before rendering a screen of that area. */
export function loadMessages(area: MessageArea): Promise<void> {
  let pending = loading.get(area);
  if (!pending) {
    pending = areas[area]().then((table) => {
      Object.assign(catalogues['pt-BR'] ?? {}, table);
    });
    // A failed download (offline, no service worker yet) may be retried on the next visit.
    pending.catch(() => loading.delete(area));
    loading.set(area, pending);
  }
  return pending;
}

export function t(key: MessageKey): string {
  return current[key] as string;
}

/** A synced record's kind in words; a type this build does not know (deferred) shows as sent. */
export function typeLabel(type: string): string {
  return t(`type.${type}` as MessageKey) ?? type;
}

/** The server's refusal reason code in words; policy refusals already carry their pt-BR message. */
export function reasonText(reason: string): string {
  if (reason.startsWith('policy: ')) return reason.slice('policy: '.length);
  return t(`reject.${reason}` as MessageKey) ?? reason;
}
