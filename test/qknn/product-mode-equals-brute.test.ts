/**
 * Product time mode (spec §4.2, §4.3 "cells"): the solver's Û_n and Â_n on a tiny grid equal an
 * independent transcription of the recursion written here from the spec — plain and double
 * estimator and the policy-evaluation check of 11. The transcription shares only the order-book
 * semantics (actions, successor enumeration, terminal reward, features) with the solver; the time
 * points, the cells and their masses, the scaling, the inventory buckets, the nearest-neighbour scan
 * (f32 sums in feature order, as the brute-force kernel) and the argmax are its own. The grids
 * themselves are checked against the joint grids of the same simulation: the same distinct states,
 * and time points that are the order statistics the spec names.
 */
import { describe, expect, it } from 'vitest';
import { applyAction, bookSettings, terminalReward } from '../../src/baseline/lob-book.js';
import { successors } from '../../src/baseline/lob-successors.js';
import { configBlock } from '../../src/lob/blocks.js';
import { intensityTable } from '../../src/lob/intensities.js';
import {
  S_ASK_PRICE,
  S_ASK_RANK,
  S_BID_PRICE,
  S_BID_RANK,
  S_PA,
  S_PB,
  S_X,
  S_Y,
  STATE_SLOTS,
} from '../../src/lob/layout.js';
import { type QknnConfig, qknnModel, resolveQknnConfig } from '../../src/qknn/config.js';
import { featurize, qknnFeatureSpec } from '../../src/qknn/features.js';
import { type StepGrid, simulateGrids } from '../../src/qknn/grids.js';
import { productGrids } from '../../src/qknn/product.js';
import { timeCells } from '../../src/qknn/quantizer.js';
import { train } from '../../src/qknn/solver.js';

const f32 = Math.fround;

