/**
 * TS twin of assembly/lq/model-free.ts: the same algorithm, the same stream (xoshiro256** on int32
 * pairs), the same shared schedules and ziggurat tables, the same operation order.
 */
import type { LqModel, ModelFreeSettings } from '../lq/model.js';
import { SCHED_ENT, SCHED_LR, SCHED_SD, SCHED_STRIDE, SCHED_VAR } from '../lq/schedules.js';
import type { ZigguratTables } from '../rng/ziggurat.js';
import { normalFast, normalSlow } from './rng.js';

const TWO32 = 4294967296;

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
  let s0h = st[0] as number,
    s0l = st[1] as number,
    s1h = st[2] as number,
    s1l = st[3] as number;
  let s2h = st[4] as number,
    s2l = st[5] as number,
    s3h = st[6] as number,
    s3l = st[7] as number;
  const spill = () => {
    st[0] = s0h;
    st[1] = s0l;
    st[2] = s1h;
    st[3] = s1l;
    st[4] = s2h;
    st[5] = s2l;
    st[6] = s3h;
    st[7] = s3l;
  };
  let phi1 = out[from] as number;
  for (let n = from + 1; n <= to; n++) {
    const rec = (n - 1) * SCHED_STRIDE;
    const lr = sched[rec + SCHED_LR] as number,
      sd = sched[rec + SCHED_SD] as number;
    const phi2 = sched[rec + SCHED_VAR] as number,
      ent = sched[rec + SCHED_ENT] as number;
    let x = m.x0;
    let grad = 0;
    for (let k = 0; k < steps; k++) {
      let xi = 0;
      let eta = 0;
      for (let draw = 0; draw < 2; draw++) {
        // xoshiro256** on (hi, lo) pairs: w = rotl(s1·5, 7)·9, then the state update.
        let p = (s1l >>> 0) * 5;
        const ml = p | 0,
          mh = (Math.imul(s1h, 5) + Math.floor(p / TWO32)) | 0;
        const rh = (mh << 7) | (ml >>> 25),
          rl = (ml << 7) | (mh >>> 25);
        p = (rl >>> 0) * 9;
        const wl = p | 0,
          wh = (Math.imul(rh, 9) + Math.floor(p / TWO32)) | 0;
        const th = (s1h << 17) | (s1l >>> 15),
          tl = s1l << 17;
        s2h ^= s0h;
        s2l ^= s0l;
        s3h ^= s1h;
        s3l ^= s1l;
        s1h ^= s2h;
        s1l ^= s2l;
        s0h ^= s3h;
        s0l ^= s3l;
        s2h ^= th;
        s2l ^= tl;
        const r3h = (s3l << 13) | (s3h >>> 19);
        s3l = (s3h << 13) | (s3l >>> 19);
        s3h = r3h;
        let v = normalFast(wh, wl, z);
        if (Number.isNaN(v)) {
          spill();
          v = normalSlow(st, wh, wl, z);
          s0h = st[0] as number;
          s0l = st[1] as number;
          s1h = st[2] as number;
          s1l = st[3] as number;
          s2h = st[4] as number;
          s2l = st[5] as number;
          s3h = st[6] as number;
          s3l = st[7] as number;
        }
        if (draw === 0) xi = v;
        else eta = v;
      }
      const u = phi1 * x + sd * xi;
      const xn = eulerNext(x, u, sqdt * eta, m);
      if (k < lastTerm) grad += gradTerm(x, u, xn, phi1, phi2, ent, Q, dt, halfK);
      x = xn;
    }
    if (!Number.isFinite(grad) || !Number.isFinite(x)) {
      spill();
      return n;
    }
    phi1 = project(phi1 + lr * grad, lo, hi);
    out[n] = phi1;
  }
  spill();
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
