/**
 * Vectorised environments: `makeVectorEnv(kind, { num, seed, config })` steps `num` environments of one
 * study per call inside a WASM kernel (engine 'wasm', the default) or through the single JS
 * environment objects one at a time (engine 'js', the kernels' twin: same streams, same numbers).
 *
 * Protocol (the shape of Gymnasium's / Stable-Baselines' vector envs, over shared typed arrays):
 * ```ts
 * const venv = await makeVectorEnv('market-making', { num: 1024, seed: 0, config: { regime: 'const' } });
 * venv.reset();                                  // fills venv.observations (num × observationSize)
 * for (let s = 0; s < 1000; s++) {
 *   for (let i = 0; i < venv.num; i++) venv.actions[i] = myPolicy(venv.observation(i));
 *   venv.step();                                 // rewards, terminated, truncated, observations
 * }
 * ```
 * - Automatic reset, same step: when environment i's episode ends, `terminated[i]` or `truncated[i]`
 *   is 1, its last observation is in `finalObservations` and its episode record in `episodes`, and
 *   `observations` already holds the first observation of its next episode.
 * - Streams: environment i has its own. Market making and LQ: environment i plays episodes
 *   i, i + num, i + 2·num, … of the family streamKey(experiment, seed, ·) — the single env's episodes of
 *   those indices (for market making, the simulator's). Execution: environment i owns the stream
 *   streamKey(experiment, seed, i) for all its episodes, as `ExecutionEnv.reset({ seed: thatKey })`.
 * - Bad input: actions outside the space (or outside the feasible prefix for execution) throw a
 *   RangeError listing every offending env index with its action; nothing is stepped.
 */
import type { EnvInput } from '../execution/config.js';
import { buildMdp, type ExecutionMdp } from '../execution/env.js';
import { ExecutionEnv } from '../execution/gym.js';
import { VectorKernel } from '../kernels/vector-env.js';
import { compileKernels, Kernels } from '../kernels/wasm.js';
import { configBlock, initialState, paramBlock } from '../lob/blocks.js';
import {
  actionCount,
  actionLabels,
  type BoxSpace,
  type DiscreteSpace,
  LOB_EVALUATE_EXPERIMENT,
  MarketMakingEnv,
  marketMakingObservationSpace,
  observationSize,
} from '../lob/env.js';
import { intensityTable } from '../lob/intensities.js';
import { C_ACTIONS, OUT_STRIDE, RATES_LEN, STATE_SLOTS } from '../lob/layout.js';
import { type LobModel, resolveModel } from '../lob/model.js';
import { LQ_ENV_EXPERIMENT, LqDiffusionEnv, lqEnvModel, lqSteps, regretWeights } from '../lq/env.js';
import type { LqModel } from '../lq/model.js';
import { optimalGain } from '../lq/oracle.js';
import { streamBase, streamKey, xoshiroState } from '../rng/streams.js';

export const ENV_KINDS = ['market-making', 'lq', 'execution'] as const;
export type EnvKind = (typeof ENV_KINDS)[number];
export type VectorEngine = 'wasm' | 'js';

/** The experiment id of the execution environment's vector streams. */
export const EXECUTION_ENV_EXPERIMENT = 'execution/env';

export interface VectorEnvOptions {
  readonly num: number;
  readonly seed?: number;
  /**
   * market-making: `{ regime, ...model fields }` (src/lob/model.ts; default regime 'const');
   * lq: model fields of src/lq/model.ts; execution: an environment config (src/execution/config.ts).
   */
  readonly config?: unknown;
  readonly engine?: VectorEngine;
  /** Stream family id (defaults: 'lob/evaluate', 'lq/env', 'execution/env'). */
  readonly experiment?: string;
  /** A compiled module to instantiate (default: the release build). */
  readonly module?: WebAssembly.Module;
}

export interface VectorEnv {
  readonly kind: EnvKind;
  readonly engine: VectorEngine;
  readonly num: number;
  readonly observationSize: number;
  readonly actionSpace: DiscreteSpace | BoxSpace;
  readonly observationSpace: BoxSpace;
  /** Write the actions here (Int32Array for discrete spaces, Float64Array for LQ), then call step(). */
  readonly actions: Int32Array | Float64Array;
  readonly observations: Float64Array;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly finalObservations: Float64Array;
  /** Row i (episodeStride values) = the record of env i's episode that ended on the last step. */
  readonly episodes: Float64Array;
  readonly episodeStride: number;
  /**
   * Per-step info arrays: market-making `actionMask` (num × n, all ones: every index is admissible);
   * lq `optimalAction` (φ₁*·x at the returned observation) and `regret` (the step's contribution);
   * execution `feasible` (the feasible prefix length at the returned observation).
   */
  readonly info: Readonly<Record<string, Float64Array | Int32Array | Uint8Array>>;
  /** Row i of `observations` (a view). */
  observation(i: number): Float64Array;
  reset(): void;
  step(): void;
}

