/**
 * Feature vector ψ(t, z) of spec §4.6 (joint time mode): time to go, inventory, spread, the others'
 * quantities at the K frame levels of each side, then per MM order slot (ask, bid; A2lim16: ask L1,
 * ask L2, bid L1, bid L2) its presence (dropped when canonicalised), its price offset from the own-side
 * best and the units ahead of it. Canonicalisation: an absent order reads as an order at the back of
 * the best queue (the reservoir queue when both frames are empty), which has the same value (§1.6).
 * A2lim16 (two orders per side) fills its slots by price: with two orders the nearer is L1; a lone
 * order is L1 at the best, L2 behind it. An absent L2 reads as the back of the L2 queue (the next
 * non-empty level behind the best, or one tick behind under `l2 = one_tick`), and as the reservoir
 * (offset K + 1 − s, a∞ ahead) when there is no such level: the spec leaves this slot's canonical
 * form open, so this is a decision of ours.
 */

import {
  S_A,
  S_ASK_PRICE,
  S_ASK_RANK,
  S_ASK2_PRICE,
  S_B,
  S_BID_PRICE,
  S_BID_RANK,
  S_BID2_PRICE,
  S_PA,
  S_PB,
  S_X,
  S_Y,
} from '../lob/layout.js';
import type { LobModel } from '../lob/model.js';
import type { QknnConfig } from './config.js';

export interface FeatureSpec {
  readonly K: number;
  readonly T: number;
  readonly canonical: boolean;
  readonly aInf: number;
  readonly bInf: number;
  /** MM order slots per side: 1 (A1lim, A2lim) or 2 (A2lim16). */
  readonly slotsPerSide: number;
  /** L2 is one tick behind the best (else the next non-empty level). */
  readonly oneTick: boolean;
  /** Number of features. */
  readonly d: number;
  /** Per-feature weight w_f (presence bits weighted when not canonicalised). */
  readonly weights: Float64Array;
}

export const F_TIME = 0;
export const F_Y = 1;

export function featureSpec(
  K: number,
  T: number,
  canonical: boolean,
  aInf: number,
  bInf: number,
  presenceWeight: number,
  slotsPerSide = 1,
  oneTick = false,
): FeatureSpec {
  const perSlot = canonical ? 2 : 3;
  const d = 3 + 2 * K + 2 * slotsPerSide * perSlot;
  const weights = new Float64Array(d).fill(1);
  if (!canonical)
    for (let slot = 0; slot < 2 * slotsPerSide; slot++) weights[3 + 2 * K + slot * 3] = presenceWeight;
  return { K, T, canonical, aInf, bInf, slotsPerSide, oneTick, d, weights };
}

/** The feature layout of a configuration on its model. */
export function qknnFeatureSpec(c: QknnConfig, m: LobModel): FeatureSpec {
  return featureSpec(
    m.K,
    m.T,
    c.canonical,
    m.aInf,
    m.bInf,
    c.presenceWeight,
    c.actions === 'A2lim16' ? 2 : 1,
    m.l2 === 'one_tick',
  );
}

/** Writes one slot's (presence,) offset and units ahead at out[f..]; returns the next index. */
function writeSlot(
  spec: FeatureSpec,
  out: Float64Array,
  f: number,
  present: number,
  offset: number,
  ahead: number,
) {
  if (!spec.canonical) out[f++] = present;
  out[f++] = offset;
  out[f++] = ahead;
  return f;
}

