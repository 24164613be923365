/**
 * Every code the collector's screens turn into words has its words, for every value the shared
 * enums define: a status, outcome, method, channel or refusal added to shared/ without its text
 * fails here (the browser test of every screen catches what is shown anyway, this one names the
 * missing key).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { DebtorStatuses } from '#shared/api/ledger.schema';
import { Channels } from '#shared/templates/template.schema';
import { AgreementStatuses } from '#shared/domain/agreement.schema';
import { DebtStatuses } from '#shared/domain/debt.schema';
import { FieldPaymentMethods, ReportedPaymentStatuses } from '#shared/domain/payment.schema';
import { VisitOutcomes } from '#shared/domain/visit.schema';
import { PromiseStatuses } from '#shared/negotiation/promise';
import { MutationReasons } from '#shared/sync/push.schema';
import { QUEUE_GROUP } from '../models/today-rows';
import { loadMessages, t, type MessageKey } from './messages';
import { reasonText, typeLabel } from './messages-sync';

beforeAll(() => loadMessages('field'));

const missing = (keys: string[]) => keys.filter((k) => t(k as MessageKey) === undefined);

describe('codes have words', () => {
  test('debtor, debt, payment, promise and agreement statuses', () => {
    expect(missing(DebtorStatuses.map((s) => `debtorStatus.${s}`))).toEqual([]);
    expect(missing(DebtStatuses.map((s) => `debtStatus.${s}`))).toEqual([]);
    expect(missing(ReportedPaymentStatuses.map((s) => `itemStatus.payment.${s}`))).toEqual([]);
    expect(missing(PromiseStatuses.map((s) => `itemStatus.promise.${s}`))).toEqual([]);
    expect(missing(AgreementStatuses.map((s) => `itemStatus.agreement.${s}`))).toEqual([]);
  });

  test('visit outcomes, payment methods, Today queue states and next actions', () => {
    expect(missing(VisitOutcomes.map((o) => `visit.${o}`))).toEqual([]);
    expect(missing(FieldPaymentMethods.map((m) => `payment.${m}`))).toEqual([]);
    expect(missing(Object.keys(QUEUE_GROUP).map((q) => `today.queue.${q}`))).toEqual([]);
    expect(missing(Channels.map((c) => `today.next.${c}`))).toEqual([]);
  });

  test("every reason the server gives reads as words, details without the field's API name", () => {
    expect(
      missing(MutationReasons.filter((r) => r !== 'policy').map((r) => `reject.${r}`)),
    ).toEqual([]);
    expect(reasonText('policy: Valor abaixo do mínimo.')).toBe('Valor abaixo do mínimo.');
    expect(reasonText('invalid_payload: amount: o valor deve ser maior que zero')).toBe(
      'o registro tem um dado inválido (o valor deve ser maior que zero)',
    );
    expect(reasonText('contact_refused: outside_window')).toBe(
      'aceito, mas fora das regras de contato',
    );
    expect(reasonText('a_reason_from_a_newer_server')).toBe('recusado pelo servidor');
    expect(typeLabel('receipt.voided.v9')).toBe('Registro');
  });
});