/** Builds a vector env; the wasm engine compiles the release build once per process. */
export async function makeVectorEnv(kind: EnvKind, options: VectorEnvOptions): Promise<VectorEnv> {
  const num = options.num;
  if (!Number.isInteger(num) || num < 1 || num > 1 << 20)
    throw new RangeError(`makeVectorEnv: num must be an integer in [1, 2^20] (got ${num})`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0)
    throw new RangeError(`makeVectorEnv: seed must be a non-negative integer (got ${seed})`);
  if (!(ENV_KINDS as readonly string[]).includes(kind))
    throw new RangeError(`makeVectorEnv: unknown kind '${kind}' (expected ${ENV_KINDS.join(', ')})`);
  const engine = options.engine ?? 'wasm';
  const spec = describe(kind, options.config, options.experiment);
  if (engine === 'js') return new JsVectorEnv(spec, num, seed);
  const module = options.module ?? (await compileKernels('release'));
  return new WasmVectorEnv(spec, num, seed, new Kernels(module));
}

// ---------------------------------------------------------------------------------------------------

/** What both engines need to know about a kind. */
type Spec =
  | { kind: 'market-making'; experiment: string; model: LobModel; space: Spaces }
  | { kind: 'lq'; experiment: string; model: LqModel; space: Spaces }
  | { kind: 'execution'; experiment: string; mdp: ExecutionMdp; space: Spaces };

interface Spaces {
  readonly action: DiscreteSpace | BoxSpace;
  readonly observation: BoxSpace;
  readonly obsSize: number;
  readonly episodeStride: number;
  readonly discrete: boolean;
}

function describe(kind: EnvKind, config: unknown, experiment: string | undefined): Spec {
  if (kind === 'market-making') {
    const { regime = 'const', ...overrides } = (config ?? {}) as { regime?: string } & Record<
      string,
      unknown
    >;
    const model = resolveModel(regime, overrides);
    const ac = configBlock(model)[C_ACTIONS] as number;
    return {
      kind,
      model,
      experiment: experiment ?? LOB_EVALUATE_EXPERIMENT,
      space: {
        action: { type: 'Discrete', n: actionCount(ac), labels: actionLabels(ac) },
        observation: marketMakingObservationSpace(model),
        obsSize: observationSize(model.K),
        episodeStride: OUT_STRIDE,
        discrete: true,
      },
    };
  }
  if (kind === 'lq') {
    const model = lqEnvModel((config ?? {}) as Partial<LqModel>);
    const inf = Number.POSITIVE_INFINITY;
    return {
      kind,
      model,
      experiment: experiment ?? LQ_ENV_EXPERIMENT,
      space: {
        action: box(['u'], [-inf], [inf]),
        observation: box(['t', 'x'], [0, -inf], [model.T, inf]),
        obsSize: 2,
        episodeStride: 3,
        discrete: false,
      },
    };
  }
  const mdp = buildMdp((config ?? { variant: 'impact' }) as EnvInput);
  return {
    kind,
    mdp,
    experiment: experiment ?? EXECUTION_ENV_EXPERIMENT,
    space: {
      action: { type: 'Discrete', n: mdp.actions, labels: mdp.actionLabels },
      observation: box(
        ['t', 'q', 'index', 'state'],
        [0, 0, 0, 0],
        [mdp.horizon, mdp.q0, mdp.obsStates - 1, mdp.states - 1],
      ),
      obsSize: 4,
      episodeStride: 1,
      discrete: true,
    },
  };
}

function box(names: string[], low: number[], high: number[]): BoxSpace {
  return {
    type: 'Box',
    shape: [names.length],
    low: Float64Array.from(low),
    high: Float64Array.from(high),
    names,
  };
}

/** The RangeError for actions outside the space, listing every offending env. */
function badActions(
  kind: EnvKind,
  space: string,
  indices: ArrayLike<number>,
  count: number,
  actions: ArrayLike<number>,
): RangeError {
  const list = Array.from({ length: count }, (_, j) => {
    const i = indices[j] as number;
    return `env ${i} (action ${String(actions[i])})`;
  });
  return new RangeError(`${kind} vector env: ${count} action(s) outside ${space}: ${list.join(', ')}`);
}

