/**
 * Product time mode of the Qknn recursion (spec qknn-market-making §4.2, §4.3 "cells", §7): per step
 * n, J time points τ_{n,0} ≤ … ≤ τ_{n,J−1} (empirical quantiles of the step's event times over all D
 * trajectories, a trajectory already stopped counting as T) crossed with the step's de-duplicated
 * states. Values and policy entries form a |states| × J table, row-major (state, time point).
 *
 * A state's successors are projected on the next step's states by their state features alone (time to
 * go fixed at 0, so it takes no part in the distance): one query per (state, action, branch), shared by
 * all J time points, which divides the joint mode's query count by L. The waiting time is handled by
 * the exact-mass time cells of the next step's time points (quantizer.ts `timeCells`), each cell read
 * at its grid time; at step N, or when the next grid is empty, Φ is read exactly, as in joint mode.
 *
 * Forward evaluation (policy.ts) plays the entry of the nearest state at the first time point ≥ t (the
 * last one when t is beyond them all), the rule of the authors' code.
 */
import { applyAction, applyAction16, bookSettings, terminalReward } from '../baseline/lob-book.js';
import { successors } from '../baseline/lob-successors.js';
import { configBlock } from '../lob/blocks.js';
import { intensityTable } from '../lob/intensities.js';
import { STATE_SLOTS } from '../lob/layout.js';
import type { LobModel } from '../lob/model.js';
import { actionCount, actionLabels, type QknnConfig } from './config.js';
import { type FeatureSpec, featurize, refValue } from './features.js';
import type { RawGrid, StepGrid } from './grids.js';
import { timeCells } from './quantizer.js';
import type { StepIndex } from './step-index.js';

/**
 * The grid builder of product mode: a step's simulated pairs → its distinct states (features taken at
 * time to go 0) and its J time points. Quantile j is the ⌊(j+1)·D/J⌋-th smallest of the D event times
 * (stopped trajectories at T), as the authors' code picks them, so the last is the largest.
 */
export function productGrids(J: number, D: number): (g: RawGrid, spec: FeatureSpec) => StepGrid {
  return (g, spec) => {
    const { d, T } = spec;
    const row = new Float64Array(d);
    const seen = new Set<string>();
    const keep: number[] = [];
    const feats: number[] = [];
    for (let i = 0; i < g.count; i++) {
      featurize(spec, g.states.subarray(i * STATE_SLOTS, (i + 1) * STATE_SLOTS), T, row, 0);
      const key = row.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      keep.push(i);
      feats.push(...row);
    }
    const count = keep.length;
    const states = new Int32Array(count * STATE_SLOTS);
    const times = new Float64Array(count);
    keep.forEach((i, j) => {
      states.set(g.states.subarray(i * STATE_SLOTS, (i + 1) * STATE_SLOTS), j * STATE_SLOTS);
      times[j] = g.times[i] as number;
    });
    const all = new Float64Array(D).fill(T);
    all.set(g.times.subarray(0, g.count));
    all.sort();
    const taus = new Float64Array(J);
    for (let j = 0; j < J; j++) taus[j] = all[Math.max(0, Math.floor(((j + 1) * D) / J) - 1)] as number;
    return { count, states, times, feats: Float64Array.from(feats), taus };
  };
}

/** Forward evaluation's time point at time t: the first τ_j ≥ t, else the last. */
export function timeIndex(taus: Float64Array, t: number): number {
  const J = taus.length;
  for (let j = 0; j < J; j++) if ((taus[j] as number) >= t) return j;
  return J - 1;
}

/** A next step as product mode reads it: its index, values (count × J) and time points. */
export interface TimedNext {
  readonly idx: StepIndex | null;
  readonly U: Float64Array;
  readonly taus?: Float64Array | undefined;
}

/**
 * Q̂ of a chunk of a product-mode grid, for every (state, time point, action), in U-space. One
 * instance per thread (src/qknn/solver.ts ChunkSolver holds it), sized for `chunk` states.
 */
