/**
 * TS twin of assembly/lob/ (book.ts, episodes.ts, entry.ts): the same order book, the same stream
 * (xoshiro256** on int32 pairs, keyed splitmix64(base ^ episode)), the same shared intensity tables and
 * the same operation order, so episodes agree with the kernel one by one. Also the engine for custom
 * (learned) policies, which the kernel cannot call.
 */
import {
  BOUNDARY_REFILL,
  C_A_INF,
  C_ACTIONS,
  C_B_INF,
  C_BOUNDARY,
  C_CANCEL,
  C_COUNTS_MM,
  C_K,
  C_L2,
  C_LIQUIDATION,
  C_MAX_EVENTS,
  C_PEG,
  C_POLICY,
  CANCEL_AHEAD,
  CANCEL_BEHIND,
  CANCEL_UNIFORM,
  CURVE_LEN,
  KMAX,
  M_CURVES,
  O_CAPPED,
  O_EVENTS,
  O_FILLS_ASK,
  O_FILLS_BID,
  O_HITS,
  O_PNL,
  O_QUOTE_ASK,
  O_QUOTE_BID,
  O_RESERVOIR_TIME,
  O_REWARD,
  O_Y,
  OUT_STRIDE,
  P_ETA,
  P_STICKY_RHO,
  P_T,
  POLICY_11,
  POLICY_RANDOM,
  POLICY_SKEW,
  POLICY_STICKY,
  QN,
  RATES_LEN,
  RESERVOIR_M,
  S_A,
  S_ASK_PRICE,
  S_ASK_RANK,
  S_ASK2_PRICE,
  S_ASK2_RANK,
  S_B,
  S_BID_PRICE,
  S_BID_RANK,
  S_BID2_PRICE,
  S_BID2_RANK,
  S_HITS,
  S_PA,
  S_PB,
  S_X,
  S_Y,
  STATE_SLOTS,
} from '../lob/layout.js';
import type { ZigguratTables } from '../rng/ziggurat.js';
import { expFast, expSlow, nextWord, OUT_HI, OUT_LO, unitFromWord } from './rng.js';

/** The book's fixed settings, read once from the configuration block. */
export interface BookSettings {
  readonly K: number;
  readonly refill: boolean;
  readonly aInf: number;
  readonly bInf: number;
  /** A2lim's L2 one tick behind the others' best (option l2 = one_tick). */
  readonly oneTick: boolean;
  /** The authors' pegging of improved-upon orders (option peg). */
  readonly peg: boolean;
}

export function bookSettings(cfg: Int32Array): BookSettings {
  return {
    K: cfg[C_K] as number,
    refill: cfg[C_BOUNDARY] === BOUNDARY_REFILL,
    aInf: cfg[C_A_INF] as number,
    bInf: cfg[C_B_INF] as number,
    oneTick: cfg[C_L2] !== 0,
    peg: cfg[C_PEG] !== 0,
  };
}

// ---------------------------------------------------------------------------------------------------
// Book (assembly/lob/book.ts)
// ---------------------------------------------------------------------------------------------------

function shiftFrame(st: Int32Array, base: number, K: number, off: number, inf: number): void {
  if (off > 0) {
    for (let i = 1; i <= K; i++) {
      const o = i + off;
      st[base + i - 1] = o <= K ? (st[base + o - 1] as number) : inf;
    }
  } else {
    for (let i = K; i >= 1; i--) {
      const o = i + off;
      st[base + i - 1] = o >= 1 ? (st[base + o - 1] as number) : 0;
    }
  }
}

/** The price slot of the MM order of a side (0 sell, 1 buy) at `price` (rank in the next slot), or −1. */
export function mmSlot(st: Int32Array, side: number, price: number): number {
  const p1 = side === 0 ? S_ASK_PRICE : S_BID_PRICE;
  if ((st[p1 + 1] as number) > 0 && st[p1] === price) return p1;
  const p2 = side === 0 ? S_ASK2_PRICE : S_BID2_PRICE;
  if ((st[p2 + 1] as number) > 0 && st[p2] === price) return p2;
  return -1;
}

function dropOutside(st: Int32Array, p: number, lvl: number, K: number): void {
  if ((st[p + 1] as number) > 0 && (lvl < 1 || lvl > K)) st[p + 1] = 0;
}