function spaceName(spec: Spec): string {
  if (spec.kind === 'lq') return 'the action space (finite numbers)';
  if (spec.kind === 'execution') return 'the feasible actions of their state (info.feasible)';
  return `Discrete(${(spec.space.action as DiscreteSpace).n})`;
}

abstract class BaseVectorEnv implements VectorEnv {
  readonly kind: EnvKind;
  readonly observationSize: number;
  readonly actionSpace: DiscreteSpace | BoxSpace;
  readonly observationSpace: BoxSpace;
  readonly episodeStride: number;
  abstract readonly engine: VectorEngine;
  abstract readonly actions: Int32Array | Float64Array;
  abstract readonly observations: Float64Array;
  abstract readonly rewards: Float64Array;
  abstract readonly terminated: Uint8Array;
  abstract readonly truncated: Uint8Array;
  abstract readonly finalObservations: Float64Array;
  abstract readonly episodes: Float64Array;
  abstract readonly info: Readonly<Record<string, Float64Array | Int32Array | Uint8Array>>;
  protected started = false;

  constructor(
    protected readonly spec: Spec,
    readonly num: number,
    readonly seed: number,
  ) {
    this.kind = spec.kind;
    this.observationSize = spec.space.obsSize;
    this.actionSpace = spec.space.action;
    this.observationSpace = spec.space.observation;
    this.episodeStride = spec.space.episodeStride;
  }

  observation(i: number): Float64Array {
    return this.observations.subarray(i * this.observationSize, (i + 1) * this.observationSize);
  }

  protected checkStarted(): void {
    if (!this.started) throw new Error(`${this.kind} vector env: call reset() before step()`);
  }

  abstract reset(): void;
  abstract step(): void;
}

// ---------------------------------------------------------------------------------------------------
// WASM engine

class WasmVectorEnv extends BaseVectorEnv {
  readonly engine = 'wasm' as const;
  readonly actions: Int32Array | Float64Array;
  readonly observations: Float64Array;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly finalObservations: Float64Array;
  readonly episodes: Float64Array;
  readonly info: Readonly<Record<string, Float64Array | Int32Array | Uint8Array>>;
  private readonly kernel: VectorKernel;
  private readonly bad: Int32Array;
  private readonly base: bigint;

