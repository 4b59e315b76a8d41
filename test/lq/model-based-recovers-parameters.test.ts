import { describe, expect, it } from 'vitest';
import { compileKernels } from '../../src/kernels/wasm.js';
import { runModelBasedSeed } from '../../src/lq/engines.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_BASED, type LqModel } from '../../src/lq/model.js';
import { modelBasedSchedule } from '../../src/lq/schedules.js';
import { streamKey } from '../../src/rng/streams.js';

// With persistent exploration (vₙ ≡ 1) the plug-in estimator must recover the true (A, B, C, D) on long
// simulated histories (20,000 episodes of 100 Euler steps). Tolerance 0.08 on each of Â, B̂, Ĉ/D̂ and D̂²:
// the per-seed sampling sd is ≈ 0.02, and the Euler quadratic variation carries an O(dt) bias
// (drift²·dt² terms) of about +2 % on D̂².
const N = 20_000;
const settings = { ...DEFAULT_MODEL_BASED, exploreScale: 1, explorePower: 0, phiLo: -3, phiHi: 1 };
const MODELS: [string, LqModel][] = [
  ['defaults', DEFAULT_MODEL],
  ['A=0.3 B=−0.7 C=0.5 D=1.3', { ...DEFAULT_MODEL, A: 0.3, B: -0.7, C: 0.5, D: 1.3 }],
];

describe('model-based estimator', () => {
  it.each(MODELS)('recovers (A, B, C, D) on long paths: %s', async (_, model) => {
    const module = await compileKernels('release');
    const schedule = modelBasedSchedule(settings, N);
    for (const seed of [1, 2, 3, 4]) {
      const r = runModelBasedSeed(
        { model, settings, iterations: N, schedule, key: streamKey('lq-recovery', 0, seed) },
        'wasm',
        module,
      );
      expect(r.failedAt).toBe(0);
      const e = r.estimates;
      expect(Math.abs(e.aHat - model.A)).toBeLessThanOrEqual(0.08);
      expect(Math.abs(e.bHat - model.B)).toBeLessThanOrEqual(0.08);
      expect(Math.abs(e.ratio - model.C / model.D)).toBeLessThanOrEqual(0.08);
      expect(Math.abs(e.d2Hat - model.D * model.D)).toBeLessThanOrEqual(0.08 * model.D * model.D);
    }
  });
});
