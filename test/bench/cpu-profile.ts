/**
 * Summarises V8 `.cpuprofile` files (written by `node --cpu-prof`): self time per function and per
 * owner (an npm package, a file of ours, Node internals, GC, idle), the two views that say where a
 * server process spends its CPU. Used by the benchmarks under QUITA_BENCH_PROFILE=1.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

const ROOT = join(import.meta.dirname, '../..');

function ownerOf(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.startsWith('node:')) return 'node internals';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  return relative(ROOT, path);
}

/** Top `limit` entries of self time (ms) by function and by owner, over every profile in `dir`. */
export function summariseProfiles(dir: string, limit = 15): string {
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let totalMs = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
    const samples = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
    if (samples === 0) continue;
    const msPerSample = (profile.endTime - profile.startTime) / 1000 / samples;
    for (const node of profile.nodes) {
      const ms = (node.hitCount ?? 0) * msPerSample;
      if (ms === 0) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const owner = ownerOf(url, functionName || '(anonymous)');
      const fn = `${functionName || '(anonymous)'} ${url ? `${owner}:${lineNumber + 1}` : ''}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms);
      totalMs += ms;
    }
  }
  const top = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([k, ms]) => `  ${((100 * ms) / totalMs).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return `self time by owner (${Math.round(totalMs)} ms sampled):\n${top(byOwner)}\nself time by function:\n${top(byFunction)}`;
}
