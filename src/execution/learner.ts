/**
 * One Q-learning run on either engine (spec §2): the WASM kernel or its TS twin, on the same tables,
 * schedules and stream. The WASM run is split into a short first call (so V8 tiers the kernel up:
 * WASM has no on-stack replacement) and then large chunks that continue the same stream exactly.
 */
import {
  CK_STRIDE,
  EVAL_STRIDE,
  QL_RING,
  type QlRunBuffers,
  qlEvaluate as qlEvaluateJs,
  qlTrain as qlTrainJs,
} from '../baseline/execution.js';
import { streamFromKey } from '../baseline/rng.js';
import { runChunked, type ScalarEngine } from '../kernels/engine.js';
import { QlKernel } from '../kernels/execution.js';
import { Kernels } from '../kernels/wasm.js';
import type { LearnerConfig } from './config.js';
import type { ExecutionMdp } from './env.js';
import { type Schedules, schedules } from './schedules.js';

export interface TrainSpec {
  readonly mdp: ExecutionMdp;
  readonly learner: LearnerConfig;
  readonly key: bigint;
  /** V*_0 at each start state (for the Q error), and the obs-level reachability (visited share). */
  readonly vstar0: Float64Array;
  readonly reachObs: Uint8Array;
}

export interface Checkpoint {
  readonly episodes: number;
  /** Exact V^π̂(d0) of the greedy evaluation policy. */
  readonly value: number;
  readonly qError: number;
  readonly visited: number;
  /** Mean discounted return of the last ≤ 100 training episodes. */
  readonly movingReturn: number;
}

export interface TrainResult {
  readonly Q: Float64Array;
  readonly counts: Uint32Array;
  /** Raw checkpoint records (n × 5): episodes, value, Q error, visited share, moving return. */
  readonly checkpoints: Float64Array;
  readonly steps: number;
  /** 0, or the 1-based index of the first episode that went non-finite (kernels/engine.ts). */
  readonly status: number;
}

/** Decodes the raw checkpoint records. */
export function decodeCheckpoints(raw: Float64Array): Checkpoint[] {
  const out: Checkpoint[] = [];
  for (let i = 0; i + CK_STRIDE <= raw.length; i += CK_STRIDE)
    out.push({
      episodes: raw[i] as number,
      value: raw[i + 1] as number,
      qError: raw[i + 2] as number,
      visited: raw[i + 3] as number,
      movingReturn: raw[i + 4] as number,
    });
  return out;
}

const FIRST_CHUNK = 64;
const CHUNK_STEPS = 5e7;

/** Episodes 0 … E in calls: a short first call, then chunks of ≈ CHUNK_STEPS steps. */
function trainChunked(
  spec: TrainSpec,
  call: (from: number, to: number) => number,
  progress: ((episodes: number) => void) | undefined,
): number {
  const chunk = Math.max(1, Math.floor(CHUNK_STEPS / spec.mdp.horizon));
  const plan = { from: 0, to: spec.learner.episodes, first: FIRST_CHUNK, chunk };
  return runChunked(plan, call, (from, to) => progress?.(to - from));
}

/** The twin's buffers for a run (fresh Q = qInit, counts 0). */
export function jsBuffers(spec: TrainSpec, s: Schedules = schedules(spec.learner)): QlRunBuffers {
  const m = spec.mdp;
  const nq = m.horizon * m.obsStates * m.actions;
  const Q = new Float64Array(nq).fill(Number.NEGATIVE_INFINITY);
  for (let r = 0; r < m.horizon * m.obsStates; r++)
    Q.fill(spec.learner.qInit, r * m.actions, r * m.actions + (m.obsFeasible[r % m.obsStates] as number));
  return {
    trans: m.trans,
    transI32: m.transI32,
    feasible: m.feasible,
    obs: m.obs,
    obsFeasible: m.obsFeasible,
    starts: m.starts,
    startCum: m.startCum,
    startProb: m.startProb,
    inventory: m.inventory,
    Q,
    counts: new Uint32Array(nq),
    lr: s.lr,
    rng: streamFromKey(spec.key),
    ckEpisodes: s.checkpoints,
    ckOut: new Float64Array(s.checkpoints.length * CK_STRIDE),
    reach: spec.reachObs,
    vstar0: spec.vstar0,
    horizon: m.horizon,
    states: m.states,
    actions: m.actions,
    outcomes: m.outcomes,
    obsStates: m.obsStates,
    gamma: m.gamma,
    epsKind: s.epsKind,
    eps0: s.eps0,
    eps1: s.eps1,
    epsFE: s.epsFE,
    epsDecay: s.epsDecay,
    omega: s.omega,
    alphaMin: s.alphaMin,
    state: { ckNext: 0, epsRaw: s.eps0, steps: 0, ring: new Float64Array(QL_RING) },
  };
}

/** A run on the TS twin. */
export function trainJs(spec: TrainSpec, progress?: (episodes: number) => void): TrainResult {
  const b = jsBuffers(spec);
  const status = trainChunked(spec, (from, to) => qlTrainJs(b, from, to), progress);
  return { Q: b.Q, counts: b.counts, checkpoints: b.ckOut, steps: b.state.steps, status };
}

/** A run on the WASM kernel (a fresh instance of `module`); the kernel stays open for evaluation. */
export function trainWasm(
  spec: TrainSpec,
  module: WebAssembly.Module,
  progress?: (episodes: number) => void,
): TrainResult & { kernel: QlKernel } {
  const kernel = new QlKernel(
    new Kernels(module),
    spec.mdp,
    schedules(spec.learner),
    spec.learner.qInit,
    spec.vstar0,
    spec.reachObs,
  );
  kernel.seed(spec.key);
  const status = trainChunked(spec, (from, to) => kernel.train(from, to), progress);
  return {
    Q: kernel.q(),
    counts: kernel.counts(),
    checkpoints: kernel.checkpoints(),
    steps: kernel.steps(),
    status,
    kernel,
  };
}

/** Monte Carlo evaluation of a policy over env states on either engine: (return, q_N, T_liq) rows. */
export function evaluateMc(
  mdp: ExecutionMdp,
  policy: Int32Array,
  key: bigint,
  episodes: number,
  engine: ScalarEngine,
  kernel?: QlKernel,
): Float64Array {
  if (engine === 'wasm') {
    if (!kernel) throw new Error('quantrl: wasm evaluation needs the run kernel');
    return kernel.evaluate(policy, key, episodes);
  }
  const out = new Float64Array(episodes * EVAL_STRIDE);
  qlEvaluateJs(mdp, policy, streamFromKey(key), episodes, out);
  return out;
}
