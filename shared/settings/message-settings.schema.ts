/**
 * How messages are written, beyond the templates. One choice for now: SMS with or without
 * accents. By default a message keeps its accents ("Olá, João… você") — it is the creditor
 * speaking, and Portuguese without accents reads careless. An owner who pays per segment may
 * choose "economizar SMS": accented letters outside the GSM 03.38 alphabet are folded (ã → a,
 * ç → c), so each part carries 153 characters instead of 67. The template editor shows the
 * segment count both ways, so the choice is made knowing what it changes.
 */
import * as v from 'valibot';

export const MessageSettingsSchema = v.object({
  /** Fold SMS into the GSM-7 alphabet (no ã, ç, õ…) to pay for fewer segments. */
  smsSaveSegments: v.boolean('a opção de economizar SMS deve ser true ou false'),
});
export type MessageSettings = v.InferOutput<typeof MessageSettingsSchema>;

export const DEFAULT_MESSAGE_SETTINGS: MessageSettings = { smsSaveSegments: false };

/** The render option for these settings (shared/templates/render-message `RenderOptions`). */
export function renderOptions(settings: MessageSettings | null | undefined): { gsm7: boolean } {
  return { gsm7: settings?.smsSaveSegments === true };
}
