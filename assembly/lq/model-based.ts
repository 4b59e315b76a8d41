// Model-based plug-in benchmark (Algorithm 2, App. C.1; spec §4): each episode runs
// u = φ̂₁ₙ·x + √vₙ·ξ on the true dynamics, folds the episode into running sufficient statistics, then
// re-estimates (A, B) by ridge least squares and (C, D) by the global closed-form minimiser of the
// quadratic-variation loss, and sets φ̂₁ = clamp(−(B̂ + ĈD̂)/D̂²). O(steps) per episode, O(1) memory.
import { normalFast, normalSlow } from '../rng';
import { LQ_A, LQ_B, LQ_C, LQ_D, LQ_DT, LQ_PHI_HI, LQ_PHI_LO, LQ_X0, param } from './params';
import { copyF64, POLY_LEVEL_BYTES, realRoots } from './poly';
import { eulerNext, project } from './step';

// Estimator block: running sums and current estimates (f64 slots), then root-finding scratch.
export const MB_SUM_P: i32 = 0; // Σ Pⱼ, Pⱼ = dt·Σx²
export const MB_SUM_R: i32 = 1; // Σ Rⱼ, Rⱼ = dt·Σxu
export const MB_SUM_G: i32 = 2; // Σ Gⱼ, Gⱼ = dt·Σu²
export const MB_SUM_BX: i32 = 3; // Σ Σx·Δx
export const MB_SUM_BU: i32 = 4; // Σ Σu·Δx
export const MB_S_AA: i32 = 5; // Σ αⱼ², αⱼ = ΣΔx² (realised quadratic variation)
export const MB_S_AP: i32 = 6;
export const MB_S_AR: i32 = 7;
export const MB_S_AG: i32 = 8;
export const MB_S_PP: i32 = 9;
export const MB_S_PR: i32 = 10;
export const MB_S_PG: i32 = 11;
export const MB_S_RR: i32 = 12;
export const MB_S_RG: i32 = 13;
export const MB_S_GG: i32 = 14;
export const MB_A_HAT: i32 = 15;
export const MB_B_HAT: i32 = 16;
export const MB_RATIO: i32 = 17; // t = Ĉ/D̂
export const MB_D2_HAT: i32 = 18; // D̂²
export const MB_PHI: i32 = 19; // φ̂₁ for the next episode
export const MB_EPISODES: i32 = 20; // episodes folded in so far
export const MB_SLOTS: i32 = 40; // 21 used; slots 22…35 hold the quartic, its roots and their hints
const QUARTIC: i32 = 22; // slots 22…26
const ROOTS: i32 = 27; // slots 27…30
const N_ROOTS: i32 = 31;
const ROOT_HINTS: i32 = 32; // slots 32…35: the roots of the previous episode
export const MB_SCRATCH_BYTES: i32 = 3 * POLY_LEVEL_BYTES;
/** Total bytes of the estimator block (slots + scratch). */
export const MB_BLOCK_BYTES: i32 = MB_SLOTS * 8 + MB_SCRATCH_BYTES;

// Schedule block: per episode n = 1..N, [√vₙ, vₙ].
export const MB_SCHED_STRIDE: i32 = 2;

const TIE_RELATIVE: f64 = 1e-9;

