/**
 * Q-learning on an execution MDP as a library call: train one seed, then score the greedy policy
 * exactly against the optimum of the same MDP and, optionally, out of sample by Monte Carlo. The same
 * code path as one run of `quantrl execution train`, so a seed gives the same numbers here and there.
 */
import type { ScalarEngine } from '../kernels/engine.js';
import { compileKernels } from '../kernels/wasm.js';
import { type RunScore, scoreRun } from './analysis.js';
import { type EnvInput, type LearnerInput, parseEnvConfig, parseLearnerConfig } from './config.js';
import { liftPolicy } from './dp.js';
import { solved } from './solved.js';
import { type MonteCarlo, runQlTask } from './tasks.js';

export interface QLearningOptions {
  /** Seed index of the training stream (default 0). */
  readonly seed?: number;
  /** Experiment id of the stream key (default 'execution/train', as the CLI uses). */
  readonly experiment?: string;
  /** Run index of the stream key (default 0). */
  readonly run?: number;
  /** 'wasm' (the kernel) or 'js' (the TypeScript twin, same stream and same results). Default 'wasm'. */
  readonly engine?: ScalarEngine;
  /** Monte Carlo episodes of the out-of-sample evaluation (default 0: none). */
  readonly evalEpisodes?: number;
}

export interface QLearningRun {
  /** Learned Q table, (t, observed state, action) row-major, and its visit counts. */
  readonly Q: Float64Array;
  readonly counts: Uint32Array;
  /** Greedy policy over environment states (t·states + s) and over observed states (t·obsStates + o). */
  readonly policy: Int32Array;
  readonly obsPolicy: Int32Array;
  /** Exact score: value, optimum, gap, agreement, Q error, checkpoints and policy statistics. */
  readonly score: RunScore;
  readonly outOfSample: MonteCarlo | null;
  readonly steps: number;
}

/** Trains tabular Q-learning on `env` for `learner.episodes` episodes (other learner fields default). */
export async function trainQLearner(
  env: EnvInput,
  learner: LearnerInput,
  opts: QLearningOptions = {},
): Promise<QLearningRun> {
  const engine = opts.engine ?? 'wasm';
  const task = {
    experiment: opts.experiment ?? 'execution/train',
    run: opts.run ?? 0,
    seed: opts.seed ?? 0,
    engine,
    env: parseEnvConfig(env),
    learner: parseLearnerConfig(learner),
    evalEpisodes: opts.evalEpisodes ?? 0,
    keepTables: true,
  };
  // throws a NumericError naming the first non-finite episode
  const r = runQlTask(task, engine === 'wasm' ? await compileKernels('release') : undefined);
  const s = solved(task.env);
  return {
    Q: r.Q as Float64Array,
    counts: r.counts as Uint32Array,
    obsPolicy: r.policy,
    policy: liftPolicy(s.mdp, r.policy),
    score: scoreRun(s, r),
    outOfSample: r.mc,
    steps: r.steps,
  };
}
