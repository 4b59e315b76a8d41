// The order book of spec §1–§2: re-anchoring of the two frames, the 4K+2 exogenous events, the
// A1lim/A2lim/A2lim-16 actions, queue-reactive intensities and the liquidation value. Everything works on one
// flat i32 state block (layout.ts); the episode loop and the enumeration share these functions.
import {
  LOB_CURVE_LEN, LOB_KMAX, LOB_M_CURVES, LOB_QN, LOB_RESERVOIR_M, LOB_S_A, LOB_S_ASK_PRICE, LOB_S_ASK_RANK,
  LOB_S_ASK2_PRICE, LOB_S_ASK2_RANK, LOB_S_B, LOB_S_BID2_PRICE, LOB_S_BID2_RANK, LOB_S_BID_PRICE,
  LOB_S_BID_RANK, LOB_S_HITS, LOB_S_PA, LOB_S_PB, LOB_S_X, LOB_S_Y,
} from './layout';
import { sget, sset } from './access';

/**
 * The price slot of the MM order of a side (0 sell, 1 buy) resting at `price` (its rank is the next
 * slot), or −1. Slot 2 is used by A2lim-16 only; there is at most one MM order per price and side.
 */
// @ts-ignore: decorator
@inline export function mmSlot(st: usize, side: i32, price: i32): i32 {
  const p1 = side == 0 ? LOB_S_ASK_PRICE : LOB_S_BID_PRICE;
  if (sget(st, p1 + 1) > 0 && sget(st, p1) == price) return p1;
  const p2 = side == 0 ? LOB_S_ASK2_PRICE : LOB_S_BID2_PRICE;
  if (sget(st, p2 + 1) > 0 && sget(st, p2) == price) return p2;
  return -1;
}

/** Cancels the MM order in price slot `p` if its frame level `lvl` is outside 1..K (priority lost). */
// @ts-ignore: decorator
@inline function dropOutside(st: usize, p: i32, lvl: i32, K: i32): void {
  if (sget(st, p + 1) > 0 && (lvl < 1 || lvl > K)) sset(st, p + 1, 0);
}

/** new[i] = old[i + off] for i = 1..K over the frame at `base`: 0 in front, `inf` from beyond K. */
function shiftFrame(st: usize, base: i32, K: i32, off: i32, inf: i32): void {
  if (off > 0) {
    for (let i = 1; i <= K; i++) {
      const o = i + off;
      sset(st, base + i - 1, o <= K ? sget(st, base + o - 1) : inf);
    }
  } else {
    for (let i = K; i >= 1; i--) {
      const o = i + off;
      sset(st, base + i - 1, o >= 1 ? sget(st, base + o - 1) : 0);
    }
  }
}

/**
 * §1.5 reanchor(): best ask relative to pb (re-index b if it moved), then best bid relative to the new pa
 * (re-index a), then cancel MM orders whose price left the frame. Boundary: reservoir (quote at K+1)
 * or refill (level K := a∞); every trigger that changes the book increments the HITS counter.
 */
export function reanchor(st: usize, K: i32, refill: bool, aInf: i32, bInf: i32): void {
  let pb = sget(st, LOB_S_PB);
  let pa = sget(st, LOB_S_PA);
  // Prices of the MM orders (i32.MIN_VALUE when absent): they do not move during steps 1–2.
  const none = i32.MIN_VALUE;
  const ask1 = sget(st, LOB_S_ASK_RANK) > 0 ? sget(st, LOB_S_ASK_PRICE) : none;
  const ask2 = sget(st, LOB_S_ASK2_RANK) > 0 ? sget(st, LOB_S_ASK2_PRICE) : none;
  const bid1 = sget(st, LOB_S_BID_RANK) > 0 ? sget(st, LOB_S_BID_PRICE) : none;
  const bid2 = sget(st, LOB_S_BID2_RANK) > 0 ? sget(st, LOB_S_BID2_PRICE) : none;
  // 1. best ask
  let ia = K + 1;
  for (let i = 1; i <= K; i++) {
    if (sget(st, LOB_S_A + i - 1) > 0 || ask1 == pb + i || ask2 == pb + i) {
      ia = i;
      break;
    }
  }
  if (ia > K && refill) {
    sset(st, LOB_S_A + K - 1, aInf);
    ia = K;
    sset(st, LOB_S_HITS, sget(st, LOB_S_HITS) + 1);
  }
  const newPa = pb + ia;
  if (newPa != pa) {
    if (ia > K) sset(st, LOB_S_HITS, sget(st, LOB_S_HITS) + 1);
    shiftFrame(st, LOB_S_B, K, pa - newPa, bInf);
    pa = newPa;
    sset(st, LOB_S_PA, pa);
  }
  // 2. best bid, relative to the new pa
  let jb = K + 1;
  for (let j = 1; j <= K; j++) {
    if (sget(st, LOB_S_B + j - 1) > 0 || bid1 == pa - j || bid2 == pa - j) {
      jb = j;
      break;
    }
  }
  if (jb > K && refill) {
    sset(st, LOB_S_B + K - 1, bInf);
    jb = K;
    sset(st, LOB_S_HITS, sget(st, LOB_S_HITS) + 1);
  }
  const newPb = pa - jb;
  if (newPb != pb) {
    if (jb > K) sset(st, LOB_S_HITS, sget(st, LOB_S_HITS) + 1);
    shiftFrame(st, LOB_S_A, K, newPb - pb, aInf);
    pb = newPb;
    sset(st, LOB_S_PB, pb);
  }
  // 3. MM orders outside the frame lose their priority
  dropOutside(st, LOB_S_ASK_PRICE, sget(st, LOB_S_ASK_PRICE) - pb, K);
  dropOutside(st, LOB_S_ASK2_PRICE, sget(st, LOB_S_ASK2_PRICE) - pb, K);
  dropOutside(st, LOB_S_BID_PRICE, pa - sget(st, LOB_S_BID_PRICE), K);
  dropOutside(st, LOB_S_BID2_PRICE, pa - sget(st, LOB_S_BID2_PRICE), K);
}

