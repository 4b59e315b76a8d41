import { describe, it } from 'vitest';
import { e9 } from '../../src/execution/experiments/index.js';
import { expectCriteria } from './experiment-support.js';

// Spec §5 E9 at full size (20 seeds, T ∈ {500, 2000, 8000}).
describe('E9 — persistent excitation (full size: 20 seeds, T ∈ {500, 2000, 8000})', () => {
  it('without dither the estimate stays wrong and the information matrix singular; dither identifies', async () => {
    expectCriteria(await e9(), [
      'δ = 0: median ‖θ̂ − θ‖ > 1 at every T',
      'δ = 0: λ_min(Σφφᵀ)/T < 1e-5 (every seed, every T)',
      'δ = 0.1: median error < 0.05 at T = 2000',
      'δ = 0.1: median error < 0.02 at T = 8000',
      'δ = 0.1: λ_min/T > 1e-3 (every seed, every T)',
      'mean x² with dither ≥ 2× without',
    ]);
  }, 60_000);
});
