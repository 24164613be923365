/**
 * The organisation's settings for the debtor's page (section `portal` of the settings API): how
 * long a link sent in a message keeps working.
 */
import * as v from 'valibot';

export const PortalSettingsSchema = v.object({
  /**
   * Days a new link works; a message always carries a link with at least a week left, so a link
   * is renewed once it has less (hence at least 14: a link is then reused for a week or more).
   */
  linkDays: v.pipe(
    v.number('a validade do link deve ser um número de dias'),
    v.safeInteger('a validade do link deve ser um número inteiro de dias'),
    v.minValue(14, 'a validade do link deve ser de pelo menos 14 dias'),
    v.maxValue(365, 'a validade do link deve ser de no máximo 365 dias'),
  ),
});
export type PortalSettings = v.InferOutput<typeof PortalSettingsSchema>;

/** Thirty days: a month of messages carry the same link. */
export const DEFAULT_PORTAL_SETTINGS: PortalSettings = { linkDays: 30 };

/** A message never carries a link with less than this left (it is renewed instead). */
export const LINK_RENEW_BEFORE_DAYS = 7;

/** `POST /api/debtors/:id/portal-links` answer. */
export const PortalLinkResponseSchema = v.object({
  url: v.string(),
  expiresAt: v.string(),
});
export type PortalLinkResponse = v.InferOutput<typeof PortalLinkResponseSchema>;
