/** Worker-side tasks of the LQ study: one seed of either algorithm, with its exact cumulative regret. */
import { checkStatus, type Engine } from '../kernels/engine.js';
import type { TaskHandler } from '../runner/task.js';
import { runModelBasedPair, runModelBasedSeed, runModelFreePair, runModelFreeSeed } from './engines.js';
import type { LqModel, ModelBasedSettings, ModelFreeSettings } from './model.js';
import { cumulativeRegret } from './oracle.js';
import {
  explorationPath,
  modelBasedExplorationPath,
  modelBasedSchedule,
  modelFreeSchedule,
} from './schedules.js';

/** The LQ study's task kinds (keys of the worker's dispatch table, src/tasks.ts). */
export const LQ_TASKS = {
  modelFree: 'lq-model-free',
  modelBased: 'lq-model-based',
  modelFreePair: 'lq-model-free-x2',
  modelBasedPair: 'lq-model-based-x2',
} as const;

interface SeedTask {
  readonly experiment: string;
  readonly run: number;
  readonly seed: number;
  readonly key: bigint;
  readonly engine: Engine;
  readonly model: LqModel;
  readonly iterations: number;
  /**
   * Where the results go: φ₁ at f64 [offset, offset+L), cumulative regret at [offset+L, offset+2L) of
   * a shared buffer the study reuses (bounded memory, nothing transferred per seed).
   */
  readonly sink: { readonly buffer: SharedArrayBuffer; readonly offset: number };
}

export interface ModelFreeTask extends SeedTask {
  readonly settings: ModelFreeSettings;
}

export interface ModelBasedTask extends SeedTask {
  readonly settings: ModelBasedSettings;
}

export interface SeedPaths {
  /** Model-free: φ₁ after k = 0 … N updates. Model-based: φ̂₁ₙ run in episodes n = 1 … N. */
  readonly phi1: Float64Array;
  /** Cumulative regret at the same positions (spec §5 pairings). */
  readonly regret: Float64Array;
}

// Schedules depend only on (model, settings, N): build them once per worker, not per seed.
const schedules = new Map<string, { schedule: Float64Array; phi2: Float64Array }>();

/** The schedule records and the φ₂ list paired with φ₁ for the regret, cached for the last config. */
export function seedInputs(
  algo: 'model-free' | 'model-based',
  model: LqModel,
  settings: ModelFreeSettings | ModelBasedSettings,
  iterations: number,
): { schedule: Float64Array; phi2: Float64Array } {
  const id = JSON.stringify([algo, model, settings, iterations]);
  let s = schedules.get(id);
  if (!s) {
    schedules.clear();
    s =
      algo === 'model-free'
        ? {
            schedule: modelFreeSchedule(model, settings as ModelFreeSettings, iterations),
            phi2: explorationPath(settings as ModelFreeSettings, iterations),
          }
        : {
            schedule: modelBasedSchedule(settings as ModelBasedSettings, iterations),
            phi2: modelBasedExplorationPath(settings as ModelBasedSettings, iterations),
          };
    schedules.set(id, s);
  }
  return s;
}

function done(t: SeedTask, phi1: Float64Array, phi2: Float64Array, failedAt: number) {
  checkStatus(failedAt, { study: t.experiment, run: t.run, seed: t.seed }, 'iteration');
  const L = phi1.length;
  const out = new Float64Array(t.sink.buffer, t.sink.offset * 8, 2 * L);
  out.set(phi1);
  cumulativeRegret(t.model, phi1, phi2, out.subarray(L));
  return { result: null };
}

/** The engine-facing description of a task's seed. */
function seedRun<T extends ModelFreeTask | ModelBasedTask>(
  t: T,
  schedule: Float64Array,
): { model: LqModel; settings: T['settings']; iterations: number; schedule: Float64Array; key: bigint } {
  return { model: t.model, settings: t.settings, iterations: t.iterations, schedule, key: t.key };
}

export const lqModelFreeTask: TaskHandler<ModelFreeTask, null> = (t, ctx) => {
  const { schedule, phi2 } = seedInputs('model-free', t.model, t.settings, t.iterations);
  const { phi1, failedAt } = runModelFreeSeed(seedRun(t, schedule), t.engine, ctx.module, ctx.progress);
  return done(t, phi1, phi2, failedAt);
};

export const lqModelBasedTask: TaskHandler<ModelBasedTask, null> = (t, ctx) => {
  const { schedule, phi2 } = seedInputs('model-based', t.model, t.settings, t.iterations);
  const { phi1, failedAt } = runModelBasedSeed(seedRun(t, schedule), t.engine, ctx.module, ctx.progress);
  return done(t, phi1, phi2, failedAt);
};

/** Two model-free seeds in the SIMD kernel's lanes; the results are those of two single-seed tasks. */
export const lqModelFreePairTask: TaskHandler<readonly [ModelFreeTask, ModelFreeTask], null> = (
  pair,
  ctx,
) => {
  const [a, b] = pair;
  const { schedule, phi2 } = seedInputs('model-free', a.model, a.settings, a.iterations);
  const results = runModelFreePair([seedRun(a, schedule), seedRun(b, schedule)], ctx.module, ctx.progress);
  for (const [i, r] of results.entries()) done(pair[i] as ModelFreeTask, r.phi1, phi2, r.failedAt);
  return { result: null };
};

/** Two model-based seeds in the SIMD kernel's lanes; the results are those of two single-seed tasks. */
export const lqModelBasedPairTask: TaskHandler<readonly [ModelBasedTask, ModelBasedTask], null> = (
  pair,
  ctx,
) => {
  const [a, b] = pair;
  const { schedule, phi2 } = seedInputs('model-based', a.model, a.settings, a.iterations);
  const results = runModelBasedPair([seedRun(a, schedule), seedRun(b, schedule)], ctx.module, ctx.progress);
  for (const [i, r] of results.entries()) done(pair[i] as ModelBasedTask, r.phi1, phi2, r.failedAt);
  return { result: null };
};
