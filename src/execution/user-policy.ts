/**
 * A user policy module (src/env/policy-module.ts) on an execution environment, beside the exact DP
 * optimum π* and the "sell the feasible maximum now" rule, on common random numbers: episode e of
 * every policy runs ExecutionEnv reset with the stream streamKey(experiment, run, e), so start states
 * and outcome draws are shared and paired differences are tight. The episodes are cut into fixed
 * ranges, one pool task each; every worker imports the module and runs the three policies on its
 * range, and the host assembles the returns in episode order, so the result is the same for any
 * worker count.
 */
import {
  callPolicy,
  callPolicyBatch,
  discreteRule,
  loadPolicyModule,
  type PolicyModule,
  policyTaskError,
} from '../env/policy-module.js';
import { streamKey } from '../rng/streams.js';
import type { Runner } from '../runner/pool.js';
import { replicate } from '../runner/replicate.js';
import type { TaskHandler } from '../runner/task.js';
import type { EnvConfig } from './config.js';
import type { ExecutionMdp } from './env.js';
import { ExecutionEnv, type Observation, type StepInfo } from './gym.js';
import { solved } from './solved.js';

export const EXECUTION_EVALUATE_EXPERIMENT = 'execution/evaluate';
export const EXECUTION_MODULE_TASK = 'execution-module-episodes';
/** Episodes per pool task (a fixed cut: it decides nothing about the result). */
export const EVALUATE_CHUNK = 2000;
/** Returns per episode in a task's result, in this order. */
const POLICY_NAMES = ['optimal (DP)', 'sell-max-now'] as const;
const PER_EPISODE = POLICY_NAMES.length + 1;

export interface ExecutionModuleTask {
  readonly env: EnvConfig;
  /** The policy module as given on the command line, and its absolute path. */
  readonly file: string;
  readonly path: string;
  readonly run: number;
  readonly from: number;
  readonly to: number;
}

export interface PolicyResult {
  readonly policy: string;
  readonly mean: number;
  readonly se: number;
  readonly sd: number;
}

export interface ExecutionEvaluation {
  readonly episodes: number;
  /** E over start states of V*_0: what the optimal policy's mean estimates. */
  readonly optimalValue: number;
  readonly policies: PolicyResult[];
  /** user − optimal, per episode: mean ± SE. */
  readonly pairedVsOptimal: { readonly mean: number; readonly se: number };
}

type Chooser = (obs: Observation, info: StepInfo, vector: Float64Array) => number;

/** Return of one episode of one policy on the stream `seed`. */
function episodeReturn(env: ExecutionEnv, choose: Chooser, seed: bigint, vector: Float64Array): number {
  let { observation, info } = env.reset({ seed });
  let total = 0;
  while (info.feasible > 0) {
    vector.set([observation.t, observation.q, observation.index, observation.state]);
    const r = env.step(choose(observation, info, vector));
    total += r.reward;
    if (r.terminated || r.truncated) break;
    observation = r.observation;
    info = r.info;
  }
  return total;
}

/** Returns of episodes from..to−1, PER_EPISODE per episode: π*, sell-max-now, the module. */
export function moduleEpisodes(
  env: EnvConfig,
  module: PolicyModule,
  run: number,
  from: number,
  to: number,
): Float64Array {
  const { mdp, sol } = solved(env);
  const choosers: Chooser[] = [
    (o) => sol.policy[o.t * mdp.states + o.state] as number,
    (_o, info) => info.feasible - 1,
    (o, info, v) => {
      const rule = discreteRule(info.feasible);
      if (module.act) return callPolicy(module, o, v, info, rule);
      return callPolicyBatch(module, v, 1, 4, rule)[0] as number;
    },
  ];
  const gym = new ExecutionEnv(mdp);
  const vector = new Float64Array(4);
  const out = new Float64Array((to - from) * PER_EPISODE);
  for (let e = from; e < to; e++) {
    const seed = streamKey(EXECUTION_EVALUATE_EXPERIMENT, run, e);
    choosers.forEach((choose, p) => {
      out[(e - from) * PER_EPISODE + p] = episodeReturn(gym, choose, seed, vector);
    });
  }
  return out;
}

/** Worker side: imports the module (once per worker) and runs a range of episodes. */
export const executionModuleTask: TaskHandler<ExecutionModuleTask, Float64Array> = async (t, ctx) => {
  const policy = await loadPolicyModule(t.path);
  const returns = moduleEpisodes(t.env, { ...policy, file: t.file }, t.run, t.from, t.to);
  ctx.progress(t.to - t.from);
  return { result: returns, transfer: [returns.buffer as ArrayBuffer] };
};

/** Pool tasks of an evaluation: consecutive episode ranges of EVALUATE_CHUNK. */
export function evaluateTasks(
  env: EnvConfig,
  module: PolicyModule,
  episodes: number,
  run: number,
): ExecutionModuleTask[] {
  const tasks: ExecutionModuleTask[] = [];
  for (let from = 0; from < episodes; from += EVALUATE_CHUNK)
    tasks.push({
      env,
      file: module.file,
      path: module.path,
      run,
      from,
      to: Math.min(episodes, from + EVALUATE_CHUNK),
    });
  return tasks;
}

function stats(policy: string, x: Float64Array): PolicyResult {
  const n = x.length;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  return { policy, mean, sd, se: sd / Math.sqrt(n) };
}

/** Evaluates the module beside π* and "sell the feasible maximum now" (the last feasible index) over the pool. */
export async function evaluateExecutionPolicy(
  runner: Runner,
  env: EnvConfig,
  module: PolicyModule,
  episodes: number,
  run: number,
): Promise<ExecutionEvaluation> {
  const tasks = evaluateTasks(env, module, episodes, run);
  const byPolicy = Array.from({ length: PER_EPISODE }, () => new Float64Array(episodes));
  try {
    await replicate<ExecutionModuleTask, Float64Array>(runner, EXECUTION_MODULE_TASK, tasks, (i, r) => {
      const from = (tasks[i] as ExecutionModuleTask).from;
      for (let k = 0; k < r.length; k++)
        (byPolicy[k % PER_EPISODE] as Float64Array)[from + Math.floor(k / PER_EPISODE)] = r[k] as number;
    });
  } catch (err) {
    throw policyTaskError(err, module);
  }
  const [rOpt, , rUser] = byPolicy as [Float64Array, Float64Array, Float64Array];
  const { mdp, sol } = solved(env);
  let optimalValue = 0;
  mdp.starts.forEach((s, i) => {
    optimalValue += (mdp.startProb[i] as number) * (sol.V[s] as number);
  });
  const d = stats(
    'difference',
    rUser.map((v, i) => v - (rOpt[i] as number)),
  );
  return {
    episodes,
    optimalValue,
    policies: [
      ...POLICY_NAMES.map((name, p) => stats(name, byPolicy[p] as Float64Array)),
      stats(module.file, rUser),
    ],
    pairedVsOptimal: { mean: d.mean, se: d.se },
  };
}

/** Checks the module on the first observation of episode 0 (UsageError naming the file). */
export function checkExecutionPolicy(mdp: ExecutionMdp, module: PolicyModule, run: number): void {
  const env = new ExecutionEnv(mdp);
  const { observation: o, info } = env.reset({ seed: streamKey(EXECUTION_EVALUATE_EXPERIMENT, run, 0) });
  const v = Float64Array.of(o.t, o.q, o.index, o.state);
  const rule = discreteRule(Math.max(1, info.feasible));
  if (module.act) callPolicy(module, o, v, info, rule);
  if (module.actBatch) callPolicyBatch(module, v, 1, 4, rule);
}
