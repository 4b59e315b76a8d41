// Vectorised LqDiffusionEnv (src/lq/env.ts): `num` Euler-discretised controlled SDEs stepped per call,
// with automatic reset. Environment i plays episodes i, i + num, … of the stream family `base`
// (episode e keyed splitmix64(base ^ e)); each step draws one normal for the Brownian increment.
import { normalFast, normalSlow, splitmix64 } from '../rng';
import { eulerNext } from './step';

// ---- parameter block: f64 slots ----
export const LQV_P_A: i32 = 0;
export const LQV_P_B: i32 = 1;
export const LQV_P_C: i32 = 2;
export const LQV_P_D: i32 = 3;
export const LQV_P_Q: i32 = 4;
export const LQV_P_H: i32 = 5;
export const LQV_P_X0: i32 = 6;
export const LQV_P_DT: i32 = 7;
export const LQV_P_PHI_STAR: i32 = 8; // optimal feedback gain φ₁*
export const LQV_P_STEPS: i32 = 9; // Euler steps per episode (a whole number)
export const LQV_PARAM_SLOTS: i32 = 10;

// ---- descriptor block: i32 pointers ----
export const LQV_D_PRM: i32 = 0;
export const LQV_D_ZIG: i32 = 1;
export const LQV_D_REGRET_W: i32 = 2; // steps f64: ½·k(t_k)·D²·dt, k the Riccati solution
export const LQV_D_RNG: i32 = 3; // num × 4 u64
export const LQV_D_ENVF: i32 = 4; // num × LQV_F_SLOTS f64
export const LQV_D_ENVI: i32 = 5; // num × LQV_I_SLOTS i32
export const LQV_D_ACTIONS: i32 = 6; // num f64 (in)
export const LQV_D_OBS: i32 = 7; // num × 2 f64: (t, x)
export const LQV_D_REWARDS: i32 = 8;
export const LQV_D_TERMINATED: i32 = 9; // num u8
export const LQV_D_TRUNCATED: i32 = 10; // num u8 (always 0: the horizon is part of the MDP)
export const LQV_D_FINAL_OBS: i32 = 11; // num × 2 f64
export const LQV_D_EPISODES: i32 = 12; // num × LQV_E_STRIDE f64
export const LQV_D_OPTIMAL: i32 = 13; // num f64: φ₁*·x at the returned observation
export const LQV_D_REGRET: i32 = 14; // num f64: the step's regret contribution
export const LQV_D_BAD: i32 = 15; // num i32
export const LQV_DESC_SLOTS: i32 = 16;

export const LQV_F_X: i32 = 0;
export const LQV_F_RETURN: i32 = 1;
export const LQV_F_REGRET: i32 = 2;
export const LQV_F_SLOTS: i32 = 3;
export const LQV_I_STEP: i32 = 0;
export const LQV_I_EPISODE: i32 = 1;
export const LQV_I_SLOTS: i32 = 2;

// Episode record written when an episode ends.
export const LQV_E_RETURN: i32 = 0;
export const LQV_E_REGRET: i32 = 1;
export const LQV_E_X_T: i32 = 2;
export const LQV_E_STRIDE: i32 = 3;

const GOLDEN: u64 = 0x9e3779b97f4a7c15;

// @ts-ignore: decorator
@inline function ptr(desc: usize, slot: i32): usize {
  return <usize>load<i32>(desc + (<usize>slot << 2));
}

// @ts-ignore: decorator
@inline function p(prm: usize, slot: i32): f64 {
  return load<f64>(prm + (<usize>slot << 3));
}

function startEpisode(desc: usize, i: i32, base: u64, ep: i32): void {
  const prm = ptr(desc, LQV_D_PRM);
  const rng = ptr(desc, LQV_D_RNG) + (<usize>i << 5);
  const key = splitmix64(base ^ <u64>ep);
  store<u64>(rng, splitmix64(key));
  store<u64>(rng, splitmix64(key + GOLDEN), 8);
  store<u64>(rng, splitmix64(key + 2 * GOLDEN), 16);
  store<u64>(rng, splitmix64(key + 3 * GOLDEN), 24);
  const x0 = p(prm, LQV_P_X0);
  const f = ptr(desc, LQV_D_ENVF) + <usize>(i * LQV_F_SLOTS) * 8;
  store<f64>(f, x0);
  store<f64>(f, 0.0, 8);
  store<f64>(f, 0.0, 16);
  const e = ptr(desc, LQV_D_ENVI) + <usize>(i * LQV_I_SLOTS) * 4;
  store<i32>(e, 0);
  store<i32>(e, ep, 4);
  const o = ptr(desc, LQV_D_OBS) + (<usize>i << 4);
  store<f64>(o, 0.0);
  store<f64>(o, x0, 8);
  store<f64>(ptr(desc, LQV_D_OPTIMAL) + (<usize>i << 3), p(prm, LQV_P_PHI_STAR) * x0);
}

