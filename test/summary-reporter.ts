import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the one closing line CI reads, `Tests: N passed, N failed, N skipped`. A test file that
 * fails to load (syntax error, throwing import) counts as one failure, so a broken module can
 * never make the run look green.
 */
export default function summaryReporter(): Reporter {
  return {
    onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors) {
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      for (const mod of testModules) {
        let seen = 0;
        for (const test of mod.children.allTests()) {
          seen += 1;
          const state = test.result().state;
          if (state === 'passed') passed += 1;
          else if (state === 'failed') failed += 1;
          else skipped += 1;
        }
        if (mod.state() === 'failed' && seen === 0) failed += 1;
      }
      failed += unhandledErrors.length;
      process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    },
  };
}