/**
 * Applies exogenous event e (0 M+, 1 M−, 2.. L+_i, 2+K.. L−_j, 2+2K.. C+_i, 2+3K.. C−_j), then
 * re-anchors.
 * `ahead`: for a cancel at the MM's price, whether the cancelled unit was ahead of the MM order.
 * Returns 1 if the MM's sell order was filled, 2 if its buy order was filled, else 0.
 */
// @ts-ignore: decorator
@inline export function applyEvent(
  st: usize, e: i32, ahead: bool, K: i32, refill: bool, aInf: i32, bInf: i32, peg: bool,
): i32 {
  const pb = sget(st, LOB_S_PB), pa = sget(st, LOB_S_PA);
  const s = pa - pb;
  let fill = 0;
  // Only an insertion inside the spread or the removal of the last unit at a quote moves a quote; any
  // other event leaves reanchor() a no-op, so it is skipped (same result, fewer loops).
  let moved = false;
  if (e == 0) {
    if (s > K) return 0; // reservoir quote: the consumed unit is not tracked
    const slot = mmSlot(st, 0, pa);
    const q = sget(st, LOB_S_A + s - 1);
    if (slot >= 0) {
      const r = sget(st, slot + 1);
      if (r == 1) {
        sset(st, LOB_S_X, sget(st, LOB_S_X) + pa);
        sset(st, LOB_S_Y, sget(st, LOB_S_Y) - 1);
        sset(st, slot + 1, 0);
        fill = 1;
        moved = q == 0;
      } else {
        sset(st, LOB_S_A + s - 1, q - 1);
        sset(st, slot + 1, r - 1);
      }
    } else {
      sset(st, LOB_S_A + s - 1, q - 1);
      moved = q == 1;
    }
  } else if (e == 1) {
    if (s > K) return 0;
    const slot = mmSlot(st, 1, pb);
    const q = sget(st, LOB_S_B + s - 1);
    if (slot >= 0) {
      const r = sget(st, slot + 1);
      if (r == 1) {
        sset(st, LOB_S_X, sget(st, LOB_S_X) - pb);
        sset(st, LOB_S_Y, sget(st, LOB_S_Y) + 1);
        sset(st, slot + 1, 0);
        fill = 2;
        moved = q == 0;
      } else {
        sset(st, LOB_S_B + s - 1, q - 1);
        sset(st, slot + 1, r - 1);
      }
    } else {
      sset(st, LOB_S_B + s - 1, q - 1);
      moved = q == 1;
    }
  } else {
    // kind 0 L+, 1 L−, 2 C+, 3 C− (comparisons, not an integer division)
    const k2 = K + K;
    const kind = e < 2 + K ? 0 : e < 2 + k2 ? 1 : e < 2 + k2 + K ? 2 : 3;
    const lvl = e - 1 - kind * K;
    if (kind == 0) {
      sset(st, LOB_S_A + lvl - 1, sget(st, LOB_S_A + lvl - 1) + 1);
      moved = lvl < s;
    } else if (kind == 1) {
      sset(st, LOB_S_B + lvl - 1, sget(st, LOB_S_B + lvl - 1) + 1);
      moved = lvl < s;
    } else if (kind == 2) {
      const slot = mmSlot(st, 0, pb + lvl);
      const mm = slot >= 0;
      if (ahead && mm && sget(st, slot + 1) > 1) sset(st, slot + 1, sget(st, slot + 1) - 1);
      const q = sget(st, LOB_S_A + lvl - 1) - 1;
      sset(st, LOB_S_A + lvl - 1, q);
      moved = lvl == s && q == 0 && !mm;
    } else {
      const slot = mmSlot(st, 1, pa - lvl);
      const mm = slot >= 0;
      if (ahead && mm && sget(st, slot + 1) > 1) sset(st, slot + 1, sget(st, slot + 1) - 1);
      const q = sget(st, LOB_S_B + lvl - 1) - 1;
      sset(st, LOB_S_B + lvl - 1, q);
      moved = lvl == s && q == 0 && !mm;
    }
  }
  if (moved) {
    reanchor(st, K, refill, aInf, bInf);
    // Option peg: an insertion inside the spread improved a quote (kinds 0/1 only move it that way).
    if (peg && e >= 2 && e < 2 + 2 * K) pegOrders(st, e < 2 + K ? 0 : 1, e < 2 + K ? pa : pb);
  }
  return fill;
}

