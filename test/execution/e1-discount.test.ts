import { describe, it } from 'vitest';
import { e1 } from '../../src/execution/experiments/index.js';
import { expectCriteria } from './experiment-support.js';

// Spec §5 E1 at full size (20 seeds, E = 10⁴): the three DP statements, the 18/20 t̄ criterion at
// every γ and the seed-mean ordering.
const GAMMAS = [0, 0.5, 0.8, 0.9, 1];

describe('E1 — discount factor (full size: 20 seeds, E = 10⁴)', () => {
  it('higher γ liquidates faster, γ = 0 keeps inventory; the learner reproduces t̄ within 0.05', async () => {
    expectCriteria(await e1(), [
      'DP: t̄ strictly decreasing in γ',
      'DP: T_liq non-increasing, T_liq(1) < T_liq(0)',
      'DP: E[q_N] > 0 at γ = 0 and = 0 for γ ≥ 0.5',
      ...GAMMAS.map((g) => `QL (E = 10000): |t̄(π̂) − t̄(π*)| ≤ 0.05 at γ = ${g}`),
      'QL: seed-mean t̄ strictly decreasing in γ',
    ]);
  }, 120_000);
});
