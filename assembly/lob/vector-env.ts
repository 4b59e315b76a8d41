// Vectorised MarketMakingEnv (src/lob/env.ts): `num` independent environments stepped per call, each
// one decision epoch, with automatic reset. Environment i plays episodes i, i + num, i + 2·num, … of the
// stream family `base` (episode e keyed splitmix64(base ^ e), the simulator's keying), so its episodes
// are the simulator's episodes of those indices. Same operation order as the JS env, bit for bit.
import { expFast, expSlow, nextU64, splitmix64, wordToUnit } from '../rng';
import {
  applyAction, applyAction16, applyEvent, cancelAll, cancelQueue, cancelRank, liquidation, rates, selectEvent,
} from './book';
import {
  LOB_BOUNDARY_REFILL, LOB_C_A_INF, LOB_C_ACTIONS, LOB_C_B_INF, LOB_C_BOUNDARY, LOB_C_CANCEL,
  LOB_C_COUNTS_MM, LOB_C_K, LOB_C_L2, LOB_C_LIQUIDATION, LOB_C_MAX_EVENTS, LOB_C_PEG, LOB_CANCEL_AHEAD,
  LOB_CANCEL_UNIFORM, LOB_O_CAPPED, LOB_O_EVENTS, LOB_O_FILLS_ASK, LOB_O_FILLS_BID, LOB_O_HITS, LOB_O_PNL,
  LOB_O_QUOTE_ASK, LOB_O_QUOTE_BID, LOB_O_RESERVOIR_TIME, LOB_O_REWARD, LOB_O_Y, LOB_OUT_STRIDE, LOB_P_ETA,
  LOB_P_T, LOB_S_A, LOB_S_ASK2_PRICE, LOB_S_ASK2_RANK, LOB_S_ASK_PRICE, LOB_S_ASK_RANK, LOB_S_B,
  LOB_S_BID2_PRICE, LOB_S_BID2_RANK, LOB_S_BID_PRICE, LOB_S_BID_RANK, LOB_S_HITS, LOB_S_PA, LOB_S_PB, LOB_S_X,
  LOB_S_Y, LOB_STATE_SLOTS,
} from './layout';
import { fget, sget, sset } from './access';

// ---- descriptor block: i32 pointers, filled by the host once ----
export const LOBV_D_CFG: i32 = 0;
export const LOBV_D_PRM: i32 = 1;
export const LOBV_D_TBL: i32 = 2;
export const LOBV_D_ZIG: i32 = 3;
export const LOBV_D_INIT: i32 = 4; // initial state z0
export const LOBV_D_STATES: i32 = 5; // num × LOB_STATE_SLOTS i32
export const LOBV_D_SCRATCH: i32 = 6; // one state block (mark-to-market copy)
export const LOBV_D_RATES: i32 = 7; // LOB_RATES_LEN f64
export const LOBV_D_RNG: i32 = 8; // num × 4 u64
export const LOBV_D_ENVF: i32 = 9; // num × LOBV_F_SLOTS f64
export const LOBV_D_ENVI: i32 = 10; // num × LOBV_I_SLOTS i32
export const LOBV_D_ACTIONS: i32 = 11; // num i32 (in)
export const LOBV_D_OBS: i32 = 12; // num × obsDim f64 (out)
export const LOBV_D_REWARDS: i32 = 13; // num f64
export const LOBV_D_TERMINATED: i32 = 14; // num u8
export const LOBV_D_TRUNCATED: i32 = 15; // num u8
export const LOBV_D_FINAL_OBS: i32 = 16; // num × obsDim f64: last observation of an episode that ended
export const LOBV_D_EPISODES: i32 = 17; // num × LOB_OUT_STRIDE f64: its simulator record
export const LOBV_D_BAD: i32 = 18; // num i32: indices of actions outside the space
export const LOBV_DESC_SLOTS: i32 = 19;

// ---- per-environment slots ----
export const LOBV_F_T: i32 = 0;
export const LOBV_F_VALUE: i32 = 1; // mark-to-market g of the last observed state
export const LOBV_F_QUOTE_ASK: i32 = 2;
export const LOBV_F_QUOTE_BID: i32 = 3;
export const LOBV_F_RESERVOIR: i32 = 4;
export const LOBV_F_SLOTS: i32 = 5;
export const LOBV_I_EVENTS: i32 = 0;
export const LOBV_I_FILLS_ASK: i32 = 1;
export const LOBV_I_FILLS_BID: i32 = 2;
export const LOBV_I_EPISODE: i32 = 3;
export const LOBV_I_SLOTS: i32 = 4;

const GOLDEN: u64 = 0x9e3779b97f4a7c15;

// @ts-ignore: decorator
@inline function ptr(desc: usize, slot: i32): usize {
  return <usize>load<i32>(desc + (<usize>slot << 2));
}