/**
 * The authors' pegging (option `peg`, §1.4): after others improved the quote of a side, the MM's order at
 * the former best moves to the new best at rank 2 (behind the improving unit) and an order behind the
 * former best moves to the back of the former best's queue (the new second level).
 */
function pegOrders(st: usize, side: i32, oldBest: i32): void {
  const p1 = side == 0 ? LOB_S_ASK_PRICE : LOB_S_BID_PRICE;
  const p2 = side == 0 ? LOB_S_ASK2_PRICE : LOB_S_BID2_PRICE;
  const newBest = sget(st, side == 0 ? LOB_S_PA : LOB_S_PB);
  // Others' units at the former best (the opposite quote did not move).
  const oldLvl = side == 0 ? oldBest - sget(st, LOB_S_PB) : sget(st, LOB_S_PA) - oldBest;
  const others = sget(st, (side == 0 ? LOB_S_A : LOB_S_B) + oldLvl - 1);
  let behindMoved = false;
  for (let k = 0; k < 2; k++) {
    const p = k == 0 ? p1 : p2;
    if (sget(st, p + 1) == 0) continue;
    const price = sget(st, p);
    if (price == oldBest) {
      sset(st, p, newBest);
      sset(st, p + 1, 2);
    } else if (!behindMoved) {
      sset(st, p, oldBest);
      sset(st, p + 1, others + 1);
      behindMoved = true;
    }
  }
}

/**
 * The MM order's rank at the level a cancel event e targets, or 0 when no MM order rests there (or e is
 * not a cancel). A cancel with rank r > 1 is ahead of the MM with probability (r − 1)/a.
 */
// @ts-ignore: decorator
@inline export function cancelRank(st: usize, e: i32, K: i32): i32 {
  const c0 = 2 + 2 * K;
  if (e < c0) return 0;
  const slot = e < c0 + K
    ? mmSlot(st, 0, sget(st, LOB_S_PB) + (e - c0 + 1))
    : mmSlot(st, 1, sget(st, LOB_S_PA) - (e - c0 - K + 1));
  return slot >= 0 ? sget(st, slot + 1) : 0;
}

/** Others' units at the level of cancel event e (a[i] or b[j]). */
export function cancelQueue(st: usize, e: i32, K: i32): i32 {
  const c0 = 2 + 2 * K;
  return e < c0 + K ? sget(st, LOB_S_A + e - c0) : sget(st, LOB_S_B + e - c0 - K);
}

// ---- actions (§2.2): labels per side 0 none, 1 L1 (best quote), 2 L2 (others' second non-empty level) ----

/** Frame level of the others' best on a side (1..K), or K+1 if the frame holds none. */
function othersBest(st: usize, base: i32, K: i32): i32 {
  for (let i = 1; i <= K; i++) if (sget(st, base + i - 1) > 0) return i;
  return K + 1;
}

/**
 * Frame level of L2, or K+1 if undefined: the others' next non-empty level behind their best, or with
 * `oneTick` the level one tick behind their best (defined while inside the frame).
 */
function secondLevel(st: usize, base: i32, K: i32, oneTick: bool): i32 {
  const best = othersBest(st, base, K);
  if (oneTick) return best < K ? best + 1 : K + 1;
  for (let i = best + 1; i <= K; i++) if (sget(st, base + i - 1) > 0) return i;
  return K + 1;
}