/** The recursion of §4.7 in product mode, point by point, for A1lim. */
function bruteRecursion(c: QknnConfig, sets: StepGrid[][], fixed?: number) {
  const model = qknnModel(c);
  const spec = qknnFeatureSpec(c, model);
  const cfg = configBlock(model, 0);
  const b = bookSettings(cfg);
  const tbl = intensityTable(model);
  const { T } = model;
  const N = model.maxEvents;
  const d = spec.d;
  const ref = (st: Int32Array) =>
    (st[S_X] as number) + (st[S_Y] as number) * (((st[S_PA] as number) + (st[S_PB] as number)) / 2);
  const g = (st: Int32Array) => terminalReward(st.slice(), b, false, model.eta);
  const phi = (st: Int32Array) => (c.phi === 'g' ? g(st) : 0);

  /** Nearest grid point of `grid` to state st: same inventory (else the nearest present, lower on a tie). */
  const nearest = (grid: StepGrid, st: Int32Array): number => {
    const feats = grid.feats;
    const scale = Array.from({ length: d }, (_, f) => {
      let m = 0;
      for (let i = 0; i < grid.count; i++) m += feats[i * d + f] as number;
      m /= grid.count;
      let v = 0;
      for (let i = 0; i < grid.count; i++) v += ((feats[i * d + f] as number) - m) ** 2;
      const sd = Math.sqrt(v / grid.count);
      return 1 / (sd < 1e-9 ? 1 : sd);
    });
    const q = new Float64Array(d);
    featurize(spec, st, T, q, 0);
    const ys = [...new Set(Array.from({ length: grid.count }, (_, i) => feats[i * d + 1] as number))].sort(
      (x, y) => x - y,
    );
    let y = ys[0] as number;
    for (const v of ys) if (Math.abs(v - (q[1] as number)) < Math.abs(y - (q[1] as number))) y = v;
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < grid.count; i++) {
      if (feats[i * d + 1] !== y) continue;
      let dist = 0;
      for (let f = 0; f < d; f++) {
        const e = f32(
          f32((feats[i * d + f] as number) * (scale[f] as number)) -
            f32((q[f] as number) * (scale[f] as number)),
        );
        dist = f === 0 ? f32(e * e) : f32(dist + f32(e * e));
      }
      if (dist < bestD) {
        bestD = dist;
        best = i;
      }
    }
    return best;
  };

  /** The spec's cells after t over next time points τ: [grid time index, mass]. */
  const cells = (taus: Float64Array, t: number, lam: number): [number, number][] => {
    const J = taus.length;
    const out: [number, number][] = [];
    let lo = t;
    for (let j = 0; j + 1 < J; j++) {
      const hi = taus[j] as number;
      if (hi <= lo) continue;
      out.push([j, Math.exp(-lam * (lo - t)) - Math.exp(-lam * (hi - t))]);
      lo = hi;
    }
    if (T > lo) out.push([Math.max(0, J - 2), Math.exp(-lam * (lo - t)) - Math.exp(-lam * (T - t))]);
    return out;
  };

  /** Q̂ of (state i of grid, time t, action a), successors read in `next` (values U) or Φ. */
  const Q = (grid: StepGrid, i: number, t: number, a: number, next: StepGrid | null, U: Float64Array) => {
    const z = grid.states.slice(i * STATE_SLOTS, (i + 1) * STATE_SLOTS);
    const za = z.slice();
    applyAction(za, a >> 1, a & 1, b);
    const { lam, branches } = successors(cfg, tbl, za);
    const h = lam * (T - t);
    let q = Math.exp(-h) * (g(za) - ref(z));
    for (const br of branches) {
      if (!next) {
        q += br.prob * (1 - Math.exp(-h)) * (phi(br.state) - ref(z));
        continue;
      }
      const k = nearest(next, br.state);
      const taus = next.taus as Float64Array;
      for (const [jc, w] of cells(taus, t, lam))
        q += br.prob * w * (ref(br.state) - ref(z) + (U[k * taus.length + jc] as number));
    }
    return q;
  };

  const current = (z: Int32Array) => {
    const label = (rank: number, price: number, best: number) => (rank <= 0 ? 0 : price === best ? 1 : -1);
    const ask = label(z[S_ASK_RANK] as number, z[S_ASK_PRICE] as number, z[S_PA] as number);
    const bid = label(z[S_BID_RANK] as number, z[S_BID_PRICE] as number, z[S_PB] as number);
    return ask < 0 || bid < 0 ? -1 : ask * 2 + bid;
  };
  const argmax = (qs: number[], cur: number) => {
    let best = 0;
    for (let a = 1; a < qs.length; a++) if ((qs[a] as number) > (qs[best] as number)) best = a;
    return cur >= 0 && qs[cur] === qs[best] ? cur : best;
  };

  const nSets = sets.length;
  let nextU: Float64Array[] = sets.map(() => new Float64Array(0));
  const policies: Uint8Array[] = [];
  const values: Float64Array[] = [];
  for (let n = N - 1; n >= 0; n--) {
    const curU: Float64Array[] = [];
    for (let s = 0; s < nSets; s++) {
      const grid = (sets[s] as StepGrid[])[n] as StepGrid;
      const taus = grid.taus as Float64Array;
      const J = taus.length;
      const read = (set: number) => {
        const nx = n + 1 < N ? ((sets[set] as StepGrid[])[n + 1] as StepGrid) : null;
        return nx && nx.count > 0 ? nx : null;
      };
      const U = new Float64Array(grid.count * J);
      const policy = new Uint8Array(grid.count * J);
      for (let i = 0; i < grid.count; i++) {
        const cur = current(grid.states.subarray(i * STATE_SLOTS, (i + 1) * STATE_SLOTS));
        for (let j = 0; j < J; j++) {
          const t = taus[j] as number;
          const acts = fixed === undefined ? [0, 1, 2, 3] : [fixed];
          const own = acts.map((a) => Q(grid, i, t, a, read(s), nextU[s] as Float64Array));
          const qOwn = [0, 1, 2, 3].map((a) => own[acts.indexOf(a)] ?? Number.NaN);
          let a: number;
          if (fixed !== undefined) a = fixed;
          else a = argmax(qOwn, cur);
          if (nSets === 1 || fixed !== undefined) {
            U[i * J + j] = qOwn[a] as number;
            policy[i * J + j] = a;
          } else {
            const qOther = [0, 1, 2, 3].map((b2) =>
              Q(grid, i, t, b2, read(1 - s), nextU[1 - s] as Float64Array),
            );
            U[i * J + j] = qOther[a] as number;
            policy[i * J + j] = argmax(
              qOwn.map((v, b2) => (v + (qOther[b2] as number)) / 2),
              cur,
            );
          }
        }
      }
      curU.push(U);
      if (s === 0) {
        policies[n] = policy;
        values[n] = U;
      }
    }
    nextU = curU;
  }
  return { U0: nextU.map((u) => u[0] as number), policies, values };
}

