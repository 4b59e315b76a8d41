import { describe, expect, it } from 'vitest';
import { e7 } from '../../src/execution/experiments.js';
import { expectPasses } from './experiment-support.js';

describe('E7 — convergence to the DP optimum', () => {
  it('(a) deterministic and (b) noisy/minimal at full size: gap 0, shrinking with the budget', async () => {
    const r = await e7({ parts: ['a', 'b'] });
    expectPasses(r, [
      /\(a\).*10⁴/,
      /\(a\).*3·10⁴/,
      /\(b\).*non-increasing/,
      /\(b\).*strictly lower/,
      /\(b\).*gap 0 at E = 10⁵/,
    ]);
  }, 300_000);

  it('(c) impact, α = n^−0.55 (reduced: 4 seeds, full budgets): gap decreasing, TWAP recovered at 10⁶', async () => {
    const r = await e7({ parts: ['c'], cSeeds: 4, evalEpisodes: 2000 });
    expectPasses(r, [/strictly decreasing/, /0\.5% of \|V\*\|/, /TWAP/, /agreement/, /max Q̂_0/]);
    expect(r.headline.c_twap_max_deviation as number).toBeLessThanOrEqual(0.25);
  }, 300_000);
});
