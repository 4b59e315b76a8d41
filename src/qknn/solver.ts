/**
 * The Qknn backward recursion (spec qknn-market-making §4.4–§4.10) in the U-representation
 * V = x + y·p_ref + U: per step n = N−1..0, per grid point and action, the exact expectation over the
 * next event (every branch of the post-decision state, cancels split ahead/behind) and over the
 * truncated waiting-time quantizer, each successor's U read at its nearest neighbour(s) in the next
 * step's grid (Φ = g at step N, evaluated exactly). Plain estimator: Û_n = max_a Q̂_n. Double
 * estimator: two independent grid sets; Û^A_n = Q^B(argmax_a Q^A), the policy is argmax (Q^A + Q^B)/2.
 * The policy-evaluation check runs the same recursion with the fixed action 11 (§4.9). In product
 * time mode (src/qknn/product.ts) the grids and the per-chunk Q̂ come from there; the recursion, the
 * estimators and the choice of action, per (grid point, time point), are the ones here.
 */
import { EnumeratorJs, enumerationSetup, type SuccessorBatch } from '../baseline/qknn-enumerate.js';
import type { ScalarEngine } from '../kernels/engine.js';
import type { KnnKernel } from '../kernels/knn.js';
import { EnumerateKernel } from '../kernels/qknn-enumerate.js';
import { Kernels } from '../kernels/wasm.js';
import {
  S_ASK_PRICE,
  S_ASK_RANK,
  S_ASK2_PRICE,
  S_BID_PRICE,
  S_BID_RANK,
  S_BID2_PRICE,
  S_PA,
  S_PB,
  STATE_SLOTS,
} from '../lob/layout.js';
import type { LobModel } from '../lob/model.js';
import { action11, actionCount, type QknnConfig, qknnModel, timePoints } from './config.js';
import { type FeatureSpec, qknnFeatureSpec } from './features.js';
import { gridFeatures, loadState, pointWidth, type StepGrid, simulateGrids } from './grids.js';
import { ProductValues, productGrids } from './product.js';
import { type ExpQuantizer, expQuantizer } from './quantizer.js';
import { type SearchTimes, StepIndex } from './step-index.js';

/**
 * One step of a trained policy: its grid (states and times), the policy table Â_n and the values Û_n
 * (product time mode: the step's time points, and J entries per grid point, row-major).
 */
export interface StepTable {
  readonly count: number;
  readonly grid: StepGrid;
  readonly actions: Uint8Array;
  readonly U: Float64Array;
  readonly taus?: Float64Array;
}

export interface Timings {
  simulateMs: number;
  enumerateMs: number;
  buildMs: number;
  queryMs: number;
  /** Nearest-neighbour queries searched, and successor reads before the successor cache. */
  queries: number;
  lookups: number;
  totalMs: number;
}

export interface TrainResult {
  readonly config: QknnConfig;
  readonly model: LobModel;
  readonly spec: FeatureSpec;
  /** The policy's steps (set A). */
  readonly steps: StepTable[];
  /** V̂_0 of each grid set (biased upward under the plain estimator, §4.10). */
  readonly V0: number[];
  /** V̂_0 of the fixed policy 11 by the same recursion on set A (policy-evaluation check, §4.9). */
  readonly V0of11: number;
  /** Set A's grids (pre-decision states, times, features per step). */
  readonly grids: StepGrid[];
  /** Grid points per step before and after de-duplication (set A). */
  readonly rawPoints: number;
  readonly gridPoints: number;
  readonly timings: Timings;
}

export interface TrainOptions {
  readonly engine?: ScalarEngine;
  readonly kernel?: KnnKernel;
  /** Called after each backward step (n from N−1 down to 0). */
  readonly onStep?: (n: number, N: number) => void;
  /** Skip the policy-evaluation check (tests that only need the policy). */
  readonly skipCheck?: boolean;
  /** Policy-evaluation mode: every grid point plays this action (no max). */
  readonly fixedAction?: number;
}

const CHUNK = 512;

/**
 * Successor evaluation of one training run and thread: the batched enumeration (the WASM kernel under
 * engine 'wasm', its TS twin under 'js') and the projection of its queries on the next step's grid.
 */