function setGrids(c: QknnConfig, set: string): StepGrid[] {
  const model = qknnModel(c);
  return simulateGrids(c, model, qknnFeatureSpec(c, model), set, productGrids(c.J, c.D)).grids;
}

describe('Qknn product time mode', () => {
  const base = { T: 0.3, N: 5, D: 40, timeMode: 'product', J: 6 } as const;

  it('grids: the distinct states of the joint grid, time points at the spec’s order statistics', () => {
    const c = resolveQknnConfig({ ...base, D: 300, N: 8, J: 20 });
    const model = qknnModel(c);
    const spec = qknnFeatureSpec(c, model);
    const joint = simulateGrids({ ...c, timeMode: 'joint' }, model, spec, 'A').grids;
    const product = setGrids(c, 'A');
    for (let n = 1; n < 8; n++) {
      const jg = joint[n] as StepGrid;
      const pg = product[n] as StepGrid;
      const row = new Float64Array(spec.d);
      const states = new Set<string>();
      for (let i = 0; i < jg.count; i++) {
        featurize(spec, jg.states.subarray(i * STATE_SLOTS, (i + 1) * STATE_SLOTS), model.T, row, 0);
        states.add(row.join(','));
      }
      const mine = new Set<string>();
      for (let i = 0; i < pg.count; i++)
        mine.add(Array.from(pg.feats.subarray(i * spec.d, (i + 1) * spec.d)).join(','));
      expect(mine).toEqual(states);
      // τ_j is the ⌊(j+1)·D/J⌋-th smallest event time, trajectories already stopped counting as T
      const times = [...jg.times.subarray(0, jg.count)];
      while (times.length < c.D) times.push(model.T);
      times.sort((x, y) => x - y);
      const taus = pg.taus as Float64Array;
      expect(taus.length).toBe(20);
      for (let j = 0; j < 20; j++) expect(taus[j]).toBe(times[Math.floor(((j + 1) * c.D) / 20) - 1]);
    }
  });

  it('cells over the simulated time points: masses + e^{−λ(T − t)} sum to 1 within 1e−15 (J = 20)', () => {
    const c = resolveQknnConfig({ ...base, D: 500, N: 12, J: 20 });
    const grids = setGrids(c, 'A');
    const T = qknnModel(c).T;
    const idx = new Int32Array(21);
    const w = new Float64Array(21);
    let worst = 0;
    let checked = 0;
    for (let n = 0; n + 1 < grids.length; n++) {
      const next = (grids[n + 1] as StepGrid).taus as Float64Array;
      for (const t of (grids[n] as StepGrid).taus as Float64Array)
        for (const lam of [0.5, 8, 23.7, 60, 400]) {
          const m = timeCells(next, t, lam, T, idx, w);
          let total = Math.exp(-lam * (T - t));
          for (let k = 0; k < m; k++) total += w[k] as number;
          worst = Math.max(worst, Math.abs(total - 1));
          checked++;
        }
    }
    expect(checked).toBe(11 * 20 * 5);
    expect(worst).toBeLessThan(1e-15);
  });

  for (const estimator of ['plain', 'double'] as const) {
    it(`${estimator} estimator: Û, Â and V̂_0 equal the transcription; so does V̂_0(11)`, () => {
      const c = resolveQknnConfig({ ...base, estimator });
      const r = train(c, { engine: 'js' });
      const sets = [r.grids, ...(estimator === 'double' ? [setGrids(c, 'B')] : [])];
      const brute = bruteRecursion(c, sets);
      let compared = 0;
      let worst = 0;
      for (let n = 0; n < 5; n++) {
        const step = r.steps[n];
        const policy = brute.policies[n] as Uint8Array;
        const U = brute.values[n] as Float64Array;
        expect(step?.actions).toEqual(policy);
        expect(step?.U.length).toBe(U.length);
        for (let e = 0; e < U.length; e++)
          worst = Math.max(
            worst,
            Math.abs((step?.U[e] as number) - (U[e] as number)) / (1 + Math.abs(U[e] as number)),
          );
        compared += policy.length;
      }
      // a few hundred (state, time point) entries, every one compared
      expect(compared).toBeGreaterThan(200);
      expect(worst).toBeLessThan(1e-12);
      for (let s = 0; s < sets.length; s++) expect(r.V0[s]).toBeCloseTo(brute.U0[s] as number, 12);
      const check = bruteRecursion(c, [r.grids], 3);
      expect(r.V0of11).toBeCloseTo(check.U0[0] as number, 12);
    }, 120_000);
  }
});
