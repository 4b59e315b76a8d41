/**
 * The shared intensity tables of a model (spec §1.3): every event's rate curve as a function of the
 * queue size, from the HLR curves or the authors' tables of §1.3.2, computed once here and fed to both
 * engines.
 */

import { UsageError } from '../errors.js';
import { CURVE_LEN, lcCurve, mCurve, QN, RESERVOIR_M, TABLE_F64 } from './layout.js';
import type { LobModel } from './model.js';

/** Piecewise-linear interpolation of (qs, fs) at integer q, holding the last value beyond. */
export function interpolate(qs: readonly number[], fs: readonly number[], q: number): number {
  const last = qs.length - 1;
  if (q >= (qs[last] as number)) return fs[last] as number;
  let k = 0;
  while ((qs[k + 1] as number) <= q) k++;
  const q0 = qs[k] as number,
    q1 = qs[k + 1] as number,
    f0 = fs[k] as number,
    f1 = fs[k + 1] as number;
  return f0 + ((f1 - f0) * (q - q0)) / (q1 - q0);
}

/** Step lookup: value of the first bracket [lo, hi] holding q. */
function bracket(q: number, rows: readonly (readonly [number, number, number])[]): number {
  for (const [lo, hi, v] of rows) if (q >= lo && q <= hi) return v;
  throw new Error(`no bracket for q = ${q}`);
}

// Authors' tables (spec §1.3.2): per-unit cancellation rates.
const AHP_C1 = [0.2, 0.4, 0.46, 0.5, 0.55, 0.58, 0.625, 0.65, 0.7, 0.7, 0.75, 0.78];

interface Curve {
  /** Value at q = 0..QN−1. */
  readonly at: (q: number) => number;
  /** Slope beyond QN−1. */
  readonly slope: number;
}

/** The model's intensity curves (before the time scale). */
function curves(m: LobModel): {
  L: (side: number, level: number, variant: number) => Curve;
  C: (side: number, level: number, variant: number) => Curve;
  M: (side: number, s: number) => Curve;
  reservoirM: (side: number) => number;
} {
  const trend = (side: number) => (side === 0 ? 1 + m.trend : 1 - m.trend);
  const f = m.intensities;
  if (f.family === 'constant') {
    return {
      L: () => ({ at: () => f.lambdaL, slope: 0 }),
      C: () => ({ at: (q) => f.theta * q, slope: f.theta }),
      M: (side) => ({ at: () => f.lambdaM * trend(side), slope: 0 }),
      reservoirM: (side) => f.lambdaM * trend(side),
    };
  }
  if (f.family === 'hlr') {
    const row = (t: readonly (readonly number[])[], level: number) => t[level - 1] as readonly number[];
    return {
      L: (_s, level) => ({ at: (q) => interpolate(f.q, row(f.L, level), q), slope: 0 }),
      C: (_s, level) => ({ at: (q) => interpolate(f.q, row(f.C, level), q), slope: 0 }),
      M: (side, s) => ({ at: (q) => interpolate(f.q, row(f.M, s), q) * trend(side), slope: 0 }),
      reservoirM: (side) => interpolate(f.q, row(f.M, m.K), side === 0 ? m.aInf : m.bInf) * trend(side),
    };
  }
  // R-ahp, K = 2; variant 1 = that side's level-1 queue is empty.
  return {
    L: (_s, level, variant) => {
      if (level === 1) return { at: (q) => (q === 0 ? 0.25 : 0.75), slope: 0 };
      if (variant === 0) return { at: (q) => (q <= 1 ? 1.1 : 0.9), slope: 0 };
      const rows = [
        [0, 0, 1.8],
        [1, 1, 1.1],
        [2, 2, 0.7],
        [3, 8, 0.6],
        [9, 16, 0.4],
        [17, Infinity, 0.035],
      ] as const;
      return { at: (q) => bracket(q, rows), slope: 0 };
    },
    C: (_s, level, variant) => {
      if (level === 1) return { at: (q) => (q === 0 ? 0 : (AHP_C1[q - 1] ?? 0.8) * q), slope: 0.8 };
      if (variant === 0) return { at: (q) => (q >= 2 && q <= 4 ? 0.3 : 0.35) * q, slope: 0.35 };
      const rows = [
        [0, 0, 0],
        [1, 1, 0.4],
        [2, 2, 0.6],
        [3, 6, 0.8],
        [7, 12, 1.0],
        [13, Infinity, 1.15],
      ] as const;
      return { at: (q) => bracket(q, rows) * q, slope: 1.15 };
    },
    M: (side) => ({ at: () => f.lambdaM * trend(side), slope: 0 }),
    reservoirM: (side) => f.lambdaM * trend(side),
  };
}

/** The intensity table block (layout: assembly/lob/layout.ts), time scale c applied. */
export function intensityTable(m: LobModel): Float64Array {
  const tbl = new Float64Array(TABLE_F64);
  const c = curves(m);
  const put = (index: number, cv: Curve) => {
    const base = index * CURVE_LEN;
    for (let q = 0; q < QN; q++) tbl[base + q] = cv.at(q) * m.timeScale;
    tbl[base + QN] = cv.slope * m.timeScale;
  };
  for (let side = 0; side < 2; side++) {
    for (let level = 1; level <= m.K; level++) {
      for (let v = 0; v < 2; v++) {
        put(lcCurve(side, level, v), c.L(side, level, v));
        put(lcCurve(side, level, v) + 1, c.C(side, level, v));
      }
      put(mCurve(side, level), c.M(side, level));
    }
    tbl[RESERVOIR_M + side] = c.reservoirM(side) * m.timeScale;
  }
  for (let i = 0; i < tbl.length; i++) {
    const v = tbl[i] as number;
    if (!(v >= 0) || !Number.isFinite(v))
      throw new UsageError(`intensities: negative or non-finite rate (${v})`);
  }
  return tbl;
}
