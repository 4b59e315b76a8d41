// Batched exact enumeration of the next event for the Qknn recursion (spec qknn-market-making §4.4):
// for a chunk of grid points and a list of actions, the closed-form parts of Q̂ (no event before T, and
// Φ when there is no next step) and, per branch and quantizer cell, the successor's feature row and
// one contribution (row, target slot, weight, base) for the projection on the next step's grid. The
// host's TS twin (src/baseline/qknn-enumerate.ts) does the same operations in the same order, so both
// write the same bits. e^x and e^x − 1 of the cut quantizer cell and of the survival come from the
// host's Math (the module's own exp differs from V8's in the last bit on some inputs); the full cells'
// means and masses are precomputed by the host.
import { applyAction, applyAction16, applyEvent, cancelAll, cancelQueue, cancelRank, liquidation, rates } from '../lob/book';
import { fget, sget } from '../lob/access';
import {
  LOB_BOUNDARY_REFILL, LOB_C_A_INF, LOB_C_B_INF, LOB_C_BOUNDARY, LOB_C_CANCEL, LOB_C_COUNTS_MM, LOB_C_K,
  LOB_C_L2, LOB_C_LIQUIDATION, LOB_C_PEG, LOB_CANCEL_AHEAD, LOB_CANCEL_BEHIND, LOB_CANCEL_UNIFORM, LOB_RATES_LEN,
  LOB_S_A, LOB_S_ASK_PRICE, LOB_S_ASK_RANK, LOB_S_ASK2_PRICE, LOB_S_B, LOB_S_BID_PRICE, LOB_S_BID_RANK,
  LOB_S_BID2_PRICE, LOB_S_PA, LOB_S_PB, LOB_S_X, LOB_S_Y, LOB_STATE_SLOTS,
} from '../lob/layout';

// @ts-ignore: decorator
@external("env", "Math.exp") declare function hostExp(x: f64): f64;
// @ts-ignore: decorator
@external("env", "Math.expm1") declare function hostExpm1(x: f64): f64;

// ---- settings block (i32 slots), written by the host wrapper ----
export const QKNN_E_ACTIONS: i32 = 0; // 0 A1lim, 1 A2lim, 2 A2lim16
export const QKNN_E_NA: i32 = 1; // actions of the class (slot stride of q0)
export const QKNN_E_D: i32 = 2; // features per row
export const QKNN_E_CANONICAL: i32 = 3; // 1: absent orders read as canonical, no presence bits
export const QKNN_E_ONE_TICK: i32 = 4; // A2lim16 features: L2 one tick behind the best
export const QKNN_E_PAPER_LITERAL: i32 = 5; // truncation: 0 mass-exact, 1 paper-literal
export const QKNN_E_PREF_MID: i32 = 6; // p_ref: 1 mid, 0 best bid
export const QKNN_E_PHI_G: i32 = 7; // Φ at N: 1 g, 0 zero
export const QKNN_E_L: i32 = 8; // quantizer points
export const QKNN_E_A_INF: i32 = 9; // reservoir queue sizes (features)
export const QKNN_E_B_INF: i32 = 10;
export const QKNN_E_SLOTS: i32 = 11;

// ---- f64 block: the model's T and η, the features' T, then the quantizer (points, masses, edges
// m_0..m_L, and the full cells' conditional means, masses and e^{−m_l}) ----
export const QKNN_EF_T: i32 = 0;
export const QKNN_EF_ETA: i32 = 1;
export const QKNN_EF_FEATURE_T: i32 = 2;
export const QKNN_EF_POINTS: i32 = 3;
/** f64 slots of the block for L quantizer points. */
export function qknnEnumerateF64(L: i32): i32 {
  return QKNN_EF_POINTS + 6 * L + 1;
}

/** Successor groups of one grid point at most: nA actions × (4K + 2 events + up to 4 cancel splits). */
// @ts-ignore: decorator
@inline function maxGroups(nA: i32, K: i32): i32 {
  return nA * (4 * K + 6);
}

/** Slots of the successor cache's hash table: a power of two, at least twice the groups. */
// @ts-ignore: decorator
@inline function tableSize(nA: i32, K: i32): i32 {
  let h = 64;
  while (h < 2 * maxGroups(nA, K)) h <<= 1;
  return h;
}

/**
 * Bytes of scratch: three states, the rates, the truncated cells, the successor groups and the cache's
 * hash table (a stamp counter, then stamp and group per slot).
 */
