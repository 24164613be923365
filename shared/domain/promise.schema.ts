/**
 * A promise to pay (promessa de pagamento), made in a visit, a call or a chat. An active promise
 * pauses the cadence; a broken one resumes it; a kept one is a good-payer signal.
 */
import * as v from 'valibot';
import { CalendarDateSchema } from '../time/calendar-date.schema';
import { ContactChannelSchema, entity, InstantSchema, note, positiveCents } from './common.schema';
import { IdSchema } from './id';

export const PromiseStatuses = ['active', 'kept', 'broken', 'cancelled'] as const;
export const PromiseStatusSchema = v.picklist(
  PromiseStatuses,
  'a situação deve ser active, kept, broken ou cancelled',
);
export type PromiseStatus = v.InferOutput<typeof PromiseStatusSchema>;

/** Debt ids covered by a fact: at least one, no repeats. */
export const DebtIdsSchema = v.pipe(
  v.array(IdSchema, 'as dívidas devem ser uma lista'),
  v.nonEmpty('informe pelo menos uma dívida'),
  v.maxLength(200, 'no máximo 200 dívidas'),
  v.check((ids) => new Set(ids).size === ids.length, 'a mesma dívida aparece duas vezes'),
);

const promiseFields = {
  debtorId: IdSchema,
  debtIds: DebtIdsSchema,
  amount: positiveCents('o valor prometido'),
  /** The day the debtor said they would pay (named as in shared/negotiation and shared/cadence). */
  dueDate: CalendarDateSchema,
  /** The day the promise was made. */
  madeOn: CalendarDateSchema,
  channel: ContactChannelSchema,
  recordedBy: IdSchema,
  /** Device time of recording. */
  recordedAt: InstantSchema,
  visitId: v.optional(IdSchema),
  note: v.optional(note('a observação', 500)),
};

/** A promise as stored and returned. */
export const PromiseSchema = v.pipe(
  entity({
    id: IdSchema,
    ...promiseFields,
    status: PromiseStatusSchema,
    /** The day it was found kept or broken, or was cancelled. */
    resolvedOn: v.optional(CalendarDateSchema),
    receivedAt: InstantSchema,
  }),
  v.forward(
    v.check(
      (p) => p.madeOn <= p.dueDate,
      'a data prometida não pode ser anterior à data da promessa (madeOn)',
    ),
    ['dueDate'],
  ),
  v.forward(
    v.check(
      (p) => (p.status === 'active') === (p.resolvedOn === undefined),
      'a data de encerramento deve ser informada quando, e somente quando, a promessa foi cumprida, quebrada ou cancelada',
    ),
    ['resolvedOn'],
  ),
);
export type PaymentPromise = v.InferOutput<typeof PromiseSchema>;

/** A new promise; it starts active. */
export const NewPromiseSchema = v.pipe(
  entity({ id: v.optional(IdSchema), ...promiseFields }),
  v.forward(
    v.check(
      (p) => p.madeOn <= p.dueDate,
      'a data prometida não pode ser anterior à data da promessa (madeOn)',
    ),
    ['dueDate'],
  ),
);
export type NewPaymentPromise = v.InferOutput<typeof NewPromiseSchema>;
