import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initialEstimator, lqModelBased as twin } from '../../src/baseline/lq-model-based.js';
import { streamFromKey } from '../../src/baseline/rng.js';
import { LqModelBasedKernel, LqModelBasedKernelX2 } from '../../src/kernels/lq.js';
import { compileKernels } from '../../src/kernels/wasm.js';
import { parseLqConfig } from '../../src/lq/config.js';
import { runModelBasedPair } from '../../src/lq/engines.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_BASED, eulerSteps } from '../../src/lq/model.js';
import { modelBasedSchedule } from '../../src/lq/schedules.js';
import { runAlgorithm } from '../../src/lq/study.js';
import { streamKey } from '../../src/rng/streams.js';
import { zigguratTables } from '../../src/rng/ziggurat.js';
import { Runner } from '../../src/runner/pool.js';
import { BUILDS, instance } from '../support/builds.js';

// Each SIMD lane consumes its own scalar stream (slow-path draws included), repeats the scalar Euler
// and statistics operations in order and closes its episodes with the scalar estimator code: per-seed
// φ̂₁ paths and final estimates are bit-identical to the scalar kernel and to the TS twin, and a study
// run with --engine wasm-simd (pairs, plus a lone last seed) writes the same bytes as --engine wasm.
const N = 2500;
const sched = modelBasedSchedule(DEFAULT_MODEL_BASED, N);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each(BUILDS)('two-lane SIMD model-based kernel (%s build)', (build) => {
  it.each([
    [1, 2],
    [9, 4],
  ])('seeds %d and %d: identical to the scalar kernel and the twin', async (a, b) => {
    const keys = [streamKey('lq-actor-critic', 1, a), streamKey('lq-actor-critic', 1, b)] as const;
    const x2 = new LqModelBasedKernelX2(await instance(build), DEFAULT_MODEL, DEFAULT_MODEL_BASED, sched, N);
    x2.seed(...keys);
    expect(x2.run(0, 777)).toBe(0);
    expect(x2.run(777, N)).toBe(0);
    for (const lane of [0, 1] as const) {
      const scalar = new LqModelBasedKernel(
        await instance(build),
        DEFAULT_MODEL,
        DEFAULT_MODEL_BASED,
        sched,
        N,
      );
      scalar.seed(keys[lane]);
      expect(scalar.run(0, N)).toBe(0);
      expect(Array.from(x2.path(lane))).toEqual(Array.from(scalar.path()));
      expect(x2.estimates(lane)).toEqual(scalar.estimates());

      const est = initialEstimator(DEFAULT_MODEL_BASED);
      const js = new Float64Array(N);
      const z = zigguratTables();
      const st = streamFromKey(keys[lane]);
      const steps = eulerSteps(DEFAULT_MODEL);
      expect(twin(DEFAULT_MODEL, DEFAULT_MODEL_BASED, sched, z, st, est, js, steps, 0, N)).toBe(0);
      expect(Array.from(x2.path(lane))).toEqual(Array.from(js));
      const { aHat, bHat, ratio, d2Hat, episodes } = est;
      expect(x2.estimates(lane)).toEqual({ aHat, bHat, ratio, d2Hat, episodes });
    }
  });

  it('reports a non-finite episode with its lane', async () => {
    // x₀ = 1e200 makes x² overflow in the first episode of both lanes: lane A is reported first.
    const model = { ...DEFAULT_MODEL, x0: 1e200 };
    const run = (seed: number) => ({
      model,
      settings: DEFAULT_MODEL_BASED,
      iterations: 20,
      schedule: modelBasedSchedule(DEFAULT_MODEL_BASED, 20),
      key: streamKey('lq-actor-critic', 1, seed),
    });
    const [ra] = runModelBasedPair([run(1), run(2)], await compileKernels(build));
    expect(ra.failedAt).toBe(1);
  });
});

describe('model-based study with --engine wasm-simd', () => {
  it('writes the same files as --engine wasm', async () => {
    const runner = await Runner.open({ workers: 2 });
    const outs: string[] = [];
    try {
      for (const engine of ['wasm', 'wasm-simd']) {
        const out = mkdtempSync(join(tmpdir(), `quantrl-mb-${engine}-`));
        dirs.push(out);
        outs.push(out);
        const cfg = parseLqConfig({ seeds: 5, iterations: 1200, engine, out, fitWindow: '100:1200' });
        await runAlgorithm({ ...cfg, algo: 'model-based', prefix: '' }, runner);
      }
    } finally {
      await runner.close();
    }
    for (const f of ['phi1.npy', 'regret.npy', 'curves.npy']) {
      expect(
        readFileSync(join(outs[1] as string, f)).equals(readFileSync(join(outs[0] as string, f))),
        f,
      ).toBe(true);
    }
  });
});
