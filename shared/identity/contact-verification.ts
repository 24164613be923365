/**
 * Whether a contact point is known to reach the debtor. Three states:
 * - `unverified`: imported or typed in, never confirmed (the default);
 * - `verified`: confirmed by the debtor in person, by a reply from it, or on the debtor's own
 *   page (the `source` says which), or confirmed by staff on the debtor's page;
 * - `wrong`: someone else answers, or the number does not exist.
 *
 * The privacy rule (CDC art. 42, DESIGN "privacy-safe"): an amount or the word "dívida" goes only
 * to a VERIFIED point; an unverified one gets the privacy-safe message; a wrong one gets nothing
 * and is not sent to collectors' phones. `verified` (boolean) stays in the API and the sync feed
 * for the readers that predate the states: it is true exactly when the state is `verified`.
 */
import * as v from 'valibot';

export const VerificationStates = ['unverified', 'verified', 'wrong'] as const;
export type VerificationState = (typeof VerificationStates)[number];
export const VerificationStateSchema = v.picklist(
  VerificationStates,
  'a verificação deve ser unverified, verified ou wrong',
);

/** How a point came to be verified (or found wrong). */
export const VerificationSources = ['in_person', 'replied', 'debtor_page', 'office'] as const;
export type VerificationSource = (typeof VerificationSources)[number];
export const VerificationSourceSchema = v.picklist(
  VerificationSources,
  'a origem deve ser in_person, replied, debtor_page ou office',
);

/** The boolean older readers see. */
export function isVerified(state: VerificationState): boolean {
  return state === 'verified';
}

/** May a message with the amount go to this point? Only to a verified one. */
export function mayCarryAmount(state: VerificationState): boolean {
  return state === 'verified';
}

/** May anything be sent to this point? Not to a wrong number. */
export function mayContact(state: VerificationState): boolean {
  return state !== 'wrong';
}
