/**
 * Feature vector ψ(t, z) of spec §4.6 (joint time mode): time to go, inventory, spread, the others'
 * quantities at the K frame levels of each side, then per MM order slot (ask, bid) its presence
 * (dropped when canonicalised), its price offset from the own-side best and the units ahead of it.
 * Canonicalisation: an absent order reads as an order at the back of the best queue (the reservoir
 * queue when both frames are empty), which has the same value (§1.6).
 */
import {
  S_A,
  S_ASK_PRICE,
  S_ASK_RANK,
  S_B,
  S_BID_PRICE,
  S_BID_RANK,
  S_PA,
  S_PB,
  S_Y,
} from '../lob/layout.js';

export interface FeatureSpec {
  readonly K: number;
  readonly T: number;
  readonly canonical: boolean;
  readonly aInf: number;
  readonly bInf: number;
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
): FeatureSpec {
  const perSlot = canonical ? 2 : 3;
  const d = 3 + 2 * K + 2 * perSlot;
  const weights = new Float64Array(d).fill(1);
  if (!canonical) {
    weights[3 + 2 * K] = presenceWeight;
    weights[3 + 2 * K + perSlot] = presenceWeight;
  }
  return { K, T, canonical, aInf, bInf, d, weights };
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
