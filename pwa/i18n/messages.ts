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
import type { accessPtBR } from './messages-access';
import type { deskPtBR } from './messages-desk';
import type { guidePtBR } from './messages-guide';
import type { fieldPtBR } from './messages-field';
import type { officePtBR } from './messages-office';
import type { reconciliationPtBR } from './messages-reconciliation';
import type { startPtBR } from './messages-start';
import type { syncPtBR } from './messages-sync';

const ptBR = {
  'app.name': 'Quita',
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
  'nav.guide': 'Primeiros passos',

  'role.owner': 'Proprietário',
  'role.staff': 'Escritório',
  'role.collector': 'Cobrador',

  'auth.signOut': 'Sair',
  'auth.deviceBusy':
    'Este aparelho tem {count} de {name} aguardando envio. Entre como {name} e sincronize antes de trocar de usuário.',
  'auth.deviceBusyUnnamed':
    'Este aparelho tem {count} de outro cobrador aguardando envio. Entre com esse usuário e sincronize antes de trocar de usuário.',
  'auth.deviceBusy.one': 'registro',
  'auth.deviceBusy.many': 'registros',

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
  'sync.at': 'às',
  'sync.on': 'em',
  'sync.neverShort': 'ainda não sincronizado',
  'sync.rejected': 'recusado(s) pelo servidor',
  'sync.rejectedTitle': 'Registros recusados pelo servidor',
  'sync.details': 'Detalhes da sincronização',
  'sync.first': 'Primeira sincronização: baixando sua carteira…',
  'sync.firstCount': 'registros recebidos',
  'sync.error': 'Falha na última sincronização',
  'sync.pendingBadge': 'aguardando sincronização',
  'sync.rejectedBadge': 'recusado',
  'sync.dbError': 'Não foi possível abrir os dados deste aparelho.',
  'sync.upgradeRequired':
    'Esta versão do aplicativo está desatualizada. Conecte-se para baixar a nova; nada do que foi salvo neste aparelho se perde.',
  'sync.newerData':
    'os dados deste aparelho são de uma versão mais nova do app; recarregue a página',
  'contact.noTemplate': 'sem modelo de mensagem para este passo',

  'today.title': 'Hoje',
  'today.search': 'Buscar por nome ou telefone',
  'today.filter': 'Filtro',
  'today.filter.all': 'Todos',
  'today.filter.overdue': 'Vencidos',
  'today.filter.promise': 'Com promessa ou acordo',
  'today.filter.pending': 'Aguardando sincronização',
  'today.count': 'clientes',
  'today.count.one': 'cliente',
  'today.daysLate.one': 'dia em atraso',
  'today.dueToday': 'vence hoje',
  'today.dueTomorrow': 'vence amanhã',
  'today.next.sms': 'Mandar SMS',
  'today.next.whatsapp': 'Mandar WhatsApp',
  'today.next.email': 'Mandar e-mail',
  'today.next.visit': 'Visitar',
  'today.route': 'Abrir rota',
  'today.routeHelp': 'As visitas de hoje, na ordem da lista, no aplicativo de mapas',
  'today.noRoute': 'Nenhuma visita com endereço para hoje.',
  'today.searchPlaceholder': 'Nome ou telefone',
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
} as const;

export type MessageKey =
  | keyof typeof ptBR
  | keyof typeof officePtBR
  | keyof typeof reconciliationPtBR
  | keyof typeof fieldPtBR
  | keyof typeof deskPtBR
  | keyof typeof guidePtBR
  | keyof typeof accessPtBR
  | keyof typeof startPtBR
  | keyof typeof syncPtBR;
export type MessageArea = 'office' | 'field' | 'desk' | 'guide' | 'access';

type Catalogue = Partial<Record<MessageKey, string>>;

const areas: Record<MessageArea, () => Promise<Catalogue>> = {
  office: () =>
    Promise.all([import('./messages-office'), import('./messages-reconciliation')]).then(
      ([office, bank]) => ({ ...office.officePtBR, ...bank.reconciliationPtBR }),
    ),
  field: () => import('./messages-field').then((m) => m.fieldPtBR),
  desk: () => import('./messages-desk').then((m) => m.deskPtBR),
  guide: () => import('./messages-guide').then((m) => m.guidePtBR),
  access: () => import('./messages-access').then((m) => m.accessPtBR),
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

/**
 * Adds a table a module carries itself (its screens are in the same lazy chunk, so the text
 * arrives with them): ./messages-start.ts, ./messages-sync.ts.
 */
export function registerMessages(table: Catalogue): void {
  Object.assign(catalogues['pt-BR'] ?? {}, table);
}

export function t(key: MessageKey): string {
  return current[key] as string;
}