/** §1.5 reanchor(). */
export function reanchor(st: Int32Array, b: BookSettings): void {
  const K = b.K;
  let pb = st[S_PB] as number;
  let pa = st[S_PA] as number;
  let ia = K + 1;
  for (let i = 1; i <= K; i++) {
    if ((st[S_A + i - 1] as number) > 0 || mmSlot(st, 0, pb + i) >= 0) {
      ia = i;
      break;
    }
  }
  if (ia > K && b.refill) {
    st[S_A + K - 1] = b.aInf;
    ia = K;
    st[S_HITS] = (st[S_HITS] as number) + 1;
  }
  const newPa = pb + ia;
  if (newPa !== pa) {
    if (ia > K) st[S_HITS] = (st[S_HITS] as number) + 1;
    shiftFrame(st, S_B, K, pa - newPa, b.bInf);
    pa = newPa;
    st[S_PA] = pa;
  }
  let jb = K + 1;
  for (let j = 1; j <= K; j++) {
    if ((st[S_B + j - 1] as number) > 0 || mmSlot(st, 1, pa - j) >= 0) {
      jb = j;
      break;
    }
  }
  if (jb > K && b.refill) {
    st[S_B + K - 1] = b.bInf;
    jb = K;
    st[S_HITS] = (st[S_HITS] as number) + 1;
  }
  const newPb = pa - jb;
  if (newPb !== pb) {
    if (jb > K) st[S_HITS] = (st[S_HITS] as number) + 1;
    shiftFrame(st, S_A, K, newPb - pb, b.aInf);
    pb = newPb;
    st[S_PB] = pb;
  }
  dropOutside(st, S_ASK_PRICE, (st[S_ASK_PRICE] as number) - pb, K);
  dropOutside(st, S_ASK2_PRICE, (st[S_ASK2_PRICE] as number) - pb, K);
  dropOutside(st, S_BID_PRICE, pa - (st[S_BID_PRICE] as number), K);
  dropOutside(st, S_BID2_PRICE, pa - (st[S_BID2_PRICE] as number), K);
}

/**
 * Applies event e and re-anchors; returns 1 (MM sell filled), 2 (MM buy filled) or 0. As in the kernel,
 * reanchor() runs only when the event can move a quote (it would be a no-op otherwise).
 */
export function applyEvent(st: Int32Array, e: number, ahead: boolean, b: BookSettings): number {
  const K = b.K;
  const pb = st[S_PB] as number,
    pa = st[S_PA] as number;
  const s = pa - pb;
  let fill = 0;
  let moved = false;
  if (e === 0) {
    if (s > K) return 0;
    const slot = mmSlot(st, 0, pa);
    const q = st[S_A + s - 1] as number;
    if (slot >= 0) {
      const r = st[slot + 1] as number;
      if (r === 1) {
        st[S_X] = (st[S_X] as number) + pa;
        st[S_Y] = (st[S_Y] as number) - 1;
        st[slot + 1] = 0;
        fill = 1;
        moved = q === 0;
      } else {
        st[S_A + s - 1] = q - 1;
        st[slot + 1] = r - 1;
      }
    } else {
      st[S_A + s - 1] = q - 1;
      moved = q === 1;
    }
  } else if (e === 1) {
    if (s > K) return 0;
    const slot = mmSlot(st, 1, pb);
    const q = st[S_B + s - 1] as number;
    if (slot >= 0) {
      const r = st[slot + 1] as number;
      if (r === 1) {
        st[S_X] = (st[S_X] as number) - pb;
        st[S_Y] = (st[S_Y] as number) + 1;
        st[slot + 1] = 0;
        fill = 2;
        moved = q === 0;
      } else {
        st[S_B + s - 1] = q - 1;
        st[slot + 1] = r - 1;
      }
    } else {
      st[S_B + s - 1] = q - 1;
      moved = q === 1;
    }
  } else {
    const k2 = K + K;
    const kind = e < 2 + K ? 0 : e < 2 + k2 ? 1 : e < 2 + k2 + K ? 2 : 3;
    const lvl = e - 1 - kind * K;
    if (kind === 0) {
      st[S_A + lvl - 1] = (st[S_A + lvl - 1] as number) + 1;
      moved = lvl < s;
    } else if (kind === 1) {
      st[S_B + lvl - 1] = (st[S_B + lvl - 1] as number) + 1;
      moved = lvl < s;
    } else if (kind === 2) {
      const slot = mmSlot(st, 0, pb + lvl);
      const mm = slot >= 0;
      if (ahead && mm && (st[slot + 1] as number) > 1) st[slot + 1] = (st[slot + 1] as number) - 1;
      const q = (st[S_A + lvl - 1] as number) - 1;
      st[S_A + lvl - 1] = q;
      moved = lvl === s && q === 0 && !mm;
    } else {
      const slot = mmSlot(st, 1, pa - lvl);
      const mm = slot >= 0;
      if (ahead && mm && (st[slot + 1] as number) > 1) st[slot + 1] = (st[slot + 1] as number) - 1;
      const q = (st[S_B + lvl - 1] as number) - 1;
      st[S_B + lvl - 1] = q;
      moved = lvl === s && q === 0 && !mm;
    }
  }
  if (moved) {
    reanchor(st, b);
    if (b.peg && e >= 2 && e < 2 + 2 * K) pegOrders(st, e < 2 + K ? 0 : 1, e < 2 + K ? pa : pb);
  }
  return fill;
}