export class ProductValues {
  private readonly cfg: Int32Array;
  private readonly tbl: Float64Array;
  private readonly b: ReturnType<typeof bookSettings>;
  private readonly nA: number;
  private readonly za = new Int32Array(STATE_SLOTS);
  private readonly tmp = new Int32Array(STATE_SLOTS);
  // per (state, action) pair of the chunk, in enumeration order
  private readonly pairSlot: Int32Array;
  private readonly pairLam: Float64Array;
  /** e^{-h} multiplies this: g at the post-decision state, minus x + y·p_ref. */
  private readonly pairG: Float64Array;
  /** Σ_e π_e (Φ(z'_e) − x − y·p_ref), read when the next step has no index. */
  private readonly pairPhi: Float64Array;
  /** The pair's contributions are pairStart[p]..pairStart[p + 1] − 1. */
  private readonly pairStart: Int32Array;
  // contributions (one per branch) and the distinct query rows they read
  private readonly cRow: Int32Array;
  private readonly cProb: Float64Array;
  private readonly cBase: Float64Array;
  private readonly qFeat: Float64Array;
  private readonly idx: Int32Array;
  private readonly groupRow: Int32Array;
  private readonly cellIdx: Int32Array;
  private readonly cellW: Float64Array;
  /** One pair's expected successor value per next time point. */
  private readonly byTime: Float64Array;
  private nq = 0;

  constructor(
    private readonly c: QknnConfig,
    private readonly model: LobModel,
    private readonly spec: FeatureSpec,
    chunk: number,
  ) {
    this.cfg = configBlock(model, 0);
    this.b = bookSettings(this.cfg);
    this.tbl = intensityTable(model);
    this.nA = actionCount(c);
    const branches = 4 * model.K + 2 + (c.actions === 'A2lim16' ? 4 : 2);
    const pairs = chunk * this.nA;
    const maxC = pairs * branches;
    this.pairSlot = new Int32Array(pairs);
    this.pairLam = new Float64Array(pairs);
    this.pairG = new Float64Array(pairs);
    this.pairPhi = new Float64Array(pairs);
    this.pairStart = new Int32Array(pairs + 1);
    this.cRow = new Int32Array(maxC);
    this.cProb = new Float64Array(maxC);
    this.cBase = new Float64Array(maxC);
    this.qFeat = new Float64Array(maxC * spec.d);
    this.idx = new Int32Array(maxC * c.k);
    this.groupRow = new Int32Array(this.nA * branches);
    this.cellIdx = new Int32Array(c.J + 1);
    this.cellW = new Float64Array(c.J + 1);
    this.byTime = new Float64Array(c.J);
  }

  private terminal(st: Int32Array): number {
    this.tmp.set(st);
    return terminalReward(this.tmp, this.b, this.model.liquidation === 'walk_plus_one_tick', this.model.eta);
  }

  /**
   * States lo..hi−1 of `grid` (time points grid.taus) under `actions`: writes Q̂ read in `own` into
   * q[((i − lo)·J + j)·nA + a], and read in `other` (double estimator) into qOther. Returns the
   * milliseconds spent outside the index searches (enumeration and cells).
   */
  values(
    grid: StepGrid,
    lo: number,
    hi: number,
    actions: readonly number[],
    own: TimedNext,
    other: TimedNext | undefined,
    q: Float64Array,
    qOther: Float64Array,
  ): number {
    const t0 = performance.now();
    const pairs = this.enumerate(grid, lo, hi, actions, !own.idx || (other !== undefined && !other.idx));
    let ms = performance.now() - t0;
    ms += this.read(grid, pairs, own, q);
    if (other) ms += this.read(grid, pairs, other, qOther);
    return ms;
  }