class Enumerator {
  readonly nA: number;
  readonly maxQ: number;
  private readonly batch: SuccessorBatch;
  private readonly full: Int32Array;
  private readonly z = new Int32Array(STATE_SLOTS);

  private readonly k: number;

  /** With `module`, the WASM kernel on an instance of its own; else the TS twin. */
  constructor(
    c: QknnConfig,
    model: LobModel,
    spec: FeatureSpec,
    q: ExpQuantizer,
    module?: WebAssembly.Module,
  ) {
    const setup = enumerationSetup(c, model, spec, q, CHUNK);
    this.nA = setup.nA;
    this.maxQ = setup.maxQ;
    this.k = c.k;
    this.batch = module ? new EnumerateKernel(new Kernels(module), setup) : new EnumeratorJs(setup);
    this.full = new Int32Array(CHUNK * STATE_SLOTS);
  }

  /**
   * Enumerates grid points from..to−1 under the given actions: adds the closed-form parts to
   * q0[(i − from)·nA + a] and queues one query per (branch, quantizer cell) for the next step's index
   * (or evaluates Φ exactly when `next` is null).
   */
  enumerate(
    grid: StepGrid,
    from: number,
    to: number,
    actions: readonly number[],
    next: StepIndex | null,
    q0: Float64Array,
  ): void {
    // the batch reads whole state blocks: the chunk's compact states are expanded into them first
    const full = this.full;
    for (let i = from; i < to; i++) full.set(loadState(grid, i, this.z), (i - from) * STATE_SLOTS);
    this.batch.enumerate(full, grid.times.subarray(from, to), 0, to - from, actions, next !== null, q0);
  }

  /** Adds the queued contributions, read in `next` with values `U`, to out[slot]. */
  project(next: StepIndex, U: Float64Array, out: Float64Array, idx: Int32Array): void {
    const { k } = this;
    const { qFeat, nq, nc, cRow, cTarget, cWeight, cBase } = this.batch;
    next.search(qFeat, nq, idx, nc);
    for (let j = 0; j < nc; j++) {
      const row = cRow[j] as number;
      let u = 0;
      for (let r = 0; r < k; r++) u += U[idx[row * k + r] as number] as number;
      const slot = cTarget[j] as number;
      out[slot] = (out[slot] as number) + (cWeight[j] as number) * ((cBase[j] as number) + u / k);
    }
  }
}

/** Q̂ in U-space of every action at one state (t, z), successors read in `next` with values U. */
export type StateQ = (st: Int32Array, t: number, next: StepIndex | null, U: Float64Array) => Float64Array;

/**
 * Q̂ of one state at a time: the exact enumeration of the next event, each successor read at its nearest
 * neighbour(s) in `next` (Φ exactly when `next` is null, i.e. at the last step or after an empty grid).
 * Forward evaluation's one-step look-ahead (§4.8) and the last-step checks of §5.3 use it.
 */
export function stateQ(c: QknnConfig): StateQ {
  const model = qknnModel(c);
  const spec = qknnFeatureSpec(c, model);
  const enumr = new Enumerator(c, model, spec, expQuantizer(c.L));
  const all = Array.from({ length: enumr.nA }, (_, a) => a);
  const q = new Float64Array(CHUNK * enumr.nA);
  const idx = new Int32Array(enumr.maxQ * c.k);
  const grid: StepGrid = {
    count: 1,
    slots: Int32Array.from({ length: STATE_SLOTS }, (_, s) => s),
    states: new Int32Array(STATE_SLOTS),
    times: new Float64Array(1),
  };
  return (st, t, next, U) => {
    grid.states.set(st.subarray(0, STATE_SLOTS));
    grid.times[0] = t;
    q.fill(0, 0, enumr.nA);
    enumr.enumerate(grid, 0, 1, all, next, q);
    if (next) enumr.project(next, U, q, idx);
    return q.slice(0, enumr.nA);
  };
}

/** Q̂ of every action when the next step is the last (Φ at N): no projection (§5.3 checks 4 and 5). */
export function lastStepQ(c: QknnConfig, st: Int32Array, t: number): Float64Array {
  return stateQ(c)(st, t, null, new Float64Array(0));
}

