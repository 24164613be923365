import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { startPeriodic } from './periodic';

describe('startPeriodic', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('runs at once, then every interval; a tick during a run is skipped; stop waits for the run', async () => {
    let runs = 0;
    let finish: () => void = () => {};
    const job = startPeriodic(
      () => {
        runs++;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      1_000,
      { onError: () => {} },
    );
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runs).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(2);
  });

  test('a failing run goes to onError and the next tick runs again; onStop is called once on stop', async () => {
    const errors: unknown[] = [];
    let stops = 0;
    let runs = 0;
    const job = startPeriodic(
      async () => {
        runs++;
        throw new Error(`run ${runs}`);
      },
      1_000,
      { onError: (e) => errors.push(e), onStop: () => stops++ },
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    expect(errors.map((e) => (e as Error).message)).toEqual(['run 1', 'run 2']);
    await job.stop();
    expect(stops).toBe(1);
  });
});
