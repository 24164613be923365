import { describe, test, expect } from 'vitest';
import * as v from 'valibot';
import { calendarDate } from '../time/calendar-date';
import { AgreementSchema, NewAgreementSchema } from './agreement.schema';
import { AssignmentSchema, NewAssignmentSchema } from './assignment.schema';
import { AddressSchema, InstantSchema } from './common.schema';
import { ContactEventSchema, NewContactEventSchema } from './contact-event.schema';
import { DebtSchema, NewDebtSchema } from './debt.schema';
import { DebtorSchema, NewDebtorSchema } from './debtor.schema';
import { DisputeSchema, NewDisputeSchema } from './dispute.schema';
import { EscalationSchema, listingRemovalDueBy, NewEscalationSchema } from './escalation.schema';
import { IdSchema } from './id';
import { NewNoticeSchema, NoticeSchema, noticeExpiresOn, noticeWaitingDays } from './notice.schema';
import { NewOrganisationSchema, OrganisationSchema } from './organisation.schema';
import {
  NewPaymentSchema,
  NewReportedPaymentSchema,
  PaymentSchema,
  ReportedPaymentSchema,
} from './payment.schema';
import { NewPromiseSchema, PromiseSchema } from './promise.schema';
import { NewVisitSchema, VisitSchema } from './visit.schema';

const ID = (n: number) => `0192d6a0-7c3e-7b2a-9f10-${String(n).padStart(12, '0')}`;
const AT = '2025-03-10T14:05:00.000Z';

/** A copy without `keys`, as JSON would arrive (absent, not undefined). */
function without<T extends object>(obj: T, ...keys: (keyof T)[]): Partial<T> {
  const copy: Partial<T> = { ...obj };
  for (const key of keys) delete copy[key];
  return copy;
}
const address = {
  street: 'Rua das Flores',
  number: '120',
  district: 'Centro',
  city: 'Campinas',
  state: 'SP',
  postalCode: '13010-100',
};

const newOrganisation = {
  legalName: 'Mercadinho Bom Preço Ltda',
  tradeName: 'Bom Preço',
  document: '11.222.333/0001-81',
  address,
  pix: { key: '11.222.333/0001-81', keyType: 'cnpj' },
};
const organisation = { id: ID(1), ...newOrganisation, version: 1, createdAt: AT };

const newDebtor = {
  kind: 'person',
  name: 'Maria da Silva',
  document: '529.982.247-25',
  contactPoints: [
    { kind: 'phone', value: '(11) 98765-4321', isWhatsapp: true, verified: true },
    { kind: 'email', value: 'Maria@Example.com.br', label: 'pessoal' },
  ],
  address: { ...address, complement: 'apto 12' },
  preferredChannel: 'whatsapp',
  preferredHours: { from: '09:00', to: '12:00' },
  doNotContact: { channels: ['phone', 'phone'], atWork: true },
  externalId: 'CLI-0042',
  tags: ['VIP', 'vip', 'bairro-centro'],
};
const debtor = { id: ID(2), ...newDebtor, version: 3, createdAt: AT };

const newDebt = {
  debtorId: ID(2),
  externalId: 'NF-1001',
  description: 'Compra a prazo, nota 1001',
  principal: 15000,
  issueDate: '2025-01-10',
  dueDate: '2025-02-10',
  kind: 'consumer',
  fineBps: 200,
  monthlyInterestBps: 100,
};
const debt = { id: ID(3), ...newDebt, status: 'open', version: 1, createdAt: AT };

const newPayment = {
  debtId: ID(3),
  date: '2025-03-01',
  amount: 5000,
  method: 'pix',
  pixTxid: 'Q1a2B3',
};
const payment = { id: ID(4), ...newPayment, recordedBy: ID(9), recordedAt: AT };

const newReport = {
  debtId: ID(3),
  date: '2025-03-10',
  amount: 2000,
  method: 'cash',
  receiptNumber: 'C07-000123',
  reportedBy: ID(8),
  reportedAt: AT,
  visitId: ID(10),
};
const report = { id: ID(5), ...newReport, status: 'pending', receivedAt: AT };

