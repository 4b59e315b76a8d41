import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LqModelFreeKernel, LqModelFreeKernelX2 } from '../../src/kernels/lq.js';
import { parseLqConfig } from '../../src/lq/config.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_FREE } from '../../src/lq/model.js';
import { modelFreeSchedule } from '../../src/lq/schedules.js';
import { runAlgorithm } from '../../src/lq/study.js';
import { streamKey } from '../../src/rng/streams.js';
import { Runner } from '../../src/runner/pool.js';
import { BUILDS, instance } from '../support/builds.js';

// Each SIMD lane consumes its own scalar stream (slow-path draws included) and repeats the scalar
// operations in order: per-seed φ₁ paths are bit-identical, and a study run with --engine wasm-simd
// (pairs, plus a lone last seed) writes the same bytes as --engine wasm.
const N = 4000;
const sched = modelFreeSchedule(DEFAULT_MODEL, DEFAULT_MODEL_FREE, N);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each(BUILDS)('two-lane SIMD model-free kernel (%s build)', (build) => {
  it.each([
    [1, 2],
    [5, 6],
  ])('seeds %d and %d: identical to the scalar kernel', async (a, b) => {
    const keys = [streamKey('lq-actor-critic', 0, a), streamKey('lq-actor-critic', 0, b)] as const;
    const x2 = new LqModelFreeKernelX2(await instance(build), DEFAULT_MODEL, DEFAULT_MODEL_FREE, sched, N);
    x2.seed(...keys);
    expect(x2.run(0, 1234)).toBe(0);
    expect(x2.run(1234, N)).toBe(0);
    for (const lane of [0, 1] as const) {
      const scalar = new LqModelFreeKernel(
        await instance(build),
        DEFAULT_MODEL,
        DEFAULT_MODEL_FREE,
        sched,
        N,
      );
      scalar.seed(keys[lane]);
      expect(scalar.run(0, N)).toBe(0);
      expect(Array.from(x2.path(lane))).toEqual(Array.from(scalar.path()));
    }
  });
});

describe('study with --engine wasm-simd', () => {
  it('writes the same files as --engine wasm', async () => {
    const runner = await Runner.open({ workers: 2 });
    const outs: string[] = [];
    try {
      for (const engine of ['wasm', 'wasm-simd']) {
        const out = mkdtempSync(join(tmpdir(), `quantrl-${engine}-`));
        dirs.push(out);
        outs.push(out);
        const cfg = parseLqConfig({ seeds: 5, iterations: 1200, engine, out, fitWindow: '100:1200' });
        await runAlgorithm({ ...cfg, algo: 'model-free', prefix: '' }, runner);
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
