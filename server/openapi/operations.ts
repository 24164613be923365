/**
 * What the OpenAPI document says about each operation, keyed by "METHOD /hono/path". Routes not
 * listed still appear (generated from `app.routes`); add an entry to give one a summary, its roles
 * and its request schema. Schemas are the shared ones the routes validate with.
 */
import { RenameDeviceRequestSchema } from '#shared/sync/device-name';
import { MessageSettingsSchema } from '#shared/settings/message-settings.schema';
import * as v from 'valibot';
import {
  LoginRequestSchema,
  NewApiTokenSchema,
  SetupRequestSchema,
} from '#shared/auth/auth.schema';
import { NewUserSchema, UserPatchSchema } from '#shared/auth/user.schema';
import { CadencePolicySchema } from '#shared/cadence/cadence.schema';
import { NegotiationPolicySchema } from '#shared/negotiation/negotiation.schema';
import { PromisePolicySchema } from '#shared/negotiation/promise';
import { DueDateGrantSchema, DueDateRefuseSchema } from '#shared/portal/due-date-request.schema';
import { PortalSettingsSchema } from '#shared/portal/portal-settings.schema';
import { OrganisationSettingsSchema } from '#shared/settings/settings.schema';
import { TemplateSchema } from '#shared/templates/template.schema';
import { IntegrityRequestSchema, RegisterDeviceRequestSchema } from '#shared/sync/device.schema';
import { PushRequestSchema } from '#shared/sync/push.schema';
import { PullQuerySchema } from '#shared/sync/pull.schema';
import {
  ConflictListQuerySchema,
  ResolveConflictRequestSchema,
} from '#shared/sync/conflict.schema';
import { HolidayCalendarSchema } from '#shared/time/holidays';
import {
  ChatIdentityQuerySchema,
  NewChatIdentitySchema,
} from '#shared/extension/chat-identity.schema';
import type { OperationDoc } from './document';
import { FIRST_HOUR_OPERATIONS } from './operations-first-hour';
import { OFFICE_OPERATIONS } from './operations-office';
import { SHEETS_OPERATIONS } from './operations-sheets';
import { TodayQuerySchema } from '../routes/cadence.routes';
import { ContactWindowsSettingsSchema } from '../routes/settings.routes';

const ALL = ['owner', 'staff', 'collector'] as const;
const OWNER = ['owner'] as const;

