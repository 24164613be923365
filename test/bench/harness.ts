/**
 * A tiny benchmark harness. Machines here are shared and noisy, so a figure means nothing alone:
 * every benchmark measures its baseline in the same run, interleaved round by round, and reports
 * medians of both plus the ratio.
 */
import { performance } from 'node:perf_hooks';

export interface Measured {
  name: string;
  /** median milliseconds per run */
  medianMs: number;
  runs: number;
}

export interface BenchResult {
  group: string;
  subject: Measured;
  baseline: Measured;
  /** what one run does, e.g. "5,000 debtors" */
  unit: string;
  extra?: Record<string, string | number>;
  /** One line per target this figure is judged against (see `verdict`). */
  verdicts?: string[];
}

/**
 * A target judged on a same-run figure: "met" or "missed by N%", with the figure and, when
 * missed, `why` (what the run measured about the cause).
 */
export function verdict(t: {
  target: string;
  value: number;
  limit: number;
  better: 'higher' | 'lower';
  unit: string;
  why?: string;
}): string {
  const met = t.better === 'higher' ? t.value >= t.limit : t.value <= t.limit;
  const shown = `${t.value.toLocaleString('en', { maximumFractionDigits: 1 })}${t.unit}`;
  if (met) return `${t.target}: met (${shown})`;
  const by = t.better === 'higher' ? (t.limit - t.value) / t.limit : (t.value - t.limit) / t.limit;
  return `${t.target}: MISSED by ${(100 * by).toFixed(0)}% (${shown})${t.why ? `: ${t.why}` : ''}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs subject and baseline alternately `rounds` times (after one warm-up each) and compares medians. */
export async function compare(
  group: string,
  unit: string,
  subject: { name: string; run: () => unknown },
  baseline: { name: string; run: () => unknown },
  rounds = 7,
): Promise<BenchResult> {
  await subject.run();
  await baseline.run();
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    let t = performance.now();
    await subject.run();
    s.push(performance.now() - t);
    t = performance.now();
    await baseline.run();
    b.push(performance.now() - t);
  }
  return {
    group,
    unit,
    subject: { name: subject.name, medianMs: median(s), runs: rounds },
    baseline: { name: baseline.name, medianMs: median(b), runs: rounds },
  };
}

export function formatResults(results: readonly BenchResult[]): string {
  const lines = [
    '| group | per run | subject | median | baseline | median | ratio |',
    '|---|---|---|---:|---|---:|---:|',
  ];
  for (const r of results) {
    const ratio = r.baseline.medianMs > 0 ? r.subject.medianMs / r.baseline.medianMs : Number.NaN;
    lines.push(
      `| ${r.group} | ${r.unit} | ${r.subject.name} | ${r.subject.medianMs.toFixed(2)} ms | ${r.baseline.name} | ${r.baseline.medianMs.toFixed(2)} ms | ${ratio.toFixed(1)}× |`,
    );
  }
  return lines.join('\n');
}