  constructor(spec: Spec, num: number, seed: number, k: Kernels) {
    super(spec, num, seed);
    const d = spec.space.obsSize;
    const common = [
      { slot: 'ACTIONS', bytes: num * (spec.space.discrete ? 4 : 8) },
      { slot: 'OBS', bytes: num * d * 8 },
      { slot: 'REWARDS', bytes: num * 8 },
      { slot: 'TERMINATED', bytes: num },
      { slot: 'TRUNCATED', bytes: num },
      { slot: 'FINAL_OBS', bytes: num * d * 8 },
      { slot: 'EPISODES', bytes: num * spec.space.episodeStride * 8 },
      { slot: 'BAD', bytes: num * 4 },
    ];
    this.base = streamBase(spec.experiment, seed);
    if (spec.kind === 'market-making') {
      const m = spec.model;
      this.kernel = new VectorKernel(k, 'lob', [
        ...common,
        { slot: 'CFG', data: configBlock(m) },
        { slot: 'PRM', data: paramBlock(m) },
        { slot: 'TBL', data: intensityTable(m) },
        { slot: 'INIT', data: initialState(m) },
        { slot: 'STATES', bytes: num * STATE_SLOTS * 4 },
        { slot: 'SCRATCH', bytes: STATE_SLOTS * 4 },
        { slot: 'RATES', bytes: RATES_LEN * 8 },
        { slot: 'RNG', bytes: num * 32 },
        { slot: 'ENVF', bytes: num * k.constant('LOBV_F_SLOTS') * 8 },
        { slot: 'ENVI', bytes: num * k.constant('LOBV_I_SLOTS') * 4 },
      ]);
      const n = (spec.space.action as DiscreteSpace).n;
      this.info = { actionMask: new Uint8Array(num * n).fill(1) };
    } else if (spec.kind === 'lq') {
      const m = spec.model;
      const prm = new Float64Array(k.constant('LQV_PARAM_SLOTS'));
      const put = (name: string, v: number) => {
        prm[k.constant(`LQV_P_${name}`)] = v;
      };
      put('A', m.A);
      put('B', m.B);
      put('C', m.C);
      put('D', m.D);
      put('Q', m.Q);
      put('H', m.H);
      put('X0', m.x0);
      put('DT', m.dt);
      put('PHI_STAR', optimalGain(m));
      put('STEPS', lqSteps(m));
      this.kernel = new VectorKernel(k, 'lq', [
        ...common,
        { slot: 'PRM', data: prm },
        { slot: 'REGRET_W', data: regretWeights(m) },
        { slot: 'RNG', bytes: num * 32 },
        { slot: 'ENVF', bytes: num * k.constant('LQV_F_SLOTS') * 8 },
        { slot: 'ENVI', bytes: num * k.constant('LQV_I_SLOTS') * 4 },
        { slot: 'OPTIMAL', bytes: num * 8 },
        { slot: 'REGRET', bytes: num * 8 },
      ]);
      this.info = {};
    } else {
      const x = spec.mdp;
      const dims = new Int32Array(k.constant('EXV_DIM_SLOTS'));
      dims[k.constant('EXV_N_HORIZON')] = x.horizon;
      dims[k.constant('EXV_N_STATES')] = x.states;
      dims[k.constant('EXV_N_ACTIONS')] = x.actions;
      dims[k.constant('EXV_N_OUTCOMES')] = x.outcomes;
      this.kernel = new VectorKernel(k, 'exec', [
        ...common,
        { slot: 'DIMS', data: dims },
        { slot: 'TRANS', data: x.trans },
        { slot: 'FEASIBLE', data: x.feasible },
        { slot: 'OBS_INDEX', data: x.obs },
        { slot: 'INVENTORY', data: x.inventory },
        { slot: 'STARTS', data: x.starts },
        { slot: 'START_CUM', data: x.startCum },
        { slot: 'RNG', bytes: num * 32 },
        { slot: 'ENVI', bytes: num * k.constant('EXV_I_SLOTS') * 4 },
        { slot: 'RETURNS', bytes: num * 8 },
        { slot: 'FEASIBLE_OUT', bytes: num * 4 },
      ]);
      this.info = {};
    }
    const kn = this.kernel;
    if (spec.kind !== 'execution') kn.point('ZIG', k.zig);
    this.actions = spec.space.discrete ? kn.i32('ACTIONS', num) : kn.f64('ACTIONS', num);
    this.observations = kn.f64('OBS', num * d);
    this.rewards = kn.f64('REWARDS', num);
    this.terminated = kn.u8('TERMINATED', num);
    this.truncated = kn.u8('TRUNCATED', num);
    this.finalObservations = kn.f64('FINAL_OBS', num * d);
    this.episodes = kn.f64('EPISODES', num * spec.space.episodeStride);
    this.bad = kn.i32('BAD', num);
    if (spec.kind === 'lq')
      this.info = { optimalAction: kn.f64('OPTIMAL', num), regret: kn.f64('REGRET', num) };
    if (spec.kind === 'execution') this.info = { feasible: kn.i32('FEASIBLE_OUT', num) };
  }

  reset(): void {
    if (this.spec.kind === 'execution') {
      const rng = this.kernel.u64('RNG', 4 * this.num);
      for (let i = 0; i < this.num; i++)
        rng.set(xoshiroState(streamKey(this.spec.experiment, this.seed, i)), 4 * i);
    }
    this.kernel.reset(this.base, this.num);
    this.started = true;
  }

