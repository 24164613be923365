/**
 * `npm run bench`: every benchmark module, each figure printed beside its baseline measured in
 * the same run. Pass module names to run a subset: `npm run bench -- shared cadence`.
 */
import { existsSync } from 'node:fs';
import { PG_BIN, startCluster } from '../helpers/postgres-cluster';
import { formatResults, type BenchResult } from './harness';

const MODULES: Record<string, () => Promise<{ run: () => Promise<BenchResult[]> }>> = {
  shared: () => import('./shared.bench'),
  import: () => import('./import.bench'),
  export: () => import('./export.bench'),
  cadence: () => import('./cadence.bench'),
  planner: () => import('./planner.bench'),
  extension: () => import('./extension.bench'),
  sync: () => import('./sync.bench'),
  pwa: () => import('./pwa.bench'),
  reconcile: () => import('./reconcile.bench'),
  ops: () => import('./ops.bench'),
  reads: () => import('./reads.bench'),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(MODULES);
const unknown = names.filter((n) => !(n in MODULES));
if (unknown.length > 0) {
  console.error(
    `bench: unknown module '${unknown[0]}' (known: ${Object.keys(MODULES).join(', ')})`,
  );
  process.exit(2);
}
const all: BenchResult[] = [];
// PostgreSQL figures need a server: use the one named in the environment, else a throwaway
// cluster for this run (stopped at the end), so `npm run bench` measures both databases. The
// throwaway cluster keeps PostgreSQL's durability defaults (fsync on: every commit pays for its
// WAL flush, as on a real server) and preloads pg_stat_statements so the sync bench can count
// the statements a request issues.
let cluster: { url: string; stop: () => void } | undefined;
/** Modules with PostgreSQL rows; the others (pure code, browser) never start a cluster. */
const WITH_POSTGRES = new Set(['import', 'cadence', 'sync', 'export', 'reads', 'ops']);
if (
  names.some((n) => WITH_POSTGRES.has(n)) &&
  !process.env['QUITA_BENCH_DATABASE_URL'] &&
  !process.env['QUITA_TEST_DATABASE_URL']
) {
  if (existsSync(`${PG_BIN}/initdb`)) {
    cluster = await startCluster({ durable: true, preload: ['pg_stat_statements'] });
    process.env['QUITA_BENCH_DATABASE_URL'] = cluster.url;
    console.error(`bench: throwaway PostgreSQL at ${cluster.url} (fsync on)`);
  } else console.error('bench: PostgreSQL 15 not installed; PostgreSQL rows are skipped');
}
try {
  for (const name of names) {
    const load = MODULES[name] as (typeof MODULES)[string];
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
    for (const line of results.flatMap((r) => r.verdicts ?? [])) console.log(`target: ${line}`);
  }
} finally {
  cluster?.stop();
}
console.log(`\n## All results (${new Date().toISOString()}, node ${process.version})\n`);
console.log(formatResults(all));
const verdicts = all.flatMap((r) => r.verdicts ?? []);
if (verdicts.length > 0) console.log(`\n## Targets\n\n${verdicts.map((v) => `- ${v}`).join('\n')}`);
