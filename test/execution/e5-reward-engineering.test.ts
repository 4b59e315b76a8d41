import { describe, it } from 'vitest';
import { e5 } from '../../src/execution/experiments/index.js';
import { expectCriteria } from './experiment-support.js';

// Spec §5 E5 at full size (DP sweeps, 10 seeds × E = 10⁵).
describe('E5 — reward engineering (full size: DP sweeps, 10 seeds × E = 10⁵)', () => {
  it('a crossing penalty gives fewer MOs; an inventory penalty gives earlier execution', async () => {
    expectCriteria(await e5(), [
      'DP: MO count non-increasing in λ_cross',
      'DP: MO count ≥ 25% lower at λ_cross = 4 than at 0',
      'DP: LO share non-decreasing in λ_cross',
      'DP: t̄ strictly decreasing in λ_rem',
      'DP: LO share strictly decreasing in λ_rem',
      'QL (E = 100000): MO count at λ_cross = 4 below that at 0',
      'QL (E = 100000): t̄ at λ_rem = 0.2 below that at 0',
    ]);
  }, 180_000);
});
