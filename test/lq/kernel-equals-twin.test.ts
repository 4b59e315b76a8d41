import { describe, expect, it } from 'vitest';
import { lqModelFree as twin } from '../../src/baseline/lq.js';
import { streamFromKey } from '../../src/baseline/rng.js';
import { LqModelFreeKernel } from '../../src/kernels/lq.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_FREE, eulerSteps } from '../../src/lq/model.js';
import { modelFreeSchedule } from '../../src/lq/schedules.js';
import { streamKey } from '../../src/rng/streams.js';
import { zigguratTables } from '../../src/rng/ziggurat.js';
import { BUILDS, instance } from '../support/builds.js';

// WASM kernel and TS twin share the stream, the ziggurat tables and the schedules and use the same
// operation order, so φ₁ paths must agree bit for bit (both builds; chunked calls must not matter).
const N = 3000;
const sched = modelFreeSchedule(DEFAULT_MODEL, DEFAULT_MODEL_FREE, N);

describe.each(BUILDS)('model-free kernel vs TS twin (%s build)', (build) => {
  it.each([1, 2, 3, 7])('seed %d: identical φ₁ paths over 3000 iterations', async (seed) => {
    const key = streamKey('lq-actor-critic', 0, seed);
    const kernel = new LqModelFreeKernel(await instance(build), DEFAULT_MODEL, DEFAULT_MODEL_FREE, sched, N);
    kernel.seed(key);
    expect(kernel.run(0, 1000)).toBe(0);
    expect(kernel.run(1000, N)).toBe(0);
    const wasm = kernel.path().slice();

    const js = new Float64Array(N + 1);
    js[0] = DEFAULT_MODEL_FREE.phi1Init;
    const st = streamFromKey(key);
    expect(
      twin(
        DEFAULT_MODEL,
        DEFAULT_MODEL_FREE,
        sched,
        zigguratTables(),
        st,
        js,
        eulerSteps(DEFAULT_MODEL),
        0,
        N,
      ),
    ).toBe(0);
    expect(Array.from(wasm)).toEqual(Array.from(js));
    expect(new Set(wasm).size).toBeGreaterThan(N / 2); // the path really moves
  });
});