/** Flat observation size for frame depth K (src/lob/env.ts observationSize). */
// @ts-ignore: decorator
@inline function obsDim(K: i32): i32 {
  return 5 + 2 * K + 12;
}

// The book's fixed settings, unpacked from the configuration once per call.
let bK: i32 = 0;
let bRefill: bool = false;
let bAInf: i32 = 0;
let bBInf: i32 = 0;
let bOneTick: bool = false;
let bPeg: bool = false;
let bPlusTick: bool = false;
let bEta: f64 = 0;
/** x + L(y) of the last closeOut (the episode P&L when it closes an episode). */
let lastPnl: i32 = 0;

function loadBook(cfg: usize, prm: usize): void {
  bK = sget(cfg, LOB_C_K);
  bRefill = sget(cfg, LOB_C_BOUNDARY) == LOB_BOUNDARY_REFILL;
  bAInf = sget(cfg, LOB_C_A_INF);
  bBInf = sget(cfg, LOB_C_B_INF);
  bOneTick = sget(cfg, LOB_C_L2) != 0;
  bPeg = sget(cfg, LOB_C_PEG) != 0;
  bPlusTick = sget(cfg, LOB_C_LIQUIDATION) != 0;
  bEta = fget(prm, LOB_P_ETA);
}

/** g of the state at `st` with MM orders cancelled, in place: x + L(y) − η·y² (x + L(y) in lastPnl). */
function closeOut(st: usize): f64 {
  cancelAll(st, bK, bRefill, bAInf, bBInf);
  const y = sget(st, LOB_S_Y);
  lastPnl = sget(st, LOB_S_X) + liquidation(st, y, bK, bAInf, bBInf, bPlusTick);
  return <f64>lastPnl - bEta * <f64>y * <f64>y;
}

/** g of the state at `st` evaluated on the scratch copy. */
function markToMarket(st: usize, scratch: usize): f64 {
  // Flat: L(0) = 0 and no penalty, so g is the cash (cancelling MM orders does not move cash).
  if (sget(st, LOB_S_Y) == 0) return <f64>sget(st, LOB_S_X);
  memory.copy(scratch, st, <usize>LOB_STATE_SLOTS << 2);
  return closeOut(scratch);
}

/** The flat observation of src/lob/env.ts writeObservation. */
function writeObs(st: usize, K: i32, timeToGo: f64, out: usize): void {
  const pb = sget(st, LOB_S_PB), pa = sget(st, LOB_S_PA);
  store<f64>(out, timeToGo);
  store<f64>(out, <f64>(pa - pb), 8);
  store<f64>(out, <f64>sget(st, LOB_S_Y), 16);
  store<f64>(out, <f64>sget(st, LOB_S_X), 24);
  store<f64>(out, <f64>pb, 32);
  const q = out + 40;
  for (let i = 0; i < K; i++) {
    store<f64>(q + (<usize>i << 3), <f64>sget(st, LOB_S_A + i));
    store<f64>(q + (<usize>(K + i) << 3), <f64>sget(st, LOB_S_B + i));
  }
  const o = q + (<usize>(2 * K) << 3);
  writeOrder(o, st, LOB_S_ASK_PRICE, sget(st, LOB_S_ASK_PRICE) - pa);
  writeOrder(o + 24, st, LOB_S_BID_PRICE, pb - sget(st, LOB_S_BID_PRICE));
  writeOrder(o + 48, st, LOB_S_ASK2_PRICE, sget(st, LOB_S_ASK2_PRICE) - pa);
  writeOrder(o + 72, st, LOB_S_BID2_PRICE, pb - sget(st, LOB_S_BID2_PRICE));
}

// @ts-ignore: decorator
@inline function writeOrder(o: usize, st: usize, p: i32, offset: i32): void {
  const rank = sget(st, p + 1);
  const on = rank > 0;
  store<f64>(o, on ? 1.0 : 0.0);
  store<f64>(o, on ? <f64>offset : 0.0, 8);
  store<f64>(o, on ? <f64>rank : 0.0, 16);
}