const newPromise = {
  debtorId: ID(2),
  debtIds: [ID(3)],
  amount: 7500,
  dueDate: '2025-03-20',
  madeOn: '2025-03-10',
  channel: 'visit',
  recordedBy: ID(8),
  recordedAt: AT,
};
const promise = { id: ID(6), ...newPromise, status: 'active', receivedAt: AT };

const newAgreement = {
  debtorId: ID(2),
  debtIds: [ID(3)],
  originalTotal: 16000,
  total: 15000,
  installments: [
    { number: 1, dueDate: '2025-03-15', amount: 5000 },
    { number: 2, dueDate: '2025-04-15', amount: 5000 },
    { number: 3, dueDate: '2025-05-15', amount: 5000 },
  ],
  concessions: [{ kind: 'waive_interest', amount: 1000, reason: 'pagamento em dia das parcelas' }],
};
const agreement = {
  id: ID(7),
  ...newAgreement,
  status: 'pending_approval',
  proposedBy: ID(8),
  proposedAt: AT,
  version: 1,
};

const newVisit = {
  debtorId: ID(2),
  collectorId: ID(8),
  visitedAt: AT,
  outcome: 'promise',
  geolocation: { lat: -22.9056, lng: -47.0608, accuracyM: 12.5 },
  notes: 'Atendida pela própria devedora.',
  promiseId: ID(6),
};
const visit = { id: ID(10), ...newVisit, receivedAt: AT };

const newContact = {
  debtorId: ID(2),
  debtIds: [ID(3)],
  channel: 'whatsapp',
  direction: 'outbound',
  automated: false,
  templateId: 'd+5.whatsapp',
  at: AT,
  by: ID(9),
  override: { by: ID(1), reason: 'Devedora pediu retorno hoje' },
};
const contact = { id: ID(11), ...newContact, receivedAt: AT };

const newDispute = {
  debtId: ID(3),
  debtorId: ID(2),
  reason: 'already_paid',
  description: 'Diz que pagou em dinheiro na loja.',
  openedOn: '2025-03-05',
  openedBy: ID(9),
};
const dispute = { id: ID(12), ...newDispute, status: 'open', version: 1 };

const newNotice = {
  debtId: ID(3),
  debtorId: ID(2),
  purpose: 'negativacao',
  method: 'letter',
  sentTo: 'Rua das Flores, 120, apto 12, Centro, Campinas/SP, 13010-100',
  sentOn: '2025-03-01',
  waitingDays: 20,
  amountStated: 16000,
  sentBy: ID(1),
};
const notice = { id: ID(13), ...newNotice, createdAt: AT };

const newEscalation = {
  debtId: ID(3),
  debtorId: ID(2),
  kind: 'negativacao',
  agency: 'Serasa',
  noticeId: ID(13),
  requestedOn: '2025-03-25',
  requestedBy: ID(1),
};
const escalation = {
  id: ID(14),
  ...newEscalation,
  status: 'removal_pending',
  listedOn: '2025-03-27',
  paidOn: '2025-04-17',
  removalDueBy: '2025-04-28',
  version: 2,
};

const newAssignment = { debtorId: ID(2), collectorId: ID(8), routeOrder: 4 };
const assignment = { id: ID(15), ...newAssignment, assignedBy: ID(1), assignedAt: AT };

const schemas = {
  OrganisationSchema: [OrganisationSchema, organisation],
  NewOrganisationSchema: [NewOrganisationSchema, newOrganisation],
  DebtorSchema: [DebtorSchema, debtor],
  NewDebtorSchema: [NewDebtorSchema, newDebtor],
  DebtSchema: [DebtSchema, debt],
  NewDebtSchema: [NewDebtSchema, newDebt],
  PaymentSchema: [PaymentSchema, payment],
  NewPaymentSchema: [NewPaymentSchema, newPayment],
  ReportedPaymentSchema: [ReportedPaymentSchema, report],
  NewReportedPaymentSchema: [NewReportedPaymentSchema, newReport],
  PromiseSchema: [PromiseSchema, promise],
  NewPromiseSchema: [NewPromiseSchema, newPromise],
  AgreementSchema: [AgreementSchema, agreement],
  NewAgreementSchema: [NewAgreementSchema, newAgreement],
  VisitSchema: [VisitSchema, visit],
  NewVisitSchema: [NewVisitSchema, newVisit],
  ContactEventSchema: [ContactEventSchema, contact],
  NewContactEventSchema: [NewContactEventSchema, newContact],
  DisputeSchema: [DisputeSchema, dispute],
  NewDisputeSchema: [NewDisputeSchema, newDispute],
  NoticeSchema: [NoticeSchema, notice],
  NewNoticeSchema: [NewNoticeSchema, newNotice],
  EscalationSchema: [EscalationSchema, escalation],
  NewEscalationSchema: [NewEscalationSchema, newEscalation],
  AssignmentSchema: [AssignmentSchema, assignment],
  NewAssignmentSchema: [NewAssignmentSchema, newAssignment],
} as const satisfies Record<string, readonly [v.GenericSchema, unknown]>;
type SchemaName = keyof typeof schemas;

