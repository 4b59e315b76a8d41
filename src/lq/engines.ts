/**
 * One seed of either LQ algorithm on either engine, in chunks: the first chunk is short so
 * V8 tiers the kernel up before the long calls (WASM has no on-stack replacement), and progress is
 * reported between chunks.
 */
import { lqModelFree as lqModelFreeJs } from '../baseline/lq.js';
import { initialEstimator, lqModelBased as lqModelBasedJs } from '../baseline/lq-model-based.js';
import { streamFromKey } from '../baseline/rng.js';
import { type Engine, requireModule, runChunked } from '../kernels/engine.js';
import {
  LqModelBasedKernel,
  LqModelBasedKernelX2,
  LqModelFreeKernel,
  LqModelFreeKernelX2,
  type PlugInEstimates,
} from '../kernels/lq.js';
import { Kernels } from '../kernels/wasm.js';
import { zigguratTables } from '../rng/ziggurat.js';
import { eulerSteps, type LqModel, type ModelBasedSettings, type ModelFreeSettings } from './model.js';

export interface SeedRun {
  readonly model: LqModel;
  readonly settings: ModelFreeSettings;
  readonly iterations: number;
  /** The precomputed schedule (schedules.ts) for these settings and iterations. */
  readonly schedule: Float64Array;
  readonly key: bigint;
}

export interface SeedResult {
  /** φ₁ after 0 … N updates. */
  readonly phi1: Float64Array;
  /** 0, or the 1-based iteration at which the episode went non-finite (kernels/engine.ts). */
  readonly failedAt: number;
}

const FIRST_CHUNK = 256;
const CHUNK = 16384;

/** Iterations 0 … N in chunks; `progress` gets unitsPerIteration × the iterations of each finished call. */
function chunked(
  iterations: number,
  call: (from: number, to: number) => number,
  progress: ((done: number) => void) | undefined,
  unitsPerIteration = 1,
): number {
  const plan = { from: 0, to: iterations, first: FIRST_CHUNK, chunk: CHUNK };
  return runChunked(plan, call, (from, to) => progress?.(unitsPerIteration * (to - from)));
}

/**
 * One kernel instance per worker and configuration, reused seed after seed: seed() resets every piece
 * of state a run reads (stream, estimator, φ₁ at iteration 0 is never overwritten), so a reused
 * instance gives the same bits as a fresh one, without a new multi-megabyte memory per seed.
 */
const kernelCache = new Map<string, { module: WebAssembly.Module; id: string; kernel: unknown }>();

function reusable<K>(module: WebAssembly.Module | undefined, config: unknown[], make: (k: Kernels) => K): K {
  const compiled = requireModule(module);
  const kind = String(config[0]);
  const id = JSON.stringify(config);
  const hit = kernelCache.get(kind);
  if (hit?.module === compiled && hit.id === id) return hit.kernel as K;
  const kernel = make(new Kernels(compiled));
  kernelCache.set(kind, { module: compiled, id, kernel });
  return kernel;
}

/** Runs one seed; `progress(iterationsDone)` is called after each chunk. */
export function runModelFreeSeed(
  run: SeedRun,
  engine: Engine,
  module: WebAssembly.Module | undefined,
  progress?: (done: number) => void,
): SeedResult {
  const { model, settings, schedule, iterations } = run;
  if (engine !== 'js') {
    const kernel = reusable(
      module,
      ['mf', model, settings, iterations],
      (k) => new LqModelFreeKernel(k, model, settings, schedule, iterations),
    );
    kernel.seed(run.key);
    const failedAt = chunked(iterations, (from, to) => kernel.run(from, to), progress);
    return { phi1: kernel.path().slice(), failedAt };
  }
  const z = zigguratTables();
  const st = streamFromKey(run.key);
  const phi1 = new Float64Array(iterations + 1);
  phi1[0] = settings.phi1Init;
  const steps = eulerSteps(model);
  const failedAt = chunked(
    iterations,
    (from, to) => lqModelFreeJs(model, settings, schedule, z, st, phi1, steps, from, to),
    progress,
  );
  return { phi1, failedAt };
}