  step(): void {
    this.checkStarted();
    const status = this.kernel.step(this.base, this.num);
    if (status > 0) throw badActions(this.kind, spaceName(this.spec), this.bad, status, this.actions);
    if (status < 0) {
      const i = -status - 1;
      throw new Error(`${this.kind} vector env: env ${i}: non-finite state or zero total intensity`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// JS engine: the single environments stepped one at a time (the kernels' twin)

class JsVectorEnv extends BaseVectorEnv {
  readonly engine = 'js' as const;
  readonly actions: Int32Array | Float64Array;
  readonly observations: Float64Array;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly finalObservations: Float64Array;
  readonly episodes: Float64Array;
  readonly info: Readonly<Record<string, Float64Array | Int32Array | Uint8Array>>;
  private readonly envs: (MarketMakingEnv | LqDiffusionEnv | ExecutionEnv)[];
  private readonly episodeIndex: Int32Array;
  private readonly returns: Float64Array;

  constructor(spec: Spec, num: number, seed: number) {
    super(spec, num, seed);
    const d = spec.space.obsSize;
    this.actions = spec.space.discrete ? new Int32Array(num) : new Float64Array(num);
    this.observations = new Float64Array(num * d);
    this.rewards = new Float64Array(num);
    this.terminated = new Uint8Array(num);
    this.truncated = new Uint8Array(num);
    this.finalObservations = new Float64Array(num * d);
    this.episodes = new Float64Array(num * spec.space.episodeStride);
    this.episodeIndex = new Int32Array(num);
    this.returns = new Float64Array(num);
    this.envs = Array.from({ length: num }, () => {
      if (spec.kind === 'market-making')
        return new MarketMakingEnv(spec.model, { experiment: spec.experiment });
      if (spec.kind === 'lq') return new LqDiffusionEnv(spec.model, { experiment: spec.experiment });
      return new ExecutionEnv(spec.mdp);
    });
    if (spec.kind === 'market-making')
      this.info = { actionMask: new Uint8Array(num * (spec.space.action as DiscreteSpace).n).fill(1) };
    else if (spec.kind === 'lq')
      this.info = { optimalAction: new Float64Array(num), regret: new Float64Array(num) };
    else this.info = { feasible: new Int32Array(num) };
  }

  reset(): void {
    for (let i = 0; i < this.num; i++) this.start(i, i, true);
    this.started = true;
  }

  /** Starts episode `ep` of env i (market making, LQ) or its next episode (execution). */
  private start(i: number, ep: number, first: boolean): void {
    const env = this.envs[i] as MarketMakingEnv | LqDiffusionEnv | ExecutionEnv;
    const row = this.observation(i);
    this.episodeIndex[i] = ep;
    if (env instanceof MarketMakingEnv) {
      row.set(env.reset({ seed: this.seed, episode: ep }).observation.vector);
    } else if (env instanceof LqDiffusionEnv) {
      const r = env.reset({ seed: this.seed, episode: ep });
      row.set(r.observation.vector);
      (this.info.optimalAction as Float64Array)[i] = r.info.optimalAction;
    } else {
      const r = first ? env.reset({ seed: streamKey(this.spec.experiment, this.seed, i) }) : env.reset();
      execRow(row, r.observation);
      (this.info.feasible as Int32Array)[i] = r.info.feasible;
      this.returns[i] = 0;
    }
  }

  step(): void {
    this.checkStarted();
    const bad: number[] = [];
    for (let i = 0; i < this.num; i++) if (!this.valid(i, this.actions[i] as number)) bad.push(i);
    if (bad.length > 0) throw badActions(this.kind, spaceName(this.spec), bad, bad.length, this.actions);
    const stride = this.episodeStride;
    for (let i = 0; i < this.num; i++) {
      const env = this.envs[i] as MarketMakingEnv | LqDiffusionEnv | ExecutionEnv;
      const a = this.actions[i] as number;
      let done = false;
      if (env instanceof MarketMakingEnv) {
        const r = env.step(a);
        done = this.record(i, r.reward, r.terminated, r.truncated, r.observation.vector);
        if (done) this.episodes.set((r.info.episode as { record: Float64Array }).record, i * stride);
      } else if (env instanceof LqDiffusionEnv) {
        const r = env.step(a);
        (this.info.regret as Float64Array)[i] = r.info.regret;
        (this.info.optimalAction as Float64Array)[i] = r.info.optimalAction;
        done = this.record(i, r.reward, r.terminated, false, r.observation.vector);
        const ep = r.info.episode;
        if (ep) this.episodes.set([ep.return, ep.regret, ep.xT], i * stride);
      } else {
        const r = env.step(a);
        const v = new Float64Array(4);
        execRow(v, r.observation);
        this.returns[i] = (this.returns[i] as number) + r.reward;
        done = this.record(i, r.reward, r.terminated, r.truncated, v);
        if (done) this.episodes[i] = this.returns[i] as number;
        else (this.info.feasible as Int32Array)[i] = r.info.feasible;
      }
      if (done) this.start(i, (this.episodeIndex[i] as number) + this.num, false);
    }
  }

  private valid(i: number, a: number): boolean {
    if (this.spec.kind === 'lq') return Number.isFinite(a);
    if (this.spec.kind === 'execution')
      return a >= 0 && a < ((this.info.feasible as Int32Array)[i] as number);
    return a >= 0 && a < (this.actionSpace as DiscreteSpace).n;
  }

  /** Writes reward and flags; returns whether the episode ended (its last observation goes to finalObservations). */
  private record(
    i: number,
    reward: number,
    terminated: boolean,
    truncated: boolean,
    obs: Float64Array,
  ): boolean {
    this.rewards[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    this.truncated[i] = truncated ? 1 : 0;
    const d = this.observationSize;
    const done = terminated || truncated;
    (done ? this.finalObservations : this.observations).set(obs, i * d);
    return done;
  }
}

function execRow(row: Float64Array, o: { t: number; q: number; index: number; state: number }): void {
  row[0] = o.t;
  row[1] = o.q;
  row[2] = o.index;
  row[3] = o.state;
}
