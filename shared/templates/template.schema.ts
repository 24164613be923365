/**
 * A message template: one channel, its text with `{{placeholders}}` (see `placeholders.ts`), a tone
 * and whether it is privacy-safe. E-mail carries a subject; SMS, WhatsApp and the collector's visit
 * script carry only a body. Templates are parsed through `TemplateSchema` wherever they are saved,
 * and `lintTemplate` must report no error before a template is accepted.
 */
import * as v from 'valibot';

/** Channels a template can be written for; 'visit' is the script a field collector reads or follows. */
export const Channels = ['sms', 'whatsapp', 'email', 'visit'] as const;
export const ChannelSchema = v.picklist(Channels, 'o canal deve ser sms, whatsapp, email ou visit');
export type Channel = v.InferOutput<typeof ChannelSchema>;

/** Register of the text: friendly early reminders, neutral follow-ups, formal written notices. */
export const Tones = ['friendly', 'neutral', 'formal'] as const;
export const ToneSchema = v.picklist(Tones, 'o tom deve ser friendly, neutral ou formal');
export type Tone = v.InferOutput<typeof ToneSchema>;

/** Lower-case slug such as 'd+5.whatsapp': letters, digits and . _ + - only. */
export const TemplateIdSchema = v.pipe(
  v.string('o identificador do modelo deve ser um texto'),
  v.regex(
    /^[a-z0-9][a-z0-9._+-]{0,63}$/,
    'o identificador do modelo deve ter letras minúsculas, dígitos e . _ + -',
  ),
);

const TextSchema = v.pipe(
  v.string('deve ser um texto'),
  v.trim(),
  v.minLength(1, 'o texto não pode ficar vazio'),
);

const common = {
  id: TemplateIdSchema,
  /** The cadence step this template was written for; absent for ad-hoc templates. */
  stepId: v.optional(
    v.pipe(
      v.string('a etapa da régua deve ser um texto'),
      v.minLength(1, 'a etapa da régua não pode ficar vazia'),
    ),
  ),
  tone: ToneSchema,
  /**
   * For recipients not verified as the debtor (unknown number, WhatsApp group, CC to third
   * parties): no amount, no debt word, only the creditor's name (CDC arts. 42 and 71, LGPD).
   */
  privacySafe: v.boolean('a marcação de mensagem sem exposição deve ser true ou false'),
};

/** A message template; the variant on `channel` decides whether a subject is required. */
export const TemplateSchema = v.variant(
  'channel',
  [
    v.object({ ...common, channel: v.literal('email'), subject: TextSchema, body: TextSchema }),
    v.object({ ...common, channel: v.picklist(['sms', 'whatsapp', 'visit']), body: TextSchema }),
  ],
  'o canal deve ser sms, whatsapp, email ou visit',
);
export type Template = v.InferOutput<typeof TemplateSchema>;
