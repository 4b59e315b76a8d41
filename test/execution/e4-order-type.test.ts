import { describe, expect, it } from 'vitest';
import { e4 } from '../../src/execution/experiments.js';
import { expectPasses } from './experiment-support.js';

describe('E4 — limit vs market orders (full size: 10 seeds, E = 10⁵)', () => {
  it('passive early, marketable late, for the optimum and the learner', async () => {
    const r = await e4();
    expectPasses(r, [
      /t = 0 is an LO/,
      /t = N−1/,
      /MO threshold/,
      /90%/,
      /π̂\(0, Q0\)/,
      /LO share ≥ 0\.6/,
      /last 3 steps/,
      /mean gap ≤ 2/,
    ]);
    expect(r.headline.optimum).toBeCloseTo(-6.744, 3);
  }, 180_000);
});
