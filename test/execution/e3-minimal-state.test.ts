import { describe, it } from 'vitest';
import { e3 } from '../../src/execution/experiments/index.js';
import { expectCriteria } from './experiment-support.js';

// Spec §5 E3 at full size: 20 seeds at every budget, E3b with 10 seeds. E3b's V*_min is the exact
// value of π*_deterministic on the β = 2 chain, so its −40 (the `deterministic` optimum, spec §5 E3b
// and E2's hand computation) is a real check.
const BUDGETS = [3000, 10_000, 30_000];

describe('E3 — minimal vs enlarged state (full size: 20 seeds; E3b 10 seeds)', () => {
  it('features multiply cells without information: the full learner is worse at equal budget, both converge', async () => {
    expectCriteria(await e3(), [
      'DP: V*_full = V*_minimal',
      'DP: π*_full(t, q, f1, f2) ∈ A*_min(t, q) for all features',
      ...BUDGETS.flatMap((E) => [
        `QL (E = ${E}): full gap > minimal gap`,
        `QL (E = ${E}): mean full gap ≥ 5 × mean minimal gap`,
      ]),
      'QL (E = 300000): both mean gaps ≤ 0.5',
      'E3b DP: V*_min (best (q, τ)-measurable) = −40',
      'E3b DP: V*_full > V*_min',
      'E3b QL (E = 10⁴): minimal learner better',
      'E3b QL (E = 3·10⁵): full learner better on the mean',
    ]);
  }, 600_000);
});
