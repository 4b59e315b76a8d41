// Regression pin of the model-based plug-in kernel's exact output (φ̂₁ paths and final estimator
// block). The expected digests were computed by the scalar kernel as it was before the issue-14 SIMD
// rewrite (commit a753bf1); kernel-twin agreement is tested separately.
import { describe, expect, it } from 'vitest';
import { LqModelBasedKernel } from '../../src/kernels/lq.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_BASED } from '../../src/lq/model.js';
import { modelBasedSchedule } from '../../src/lq/schedules.js';
import { streamKey } from '../../src/rng/streams.js';
import { BUILDS, instance } from '../support/builds.js';
import { sha256 } from '../support/digest.js';

const N = 3000;
const sched = modelBasedSchedule(DEFAULT_MODEL_BASED, N);
const EXPECTED: Record<number, string> = {
  1: '539f593d0fa4e1bfc74f0becdc1ef84f894cbb3a498f8b05339c72e80cf28fd3',
  2: 'a6fcb11d17b2e8d78875c612d58c75e33882e335abbdaeaf5cc04e8c912fc207',
  7: 'b7d91f02f8fa81c216808e7b30141372eede2c2f652986e48761de170f65ac04',
};

describe.each(BUILDS)('model-based kernel output pinned (%s build)', (build) => {
  it.each([1, 2, 7])('seed %d: φ̂₁ path and estimates', async (seed) => {
    const kernel = new LqModelBasedKernel(
      await instance(build),
      DEFAULT_MODEL,
      DEFAULT_MODEL_BASED,
      sched,
      N,
    );
    kernel.seed(streamKey('lq-actor-critic', 1, seed));
    expect(kernel.run(0, N)).toBe(0);
    const e = kernel.estimates();
    const digest = sha256(kernel.path(), Float64Array.of(e.aHat, e.bHat, e.ratio, e.d2Hat, e.episodes));
    expect(digest).toBe(EXPECTED[seed]);
  });
});