/** Whether an existing order at frame level `lvl` satisfies the label (kept with its rank). */
// @ts-ignore: decorator
@inline function keeps(
  st: usize, base: i32, K: i32, label: i32, lvl: i32, bestLvl: i32, oneTick: bool,
): bool {
  if (label == 1) return lvl == bestLvl;
  if (label == 2) return lvl > othersBest(st, base, K) && lvl <= secondLevel(st, base, K, oneTick);
  return false;
}

/**
 * Applies an action in the spec's order: cancel unwanted orders → reanchor() → place missing wanted ones
 * at the back of their queue (rank = total there + 1). A wanted price at a reservoir quote or outside
 * the frame is skipped. Returns whether the state changed.
 */
export function applyAction(
  st: usize, askLabel: i32, bidLabel: i32, K: i32, refill: bool, aInf: i32, bInf: i32, oneTick: bool,
): bool {
  const pb = sget(st, LOB_S_PB), pa = sget(st, LOB_S_PA);
  const s = pa - pb;
  let cancelled = false;
  const askLvl = sget(st, LOB_S_ASK_PRICE) - pb, bidLvl = pa - sget(st, LOB_S_BID_PRICE);
  if (sget(st, LOB_S_ASK_RANK) > 0 && !keeps(st, LOB_S_A, K, askLabel, askLvl, s, oneTick)) {
    sset(st, LOB_S_ASK_RANK, 0);
    cancelled = true;
  }
  if (sget(st, LOB_S_BID_RANK) > 0 && !keeps(st, LOB_S_B, K, bidLabel, bidLvl, s, oneTick)) {
    sset(st, LOB_S_BID_RANK, 0);
    cancelled = true;
  }
  if (cancelled) reanchor(st, K, refill, aInf, bInf);
  let placed = false;
  if (askLabel != 0 && sget(st, LOB_S_ASK_RANK) == 0) {
    const lvl = askLabel == 1 ? sget(st, LOB_S_PA) - sget(st, LOB_S_PB)
      : secondLevel(st, LOB_S_A, K, oneTick);
    if (lvl <= K) {
      sset(st, LOB_S_ASK_PRICE, sget(st, LOB_S_PB) + lvl);
      sset(st, LOB_S_ASK_RANK, sget(st, LOB_S_A + lvl - 1) + 1);
      placed = true;
    }
  }
  if (bidLabel != 0 && sget(st, LOB_S_BID_RANK) == 0) {
    const lvl = bidLabel == 1 ? sget(st, LOB_S_PA) - sget(st, LOB_S_PB)
      : secondLevel(st, LOB_S_B, K, oneTick);
    if (lvl <= K) {
      sset(st, LOB_S_BID_PRICE, sget(st, LOB_S_PA) - lvl);
      sset(st, LOB_S_BID_RANK, sget(st, LOB_S_B + lvl - 1) + 1);
      placed = true;
    }
  }
  return cancelled || placed;
}

// ---- A2lim-16 (§2.2 option): per side a mask, bit 0 = an order at L1, bit 1 = an order at L2 ----

/** L2 measured from frame level `best`: the others' next non-empty level behind it, or one tick behind. */
function secondFrom(st: usize, base: i32, K: i32, best: i32, oneTick: bool): i32 {
  if (oneTick) return best < K ? best + 1 : K + 1;
  for (let i = best + 1; i <= K; i++) if (sget(st, base + i - 1) > 0) return i;
  return K + 1;
}

/** Frame level of the MM order in price slot p (0 if none). */
// @ts-ignore: decorator
@inline function slotLevel(st: usize, p: i32, side: i32): i32 {
  if (sget(st, p + 1) == 0) return 0;
  return side == 0 ? sget(st, p) - sget(st, LOB_S_PB) : sget(st, LOB_S_PA) - sget(st, p);
}

/**
 * Cancel step of A2lim-16 on one side: keep an order at the best quote if L1 is wanted; keep the
 * nearest order strictly behind the best after cancellations (the kept L1 order, else the others' best)
 * and not behind L2 measured from there, if L2 is wanted; cancel the rest. Returns whether it cancelled.
 */
