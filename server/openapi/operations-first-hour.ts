/** The first hour's operations: the guide's state, the demo loader, sign-in by QR code. */
import { SignInCodeRequestSchema } from '#shared/auth/sign-in-code.schema';
import {
  DemoRequestSchema,
  OwnerNameRequestSchema,
  StepStateRequestSchema,
} from '#shared/onboarding/onboarding.schema';
import type { OperationDoc } from './document';

const OWNER = ['owner'] as const;

export const FIRST_HOUR_OPERATIONS: Record<string, OperationDoc> = {
  'GET /api/onboarding': {
    summary:
      'Primeiros passos: cada passo (nome, credor, PIX, cobrador, importação) feito, pulado ou a fazer, e o que falta',
    roles: OWNER,
  },
  'PUT /api/onboarding/steps/:step': {
    summary: 'Pular um passo dos primeiros passos por agora, ou trazê-lo de volta',
    roles: OWNER,
    body: StepStateRequestSchema,
  },
  'POST /api/onboarding/name': {
    summary: 'Confirmar o próprio nome (proprietário)',
    roles: OWNER,
    body: OwnerNameRequestSchema,
  },
  'POST /api/demo': {
    summary:
      'Carregar os dados de exemplo (credor e chave PIX de teste se faltarem, cobradores, devedores); idempotente',
    roles: OWNER,
    body: DemoRequestSchema,
  },
  'POST /api/users/:id/sign-in-code': {
    summary:
      'Criar código de acesso único (QR, 15 min) para o celular de um cobrador ou do escritório',
    roles: OWNER,
  },
  'POST /api/auth/code/check': {
    summary: 'Conferir de quem é um código de acesso (sem usá-lo)',
    roles: 'public',
    body: SignInCodeRequestSchema,
  },
  'POST /api/auth/code': {
    summary: 'Entrar com um código de acesso (uma vez; limite de tentativas)',
    roles: 'public',
    body: SignInCodeRequestSchema,
  },
};
