/**
 * Episodes of a user policy module (src/env/policy-module.ts) on the order book, through
 * MarketMakingEnv: episode e uses the stream of episode e of (experiment, run), exactly as the built-in
 * baselines do in the simulator, so the user's policy is compared on common random numbers. Episodes
 * run in lockstep batches: `actBatch` sees one row per live episode, `act` one observation at a time.
 */
import {
  callPolicy,
  callPolicyBatch,
  discreteRule,
  loadPolicyModule,
  type PolicyModule,
} from '../env/policy-module.js';
import type { TaskHandler } from '../runner/task.js';
import { MarketMakingEnv, type MarketMakingInfo, type MarketMakingObservation } from './env.js';
import { OUT_STRIDE } from './layout.js';
import type { LobModel } from './model.js';

export const LOB_MODULE_TASK = 'lob-module-episodes';
/** Episodes stepped in lockstep (one actBatch call per step covers them). */
const BATCH = 64;

export interface LobModuleTask {
  readonly model: LobModel;
  /** The policy module as given on the command line, and its absolute path. */
  readonly file: string;
  readonly path: string;
  readonly experiment: string;
  readonly run: number;
  readonly from: number;
  readonly to: number;
}

/** Records (OUT_STRIDE per episode) of episodes from..to−1 under the policy module. */
export function moduleEpisodes(
  model: LobModel,
  policy: PolicyModule,
  experiment: string,
  run: number,
  from: number,
  to: number,
): Float64Array {
  const out = new Float64Array((to - from) * OUT_STRIDE);
  const width = Math.min(BATCH, to - from);
  const envs = Array.from({ length: width }, () => new MarketMakingEnv(model, { experiment }));
  const rule = discreteRule((envs[0] as MarketMakingEnv).actionSpace.n);
  const size = (envs[0] as MarketMakingEnv).observationSpace.shape[0] as number;
  const obs: MarketMakingObservation[] = new Array(width);
  const infos: MarketMakingInfo[] = new Array(width);
  const live: number[] = [];
  const rows = new Float64Array(width * size);
  for (let first = from; first < to; first += width) {
    const count = Math.min(width, to - first);
    live.length = 0;
    for (let j = 0; j < count; j++) {
      const r = (envs[j] as MarketMakingEnv).reset({ seed: run, episode: first + j });
      obs[j] = r.observation;
      infos[j] = r.info;
      live.push(j);
    }
    while (live.length > 0) {
      let actions: ArrayLike<number> | undefined;
      if (policy.actBatch) {
        live.forEach((j, k) => {
          rows.set((obs[j] as MarketMakingObservation).vector, k * size);
        });
        actions = callPolicyBatch(policy, rows.subarray(0, live.length * size), live.length, size, rule);
      }
      let k = 0;
      for (const j of [...live]) {
        const o = obs[j] as MarketMakingObservation;
        const a = actions ? (actions[k] as number) : callPolicy(policy, o, o.vector, infos[j], rule);
        k++;
        const r = (envs[j] as MarketMakingEnv).step(a);
        if (r.terminated || r.truncated) {
          out.set((r.info.episode as { record: Float64Array }).record, (first + j - from) * OUT_STRIDE);
          live.splice(live.indexOf(j), 1);
        } else {
          obs[j] = r.observation;
          infos[j] = r.info;
        }
      }
    }
  }
  return out;
}

/** Worker side: imports the module (once per worker) and runs a range of episodes. */
export const lobModuleTask: TaskHandler<LobModuleTask, Float64Array> = async (t, ctx) => {
  const policy = await loadPolicyModule(t.path);
  const records = moduleEpisodes(t.model, { ...policy, file: t.file }, t.experiment, t.run, t.from, t.to);
  ctx.progress(t.to - t.from);
  return { result: records, transfer: [records.buffer as ArrayBuffer] };
};

/**
 * Loads a policy module for the order book and checks it on the first observation of episode 0 of
 * (experiment, run): a UsageError names the file and what it returned or threw.
 */
export async function loadLobPolicy(
  file: string,
  model: LobModel,
  experiment: string,
  run: number,
  flag = '--policy',
): Promise<PolicyModule> {
  const policy = await loadPolicyModule(file, flag);
  const env = new MarketMakingEnv(model, { experiment });
  const { observation, info } = env.reset({ seed: run, episode: 0 });
  const rule = discreteRule(env.actionSpace.n);
  const v = observation.vector;
  if (policy.act) callPolicy(policy, observation, v, info, rule, flag);
  if (policy.actBatch) callPolicyBatch(policy, v, 1, v.length, rule, flag);
  return policy;
}
