import { describe, expect, it } from 'vitest';
import { initialEstimator, lqModelBased as twin } from '../../src/baseline/lq-model-based.js';
import { streamFromKey } from '../../src/baseline/rng.js';
import { LqModelBasedKernel } from '../../src/kernels/lq.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_BASED, eulerSteps } from '../../src/lq/model.js';
import { modelBasedSchedule } from '../../src/lq/schedules.js';
import { streamKey } from '../../src/rng/streams.js';
import { zigguratTables } from '../../src/rng/ziggurat.js';
import { BUILDS, instance } from '../support/builds.js';

// The plug-in kernel and its TS twin share stream, tables, schedule and operation order, and the
// (C, D) root finder uses arithmetic only: φ̂₁ paths and final estimates agree bit for bit.
const N = 1500;
const sched = modelBasedSchedule(DEFAULT_MODEL_BASED, N);

describe.each(BUILDS)('model-based kernel vs TS twin (%s build)', (build) => {
  it.each([1, 3, 10])('seed %d: identical φ̂₁ paths and estimates', async (seed) => {
    const key = streamKey('lq-actor-critic', 0, seed);
    const kernel = new LqModelBasedKernel(
      await instance(build),
      DEFAULT_MODEL,
      DEFAULT_MODEL_BASED,
      sched,
      N,
    );
    kernel.seed(key);
    expect(kernel.run(0, 700)).toBe(0);
    expect(kernel.run(700, N)).toBe(0);

    const est = initialEstimator(DEFAULT_MODEL_BASED);
    const js = new Float64Array(N);
    const steps = eulerSteps(DEFAULT_MODEL);
    expect(
      twin(
        DEFAULT_MODEL,
        DEFAULT_MODEL_BASED,
        sched,
        zigguratTables(),
        streamFromKey(key),
        est,
        js,
        steps,
        0,
        N,
      ),
    ).toBe(0);
    expect(Array.from(kernel.path())).toEqual(Array.from(js));
    const { aHat, bHat, ratio, d2Hat, episodes } = est;
    expect(kernel.estimates()).toEqual({ aHat, bHat, ratio, d2Hat, episodes });
    expect(js[0]).toBe(-0.5); // φ̂₁,₁ from the warm start (−2, −2, −2, −2)
  });
});
