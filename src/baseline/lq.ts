/**
 * TS twin of assembly/lq/model-free.ts: the same algorithm, the same stream (xoshiro256** on int32
 * pairs), the same shared schedules and ziggurat tables, the same operation order.
 */
import type { LqModel, ModelFreeSettings } from '../lq/model.js';
import { SCHED_ENT, SCHED_LR, SCHED_SD, SCHED_STRIDE, SCHED_VAR } from '../lq/schedules.js';
import type { ZigguratTables } from '../rng/ziggurat.js';
import { fillNormals } from './rng.js';

export function eulerNext(x: number, u: number, dW: number, m: LqModel): number {
  return x + (m.A * x + m.B * u) * m.dt + (m.C * x + m.D * u) * dW;
}

function gradTerm(
  x: number,
  u: number,
  xn: number,
  phi1: number,
  phi2: number,
  ent: number,
  Q: number,
  dt: number,
  halfK: number,
): number {
  const dJ = -halfK * xn * xn - -halfK * x * x;
  return (((u - phi1 * x) * x) / phi2) * (dJ - 0.5 * Q * x * x * dt + ent);
}

export function project(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

/**
 * Iterations n = from+1 … to of one seed: reads φ₁ at out[from], writes out[n]; advances `st`.
 * Returns 0, or the iteration whose episode went non-finite.
 */
export function lqModelFree(
  m: LqModel,
  s: ModelFreeSettings,
  sched: Float64Array,
  z: ZigguratTables,
  st: Int32Array,
  out: Float64Array,
  steps: number,
  from: number,
  to: number,
): number {
  const Q = m.Q,
    dt = m.dt,
    lo = s.phiLo,
    hi = s.phiHi,
    halfK = 0.5 * s.criticK;
  const sqdt = Math.sqrt(dt);
  const lastTerm = steps - 1;
  const noise = new Float64Array(2 * steps);

  let phi1 = out[from] as number;
  for (let n = from + 1; n <= to; n++) {
    const rec = (n - 1) * SCHED_STRIDE;
    const lr = sched[rec + SCHED_LR] as number,
      sd = sched[rec + SCHED_SD] as number;
    const phi2 = sched[rec + SCHED_VAR] as number,
      ent = sched[rec + SCHED_ENT] as number;
    let x = m.x0;
    let grad = 0;
    fillNormals(st, z, noise, 2 * steps); // ξ₀, η₀, ξ₁, η₁, …: action noise first, then the increment
    for (let k = 0; k < steps; k++) {
      const xi = noise[2 * k] as number;
      const eta = noise[2 * k + 1] as number;
      const u = phi1 * x + sd * xi;
      const xn = eulerNext(x, u, sqdt * eta, m);
      if (k < lastTerm) grad += gradTerm(x, u, xn, phi1, phi2, ent, Q, dt, halfK);
      x = xn;
    }
    if (!Number.isFinite(grad) || !Number.isFinite(x)) {
      return n;
    }
    phi1 = project(phi1 + lr * grad, lo, hi);
    out[n] = phi1;
  }
  return 0;
}

/** One update of iteration n from given noise (ξ_k = noise[2k], η_k = noise[2k+1]): the RNG-free vector. */
export function lqModelFreeFixedNoise(
  m: LqModel,
  s: ModelFreeSettings,
  sched: Float64Array,
  noise: Float64Array,
  steps: number,
  n: number,
  phi1: number,
): { phi1: number; grad: number; xT: number } {
  const rec = (n - 1) * SCHED_STRIDE;
  const lr = sched[rec + SCHED_LR] as number,
    sd = sched[rec + SCHED_SD] as number;
  const phi2 = sched[rec + SCHED_VAR] as number,
    ent = sched[rec + SCHED_ENT] as number;
  const sqdt = Math.sqrt(m.dt);
  const halfK = 0.5 * s.criticK;
  let x = m.x0;
  let grad = 0;
  for (let k = 0; k < steps; k++) {
    const u = phi1 * x + sd * (noise[2 * k] as number);
    const xn = eulerNext(x, u, sqdt * (noise[2 * k + 1] as number), m);
    if (k < steps - 1) grad += gradTerm(x, u, xn, phi1, phi2, ent, m.Q, m.dt, halfK);
    x = xn;
  }
  return { phi1: project(phi1 + lr * grad, s.phiLo, s.phiHi), grad, xT: x };
}
