import { describe, expect, it } from 'vitest';
import { e2 } from '../../src/execution/experiments/index.js';
import { expectCriteria } from './experiment-support.js';

// Spec §5 E2 at full size (20 seeds, 9 budgets). The optima are computed by hand from spec §1.1
// (k = 1, φ = 0, λ_T = 10, Q0 = 20, N = 10): on the fine grid the convex cost k·a² is smallest for
// equal sales, 10 × 2² = 40; on {0, 5, 10} four sales of 5 cost 4 × 25 = 100 (two of 10 cost 200, and
// any leftover L costs λ_T·L² ≥ 250).
describe('E2 — action granularity (full size: 20 seeds, 9 budgets)', () => {
  it('the coarse grid is biased but learns first; the fine grid reaches its optimum by 10⁴', async () => {
    const r = await e2();
    expectCriteria(r, [
      'DP: V*_coarse < V*_fine (coarse is biased)',
      'QL (E = 300): coarse cost < fine cost',
      'QL (E = 300): coarse reaches its own optimum',
      'QL (E = 10⁴): fine reaches its optimum',
    ]);
    expect(r.headline.optimum_coarse).toBe(-100);
    expect(r.headline.optimum_fine).toBe(-40);
  }, 120_000);
});
