/**
 * A field visit by a collector. It counts against the debtor's contact budget like any message,
 * and its outcome drives the route (wrong_address and moved take the debtor off it).
 */
import * as v from 'valibot';
import { entity, InstantSchema, note } from './common.schema';
import { IdSchema } from './id';

export const VisitOutcomes = [
  'not_home',
  'promise',
  'paid',
  'partial',
  'refused',
  'wrong_address',
  'moved',
] as const;
export const VisitOutcomeSchema = v.picklist(
  VisitOutcomes,
  'o resultado deve ser not_home, promise, paid, partial, refused, wrong_address ou moved',
);
export type VisitOutcome = v.InferOutput<typeof VisitOutcomeSchema>;

/** Where the device was when the outcome was recorded (optional: the collector may refuse it). */
export const GeolocationSchema = entity({
  lat: v.pipe(
    v.number('a latitude deve ser um número'),
    v.minValue(-90, 'a latitude deve estar entre -90 e 90'),
    v.maxValue(90, 'a latitude deve estar entre -90 e 90'),
  ),
  lng: v.pipe(
    v.number('a longitude deve ser um número'),
    v.minValue(-180, 'a longitude deve estar entre -180 e 180'),
    v.maxValue(180, 'a longitude deve estar entre -180 e 180'),
  ),
  accuracyM: v.pipe(
    v.number('a precisão deve ser um número de metros'),
    v.minValue(0, 'a precisão não pode ser menor que zero'),
  ),
});
export type Geolocation = v.InferOutput<typeof GeolocationSchema>;

const visitFields = {
  debtorId: IdSchema,
  collectorId: IdSchema,
  /** Device time of the visit. */
  visitedAt: InstantSchema,
  outcome: VisitOutcomeSchema,
  geolocation: v.optional(GeolocationSchema),
  notes: v.optional(note('a observação', 2000)),
  /** The promise or field payment recorded during this visit. */
  promiseId: v.optional(IdSchema),
  reportedPaymentId: v.optional(IdSchema),
};

/** A visit as stored: the device's report plus the server's receive time. */
export const VisitSchema = entity({ id: IdSchema, ...visitFields, receivedAt: InstantSchema });
export type Visit = v.InferOutput<typeof VisitSchema>;

/** A visit as the collector's device sends it. */
export const NewVisitSchema = entity({ id: v.optional(IdSchema), ...visitFields });
export type NewVisit = v.InferOutput<typeof NewVisitSchema>;