function cancelSide16(st: usize, side: i32, wantL1: bool, wantL2: bool, K: i32, oneTick: bool): bool {
  const s = sget(st, LOB_S_PA) - sget(st, LOB_S_PB);
  const base = side == 0 ? LOB_S_A : LOB_S_B;
  const p1 = side == 0 ? LOB_S_ASK_PRICE : LOB_S_BID_PRICE;
  const p2 = side == 0 ? LOB_S_ASK2_PRICE : LOB_S_BID2_PRICE;
  const l1 = slotLevel(st, p1, side), l2 = slotLevel(st, p2, side);
  const keepL1 = !wantL1 ? -1 : l1 == s && l1 > 0 ? p1 : l2 == s && l2 > 0 ? p2 : -1;
  const bestAfter = keepL1 >= 0 ? s : othersBest(st, base, K);
  const limit = secondFrom(st, base, K, bestAfter, oneTick);
  let keepL2 = -1;
  if (wantL2) {
    const ok1 = p1 != keepL1 && l1 > bestAfter && l1 <= limit;
    const ok2 = p2 != keepL1 && l2 > bestAfter && l2 <= limit;
    keepL2 = ok1 && (!ok2 || l1 < l2) ? p1 : ok2 ? p2 : -1;
  }
  let cancelled = false;
  if (l1 > 0 && p1 != keepL1 && p1 != keepL2) {
    sset(st, p1 + 1, 0);
    cancelled = true;
  }
  if (l2 > 0 && p2 != keepL1 && p2 != keepL2) {
    sset(st, p2 + 1, 0);
    cancelled = true;
  }
  return cancelled;
}

/** Places a new order of a side at frame level `lvl` in a free slot, at the back of the others' queue. */
function placeAt(st: usize, side: i32, lvl: i32): void {
  const p = side == 0
    ? (sget(st, LOB_S_ASK_RANK) == 0 ? LOB_S_ASK_PRICE : LOB_S_ASK2_PRICE)
    : (sget(st, LOB_S_BID_RANK) == 0 ? LOB_S_BID_PRICE : LOB_S_BID2_PRICE);
  sset(st, p, side == 0 ? sget(st, LOB_S_PB) + lvl : sget(st, LOB_S_PA) - lvl);
  sset(st, p + 1, sget(st, (side == 0 ? LOB_S_A : LOB_S_B) + lvl - 1) + 1);
}

/** Place step of A2lim-16 on one side: a missing L1 order, then a missing L2 order measured from the best. */
function placeSide16(st: usize, side: i32, wantL1: bool, wantL2: bool, K: i32, oneTick: bool): bool {
  const s = sget(st, LOB_S_PA) - sget(st, LOB_S_PB);
  if (s > K) return false; // reservoir state: no orders
  const p1 = side == 0 ? LOB_S_ASK_PRICE : LOB_S_BID_PRICE;
  const p2 = side == 0 ? LOB_S_ASK2_PRICE : LOB_S_BID2_PRICE;
  let placed = false;
  if (wantL1 && slotLevel(st, p1, side) != s && slotLevel(st, p2, side) != s) {
    placeAt(st, side, s);
    placed = true;
  }
  if (wantL2 && slotLevel(st, p1, side) <= s && slotLevel(st, p2, side) <= s) {
    const lvl = secondFrom(st, side == 0 ? LOB_S_A : LOB_S_B, K, s, oneTick);
    if (lvl <= K) {
      placeAt(st, side, lvl);
      placed = true;
    }
  }
  return placed;
}

/**
 * A2lim-16: masks per side (bit 0 L1, bit 1 L2), two MM orders per side allowed; L2 is measured from the
 * best quote after cancellations, so an MM L1 order alone at the best does not push L2 one level deeper.
 * Order: cancel (both sides) → reanchor() → place (ask L1, ask L2, bid L1, bid L2). Returns whether the
 * state changed.
 */
export function applyAction16(
  st: usize, askMask: i32, bidMask: i32, K: i32, refill: bool, aInf: i32, bInf: i32, oneTick: bool,
): bool {
  const ca = cancelSide16(st, 0, (askMask & 1) != 0, (askMask & 2) != 0, K, oneTick);
  const cb = cancelSide16(st, 1, (bidMask & 1) != 0, (bidMask & 2) != 0, K, oneTick);
  if (ca || cb) reanchor(st, K, refill, aInf, bInf);
  const placedA = placeSide16(st, 0, (askMask & 1) != 0, (askMask & 2) != 0, K, oneTick);
  const placedB = placeSide16(st, 1, (bidMask & 1) != 0, (bidMask & 2) != 0, K, oneTick);
  return ca || cb || placedA || placedB;
}

// ---- intensities (§1.3) ----

const CURVE_BYTES: usize = <usize>LOB_CURVE_LEN << 3;
const LEVEL_BYTES: usize = 4 * CURVE_BYTES; // L and C curves, two variants each

/** The curve starting at byte `p` at queue size q (table value up to QN−1, then linear with the slope). */
// @ts-ignore: decorator
@inline function curveAt(p: usize, q: i32): f64 {
  if (q < LOB_QN) return load<f64>(p + (<usize>q << 3));
  const last = load<f64>(p + (<usize>(LOB_QN - 1) << 3)), slope = load<f64>(p + (<usize>LOB_QN << 3));
  return last + slope * <f64>(q - LOB_QN + 1);
}

