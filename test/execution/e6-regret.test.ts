import { describe, it } from 'vitest';
import { e6 } from '../../src/execution/experiments.js';
import { expectPasses } from './experiment-support.js';

describe('E6 — regret vs P&L reward (reduced: 10 seeds, E = 3·10⁵; 16/20 → 8/10)', () => {
  it('same policy without impact; with impact the regret learner front-loads and gives up P&L', async () => {
    const r = await e6({ seeds: 10, evalEpisodes: 2000 });
    expectPasses(r, [
      /κ = 0: A\*_regret = A\*_is/,
      /V\*_regret\(s0\) = V\*_is/,
      /κ = 0: mean P&L gap/,
      /∩/,
      /ℓ = /,
      /P&L gap of π̂_regret/,
      /mean regret gap/,
    ]);
  }, 300_000);
});