/** A2lim16's mask of a side's resting orders (bit 0 at the best, bit 1 behind it), or −1 if both are behind. */
function sideMask16(st: Int32Array, side: number): number {
  const best = st[side === 0 ? S_PA : S_PB] as number;
  let mask = 0;
  for (const p of side === 0 ? [S_ASK_PRICE, S_ASK2_PRICE] : [S_BID_PRICE, S_BID2_PRICE]) {
    if ((st[p + 1] as number) <= 0) continue;
    const bit = st[p] === best ? 1 : 2;
    if (mask & bit) return -1;
    mask |= bit;
  }
  return mask;
}

/** The action that leaves the current orders as they are, or −1. */
function currentAction(c: QknnConfig, st: Int32Array): number {
  if (c.actions === 'A2lim16') {
    const ask = sideMask16(st, 0),
      bid = sideMask16(st, 1);
    return ask < 0 || bid < 0 ? -1 : ask * 4 + bid;
  }
  const label = (rank: number, price: number, best: number, behind: boolean) =>
    rank <= 0 ? 0 : price === best ? 1 : behind && c.actions === 'A2lim' ? 2 : -1;
  const ask = label(st[S_ASK_RANK] as number, st[S_ASK_PRICE] as number, st[S_PA] as number, true);
  const bid = label(st[S_BID_RANK] as number, st[S_BID_PRICE] as number, st[S_PB] as number, true);
  if (ask < 0 || bid < 0) return -1;
  return c.actions === 'A1lim' ? ask * 2 + bid : ask * 3 + bid;
}

/** argmax over the nA values at q[o..], ties to the current configuration, then the lowest index. */
function argmax(q: Float64Array, o: number, nA: number, current: number): number {
  let best = 0;
  for (let a = 1; a < nA; a++) if ((q[o + a] as number) > (q[o + best] as number)) best = a;
  if (current >= 0 && q[o + current] === q[o + best]) best = current;
  return best;
}

/** The recursion's choice among Q̂ values q at state st (ties to the current configuration, then the lowest index). */
export function greedyAction(c: QknnConfig, st: Int32Array, q: Float64Array): number {
  return argmax(q, 0, q.length, currentAction(c, st));
}

/** A step n's grid and step n+1's index and values, as one set's recursion reads them. */
export interface NextStep {
  readonly idx: StepIndex | null;
  readonly U: Float64Array;
  /** Product time mode: the step's time points. */
  readonly taus?: Float64Array;
}

/**
 * One backward step of one grid set: `own` is the set's step n+1; `other` the other set's under the
 * double estimator; `fixed` plays one action everywhere (policy evaluation).
 */
export interface StepJob {
  readonly n: number;
  readonly grid: StepGrid;
  readonly own: NextStep;
  readonly other?: NextStep;
  readonly fixed?: number;
}

export interface StepOut {
  readonly U: Float64Array;
  readonly policy: Uint8Array;
}

/** Per-thread scratch of the per-grid-point work (one per host or per pool worker). */
export class ChunkSolver {
  /** Joint time mode's enumeration (with its query batch); product mode has its own. */
  private readonly enumr: Enumerator | undefined;
  private readonly nA: number;
  private readonly st = new Int32Array(STATE_SLOTS);
  /** Product time mode's Q̂ (values per state and time point), else undefined. */
  private readonly product: ProductValues | undefined;
  private readonly idx: Int32Array;
  private readonly q0: Float64Array;
  private readonly qOther: Float64Array;
  enumerateMs = 0;

  /** `module`: enumerate with the WASM kernel (engine 'wasm'); without it, with the TS twin. */
  constructor(
    readonly c: QknnConfig,
    module?: WebAssembly.Module,
  ) {
    const model = qknnModel(c);
    const spec = qknnFeatureSpec(c, model);
    this.nA = actionCount(c);
    const joint = c.timeMode !== 'product';
    this.enumr = joint ? new Enumerator(c, model, spec, expQuantizer(c.L), module) : undefined;
    this.product = joint ? undefined : new ProductValues(c, model, spec, CHUNK);
    this.idx = new Int32Array(this.enumr ? this.enumr.maxQ * c.k : 0);
    this.q0 = new Float64Array(CHUNK * this.nA * timePoints(c));
    this.qOther = new Float64Array(CHUNK * this.nA * timePoints(c));
  }