/** Frame level of the MM order in price slot p of a side (0 sell, 1 buy), or 0 when there is none. */
// @ts-ignore: decorator
@inline export function mmLevel(st: usize, p: i32, side: i32, pb: i32, pa: i32): i32 {
  if (sget(st, p + 1) <= 0) return 0;
  return side == 0 ? sget(st, p) - pb : pa - sget(st, p);
}

/**
 * The market rate of a side (0 M+, 1 M−): its curve at spread s read at the total best queue (others'
 * units plus an MM order resting there, at level mm or mm2), or the reservoir rate when s > K.
 */
// @ts-ignore: decorator
@inline export function marketRate(st: usize, tbl: usize, K: i32, side: i32, s: i32, mm: i32, mm2: i32): f64 {
  if (s > K) return load<f64>(tbl + (<usize>(LOB_RESERVOIR_M + side) << 3));
  const q = sget(st, (side == 0 ? LOB_S_A : LOB_S_B) + s - 1) + (mm == s || mm2 == s ? 1 : 0);
  return curveAt(tbl + <usize>(LOB_M_CURVES + side * LOB_KMAX + s - 1) * CURVE_BYTES, q);
}

/**
 * Writes the insertion and cancellation rates of frame level i of a side into the rates at r, as
 * rates() computes them: curve variant v, read at the others' queue q plus one when a counted MM order
 * rests there (levels cm, cm2; 0 when not counted).
 */
// @ts-ignore: decorator
@inline export function writeLevel(
  tbl: usize, r: usize, K: i32, side: i32, i: i32, v: i32, q: i32, cm: i32, cm2: i32,
): void {
  const qq = q + (cm == i || cm2 == i ? 1 : 0);
  const p = levelCurve(tbl, side, i, v);
  const at = r + (<usize>(2 + side * K + i - 1) << 3);
  store<f64>(at, curveAt(p, qq));
  store<f64>(at + (<usize>(2 * K) << 3), cancelRate(p, q, qq));
}

/**
 * Sums block k (0 L+, 1 L−, 2 C+, 3 C−) over its levels in order into its slot after the rates; returns
 * it. rates() starts its sums from 0, this one from the first rate: the results differ at most in the
 * sign of a zero, which no comparison, difference or (positive) Λ can tell apart.
 */
// @ts-ignore: decorator
@inline export function sumBlock(r: usize, K: i32, k: i32): f64 {
  const first = r + (<usize>(2 + k * K) << 3);
  let acc = load<f64>(first);
  for (let i = 1; i < K; i++) acc += load<f64>(first + (<usize>i << 3));
  store<f64>(r + (<usize>(4 * K + 2 + k) << 3), acc);
  return acc;
}

/**
 * Whether any of the K levels' insertion or cancellation curves differ between the two variants (level-1
 * queue of the side empty or not). Only R-ahp's tables do; when none does, a variant switch leaves
 * every rate as it was.
 */
export function variantsDiffer(tbl: usize, K: i32): bool {
  for (let side = 0; side < 2; side++) {
    for (let i = 1; i <= K; i++) {
      const p0 = levelCurve(tbl, side, i, 0), p1 = levelCurve(tbl, side, i, 1);
      for (let j = 0; j < 2 * LOB_CURVE_LEN; j++) {
        const o = <usize>j << 3;
        if (load<u64>(p0 + o) != load<u64>(p1 + o)) return true;
      }
    }
  }
  return false;
}

/** The cancellation rate of a level: its C curve at qq, or 0 when the others have no units there (q = 0). */
// @ts-ignore: decorator
@inline export function cancelRate(p: usize, q: i32, qq: i32): f64 {
  // Masked rather than branched: whether a queue just emptied is hard to predict.
  return reinterpret<f64>(reinterpret<i64>(curveAt(p + CURVE_BYTES, qq)) & -<i64>(q > 0));
}

/** Start of the L curve of frame level i of a side (0 ask, 1 bid) in variant v; the C curve follows. */
// @ts-ignore: decorator
@inline export function levelCurve(tbl: usize, side: i32, i: i32, v: i32): usize {
  return tbl + <usize>(((side * LOB_KMAX + i - 1) * 2 + v) * 2) * CURVE_BYTES;
}

/**
 * Writes the 4K+2 event intensities of the (post-decision) state to `out` and returns their sum Λ.
 * Insertion/cancel curves read the others' queue (plus the MM order if countsMM); market curves read
 * the total best queue; cancels are 0 on a level without others' units. The four block sums (L+, L−,
 * C+, C−) follow the rates, for selectEvent.
 */