function parse(name: SchemaName, input: unknown) {
  return v.safeParse(schemas[name][0] as v.GenericSchema, input);
}

describe('valid samples', () => {
  test.each(Object.keys(schemas) as SchemaName[])('%s parses its sample', (name) => {
    const result = parse(name, schemas[name][1]);
    expect(
      result.issues?.map((i) => `${JSON.stringify(i.path?.map((p) => p.key))} ${i.message}`),
    ).toBeUndefined();
  });
});

describe('normalisation', () => {
  test('organisation: document and PIX key normalised, defaults filled, state from the address', () => {
    const out = v.parse(OrganisationSchema, organisation);
    expect(out).toMatchObject({
      document: '11222333000181',
      pix: { key: '11222333000181', keyType: 'cnpj' },
      address: { postalCode: '13010100' },
      timeZone: 'America/Sao_Paulo',
      state: 'SP',
      retentionDays: 1825,
    });
  });

  test('organisation: an explicit state wins over the address', () => {
    expect(v.parse(NewOrganisationSchema, { ...newOrganisation, state: 'RJ' }).state).toBe('RJ');
  });

  test('debtor: contacts normalised, duplicate channels and tags collapsed', () => {
    const out = v.parse(DebtorSchema, debtor);
    expect(out.document).toBe('52998224725');
    expect(out.contactPoints).toEqual([
      { kind: 'phone', value: '+5511987654321', isWhatsapp: true, verified: true },
      { kind: 'email', value: 'maria@example.com.br', label: 'pessoal', verified: false },
    ]);
    expect(out.doNotContact).toEqual({ all: false, channels: ['phone'], atWork: true });
    expect(out.tags).toEqual(['vip', 'bairro-centro']);
  });

  test('debtor: optional lists and flags default to empty and false', () => {
    const out = v.parse(NewDebtorSchema, { kind: 'company', name: 'Oficina X' });
    expect(out).toEqual({
      kind: 'company',
      name: 'Oficina X',
      contactPoints: [],
      doNotContact: { all: false, channels: [], atWork: false },
      tags: [],
    });
  });

  test('debt: terms defaults come from the charges schema', () => {
    const { fineBps: _f, monthlyInterestBps: _m, ...bare } = newDebt;
    expect(v.parse(NewDebtSchema, bare)).toMatchObject({
      fineBps: 200,
      monthlyInterestBps: 100,
      fees: [],
      graceDays: 0,
    });
  });

  test.each([
    { input: '2025-03-10T14:05:00Z', output: '2025-03-10T14:05:00.000Z' },
    { input: '2025-03-10T14:05:00.5Z', output: '2025-03-10T14:05:00.500Z' },
  ])('instant $input is stored as $output', ({ input, output }) => {
    expect(v.parse(InstantSchema, input)).toBe(output);
  });

  test('an agreement schedule may start with the down payment as number 0', () => {
    const installments = newAgreement.installments.map((i) => ({ ...i, number: i.number - 1 }));
    expect(
      v.parse(NewAgreementSchema, { ...newAgreement, installments }).installments[0]?.number,
    ).toBe(0);
  });

  test('ids are lower-cased', () => {
    expect(v.parse(IdSchema, ID(1).toUpperCase())).toBe(ID(1));
  });
});

