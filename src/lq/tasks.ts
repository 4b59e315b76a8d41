/** Worker-side task of the LQ study: one seed of the model-free actor–critic. */
import { NumericError } from '../errors.js';
import type { TaskHandler } from '../runner/task.js';
import { type Engine, runModelFreeSeed } from './engines.js';
import type { LqModel, ModelFreeSettings } from './model.js';
import { cumulativeRegret } from './oracle.js';
import { explorationPath, modelFreeSchedule } from './schedules.js';

export interface ModelFreeTask {
  readonly experiment: string;
  readonly run: number;
  readonly seed: number;
  readonly key: bigint;
  readonly engine: Engine;
  readonly model: LqModel;
  readonly settings: ModelFreeSettings;
  readonly iterations: number;
}

export interface ModelFreeTaskResult {
  /** φ₁ after 0 … N updates. */
  readonly phi1: Float64Array;
  /** Cumulative regret R_k, k = 0 … N (spec §5, normative pairing). */
  readonly regret: Float64Array;
}

// The schedule depends only on (model, settings, N): build it once per worker, not per seed.
let scheduleCache: { id: string; schedule: Float64Array; phi2: Float64Array } | undefined;

function schedulesFor(t: ModelFreeTask) {
  const id = JSON.stringify([t.model, t.settings, t.iterations]);
  if (scheduleCache?.id !== id) {
    scheduleCache = {
      id,
      schedule: modelFreeSchedule(t.model, t.settings, t.iterations),
      phi2: explorationPath(t.settings, t.iterations),
    };
  }
  return scheduleCache;
}

export const lqModelFreeTask: TaskHandler<ModelFreeTask, ModelFreeTaskResult> = (t, ctx) => {
  const { schedule, phi2 } = schedulesFor(t);
  const { phi1, failedAt } = runModelFreeSeed(
    { model: t.model, settings: t.settings, iterations: t.iterations, schedule, key: t.key },
    t.engine,
    ctx.module,
    ctx.progress,
  );
  if (failedAt) throw new NumericError(t.experiment, t.run, t.seed, failedAt);
  const regret = cumulativeRegret(t.model, phi1, phi2);
  return { result: { phi1, regret }, transfer: [phi1.buffer as ArrayBuffer, regret.buffer as ArrayBuffer] };
};
