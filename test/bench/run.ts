/**
 * `npm run bench`: every benchmark module, each figure printed beside its baseline measured in
 * the same run. Pass module names to run a subset: `npm run bench -- shared cadence`.
 */
import { formatResults, type BenchResult } from './harness';

const MODULES: Record<string, () => Promise<{ run: () => Promise<BenchResult[]> }>> = {
  shared: () => import('./shared.bench'),
  import: () => import('./import.bench'),
  cadence: () => import('./cadence.bench'),
  extension: () => import('./extension.bench'),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(MODULES);
const all: BenchResult[] = [];
for (const name of names) {
  const load = MODULES[name];
  if (!load) {
    console.error(`bench: unknown module '${name}' (known: ${Object.keys(MODULES).join(', ')})`);
    process.exit(2);
  }
  let mod;
  try {
    mod = await load();
  } catch (error) {
    console.error(
      `bench: ${name}: cannot load (${error instanceof Error ? error.message : String(error)})`,
    );
    process.exitCode = 1;
    continue;
  }
  console.error(`bench: running ${name}…`);
  const results = await mod.run();
  all.push(...results);
  console.log(formatResults(results));
}
console.log(`\n## All results (${new Date().toISOString()}, node ${process.version})\n`);
console.log(formatResults(all));
