import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/** Counts of one vitest project (one client library and expiration index). */
interface ProjectCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** Files that failed outside their tests (a hook, an import): each counts as one failure. */
  failedFiles: number;
}

/**
 * Writes how many tests passed, failed and were skipped in each vitest project to the file
 * named by `LAPSE_TEST_COUNTS`, for `.ci/run` to print per client and to refuse skips.
 */
export default class ProjectCountsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const file = process.env.LAPSE_TEST_COUNTS;
    if (file === undefined || file === '') return;
    const projects: Record<string, ProjectCounts> = {};
    for (const module of testModules) {
      const name = module.project.name || 'default';
      const counts = (projects[name] ??= { passed: 0, failed: 0, skipped: 0, failedFiles: 0 });
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') {
          counts.failed += 1;
          failedHere += 1;
        } else counts.skipped += 1;
      }
      if (module.state() === 'failed' && failedHere === 0) counts.failedFiles += 1;
    }
    writeFileSync(file, JSON.stringify(projects, null, 2));
  }
}
