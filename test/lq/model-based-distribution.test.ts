import { describe, expect, it } from 'vitest';
import { compileKernels } from '../../src/kernels/wasm.js';
import { runModelBasedSeed } from '../../src/lq/engines.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_BASED } from '../../src/lq/model.js';
import { modelBasedSchedule } from '../../src/lq/schedules.js';
import { streamKey } from '../../src/rng/streams.js';
import { mean } from '../../src/stats.js';

// Spec §7 at reduced size (120 seeds, N = 2000, the paper's seeds 1…120 of our stream): the fraction of
// seeds held at the clamp −2.2 must lie in 0.24 ± 0.17 and the mean φ̂₁ of the others in −1.861 ± 0.07.
// Beyond that, φ̂₁ keeps converging towards φ₁* = −2: on the seeds off the clamp, the mean |φ̂₁ + 2|
// at n = 20,000 is below its value at n = 2000.
const SEEDS = 120;
const N = 20_000;

describe('model-based plug-in, 120 seeds', () => {
  it('matches the reference distribution at n = 2000 and converges towards −2', async () => {
    const module = await compileKernels('release');
    const schedule = modelBasedSchedule(DEFAULT_MODEL_BASED, N);
    const at2000: number[] = [];
    const atN: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = runModelBasedSeed(
        {
          model: DEFAULT_MODEL,
          settings: DEFAULT_MODEL_BASED,
          iterations: N,
          schedule,
          key: streamKey('lq-actor-critic', 0, seed),
        },
        'wasm',
        module,
      );
      expect(r.failedAt).toBe(0);
      at2000.push(r.phi1[1999] as number);
      atN.push(r.phi1[N - 1] as number);
    }
    const clamped = at2000.filter((p) => p === -2.2).length / SEEDS;
    expect(Math.abs(clamped - 0.24)).toBeLessThanOrEqual(0.17);
    const off = at2000.filter((p) => p !== -2.2);
    expect(Math.abs(mean(off) - -1.861)).toBeLessThanOrEqual(0.07);

    const offBoth = at2000.map((p, i) => [p, atN[i] as number]).filter(([a, b]) => a !== -2.2 && b !== -2.2);
    const gap2000 = mean(offBoth.map(([a]) => Math.abs((a as number) + 2)));
    const gapN = mean(offBoth.map(([, b]) => Math.abs((b as number) + 2)));
    expect(gapN).toBeLessThan(gap2000);
  });
});
