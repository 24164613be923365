/**
 * Retry delays for transient sync failures (503, network down): exponential with FULL jitter, so
 * a fleet of phones coming back online together does not hammer the server in lockstep.
 */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

/** Delay before retry number `failures` (1 = first retry); `random` returns [0, 1). */
export function backoffDelay(
  failures: number,
  random: () => number,
  base = BACKOFF_BASE_MS,
  max = BACKOFF_MAX_MS,
): number {
  if (failures <= 0) return 0;
  const ceiling = Math.min(max, base * 2 ** Math.min(failures - 1, 30));
  // Never 0: a zero delay on a failing server is a busy loop.
  return Math.max(base / 4, Math.floor(random() * ceiling));
}
