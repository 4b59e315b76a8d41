// Single-state entry points of the order book: hand-made-book tests, the successor enumeration the
// Qknn solver needs (spec §4.4) and a one-event sampler to check it against simulation.
import { nextU64, wordToUnit } from '../rng';
import {
  applyAction, applyAction16, applyEvent, cancelAll, cancelQueue, cancelRank, liquidation, rates, reanchor,
  selectEvent,
} from './book';
import {
  LOB_BOUNDARY_REFILL, LOB_C_A_INF, LOB_C_B_INF, LOB_C_BOUNDARY, LOB_C_CANCEL, LOB_C_COUNTS_MM, LOB_C_K,
  LOB_C_L2, LOB_C_PEG, LOB_C_LIQUIDATION, LOB_CANCEL_AHEAD, LOB_CANCEL_BEHIND, LOB_CANCEL_UNIFORM,
  LOB_P_ETA, LOB_S_X, LOB_S_Y, LOB_STATE_SLOTS,
} from './layout';
import { fget, sget } from './access';

// @ts-ignore: decorator
@inline function isRefill(cfg: usize): bool {
  return sget(cfg, LOB_C_BOUNDARY) == LOB_BOUNDARY_REFILL;
}

/** reanchor() on the state at `st`. */
export function lobReanchor(cfg: usize, st: usize): void {
  reanchor(st, sget(cfg, LOB_C_K), isRefill(cfg), sget(cfg, LOB_C_A_INF), sget(cfg, LOB_C_B_INF));
}

/** Applies event e (ahead = 1: a cancel at the MM's level removes a unit ahead of it); returns the fill. */
export function lobApplyEvent(cfg: usize, st: usize, e: i32, ahead: i32): i32 {
  const K = sget(cfg, LOB_C_K);
  const peg = sget(cfg, LOB_C_PEG) != 0;
  return applyEvent(st, e, ahead != 0, K, isRefill(cfg), sget(cfg, LOB_C_A_INF), sget(cfg, LOB_C_B_INF), peg);
}

/** Applies the action with per-side labels (0 none, 1 L1, 2 L2). */
export function lobApplyAction(cfg: usize, st: usize, askLabel: i32, bidLabel: i32): void {
  applyAction(
    st, askLabel, bidLabel, sget(cfg, LOB_C_K), isRefill(cfg), sget(cfg, LOB_C_A_INF), sget(cfg, LOB_C_B_INF),
    sget(cfg, LOB_C_L2) != 0,
  );
}

/** Applies an A2lim-16 action: per-side masks, bit 0 = L1, bit 1 = L2. */
export function lobApplyAction16(cfg: usize, st: usize, askMask: i32, bidMask: i32): void {
  applyAction16(
    st, askMask, bidMask, sget(cfg, LOB_C_K), isRefill(cfg), sget(cfg, LOB_C_A_INF), sget(cfg, LOB_C_B_INF),
    sget(cfg, LOB_C_L2) != 0,
  );
}

/** The 4K+2 intensities of the state into `out`; returns Λ. */
export function lobRates(cfg: usize, tbl: usize, st: usize, out: usize): f64 {
  return rates(st, tbl, out, sget(cfg, LOB_C_K), sget(cfg, LOB_C_COUNTS_MM) != 0);
}

/** L(y) on the state as it is (no cancellation first). */
export function lobLiquidation(cfg: usize, st: usize, y: i32): i32 {
  const plusTick = sget(cfg, LOB_C_LIQUIDATION) != 0;
  return liquidation(st, y, sget(cfg, LOB_C_K), sget(cfg, LOB_C_A_INF), sget(cfg, LOB_C_B_INF), plusTick);
}

/** g(z) = x + L(y) − η·y² after cancelling the MM orders (modifies the state at `st`). */
export function lobTerminalReward(cfg: usize, prm: usize, st: usize): f64 {
  const K = sget(cfg, LOB_C_K), aInf = sget(cfg, LOB_C_A_INF), bInf = sget(cfg, LOB_C_B_INF);
  cancelAll(st, K, isRefill(cfg), aInf, bInf);
  const y = sget(st, LOB_S_Y);
  const v = sget(st, LOB_S_X) + liquidation(st, y, K, aInf, bInf, sget(cfg, LOB_C_LIQUIDATION) != 0);
  return <f64>v - fget(prm, LOB_P_ETA) * <f64>y * <f64>y;
}