type Case = {
  schema: SchemaName;
  label: string;
  input: unknown;
  path: (string | number)[];
  message: RegExp;
};
const cases: Case[] = [
  {
    schema: 'NewOrganisationSchema',
    label: 'no legal name',
    input: { ...newOrganisation, legalName: ' ' },
    path: ['legalName'],
    message: /informe a razão social/,
  },
  {
    schema: 'NewOrganisationSchema',
    label: 'a missing address',
    input: without(newOrganisation, 'address'),
    path: ['address'],
    message: /campo obrigatório/,
  },
  {
    schema: 'NewOrganisationSchema',
    label: 'a CNPJ with wrong check digits',
    input: { ...newOrganisation, document: '11.222.333/0001-82' },
    path: ['document'],
    message: /dígitos verificadores/,
  },
  {
    schema: 'NewOrganisationSchema',
    label: 'a 7-digit CEP',
    input: { ...newOrganisation, address: { ...address, postalCode: '1301010' } },
    path: ['address', 'postalCode'],
    message: /8 dígitos/,
  },
  {
    schema: 'NewOrganisationSchema',
    label: 'an unknown UF',
    input: { ...newOrganisation, address: { ...address, state: 'XX' } },
    path: ['address', 'state'],
    message: /UF/,
  },
  {
    schema: 'NewOrganisationSchema',
    label: 'a PIX key that is not the declared type',
    input: { ...newOrganisation, pix: { key: 'loja@example.com', keyType: 'cpf' } },
    path: ['pix', 'key'],
    message: /CPF/,
  },
  {
    schema: 'NewOrganisationSchema',
    label: 'an unknown time zone',
    input: { ...newOrganisation, timeZone: 'America/Brasilia' },
    path: ['timeZone'],
    message: /IANA/,
  },
  {
    schema: 'NewOrganisationSchema',
    label: 'negative retention',
    input: { ...newOrganisation, retentionDays: -1 },
    path: ['retentionDays'],
    message: /não pode ser menor que zero/,
  },
  {
    schema: 'OrganisationSchema',
    label: 'version 0',
    input: { ...organisation, version: 0 },
    path: ['version'],
    message: /começa em 1/,
  },
  {
    schema: 'OrganisationSchema',
    label: 'a local time without zone',
    input: { ...organisation, createdAt: '2025-03-10T14:05:00' },
    path: ['createdAt'],
    message: /ISO 8601 UTC/,
  },
  {
    schema: 'OrganisationSchema',
    label: 'February 30th',
    input: { ...organisation, createdAt: '2025-02-30T10:00:00Z' },
    path: ['createdAt'],
    message: /ISO 8601 UTC/,
  },
  {
    schema: 'OrganisationSchema',
    label: 'a non-UUID id',
    input: { ...organisation, id: 'org-1' },
    path: ['id'],
    message: /UUID/,
  },

  {
    schema: 'NewDebtorSchema',
    label: 'an unknown kind',
    input: { ...newDebtor, kind: 'family' },
    path: ['kind'],
    message: /person \(pessoa física\) ou company/,
  },
  {
    schema: 'NewDebtorSchema',
    label: 'a CNPJ for a person',
    input: { ...newDebtor, document: '11.222.333/0001-81' },
    path: ['document'],
    message: /CPF para pessoa física/,
  },
  {
    schema: 'NewDebtorSchema',
    label: 'a bad phone in the second contact',
    input: {
      ...newDebtor,
      contactPoints: [newDebtor.contactPoints[1], { kind: 'phone', value: '12345' }],
    },
    path: ['contactPoints', 1, 'value'],
    message: /dígitos/,
  },
  {
    schema: 'NewDebtorSchema',
    label: 'a bad e-mail',
    input: { ...newDebtor, contactPoints: [{ kind: 'email', value: 'maria@' }] },
    path: ['contactPoints', 0, 'value'],
    message: /endereço válido/,
  },
  {
    schema: 'NewDebtorSchema',
    label: 'a fax contact',
    input: { ...newDebtor, contactPoints: [{ kind: 'fax', value: '1' }] },
    path: ['contactPoints', 0, 'kind'],
    message: /phone ou email/,
  },
  {
    schema: 'NewDebtorSchema',
    label: 'the same phone twice in two writings',
    input: {
      ...newDebtor,
      contactPoints: [
        { kind: 'phone', value: '11987654321' },
        { kind: 'phone', value: '+55 11 98765-4321' },
      ],
    },
    path: ['contactPoints'],
    message: /aparece duas vezes/,
  },
  {
    schema: 'NewDebtorSchema',
    label: 'preferred hours ending before they start',
    input: { ...newDebtor, preferredHours: { from: '18:00', to: '09:00' } },
    path: ['preferredHours'],
    message: /início deve ser anterior ao de término/,
  },
  {
    schema: 'NewDebtorSchema',
    label: 'a 25:00 hour',
    input: { ...newDebtor, preferredHours: { from: '08:00', to: '25:00' } },
    path: ['preferredHours', 'to'],
    message: /HH:MM/,
  },
  {
    schema: 'NewDebtorSchema',
    label: 'visits as preferred channel',
    input: { ...newDebtor, preferredChannel: 'visit' },
    path: ['preferredChannel'],
    message: /sms, whatsapp ou email/,
  },
  {
    schema: 'NewDebtorSchema',
    label: 'a do-not-contact channel that does not exist',
    input: { ...newDebtor, doNotContact: { channels: ['telegram'] } },
    path: ['doNotContact', 'channels', 0],
    message: /o canal deve ser/,
  },
  {
    schema: 'NewDebtorSchema',
    label: 'a 33-character tag',
    input: { ...newDebtor, tags: ['x'.repeat(33)] },
    path: ['tags', 0],
    message: /32 caracteres/,
  },
  {
    schema: 'NewDebtorSchema',
    label: 'a 161-character name',
    input: { ...newDebtor, name: 'N'.repeat(161) },
    path: ['name'],
    message: /no máximo 160/,
  },

  {
    schema: 'NewDebtSchema',
    label: 'a zero principal',
    input: { ...newDebt, principal: 0 },
    path: ['principal'],
    message: /o valor original deve ser maior que zero/,
  },
  {
    schema: 'NewDebtSchema',
    label: 'a principal in reais',
    input: { ...newDebt, principal: 150.5 },
    path: ['principal'],
    message: /inteiro de centavos/,
  },
  {
    schema: 'NewDebtSchema',
    label: 'a due date before the issue date',
    input: { ...newDebt, dueDate: '2025-01-09' },
    path: ['dueDate'],
    message: /anterior à emissão \(issueDate\)/,
  },
  {
    schema: 'NewDebtSchema',
    label: 'an impossible date',
    input: { ...newDebt, dueDate: '2025-02-30' },
    path: ['dueDate'],
    message: /AAAA-MM-DD/,
  },
  {
    schema: 'NewDebtSchema',
    label: 'a negative fine',
    input: { ...newDebt, fineBps: -1 },
    path: ['fineBps'],
    message: /menor que zero/,
  },
  {
    schema: 'NewDebtSchema',
    label: 'no debtor',
    input: without(newDebt, 'debtorId'),
    path: ['debtorId'],
    message: /campo obrigatório/,
  },
  {
    schema: 'DebtSchema',
    label: 'status paid',
    input: { ...debt, status: 'paid' },
    path: ['status'],
    message: /open, settled ou cancelled/,
  },
  {
    schema: 'DebtSchema',
    label: 'settled without settledOn',
    input: { ...debt, status: 'settled' },
    path: ['settledOn'],
    message: /data de quitação deve ser informada/,
  },

  {
    schema: 'NewPaymentSchema',
    label: 'a negative amount',
    input: { ...newPayment, amount: -100 },
    path: ['amount'],
    message: /o valor deve ser maior que zero/,
  },
  {
    schema: 'NewPaymentSchema',
    label: 'a cheque',
    input: { ...newPayment, method: 'cheque' },
    path: ['method'],
    message: /cash, pix/,
  },
  {
    schema: 'NewPaymentSchema',
    label: 'a txid with a hyphen',
    input: { ...newPayment, pixTxid: 'Q1-2' },
    path: ['pixTxid'],
    message: /letras ou dígitos/,
  },
  {
    schema: 'NewReportedPaymentSchema',
    label: 'a boleto reported in the field',
    input: { ...newReport, method: 'boleto' },
    path: ['method'],
    message: /cash, pix ou transfer/,
  },
  {
    schema: 'NewReportedPaymentSchema',
    label: 'a receipt number with spaces',
    input: { ...newReport, receiptNumber: 'C07 123' },
    path: ['receiptNumber'],
    message: /número do recibo/,
  },
  {
    schema: 'ReportedPaymentSchema',
    label: 'a rejection without a reason',
    input: { ...report, status: 'rejected', reviewedBy: ID(1), reviewedAt: AT },
    path: ['rejectionReason'],
    message: /motivo da recusa deve ser informado/,
  },
  {
    schema: 'ReportedPaymentSchema',
    label: 'a confirmation without the payment',
    input: { ...report, status: 'confirmed', reviewedBy: ID(1), reviewedAt: AT },
    path: ['paymentId'],
    message: /o pagamento deve ser informado/,
  },
  {
    schema: 'ReportedPaymentSchema',
    label: 'a pending report with a reviewer',
    input: { ...report, reviewedBy: ID(1) },
    path: ['reviewedBy'],
    message: /quem revisou/,
  },

  {
    schema: 'NewPromiseSchema',
    label: 'a promise dated before it was made',
    input: { ...newPromise, dueDate: '2025-03-09' },
    path: ['dueDate'],
    message: /anterior à data da promessa \(madeOn\)/,
  },
  {
    schema: 'NewPromiseSchema',
    label: 'no debts',
    input: { ...newPromise, debtIds: [] },
    path: ['debtIds'],
    message: /pelo menos uma/,
  },
  {
    schema: 'NewPromiseSchema',
    label: 'the same debt twice',
    input: { ...newPromise, debtIds: [ID(3), ID(3).toUpperCase()] },
    path: ['debtIds'],
    message: /duas vezes/,
  },
  {
    schema: 'PromiseSchema',
    label: 'a kept promise without resolvedOn',
    input: { ...promise, status: 'kept' },
    path: ['resolvedOn'],
    message: /data de encerramento deve ser informada/,
  },

  {
    schema: 'NewAgreementSchema',
    label: 'a schedule one centavo short',
    input: { ...newAgreement, total: 15001 },
    path: ['installments'],
    message: /exatamente o total/,
  },
  {
    schema: 'NewAgreementSchema',
    label: 'installments out of order',
    input: {
      ...newAgreement,
      installments: [
        newAgreement.installments[1],
        newAgreement.installments[0],
        newAgreement.installments[2],
      ],
    },
    path: ['installments'],
    message: /numeradas em ordem: 0/,
  },
  {
    schema: 'NewAgreementSchema',
    label: 'a schedule starting at 2',
    input: {
      ...newAgreement,
      installments: newAgreement.installments.map((i) => ({ ...i, number: i.number + 1 })),
    },
    path: ['installments'],
    message: /numeradas em ordem: 0/,
  },
  {
    schema: 'NewAgreementSchema',
    label: 'two installments on the same day',
    input: {
      ...newAgreement,
      installments: newAgreement.installments.map((i) => ({ ...i, dueDate: '2025-03-15' })),
    },
    path: ['installments'],
    message: /vencimentos das parcelas devem ser crescentes/,
  },
  {
    schema: 'NewAgreementSchema',
    label: 'an empty schedule',
    input: { ...newAgreement, installments: [] },
    path: ['installments'],
    message: /pelo menos uma parcela/,
  },
  {
    schema: 'NewAgreementSchema',
    label: 'a zero installment',
    input: {
      ...newAgreement,
      installments: [{ number: 1, dueDate: '2025-03-15', amount: 0 }],
      total: 0,
    },
    path: ['total'],
    message: /o total do acordo deve ser maior que zero/,
  },
  {
    schema: 'NewAgreementSchema',
    label: 'a concession without a reason',
    input: { ...newAgreement, concessions: [{ kind: 'discount', amount: 100, reason: '' }] },
    path: ['concessions', 0, 'reason'],
    message: /informe o motivo/,
  },
  {
    schema: 'NewAgreementSchema',
    label: 'an unknown concession',
    input: { ...newAgreement, concessions: [{ kind: 'gift', amount: 100, reason: 'x' }] },
    path: ['concessions', 0, 'kind'],
    message: /waive_fine/,
  },
  {
    schema: 'AgreementSchema',
    label: 'status approved',
    input: { ...agreement, status: 'approved' },
    path: ['status'],
    message: /pending_approval/,
  },
  {
    schema: 'AgreementSchema',
    label: 'approvedBy without approvedAt',
    input: { ...agreement, status: 'active', approvedBy: ID(1) },
    path: ['approvedAt'],
    message: /devem vir juntos/,
  },
  {
    schema: 'AgreementSchema',
    label: 'a rejection without a reason',
    input: { ...agreement, status: 'rejected' },
    path: ['rejectionReason'],
    message: /motivo da recusa deve ser informado/,
  },

  {
    schema: 'NewVisitSchema',
    label: 'an outcome outside the picklist',
    input: { ...newVisit, outcome: 'absent' },
    path: ['outcome'],
    message: /not_home/,
  },
  {
    schema: 'NewVisitSchema',
    label: 'latitude 91',
    input: { ...newVisit, geolocation: { lat: 91, lng: 0, accuracyM: 5 } },
    path: ['geolocation', 'lat'],
    message: /-90 e 90/,
  },
  {
    schema: 'NewVisitSchema',
    label: 'negative accuracy',
    input: { ...newVisit, geolocation: { lat: 0, lng: 0, accuracyM: -1 } },
    path: ['geolocation', 'accuracyM'],
    message: /menor que zero/,
  },
  {
    schema: 'NewVisitSchema',
    label: '2001-character notes',
    input: { ...newVisit, notes: 'n'.repeat(2001) },
    path: ['notes'],
    message: /no máximo 2000/,
  },
  {
    schema: 'VisitSchema',
    label: 'no receive time',
    input: without(visit, 'receivedAt'),
    path: ['receivedAt'],
    message: /campo obrigatório/,
  },

  {
    schema: 'NewContactEventSchema',
    label: 'a fax',
    input: { ...newContact, channel: 'fax' },
    path: ['channel'],
    message: /sms, whatsapp/,
  },
  {
    schema: 'NewContactEventSchema',
    label: 'a manual contact without author',
    input: without(newContact, 'by'),
    path: ['by'],
    message: /informe quem fez o contato/,
  },
  {
    schema: 'NewContactEventSchema',
    label: 'an override without reason',
    input: { ...newContact, override: { by: ID(1), reason: '' } },
    path: ['override', 'reason'],
    message: /informe o motivo/,
  },
  {
    schema: 'NewContactEventSchema',
    label: 'a template id with spaces',
    input: { ...newContact, templateId: 'D 5' },
    path: ['templateId'],
    message: /identificador do modelo/,
  },
  {
    schema: 'NewContactEventSchema',
    label: 'direction sideways',
    input: { ...newContact, direction: 'sideways' },
    path: ['direction'],
    message: /outbound \(enviado\) ou inbound/,
  },

  {
    schema: 'NewDisputeSchema',
    label: 'an unknown reason',
    input: { ...newDispute, reason: 'angry' },
    path: ['reason'],
    message: /not_recognised/,
  },
  {
    schema: 'DisputeSchema',
    label: 'resolved without resolution',
    input: { ...dispute, status: 'resolved' },
    path: ['resolution'],
    message: /resolução deve ser informada/,
  },
  {
    schema: 'DisputeSchema',
    label: 'resolved before it was opened',
    input: {
      ...dispute,
      status: 'resolved',
      resolution: { outcome: 'upheld', note: 'ok', resolvedOn: '2025-03-01', resolvedBy: ID(1) },
    },
    path: ['resolution', 'resolvedOn'],
    message: /anterior à abertura \(openedOn\)/,
  },

  {
    schema: 'NewNoticeSchema',
    label: 'a zero waiting period',
    input: { ...newNotice, waitingDays: 0 },
    path: ['waitingDays'],
    message: /pelo menos 1 dia/,
  },
  {
    schema: 'NewNoticeSchema',
    label: 'a judicial notice',
    input: { ...newNotice, purpose: 'judicial' },
    path: ['purpose'],
    message: /negativacao ou protesto/,
  },
  {
    schema: 'NewNoticeSchema',
    label: 'a phone call as notice',
    input: { ...newNotice, method: 'phone' },
    path: ['method'],
    message: /letter/,
  },

  {
    schema: 'NewEscalationSchema',
    label: 'a negativação without notice',
    input: without(newEscalation, 'noticeId'),
    path: ['noticeId'],
    message: /comunicado prévio por escrito/,
  },
  {
    schema: 'NewEscalationSchema',
    label: 'a protesto without notice',
    input: { ...without(newEscalation, 'noticeId'), kind: 'protesto' },
    path: ['noticeId'],
    message: /comunicado prévio por escrito/,
  },
  {
    schema: 'EscalationSchema',
    label: 'paid with no removal deadline',
    input: without(escalation, 'removalDueBy'),
    path: ['removalDueBy'],
    message: /prazo de baixa deve ser informado/,
  },
  {
    schema: 'EscalationSchema',
    label: 'a removal deadline on the payment day',
    input: { ...escalation, removalDueBy: escalation.paidOn },
    path: ['removalDueBy'],
    message: /posterior ao pagamento \(paidOn\)/,
  },
  {
    schema: 'EscalationSchema',
    label: 'listed without listedOn',
    input: { ...without(escalation, 'listedOn', 'paidOn', 'removalDueBy'), status: 'listed' },
    path: ['listedOn'],
    message: /informe a data do registro/,
  },
  {
    schema: 'EscalationSchema',
    label: 'removed without removedOn',
    input: { ...escalation, status: 'removed' },
    path: ['removedOn'],
    message: /data da baixa deve ser informada/,
  },

  {
    schema: 'NewAssignmentSchema',
    label: 'no collector',
    input: { debtorId: ID(2) },
    path: ['collectorId'],
    message: /campo obrigatório/,
  },
  {
    schema: 'AssignmentSchema',
    label: 'revokedBy without revokedAt',
    input: { ...assignment, revokedBy: ID(1) },
    path: ['revokedAt'],
    message: /devem vir juntos/,
  },
  {
    schema: 'AssignmentSchema',
    label: 'revoked before it was assigned',
    input: { ...assignment, revokedBy: ID(1), revokedAt: '2025-03-10T14:04:59.999Z' },
    path: ['revokedAt'],
    message: /anterior à atribuição \(assignedAt\)/,
  },
];