export function qknnEnumerateScratch(L: i32, nA: i32, K: i32): i32 {
  return 3 * LOB_STATE_SLOTS * 4 + LOB_RATES_LEN * 8 + 2 * L * 8 + maxGroups(nA, K) * 12 + 8 + tableSize(nA, K) * 8 + 64;
}

/**
 * Hash of a successor's key: its total intensity and state features 1..d−1 (the time feature 0 is left
 * out), FNV-1a over their 32-bit words, then a final mix. The features are integers read from i32 state
 * fields and λ > 0, so equal keys have equal bits (no −0 against +0).
 */
// @ts-ignore: decorator
@inline function keyHash(lam: f64, row: usize, rowBytes: usize): u32 {
  const bits = reinterpret<u64>(lam);
  let h: u32 = 0x811c9dc5;
  h = (h ^ <u32>bits) * 0x01000193;
  h = (h ^ <u32>(bits >>> 32)) * 0x01000193;
  for (let o: usize = 8; o < rowBytes; o += 4) h = (h ^ load<u32>(row + o)) * 0x01000193;
  h ^= h >>> 15;
  h *= 0x2c1b3c6d;
  h ^= h >>> 12;
  return h;
}

// Settings of one call, hoisted into globals once per call (the inner loops read them often).
let gK: i32 = 0;
let gRefill: bool = false;
let gAInf: i32 = 0;
let gBInf: i32 = 0;
let gPeg: bool = false;
let gL2: bool = false;
let gPlusTick: bool = false;
let gEta: f64 = 0;
let gCanonical: bool = true;
let gOneTick: bool = false;
let gFAInf: i32 = 0;
let gFBInf: i32 = 0;
let gMid: bool = true;
let gFeatureT: f64 = 0;