  /**
   * Grid points from..to−1 of `job`: Û into U[i − from], Â into policy[i − from] (product mode: W = J
   * entries per grid point, at (i − from)·W + j). Every grid point's result depends only on step n+1,
   * so any split of a step into ranges gives the same bits.
   */
  solve(job: StepJob, from: number, to: number, U: Float64Array, policy: Uint8Array): void {
    const { c, enumr, q0, qOther, idx, nA } = this;
    const { grid, own, other, fixed } = job;
    const W = pointWidth(grid);
    const actions = fixed === undefined ? Array.from({ length: nA }, (_, a) => a) : [fixed];
    for (let lo = from; lo < to; lo += CHUNK) {
      const hi = Math.min(to, lo + CHUNK);
      q0.fill(0);
      if (this.product) {
        this.enumerateMs += this.product.values(grid, lo, hi, actions, own, other, q0, qOther);
      } else if (enumr) {
        const te = performance.now();
        enumr.enumerate(grid, lo, hi, actions, own.idx, q0);
        this.enumerateMs += performance.now() - te;
        qOther.set(q0);
        if (own.idx) enumr.project(own.idx, own.U, q0, idx);
        if (other?.idx) enumr.project(other.idx, other.U, qOther, idx);
      }
      for (let i = lo; i < hi; i++) {
        const cur = currentAction(c, loadState(grid, i, this.st));
        for (let w = 0; w < W; w++) {
          const o = ((i - lo) * W + w) * nA;
          const a = fixed ?? argmax(q0, o, nA, cur);
          const out = (i - from) * W + w;
          if (fixed !== undefined || !other) {
            U[out] = other ? (qOther[o + a] as number) : (q0[o + a] as number);
            policy[out] = a;
          } else {
            U[out] = qOther[o + a] as number;
            for (let j = 0; j < nA; j++)
              qOther[o + j] = ((q0[o + j] as number) + (qOther[o + j] as number)) / 2;
            policy[out] = argmax(qOther, o, nA, cur);
          }
        }
      }
    }
  }
}

function emptyTimings(): Timings {
  return { simulateMs: 0, enumerateMs: 0, buildMs: 0, queryMs: 0, queries: 0, lookups: 0, totalMs: 0 };
}

/** What the recursion needs besides the per-step work: grids simulated and the index builder. */
interface Prepared {
  readonly model: LobModel;
  readonly spec: FeatureSpec;
  readonly sims: ReturnType<typeof simulateGrids>[];
  readonly searchTimes: SearchTimes;
  readonly timings: Timings;
  readonly makeIndex: (g: StepGrid | undefined) => StepIndex | null;
}

function prepare(c: QknnConfig, opts: TrainOptions): Prepared {
  const model = qknnModel(c);
  const spec = qknnFeatureSpec(c, model);
  const sets = c.estimator === 'double' ? ['A', 'B'] : ['A'];
  const timings = emptyTimings();
  const searchTimes: SearchTimes = { buildMs: 0, queryMs: 0, queries: 0, lookups: 0 };
  const reduce = c.timeMode === 'product' ? productGrids(c.J, c.D) : undefined;
  const sims = sets.map((s) => simulateGrids(c, model, spec, s, reduce));
  for (const s of sims) timings.simulateMs += s.simulateMs;
  const engine = opts.engine ?? 'js';
  // a step's features exist only while its index is built (the memory plan); computing them is build time
  const makeIndex = (g: StepGrid | undefined) => {
    if (!g || g.count === 0) return null;
    const t = performance.now();
    const feats = gridFeatures(spec, g);
    searchTimes.buildMs += performance.now() - t;
    return new StepIndex(feats, spec, c, engine, opts.kernel, searchTimes);
  };
  return { model, spec, sims, searchTimes, timings, makeIndex };
}

/** A grid's time points (product mode) as an optional field. */
function timed(g: StepGrid): { taus?: Float64Array } {
  return g.taus ? { taus: g.taus } : {};
}

/**
 * The backward recursion as a generator: it yields one StepJob per (step, set), and per step the
 * policy-evaluation check's job, and is resumed with that job's result, so the synchronous trainer and
 * the pooled one (src/qknn/pool.ts) share it and differ only in who solves the grid points.
 */
