// Vectorised ExecutionEnv (src/execution/gym.ts): `num` environments over the shared transition tables,
// stepped per call with automatic reset. Environment i owns one stream for all its episodes (seeded by
// the host), drawing as the single env does: one uniform per reset (start state), one per step.
import { nextU64, wordToUnit } from '../rng';

// ---- dimensions block: i32 slots ----
export const EXV_N_HORIZON: i32 = 0;
export const EXV_N_STATES: i32 = 1;
export const EXV_N_ACTIONS: i32 = 2;
export const EXV_N_OUTCOMES: i32 = 3;
export const EXV_DIM_SLOTS: i32 = 4;

// ---- descriptor block: i32 pointers ----
export const EXV_D_DIMS: i32 = 0;
export const EXV_D_TRANS: i32 = 1; // outcome records (cum, reward, next as i32) of src/execution/env.ts
export const EXV_D_FEASIBLE: i32 = 2; // per env state, i32
export const EXV_D_OBS_INDEX: i32 = 3; // per env state, i32
export const EXV_D_INVENTORY: i32 = 4; // per env state, i32
export const EXV_D_STARTS: i32 = 5; // start states, i32
export const EXV_D_START_CUM: i32 = 6; // their cumulative law, f64 (last entry exactly 1)
export const EXV_D_RNG: i32 = 7; // num × 4 u64
export const EXV_D_ENVI: i32 = 8; // num × EXV_I_SLOTS i32
export const EXV_D_RETURNS: i32 = 9; // num f64: return so far
export const EXV_D_ACTIONS: i32 = 10; // num i32 (in)
export const EXV_D_OBS: i32 = 11; // num × EXV_OBS f64
export const EXV_D_REWARDS: i32 = 12;
export const EXV_D_TERMINATED: i32 = 13;
export const EXV_D_TRUNCATED: i32 = 14;
export const EXV_D_FINAL_OBS: i32 = 15;
export const EXV_D_EPISODES: i32 = 16; // num f64: return of an episode that ended
export const EXV_D_FEASIBLE_OUT: i32 = 17; // num i32: feasible-prefix length at the returned observation
export const EXV_D_BAD: i32 = 18;
export const EXV_DESC_SLOTS: i32 = 19;

export const EXV_I_T: i32 = 0;
export const EXV_I_STATE: i32 = 1;
export const EXV_I_SLOTS: i32 = 2;

/** Observation: t, q, learner index, env state. */
export const EXV_OBS: i32 = 4;

const REC: i32 = 3;

// @ts-ignore: decorator
@inline function ptr(desc: usize, slot: i32): usize {
  return <usize>load<i32>(desc + (<usize>slot << 2));
}

// @ts-ignore: decorator
@inline function i32at(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

function writeObs(desc: usize, out: usize, t: i32, s: i32): void {
  store<f64>(out, <f64>t);
  store<f64>(out, <f64>i32at(ptr(desc, EXV_D_INVENTORY), s), 8);
  store<f64>(out, <f64>i32at(ptr(desc, EXV_D_OBS_INDEX), s), 16);
  store<f64>(out, <f64>s, 24);
}

/** Draws environment i's start state from its stream (one uniform) and writes its observation. */
function startEpisode(desc: usize, i: i32): void {
  const u = wordToUnit(nextU64(ptr(desc, EXV_D_RNG) + (<usize>i << 5)));
  const cum = ptr(desc, EXV_D_START_CUM);
  let j = 0;
  while (u >= load<f64>(cum + (<usize>j << 3))) j++;
  const s = i32at(ptr(desc, EXV_D_STARTS), j);
  const e = ptr(desc, EXV_D_ENVI) + <usize>(i * EXV_I_SLOTS) * 4;
  store<i32>(e, 0);
  store<i32>(e, s, 4);
  store<f64>(ptr(desc, EXV_D_RETURNS) + (<usize>i << 3), 0.0);
  writeObs(desc, ptr(desc, EXV_D_OBS) + <usize>(i * EXV_OBS) * 8, 0, s);
  store<i32>(ptr(desc, EXV_D_FEASIBLE_OUT) + (<usize>i << 2), i32at(ptr(desc, EXV_D_FEASIBLE), s));
}

/** Starts an episode in every environment (streams already seeded by the host). */
export function execVecReset(desc: usize, num: i32): void {
  for (let i = 0; i < num; i++) startEpisode(desc, i);
}

/**
 * One step in every environment. An action outside the feasible prefix 0 … feasible − 1 of its state
 * puts the env index in the BAD block; their count is returned without stepping. Returns 0 otherwise.
 */
export function execVecStep(desc: usize, num: i32): i32 {
  const actions = ptr(desc, EXV_D_ACTIONS), feasibleOut = ptr(desc, EXV_D_FEASIBLE_OUT);
  const badOut = ptr(desc, EXV_D_BAD);
  let bad = 0;
  for (let i = 0; i < num; i++) {
    const a = i32at(actions, i);
    if (a < 0 || a >= i32at(feasibleOut, i)) {
      store<i32>(badOut + (<usize>bad << 2), i);
      bad++;
    }
  }
  if (bad > 0) return bad;
  const dims = ptr(desc, EXV_D_DIMS);
  const N = i32at(dims, EXV_N_HORIZON), S = i32at(dims, EXV_N_STATES);
  const A = i32at(dims, EXV_N_ACTIONS), O = i32at(dims, EXV_N_OUTCOMES);
  const trans = ptr(desc, EXV_D_TRANS), feasible = ptr(desc, EXV_D_FEASIBLE);
  const rngs = ptr(desc, EXV_D_RNG), envi = ptr(desc, EXV_D_ENVI), returns = ptr(desc, EXV_D_RETURNS);
  const obs = ptr(desc, EXV_D_OBS), rewards = ptr(desc, EXV_D_REWARDS);
  const terminated = ptr(desc, EXV_D_TERMINATED), truncated = ptr(desc, EXV_D_TRUNCATED);
  for (let i = 0; i < num; i++) {
    const e = envi + <usize>(i * EXV_I_SLOTS) * 4;
    const t = load<i32>(e), s = load<i32>(e, 4);
    const a = i32at(actions, i);
    const u = wordToUnit(nextU64(rngs + (<usize>i << 5)));
    let off = <usize>(((t * S + s) * A + a) * O * REC) << 3;
    while (u >= load<f64>(trans + off)) off += <usize>REC << 3;
    const reward = load<f64>(trans + off, 8);
    const next = load<i32>(trans + off, 16);
    const tn = t + 1;
    const nf = i32at(feasible, next);
    const done = tn == N || nf == 0;
    const ret = load<f64>(returns + (<usize>i << 3)) + reward;
    store<f64>(rewards + (<usize>i << 3), reward);
    store<u8>(truncated + <usize>i, 0);
    store<u8>(terminated + <usize>i, done ? 1 : 0);
    if (!done) {
      store<i32>(e, tn);
      store<i32>(e, next, 4);
      store<f64>(returns + (<usize>i << 3), ret);
      writeObs(desc, obs + <usize>(i * EXV_OBS) * 8, tn, next);
      store<i32>(feasibleOut + (<usize>i << 2), nf);
      continue;
    }
    writeObs(desc, ptr(desc, EXV_D_FINAL_OBS) + <usize>(i * EXV_OBS) * 8, tn, next);
    store<f64>(ptr(desc, EXV_D_EPISODES) + (<usize>i << 3), ret);
    startEpisode(desc, i);
  }
  return 0;
}
