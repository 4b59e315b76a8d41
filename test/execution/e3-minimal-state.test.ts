import { describe, it } from 'vitest';
import { e3 } from '../../src/execution/experiments.js';
import { expectPasses } from './experiment-support.js';

describe('E3 — minimal vs enlarged state (reduced: 10 seeds, all four budgets; E3b with 5 seeds)', () => {
  it('features multiply cells without information: the full learner is worse at equal budget, both converge', async () => {
    const r = await e3({ seeds: 10 });
    expectPasses(r, [
      /DP: V\*_full = V\*_minimal/,
      /π\*_full/,
      /E = 3000\): full gap > minimal/,
      /E = 30000\): mean full gap ≥ 5/,
      /E = 300000\): both mean gaps/,
      /E3b DP: V\*_full > V\*_min/,
      /E3b QL \(E = 10⁴\)/,
      /E3b QL \(E = 3·10⁵\)/,
    ]);
  }, 300_000);
});