/** Option peg (§1.4), as the kernel's pegOrders. */
function pegOrders(st: Int32Array, side: number, oldBest: number): void {
  const p1 = side === 0 ? S_ASK_PRICE : S_BID_PRICE;
  const p2 = side === 0 ? S_ASK2_PRICE : S_BID2_PRICE;
  const newBest = st[side === 0 ? S_PA : S_PB] as number;
  const oldLvl = side === 0 ? oldBest - (st[S_PB] as number) : (st[S_PA] as number) - oldBest;
  const others = st[(side === 0 ? S_A : S_B) + oldLvl - 1] as number;
  let behindMoved = false;
  for (let k = 0; k < 2; k++) {
    const p = k === 0 ? p1 : p2;
    if (st[p + 1] === 0) continue;
    if (st[p] === oldBest) {
      st[p] = newBest;
      st[p + 1] = 2;
    } else if (!behindMoved) {
      st[p] = oldBest;
      st[p + 1] = others + 1;
      behindMoved = true;
    }
  }
}

/** Rank of the MM order at the level cancel event e targets (0: none, or not a cancel). */
export function cancelRank(st: Int32Array, e: number, K: number): number {
  const c0 = 2 + 2 * K;
  if (e < c0) return 0;
  const slot =
    e < c0 + K
      ? mmSlot(st, 0, (st[S_PB] as number) + (e - c0 + 1))
      : mmSlot(st, 1, (st[S_PA] as number) - (e - c0 - K + 1));
  return slot >= 0 ? (st[slot + 1] as number) : 0;
}

/** Others' units at the level of cancel event e. */
export function cancelQueue(st: Int32Array, e: number, K: number): number {
  const c0 = 2 + 2 * K;
  return (e < c0 + K ? st[S_A + e - c0] : st[S_B + e - c0 - K]) as number;
}

function othersBest(st: Int32Array, base: number, K: number): number {
  for (let i = 1; i <= K; i++) if ((st[base + i - 1] as number) > 0) return i;
  return K + 1;
}

function secondLevel(st: Int32Array, base: number, K: number, oneTick: boolean): number {
  const best = othersBest(st, base, K);
  if (oneTick) return best < K ? best + 1 : K + 1;
  for (let i = best + 1; i <= K; i++) if ((st[base + i - 1] as number) > 0) return i;
  return K + 1;
}

function keeps(
  st: Int32Array,
  base: number,
  K: number,
  label: number,
  lvl: number,
  bestLvl: number,
  oneTick: boolean,
): boolean {
  if (label === 1) return lvl === bestLvl;
  if (label === 2) return lvl > othersBest(st, base, K) && lvl <= secondLevel(st, base, K, oneTick);
  return false;
}

/** Applies an action (labels 0 none, 1 L1, 2 L2 per side): cancel → reanchor → place. */
export function applyAction(st: Int32Array, askLabel: number, bidLabel: number, b: BookSettings): void {
  const K = b.K;
  const pb = st[S_PB] as number,
    pa = st[S_PA] as number;
  const s = pa - pb;
  let cancelled = false;
  if (
    (st[S_ASK_RANK] as number) > 0 &&
    !keeps(st, S_A, K, askLabel, (st[S_ASK_PRICE] as number) - pb, s, b.oneTick)
  ) {
    st[S_ASK_RANK] = 0;
    cancelled = true;
  }
  if (
    (st[S_BID_RANK] as number) > 0 &&
    !keeps(st, S_B, K, bidLabel, pa - (st[S_BID_PRICE] as number), s, b.oneTick)
  ) {
    st[S_BID_RANK] = 0;
    cancelled = true;
  }
  if (cancelled) reanchor(st, b);
  if (askLabel !== 0 && st[S_ASK_RANK] === 0) {
    const lvl =
      askLabel === 1 ? (st[S_PA] as number) - (st[S_PB] as number) : secondLevel(st, S_A, K, b.oneTick);
    if (lvl <= K) {
      st[S_ASK_PRICE] = (st[S_PB] as number) + lvl;
      st[S_ASK_RANK] = (st[S_A + lvl - 1] as number) + 1;
    }
  }
  if (bidLabel !== 0 && st[S_BID_RANK] === 0) {
    const lvl =
      bidLabel === 1 ? (st[S_PA] as number) - (st[S_PB] as number) : secondLevel(st, S_B, K, b.oneTick);
    if (lvl <= K) {
      st[S_BID_PRICE] = (st[S_PA] as number) - lvl;
      st[S_BID_RANK] = (st[S_B + lvl - 1] as number) + 1;
    }
  }
}

