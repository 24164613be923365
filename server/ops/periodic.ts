/**
 * A background job's heartbeat: `run` now, then every `intervalMs`, never two runs at once (a
 * tick while one is running is skipped), errors given to `onError` instead of escaping. The timer
 * does not keep the process alive; `stop()` clears it, calls `onStop` (a job may end a long run
 * early) and waits for the run in flight.
 */
export function startPeriodic(
  run: () => Promise<void>,
  intervalMs: number,
  hooks: { onError: (error: unknown) => void; onStop?: () => void },
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  let stopped = false;
  const tick = () => {
    if (busy || stopped) return;
    busy = true;
    running = run()
      .catch(hooks.onError)
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      hooks.onStop?.();
      await running;
    },
  };
}
