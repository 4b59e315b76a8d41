// Model-free actor–critic (Huang–Jia–Zhou 2024, Algorithm 1), spec §3: one seed's iterations per call.
import { normalFast, normalSlow } from '../rng';
import {
  LQ_A, LQ_B, LQ_C, LQ_CRITIC_K, LQ_D, LQ_DT, LQ_PHI_HI, LQ_PHI_LO, LQ_Q, LQ_X0, param,
} from './params';
import { eulerNext, gradTerm, project } from './step';

/**
 * Runs iterations n = from+1 … to (1-based) of one seed. Reads φ₁ after `from` updates at out[from],
 * writes φ₁ after update n at out[n]; `sched` holds the per-iteration records (params.ts), `st` the
 * xoshiro256** state (advanced in place, so consecutive calls continue one stream).
 * Per Euler step it draws ξ (action noise) then η (Brownian increment): 2·steps normals per episode.
 * Returns 0, or the iteration whose episode produced a non-finite state or gradient.
 */
export function lqModelFree(
  prm: usize, sched: usize, zig: usize, st: usize, out: usize, steps: i32, from: i32, to: i32,
): i32 {
  const A = param(prm, LQ_A), B = param(prm, LQ_B), C = param(prm, LQ_C), D = param(prm, LQ_D);
  const Q = param(prm, LQ_Q), x0 = param(prm, LQ_X0), dt = param(prm, LQ_DT);
  const lo = param(prm, LQ_PHI_LO), hi = param(prm, LQ_PHI_HI), halfK = 0.5 * param(prm, LQ_CRITIC_K);
  const sqdt = Math.sqrt(dt);
  const lastTerm = steps - 1; // Γ pairs consecutive stored states: steps − 1 terms (spec: 99, not 100)
  let s0 = load<u64>(st), s1 = load<u64>(st, 8), s2 = load<u64>(st, 16), s3 = load<u64>(st, 24);
  let phi1 = load<f64>(out + (<usize>from << 3));
  for (let n = from + 1; n <= to; n++) {
    const rec = sched + (<usize>(n - 1) << 5);
    const lr = load<f64>(rec), sd = load<f64>(rec, 8), phi2 = load<f64>(rec, 16), ent = load<f64>(rec, 24);
    let x = x0;
    let grad = 0.0;
    for (let k = 0; k < steps; k++) {
      // ξ: xoshiro256** inline (state stays in locals), then the ziggurat fast path.
      let w = rotl<u64>(s1 * 5, 7) * 9;
      let t = s1 << 17;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u64>(s3, 45);
      let xi = normalFast(w, zig);
      if (isNaN(xi)) {
        store<u64>(st, s0); store<u64>(st, s1, 8); store<u64>(st, s2, 16); store<u64>(st, s3, 24);
        xi = normalSlow(st, w, zig);
        s0 = load<u64>(st); s1 = load<u64>(st, 8); s2 = load<u64>(st, 16); s3 = load<u64>(st, 24);
      }
      // η
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
      if (k < lastTerm) grad += gradTerm(x, u, xn, phi1, phi2, ent, Q, dt, halfK);
      x = xn;
    }
    if (!isFinite(grad) || !isFinite(x)) {
      store<u64>(st, s0); store<u64>(st, s1, 8); store<u64>(st, s2, 16); store<u64>(st, s3, 24);
      return n;
    }
    phi1 = project(phi1 + lr * grad, lo, hi);
    store<f64>(out + (<usize>n << 3), phi1);
  }
  store<u64>(st, s0); store<u64>(st, s1, 8); store<u64>(st, s2, 16); store<u64>(st, s3, 24);
  return 0;
}

/**
 * One update of iteration n from given noise (ξ_k at noise[2k], η_k at noise[2k+1]) instead of the
 * stream: the spec's RNG-free test vector. Returns the projected φ₁.
 */
export function lqModelFreeFixedNoise(
  prm: usize, sched: usize, noise: usize, steps: i32, n: i32, phi1: f64,
): f64 {
  const A = param(prm, LQ_A), B = param(prm, LQ_B), C = param(prm, LQ_C), D = param(prm, LQ_D);
  const Q = param(prm, LQ_Q), dt = param(prm, LQ_DT), halfK = 0.5 * param(prm, LQ_CRITIC_K);
  const rec = sched + (<usize>(n - 1) << 5);
  const lr = load<f64>(rec), sd = load<f64>(rec, 8), phi2 = load<f64>(rec, 16), ent = load<f64>(rec, 24);
  const sqdt = Math.sqrt(dt);
  let x = param(prm, LQ_X0);
  let grad = 0.0;
  for (let k = 0; k < steps; k++) {
    const xi = load<f64>(noise + (<usize>k << 4)), eta = load<f64>(noise + (<usize>k << 4), 8);
    const u = phi1 * x + sd * xi;
    const xn = eulerNext(x, u, sqdt * eta, A, B, C, D, dt);
    if (k < steps - 1) grad += gradTerm(x, u, xn, phi1, phi2, ent, Q, dt, halfK);
    x = xn;
  }
  lastGrad = grad;
  lastState = x;
  return project(phi1 + lr * grad, param(prm, LQ_PHI_LO), param(prm, LQ_PHI_HI));
}

/** Γ and x_K of the last lqModelFreeFixedNoise call, for the test vector's intermediate values. */
export let lastGrad: f64 = 0;
export let lastState: f64 = 0;
