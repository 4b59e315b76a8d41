/** Shared assertions of the experiment tests: every evaluated criterion passes; the named ones were evaluated. */
import { expect } from 'vitest';
import type { ExperimentResult } from '../../src/execution/experiments.js';

export function expectPasses(r: ExperimentResult, mustEvaluate: RegExp[] = []): void {
  const failed = r.checks.filter((c) => c.pass === false).map((c) => `${c.name}: ${c.detail}`);
  expect(failed).toEqual([]);
  expect(r.pass).toBe(true);
  for (const re of mustEvaluate) {
    const hit = r.checks.filter((c) => re.test(c.name));
    expect(hit.length, `a check matching ${re}`).toBeGreaterThan(0);
    for (const c of hit) expect(c.pass, `${c.name} evaluated`).not.toBeNull();
  }
}
