/**
 * Entity ids are UUID strings. Facts recorded offline get UUIDv7 ids on the device that created
 * them (generated outside shared/, which has no randomness or clock); ids are lower-cased here so
 * equality never depends on how a client printed them.
 */
import * as v from 'valibot';

/** A UUID of any version, output lower-cased. */
export const IdSchema = v.pipe(
  v.string('o identificador deve ser um texto'),
  v.trim(),
  v.uuid('o identificador deve ser um UUID'),
  v.toLowerCase(),
);
export type Id = v.InferOutput<typeof IdSchema>;
