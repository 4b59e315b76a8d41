/**
 * TS twin of assembly/qknn/enumerate.ts: the exact enumeration of the next event of the Qknn recursion
 * (spec qknn-market-making §4.4) for a batch of grid points and actions. Per (grid point, action) it adds
 * the closed-form parts (no event before T, and Φ at the last step) to q0 and queues, per branch and
 * quantizer cell, one query row of successor features with one contribution (row, target slot, weight,
 * cash/inventory/price base) for the projection on the next step's grid. Same operations in the same
 * order as the kernel, so both write the same bits.
 */

import { configBlock } from '../lob/blocks.js';
import { intensityTable } from '../lob/intensities.js';
import { C_CANCEL, RATES_LEN, STATE_SLOTS } from '../lob/layout.js';
import type { LobModel } from '../lob/model.js';
import { actionCount, actionLabels, type QknnConfig } from '../qknn/config.js';
import { type FeatureSpec, featurize, refValue } from '../qknn/features.js';
import { cellMass, conditionalMean, type ExpQuantizer, truncate } from '../qknn/quantizer.js';
import {
  applyAction,
  applyAction16,
  applyEvent,
  type BookSettings,
  bookSettings,
  cancelBranch,
  rates,
  terminalReward,
} from './lob-book.js';

/** Everything the enumeration reads besides the grid points: one per training run and thread. */
export interface EnumerationSetup {
  readonly c: QknnConfig;
  readonly model: LobModel;
  readonly spec: FeatureSpec;
  readonly q: ExpQuantizer;
  /** The book's configuration block and intensity table. */
  readonly cfg: Int32Array;
  readonly tbl: Float64Array;
  readonly nA: number;
  /** Grid points per call at most, and the query rows (= contributions) such a call may write. */
  readonly chunk: number;
  readonly maxQ: number;
}

export function enumerationSetup(
  c: QknnConfig,
  model: LobModel,
  spec: FeatureSpec,
  q: ExpQuantizer,
  chunk: number,
): EnumerationSetup {
  const nA = actionCount(c);
  return {
    c,
    model,
    spec,
    q,
    cfg: configBlock(model, 0),
    tbl: intensityTable(model),
    nA,
    chunk,
    maxQ: chunk * nA * maxBranches(model.K, c) * q.L,
  };
}

/** Branches of one post-decision state: 4K + 2 event types plus one cancel split per MM order. */
export function maxBranches(K: number, c: QknnConfig): number {
  return 4 * K + 2 + (c.actions === 'A2lim16' ? 4 : 2);
}

/**
 * The quantizer's full cells (m_l, m_{l+1}) as the mass-exact truncation computes them: conditional
 * means, masses and e^{−m_l}, so the kernel needs the transcendental functions only for the cut cell.
 */
export function fullCells(q: ExpQuantizer): {
  means: Float64Array;
  masses: Float64Array;
  expNeg: Float64Array;
} {
  const means = new Float64Array(q.L);
  const masses = new Float64Array(q.L);
  const expNeg = new Float64Array(q.L);
  for (let l = 0; l < q.L; l++) {
    const u = q.edges[l] as number;
    const v = q.edges[l + 1] as number;
    means[l] = conditionalMean(u, v);
    masses[l] = cellMass(u, v);
    expNeg[l] = Math.exp(-u);
  }
  return { means, masses, expNeg };
}

/** Slots of the successor cache's hash table: a power of two, at least twice the groups of a grid point. */
function tableSize(nA: number, K: number): number {
  let h = 64;
  while (h < 2 * nA * (4 * K + 6)) h *= 2;
  return h;
}

/**
 * Hash of a successor's key: its total intensity (the two 32-bit words at lamWords) and state features
 * 1..d−1 (words[w + 2 .. w + 2d), the time feature left out), FNV-1a over 32-bit words, then a final mix.
 * The features are integers read from i32 state fields and λ > 0, so equal keys have equal bits.
 */