/**
 * Every successor of the (post-decision) state at `st`: event e with probability λ_e/Λ, a cancel at the
 * level of an MM order with rank r > 1 split into "ahead" (·(r−1)/a) and "behind" (·(1 − (r−1)/a))
 * under the uniform rule (one branch under the deterministic rules); branches of zero probability are
 * skipped. Writes states (stride LOB_STATE_SLOTS i32) to `states`, probabilities to `probs`, codes
 * 2·e + ahead to `codes`, Λ to lam[0]; returns the number of branches. `r` is scratch for the rates.
 */
export function lobSuccessors(
  cfg: usize, tbl: usize, st: usize, r: usize, states: usize, probs: usize, codes: usize, lam: usize,
): i32 {
  const K = sget(cfg, LOB_C_K), refill = isRefill(cfg);
  const aInf = sget(cfg, LOB_C_A_INF), bInf = sget(cfg, LOB_C_B_INF);
  const mode = sget(cfg, LOB_C_CANCEL);
  const peg = sget(cfg, LOB_C_PEG) != 0;
  const total = rates(st, tbl, r, K, sget(cfg, LOB_C_COUNTS_MM) != 0);
  store<f64>(lam, total);
  const bytes = <usize>LOB_STATE_SLOTS << 2;
  let nb = 0;
  for (let e = 0; e < 4 * K + 2; e++) {
    const re = load<f64>(r + (<usize>e << 3));
    if (!(re > 0)) continue;
    const p = re / total;
    const rank = cancelRank(st, e, K);
    for (let ahead = 0; ahead < 2; ahead++) {
      let q = ahead == 0 ? p : 0.0;
      if (rank > 1) {
        const f = <f64>(rank - 1) / <f64>cancelQueue(st, e, K);
        if (mode == LOB_CANCEL_UNIFORM) q = ahead == 1 ? p * f : p * (1.0 - f);
        else if (mode == LOB_CANCEL_BEHIND) q = ahead == 0 ? p : 0.0;
        else if (mode == LOB_CANCEL_AHEAD) q = ahead == 1 ? p : 0.0;
      }
      if (!(q > 0)) continue;
      const dst = states + <usize>nb * bytes;
      memory.copy(dst, st, bytes);
      applyEvent(dst, e, ahead == 1, K, refill, aInf, bInf, peg);
      store<f64>(probs + (<usize>nb << 3), q);
      store<i32>(codes + (<usize>nb << 2), 2 * e + ahead);
      nb++;
    }
  }
  return nb;
}

/**
 * Draws one event for the state at `st` as the episode loop does (type, then the cancel coin) from the
 * memory stream `rng`, applies it, and returns its code 2·e + ahead. For frequency tests of the enumeration.
 */
export function lobSampleEvent(cfg: usize, tbl: usize, rng: usize, st: usize, r: usize): i32 {
  const K = sget(cfg, LOB_C_K);
  const lam = rates(st, tbl, r, K, sget(cfg, LOB_C_COUNTS_MM) != 0);
  const e = selectEvent(r, K, wordToUnit(nextU64(rng)) * lam);
  let ahead = false;
  const rank = cancelRank(st, e, K);
  if (rank > 1) {
    const mode = sget(cfg, LOB_C_CANCEL);
    if (mode == LOB_CANCEL_UNIFORM) {
      ahead = wordToUnit(nextU64(rng)) * <f64>cancelQueue(st, e, K) < <f64>(rank - 1);
    }
    else ahead = mode == LOB_CANCEL_AHEAD;
  }
  const peg = sget(cfg, LOB_C_PEG) != 0;
  applyEvent(st, e, ahead, K, isRefill(cfg), sget(cfg, LOB_C_A_INF), sget(cfg, LOB_C_B_INF), peg);
  return 2 * e + (ahead ? 1 : 0);
}
