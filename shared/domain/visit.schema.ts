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
  'outcome must be one of not_home, promise, paid, partial, refused, wrong_address, moved',
);
export type VisitOutcome = v.InferOutput<typeof VisitOutcomeSchema>;

/** Where the device was when the outcome was recorded (optional: the collector may refuse it). */
export const GeolocationSchema = entity({
  lat: v.pipe(
    v.number('lat must be a number'),
    v.minValue(-90, 'lat must be between -90 and 90'),
    v.maxValue(90, 'lat must be between -90 and 90'),
  ),
  lng: v.pipe(
    v.number('lng must be a number'),
    v.minValue(-180, 'lng must be between -180 and 180'),
    v.maxValue(180, 'lng must be between -180 and 180'),
  ),
  accuracyM: v.pipe(
    v.number('accuracyM must be a number of metres'),
    v.minValue(0, 'accuracyM cannot be negative'),
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
  notes: v.optional(note('notes', 2000)),
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
