/**
 * `LqDiffusionEnv`: the controlled SDE of the regret study, dX = (A·X + B·u) dt + (C·X + D·u) dW,
 * Euler-discretised on the grid t_k = k·dt, k = 0 … K (K = T/dt), as a Gymnasium-style environment.
 *
 * - observation (t, x) as a record and a flat Float64Array [t, x]; action u ∈ ℝ (Box(1), unbounded;
 *   a non-finite u is an error, never clamped).
 * - reward −½·Q·x_k²·dt per step (left point, as the actor–critic's running cost), plus −½·H·x_K² on
 *   the last step; `terminated` at t = T, never `truncated`. An episode's return estimates the
 *   objective without entropy, so for the Gaussian policy N(φ₁x, φ₂) its mean is ĵ(φ₁, φ₂) of
 *   src/lq/oracle.ts up to the O(dt) Euler bias.
 * - `info.optimalAction` = φ₁*·x at the returned observation (the optimal feedback); `info.regret` =
 *   ½·k(t_k)·D²·(u − φ₁*·x_k)²·dt, the step's regret contribution: the HJB Hamiltonian of the value
 *   V(t, x) = −½·k(t)·x² falls short of its maximum by exactly ½·k·D²·(u − φ₁*x)², so summed over an
 *   episode of a Gaussian policy it estimates ĵ(φ₁*, 0) − ĵ(φ₁, φ₂) in the dt → 0 limit.
 *   k solves k' = Δ·k − Q, k(T) = H (Δ of oracle.ts).
 * - Streams: episode e of `reset({ seed })`'s family draws from streamKey(experiment, seed, e), one
 *   ziggurat normal per step (ΔW = √dt·N); a later `reset()` moves to the next episode index.
 * - `step` after the end of an episode without `reset` is an error.
 */
import { z } from 'zod';
import { nextNormal, streamFromKey } from '../baseline/rng.js';
import { UsageError } from '../errors.js';
import { streamKey } from '../rng/streams.js';
import { type ZigguratTables, zigguratTables } from '../rng/ziggurat.js';
import { DEFAULT_MODEL, type LqModel } from './model.js';
import { optimalGain, riccatiRate } from './oracle.js';

/** The experiment id of the LQ environment's streams. */
export const LQ_ENV_EXPERIMENT = 'lq/env';

const finite = z.number().finite();
const modelSchema = z
  .object({
    A: finite,
    B: finite,
    C: finite,
    D: finite.refine((d) => d !== 0, { message: 'must be non-zero (the optimal gain divides by D²)' }),
    Q: finite.nonnegative(),
    H: finite.nonnegative(),
    x0: finite,
    T: finite.positive(),
    dt: finite.positive(),
  })
  .strict();