/** Starts episode `ep` in environment i: stream, state z0, counters, value, observation. */
function startEpisode(desc: usize, i: i32, base: u64, ep: i32): void {
  const rng = ptr(desc, LOBV_D_RNG) + (<usize>i << 5);
  const key = splitmix64(base ^ <u64>ep);
  store<u64>(rng, splitmix64(key));
  store<u64>(rng, splitmix64(key + GOLDEN), 8);
  store<u64>(rng, splitmix64(key + 2 * GOLDEN), 16);
  store<u64>(rng, splitmix64(key + 3 * GOLDEN), 24);
  const st = ptr(desc, LOBV_D_STATES) + <usize>(i * LOB_STATE_SLOTS) * 4;
  memory.copy(st, ptr(desc, LOBV_D_INIT), <usize>LOB_STATE_SLOTS << 2);
  sset(st, LOB_S_HITS, 0);
  const f = ptr(desc, LOBV_D_ENVF) + <usize>(i * LOBV_F_SLOTS) * 8;
  memory.fill(f, 0, <usize>LOBV_F_SLOTS << 3);
  store<f64>(f + (<usize>LOBV_F_VALUE << 3), markToMarket(st, ptr(desc, LOBV_D_SCRATCH)));
  const e = ptr(desc, LOBV_D_ENVI) + <usize>(i * LOBV_I_SLOTS) * 4;
  memory.fill(e, 0, <usize>LOBV_I_SLOTS << 2);
  sset(e, LOBV_I_EPISODE, ep);
  const dim = obsDim(bK);
  writeObs(st, bK, fget(ptr(desc, LOBV_D_PRM), LOB_P_T), ptr(desc, LOBV_D_OBS) + <usize>(i * dim) * 8);
}

/** Starts episode i in every environment i < num. */
export function lobVecReset(desc: usize, base: u64, num: i32): void {
  loadBook(ptr(desc, LOBV_D_CFG), ptr(desc, LOBV_D_PRM));
  for (let i = 0; i < num; i++) startEpisode(desc, i, base, i);
}

/**
 * One decision epoch in every environment. First checks every action (0 ≤ a < n): if any is outside
 * the space, writes their env indices to the BAD block and returns their count without stepping.
 * Returns 0 on success, or −(i + 1) when environment i met a non-finite or zero total intensity.
 */