// @ts-ignore: decorator
@inline export function rates(st: usize, tbl: usize, out: usize, K: i32, countsMM: bool): f64 {
  const pb = sget(st, LOB_S_PB), pa = sget(st, LOB_S_PA);
  const s = pa - pb;
  // Frame levels of the MM orders (0 = none); slot 2 is empty outside A2lim-16.
  const askLvl = mmLevel(st, LOB_S_ASK_PRICE, 0, pb, pa), askLvl2 = mmLevel(st, LOB_S_ASK2_PRICE, 0, pb, pa);
  const bidLvl = mmLevel(st, LOB_S_BID_PRICE, 1, pb, pa), bidLvl2 = mmLevel(st, LOB_S_BID2_PRICE, 1, pb, pa);
  const mPlus = marketRate(st, tbl, K, 0, s, askLvl, askLvl2);
  const mMinus = marketRate(st, tbl, K, 1, s, bidLvl, bidLvl2);
  store<f64>(out, mPlus);
  store<f64>(out, mMinus, 8);
  const mmA = countsMM ? askLvl : 0, mmB = countsMM ? bidLvl : 0;
  const mmA2 = countsMM ? askLvl2 : 0, mmB2 = countsMM ? bidLvl2 : 0;
  const vA = sget(st, LOB_S_A) + (mmA == 1 || mmA2 == 1 ? 1 : 0) == 0 ? 1 : 0;
  const vB = sget(st, LOB_S_B) + (mmB == 1 || mmB2 == 1 ? 1 : 0) == 0 ? 1 : 0;
  // Walk both sides' levels with curve pointers (levelCurve() steps by LEVEL_BYTES per level).
  let pA = levelCurve(tbl, 0, 1, vA);
  let pB = levelCurve(tbl, 1, 1, vB);
  const lPlus = out + (<usize>2 << 3), lMinus = lPlus + (<usize>K << 3);
  const cPlus = lMinus + (<usize>K << 3), cMinus = cPlus + (<usize>K << 3);
  let sLp = 0.0, sLm = 0.0, sCp = 0.0, sCm = 0.0;
  for (let i = 1; i <= K; i++) {
    const off = <usize>(i - 1) << 3;
    const a = sget(st, LOB_S_A + i - 1), b = sget(st, LOB_S_B + i - 1);
    const qa = a + (mmA == i || mmA2 == i ? 1 : 0), qb = b + (mmB == i || mmB2 == i ? 1 : 0);
    const la = curveAt(pA, qa), lb = curveAt(pB, qb);
    const ca = cancelRate(pA, a, qa), cb = cancelRate(pB, b, qb);
    store<f64>(lPlus + off, la);
    store<f64>(lMinus + off, lb);
    store<f64>(cPlus + off, ca);
    store<f64>(cMinus + off, cb);
    // Block sums over levels in order (short dependency chains; the twin repeats this order).
    sLp += la;
    sLm += lb;
    sCp += ca;
    sCm += cb;
    pA += LEVEL_BYTES;
    pB += LEVEL_BYTES;
  }
  const blocks = cMinus + (<usize>K << 3);
  store<f64>(blocks, sLp);
  store<f64>(blocks, sLm, 8);
  store<f64>(blocks, sCp, 16);
  store<f64>(blocks, sCm, 24);
  return mPlus + mMinus + ((sLp + sLm) + (sCp + sCm));
}

/**
 * The event drawn by `target` = u·Λ over the rates written by rates(): M+, M−, then block by block
 * (L+, L−, C+, C−) and within the block by cumulative sums. A zero rate is never chosen; if round-off
 * leaves `target` beyond every block, the last event with a positive rate is taken.
 */
// @ts-ignore: decorator
@inline export function selectEvent(r: usize, K: i32, target: f64): i32 {
  let t = target;
  const mPlus = load<f64>(r);
  if (t < mPlus) return 0;
  t -= mPlus;
  const mMinus = load<f64>(r, 8);
  if (t < mMinus) return 1;
  t -= mMinus;
  const blocks = r + (<usize>(4 * K + 2) << 3);
  for (let k = 0; k < 4; k++) {
    const sum = load<f64>(blocks + (<usize>k << 3));
    if (t < sum) {
      const first = 2 + k * K;
      let acc = 0.0;
      for (let e = first; e < first + K; e++) {
        acc += load<f64>(r + (<usize>e << 3));
        if (t < acc) return e;
      }
    }
    t -= sum;
  }
  return lastPositive(r, K);
}

/**
 * selectEvent()'s level within block `blk` (2 L+, 3 L−, 4 C+, 5 C−), without branches: t2..t5 are the
 * remainders the search compares with the four block sums (t_{k+1} = t_k − sum_k), and the running
 * sums within a block never decrease, so the level is one more than the number of running sums (all
 * but the last) the block's remainder is not below. The running sum over the whole block is the
 * block sum itself (same terms, same order), so a remainder below the block sum stops inside it.
 * All four blocks are counted side by side, so only the compares wait for the remainders.
 */
