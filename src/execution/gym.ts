/**
 * A Gymnasium-style API over the execution environments, for users who write their own agent. It
 * samples the very transition tables the kernels and the exact solver use, with the kernels' draw
 * order: `reset` draws one uniform for the start state, `step` one uniform against the outcome law.
 *
 * ```ts
 * const env = new ExecutionEnv({ variant: 'impact' });
 * let { observation, info } = env.reset({ seed: 42 });
 * for (;;) {
 *   const action = info.feasible - 1;                // any index below info.feasible
 *   const r = env.step(action);
 *   if (r.terminated || r.truncated) break;
 *   observation = r.observation;
 *   info = r.info;
 * }
 * ```
 *
 * Return shapes:
 * - `reset({ seed? })` → `{ observation, info }`; a seed restarts the stream (key = the seed as a
 *   u64, expanded by splitmix64 as the kernels do), no seed continues it.
 * - `step(action)` → `{ observation, reward, terminated, truncated, info }`. `terminated` is true at
 *   the deadline (t = N: the horizon is part of the MDP, its terminal penalty is in the last reward,
 *   V_N ≡ 0 — nothing to bootstrap) and on entering an absorbing state (q = 0 outside `regret`).
 *   `truncated` is always false.
 * - `observation`: `{ t, q, index, state, ...fields }` — `index` is what a tabular learner indexes
 *   by (the projection: (q) for `noisy-features`/minimal), `state` the full env state, `fields` its
 *   named parts (j, M, f1, f2 as the variant has them).
 * - `info`: `{ feasible, actionMask, actionLabels }`: the feasible actions are the prefix
 *   0 … feasible − 1 of the action list (`actionLabels`), as a 0/1 mask too.
 */
import { nextWord, OUT_HI, OUT_LO, streamFromKey, unitFromWord } from '../baseline/rng.js';
import type { EnvInput } from './config.js';
import { buildMdp, type ExecutionMdp, NEXT_I32, REC } from './env.js';

export interface Observation {
  readonly t: number;
  readonly q: number;
  readonly index: number;
  readonly state: number;
  readonly [field: string]: number;
}

export interface StepInfo {
  readonly feasible: number;
  readonly actionMask: Uint8Array;
  readonly actionLabels: readonly string[];
}

export interface StepResult {
  readonly observation: Observation;
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  readonly info: StepInfo;
}

export class ExecutionEnv {
  readonly mdp: ExecutionMdp;
  /** Discrete(A) over the action list; feasibility per state is in `info`. */
  readonly actionSpace: { readonly n: number; readonly labels: readonly string[] };
  /** Discrete(S_obs) learner indices per time step, and the horizon N. */
  readonly observationSpace: { readonly n: number; readonly horizon: number };
  private rng: Int32Array | undefined;
  private t = 0;
  private s = 0;
  private done = true;

  /** `config`: an environment config (validated; UsageError naming the field) or tables built by buildMdp. */
  constructor(config: EnvInput | ExecutionMdp) {
    this.mdp = isMdp(config) ? config : buildMdp(config);
    this.actionSpace = { n: this.mdp.actions, labels: this.mdp.actionLabels };
    this.observationSpace = { n: this.mdp.obsStates, horizon: this.mdp.horizon };
  }

  reset(options: { seed?: number | bigint } = {}): { observation: Observation; info: StepInfo } {
    if (options.seed !== undefined) this.rng = streamFromKey(BigInt.asUintN(64, BigInt(options.seed)));
    this.rng ??= streamFromKey(0n);
    const u = this.uniform();
    let i = 0;
    while (u >= (this.mdp.startCum[i] as number)) i++;
    this.s = this.mdp.starts[i] as number;
    this.t = 0;
    this.done = (this.mdp.feasible[this.s] as number) === 0;
    return { observation: this.observation(), info: this.info() };
  }

  step(action: number): StepResult {
    if (this.done) throw new Error('ExecutionEnv.step: the episode has ended; call reset() first');
    const m = this.mdp;
    const nf = m.feasible[this.s] as number;
    if (!Number.isInteger(action) || action < 0 || action >= nf)
      throw new RangeError(
        `ExecutionEnv.step: action ${action} is not feasible at q = ${m.inventory[this.s]} (feasible: 0…${nf - 1})`,
      );
    const u = this.uniform();
    let off = ((this.t * m.states + this.s) * m.actions + action) * m.outcomes * REC;
    while (u >= (m.trans[off] as number)) off += REC;
    const reward = m.trans[off + 1] as number;
    this.s = m.transI32[2 * off + NEXT_I32] as number;
    this.t++;
    const terminated = this.t === m.horizon || (m.feasible[this.s] as number) === 0;
    this.done = terminated;
    return { observation: this.observation(), reward, terminated, truncated: false, info: this.info() };
  }

  private uniform(): number {
    const st = this.rng as Int32Array;
    nextWord(st);
    return unitFromWord(st[OUT_HI] as number, st[OUT_LO] as number);
  }

  private observation(): Observation {
    const m = this.mdp;
    return {
      t: this.t,
      q: m.inventory[this.s] as number,
      index: m.obs[this.s] as number,
      state: this.s,
      ...m.describe(this.s),
    };
  }

  private info(): StepInfo {
    const nf = this.done && this.t === this.mdp.horizon ? 0 : (this.mdp.feasible[this.s] as number);
    const actionMask = new Uint8Array(this.mdp.actions);
    actionMask.fill(1, 0, nf);
    return { feasible: nf, actionMask, actionLabels: this.mdp.actionLabels };
  }
}

function isMdp(x: unknown): x is ExecutionMdp {
  return typeof x === 'object' && x !== null && 'trans' in x && 'transI32' in x;
}