export const OPERATIONS: Record<string, OperationDoc> = {
  ...OFFICE_OPERATIONS,
  ...FIRST_HOUR_OPERATIONS,
  ...SHEETS_OPERATIONS,
  'GET /api/health': { summary: 'Saúde do servidor e do banco', roles: 'public' },
  'GET /api/openapi.json': { summary: 'Este documento', roles: 'public' },
  'POST /api/auth/login': {
    summary: 'Entrar (token de sessão)',
    roles: 'public',
    body: LoginRequestSchema,
  },
  'POST /api/auth/logout': { summary: 'Sair (revoga o token atual)', roles: ALL },
  'GET /api/auth/me': { summary: 'Usuário atual', roles: ALL },
  'GET /api/auth/tokens': { summary: 'Tokens pessoais de API', roles: ALL },
  'POST /api/auth/tokens': {
    summary: 'Criar token pessoal (extensão)',
    roles: ALL,
    body: NewApiTokenSchema,
  },
  'DELETE /api/auth/tokens/:id': { summary: 'Revogar token pessoal', roles: ALL },
  'GET /api/extension/chat-identities': {
    summary: 'Identidade confirmada de uma conversa do WhatsApp sem número (@lid)',
    roles: ['owner', 'staff'],
    query: ChatIdentityQuerySchema,
  },
  'POST /api/extension/chat-identities': {
    summary: 'Confirmar quem é a pessoa de uma conversa sem número (auditado)',
    roles: ['owner', 'staff'],
    body: NewChatIdentitySchema,
  },
  'DELETE /api/extension/chat-identities/:id': {
    summary: 'Desfazer a confirmação de identidade de uma conversa (auditado)',
    roles: ['owner', 'staff'],
  },
  'POST /api/setup': {
    summary: 'Criar o primeiro proprietário (link de configuração)',
    roles: 'public',
    body: SetupRequestSchema,
  },
  'GET /api/users': { summary: 'Listar usuários', roles: OWNER },
  'POST /api/users': { summary: 'Criar usuário', roles: OWNER, body: NewUserSchema },
  'GET /api/users/:id': { summary: 'Ver usuário', roles: OWNER },
  'PATCH /api/users/:id': { summary: 'Alterar usuário', roles: OWNER, body: UserPatchSchema },

  'GET /api/settings': { summary: 'Todas as configurações (padrões onde não salvas)', roles: ALL },
  'GET /api/settings/organisation': {
    summary: 'Identificação do credor (CDC art. 42-A), PIX, fuso, UF',
    roles: ALL,
  },
  'PUT /api/settings/organisation': {
    summary: 'Salvar identificação do credor',
    roles: OWNER,
    body: OrganisationSettingsSchema,
  },
  'GET /api/settings/cadence': { summary: 'Régua de cobrança', roles: ALL },
  'PUT /api/settings/cadence': {
    summary: 'Salvar régua de cobrança',
    roles: OWNER,
    body: CadencePolicySchema,
  },
  'GET /api/settings/contact-windows': {
    summary: 'Horários de contato e limite de contatos',
    roles: ALL,
  },
  'PUT /api/settings/contact-windows': {
    summary: 'Salvar horários de contato e limite',
    roles: OWNER,
    body: ContactWindowsSettingsSchema,
  },
  'GET /api/settings/negotiation': { summary: 'Política de negociação', roles: ALL },
  'PUT /api/settings/negotiation': {
    summary: 'Salvar política de negociação',
    roles: OWNER,
    body: NegotiationPolicySchema,
  },
  'GET /api/settings/messages': {
    summary: 'Como as mensagens são escritas (SMS com ou sem acentos)',
    roles: ALL,
  },
  'PUT /api/settings/messages': {
    summary: 'Salvar a escolha de economizar SMS (sem acentos)',
    roles: OWNER,
    body: MessageSettingsSchema,
  },
  'GET /api/settings/promise': { summary: 'Política de promessas de pagamento', roles: ALL },
  'PUT /api/settings/promise': {
    summary: 'Salvar política de promessas',
    roles: OWNER,
    body: PromisePolicySchema,
  },
  'GET /api/settings/portal': { summary: 'Validade do link da página do cliente', roles: ALL },
  'PUT /api/settings/portal': {
    summary: 'Salvar a validade do link da página do cliente',
    roles: OWNER,
    body: PortalSettingsSchema,
  },
  'POST /api/debtors/:id/portal-links': {
    summary: 'Link da página do cliente para uma mensagem ({url, expiresAt}; cria quando preciso)',
    roles: ALL,
  },
  'GET /api/debtors/:id/portal-links': {
    summary: 'Links da página do cliente (sem os tokens)',
    roles: ['owner', 'staff'],
  },
  'DELETE /api/debtors/:id/portal-links': {
    summary: 'Revogar os links da página do cliente',
    roles: ['owner', 'staff'],
  },
  'GET /api/portal/requests': {
    summary: 'Novas datas pedidas pelos clientes na página (?status=open|granted|refused)',
    roles: ['owner', 'staff'],
  },
  'POST /api/portal/requests/:id/grant': {
    summary: 'Conceder a nova data (registra a promessa para essa data)',
    roles: ['owner', 'staff'],
    body: DueDateGrantSchema,
  },
  'POST /api/portal/requests/:id/refuse': {
    summary: 'Recusar a nova data, com o motivo que o cliente lê na página',
    roles: ['owner', 'staff'],
    body: DueDateRefuseSchema,
  },
  'GET /api/settings/holidays': { summary: 'Feriados estaduais e municipais', roles: ALL },
  'PUT /api/settings/holidays': {
    summary: 'Salvar feriados',
    roles: OWNER,
    body: HolidayCalendarSchema,
  },
  'GET /api/settings/templates': {
    summary: 'Modelos de mensagem com o resultado do verificador',
    roles: ALL,
  },
  'POST /api/settings/templates/lint': {
    summary: 'Verificar um modelo sem salvar',
    roles: ['owner', 'staff'],
    body: TemplateSchema,
  },
  'PUT /api/settings/templates/:id': {
    summary: 'Salvar modelo (422 com erros do verificador)',
    roles: OWNER,
    body: TemplateSchema,
  },
  'DELETE /api/settings/templates/:id': {
    summary: 'Voltar ao modelo padrão / apagar modelo próprio',
    roles: OWNER,
  },

  'GET /api/cadence/today': {
    summary: 'Fila de trabalho do dia (mensagens, visitas, tarefas automáticas, escalonamentos)',
    roles: ALL,
    query: v.partial(TodayQuerySchema),
  },
  'GET /api/cadence/today/:debtorId': {
    summary: 'Item do dia de um devedor, com a mensagem e o PIX prontos (ao abrir o item)',
    roles: ALL,
  },

  'POST /api/sync/devices': {
    summary: 'Registrar aparelho do cobrador (idempotente; health incluso)',
    roles: ['collector'],
    body: RegisterDeviceRequestSchema,
  },
  'POST /api/sync/push': {
    summary: 'Enviar fatos do aparelho (exatamente uma vez; sequência por aparelho)',
    roles: ['collector'],
    body: PushRequestSchema,
  },
  'GET /api/sync/pull': {
    summary: 'Receber mudanças da carteira do cobrador (cursor opaco; cabeçalho X-Quita-Device)',
    roles: ['collector'],
    query: v.partial(PullQuerySchema),
  },
  'POST /api/sync/integrity': {
    summary: 'Conferir os devedores guardados no aparelho (remover / faltando)',
    roles: ['collector'],
    body: IntegrityRequestSchema,
  },
  'GET /api/status/devices': {
    summary: 'Situação de sincronização de cada aparelho (verde/amarelo/vermelho, "em")',
    roles: OWNER,
  },
  'GET /api/status/conflicts': {
    summary: 'Correções de cadastro feitas sobre uma versão antiga (abertas, ou ?state=resolved)',
    roles: OWNER,
    query: v.partial(ConflictListQuerySchema),
  },
  'POST /api/status/conflicts/:id/resolve': {
    summary:
      'Resolver um conflito: manter o valor do celular ou restaurar o anterior (409 se o devedor mudou depois)',
    roles: OWNER,
    body: ResolveConflictRequestSchema,
  },
  'GET /api/status/rejections': {
    summary: 'Registros recusados ou adiados pelo servidor (com o conteúdo enviado)',
    roles: OWNER,
  },
  'PATCH /api/status/devices/:id': {
    summary: 'Dar nome a um aparelho ("Moto G de Carlos")',
    roles: OWNER,
    body: RenameDeviceRequestSchema,
  },
};