export function* recursion(
  c: QknnConfig,
  p: Prepared,
  opts: TrainOptions,
): Generator<StepJob, { steps: StepTable[]; V0: number[]; V0of11: number }, StepOut> {
  const N = p.model.maxEvents;
  const grids = p.sims.map((s) => s.grids);
  const nSets = grids.length;
  const fixed = opts.fixedAction;
  // the check plays 11 on set A (§4.9): its step n reads the step n+1 index set A's own recursion
  // reads, so it runs beside it, on the same index (no second build; warm neighbour lists)
  const check = !opts.skipCheck && fixed === undefined;
  const a11 = action11(c.actions);

  let next: NextStep[] = grids.map(() => ({ idx: null, U: new Float64Array(0) }));
  let nextOf11: NextStep = { idx: null, U: new Float64Array(0) };
  const tables: StepTable[] = new Array(N);
  const V0: number[] = [];
  let V0of11 = Number.NaN;
  for (let n = N - 1; n >= 0; n--) {
    const curU: Float64Array[] = [];
    for (let s = 0; s < nSets; s++) {
      const grid = (grids[s] as StepGrid[])[n] as StepGrid;
      const own = next[s] as NextStep;
      const other = nSets === 2 ? (next[1 - s] as NextStep) : undefined;
      const { U, policy } = yield {
        n,
        grid,
        own,
        ...(other ? { other } : {}),
        ...(fixed === undefined ? {} : { fixed }),
      };
      curU.push(U);
      if (s === 0) tables[n] = { count: grid.count, grid, actions: policy, U, ...timed(grid) };
      if (n === 0) V0.push(grid.count > 0 ? (U[0] as number) : 0);
    }
    const gridA = (grids[0] as StepGrid[])[n] as StepGrid;
    const U11 = check ? (yield { n, grid: gridA, own: nextOf11, fixed: a11 }).U : undefined;
    next = grids.map((g, s) => ({
      idx: n > 0 ? p.makeIndex((g as StepGrid[])[n]) : null,
      U: curU[s] as Float64Array,
      ...timed((g as StepGrid[])[n] as StepGrid),
    }));
    if (U11) {
      nextOf11 = { idx: (next[0] as NextStep).idx, U: U11, ...timed(gridA) };
      if (n === 0) V0of11 = U11.length > 0 ? (U11[0] as number) : 0;
    }
    opts.onStep?.(n, N);
  }
  return { steps: tables, V0, V0of11 };
}

/** Assembles the result once the recursion has returned. */
function finish(
  c: QknnConfig,
  p: Prepared,
  out: { steps: StepTable[]; V0: number[]; V0of11: number },
  t0: number,
  enumerateMs: number,
): TrainResult {
  const { timings, searchTimes } = p;
  const A = p.sims[0] as Prepared['sims'][number];
  timings.enumerateMs += enumerateMs;
  timings.buildMs += searchTimes.buildMs;
  timings.queryMs += searchTimes.queryMs;
  timings.queries += searchTimes.queries;
  timings.lookups += searchTimes.lookups ?? 0;
  timings.totalMs = performance.now() - t0;
  return {
    config: c,
    model: p.model,
    spec: p.spec,
    ...out,
    grids: A.grids,
    rawPoints: A.raw,
    gridPoints: A.grids.reduce((s, g) => s + g.count, 0),
    timings,
  };
}

/** Trains a Qknn policy (and runs the policy-evaluation check of 11 on set A), on this thread. */
export function train(c: QknnConfig, opts: TrainOptions = {}): TrainResult {
  const t0 = performance.now();
  const p = prepare(c, opts);
  const solver = new ChunkSolver(c, opts.engine === 'wasm' ? opts.kernel?.module : undefined);
  const gen = recursion(c, p, opts);
  let step = gen.next();
  while (!step.done) {
    const job = step.value;
    const size = job.grid.count * pointWidth(job.grid);
    const U = new Float64Array(size);
    const policy = new Uint8Array(size);
    solver.solve(job, 0, job.grid.count, U, policy);
    step = gen.next({ U, policy });
  }
  return finish(c, p, step.value, t0, solver.enumerateMs);
}

/** Pooled training's hooks: the recursion's setup and result assembly, for src/qknn/pool.ts. */
export const trainParts = { prepare, finish };
