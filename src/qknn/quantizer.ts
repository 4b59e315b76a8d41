/**
 * Waiting-time discretisation of the Qknn recursion (spec qknn-market-making §4.3): the optimal L-point
 * quadratic quantizer of Exp(1) by Lloyd iteration, and its truncation at the horizon — mass-exact
 * (default: cells cut at h = λ(T − t), points at the conditional means) or paper-literal (points beyond
 * h dropped, total mass ≠ 1).
 */

export interface ExpQuantizer {
  readonly L: number;
  /** Points e_1 < … < e_L. */
  readonly points: Float64Array;
  /** Cell boundaries m_0 = 0 < m_1 < … < m_L = ∞. */
  readonly edges: Float64Array;
  /** Cell masses p_l = e^{−m_{l−1}} − e^{−m_l}. */
  readonly weights: Float64Array;
  /** E[(ε − e_{l(ε)})²] = 2 − Σ p_l e_l² at the fixed point. */
  readonly mse: number;
}

export const MIN_L = 1;
export const MAX_L = 64;

/**
 * E[ε | u ≤ ε < v] for ε ~ Exp(1): u + 1 − δ/expm1(δ) with δ = v − u (u + δ/2 below δ = 1e−8; 1 + u for
 * v = ∞). The textbook ratio of exponentials cancels catastrophically on short cells.
 */
export function conditionalMean(u: number, v: number): number {
  if (v === Infinity) return 1 + u;
  const delta = v - u;
  if (delta < 1e-8) return u + delta / 2;
  return u + 1 - delta / Math.expm1(delta);
}

/** Mass of [u, v) under Exp(1), accurate for short cells: e^{−u}(1 − e^{−δ}). */
export function cellMass(u: number, v: number): number {
  if (v === Infinity) return Math.exp(-u);
  return -Math.exp(-u) * Math.expm1(-(v - u));
}

/** Lloyd iteration from the quantile initialisation until no point moves by 1e−13. */
export function expQuantizer(L: number): ExpQuantizer {
  if (!Number.isInteger(L) || L < MIN_L || L > MAX_L)
    throw new RangeError(`L must be an integer in ${MIN_L}..${MAX_L}`);
  const e = new Float64Array(L);
  for (let l = 1; l <= L; l++) e[l - 1] = -Math.log(1 - (l - 0.5) / L);
  const m = new Float64Array(L + 1);
  for (let iter = 0; iter < 10_000_000; iter++) {
    m[0] = 0;
    for (let l = 1; l < L; l++) m[l] = ((e[l - 1] as number) + (e[l] as number)) / 2;
    m[L] = Infinity;
    let change = 0;
    for (let l = 0; l < L; l++) {
      const next = conditionalMean(m[l] as number, m[l + 1] as number);
      change = Math.max(change, Math.abs(next - (e[l] as number)));
      e[l] = next;
    }
    if (change < 1e-13) break;
  }
  m[0] = 0;
  for (let l = 1; l < L; l++) m[l] = ((e[l - 1] as number) + (e[l] as number)) / 2;
  m[L] = Infinity;
  const p = new Float64Array(L);
  let mse = 2;
  for (let l = 0; l < L; l++) {
    p[l] = cellMass(m[l] as number, m[l + 1] as number);
    mse -= (p[l] as number) * (e[l] as number) ** 2;
  }
  return { L, points: e, edges: m, weights: p, mse };
}

export type Truncation = 'mass-exact' | 'paper-literal';

/**
 * The quantizer seen from remaining scaled time h = λ(T − t): writes the used cells' points and masses
 * into `points`/`weights` (length ≥ L) and returns how many. Mass-exact: every cell starting below h is
 * cut at h, with its conditional mean as point, so the masses plus e^{−h} sum to 1. Paper-literal: the
 * untruncated cells whose point lies at or below h.
 */
export function truncate(
  q: ExpQuantizer,
  h: number,
  mode: Truncation,
  points: Float64Array,
  weights: Float64Array,
): number {
  let n = 0;
  for (let l = 0; l < q.L; l++) {
    const u = q.edges[l] as number;
    if (mode === 'paper-literal') {
      if ((q.points[l] as number) <= h) {
        points[n] = q.points[l] as number;
        weights[n++] = q.weights[l] as number;
      }
      continue;
    }
    if (!(u < h)) break;
    const v = Math.min(q.edges[l + 1] as number, h);
    points[n] = conditionalMean(u, v);
    weights[n++] = cellMass(u, v);
  }
  return n;
}

/**
 * Product (cell) mode of §4.3: the waiting time cut at the next step's grid times τ_0 < … < τ_{J−1}
 * (0-based; the last is usually T). From time t with total intensity λ the cells are (t, τ_{j0}],
 * (τ_{j0}, τ_{j0+1}], …, (τ_{J−3}, τ_{J−2}], (τ_{J−2}, T] with j0 the first τ > t (a τ equal to t would
 * give an empty cell); a cell's value is read at its right-end grid time, except the last cell's, read at
 * τ_{J−2} (the authors' code reads it at τ_{J−1}, usually T, where it earns nothing). J = 1: one cell
 * (t, T] read at τ_0. Masses are differences of the survival e^{−λ(s − t)}, so they and the
 * no-event mass e^{−λ(T − t)} sum to 1 up to rounding. Writes each cell's time index and mass; returns
 * the number of cells.
 */
export function timeCells(
  taus: Float64Array,
  t: number,
  lambda: number,
  T: number,
  index: Int32Array,
  weights: Float64Array,
): number {
  const J = taus.length;
  const last = Math.max(0, J - 2);
  let n = 0;
  let lo = t;
  let survLo = 1;
  for (let j = 0; J >= 2 && j <= last; j++) {
    const hi = taus[j] as number;
    if (!(hi > lo)) continue;
    const survHi = Math.exp(-lambda * (hi - t));
    index[n] = j;
    weights[n++] = survLo - survHi;
    lo = hi;
    survLo = survHi;
  }
  if (T > lo) {
    index[n] = last;
    weights[n++] = survLo - Math.exp(-lambda * (T - t));
  }
  return n;
}
