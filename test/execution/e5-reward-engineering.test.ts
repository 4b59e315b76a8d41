import { describe, it } from 'vitest';
import { e5 } from '../../src/execution/experiments.js';
import { expectPasses } from './experiment-support.js';

describe('E5 — reward engineering (full size: DP sweeps, 10 seeds × E = 10⁵)', () => {
  it('a crossing penalty gives fewer MOs; an inventory penalty gives earlier execution', async () => {
    const r = await e5();
    expectPasses(r, [
      /MO count non-increasing/,
      /25% lower/,
      /LO share non-decreasing/,
      /t̄ strictly decreasing/,
      /LO share strictly decreasing/,
      /MO count at λ_cross = 4/,
      /t̄ at λ_rem = 0\.2/,
    ]);
  }, 180_000);
});