/** Two model-free seeds (same model, settings and N; their own keys) in the SIMD kernel's lanes. */
export function runModelFreePair(
  runs: readonly [SeedRun, SeedRun],
  module: WebAssembly.Module,
  progress?: (done: number) => void,
): [SeedResult, SeedResult] {
  const [a, b] = runs;
  const kernel = reusable(
    module,
    ['mf-x2', a.model, a.settings, a.iterations],
    (k) => new LqModelFreeKernelX2(k, a.model, a.settings, a.schedule, a.iterations),
  );
  kernel.seed(a.key, b.key);
  const status = chunked(a.iterations, (from, to) => kernel.run(from, to), progress, 2);
  const failed: [number, number] = [0, 0];
  if (status) failed[status & 1] = status >> 1; // (iteration << 1 | lane)
  return [
    { phi1: kernel.path(0).slice(), failedAt: failed[0] },
    { phi1: kernel.path(1).slice(), failedAt: failed[1] },
  ];
}

export interface PlugInSeedRun {
  readonly model: LqModel;
  readonly settings: ModelBasedSettings;
  readonly iterations: number;
  /** modelBasedSchedule(settings, iterations). */
  readonly schedule: Float64Array;
  readonly key: bigint;
}

export interface PlugInSeedResult {
  /** φ̂₁ₙ run in episodes 1 … N. */
  readonly phi1: Float64Array;
  readonly estimates: PlugInEstimates;
  readonly failedAt: number;
}

/** Runs one seed of the model-based plug-in; `progress(episodesDone)` after each chunk. */
export function runModelBasedSeed(
  run: PlugInSeedRun,
  engine: Engine,
  module: WebAssembly.Module | undefined,
  progress?: (done: number) => void,
): PlugInSeedResult {
  const { model, settings, schedule, iterations } = run;
  if (engine !== 'js') {
    const kernel = reusable(
      module,
      ['mb', model, settings, iterations],
      (k) => new LqModelBasedKernel(k, model, settings, schedule, iterations),
    );
    kernel.seed(run.key);
    const failedAt = chunked(iterations, (from, to) => kernel.run(from, to), progress);
    return { phi1: kernel.path().slice(), estimates: kernel.estimates(), failedAt };
  }
  const z = zigguratTables();
  const st = streamFromKey(run.key);
  const est = initialEstimator(settings);
  const phi1 = new Float64Array(iterations);
  const steps = eulerSteps(model);
  const failedAt = chunked(
    iterations,
    (from, to) => lqModelBasedJs(model, settings, schedule, z, st, est, phi1, steps, from, to),
    progress,
  );
  const { aHat, bHat, ratio, d2Hat, episodes } = est;
  return { phi1, estimates: { aHat, bHat, ratio, d2Hat, episodes }, failedAt };
}

/** Two model-based seeds (same model, settings and N; their own keys) in the SIMD kernel's lanes. */
export function runModelBasedPair(
  runs: readonly [PlugInSeedRun, PlugInSeedRun],
  module: WebAssembly.Module,
  progress?: (done: number) => void,
): [PlugInSeedResult, PlugInSeedResult] {
  const [a, b] = runs;
  const kernel = reusable(
    module,
    ['mb-x2', a.model, a.settings, a.iterations],
    (k) => new LqModelBasedKernelX2(k, a.model, a.settings, a.schedule, a.iterations),
  );
  kernel.seed(a.key, b.key);
  const status = chunked(a.iterations, (from, to) => kernel.run(from, to), progress, 2);
  const failed: [number, number] = [0, 0];
  if (status) failed[status & 1] = status >> 1; // (episode << 1 | lane)
  return [
    { phi1: kernel.path(0).slice(), estimates: kernel.estimates(0), failedAt: failed[0] },
    { phi1: kernel.path(1).slice(), estimates: kernel.estimates(1), failedAt: failed[1] },
  ];
}
