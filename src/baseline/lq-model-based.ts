/**
 * TS twin of assembly/lq/model-based.ts: the plug-in estimator with running sufficient statistics,
 * ridge drift regression and the global closed-form (C, D) solve; same stream, same operation order.
 */
import type { LqModel, ModelBasedSettings } from '../lq/model.js';
import type { ZigguratTables } from '../rng/ziggurat.js';
import { eulerNext, project } from './lq.js';
import { emptyRootMemory, type RootMemory, realRoots } from './poly.js';
import { fillNormals } from './rng.js';

const TIE_RELATIVE = 1e-9;

/** Running sums and current estimates (field names as the kernel's MB_* slots). */
export interface Estimator {
  sumP: number;
  sumR: number;
  sumG: number;
  sumBx: number;
  sumBu: number;
  sAA: number;
  sAP: number;
  sAR: number;
  sAG: number;
  sPP: number;
  sPR: number;
  sPG: number;
  sRR: number;
  sRG: number;
  sGG: number;
  aHat: number;
  bHat: number;
  ratio: number;
  d2Hat: number;
  phi: number;
  episodes: number;
  /** Warm starts of the root finder: the previous episode's roots and critical points. */
  roots: number[];
  rootMemory: RootMemory;
}

/** The warm start (Â, B̂, Ĉ, D̂) of the settings, as lqModelBasedInit. */
export function initialEstimator(s: ModelBasedSettings): Estimator {
  const [a0, b0, c0, d0] = s.warmStart;
  return {
    sumP: 0,
    sumR: 0,
    sumG: 0,
    sumBx: 0,
    sumBu: 0,
    sAA: 0,
    sAP: 0,
    sAR: 0,
    sAG: 0,
    sPP: 0,
    sPR: 0,
    sPG: 0,
    sRR: 0,
    sRG: 0,
    sGG: 0,
    aHat: a0,
    bHat: b0,
    ratio: c0 / d0,
    d2Hat: d0 * d0,
    phi: project(-(b0 + c0 * d0) / (d0 * d0), s.phiLo, s.phiHi),
    episodes: 0,
    roots: [],
    rootMemory: emptyRootMemory(),
  };
}

function angleBetween(t: number, tPrev: number): number {
  const d = Math.abs(Math.atan(t) - Math.atan(tPrev));
  return Math.min(d, Math.PI - d);
}

function updateDiffusion(e: Estimator, episode: number): void {
  const q2 = e.sAP,
    q1 = 2 * e.sAR,
    q0 = e.sAG;
  const w4 = e.sPP,
    w3 = 4 * e.sPR,
    w2 = 2 * e.sPG + 4 * e.sRR,
    w1 = 4 * e.sRG,
    w0 = e.sGG;
  const qAt = (t: number) => (q2 * t + q1) * t + q0;
  const wAt = (t: number) => (((w4 * t + w3) * t + w2) * t + w1) * t + w0;
  const tPrev = e.ratio;
  let bestT = tPrev,
    bestQ = 0,
    bestW = 0;
  if (episode === 1) {
    bestQ = qAt(tPrev);
    bestW = wAt(tPrev);
  } else {
    const roots = realRoots(
      [
        2 * q1 * w0 - q0 * w1,
        4 * q2 * w0 + q1 * w1 - 2 * q0 * w2,
        3 * (q2 * w1 - q0 * w3),
        2 * q2 * w2 - q1 * w3 - 4 * q0 * w4,
        q2 * w3 - 2 * q1 * w4,
      ],
      4,
      e.roots,
      e.rootMemory,
    );
    e.roots = roots;
    let fMax = -1;
    for (const t of roots) {
      const q = qAt(t),
        w = wAt(t);
      if (q > 0 && w > 0) fMax = Math.max(fMax, (q * q) / w);
    }
    let bestAngle = Number.POSITIVE_INFINITY;
    let found = false;
    for (const t of roots) {
      const q = qAt(t),
        w = wAt(t);
      if (!(q > 0 && w > 0)) continue;
      if ((q * q) / w < fMax * (1 - TIE_RELATIVE)) continue;
      const angle = angleBetween(t, tPrev);
      if (angle < bestAngle) {
        bestAngle = angle;
        bestT = t;
        bestQ = q;
        bestW = w;
        found = true;
      }
    }
    if (!found) return;
  }
  if (!(bestQ > 0 && bestW > 0)) return;
  e.ratio = bestT;
  e.d2Hat = bestQ / bestW;
}

/**
 * Episodes n = from+1 … to: writes φ̂₁ₙ to out[n−1], updates `e` and advances `st`.
 * `sched` holds [√vₙ, vₙ] per episode. Returns 0 or the failing episode.
 */
export function lqModelBased(
  m: LqModel,
  s: ModelBasedSettings,
  sched: Float64Array,
  z: ZigguratTables,
  st: Int32Array,
  e: Estimator,
  out: Float64Array,
  steps: number,
  from: number,
  to: number,
): number {
  const dt = m.dt,
    sqdt = Math.sqrt(dt);
  const noise = new Float64Array(2 * steps);

  for (let n = from + 1; n <= to; n++) {
    const phi1 = e.phi;
    const sd = sched[2 * (n - 1)] as number;
    out[n - 1] = phi1;
    let x = m.x0;
    let qv = 0,
      sxx = 0,
      sxu = 0,
      suu = 0,
      bx = 0,
      bu = 0;
    fillNormals(st, z, noise, 2 * steps); // ξ₀, η₀, ξ₁, η₁, …: action noise first, then the increment
    for (let k = 0; k < steps; k++) {
      const xi = noise[2 * k] as number;
      const eta = noise[2 * k + 1] as number;
      const u = phi1 * x + sd * xi;
      const xn = eulerNext(x, u, sqdt * eta, m);
      const dx = xn - x;
      qv += dx * dx;
      sxx += x * x;
      sxu += x * u;
      suu += u * u;
      bx += x * dx;
      bu += u * dx;
      x = xn;
    }
    const P = dt * sxx,
      R = dt * sxu,
      G = dt * suu;
    if (!Number.isFinite(qv + P + R + G + bx + bu)) {
      return n;
    }
    e.sumP += P;
    e.sumR += R;
    e.sumG += G;
    e.sumBx += bx;
    e.sumBu += bu;
    e.sAA += qv * qv;
    e.sAP += qv * P;
    e.sAR += qv * R;
    e.sAG += qv * G;
    e.sPP += P * P;
    e.sPR += P * R;
    e.sPG += P * G;
    e.sRR += R * R;
    e.sRG += R * G;
    e.sGG += G * G;
    const m11 = 1 + e.sumP,
      m12 = e.sumR,
      m22 = 1 + e.sumG;
    const det = m11 * m22 - m12 * m12;
    e.aHat = (m22 * e.sumBx - m12 * e.sumBu) / det;
    e.bHat = (m11 * e.sumBu - m12 * e.sumBx) / det;
    updateDiffusion(e, n);
    e.phi = project(-e.ratio - e.bHat / e.d2Hat, s.phiLo, s.phiHi);
    e.episodes = n;
  }
  return 0;
}