// @ts-ignore: decorator
@inline export function levelIn(r: usize, K: i32, blk: i32, t2: f64, t3: f64, t4: f64, t5: f64): i32 {
  const stride = <usize>K << 3;
  const p0 = r + (<usize>2 << 3), p1 = p0 + stride, p2 = p1 + stride, p3 = p2 + stride;
  let a0 = load<f64>(p0), a1 = load<f64>(p1), a2 = load<f64>(p2), a3 = load<f64>(p3);
  let n0 = <i32>!(t2 < a0), n1 = <i32>!(t3 < a1), n2 = <i32>!(t4 < a2), n3 = <i32>!(t5 < a3);
  for (let j = 1; j < K - 1; j++) {
    const o = <usize>j << 3;
    a0 += load<f64>(p0 + o);
    a1 += load<f64>(p1 + o);
    a2 += load<f64>(p2 + o);
    a3 += load<f64>(p3 + o);
    n0 += <i32>!(t2 < a0);
    n1 += <i32>!(t3 < a1);
    n2 += <i32>!(t4 < a2);
    n3 += <i32>!(t5 < a3);
  }
  const b = blk - 2;
  return 1 + select<i32>(select<i32>(n0, n1, b == 0), select<i32>(n2, n3, b == 2), b < 2);
}

/**
 * Price slot of the MM order resting at frame level lvl of a side, or −1, from the orders' levels
 * (0 = none); by selects, since the side and level of an event are random.
 */
// @ts-ignore: decorator
@inline export function mmSlotAt(
  side: i32, lvl: i32, askLvl: i32, askLvl2: i32, bidLvl: i32, bidLvl2: i32,
): i32 {
  const ask = select<i32>(LOB_S_ASK_PRICE, select<i32>(LOB_S_ASK2_PRICE, -1, askLvl2 == lvl), askLvl == lvl);
  const bid = select<i32>(LOB_S_BID_PRICE, select<i32>(LOB_S_BID2_PRICE, -1, bidLvl2 == lvl), bidLvl == lvl);
  return select<i32>(ask, bid, side == 0);
}

/** The last event with a positive rate (round-off fallback of the selection). */
export function lastPositive(r: usize, K: i32): i32 {
  let last = 4 * K + 1;
  while (last > 0 && !(load<f64>(r + (<usize>last << 3)) > 0)) last--;
  return last;
}

// ---- liquidation (§1.7) ----

/**
 * L(y): sell y > 0 walking the others' bids from pb (levels s..K at pa − j, then b∞ per price), or buy
 * −y walking the asks from pa. `plusTick` prices every unit one tick worse (the footnote's literal
 * reading, `walk_plus_one_tick`). The caller cancels MM orders and re-anchors first.
 */
export function liquidation(st: usize, y: i32, K: i32, aInf: i32, bInf: i32, plusTick: bool): i32 {
  const pb = sget(st, LOB_S_PB), pa = sget(st, LOB_S_PA);
  const s = pa - pb;
  let v = 0;
  if (y > 0) {
    let rem = y;
    for (let j = s; j <= K && rem > 0; j++) {
      const q = sget(st, LOB_S_B + j - 1);
      const take = q < rem ? q : rem;
      v += take * (pa - j);
      rem -= take;
    }
    let p = pa - (s > K ? s : K + 1);
    while (rem > 0) {
      const take = bInf < rem ? bInf : rem;
      v += take * p;
      rem -= take;
      p--;
    }
    if (plusTick) v -= y;
  } else if (y < 0) {
    let rem = -y;
    for (let i = s; i <= K && rem > 0; i++) {
      const q = sget(st, LOB_S_A + i - 1);
      const take = q < rem ? q : rem;
      v -= take * (pb + i);
      rem -= take;
    }
    let p = pb + (s > K ? s : K + 1);
    while (rem > 0) {
      const take = aInf < rem ? aInf : rem;
      v -= take * p;
      rem -= take;
      p++;
    }
    if (plusTick) v += y;
  }
  return v;
}

/** Cancels every MM order and re-anchors (the horizon's first step; also g's argument in §3.2). */
export function cancelAll(st: usize, K: i32, refill: bool, aInf: i32, bInf: i32): void {
  sset(st, LOB_S_ASK_RANK, 0);
  sset(st, LOB_S_BID_RANK, 0);
  sset(st, LOB_S_ASK2_RANK, 0);
  sset(st, LOB_S_BID2_RANK, 0);
  reanchor(st, K, refill, aInf, bInf);
}
