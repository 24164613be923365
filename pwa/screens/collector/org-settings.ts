/**
 * What every collector screen reads from the office's pulled settings: the régua, the zone and
 * so today's date. Kept free of schemas and of the balance code: the Today list (the first
 * screen) imports it, and its JavaScript budget is the floor plus a few kilobytes.
 */
import type { CadencePolicy } from '#shared/cadence/cadence.schema';
import { DEFAULT_CADENCE_POLICY } from '#shared/cadence/default-policy';
import { DEFAULT_TIME_ZONE, todayIn, type CalendarDate } from '#shared/time/calendar-date';
import type { OrgSettings } from '../../app/collector';

/**
 * The pulled cadence policy, else the shared default. The pull applier validated it when it was
 * stored (null when it did not parse); the shape check covers rows stored before that rule and the
 * legacy localStorage copy.
 */
export function cadencePolicy(settings: OrgSettings | null): CadencePolicy {
  const policy = settings?.cadence as Partial<CadencePolicy> | null | undefined;
  return policy && Array.isArray(policy.steps) && policy.steps.length > 0
    ? (policy as CadencePolicy)
    : DEFAULT_CADENCE_POLICY;
}

export function orgTimeZone(settings: OrgSettings | null): string {
  return settings?.organisation?.timeZone ?? DEFAULT_TIME_ZONE;
}

export function today(settings: OrgSettings | null): CalendarDate {
  return todayIn(Date.now(), orgTimeZone(settings));
}