  /** Every (state, action) pair's branches; returns the number of pairs. */
  private enumerate(
    grid: StepGrid,
    lo: number,
    hi: number,
    actions: readonly number[],
    needPhi: boolean,
  ): number {
    const { c, spec, za, b, nA } = this;
    const d = spec.d;
    const q = this.qFeat;
    let p = 0;
    let nc = 0;
    this.nq = 0;
    for (let i = lo; i < hi; i++) {
      const z = grid.states.subarray(i * STATE_SLOTS, (i + 1) * STATE_SLOTS);
      const refZ = refValue(c.pRef, z);
      let groups = 0;
      for (const a of actions) {
        const [ask, bid] = actionLabels(c.actions, a);
        za.set(z);
        if (c.actions === 'A2lim16') applyAction16(za, ask, bid, b);
        else applyAction(za, ask, bid, b);
        const { lam, branches } = successors(this.cfg, this.tbl, za);
        this.pairSlot[p] = (i - lo) * nA + a;
        this.pairLam[p] = lam;
        this.pairG[p] = this.terminal(za) - refZ;
        this.pairStart[p] = nc;
        let phi = 0;
        for (const br of branches) {
          const zn = br.state;
          if (needPhi) phi += br.prob * ((c.phi === 'g' ? this.terminal(zn) : 0) - refZ);
          // successors of this state with equal state features share one query row
          const row = this.nq;
          featurize(spec, zn, spec.T, q, row * d);
          let found = row;
          for (let g = 0; g < groups && found === row; g++) {
            const o = (this.groupRow[g] as number) * d;
            let f = 0;
            while (f < d && q[o + f] === q[row * d + f]) f++;
            if (f === d) found = this.groupRow[g] as number;
          }
          if (found === row) {
            this.groupRow[groups++] = row;
            this.nq++;
          }
          this.cRow[nc] = found;
          this.cProb[nc] = br.prob;
          this.cBase[nc++] = refValue(c.pRef, zn) - refZ;
        }
        this.pairPhi[p++] = phi;
      }
    }
    this.pairStart[p] = nc;
    return p;
  }

  /** Q̂ of every pair at every time point of `grid`, successors read in `next`; returns the ms outside search. */
  private read(grid: StepGrid, pairs: number, next: TimedNext, out: Float64Array): number {
    const { c, nA, cellIdx, cellW } = this;
    const T = this.spec.T;
    const k = c.k;
    const taus = grid.taus as Float64Array;
    const J = taus.length;
    const { idx: index, U } = next;
    if (index) index.search(this.qFeat, this.nq, this.idx, this.pairStart[pairs]);
    const t0 = performance.now();
    const nextTaus = next.taus as Float64Array;
    const Jn = index ? nextTaus.length : 0;
    const byTime = this.byTime;
    for (let p = 0; p < pairs; p++) {
      const slot = this.pairSlot[p] as number;
      const i = Math.floor(slot / nA);
      const a = slot - i * nA;
      const lam = this.pairLam[p] as number;
      // the branches' expected successor value at every next time point, Σ_e π_e Û(nn_e, τ'), and
      // their expected cash-and-inventory change Σ_e π_e base_e: the cells of every time point reuse them
      let baseSum = 0;
      byTime.fill(0, 0, Jn);
      for (let e = this.pairStart[p] as number; e < (this.pairStart[p + 1] as number); e++) {
        const pi = this.cProb[e] as number;
        baseSum += pi * (this.cBase[e] as number);
        const row = (this.cRow[e] as number) * k;
        for (let jc = 0; jc < Jn; jc++) {
          let u = 0;
          for (let r = 0; r < k; r++) u += U[(this.idx[row + r] as number) * Jn + jc] as number;
          byTime[jc] = (byTime[jc] as number) + (pi * u) / k;
        }
      }
      for (let j = 0; j < J; j++) {
        const t = taus[j] as number;
        const h = lam * Math.max(0, T - t);
        let acc = Math.exp(-h) * (this.pairG[p] as number);
        if (!index) acc -= Math.expm1(-h) * (this.pairPhi[p] as number);
        else {
          const cells = timeCells(nextTaus, t, lam, T, cellIdx, cellW);
          for (let m = 0; m < cells; m++)
            acc += (cellW[m] as number) * (baseSum + (byTime[cellIdx[m] as number] as number));
        }
        out[(i * J + j) * nA + a] = acc;
      }
    }
    return performance.now() - t0;
  }
}
