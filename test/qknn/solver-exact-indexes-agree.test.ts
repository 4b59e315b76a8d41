/**
 * The exact nearest-neighbour indexes are interchangeable inside the solver: a small training run
 * (T = 0.3, N = 10, plain estimator) gives bit-identical values Û_n and policy tables Â_n with brute
 * force, the k-d tree and the time/state split index (k = 1), and with the tree and the split index
 * for k = 3. With the successor cache on, every run also reads fewer rows than it has successor reads.
 */
import { describe, expect, it } from 'vitest';
import { type QknnConfigInput, resolveQknnConfig } from '../../src/qknn/config.js';
import { type TrainResult, train } from '../../src/qknn/solver.js';

function run(extra: Partial<QknnConfigInput>): TrainResult {
  const c = resolveQknnConfig({ D: 150, T: 0.3, N: 10, estimator: 'plain', bruteMax: 100_000, ...extra });
  return train(c, { engine: 'js', skipCheck: true });
}

function expectSame(a: TrainResult, b: TrainResult): void {
  expect(a.V0).toEqual(b.V0);
  for (let n = 0; n < a.steps.length; n++) {
    expect(a.steps[n]?.U).toEqual(b.steps[n]?.U);
    expect(a.steps[n]?.actions).toEqual(b.steps[n]?.actions);
  }
}

describe('exact indexes give the same training run', () => {
  it('k = 1: brute force = k-d tree = split index', { timeout: 120_000 }, () => {
    const brute = run({ index: 'brute' });
    expectSame(run({ index: 'tree' }), brute);
    expectSame(run({ index: 'split' }), brute);
    expect(brute.timings.queries).toBeGreaterThan(1000);
    expect(brute.timings.queries).toBeLessThan(brute.timings.lookups);
  });
  it('k = 3: k-d tree = split index', { timeout: 120_000 }, () => {
    expectSame(run({ index: 'split', k: 3 }), run({ index: 'tree', k: 3 }));
  });
});