/** The regret study's model with `overrides` (strict: unknown keys refused); UsageError names the field. */
export function lqEnvModel(overrides: Partial<LqModel> = {}): LqModel {
  const parsed = modelSchema.safeParse({ ...DEFAULT_MODEL, ...overrides });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${issue?.path.join('.') || '(model)'}: ${issue?.message ?? 'invalid'}`);
  }
  const m = parsed.data;
  const steps = Math.round(m.T / m.dt);
  if (steps < 1 || Math.abs(steps * m.dt - m.T) > 1e-9 * m.T)
    throw new UsageError(`dt: T / dt must be a whole number of steps (T = ${m.T}, dt = ${m.dt})`);
  return m;
}

/** Euler steps per episode. */
export function lqSteps(m: LqModel): number {
  return Math.round(m.T / m.dt);
}

/** k(t), the Riccati solution of the optimal value −½·k(t)·x²: k' = Δ·k − Q, k(T) = H. */
export function riccati(m: LqModel, t: number): number {
  const delta = riccatiRate(m);
  const tau = m.T - t;
  if (delta === 0) return m.H + m.Q * tau;
  return m.Q / delta + (m.H - m.Q / delta) * Math.exp(-delta * tau);
}

/** Per-step weights ½·k(t_k)·D²·dt of the regret contribution (shared by both engines). */
export function regretWeights(m: LqModel): Float64Array {
  const steps = lqSteps(m);
  return Float64Array.from({ length: steps }, (_, k) => 0.5 * riccati(m, k * m.dt) * m.D * m.D * m.dt);
}

export interface LqObservation {
  readonly t: number;
  readonly x: number;
  readonly vector: Float64Array;
}

export interface LqInfo {
  /** φ₁*·x at the returned observation. */
  readonly optimalAction: number;
  readonly episodeIndex: number;
  /** The step's regret contribution ½·k(t)·D²·(u − φ₁*x)²·dt (0 after reset). */
  readonly regret: number;
  /** On the last step: the episode's return, summed regret contributions and terminal state. */
  readonly episode?: { readonly return: number; readonly regret: number; readonly xT: number };
}

export interface LqStep {
  readonly observation: LqObservation;
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  readonly info: LqInfo;
}

export class LqDiffusionEnv {
  readonly model: LqModel;
  readonly experiment: string;
  readonly steps: number;
  readonly phiStar: number;
  readonly actionSpace = {
    type: 'Box',
    shape: [1],
    low: [Number.NEGATIVE_INFINITY],
    high: [Number.POSITIVE_INFINITY],
  };
  readonly observationSpace: {
    readonly type: 'Box';
    readonly shape: readonly number[];
    readonly low: readonly number[];
    readonly high: readonly number[];
    readonly names: readonly string[];
  };
  private readonly weights: Float64Array;
  private readonly zig: ZigguratTables;
  private rng: Int32Array = new Int32Array(10);
  private seed = 0;
  private seeded = false;
  private episode = -1;
  private k = 0;
  private x = 0;
  private ret = 0;
  private regret = 0;
  private done = true;

  constructor(model: Partial<LqModel> = {}, options: { experiment?: string } = {}) {
    this.model = lqEnvModel(model);
    this.experiment = options.experiment ?? LQ_ENV_EXPERIMENT;
    this.steps = lqSteps(this.model);
    this.phiStar = optimalGain(this.model);
    this.weights = regretWeights(this.model);
    this.zig = zigguratTables();
    this.observationSpace = {
      type: 'Box',
      shape: [2],
      low: [0, Number.NEGATIVE_INFINITY],
      high: [this.model.T, Number.POSITIVE_INFINITY],
      names: ['t', 'x'],
    };
  }

  reset(options: { seed?: number; episode?: number } = {}): { observation: LqObservation; info: LqInfo } {
    if (options.seed !== undefined || !this.seeded) {
      const seed = options.seed ?? 0;
      if (!Number.isInteger(seed) || seed < 0)
        throw new RangeError(`LqDiffusionEnv.reset: seed must be a non-negative integer (got ${seed})`);
      this.seed = seed;
      this.seeded = true;
      this.episode = -1;
    }
    this.episode = options.episode ?? this.episode + 1;
    this.rng = streamFromKey(streamKey(this.experiment, this.seed, this.episode));
    this.k = 0;
    this.x = this.model.x0;
    this.ret = 0;
    this.regret = 0;
    this.done = false;
    return { observation: this.observation(), info: this.info(0) };
  }

  step(u: number): LqStep {
    if (this.done)
      throw new Error('LqDiffusionEnv.step: the episode has ended (terminated); call reset() first');
    if (typeof u !== 'number' || !Number.isFinite(u))
      throw new RangeError(
        `LqDiffusionEnv.step: action ${String(u)} is outside the action space (a finite number) (env 0)`,
      );
    const { A, B, C, D, Q, H, dt } = this.model;
    const x = this.x;
    const dev = u - this.phiStar * x;
    const reg = (this.weights[this.k] as number) * dev * dev;
    let reward = -0.5 * Q * x * x * dt;
    // The kernels' Euler step (assembly/lq/step.ts eulerNext), same operation order.
    const xn = x + (A * x + B * u) * dt + (C * x + D * u) * (Math.sqrt(dt) * nextNormal(this.rng, this.zig));
    if (!Number.isFinite(xn))
      throw new Error(`LqDiffusionEnv: non-finite state in episode ${this.episode} at step ${this.k}`);
    this.k++;
    const terminated = this.k === this.steps;
    if (terminated) reward += -0.5 * H * xn * xn;
    this.x = xn;
    this.ret += reward;
    this.regret += reg;
    this.done = terminated;
    const info = this.info(reg);
    return {
      observation: this.observation(),
      reward,
      terminated,
      truncated: false,
      info: terminated ? { ...info, episode: { return: this.ret, regret: this.regret, xT: xn } } : info,
    };
  }

  private observation(): LqObservation {
    const t = this.k * this.model.dt;
    return { t, x: this.x, vector: Float64Array.of(t, this.x) };
  }

  private info(regret: number): LqInfo {
    return { optimalAction: this.phiStar * this.x, episodeIndex: this.episode, regret };
  }
}
