/**
 * Worker side of the execution study: one Q-learning run (one config × one seed) — build the tables
 * (cached per worker), train on the chosen engine, extract the greedy policy, and score it and π* by
 * Monte Carlo on a common evaluation stream. Exact statistics are computed by the caller from the
 * returned policy (src/execution/analysis.ts); the host side is executor.ts.
 */

import { EVAL_LEFTOVER, EVAL_RETURN, EVAL_STRIDE, EVAL_TLIQ } from '../baseline/execution.js';
import { checkStatus, requireModule, type ScalarEngine } from '../kernels/engine.js';
import { streamKey } from '../rng/streams.js';
import type { TaskHandler } from '../runner/task.js';
import type { EnvConfig, LearnerConfig } from './config.js';
import { liftPolicy } from './dp.js';
import { evaluateMc, trainJs, trainWasm } from './learner.js';
import { greedyPolicy } from './metrics.js';
import { type Solved, solved } from './solved.js';

export const QL_TASK = 'execution-ql';

export interface QlTask {
  /** Experiment id: the training stream is keyed by (experiment, run, seed), evaluation by (experiment + '/eval', run, seed). */
  readonly experiment: string;
  readonly run: number;
  readonly seed: number;
  readonly engine: ScalarEngine;
  readonly env: EnvConfig;
  readonly learner: LearnerConfig;
  /** Monte Carlo episodes for the out-of-sample cost (0 = skip). */
  readonly evalEpisodes: number;
  /** Return the learned Q table and visit counts too (for plots and .npy files). */
  readonly keepTables?: boolean;
  /** Stream keys given by the caller (a sweep's seed streams) instead of (experiment, run, seed)'s. */
  readonly keys?: { readonly train: bigint; readonly eval: bigint };
}

export interface MonteCarlo {
  readonly episodes: number;
  /** Cost = −return under π̂ and π*, paired on common random numbers. */
  readonly costMean: number;
  readonly costSd: number;
  readonly optimalCostMean: number;
  /** π̂ − π* cost difference: mean and sd over episodes (CI = mean ± 1.96 sd/√M). */
  readonly diffMean: number;
  readonly diffSd: number;
  readonly leftoverMean: number;
  readonly pLeftover: number;
  readonly liquidationTimeMean: number;
}

export interface QlTaskResult {
  /** Greedy evaluation policy over observation indices (t·S_obs + o). */
  readonly policy: Int32Array;
  /** Checkpoint records (n × 5), see learner.ts. */
  readonly checkpoints: Float64Array;
  readonly steps: number;
  readonly mc: MonteCarlo | null;
  readonly Q?: Float64Array;
  readonly counts?: Uint32Array;
}

function meanSd(xs: Float64Array, stride: number, col: number, f = (v: number) => v): [number, number] {
  const n = xs.length / stride;
  let m = 0;
  for (let i = 0; i < n; i++) m += f(xs[i * stride + col] as number);
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (f(xs[i * stride + col] as number) - m) ** 2;
  return [m, n > 1 ? Math.sqrt(v / (n - 1)) : 0];
}

/** Paired Monte Carlo of π̂ and π* on the same evaluation stream. */
function monteCarlo(
  s: Solved,
  policyEnv: Int32Array,
  key: bigint,
  episodes: number,
  engine: ScalarEngine,
  kernel?: Parameters<typeof evaluateMc>[5],
): MonteCarlo {
  const hat = evaluateMc(s.mdp, policyEnv, key, episodes, engine, kernel);
  const star = evaluateMc(s.mdp, s.sol.policy, key, episodes, engine, kernel);
  const [costMean, costSd] = meanSd(hat, EVAL_STRIDE, EVAL_RETURN, (r) => -r);
  const [optimalCostMean] = meanSd(star, EVAL_STRIDE, EVAL_RETURN, (r) => -r);
  const diff = new Float64Array(episodes);
  for (let i = 0; i < episodes; i++) {
    const at = i * EVAL_STRIDE + EVAL_RETURN;
    diff[i] = (star[at] as number) - (hat[at] as number);
  }
  const [diffMean, diffSd] = meanSd(diff, 1, 0);
  const [leftoverMean] = meanSd(hat, EVAL_STRIDE, EVAL_LEFTOVER);
  const [pLeftover] = meanSd(hat, EVAL_STRIDE, EVAL_LEFTOVER, (q) => (q > 0 ? 1 : 0));
  const [liquidationTimeMean] = meanSd(hat, EVAL_STRIDE, EVAL_TLIQ);
  return {
    episodes,
    costMean,
    costSd,
    optimalCostMean,
    diffMean,
    diffSd,
    leftoverMean,
    pLeftover,
    liquidationTimeMean,
  };
}

/** One run, on the calling thread (the pool worker's handler, or in-process); throws a NumericError naming the first non-finite episode. */
export function runQlTask(
  t: QlTask,
  module: WebAssembly.Module | undefined,
  progress?: (episodes: number) => void,
): QlTaskResult {
  const s = solved(t.env);
  const spec = {
    mdp: s.mdp,
    learner: t.learner,
    key: t.keys?.train ?? streamKey(t.experiment, t.run, t.seed),
    vstar0: s.vstar0,
    reachObs: s.reachObs,
  };
  let r: ReturnType<typeof trainJs> & { kernel?: ReturnType<typeof trainWasm>['kernel'] };
  if (t.engine === 'wasm') r = trainWasm(spec, requireModule(module), progress);
  else r = trainJs(spec, progress);
  checkStatus(r.status, { study: t.experiment, run: t.run, seed: t.seed }, 'episode');
  const policy = greedyPolicy(s.mdp, r.Q, r.counts);
  const mc =
    t.evalEpisodes > 0
      ? monteCarlo(
          s,
          liftPolicy(s.mdp, policy),
          t.keys?.eval ?? streamKey(`${t.experiment}/eval`, t.run, t.seed),
          t.evalEpisodes,
          t.engine,
          r.kernel,
        )
      : null;
  return {
    policy,
    checkpoints: r.checkpoints,
    steps: r.steps,
    mc,
    ...(t.keepTables ? { Q: r.Q, counts: r.counts } : {}),
  };
}

export const executionQlTask: TaskHandler<QlTask, QlTaskResult> = (t, ctx) => {
  const result = runQlTask(t, ctx.module, ctx.progress);
  const transfer = [result.policy.buffer, result.checkpoints.buffer] as ArrayBuffer[];
  if (result.Q && result.counts)
    transfer.push(result.Q.buffer as ArrayBuffer, result.counts.buffer as ArrayBuffer);
  return { result, transfer };
};
