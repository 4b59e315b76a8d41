import { describe, expect, it } from 'vitest';
import { compileKernels } from '../../src/kernels/wasm.js';
import { runModelFreeSeed } from '../../src/lq/engines.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_FREE } from '../../src/lq/model.js';
import { cumulativeRegret } from '../../src/lq/oracle.js';
import { explorationPath, modelFreeSchedule } from '../../src/lq/schedules.js';
import { streamKey } from '../../src/rng/streams.js';
import { mean, sampleSd } from '../../src/stats.js';

// Reduced statistical check against spec §7 (reference algorithm, 120 seeds, N = 2000):
// mean φ₁ −1.7509 (sd 0.151), ln MSE −2.47 (bootstrap SE 0.09), mean R(2000) 1212 (sd 179).
// 400 seeds of ours; tolerance 3·√(SE_ref² + SE_ours²) as the spec prescribes; sd ratio in [0.75, 1.33].
const SEEDS = 400;
const N = 2000;

describe('model-free actor–critic at N = 2000', () => {
  it('matches the reference distribution of φ₁, ln MSE and regret', async () => {
    const module = await compileKernels('release');
    const schedule = modelFreeSchedule(DEFAULT_MODEL, DEFAULT_MODEL_FREE, N);
    const phi2 = explorationPath(DEFAULT_MODEL_FREE, N);
    const finals = new Float64Array(SEEDS);
    const regrets = new Float64Array(SEEDS);
    for (let s = 0; s < SEEDS; s++) {
      const key = streamKey('lq-actor-critic', 0, s + 1);
      const r = runModelFreeSeed(
        { model: DEFAULT_MODEL, settings: DEFAULT_MODEL_FREE, iterations: N, schedule, key },
        'wasm',
        module,
      );
      expect(r.failedAt).toBe(0);
      finals[s] = r.phi1[N] as number;
      regrets[s] = cumulativeRegret(DEFAULT_MODEL, r.phi1, phi2)[N] as number;
    }
    const m = mean(finals),
      sd = sampleSd(finals);
    const tol = (seRef: number, sdOurs: number) => 3 * Math.hypot(seRef, sdOurs / Math.sqrt(SEEDS));
    expect(Math.abs(m - -1.7509)).toBeLessThanOrEqual(tol(0.151 / Math.sqrt(120), sd));
    expect(sd / 0.151).toBeGreaterThanOrEqual(0.75);
    expect(sd / 0.151).toBeLessThanOrEqual(1.33);

    const mse = mean(finals.map((p) => (p + 2) ** 2));
    // SE of ln MSE ≈ SE(MSE)/MSE (delta method)
    const seLnMse = sampleSd(finals.map((p) => (p + 2) ** 2)) / Math.sqrt(SEEDS) / mse;
    expect(Math.abs(Math.log(mse) - -2.47)).toBeLessThanOrEqual(3 * Math.hypot(0.09, seLnMse));

    const rMean = mean(regrets),
      rSd = sampleSd(regrets);
    expect(Math.abs(rMean - 1212)).toBeLessThanOrEqual(tol(179 / Math.sqrt(120), rSd));
  });
});
