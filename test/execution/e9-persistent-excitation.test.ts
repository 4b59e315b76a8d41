import { describe, it } from 'vitest';
import { e9 } from '../../src/execution/experiments.js';
import { expectPasses } from './experiment-support.js';

describe('E9 — persistent excitation (full size: 20 seeds, T ∈ {500, 2000, 8000})', () => {
  it('without dither the estimate stays wrong and the information matrix singular; dither identifies', async () => {
    const r = await e9();
    expectPasses(r, [/δ = 0: median/, /δ = 0: λ_min/, /T = 2000/, /T = 8000/, /λ_min\/T > 1e-3/, /mean x²/]);
  }, 60_000);
});
