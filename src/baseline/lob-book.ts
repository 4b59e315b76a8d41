/**
 * TS twin of assembly/lob/book.ts: the order book's state transitions (events, re-anchoring, the
 * boundary, MM actions), the event rates from the shared intensity tables, liquidation and the
 * terminal reward, in the kernel's operation order, so the twin agrees with it bit for bit.
 */
import {
  BOUNDARY_REFILL,
  C_A_INF,
  C_B_INF,
  C_BOUNDARY,
  C_K,
  C_L2,
  C_PEG,
  CANCEL_AHEAD,
  CANCEL_UNIFORM,
  CURVE_LEN,
  KMAX,
  M_CURVES,
  QN,
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
} from '../lob/layout.js';

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

/**
 * Probability of the branch `ahead` (1: the cancelled unit was ahead of the MM order, 0: behind it) of
 * cancel event e, whose probability is p, under the cancel mode: with the MM order at rank r > 1 of a
 * level of a others' units, uniform cancels hit one ahead with probability (r − 1)/a; otherwise (no MM
 * order there, or at rank 1) every cancel is behind it.
 */
export function cancelBranch(
  st: Int32Array,
  e: number,
  K: number,
  mode: number,
  p: number,
  ahead: number,
): number {
  const rank = cancelRank(st, e, K);
  if (rank > 1 && mode === CANCEL_UNIFORM) {
    const f = (rank - 1) / cancelQueue(st, e, K);
    return ahead === 1 ? p * f : p * (1 - f);
  }
  if (rank > 1 && mode === CANCEL_AHEAD) return ahead === 1 ? p : 0;
  return ahead === 0 ? p : 0;
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
