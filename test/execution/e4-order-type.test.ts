import { describe, it } from 'vitest';
import { e4 } from '../../src/execution/experiments/index.js';
import { expectCriteria } from './experiment-support.js';

// Spec §5 E4 at full size (10 seeds, E = 10⁵): four exact DP statements and four learner criteria.
describe('E4 — limit vs market orders (full size: 10 seeds, E = 10⁵)', () => {
  it('passive early, marketable late, for the optimum and the learner', async () => {
    expectCriteria(await e4(), [
      'DP: every optimal action at t = 0 is an LO',
      'DP: every optimal action at t = N−1, q ≥ 2 is an MO',
      'DP: MO threshold q*(t) non-increasing in t',
      'DP: ≥ 90% of expected MO volume in the last 3 steps',
      'QL (E = 100000): π̂(0, Q0) is an LO',
      'QL (E = 100000): LO share ≥ 0.6',
      'QL (E = 100000): ≥ 50% of MO volume in the last 3 steps',
      'QL (E = 100000): mean gap ≤ 2',
    ]);
  }, 180_000);
});