// @ts-ignore: decorator
@inline function fput(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/** Copies a state block (29 i32) with plain loads and stores: cheaper than memory.copy at this size. */
// @ts-ignore: decorator
@inline function copyState(dst: usize, src: usize): void {
  for (let o: usize = 0; o < 112; o += 8) store<u64>(dst + o, load<u64>(src + o));
  store<u32>(dst + 112, load<u32>(src + 112));
}

// @ts-ignore: decorator
@inline function ref(st: usize): f64 {
  const pRef = gMid ? <f64>(sget(st, LOB_S_PA) + sget(st, LOB_S_PB)) / 2 : <f64>sget(st, LOB_S_PB);
  return <f64>sget(st, LOB_S_X) + <f64>sget(st, LOB_S_Y) * pRef;
}

/** g(z) on a copy of the state at `st` (cancel the MM orders, close out, penalty η·y²). */
function terminal(st: usize, tmp: usize): f64 {
  copyState(tmp, st);
  cancelAll(tmp, gK, gRefill, gAInf, gBInf);
  const y = sget(tmp, LOB_S_Y);
  const v = sget(tmp, LOB_S_X) + liquidation(tmp, y, gK, gAInf, gBInf, gPlusTick);
  return <f64>v - gEta * <f64>y * <f64>y;
}

/** One MM order slot's features at out[f..]: presence (not canonical), offset, units ahead. */
// @ts-ignore: decorator
@inline function writeSlot(out: usize, f: i32, present: i32, offset: i32, ahead: i32): i32 {
  if (!gCanonical) fput(out, f++, <f64>present);
  fput(out, f++, <f64>offset);
  fput(out, f++, <f64>ahead);
  return f;
}

/** A2lim16's two slots of one side, filled by price (src/qknn/features.ts writeTwoSlots). */
function writeTwoSlots(st: usize, side: i32, out: usize, f: i32): i32 {
  const K = gK;
  const pb = sget(st, LOB_S_PB), pa = sget(st, LOB_S_PA);
  const s = pa - pb;
  const base = side == 0 ? LOB_S_A : LOB_S_B;
  const p1 = side == 0 ? LOB_S_ASK_PRICE : LOB_S_BID_PRICE;
  const p2 = side == 0 ? LOB_S_ASK2_PRICE : LOB_S_BID2_PRICE;
  // the resting orders as (offset, units ahead), in slot order, then sorted by offset
  let n = 0;
  let o0 = 0, a0 = 0, o1 = 0, a1 = 0;
  for (let k = 0; k < 2; k++) {
    const p = k == 0 ? p1 : p2;
    const rank = sget(st, p + 1);
    if (rank > 0) {
      const off = side == 0 ? sget(st, p) - pa : pb - sget(st, p);
      if (n == 0) { o0 = off; a0 = rank - 1; } else { o1 = off; a1 = rank - 1; }
      n++;
    }
  }
  if (n == 2 && o1 < o0) {
    const to = o0, ta = a0;
    o0 = o1; a0 = a1; o1 = to; a1 = ta;
  }
  let hasL1 = false, hasL2 = false;
  let l1o = 0, l1a = 0, l2o = 0, l2a = 0;
  if (n == 2) {
    hasL1 = true; l1o = o0; l1a = a0;
    hasL2 = true; l2o = o1; l2a = a1;
  } else if (n == 1) {
    if (o0 == 0) { hasL1 = true; l1o = o0; l1a = a0; }
    else { hasL2 = true; l2o = o0; l2a = a0; }
  }
  const inf = side == 0 ? gFAInf : gFBInf;
  if (hasL1) f = writeSlot(out, f, 1, l1o, l1a);
  else if (gCanonical) f = writeSlot(out, f, 0, 0, s <= K ? sget(st, base + s - 1) : inf);
  else f = writeSlot(out, f, 0, 0, 0);
  if (hasL2) return writeSlot(out, f, 1, l2o, l2a);
  if (!gCanonical) return writeSlot(out, f, 0, 0, 0);
  let lvl = K + 1;
  if (gOneTick) lvl = s < K ? s + 1 : K + 1;
  else for (let i = s + 1; i <= K && lvl > K; i++) if (sget(st, base + i - 1) > 0) lvl = i;
  if (lvl <= K) return writeSlot(out, f, 0, lvl - s, sget(st, base + lvl - 1));
  const off = K + 1 - s;
  return writeSlot(out, f, 0, off > 0 ? off : 0, inf);
}

/** ψ(t, z) of the state at `st` into out[0..d) (src/qknn/features.ts featurize; no scaling). */
function featurize(st: usize, t: f64, out: usize, twoSlots: bool): void {
  const K = gK;
  const pb = sget(st, LOB_S_PB), pa = sget(st, LOB_S_PA);
  const s = pa - pb;
  fput(out, 0, gFeatureT - t);
  fput(out, 1, <f64>sget(st, LOB_S_Y));
  fput(out, 2, <f64>s);
  for (let i = 0; i < K; i++) {
    fput(out, 3 + i, <f64>sget(st, LOB_S_A + i));
    fput(out, 3 + K + i, <f64>sget(st, LOB_S_B + i));
  }
  let f = 3 + 2 * K;
  if (twoSlots) {
    f = writeTwoSlots(st, 0, out, f);
    writeTwoSlots(st, 1, out, f);
    return;
  }
  for (let side = 0; side < 2; side++) {
    const rank = sget(st, side == 0 ? LOB_S_ASK_RANK : LOB_S_BID_RANK);
    const price = sget(st, side == 0 ? LOB_S_ASK_PRICE : LOB_S_BID_PRICE);
    let offset = 0, ahead = 0, present = 0;
    if (rank > 0) {
      present = 1;
      offset = side == 0 ? price - pa : pb - price;
      ahead = rank - 1;
    } else if (gCanonical) {
      const best = side == 0 ? LOB_S_A : LOB_S_B;
      ahead = s <= K ? sget(st, best + s - 1) : side == 0 ? gFAInf : gFBInf;
    }
    f = writeSlot(out, f, present, offset, ahead);
  }
}

/**
 * The quantizer seen from h = λ(T − t) (src/qknn/quantizer.ts truncate): the used cells' points and
 * masses into pts/wts; returns their number.
 */
function truncate(qz: usize, L: i32, h: f64, paperLiteral: bool, pts: usize, wts: usize): i32 {
  const points = qz + (<usize>QKNN_EF_POINTS << 3);
  const masses = points + (<usize>L << 3);
  const edges = masses + (<usize>L << 3);
  const means = edges + (<usize>(L + 1) << 3);
  const fullMass = means + (<usize>L << 3);
  const expNeg = fullMass + (<usize>L << 3);
  let n = 0;
  for (let l = 0; l < L; l++) {
    const off = <usize>l << 3;
    if (paperLiteral) {
      const e = load<f64>(points + off);
      if (e <= h) {
        fput(pts, n, e);
        fput(wts, n++, load<f64>(masses + off));
      }
      continue;
    }
    const u = load<f64>(edges + off);
    if (!(u < h)) break;
    const next = load<f64>(edges + off + 8);
    if (next <= h) {
      // a whole cell: min(m_{l+1}, h) = m_{l+1}
      fput(pts, n, load<f64>(means + off));
      fput(wts, n++, load<f64>(fullMass + off));
      continue;
    }
    // the cell cut at h: conditional mean and mass of [u, h) (quantizer.ts conditionalMean, cellMass)
    const delta = h - u;
    fput(pts, n, delta < 1e-8 ? u + delta / 2 : u + 1 - delta / hostExpm1(delta));
    fput(wts, n++, -load<f64>(expNeg + off) * hostExpm1(-(h - u)));
  }
  return n;
}

/**
 * Enumerates grid points 0..n−1 (states LOB_STATE_SLOTS i32 each, times f64) under the nAct actions at
 * `actions` (i32 indices): adds the closed-form parts to q0[i·nA + a] and, when `hasNext`, writes query
 * rows (d f64 each) to qFeat and contributions to cRow/cTarget (i32) and cWeight/cBase (f64). Writes the
 * number of rows and of contributions to counts[0], counts[1].
 */
export function qknnEnumerate(
  cfg: usize, tbl: usize, set: usize, qz: usize, states: usize, times: usize, n: i32, actions: usize,
  nAct: i32, hasNext: i32, q0: usize, qFeat: usize, cRow: usize, cTarget: usize, cWeight: usize,
  cBase: usize, scratch: usize, counts: usize,
): void {
  const K = sget(cfg, LOB_C_K);
  gK = K;
  gRefill = sget(cfg, LOB_C_BOUNDARY) == LOB_BOUNDARY_REFILL;
  gAInf = sget(cfg, LOB_C_A_INF);
  gBInf = sget(cfg, LOB_C_B_INF);
  gPeg = sget(cfg, LOB_C_PEG) != 0;
  gL2 = sget(cfg, LOB_C_L2) != 0;
  gPlusTick = sget(cfg, LOB_C_LIQUIDATION) != 0;
  gEta = fget(qz, QKNN_EF_ETA);
  gFeatureT = fget(qz, QKNN_EF_FEATURE_T);
  const cls = sget(set, QKNN_E_ACTIONS);
  const nA = sget(set, QKNN_E_NA);
  const d = sget(set, QKNN_E_D);
  gCanonical = sget(set, QKNN_E_CANONICAL) != 0;
  gOneTick = sget(set, QKNN_E_ONE_TICK) != 0;
  const paperLiteral = sget(set, QKNN_E_PAPER_LITERAL) != 0;
  gMid = sget(set, QKNN_E_PREF_MID) != 0;
  const phiG = sget(set, QKNN_E_PHI_G) != 0;
  const L = sget(set, QKNN_E_L);
  gFAInf = sget(set, QKNN_E_A_INF);
  gFBInf = sget(set, QKNN_E_B_INF);
  const mode = sget(cfg, LOB_C_CANCEL);
  const countsMM = sget(cfg, LOB_C_COUNTS_MM) != 0;
  const T = fget(qz, QKNN_EF_T);
  const featureT = gFeatureT;
  const twoSlots = cls == 2;
  const stBytes = <usize>LOB_STATE_SLOTS << 2; // 116: copyState's size
  const rowBytes = <usize>d << 3;

  const za = scratch;
  const zn = za + stBytes;
  const tmp = zn + stBytes;
  const r = (tmp + stBytes + 7) & ~<usize>7;
  const pts = r + (<usize>LOB_RATES_LEN << 3);
  const wts = pts + (<usize>L << 3);
  const groupLam = wts + (<usize>L << 3);
  const groupRow = groupLam + (<usize>maxGroups(nA, K) << 3);
  // the successor cache's hash table: a slot is in use for the current grid point when its stamp equals
  // the point's stamp (a counter kept in scratch, so no clearing per point)
  const stampCounter = (groupRow + (<usize>maxGroups(nA, K) << 2) + 7) & ~<usize>7;
  const mask = <u32>tableSize(nA, K) - 1;
  const tabStamp = stampCounter + 8;
  const tabGroup = tabStamp + ((<usize>mask + 1) << 2);

  let nq = 0, nc = 0;
  for (let i = 0; i < n; i++) {
    const z = states + <usize>i * stBytes;
    const t = load<f64>(times + (<usize>i << 3));
    const refZ = ref(z);
    let groups = 0;
    let stamp = load<i32>(stampCounter) + 1;
    if (stamp == i32.MAX_VALUE) {
      memory.fill(tabStamp, 0, (<usize>mask + 1) << 2);
      stamp = 1;
    }
    store<i32>(stampCounter, stamp);
    for (let ai = 0; ai < nAct; ai++) {
      const a = load<i32>(actions + (<usize>ai << 2));
      let ask: i32, bid: i32;
      if (cls == 0) { ask = a >> 1; bid = a & 1; }
      else if (cls == 1) { ask = a / 3; bid = a % 3; }
      else { ask = a >> 2; bid = a & 3; }
      copyState(za, z);
      if (cls == 2) applyAction16(za, ask, bid, K, gRefill, gAInf, gBInf, gL2);
      else applyAction(za, ask, bid, K, gRefill, gAInf, gBInf, gL2);
      const lam = rates(za, tbl, r, K, countsMM);
      const h = lam * (T - t);
      const slot = i * nA + a;
      const nl = truncate(qz, L, h, paperLiteral, pts, wts);
      let wsum = 0.0;
      for (let l = 0; l < nl; l++) wsum += load<f64>(wts + (<usize>l << 3));
      const survival = hostExp(-h);
      const lost = paperLiteral ? 1 - survival - wsum : 0.0;
      let acc = survival * (terminal(za, tmp) - refZ) - lost * refZ;
      for (let e = 0; e < 4 * K + 2; e++) {
        const re = load<f64>(r + (<usize>e << 3));
        if (!(re > 0)) continue;
        const p = re / lam;
        const rank = cancelRank(za, e, K);
        for (let ahead = 0; ahead < 2; ahead++) {
          let pi = ahead == 0 ? p : 0.0;
          if (rank > 1) {
            const f = <f64>(rank - 1) / <f64>cancelQueue(za, e, K);
            if (mode == LOB_CANCEL_UNIFORM) pi = ahead == 1 ? p * f : p * (1 - f);
            else if (mode == LOB_CANCEL_BEHIND) pi = ahead == 0 ? p : 0.0;
            else if (mode == LOB_CANCEL_AHEAD) pi = ahead == 1 ? p : 0.0;
          }
          if (!(pi > 0)) continue;
          copyState(zn, za);
          applyEvent(zn, e, ahead == 1, K, gRefill, gAInf, gBInf, gPeg);
          if (!hasNext) {
            const v = phiG ? terminal(zn, tmp) : 0.0;
            acc += pi * wsum * (v - refZ);
            continue;
          }
          const base = ref(zn) - refZ;
          if (nl == 0) continue;
          // the first query row tells the successor's state features; look for an earlier equal one
          const row = nq;
          const rowPtr = qFeat + <usize>row * rowBytes;
          featurize(zn, t + load<f64>(pts) / lam, rowPtr, twoSlots);
          // groups have pairwise distinct keys, so the probe finds the one earlier equal successor if any
          let first = row;
          let slotH = keyHash(lam, rowPtr, rowBytes) & mask;
          while (load<i32>(tabStamp + (<usize>slotH << 2)) == stamp) {
            const g = load<i32>(tabGroup + (<usize>slotH << 2));
            if (load<f64>(groupLam + (<usize>g << 3)) == lam) {
              const gr = load<i32>(groupRow + (<usize>g << 2));
              const o = qFeat + <usize>gr * rowBytes;
              let f = 1;
              while (f < d && load<f64>(o + (<usize>f << 3)) == load<f64>(rowPtr + (<usize>f << 3))) f++;
              if (f == d) {
                first = gr;
                break;
              }
            }
            slotH = (slotH + 1) & mask;
          }
          if (first == row) {
            store<i32>(tabStamp + (<usize>slotH << 2), stamp);
            store<i32>(tabGroup + (<usize>slotH << 2), groups);
            store<i32>(groupRow + (<usize>groups << 2), row);
            store<f64>(groupLam + (<usize>groups << 3), lam);
            groups++;
            // the other cells' rows differ from the first in the time feature only
            for (let l = 1; l < nl; l++) {
              const dst = rowPtr + <usize>l * rowBytes;
              store<f64>(dst, featureT - (t + load<f64>(pts + (<usize>l << 3)) / lam));
              for (let f: usize = 8; f < rowBytes; f += 8) store<f64>(dst + f, load<f64>(rowPtr + f));
            }
            nq += nl;
          }
          for (let l = 0; l < nl; l++) {
            const j = <usize>nc;
            nc++;
            store<i32>(cRow + (j << 2), first + l);
            store<i32>(cTarget + (j << 2), slot);
            store<f64>(cWeight + (j << 3), pi * load<f64>(wts + (<usize>l << 3)));
            store<f64>(cBase + (j << 3), base);
          }
        }
      }
      const q0p = q0 + (<usize>slot << 3);
      store<f64>(q0p, load<f64>(q0p) + acc);
    }
  }
  store<i32>(counts, nq);
  store<i32>(counts, nc, 4);
}
