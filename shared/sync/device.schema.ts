/**
 * The device side of the sync protocol: the health block every request carries (§5.9), device
 * registration, and the integrity check (§5.5 backstop). Messages are pt-BR and never repeat the
 * field's API name: the issue path carries it.
 */
import * as v from 'valibot';
import { count, entity } from '../domain/common.schema';
import { IdSchema } from '../domain/id';
import { DeviceNameSchema } from './device-name';
import { DeviceIdSchema, OffsetInstantSchema, ProtocolSchema } from './envelope.schema';

export const DisplayModes = ['standalone', 'fullscreen', 'minimal-ui', 'browser'] as const;

/** The app version a device reports (its build's package version). */
export const AppVersionSchema = v.pipe(
  v.string('a versão do app deve ser um texto'),
  v.maxLength(40, 'a versão do app deve ter no máximo 40 caracteres'),
);

export const DeviceHealthSchema = entity({
  app_version: AppVersionSchema,
  schema_version: count('a versão do esquema de dados', 1_000_000),
  outbox_pending: count('o número de fatos pendentes', 10_000_000),
  /** Device time of the oldest unacked outbox row; null when the outbox is empty. */
  outbox_oldest_pending_at: v.nullable(OffsetInstantSchema),
  outbox_rejected: count('o número de fatos recusados', 10_000_000),
  /** `navigator.storage.persisted()`; null when the browser cannot tell. */
  persisted: v.nullable(
    v.boolean('a marcação de armazenamento persistente deve ser true, false ou null'),
  ),
  storage_usage: v.nullable(count('o uso do armazenamento', Number.MAX_SAFE_INTEGER)),
  storage_quota: v.nullable(count('a cota do armazenamento', Number.MAX_SAFE_INTEGER)),
  /** Installed to the home screen (display-mode standalone/fullscreen). */
  installed: v.boolean('a marcação de instalado deve ser true ou false'),
  display_mode: v.optional(
    v.picklist(
      DisplayModes,
      'o modo de exibição deve ser standalone, fullscreen, minimal-ui ou browser',
    ),
  ),
  /**
   * The device ran out of space writing data (a pull page, a save) since its last complete sync.
   * Optional: older apps do not send it.
   */
  storage_full: v.optional(v.boolean('a marcação de armazenamento cheio deve ser true ou false')),
  last_error: v.nullable(
    v.pipe(
      v.string('o último erro deve ser um texto'),
      v.maxLength(1000, 'o último erro deve ter no máximo 1000 caracteres'),
    ),
  ),
  user_agent: v.pipe(
    v.string('o navegador deve ser um texto'),
    v.maxLength(500, 'o navegador deve ter no máximo 500 caracteres'),
  ),
});
export type DeviceHealth = v.InferOutput<typeof DeviceHealthSchema>;

/** `POST /api/sync/devices`: idempotent; the same device id for the same user returns its state. */
export const RegisterDeviceRequestSchema = entity({
  protocol: ProtocolSchema,
  device_id: DeviceIdSchema,
  device_now: OffsetInstantSchema,
  health: DeviceHealthSchema,
  /**
   * The name the phone proposes ("Moto g(60) de Carlos"); the server keeps a device's first name
   * and makes it unique among the collector's devices. Optional: older apps send none.
   */
  device_name: v.optional(DeviceNameSchema),
});
export type RegisterDeviceRequest = v.InferOutput<typeof RegisterDeviceRequestSchema>;

export const RegisterDeviceResponseSchema = v.object({
  device_id: v.string(),
  collector_id: v.string(),
  /** The last device_seq the server holds for this device (0 for a new one). */
  acked_through_seq: v.number(),
  epoch: v.number(),
  server_now: v.string(),
  /** True when this call created the device. */
  created: v.boolean(),
});
export type RegisterDeviceResponse = v.InferOutput<typeof RegisterDeviceResponseSchema>;

/** `POST /api/sync/integrity`: the debtors a device holds, checked against its scope. */
export const IntegrityRequestSchema = entity({
  protocol: ProtocolSchema,
  device_id: DeviceIdSchema,
  device_now: OffsetInstantSchema,
  health: DeviceHealthSchema,
  /** Every debtor id the device holds in its server tables. */
  debtor_ids: v.pipe(
    v.array(IdSchema, 'os devedores devem ser uma lista'),
    v.maxLength(50_000, 'no máximo 50000 devedores'),
  ),
});
export type IntegrityRequest = v.InferOutput<typeof IntegrityRequestSchema>;

export const IntegrityResponseSchema = v.object({
  /** Held by the device but not in the collector's scope: delete locally (never the outbox). */
  remove: v.array(v.string()),
  /** In scope but not on the device: pull again without a cursor (reset) to fetch them. */
  missing: v.array(v.string()),
  server_now: v.string(),
});
export type IntegrityResponse = v.InferOutput<typeof IntegrityResponseSchema>;