// ---- A2lim-16: per side a mask, bit 0 = an order at L1, bit 1 = an order at L2 (assembly/lob/book.ts) ----

function secondFrom(st: Int32Array, base: number, K: number, best: number, oneTick: boolean): number {
  if (oneTick) return best < K ? best + 1 : K + 1;
  for (let i = best + 1; i <= K; i++) if ((st[base + i - 1] as number) > 0) return i;
  return K + 1;
}

function slotLevel(st: Int32Array, p: number, side: number): number {
  if (st[p + 1] === 0) return 0;
  return side === 0 ? (st[p] as number) - (st[S_PB] as number) : (st[S_PA] as number) - (st[p] as number);
}

function cancelSide16(
  st: Int32Array,
  side: number,
  wantL1: boolean,
  wantL2: boolean,
  K: number,
  oneTick: boolean,
): boolean {
  const s = (st[S_PA] as number) - (st[S_PB] as number);
  const base = side === 0 ? S_A : S_B;
  const p1 = side === 0 ? S_ASK_PRICE : S_BID_PRICE;
  const p2 = side === 0 ? S_ASK2_PRICE : S_BID2_PRICE;
  const l1 = slotLevel(st, p1, side),
    l2 = slotLevel(st, p2, side);
  const keepL1 = !wantL1 ? -1 : l1 === s && l1 > 0 ? p1 : l2 === s && l2 > 0 ? p2 : -1;
  const bestAfter = keepL1 >= 0 ? s : othersBest(st, base, K);
  const limit = secondFrom(st, base, K, bestAfter, oneTick);
  let keepL2 = -1;
  if (wantL2) {
    const ok1 = p1 !== keepL1 && l1 > bestAfter && l1 <= limit;
    const ok2 = p2 !== keepL1 && l2 > bestAfter && l2 <= limit;
    keepL2 = ok1 && (!ok2 || l1 < l2) ? p1 : ok2 ? p2 : -1;
  }
  let cancelled = false;
  if (l1 > 0 && p1 !== keepL1 && p1 !== keepL2) {
    st[p1 + 1] = 0;
    cancelled = true;
  }
  if (l2 > 0 && p2 !== keepL1 && p2 !== keepL2) {
    st[p2 + 1] = 0;
    cancelled = true;
  }
  return cancelled;
}

function placeAt(st: Int32Array, side: number, lvl: number): void {
  const p =
    side === 0
      ? st[S_ASK_RANK] === 0
        ? S_ASK_PRICE
        : S_ASK2_PRICE
      : st[S_BID_RANK] === 0
        ? S_BID_PRICE
        : S_BID2_PRICE;
  st[p] = side === 0 ? (st[S_PB] as number) + lvl : (st[S_PA] as number) - lvl;
  st[p + 1] = (st[(side === 0 ? S_A : S_B) + lvl - 1] as number) + 1;
}

function placeSide16(
  st: Int32Array,
  side: number,
  wantL1: boolean,
  wantL2: boolean,
  K: number,
  oneTick: boolean,
): void {
  const s = (st[S_PA] as number) - (st[S_PB] as number);
  if (s > K) return;
  const p1 = side === 0 ? S_ASK_PRICE : S_BID_PRICE;
  const p2 = side === 0 ? S_ASK2_PRICE : S_BID2_PRICE;
  if (wantL1 && slotLevel(st, p1, side) !== s && slotLevel(st, p2, side) !== s) placeAt(st, side, s);
  if (wantL2 && slotLevel(st, p1, side) <= s && slotLevel(st, p2, side) <= s) {
    const lvl = secondFrom(st, side === 0 ? S_A : S_B, K, s, oneTick);
    if (lvl <= K) placeAt(st, side, lvl);
  }
}

/** A2lim-16: masks per side (bit 0 L1, bit 1 L2); cancel → reanchor → place, as the kernel. */
export function applyAction16(st: Int32Array, askMask: number, bidMask: number, b: BookSettings): void {
  const ca = cancelSide16(st, 0, (askMask & 1) !== 0, (askMask & 2) !== 0, b.K, b.oneTick);
  const cb = cancelSide16(st, 1, (bidMask & 1) !== 0, (bidMask & 2) !== 0, b.K, b.oneTick);
  if (ca || cb) reanchor(st, b);
  placeSide16(st, 0, (askMask & 1) !== 0, (askMask & 2) !== 0, b.K, b.oneTick);
  placeSide16(st, 1, (bidMask & 1) !== 0, (bidMask & 2) !== 0, b.K, b.oneTick);
}