describe('invalid samples', () => {
  test.each(cases)('$schema rejects $label at $path', ({ schema, input, path, message }) => {
    const result = parse(schema, input);
    expect(result.success).toBe(false);
    const issue = result.issues?.[0];
    expect(issue?.path?.map((p) => p.key)).toEqual(path);
    expect(issue?.message).toMatch(message);
  });
});

describe('domain helpers', () => {
  test.each([
    { uf: 'MT', days: 45 },
    { uf: 'SP', days: 20 },
    { uf: 'PE', days: 20 },
    { uf: 'PI', days: 15 },
    { uf: 'BA', days: 10 },
    { uf: undefined, days: 10 },
  ] as const)('notice waiting period in $uf is $days days', ({ uf, days }) => {
    expect(noticeWaitingDays(uf)).toBe(days);
  });

  test('a notice sent on 2025-03-01 with 20 days allows escalation from 2025-03-21', () => {
    expect(noticeExpiresOn({ sentOn: calendarDate('2025-03-01'), waitingDays: 20 })).toBe(
      '2025-03-21',
    );
  });

  test.each([
    // Thursday before Good Friday (2025-04-18) and Tiradentes (Monday 2025-04-21).
    { paidOn: '2025-04-17', dueBy: '2025-04-28' },
    // A Monday with no holiday in the week.
    { paidOn: '2025-03-10', dueBy: '2025-03-17' },
  ])('a listing paid on $paidOn must be removed by $dueBy (Súmula 548)', ({ paidOn, dueBy }) => {
    expect(listingRemovalDueBy(calendarDate(paidOn))).toBe(dueBy);
  });

  test('address keeps the complement optional', () => {
    expect(v.parse(AddressSchema, address)).not.toHaveProperty('complement');
  });
});