/** Starts episode i in every environment i < num. */
export function lqVecReset(desc: usize, base: u64, num: i32): void {
  for (let i = 0; i < num; i++) startEpisode(desc, i, base, i);
}

/**
 * One Euler step in every environment. Actions must be finite: otherwise their env indices go to the
 * BAD block and their count is returned without stepping. Returns 0, or −(i + 1) when environment i's
 * state became non-finite.
 */
export function lqVecStep(desc: usize, base: u64, num: i32): i32 {
  const actions = ptr(desc, LQV_D_ACTIONS);
  const badOut = ptr(desc, LQV_D_BAD);
  let bad = 0;
  for (let i = 0; i < num; i++) {
    if (!isFinite(load<f64>(actions + (<usize>i << 3)))) {
      store<i32>(badOut + (<usize>bad << 2), i);
      bad++;
    }
  }
  if (bad > 0) return bad;
  const prm = ptr(desc, LQV_D_PRM), zig = ptr(desc, LQV_D_ZIG), wts = ptr(desc, LQV_D_REGRET_W);
  const A = p(prm, LQV_P_A), B = p(prm, LQV_P_B), C = p(prm, LQV_P_C), D = p(prm, LQV_P_D);
  const Q = p(prm, LQV_P_Q), H = p(prm, LQV_P_H), dt = p(prm, LQV_P_DT), phiStar = p(prm, LQV_P_PHI_STAR);
  const steps = <i32>p(prm, LQV_P_STEPS);
  const sqdt = Math.sqrt(dt);
  const rngs = ptr(desc, LQV_D_RNG), envf = ptr(desc, LQV_D_ENVF), envi = ptr(desc, LQV_D_ENVI);
  const obs = ptr(desc, LQV_D_OBS), rewards = ptr(desc, LQV_D_REWARDS);
  const optimal = ptr(desc, LQV_D_OPTIMAL), regret = ptr(desc, LQV_D_REGRET);
  const terminated = ptr(desc, LQV_D_TERMINATED), truncated = ptr(desc, LQV_D_TRUNCATED);
  for (let i = 0; i < num; i++) {
    const f = envf + <usize>(i * LQV_F_SLOTS) * 8;
    const e = envi + <usize>(i * LQV_I_SLOTS) * 4;
    const x = load<f64>(f);
    const k = load<i32>(e);
    const u = load<f64>(actions + (<usize>i << 3));
    const dev = u - phiStar * x;
    const reg = load<f64>(wts + (<usize>k << 3)) * dev * dev;
    let reward = -0.5 * Q * x * x * dt;
    // One xoshiro256** word from the env's state (kept in locals), then the ziggurat fast path.
    const rng = rngs + (<usize>i << 5);
    let s0 = load<u64>(rng), s1 = load<u64>(rng, 8), s2 = load<u64>(rng, 16), s3 = load<u64>(rng, 24);
    const w = rotl<u64>(s1 * 5, 7) * 9;
    const tt = s1 << 17;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= tt; s3 = rotl<u64>(s3, 45);
    store<u64>(rng, s0); store<u64>(rng, s1, 8); store<u64>(rng, s2, 16); store<u64>(rng, s3, 24);
    let eta = normalFast(w, zig);
    if (isNaN(eta)) eta = normalSlow(rng, w, zig);
    const xn = eulerNext(x, u, sqdt * eta, A, B, C, D, dt);
    if (!isFinite(xn)) return -(i + 1);
    const kn = k + 1;
    if (kn == steps) reward += -0.5 * H * xn * xn;
    const ret = load<f64>(f, 8) + reward, regSum = load<f64>(f, 16) + reg;
    store<f64>(rewards + (<usize>i << 3), reward);
    store<f64>(regret + (<usize>i << 3), reg);
    store<u8>(truncated + <usize>i, 0);
    if (kn < steps) {
      store<f64>(f, xn);
      store<f64>(f, ret, 8);
      store<f64>(f, regSum, 16);
      store<i32>(e, kn);
      const o = obs + (<usize>i << 4);
      store<f64>(o, <f64>kn * dt);
      store<f64>(o, xn, 8);
      store<f64>(optimal + (<usize>i << 3), phiStar * xn);
      store<u8>(terminated + <usize>i, 0);
      continue;
    }
    store<u8>(terminated + <usize>i, 1);
    const fo = ptr(desc, LQV_D_FINAL_OBS) + (<usize>i << 4);
    store<f64>(fo, <f64>kn * dt);
    store<f64>(fo, xn, 8);
    const rec = ptr(desc, LQV_D_EPISODES) + <usize>(i * LQV_E_STRIDE) * 8;
    store<f64>(rec + (<usize>LQV_E_RETURN << 3), ret);
    store<f64>(rec + (<usize>LQV_E_REGRET << 3), regSum);
    store<f64>(rec + (<usize>LQV_E_X_T << 3), xn);
    startEpisode(desc, i, base, load<i32>(e, 4) + num);
  }
  return 0;
}