export function lobVecStep(desc: usize, base: u64, num: i32): i32 {
  const cfg = ptr(desc, LOBV_D_CFG), prm = ptr(desc, LOBV_D_PRM), tbl = ptr(desc, LOBV_D_TBL);
  const zig = ptr(desc, LOBV_D_ZIG);
  const actions = ptr(desc, LOBV_D_ACTIONS);
  const actionClass = sget(cfg, LOB_C_ACTIONS);
  const nActions = actionClass == 0 ? 4 : actionClass == 1 ? 9 : 16;
  let bad = 0;
  const badOut = ptr(desc, LOBV_D_BAD);
  for (let i = 0; i < num; i++) {
    const a = load<i32>(actions + (<usize>i << 2));
    if (a < 0 || a >= nActions) {
      store<i32>(badOut + (<usize>bad << 2), i);
      bad++;
    }
  }
  if (bad > 0) return bad;
  loadBook(cfg, prm);
  const K = bK;
  const cancelMode = sget(cfg, LOB_C_CANCEL);
  const countsMM = sget(cfg, LOB_C_COUNTS_MM) != 0;
  const maxEvents = sget(cfg, LOB_C_MAX_EVENTS);
  const T = fget(prm, LOB_P_T);
  const dim = obsDim(K);
  const states = ptr(desc, LOBV_D_STATES), rngs = ptr(desc, LOBV_D_RNG);
  const envf = ptr(desc, LOBV_D_ENVF), envi = ptr(desc, LOBV_D_ENVI), r = ptr(desc, LOBV_D_RATES);
  const scratch = ptr(desc, LOBV_D_SCRATCH), obs = ptr(desc, LOBV_D_OBS);
  const rewards = ptr(desc, LOBV_D_REWARDS);
  const terminated = ptr(desc, LOBV_D_TERMINATED), truncated = ptr(desc, LOBV_D_TRUNCATED);
  for (let i = 0; i < num; i++) {
    const st = states + <usize>(i * LOB_STATE_SLOTS) * 4;
    const rng = rngs + (<usize>i << 5);
    const f = envf + <usize>(i * LOBV_F_SLOTS) * 8;
    const e = envi + <usize>(i * LOBV_I_SLOTS) * 4;
    const a = load<i32>(actions + (<usize>i << 2));
    // ---- decision ----
    const ask = actionClass == 0 ? a >> 1 : actionClass == 1 ? a / 3 : a >> 2;
    const bid = actionClass == 0 ? a & 1 : actionClass == 1 ? a % 3 : a & 3;
    if (actionClass == 2) applyAction16(st, ask, bid, K, bRefill, bAInf, bBInf, bOneTick);
    else if (!(ask == 1 && bid == 1 && sget(st, LOB_S_ASK_RANK) > 0 && sget(st, LOB_S_ASK_PRICE) == sget(st, LOB_S_PA)
      && sget(st, LOB_S_BID_RANK) > 0 && sget(st, LOB_S_BID_PRICE) == sget(st, LOB_S_PB))) {
      applyAction(st, ask, bid, K, bRefill, bAInf, bBInf, bOneTick);
    }
    // ---- waiting time and event ----
    const lam = rates(st, tbl, r, K, countsMM);
    if (!(lam > 0) || !isFinite(lam)) return -(i + 1);
    const w = nextU64(rng);
    let eps = expFast(w, zig);
    if (isNaN(eps)) eps = expSlow(rng, w, zig);
    const tau = eps / lam;
    const askOn = sget(st, LOB_S_ASK_RANK) > 0 || sget(st, LOB_S_ASK2_RANK) > 0;
    const bidOn = sget(st, LOB_S_BID_RANK) > 0 || sget(st, LOB_S_BID2_RANK) > 0;
    const inReservoir = sget(st, LOB_S_PA) - sget(st, LOB_S_PB) > K;
    const t = load<f64>(f);
    let capped = false, ended = false;
    if (t + tau > T) {
      const rest = T - t;
      if (askOn) store<f64>(f, load<f64>(f, 16) + rest, 16);
      if (bidOn) store<f64>(f, load<f64>(f, 24) + rest, 24);
      if (inReservoir) store<f64>(f, load<f64>(f, 32) + rest, 32);
      store<f64>(f, T);
      ended = true;
    } else {
      if (askOn) store<f64>(f, load<f64>(f, 16) + tau, 16);
      if (bidOn) store<f64>(f, load<f64>(f, 24) + tau, 24);
      if (inReservoir) store<f64>(f, load<f64>(f, 32) + tau, 32);
      store<f64>(f, t + tau);
      const ev = selectEvent(r, K, wordToUnit(nextU64(rng)) * lam);
      let ahead = false;
      const rank = cancelRank(st, ev, K);
      if (rank > 1) {
        if (cancelMode == LOB_CANCEL_UNIFORM) {
          ahead = wordToUnit(nextU64(rng)) * <f64>cancelQueue(st, ev, K) < <f64>(rank - 1);
        } else ahead = cancelMode == LOB_CANCEL_AHEAD;
      }
      const fill = applyEvent(st, ev, ahead, K, bRefill, bAInf, bBInf, bPeg);
      if (fill == 1) sset(e, LOBV_I_FILLS_ASK, sget(e, LOBV_I_FILLS_ASK) + 1);
      else if (fill == 2) sset(e, LOBV_I_FILLS_BID, sget(e, LOBV_I_FILLS_BID) + 1);
      const n = sget(e, LOBV_I_EVENTS) + 1;
      sset(e, LOBV_I_EVENTS, n);
      if (n == maxEvents) {
        capped = true;
        ended = true;
      }
    }
    const row = obs + <usize>(i * dim) * 8;
    const value = load<f64>(f, 8);
    if (!ended) {
      const v = markToMarket(st, scratch);
      store<f64>(rewards + (<usize>i << 3), v - value);
      store<f64>(f, v, 8);
      store<u8>(terminated + <usize>i, 0);
      store<u8>(truncated + <usize>i, 0);
      writeObs(st, K, T - load<f64>(f), row);
      continue;
    }
    // ---- end of episode: close out, report, start the next one ----
    const g = closeOut(st);
    store<f64>(rewards + (<usize>i << 3), g - value);
    store<u8>(terminated + <usize>i, capped ? 0 : 1);
    store<u8>(truncated + <usize>i, capped ? 1 : 0);
    writeObs(st, K, T - load<f64>(f), ptr(desc, LOBV_D_FINAL_OBS) + <usize>(i * dim) * 8);
    const rec = ptr(desc, LOBV_D_EPISODES) + <usize>(i * LOB_OUT_STRIDE) * 8;
    const y = sget(st, LOB_S_Y);
    store<f64>(rec + (<usize>LOB_O_PNL << 3), <f64>lastPnl);
    store<f64>(rec + (<usize>LOB_O_REWARD << 3), g);
    store<f64>(rec + (<usize>LOB_O_Y << 3), <f64>y);
    store<f64>(rec + (<usize>LOB_O_EVENTS << 3), <f64>sget(e, LOBV_I_EVENTS));
    store<f64>(rec + (<usize>LOB_O_FILLS_ASK << 3), <f64>sget(e, LOBV_I_FILLS_ASK));
    store<f64>(rec + (<usize>LOB_O_FILLS_BID << 3), <f64>sget(e, LOBV_I_FILLS_BID));
    store<f64>(rec + (<usize>LOB_O_QUOTE_ASK << 3), load<f64>(f, 16));
    store<f64>(rec + (<usize>LOB_O_QUOTE_BID << 3), load<f64>(f, 24));
    store<f64>(rec + (<usize>LOB_O_HITS << 3), <f64>sget(st, LOB_S_HITS));
    store<f64>(rec + (<usize>LOB_O_CAPPED << 3), capped ? 1.0 : 0.0);
    store<f64>(rec + (<usize>LOB_O_RESERVOIR_TIME << 3), load<f64>(f, 32));
    startEpisode(desc, i, base, sget(e, LOBV_I_EPISODE) + num);
  }
  return 0;
}
