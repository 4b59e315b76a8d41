/**
 * A user policy module (src/env/policy-module.ts) on an execution environment, beside the exact DP
 * optimum π* and the "sell the feasible maximum now" rule, on common random numbers: episode e of
 * every policy runs ExecutionEnv reset with the stream streamKey(experiment, run, e), so start states
 * and outcome draws are shared and paired differences are tight.
 */
import { callPolicy, callPolicyBatch, discreteRule, type PolicyModule } from '../env/policy-module.js';
import { streamKey } from '../rng/streams.js';
import { solve } from './dp.js';
import type { ExecutionMdp } from './env.js';
import { ExecutionEnv, type Observation, type StepInfo } from './gym.js';

export const EXECUTION_EVALUATE_EXPERIMENT = 'execution/evaluate';

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

/** Returns of E episodes of one policy, on the shared streams. */
function returns(mdp: ExecutionMdp, choose: Chooser, episodes: number, run: number): Float64Array {
  const env = new ExecutionEnv(mdp);
  const out = new Float64Array(episodes);
  const vector = new Float64Array(4);
  for (let e = 0; e < episodes; e++) {
    let { observation, info } = env.reset({ seed: streamKey(EXECUTION_EVALUATE_EXPERIMENT, run, e) });
    let total = 0;
    while (info.feasible > 0) {
      vector.set([observation.t, observation.q, observation.index, observation.state]);
      const r = env.step(choose(observation, info, vector));
      total += r.reward;
      if (r.terminated || r.truncated) break;
      observation = r.observation;
      info = r.info;
    }
    out[e] = total;
  }
  return out;
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

/** Evaluates the module beside π* and "sell the feasible maximum now" (the last feasible index). */
export function evaluateExecutionPolicy(
  mdp: ExecutionMdp,
  module: PolicyModule,
  episodes: number,
  run: number,
): ExecutionEvaluation {
  const dp = solve(mdp);
  const optimal: Chooser = (o) => dp.policy[o.t * mdp.states + o.state] as number;
  const eager: Chooser = (_o, info) => info.feasible - 1;
  const user: Chooser = (o, info, v) => {
    const rule = discreteRule(info.feasible);
    if (module.act) return callPolicy(module, o, v, info, rule);
    return callPolicyBatch(module, v, 1, 4, rule)[0] as number;
  };
  const rOpt = returns(mdp, optimal, episodes, run);
  const rEager = returns(mdp, eager, episodes, run);
  const rUser = returns(mdp, user, episodes, run);
  const diff = rUser.map((v, i) => v - (rOpt[i] as number));
  let optimalValue = 0;
  mdp.starts.forEach((s, i) => {
    optimalValue += (mdp.startProb[i] as number) * (dp.V[s] as number);
  });
  const d = stats('difference', diff);
  return {
    episodes,
    optimalValue,
    policies: [stats('optimal (DP)', rOpt), stats('sell-max-now', rEager), stats(module.file, rUser)],
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
