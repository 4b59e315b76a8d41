/**
 * The TS twin of assembly/rng.ts: the same xoshiro256** stream, emulated on int32 (hi, lo) pairs,
 * and the same ziggurat draws from the shared tables. Hot loops inline the generator update on
 * function-local `let`s (see src/baseline/lq.ts); these helpers take a word as its two halves.
 *
 * A stream in memory is an Int32Array of 10: the words s0..s3 as (hi, lo) pairs, then the last
 * output word (hi, lo) written by nextWord.
 */
import { xoshiroState } from '../rng/streams.js';
import { EXP_R, NORMAL_INV_R, NORMAL_R, type ZigguratTables } from '../rng/ziggurat.js';

const TWO32 = 4294967296;
const TWO23 = 8388608;
const TWO21 = 2097152;
const TWO_M53 = 1 / 9007199254740992;
export const OUT_HI = 8;
export const OUT_LO = 9;

/** A stream's state from its key, as the kernels seed it (seedStream). */
export function streamFromKey(key: bigint): Int32Array {
  const st = new Int32Array(10);
  xoshiroState(key).forEach((w, i) => {
    st[2 * i] = Number(w >> 32n) | 0;
    st[2 * i + 1] = Number(w & 0xffffffffn) | 0;
  });
  return st;
}

/** Advances the stream in memory; the output word lands in st[OUT_HI], st[OUT_LO]. Cold paths only. */
export function nextWord(st: Int32Array): void {
  const s0h = st[0] as number,
    s0l = st[1] as number,
    s1h = st[2] as number,
    s1l = st[3] as number;
  let s2h = st[4] as number,
    s2l = st[5] as number,
    s3h = st[6] as number,
    s3l = st[7] as number;
  // out = rotl(s1·5, 7)·9
  let p = (s1l >>> 0) * 5;
  const ml = p | 0,
    mh = (Math.imul(s1h, 5) + Math.floor(p / TWO32)) | 0;
  const rh = (mh << 7) | (ml >>> 25),
    rl = (ml << 7) | (mh >>> 25);
  p = (rl >>> 0) * 9;
  st[OUT_LO] = p | 0;
  st[OUT_HI] = (Math.imul(rh, 9) + Math.floor(p / TWO32)) | 0;
  const th = (s1h << 17) | (s1l >>> 15),
    tl = s1l << 17;
  s2h ^= s0h;
  s2l ^= s0l;
  s3h ^= s1h;
  s3l ^= s1l;
  const n1h = s1h ^ s2h,
    n1l = s1l ^ s2l;
  const n0h = s0h ^ s3h,
    n0l = s0l ^ s3l;
  s2h ^= th;
  s2l ^= tl;
  st[0] = n0h;
  st[1] = n0l;
  st[2] = n1h;
  st[3] = n1l;
  st[4] = s2h;
  st[5] = s2l;
  st[6] = (s3l << 13) | (s3h >>> 19);
  st[7] = (s3h << 13) | (s3l >>> 19);
}