/** A2lim16's two slots of one side (side 0 ask, 1 bid), at out[f..]; returns the next index. */
function writeTwoSlots(
  spec: FeatureSpec,
  st: Int32Array,
  side: number,
  out: Float64Array,
  f: number,
): number {
  const { K } = spec;
  const pb = st[S_PB] as number,
    pa = st[S_PA] as number;
  const s = pa - pb;
  const base = side === 0 ? S_A : S_B;
  const slots = side === 0 ? [S_ASK_PRICE, S_ASK2_PRICE] : [S_BID_PRICE, S_BID2_PRICE];
  const orders: [number, number][] = [];
  for (const p of slots) {
    const rank = st[p + 1] as number;
    if (rank > 0) orders.push([side === 0 ? (st[p] as number) - pa : pb - (st[p] as number), rank - 1]);
  }
  orders.sort((x, y) => x[0] - y[0]);
  let l1: [number, number] | undefined, l2: [number, number] | undefined;
  if (orders.length === 2) [l1, l2] = orders as [[number, number], [number, number]];
  else if (orders.length === 1) {
    const o = orders[0] as [number, number];
    if (o[0] === 0) l1 = o;
    else l2 = o;
  }
  const inf = side === 0 ? spec.aInf : spec.bInf;
  if (l1) f = writeSlot(spec, out, f, 1, l1[0], l1[1]);
  else if (spec.canonical) f = writeSlot(spec, out, f, 0, 0, s <= K ? (st[base + s - 1] as number) : inf);
  else f = writeSlot(spec, out, f, 0, 0, 0);
  if (l2) return writeSlot(spec, out, f, 1, l2[0], l2[1]);
  if (!spec.canonical) return writeSlot(spec, out, f, 0, 0, 0);
  let lvl = K + 1;
  if (spec.oneTick) lvl = s < K ? s + 1 : K + 1;
  else for (let i = s + 1; i <= K && lvl > K; i++) if ((st[base + i - 1] as number) > 0) lvl = i;
  return lvl <= K
    ? writeSlot(spec, out, f, 0, lvl - s, st[base + lvl - 1] as number)
    : writeSlot(spec, out, f, 0, Math.max(0, K + 1 - s), inf);
}

/** Writes ψ(t, z) of the state block `st` into out[o..o+d). */
export function featurize(spec: FeatureSpec, st: Int32Array, t: number, out: Float64Array, o: number): void {
  const { K } = spec;
  const pb = st[S_PB] as number,
    pa = st[S_PA] as number;
  const s = pa - pb;
  out[o] = spec.T - t;
  out[o + 1] = st[S_Y] as number;
  out[o + 2] = s;
  for (let i = 0; i < K; i++) {
    out[o + 3 + i] = st[S_A + i] as number;
    out[o + 3 + K + i] = st[S_B + i] as number;
  }
  let f = o + 3 + 2 * K;
  if (spec.slotsPerSide === 2) {
    for (let side = 0; side < 2; side++) f = writeTwoSlots(spec, st, side, out, f);
    return;
  }
  for (let side = 0; side < 2; side++) {
    const rank = st[side === 0 ? S_ASK_RANK : S_BID_RANK] as number;
    const price = st[side === 0 ? S_ASK_PRICE : S_BID_PRICE] as number;
    let offset = 0,
      ahead = 0,
      present = 0;
    if (rank > 0) {
      present = 1;
      offset = side === 0 ? price - pa : pb - price;
      ahead = rank - 1;
    } else if (spec.canonical) {
      const best = side === 0 ? S_A : S_B;
      ahead = s <= K ? (st[best + s - 1] as number) : side === 0 ? spec.aInf : spec.bInf;
    }
    if (!spec.canonical) out[f++] = present;
    out[f++] = offset;
    out[f++] = ahead;
  }
}

/**
 * x + y·p_ref(z), p_ref the mid or the best bid: the part of V kept out of the projection, V = that + U
 * (spec §4.5).
 */
export function refValue(pRef: QknnConfig['pRef'], st: Int32Array): number {
  const p = pRef === 'mid' ? ((st[S_PA] as number) + (st[S_PB] as number)) / 2 : (st[S_PB] as number);
  return (st[S_X] as number) + (st[S_Y] as number) * p;
}

/** Per-feature scale w_f / sd_f over `count` row-major feature vectors (sd < 1e−9 counts as 1). */
export function featureScale(spec: FeatureSpec, rows: Float64Array, count: number): Float64Array {
  const { d } = spec;
  const scale = new Float64Array(d);
  for (let f = 0; f < d; f++) {
    let mean = 0;
    for (let i = 0; i < count; i++) mean += rows[i * d + f] as number;
    mean /= Math.max(count, 1);
    let ss = 0;
    for (let i = 0; i < count; i++) {
      const e = (rows[i * d + f] as number) - mean;
      ss += e * e;
    }
    const sd = count > 0 ? Math.sqrt(ss / count) : 0;
    scale[f] = (spec.weights[f] as number) / (sd < 1e-9 ? 1 : sd);
  }
  return scale;
}
