/**
 * A device's name, so an owner tells two phones of one collector apart ("Moto G de Carlos",
 * "Galaxy A14 de Carlos"). Proposed by the phone at registration from what the browser says of
 * its model, made unique among the collector's devices by the server, editable by the owner. The
 * schema and the database CHECK (migration 0190) say the same: 1 to 60 characters once trimmed.
 */
import * as v from 'valibot';
import { safeText, visibleText } from '../text/safe-text';

export const DEVICE_NAME_MAX = 60;

export const DeviceNameSchema = v.pipe(
  v.string('o nome do aparelho deve ser um texto'),
  safeText('o nome do aparelho'),
  v.trim(),
  v.nonEmpty('o nome do aparelho não pode ficar vazio'),
  visibleText('o nome do aparelho'),
  v.maxLength(
    DEVICE_NAME_MAX,
    `o nome do aparelho deve ter no máximo ${DEVICE_NAME_MAX} caracteres`,
  ),
);

/** `PATCH /api/status/devices/:id`: the owner renames a device. */
export const RenameDeviceRequestSchema = v.strictObject(
  { name: DeviceNameSchema },
  'envie só o nome do aparelho',
);
export type RenameDeviceRequest = v.InferOutput<typeof RenameDeviceRequestSchema>;

/** Model names that say nothing (Chrome's reduced user agent sends "K"). */
const NO_MODEL = /^(k|wv|mobile|linux|android|unknown)$/i;

/**
 * The phone's model from what the browser tells: the high-entropy `model` hint when the page may
 * read it (secure contexts), else the user agent ("Android 13; moto g(60) Build/…"); null when
 * neither says ("K" of Chrome's reduced user agent).
 */
export function deviceModel(userAgent: string, hintModel: string | null = null): string | null {
  const hint = hintModel?.trim() ?? '';
  if (hint && !NO_MODEL.test(hint)) return tidyModel(hint);
  // "Android 11; moto g(60) Build/…", else "Android 13; SM-A145M)" or "…; SM-A145M; wv)".
  const android =
    /Android [\d.]+; ([^;]+?) Build\//.exec(userAgent) ??
    /Android [\d.]+; ([^;)]+)[;)]/.exec(userAgent);
  const model = android?.[1]?.trim() ?? '';
  if (model && !NO_MODEL.test(model)) return tidyModel(model);
  if (/iPhone/.test(userAgent)) return 'iPhone';
  if (/iPad/.test(userAgent)) return 'iPad';
  return null;
}

/** "moto g(60)" → "Moto g(60)"; "SM-A145M" stays. */
function tidyModel(model: string): string {
  const m = model.replace(/\s+/g, ' ').slice(0, 40);
  return m.charAt(0).toUpperCase() + m.slice(1);
}

/** What kind of device it is, in words, when the model is unknown. */
function kindOf(userAgent: string): string {
  if (/Android|iPhone|Mobile/i.test(userAgent)) return 'Celular';
  if (/iPad|Tablet/i.test(userAgent)) return 'Tablet';
  return 'Computador';
}

/** "Moto g(60) de Carlos", "Celular de Carlos": the model (or the kind) and the first name. */
export function defaultDeviceName(input: {
  userAgent: string;
  model?: string | null;
  collectorName: string;
}): string {
  const model = deviceModel(input.userAgent, input.model ?? null) ?? kindOf(input.userAgent);
  const first = input.collectorName.trim().split(/\s+/)[0] ?? '';
  return (first ? `${model} de ${first}` : model).slice(0, DEVICE_NAME_MAX);
}

/** `name`, or "name (2)", "name (3)"… the first not in `taken` (compared without case). */
export function uniqueDeviceName(name: string, taken: readonly string[]): string {
  const used = new Set(taken.map((t) => t.trim().toLowerCase()));
  if (!used.has(name.toLowerCase())) return name;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = name.slice(0, DEVICE_NAME_MAX - suffix.length) + suffix;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}
