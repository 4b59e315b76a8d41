import { describe, it } from 'vitest';
import { e6 } from '../../src/execution/experiments/index.js';
import { expectCriteria } from './experiment-support.js';

// Spec §5 E6 at full size (20 seeds, E = 3·10⁵; 16/20 as stated). Every criterion is exact (greedy
// policies scored on the chain); the Monte Carlo cost in the table uses 2000 episodes instead of 10⁴.
describe('E6 — regret vs P&L reward (full size: 20 seeds, E = 3·10⁵)', () => {
  it('same policy without impact; with impact the regret learner front-loads and gives up P&L', async () => {
    expectCriteria(await e6({ evalEpisodes: 2000 }), [
      'DP κ = 0: A*_regret = A*_is on reachable states with q ≥ 1',
      'DP κ = 0: V*_regret(s0) = V*_is(s0) − Q0·E[max_t j_t]',
      'QL κ = 0: mean P&L gap ≤ 0.1 (is learner)',
      'QL κ = 0: mean P&L gap ≤ 0.1 (regret learner)',
      'DP κ = 1: A*_regret(0, s0) ∩ A*_is(0, s0) = ∅',
      'DP κ = 1: P&L loss ℓ = V*_is − V^{π*_regret}_is > 0',
      'QL κ = 1: P&L gap of π̂_regret > ℓ/2',
      'QL κ = 1: mean regret gap ≤ 0.1',
    ]);
  }, 600_000);
});
