/**
 * One seed of the model-free actor–critic on either engine, in chunks: the first chunk is short so
 * V8 tiers the kernel up before the long calls (WASM has no on-stack replacement), and progress is
 * reported between chunks.
 */
import { lqModelFree as lqModelFreeJs } from '../baseline/lq.js';
import { streamFromKey } from '../baseline/rng.js';
import { LqModelFreeKernel } from '../kernels/lq.js';
import { Kernels } from '../kernels/wasm.js';
import { zigguratTables } from '../rng/ziggurat.js';
import { eulerSteps, type LqModel, type ModelFreeSettings } from './model.js';

export type Engine = 'wasm' | 'js';
export const ENGINES: readonly Engine[] = ['wasm', 'js'];

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
  /** 0, or the iteration at which the episode went non-finite. */
  readonly failedAt: number;
}

const FIRST_CHUNK = 256;
const CHUNK = 16384;

/** Iteration boundaries of the chunked calls. */
function* chunks(iterations: number): Generator<[number, number]> {
  let from = 0;
  while (from < iterations) {
    const to = Math.min(iterations, from === 0 ? FIRST_CHUNK : from + CHUNK);
    yield [from, to];
    from = to;
  }
}

/** Runs one seed; `progress(iterationsDone)` is called after each chunk. */
export function runModelFreeSeed(
  run: SeedRun,
  engine: Engine,
  module: WebAssembly.Module | undefined,
  progress?: (done: number) => void,
): SeedResult {
  if (engine === 'wasm') {
    if (!module) throw new Error('quantrl: the wasm engine needs a compiled module');
    const kernel = new LqModelFreeKernel(
      new Kernels(module),
      run.model,
      run.settings,
      run.schedule,
      run.iterations,
    );
    kernel.seed(run.key);
    for (const [from, to] of chunks(run.iterations)) {
      const failedAt = kernel.run(from, to);
      if (failedAt) return { phi1: kernel.path().slice(), failedAt };
      progress?.(to - from);
    }
    return { phi1: kernel.path().slice(), failedAt: 0 };
  }
  const z = zigguratTables();
  const st = streamFromKey(run.key);
  const phi1 = new Float64Array(run.iterations + 1);
  phi1[0] = run.settings.phi1Init;
  const steps = eulerSteps(run.model);
  for (const [from, to] of chunks(run.iterations)) {
    const failedAt = lqModelFreeJs(run.model, run.settings, run.schedule, z, st, phi1, steps, from, to);
    if (failedAt) return { phi1, failedAt };
    progress?.(to - from);
  }
  return { phi1, failedAt: 0 };
}
