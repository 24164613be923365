/** The OpenAPI entries of the office workspace and of people and access (issue 13 §1–3). */
import {
  ContactPointPatchSchema,
  MergeRequestSchema,
  NewContactPointSchema,
  VerificationRequestSchema,
} from '#shared/api/workspace.schema';
import { ResetCheckRequestSchema, ResetRequestSchema } from '#shared/auth/password-reset.schema';
import { DebtorSearchQuerySchema } from '#shared/api/ledger.schema';
import type { OperationDoc } from './document';

const OFFICE = ['owner', 'staff'] as const;
const OWNER = ['owner'] as const;

export const OFFICE_OPERATIONS: Record<string, OperationDoc> = {
  'GET /api/debtors': {
    summary:
      'Buscar devedores (nome sem acento, CPF/CNPJ, telefone, e-mail, código externo; filtros de situação, cobrador, etapa, sem cobrador; páginas por cursor)',
    roles: ['owner', 'staff', 'collector'],
    query: DebtorSearchQuerySchema,
  },
  'GET /api/debtor-duplicates': {
    summary: 'Devedores com o mesmo CPF/CNPJ (cadastros a juntar)',
    roles: OFFICE,
  },
  'GET /api/debtors/:id/story': {
    summary:
      'A história inteira de um devedor: cadastro, endereço, contatos, saldo detalhado de hoje, linha do tempo, etapa da régua e cobrador',
    roles: OFFICE,
  },
  'POST /api/debtors/:id/contact-points': {
    summary: 'Adicionar telefone ou e-mail (celular presumido no WhatsApp quando não informado)',
    roles: OFFICE,
    body: NewContactPointSchema,
  },
  'PATCH /api/debtors/:id/contact-points/:pointId': {
    summary: 'Corrigir um contato (com versão); um número novo volta a não verificado',
    roles: OFFICE,
    body: ContactPointPatchSchema,
  },
  'POST /api/debtors/:id/contact-points/:pointId/verification': {
    summary: 'Marcar contato como verificado, número errado ou não verificado (auditado)',
    roles: OFFICE,
    body: VerificationRequestSchema,
  },
  'POST /api/debtors/:id/merge': {
    summary: 'Juntar um cadastro duplicado a este (todos os fatos movidos, auditado)',
    roles: OWNER,
    body: MergeRequestSchema,
  },
  'POST /api/users/:id/password-reset': {
    summary: 'Criar link único de redefinição de senha (24 h)',
    roles: OWNER,
  },
  'GET /api/users/:id/access': {
    summary: 'Sessões, tokens da extensão e aparelhos de uma pessoa',
    roles: OWNER,
  },
  'DELETE /api/users/:id/tokens/:tokenId': {
    summary: 'Revogar uma sessão ou token de uma pessoa',
    roles: OWNER,
  },
  'POST /api/users/:id/devices/:deviceId/revoke': {
    summary: 'Desconectar um aparelho (encerra a sessão dele; a sincronização passa a recusá-lo)',
    roles: OWNER,
  },
  'POST /api/password-reset/check': {
    summary: 'Conferir um link de redefinição de senha',
    roles: 'public',
    body: ResetCheckRequestSchema,
  },
  'POST /api/password-reset': {
    summary: 'Definir a nova senha pelo link (uma vez; encerra as sessões)',
    roles: 'public',
    body: ResetRequestSchema,
  },
};