// @ts-ignore: decorator
@inline function slot(est: usize, i: i32): f64 {
  return load<f64>(est + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function setSlot(est: usize, i: i32, v: f64): void {
  store<f64>(est + (<usize>i << 3), v);
}

/** Smallest angle between the directions (t, 1) and (tPrev, 1). */
// @ts-ignore: decorator
@inline function angleBetween(t: f64, tPrev: f64): f64 {
  const d = abs(Math.atan(t) - Math.atan(tPrev));
  return min(d, Math.PI - d);
}

/**
 * (C, D) update from the QV sums: the ratio t maximising q(t)²/w(t) over the stationary points
 * (real roots of 2q′w − qw′), ties within 1e-9 broken by angle to the previous t; D̂² = q/w.
 * Episode 1 keeps the warm-start ratio (radial projection onto the exact-fit ellipse).
 * Without an admissible root (q, w > 0) the previous (t, D̂²) stay.
 */
function updateDiffusion(est: usize, episode: f64): void {
  const q2 = slot(est, MB_S_AP), q1 = 2 * slot(est, MB_S_AR), q0 = slot(est, MB_S_AG);
  const w4 = slot(est, MB_S_PP), w3 = 4 * slot(est, MB_S_PR);
  const w2 = 2 * slot(est, MB_S_PG) + 4 * slot(est, MB_S_RR), w1 = 4 * slot(est, MB_S_RG), w0 = slot(est, MB_S_GG);
  const tPrev = slot(est, MB_RATIO);
  let bestT = tPrev, bestQ = 0.0, bestW = 0.0, bestF = -1.0;
  if (episode == 1) {
    bestQ = (q2 * tPrev + q1) * tPrev + q0;
    bestW = (((w4 * tPrev + w3) * tPrev + w2) * tPrev + w1) * tPrev + w0;
  } else {
    const c = est + (<usize>QUARTIC << 3);
    store<f64>(c, 2 * q1 * w0 - q0 * w1);
    store<f64>(c, 4 * q2 * w0 + q1 * w1 - 2 * q0 * w2, 8);
    store<f64>(c, 3 * (q2 * w1 - q0 * w3), 16);
    store<f64>(c, 2 * q2 * w2 - q1 * w3 - 4 * q0 * w4, 24);
    store<f64>(c, q2 * w3 - 2 * q1 * w4, 32);
    const roots = est + (<usize>ROOTS << 3), hints = est + (<usize>ROOT_HINTS << 3);
    const nPrev = <i32>slot(est, N_ROOTS);
    copyF64(hints, roots, nPrev);
    const n = realRoots(c, 4, roots, est + (<usize>MB_SLOTS << 3), hints, nPrev);
    setSlot(est, N_ROOTS, <f64>n);
    // first pass: the largest q²/w; second: among near-ties, the closest direction to tPrev
    let fMax = -1.0;
    for (let i = 0; i < n; i++) {
      const t = load<f64>(roots + (<usize>i << 3));
      const q = (q2 * t + q1) * t + q0, w = (((w4 * t + w3) * t + w2) * t + w1) * t + w0;
      if (q > 0 && w > 0) fMax = max(fMax, (q * q) / w);
    }
    // Among the near-ties, the closest direction to tPrev; a lone candidate needs no angle (atan).
    let candidates = 0;
    for (let i = 0; i < n; i++) {
      const t = load<f64>(roots + (<usize>i << 3));
      const q = (q2 * t + q1) * t + q0, w = (((w4 * t + w3) * t + w2) * t + w1) * t + w0;
      if (!(q > 0 && w > 0)) continue;
      const f = (q * q) / w;
      if (f < fMax * (1 - TIE_RELATIVE)) continue;
      candidates++;
      bestT = t; bestQ = q; bestW = w; bestF = f;
    }
    if (candidates > 1) {
      let bestAngle = Infinity;
      for (let i = 0; i < n; i++) {
        const t = load<f64>(roots + (<usize>i << 3));
        const q = (q2 * t + q1) * t + q0, w = (((w4 * t + w3) * t + w2) * t + w1) * t + w0;
        if (!(q > 0 && w > 0)) continue;
        const f = (q * q) / w;
        if (f < fMax * (1 - TIE_RELATIVE)) continue;
        const angle = angleBetween(t, tPrev);
        if (angle < bestAngle) {
          bestAngle = angle;
          bestT = t; bestQ = q; bestW = w; bestF = f;
        }
      }
    }
    if (bestF < 0) return; // no admissible root: keep (t, D̂²)
  }
  if (!(bestQ > 0 && bestW > 0)) return;
  setSlot(est, MB_RATIO, bestT);
  setSlot(est, MB_D2_HAT, bestQ / bestW);
}

/**
 * Episodes n = from+1 … to of one seed. Writes φ̂₁ₙ (the gain run in episode n) to out[n−1] and keeps
 * the estimator in `est` (initialise it with lqModelBasedInit). Returns 0, or the failing episode.
 */
export function lqModelBased(
  prm: usize, sched: usize, zig: usize, st: usize, est: usize, out: usize, steps: i32, from: i32, to: i32,
): i32 {
  const A = param(prm, LQ_A), B = param(prm, LQ_B), C = param(prm, LQ_C), D = param(prm, LQ_D);
  const x0 = param(prm, LQ_X0), dt = param(prm, LQ_DT);
  const lo = param(prm, LQ_PHI_LO), hi = param(prm, LQ_PHI_HI);
  const sqdt = Math.sqrt(dt);
  let s0 = load<u64>(st), s1 = load<u64>(st, 8), s2 = load<u64>(st, 16), s3 = load<u64>(st, 24);
  for (let n = from + 1; n <= to; n++) {
    const phi1 = slot(est, MB_PHI);
    const sd = load<f64>(sched + (<usize>(n - 1) << 4));
    store<f64>(out + (<usize>(n - 1) << 3), phi1);
    let x = x0;
    let qv = 0.0, sxx = 0.0, sxu = 0.0, suu = 0.0, bx = 0.0, bu = 0.0;
    for (let k = 0; k < steps; k++) {
      let w = rotl<u64>(s1 * 5, 7) * 9;
      let t = s1 << 17;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u64>(s3, 45);
      let xi = normalFast(w, zig);
      if (isNaN(xi)) {
        store<u64>(st, s0); store<u64>(st, s1, 8); store<u64>(st, s2, 16); store<u64>(st, s3, 24);
        xi = normalSlow(st, w, zig);
        s0 = load<u64>(st); s1 = load<u64>(st, 8); s2 = load<u64>(st, 16); s3 = load<u64>(st, 24);
      }
      w = rotl<u64>(s1 * 5, 7) * 9;
      t = s1 << 17;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u64>(s3, 45);
      let eta = normalFast(w, zig);
      if (isNaN(eta)) {
        store<u64>(st, s0); store<u64>(st, s1, 8); store<u64>(st, s2, 16); store<u64>(st, s3, 24);
        eta = normalSlow(st, w, zig);
        s0 = load<u64>(st); s1 = load<u64>(st, 8); s2 = load<u64>(st, 16); s3 = load<u64>(st, 24);
      }
      const u = phi1 * x + sd * xi;
      const xn = eulerNext(x, u, sqdt * eta, A, B, C, D, dt);
      const dx = xn - x;
      qv += dx * dx;
      sxx += x * x;
      sxu += x * u;
      suu += u * u;
      bx += x * dx;
      bu += u * dx;
      x = xn;
    }
    if (!closeEpisode(est, n, qv, sxx, sxu, suu, bx, bu, dt, lo, hi)) {
      store<u64>(st, s0); store<u64>(st, s1, 8); store<u64>(st, s2, 16); store<u64>(st, s3, 24);
      return n;
    }
  }
  store<u64>(st, s0); store<u64>(st, s1, 8); store<u64>(st, s2, 16); store<u64>(st, s3, 24);
  return 0;
}

/**
 * End of episode n from its raw sums (Σdx², Σx², Σxu, Σu², Σx·dx, Σu·dx): folds it into the estimator,
 * re-estimates and sets φ̂₁ for the next episode. Returns false (estimator untouched) when a statistic
 * is not finite. Shared by the scalar and the two-lane kernels, so both do these operations alike.
 */
export function closeEpisode(
  est: usize, n: i32, qv: f64, sxx: f64, sxu: f64, suu: f64, bx: f64, bu: f64, dt: f64, lo: f64, hi: f64,
): bool {
  const P = dt * sxx, R = dt * sxu, G = dt * suu;
  if (!isFinite(qv + P + R + G + bx + bu)) return false;
  foldEpisode(est, qv, P, R, G, bx, bu);
  updateDrift(est);
  updateDiffusion(est, <f64>n);
  const t = slot(est, MB_RATIO), d2 = slot(est, MB_D2_HAT), bHat = slot(est, MB_B_HAT);
  setSlot(est, MB_PHI, project(-t - bHat / d2, lo, hi));
  setSlot(est, MB_EPISODES, <f64>n);
  return true;
}

/** Adds one episode's statistics to the running sums. */
function foldEpisode(est: usize, a: f64, P: f64, R: f64, G: f64, bx: f64, bu: f64): void {
  setSlot(est, MB_SUM_P, slot(est, MB_SUM_P) + P);
  setSlot(est, MB_SUM_R, slot(est, MB_SUM_R) + R);
  setSlot(est, MB_SUM_G, slot(est, MB_SUM_G) + G);
  setSlot(est, MB_SUM_BX, slot(est, MB_SUM_BX) + bx);
  setSlot(est, MB_SUM_BU, slot(est, MB_SUM_BU) + bu);
  setSlot(est, MB_S_AA, slot(est, MB_S_AA) + a * a);
  setSlot(est, MB_S_AP, slot(est, MB_S_AP) + a * P);
  setSlot(est, MB_S_AR, slot(est, MB_S_AR) + a * R);
  setSlot(est, MB_S_AG, slot(est, MB_S_AG) + a * G);
  setSlot(est, MB_S_PP, slot(est, MB_S_PP) + P * P);
  setSlot(est, MB_S_PR, slot(est, MB_S_PR) + P * R);
  setSlot(est, MB_S_PG, slot(est, MB_S_PG) + P * G);
  setSlot(est, MB_S_RR, slot(est, MB_S_RR) + R * R);
  setSlot(est, MB_S_RG, slot(est, MB_S_RG) + R * G);
  setSlot(est, MB_S_GG, slot(est, MB_S_GG) + G * G);
}

/** (Â, B̂) = M⁻¹·Σb with M = I₂ + Σ[[P, R], [R, G]] (identity ridge). */
function updateDrift(est: usize): void {
  const m11 = 1 + slot(est, MB_SUM_P), m12 = slot(est, MB_SUM_R), m22 = 1 + slot(est, MB_SUM_G);
  const b1 = slot(est, MB_SUM_BX), b2 = slot(est, MB_SUM_BU);
  const det = m11 * m22 - m12 * m12;
  setSlot(est, MB_A_HAT, (m22 * b1 - m12 * b2) / det);
  setSlot(est, MB_B_HAT, (m11 * b2 - m12 * b1) / det);
}

/**
 * Resets the estimator to the warm start (Â, B̂, Ĉ, D̂) = (a0, b0, c0, d0): sums zero, t = c0/d0,
 * D̂² = d0², and φ̂₁ for episode 1 = clamp(−(b0 + c0·d0)/d0²).
 */
export function lqModelBasedInit(prm: usize, est: usize, a0: f64, b0: f64, c0: f64, d0: f64): void {
  memory.fill(est, 0, <usize>MB_BLOCK_BYTES);
  setSlot(est, MB_A_HAT, a0);
  setSlot(est, MB_B_HAT, b0);
  setSlot(est, MB_RATIO, c0 / d0);
  setSlot(est, MB_D2_HAT, d0 * d0);
  setSlot(est, MB_PHI, project(-(b0 + c0 * d0) / (d0 * d0), param(prm, LQ_PHI_LO), param(prm, LQ_PHI_HI)));
}

/** Test entry: real roots of the quartic at `c` (5 coefficients, constant first) into `out`. */
export function quarticRealRoots(c: usize, out: usize, scratch: usize): i32 {
  memory.fill(scratch, 0, <usize>MB_SCRATCH_BYTES);
  return realRoots(c, 4, out, scratch, 0, 0);
}