function curve(tbl: Float64Array, c: number, q: number): number {
  const base = c * CURVE_LEN;
  if (q < QN) return tbl[base + q] as number;
  return (tbl[base + QN - 1] as number) + (tbl[base + QN] as number) * (q - QN + 1);
}

/** The 4K+2 intensities into `out`; returns Λ (summed in event order, as the kernel). */
export function rates(
  st: Int32Array,
  tbl: Float64Array,
  out: Float64Array,
  K: number,
  countsMM: boolean,
): number {
  const pb = st[S_PB] as number,
    pa = st[S_PA] as number;
  const s = pa - pb;
  const askLvl = (st[S_ASK_RANK] as number) > 0 ? (st[S_ASK_PRICE] as number) - pb : 0;
  const bidLvl = (st[S_BID_RANK] as number) > 0 ? pa - (st[S_BID_PRICE] as number) : 0;
  const askLvl2 = (st[S_ASK2_RANK] as number) > 0 ? (st[S_ASK2_PRICE] as number) - pb : 0;
  const bidLvl2 = (st[S_BID2_RANK] as number) > 0 ? pa - (st[S_BID2_PRICE] as number) : 0;
  let mPlus: number, mMinus: number;
  if (s > K) {
    mPlus = tbl[RESERVOIR_M] as number;
    mMinus = tbl[RESERVOIR_M + 1] as number;
  } else {
    const qa = (st[S_A + s - 1] as number) + (askLvl === s || askLvl2 === s ? 1 : 0);
    const qb = (st[S_B + s - 1] as number) + (bidLvl === s || bidLvl2 === s ? 1 : 0);
    mPlus = curve(tbl, M_CURVES + s - 1, qa);
    mMinus = curve(tbl, M_CURVES + KMAX + s - 1, qb);
  }
  out[0] = mPlus;
  out[1] = mMinus;
  const lam = mPlus + mMinus;
  const mmA = countsMM ? askLvl : 0,
    mmB = countsMM ? bidLvl : 0;
  const mmA2 = countsMM ? askLvl2 : 0,
    mmB2 = countsMM ? bidLvl2 : 0;
  const vA = (st[S_A] as number) + (mmA === 1 || mmA2 === 1 ? 1 : 0) === 0 ? 1 : 0;
  const vB = (st[S_B] as number) + (mmB === 1 || mmB2 === 1 ? 1 : 0) === 0 ? 1 : 0;
  // Block sums over levels in order, as the kernel.
  let sLp = 0,
    sLm = 0,
    sCp = 0,
    sCm = 0;
  for (let i = 1; i <= K; i++) {
    const a = st[S_A + i - 1] as number,
      bq = st[S_B + i - 1] as number;
    const qa = a + (mmA === i || mmA2 === i ? 1 : 0),
      qb = bq + (mmB === i || mmB2 === i ? 1 : 0);
    const ca = ((i - 1) * 2 + vA) * 2,
      cb = ((KMAX + i - 1) * 2 + vB) * 2;
    const la = curve(tbl, ca, qa),
      lb = curve(tbl, cb, qb);
    const xa = a > 0 ? curve(tbl, ca + 1, qa) : 0,
      xb = bq > 0 ? curve(tbl, cb + 1, qb) : 0;
    out[1 + i] = la;
    out[1 + K + i] = lb;
    out[1 + 2 * K + i] = xa;
    out[1 + 3 * K + i] = xb;
    sLp += la;
    sLm += lb;
    sCp += xa;
    sCm += xb;
  }
  const blocks = 4 * K + 2;
  out[blocks] = sLp;
  out[blocks + 1] = sLm;
  out[blocks + 2] = sCp;
  out[blocks + 3] = sCm;
  return lam + (sLp + sLm + (sCp + sCm));
}

/** The event drawn by target = u·Λ: M+, M−, then block by block and within the block (as the kernel). */
export function selectEvent(r: Float64Array, K: number, target: number): number {
  let t = target;
  const mPlus = r[0] as number;
  if (t < mPlus) return 0;
  t -= mPlus;
  const mMinus = r[1] as number;
  if (t < mMinus) return 1;
  t -= mMinus;
  const blocks = 4 * K + 2;
  for (let k = 0; k < 4; k++) {
    const sum = r[blocks + k] as number;
    if (t < sum) {
      const first = 2 + k * K;
      let acc = 0;
      for (let e = first; e < first + K; e++) {
        acc += r[e] as number;
        if (t < acc) return e;
      }
    }
    t -= sum;
  }
  let last = 4 * K + 1;
  while (last > 0 && !((r[last] as number) > 0)) last--;
  return last;
}

