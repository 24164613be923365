/**
 * A Chromium performance trace over CDP (the DevTools Performance panel's categories) and the
 * long tasks in it: the renderer main thread's top-level tasks longer than 50 ms, the threshold
 * of the Long Tasks API and of Lighthouse.
 */
import type { Page } from 'playwright-core';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

export const LONG_TASK_MS = 50;

/** Runs `action` while tracing `page` and returns every trace event recorded. */
export async function trace(page: Page, action: () => Promise<void>): Promise<TraceEvent[]> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (data) =>
    events.push(...(data.value as unknown as TraceEvent[])),
  );
  const complete = new Promise<void>((resolve) =>
    cdp.once('Tracing.tracingComplete', () => resolve()),
  );
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'toplevel',
        '__metadata',
      ],
    },
  });
  try {
    await action();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
  }
  return events;
}

/** The longest top-level task on a renderer main thread, and how many exceed 50 ms. */
export function longTasks(events: readonly TraceEvent[]): { longest: number; count: number } {
  const main = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  let longest = 0;
  let count = 0;
  for (const e of events) {
    if (e.name !== 'RunTask' || e.ph !== 'X' || !main.has(`${e.pid}:${e.tid}`)) continue;
    const ms = (e.dur ?? 0) / 1000;
    longest = Math.max(longest, ms);
    if (ms > LONG_TASK_MS) count += 1;
  }
  return { longest, count };
}
