/**
 * The operator commands of the sync protocol, run in-process on a real database of each kind:
 * `quita sync bump-epoch` (after a restore: every device resets, keeping its outbox) and
 * `quita sync reprocess` (after an upgrade: deferred mutations are applied).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { main } from '../server/cli/main';
import { databaseEnvFor, forEachDb } from './helpers/test-db';

function io(env: Record<string, string>) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: (text: string) => void (out.stdout += text),
      stderr: (text: string) => void (out.stderr += text),
      env,
      cwd: process.cwd(),
    },
  };
}

forEachDb((kind) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ env, cleanup } = await databaseEnvFor(kind));
  }, 60_000);
  afterAll(async () => {
    await cleanup();
  });

  test('bump-epoch prints the new epoch; reprocess reports an empty queue', async () => {
    const first = io(env);
    expect(await main(['sync', 'bump-epoch'], first.io)).toBe(0);
    expect(JSON.parse(first.out.stdout)).toEqual({ epoch: 2 });
    const second = io(env);
    expect(await main(['sync', 'reprocess'], second.io)).toBe(0);
    expect(JSON.parse(second.out.stdout)).toEqual({
      applied: 0,
      conflict: 0,
      rejected: 0,
      stillDeferred: 0,
    });
    const help = io(env);
    expect(await main(['sync', 'bump-epoch', '--help'], help.io)).toBe(0);
    expect(help.out.stdout).toMatch(/KEEPS its unsent/);
  }, 60_000);
});