/** L(y) by walking the others' book (§1.7); `plusTick` prices every unit one tick worse. */
export function liquidation(st: Int32Array, y: number, b: BookSettings, plusTick: boolean): number {
  const K = b.K;
  const pb = st[S_PB] as number,
    pa = st[S_PA] as number;
  const s = pa - pb;
  let v = 0;
  if (y > 0) {
    let rem = y;
    for (let j = s; j <= K && rem > 0; j++) {
      const q = st[S_B + j - 1] as number;
      const take = q < rem ? q : rem;
      v += take * (pa - j);
      rem -= take;
    }
    let p = pa - (s > K ? s : K + 1);
    while (rem > 0) {
      const take = b.bInf < rem ? b.bInf : rem;
      v += take * p;
      rem -= take;
      p--;
    }
    if (plusTick) v -= y;
  } else if (y < 0) {
    let rem = -y;
    for (let i = s; i <= K && rem > 0; i++) {
      const q = st[S_A + i - 1] as number;
      const take = q < rem ? q : rem;
      v -= take * (pb + i);
      rem -= take;
    }
    let p = pb + (s > K ? s : K + 1);
    while (rem > 0) {
      const take = b.aInf < rem ? b.aInf : rem;
      v -= take * p;
      rem -= take;
      p++;
    }
    if (plusTick) v += y;
  }
  return v;
}

/** Cancels every MM order and re-anchors. */
export function cancelAll(st: Int32Array, b: BookSettings): void {
  st[S_ASK_RANK] = 0;
  st[S_BID_RANK] = 0;
  st[S_ASK2_RANK] = 0;
  st[S_BID2_RANK] = 0;
  reanchor(st, b);
}

/** g(z) = x + L(y) − η·y² after cancelling the MM orders (modifies `st`), as lobTerminalReward. */
export function terminalReward(st: Int32Array, b: BookSettings, plusTick: boolean, eta: number): number {
  cancelAll(st, b);
  const y = st[S_Y] as number;
  const v = (st[S_X] as number) + liquidation(st, y, b, plusTick);
  return v - eta * y * y;
}

// ---------------------------------------------------------------------------------------------------
// Stream seeding per episode: splitmix64 on int32 pairs (cold: once per episode)
// ---------------------------------------------------------------------------------------------------
const TWO32 = 4294967296;
const pair = new Int32Array(2);

function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff,
    a1 = al >>> 16,
    b0 = bl & 0xffff,
    b1 = bl >>> 16;
  const p00 = a0 * b0,
    p01 = a0 * b1,
    p10 = a1 * b0,
    p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  pair[1] = ((mid & 0xffff) << 16) | (p00 & 0xffff);
  pair[0] =
    (p11 +
      Math.floor(p01 / 65536) +
      Math.floor(p10 / 65536) +
      Math.floor(mid / 65536) +
      Math.imul(ah, bl) +
      Math.imul(al, bh)) |
    0;
}

function add64(ah: number, al: number, bh: number, bl: number): void {
  const lo = (al >>> 0) + (bl >>> 0);
  pair[1] = lo | 0;
  pair[0] = (ah + bh + (lo >= TWO32 ? 1 : 0)) | 0;
}

const G_HI = 0x9e3779b9 | 0,
  G_LO = 0x7f4a7c15 | 0;
const M1_HI = 0xbf58476d | 0,
  M1_LO = 0x1ce4e5b9 | 0;
const M2_HI = 0x94d049bb | 0,
  M2_LO = 0x133111eb | 0;

/** splitmix64(z) of the pair (hi, lo), into `pair`. */
function splitmixPair(hi: number, lo: number): void {
  add64(hi, lo, G_HI, G_LO);
  let h = pair[0] as number,
    l = pair[1] as number;
  // z ^= z >> 30; z *= M1
  l ^= (l >>> 30) | (h << 2);
  h ^= h >>> 30;
  mul64(h, l, M1_HI, M1_LO);
  h = pair[0] as number;
  l = pair[1] as number;
  l ^= (l >>> 27) | (h << 5);
  h ^= h >>> 27;
  mul64(h, l, M2_HI, M2_LO);
  h = pair[0] as number;
  l = pair[1] as number;
  pair[1] = l ^ ((l >>> 31) | (h << 1));
  pair[0] = h ^ (h >>> 31);
}

