import { describe, expect, it } from 'vitest';
import { e1 } from '../../src/execution/experiments.js';
import { expectPasses } from './experiment-support.js';

describe('E1 — discount factor (full size: 20 seeds, E = 10⁴)', () => {
  it('higher γ liquidates faster, γ = 0 keeps inventory; the learner reproduces t̄ within 0.05', async () => {
    const r = await e1();
    expectPasses(r, [
      /DP: t̄ strictly/,
      /DP: T_liq/,
      /DP: E\[q_N\]/,
      /\|t̄\(π̂\) − t̄\(π\*\)\| ≤ 0\.05 at γ = 0$/,
      /seed-mean t̄/,
    ]);
    expect(r.table.map((row) => row.tbar_opt)).toEqual([5.95, 4.1, 3.15, 2.75, 2.5]);
  }, 120_000);
});
