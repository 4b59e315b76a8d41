import { describe, it } from 'vitest';
import { e7 } from '../../src/execution/experiments/index.js';
import { expectCriteria } from './experiment-support.js';

// Spec §5 E7 at full size: (a) and (b) with 20 seeds, (c) with its 10 seeds and all four budgets
// (the out-of-sample Monte Carlo cost, reported only, uses 2000 episodes instead of 10⁴).
describe('E7 — convergence to the DP optimum (full size)', () => {
  it('(a) deterministic and (b) noisy/minimal: gap 0, shrinking with the budget', async () => {
    expectCriteria(await e7({ parts: ['a', 'b'] }), [
      '(a) deterministic: gap 0 at E = 10⁴',
      '(a) deterministic: gap 0 at E = 3·10⁴',
      '(b) noisy/minimal: mean gap non-increasing over E',
      '(b) noisy/minimal: mean gap strictly lower at the largest E than at the smallest',
      '(b) noisy/minimal: gap 0 at E = 10⁵',
    ]);
  }, 300_000);

  it('(c) impact, α = n^−0.55, 10 seeds: gap decreasing, TWAP recovered at 10⁶', async () => {
    expectCriteria(await e7({ parts: ['c'], evalEpisodes: 2000 }), [
      '(c) impact: mean gap strictly decreasing over E',
      '(c) impact at E = 10⁶: mean gap ≤ 0.5% of |V*|',
      '(c) impact at E = 10⁶: max_t |E_π̂[q_t] − (Q0 − 2t)| ≤ 0.25 lots (TWAP)',
      '(c) impact at E = 10⁶: greedy agreement ≥ 0.9',
      '(c) impact at E = 10⁶: |max Q̂_0(s0) − V*_0(s0)| ≤ 1 (seed mean)',
    ]);
  }, 300_000);
});