/** Seeds `rng` (Int32Array(10)) with the stream of episode `ep`: key = splitmix64(base ^ ep). */
export function seedEpisode(rng: Int32Array, baseHi: number, baseLo: number, ep: number): void {
  splitmixPair(baseHi, baseLo ^ ep);
  let kh = pair[0] as number,
    kl = pair[1] as number;
  for (let i = 0; i < 4; i++) {
    splitmixPair(kh, kl);
    rng[2 * i] = pair[0] as number;
    rng[2 * i + 1] = pair[1] as number;
    add64(kh, kl, G_HI, G_LO);
    kh = pair[0] as number;
    kl = pair[1] as number;
  }
}

/** The u64 base as (hi, lo) int32 halves. */
export function baseHalves(base: bigint): [number, number] {
  return [Number((base >> 32n) & 0xffffffffn) | 0, Number(base & 0xffffffffn) | 0];
}

// ---------------------------------------------------------------------------------------------------
// Episodes (assembly/lob/episodes.ts)
// ---------------------------------------------------------------------------------------------------

/** A custom policy for the JS engine: labels per side from the post-event state, the event count and the time. */
export type DecideFn = (
  st: Int32Array,
  n: number,
  t: number,
) => readonly [askLabel: number, bidLabel: number];

/** Scratch buffers of the JS engine (allocated once per caller). */
export interface JsScratch {
  readonly st: Int32Array;
  readonly rng: Int32Array;
  readonly r: Float64Array;
}

export function jsScratch(): JsScratch {
  return { st: new Int32Array(STATE_SLOTS), rng: new Int32Array(10), r: new Float64Array(RATES_LEN) };
}

/**
 * Episodes from..to−1, records into out[(e − from)·OUT_STRIDE]; the kernel's algorithm and stream.
 * `decide` replaces the built-in policy code when given. Returns 0 or e + 1 on a bad total intensity.
 */
