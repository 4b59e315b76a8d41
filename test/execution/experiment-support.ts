/**
 * Shared assertion of the experiment tests: the experiment states exactly the criteria named (so a
 * criterion deleted or renamed is noticed), every one was evaluated, and every one passed.
 */
import { expect } from 'vitest';
import type { ExperimentResult } from '../../src/execution/experiments/index.js';

export function expectCriteria(r: ExperimentResult, names: readonly string[]): void {
  expect(r.checks.map((c) => c.name)).toEqual(names);
  const notPassed = r.checks.filter((c) => c.pass !== true).map((c) => `${c.name}: ${c.detail}`);
  expect(notPassed).toEqual([]);
  expect(r.verdict.text).toBe(`PASS (${names.length} checked, 0 skipped)`);
  expect(r.pass).toBe(true);
}