/** The 64-bit word (hi, lo) as an unsigned bigint (tests only). */
export function wordToBigInt(hi: number, lo: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Uniform on [0, 1) from the word's top 53 bits. */
export function unitFromWord(hi: number, lo: number): number {
  return ((hi >>> 0) * TWO21 + (lo >>> 11)) * TWO_M53;
}

function nextUnit(st: Int32Array): number {
  nextWord(st);
  return unitFromWord(st[OUT_HI] as number, st[OUT_LO] as number);
}

/** Normal fast path: layer from byte 0, sign bit 8, 52-bit uniform from bits 9..60; NaN → normalSlow. */
export function normalFast(hi: number, lo: number, z: ZigguratTables): number {
  const i = lo & 0xff;
  const r = (hi & 0x1fffffff) * TWO23 + (lo >>> 9);
  const x = (lo & 0x100 ? -r : r) * (z.wi[i] as number);
  return r < (z.ki[i] as number) ? x : Number.NaN;
}

/** Normal slow path for the rejected word (hi, lo), drawing further words from `st`. */
export function normalSlow(st: Int32Array, hi: number, lo: number, z: ZigguratTables): number {
  for (;;) {
    const i = lo & 0xff;
    const r = (hi & 0x1fffffff) * TWO23 + (lo >>> 9);
    const x = (lo & 0x100 ? -r : r) * (z.wi[i] as number);
    if (r < (z.ki[i] as number)) return x;
    if (i === 0) {
      for (;;) {
        const xx = -NORMAL_INV_R * Math.log1p(-nextUnit(st));
        const yy = -Math.log1p(-nextUnit(st));
        if (yy + yy > xx * xx) return lo & 0x20000 ? -(NORMAL_R + xx) : NORMAL_R + xx;
      }
    }
    const fLo = z.fi[i] as number;
    if (((z.fi[i - 1] as number) - fLo) * nextUnit(st) + fLo < Math.exp(-0.5 * x * x)) return x;
    nextWord(st);
    hi = st[OUT_HI] as number;
    lo = st[OUT_LO] as number;
  }
}

/** Exponential fast path: layer from bits 3..10, 53-bit uniform from bits 11..63; NaN → expSlow. */
export function expFast(hi: number, lo: number, z: ZigguratTables): number {
  const i = (lo >>> 3) & 0xff;
  const r = (hi >>> 0) * TWO21 + (lo >>> 11);
  return r < (z.ke[i] as number) ? r * (z.we[i] as number) : Number.NaN;
}

/** Exponential slow path for the rejected word (hi, lo). */
export function expSlow(st: Int32Array, hi: number, lo: number, z: ZigguratTables): number {
  for (;;) {
    const i = (lo >>> 3) & 0xff;
    const r = (hi >>> 0) * TWO21 + (lo >>> 11);
    const x = r * (z.we[i] as number);
    if (r < (z.ke[i] as number)) return x;
    if (i === 0) return EXP_R - Math.log1p(-nextUnit(st));
    const fLo = z.fe[i] as number;
    if (((z.fe[i - 1] as number) - fLo) * nextUnit(st) + fLo < Math.exp(-x)) return x;
    nextWord(st);
    hi = st[OUT_HI] as number;
    lo = st[OUT_LO] as number;
  }
}

/** One normal from memory state (non-hot callers). */
export function nextNormal(st: Int32Array, z: ZigguratTables): number {
  nextWord(st);
  const hi = st[OUT_HI] as number,
    lo = st[OUT_LO] as number;
  const x = normalFast(hi, lo, z);
  return Number.isNaN(x) ? normalSlow(st, hi, lo, z) : x;
}

/** One exponential from memory state (non-hot callers). */
export function nextExp(st: Int32Array, z: ZigguratTables): number {
  nextWord(st);
  const hi = st[OUT_HI] as number,
    lo = st[OUT_LO] as number;
  const x = expFast(hi, lo, z);
  return Number.isNaN(x) ? expSlow(st, hi, lo, z) : x;
}

/**
 * Writes the next n standard normals of the stream `st` into out[0 … n): the twins' one hot generator
 * loop (state in function-local lets, spilled only around the slow path). The twins draw an
 * episode's normals here and then read the buffer, in the kernels' draw order.
 */
export function fillNormals(st: Int32Array, z: ZigguratTables, out: Float64Array, n: number): void {
  let s0h = st[0] as number,
    s0l = st[1] as number,
    s1h = st[2] as number,
    s1l = st[3] as number;
  let s2h = st[4] as number,
    s2l = st[5] as number,
    s3h = st[6] as number,
    s3l = st[7] as number;
  for (let k = 0; k < n; k++) {
    // w = rotl(s1·5, 7)·9, then the xoshiro256** state update, on (hi, lo) pairs
    let p = (s1l >>> 0) * 5;
    const ml = p | 0,
      mh = (Math.imul(s1h, 5) + Math.floor(p / TWO32)) | 0;
    const rh = (mh << 7) | (ml >>> 25),
      rl = (ml << 7) | (mh >>> 25);
    p = (rl >>> 0) * 9;
    const wl = p | 0,
      wh = (Math.imul(rh, 9) + Math.floor(p / TWO32)) | 0;
    const th = (s1h << 17) | (s1l >>> 15),
      tl = s1l << 17;
    s2h ^= s0h;
    s2l ^= s0l;
    s3h ^= s1h;
    s3l ^= s1l;
    s1h ^= s2h;
    s1l ^= s2l;
    s0h ^= s3h;
    s0l ^= s3l;
    s2h ^= th;
    s2l ^= tl;
    const r3h = (s3l << 13) | (s3h >>> 19);
    s3l = (s3h << 13) | (s3l >>> 19);
    s3h = r3h;
    let v = normalFast(wh, wl, z);
    if (Number.isNaN(v)) {
      st[0] = s0h;
      st[1] = s0l;
      st[2] = s1h;
      st[3] = s1l;
      st[4] = s2h;
      st[5] = s2l;
      st[6] = s3h;
      st[7] = s3l;
      v = normalSlow(st, wh, wl, z);
      s0h = st[0] as number;
      s0l = st[1] as number;
      s1h = st[2] as number;
      s1l = st[3] as number;
      s2h = st[4] as number;
      s2l = st[5] as number;
      s3h = st[6] as number;
      s3l = st[7] as number;
    }
    out[k] = v;
  }
  st[0] = s0h;
  st[1] = s0l;
  st[2] = s1h;
  st[3] = s1l;
  st[4] = s2h;
  st[5] = s2l;
  st[6] = s3h;
  st[7] = s3l;
}

// ---- stream seeding per episode: splitmix64 on int32 pairs (cold: once per episode) ----

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