export function lobEpisodes(
  cfg: Int32Array,
  prm: Float64Array,
  tbl: Float64Array,
  z: ZigguratTables,
  init: Int32Array,
  scratch: JsScratch,
  out: Float64Array,
  base: bigint,
  from: number,
  to: number,
  decide?: DecideFn,
): number {
  const b = bookSettings(cfg);
  const K = b.K;
  const cancelMode = cfg[C_CANCEL] as number;
  const countsMM = cfg[C_COUNTS_MM] !== 0;
  const actionClass = cfg[C_ACTIONS] as number;
  const nActions = actionClass === 0 ? 4 : actionClass === 1 ? 9 : 16;
  const policy = cfg[C_POLICY] as number;
  const plusTick = cfg[C_LIQUIDATION] !== 0;
  const maxEvents = cfg[C_MAX_EVENTS] as number;
  const T = prm[P_T] as number,
    rho = prm[P_STICKY_RHO] as number,
    eta = prm[P_ETA] as number;
  const { st, rng, r } = scratch;
  const [baseHi, baseLo] = baseHalves(base);
  for (let ep = from; ep < to; ep++) {
    seedEpisode(rng, baseHi, baseLo, ep);
    st.set(init);
    st[S_HITS] = 0;
    let t = 0,
      quoteAsk = 0,
      quoteBid = 0,
      reservoirTime = 0;
    let n = 0,
      fillsAsk = 0,
      fillsBid = 0,
      capped = 0,
      prev = 0;
    for (;;) {
      let askLabel = 0,
        bidLabel = 0;
      if (decide) {
        [askLabel, bidLabel] = decide(st, n, t);
      } else if (policy === POLICY_11) {
        askLabel = 1;
        bidLabel = 1;
      } else if (policy === POLICY_SKEW) {
        const y = st[S_Y] as number;
        askLabel = y >= 0 ? 1 : 0;
        bidLabel = y <= 0 ? 1 : 0;
      } else if (policy === POLICY_RANDOM || policy === POLICY_STICKY) {
        nextWord(rng);
        let redraw = true;
        if (policy === POLICY_STICKY && n > 0) {
          redraw = unitFromWord(rng[OUT_HI] as number, rng[OUT_LO] as number) >= rho;
          if (redraw) nextWord(rng);
        }
        if (redraw) prev = Math.trunc(unitFromWord(rng[OUT_HI] as number, rng[OUT_LO] as number) * nActions);
        askLabel = actionClass === 0 ? prev >> 1 : actionClass === 1 ? (prev / 3) | 0 : prev >> 2;
        bidLabel = actionClass === 0 ? prev & 1 : actionClass === 1 ? prev % 3 : prev & 3;
      }
      if (actionClass === 2) applyAction16(st, askLabel, bidLabel, b);
      else if (
        !(
          askLabel === 1 &&
          bidLabel === 1 &&
          (st[S_ASK_RANK] as number) > 0 &&
          st[S_ASK_PRICE] === st[S_PA] &&
          (st[S_BID_RANK] as number) > 0 &&
          st[S_BID_PRICE] === st[S_PB]
        )
      ) {
        // (1, 1) with both orders already at the best is a no-op: skipped, as in the kernel.
        applyAction(st, askLabel, bidLabel, b);
      }
      const lam = rates(st, tbl, r, K, countsMM);
      if (!(lam > 0) || !Number.isFinite(lam)) return ep + 1;
      nextWord(rng);
      let hi = rng[OUT_HI] as number,
        lo = rng[OUT_LO] as number;
      let eps = expFast(hi, lo, z);
      if (Number.isNaN(eps)) eps = expSlow(rng, hi, lo, z);
      const tau = eps / lam;
      const askOn = (st[S_ASK_RANK] as number) > 0 || (st[S_ASK2_RANK] as number) > 0;
      const bidOn = (st[S_BID_RANK] as number) > 0 || (st[S_BID2_RANK] as number) > 0;
      const inReservoir = (st[S_PA] as number) - (st[S_PB] as number) > K;
      if (t + tau > T) {
        if (askOn) quoteAsk += T - t;
        if (bidOn) quoteBid += T - t;
        if (inReservoir) reservoirTime += T - t;
        break;
      }
      if (askOn) quoteAsk += tau;
      if (bidOn) quoteBid += tau;
      if (inReservoir) reservoirTime += tau;
      t += tau;
      nextWord(rng);
      hi = rng[OUT_HI] as number;
      lo = rng[OUT_LO] as number;
      const e = selectEvent(r, K, unitFromWord(hi, lo) * lam);
      let ahead = false;
      const rank = cancelRank(st, e, K);
      if (rank > 1) {
        if (cancelMode === CANCEL_UNIFORM) {
          nextWord(rng);
          ahead =
            unitFromWord(rng[OUT_HI] as number, rng[OUT_LO] as number) * cancelQueue(st, e, K) < rank - 1;
        } else {
          ahead = cancelMode === CANCEL_AHEAD;
        }
      }
      const fill = applyEvent(st, e, ahead, b);
      if (fill === 1) fillsAsk++;
      else if (fill === 2) fillsBid++;
      n++;
      if (n === maxEvents) {
        capped = 1;
        break;
      }
    }
    cancelAll(st, b);
    const y = st[S_Y] as number;
    const pnl = (st[S_X] as number) + liquidation(st, y, b, plusTick);
    const rec = (ep - from) * OUT_STRIDE;
    out[rec + O_PNL] = pnl;
    out[rec + O_REWARD] = pnl - eta * y * y;
    out[rec + O_Y] = y;
    out[rec + O_EVENTS] = n;
    out[rec + O_FILLS_ASK] = fillsAsk;
    out[rec + O_FILLS_BID] = fillsBid;
    out[rec + O_QUOTE_ASK] = quoteAsk;
    out[rec + O_QUOTE_BID] = quoteBid;
    out[rec + O_HITS] = st[S_HITS] as number;
    out[rec + O_CAPPED] = capped;
    out[rec + O_RESERVOIR_TIME] = reservoirTime;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// Enumeration (assembly/lob/entry.ts lobSuccessors)
// ---------------------------------------------------------------------------------------------------

export interface Successor {
  readonly state: Int32Array;
  readonly prob: number;
  /** 2·e + ahead. */
  readonly code: number;
}

/** Every successor of the post-decision state with its probability (cancel split into ahead/behind). */
export function successors(
  cfg: Int32Array,
  tbl: Float64Array,
  st: Int32Array,
): { lam: number; branches: Successor[] } {
  const b = bookSettings(cfg);
  const K = b.K;
  const mode = cfg[C_CANCEL] as number;
  const r = new Float64Array(RATES_LEN);
  const total = rates(st, tbl, r, K, cfg[C_COUNTS_MM] !== 0);
  const branches: Successor[] = [];
  for (let e = 0; e < 4 * K + 2; e++) {
    const re = r[e] as number;
    if (!(re > 0)) continue;
    const p = re / total;
    const rank = cancelRank(st, e, K);
    for (let ahead = 0; ahead < 2; ahead++) {
      let q = ahead === 0 ? p : 0;
      if (rank > 1) {
        const f = (rank - 1) / cancelQueue(st, e, K);
        if (mode === CANCEL_UNIFORM) q = ahead === 1 ? p * f : p * (1 - f);
        else if (mode === CANCEL_BEHIND) q = ahead === 0 ? p : 0;
        else if (mode === CANCEL_AHEAD) q = ahead === 1 ? p : 0;
      }
      if (!(q > 0)) continue;
      const next = st.slice();
      applyEvent(next, e, ahead === 1, b);
      branches.push({ state: next, prob: q, code: 2 * e + ahead });
    }
  }
  return { lam: total, branches };
}