function keyHash(lamWords: Uint32Array, words: Uint32Array, w: number, d: number): number {
  let h = 0x811c9dc5;
  h = Math.imul(h ^ (lamWords[0] as number), 0x01000193);
  h = Math.imul(h ^ (lamWords[1] as number), 0x01000193);
  for (let k = w + 2; k < w + 2 * d; k++) h = Math.imul(h ^ (words[k] as number), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/**
 * A batch of enumerated successors: distinct query rows (row-major, d features, unscaled) and the
 * contributions that read them. A successor whose state features and total intensity equal those of an
 * earlier successor of the same grid point (another action or branch reaching the same state) has the
 * same L queries: its contributions point to the earlier rows (the successor cache), in the original
 * order, so the sums are unchanged.
 */
export interface SuccessorBatch {
  readonly qFeat: Float64Array;
  readonly cRow: Int32Array;
  readonly cTarget: Int32Array;
  readonly cWeight: Float64Array;
  readonly cBase: Float64Array;
  /** Query rows and contributions written by the last call. */
  readonly nq: number;
  readonly nc: number;
  /**
   * Enumerates grid points from..to−1 (states STATE_SLOTS i32 each, times) under the given actions:
   * adds the closed-form parts to q0[(i − from)·nA + a] and queues one query per (branch, quantizer
   * cell), or, when there is no next step (`hasNext` false), evaluates Φ exactly.
   */
  enumerate(
    states: Int32Array,
    times: Float64Array,
    from: number,
    to: number,
    actions: readonly number[],
    hasNext: boolean,
    q0: Float64Array,
  ): void;
}

export class EnumeratorJs implements SuccessorBatch {
  private readonly b: BookSettings;
  private readonly r = new Float64Array(RATES_LEN);
  private readonly za = new Int32Array(STATE_SLOTS);
  private readonly zn = new Int32Array(STATE_SLOTS);
  private readonly tmp = new Int32Array(STATE_SLOTS);
  private readonly pts: Float64Array;
  private readonly wts: Float64Array;
  readonly qFeat: Float64Array;
  readonly cRow: Int32Array;
  readonly cTarget: Int32Array;
  readonly cWeight: Float64Array;
  readonly cBase: Float64Array;
  nq = 0;
  nc = 0;
  /** Successor groups of the current grid point: first query row and total intensity. */
  private readonly groupRow: Int32Array;
  private readonly groupLam: Float64Array;
  /**
   * The cache's hash table (slot in use for the current grid point when its stamp is the point's) and
   * the 32-bit words of the query rows and of λ it hashes.
   */
  private readonly tabStamp: Int32Array;
  private readonly tabGroup: Int32Array;
  private stamp = 0;
  private readonly words: Uint32Array;
  private readonly lamBox = new Float64Array(1);
  private readonly lamWords = new Uint32Array(this.lamBox.buffer);

  constructor(readonly s: EnumerationSetup) {
    this.b = bookSettings(s.cfg);
    this.pts = new Float64Array(s.q.L);
    this.wts = new Float64Array(s.q.L);
    this.qFeat = new Float64Array(s.maxQ * s.spec.d);
    this.cRow = new Int32Array(s.maxQ);
    this.cTarget = new Int32Array(s.maxQ);
    this.cWeight = new Float64Array(s.maxQ);
    this.cBase = new Float64Array(s.maxQ);
    const groups = s.nA * maxBranches(s.model.K, s.c);
    this.groupRow = new Int32Array(groups);
    this.groupLam = new Float64Array(groups);
    const size = tableSize(s.nA, s.model.K);
    this.tabStamp = new Int32Array(size);
    this.tabGroup = new Int32Array(size);
    this.words = new Uint32Array(this.qFeat.buffer);
  }

  private ref(st: Int32Array): number {
    return refValue(this.s.c.pRef, st);
  }

  private terminal(st: Int32Array): number {
    this.tmp.set(st);
    const m = this.s.model;
    return terminalReward(this.tmp, this.b, m.liquidation === 'walk_plus_one_tick', m.eta);
  }

  enumerate(
    states: Int32Array,
    times: Float64Array,
    from: number,
    to: number,
    actions: readonly number[],
    hasNext: boolean,
    q0: Float64Array,
  ): void {
    const { b, za, zn } = this;
    const { c, spec, nA } = this.s;
    const K = this.s.model.K;
    const T = this.s.model.T;
    const mode = this.s.cfg[C_CANCEL] as number;
    const countsMM = this.s.model.intensityCountsMM;
    this.nq = 0;
    this.nc = 0;
    const d = spec.d;
    for (let i = from; i < to; i++) {
      const z = states.subarray(i * STATE_SLOTS, (i + 1) * STATE_SLOTS);
      const t = times[i] as number;
      const refZ = this.ref(z);
      let groups = 0;
      if (++this.stamp === 0x7fffffff) {
        this.tabStamp.fill(0);
        this.stamp = 1;
      }
      const stamp = this.stamp;
      const mask = this.tabStamp.length - 1;
      for (const a of actions) {
        const [ask, bid] = actionLabels(c.actions, a);
        za.set(z);
        if (c.actions === 'A2lim16') applyAction16(za, ask, bid, b);
        else applyAction(za, ask, bid, b);
        const lam = rates(za, this.s.tbl, this.r, K, countsMM);
        const h = lam * (T - t);
        const slot = (i - from) * nA + a;
        const nl = truncate(this.s.q, h, c.truncation, this.pts, this.wts);
        let wsum = 0;
        for (let l = 0; l < nl; l++) wsum += this.wts[l] as number;
        // every term is relative to refZ: survival e^{−h}(g − refZ), branches π·p_l·(V' − refZ); the
        // paper-literal quantizer loses mass 1 − e^{−h} − Σp_l, whose refZ is subtracted explicitly
        const survival = Math.exp(-h);
        const lost = c.truncation === 'mass-exact' ? 0 : 1 - survival - wsum;
        let acc = survival * (this.terminal(za) - refZ) - lost * refZ;
        for (let e = 0; e < 4 * K + 2; e++) {
          const re = this.r[e] as number;
          if (!(re > 0)) continue;
          const p = re / lam;
          for (let ahead = 0; ahead < 2; ahead++) {
            const pi = cancelBranch(za, e, K, mode, p, ahead);
            if (!(pi > 0)) continue;
            zn.set(za);
            applyEvent(zn, e, ahead === 1, b);
            if (!hasNext) {
              const v = c.phi === 'g' ? this.terminal(zn) : 0;
              acc += pi * wsum * (v - refZ);
              continue;
            }
            const base = this.ref(zn) - refZ;
            if (nl === 0) continue;
            // the first query row tells the successor's state features; look for an earlier equal one
            const q = this.qFeat;
            const row = this.nq;
            featurize(spec, zn, t + (this.pts[0] as number) / lam, q, row * d);
            // groups have pairwise distinct keys, so the probe finds the one earlier equal successor if any
            let first = row;
            this.lamBox[0] = lam;
            let slotH = keyHash(this.lamWords, this.words, 2 * row * d, d) & mask;
            while (this.tabStamp[slotH] === stamp) {
              const gI = this.tabGroup[slotH] as number;
              if (this.groupLam[gI] === lam) {
                const o = (this.groupRow[gI] as number) * d;
                let f = 1;
                while (f < d && q[o + f] === q[row * d + f]) f++;
                if (f === d) {
                  first = this.groupRow[gI] as number;
                  break;
                }
              }
              slotH = (slotH + 1) & mask;
            }
            if (first === row) {
              this.tabStamp[slotH] = stamp;
              this.tabGroup[slotH] = groups;
              this.groupRow[groups] = row;
              this.groupLam[groups++] = lam;
              // the other cells' rows differ from the first in the time feature only
              for (let l = 1; l < nl; l++) {
                const o = (row + l) * d;
                q[o] = spec.T - (t + (this.pts[l] as number) / lam);
                q.copyWithin(o + 1, row * d + 1, row * d + d);
              }
              this.nq += nl;
            }
            for (let l = 0; l < nl; l++) {
              const j = this.nc++;
              this.cRow[j] = first + l;
              this.cTarget[j] = slot;
              this.cWeight[j] = pi * (this.wts[l] as number);
              this.cBase[j] = base;
            }
          }
        }
        q0[slot] = (q0[slot] as number) + acc;
      }
    }
  }
}
