import { describe, expect, it } from 'vitest';
import { e2 } from '../../src/execution/experiments.js';
import { expectPasses } from './experiment-support.js';

describe('E2 — action granularity (full size: 20 seeds, 9 budgets)', () => {
  it('the coarse grid is biased but learns first; the fine grid reaches its optimum by 10⁴', async () => {
    const r = await e2();
    expectPasses(r, [
      /V\*_coarse < V\*_fine/,
      /E = 300\): coarse cost/,
      /E = 300\): coarse reaches/,
      /E = 10⁴\): fine reaches/,
    ]);
    expect(r.headline.optimum_coarse).toBe(-100);
    expect(r.headline.optimum_fine).toBe(-40);
  }, 120_000);
});
