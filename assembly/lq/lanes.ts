// Two independent xoshiro256** streams in i64x2 lanes and the ziggurat normal fast path in f64x2 lanes
// (the model-free two-seed kernel), and the Euler step in f64x2 lanes (both two-seed kernels). Each lane consumes exactly its scalar stream; a lane whose draw
// is rejected is redrawn by the scalar slow path from its own stream block (rare, out of line).
import { normalSlow, ZIG_KI, ZIG_WI } from '../rng';

const MASK52: u64 = 0xfffffffffffff;
const EXP52: u64 = 0x4330000000000000; // bits of 2^52: OR-ing a 52-bit integer in gives 2^52 + r exactly
const TWO52: f64 = 4503599627370496.0;

/** The i64 at byte `off` of both stream blocks, as lanes (A, B). */
// @ts-ignore: decorator
@inline export function loadLanes(stA: usize, stB: usize, off: usize): v128 {
  return i64x2.replace_lane(i64x2.splat(load<u64>(stA + off)), 1, load<u64>(stB + off));
}

/** Writes the four state words of both lanes back to their stream blocks. */
// @ts-ignore: decorator
@inline export function spillLanes(stA: usize, stB: usize, s0: v128, s1: v128, s2: v128, s3: v128): void {
  store<u64>(stA, i64x2.extract_lane(s0, 0)); store<u64>(stA, i64x2.extract_lane(s1, 0), 8);
  store<u64>(stA, i64x2.extract_lane(s2, 0), 16); store<u64>(stA, i64x2.extract_lane(s3, 0), 24);
  store<u64>(stB, i64x2.extract_lane(s0, 1)); store<u64>(stB, i64x2.extract_lane(s1, 1), 8);
  store<u64>(stB, i64x2.extract_lane(s2, 1), 16); store<u64>(stB, i64x2.extract_lane(s3, 1), 24);
}

/**
 * xoshiro256** output word of both lanes (the state update is done by the caller, inline).
 * ×5 and ×9 as shift-adds: i64x2.mul has no single x86 instruction before AVX-512.
 */
// @ts-ignore: decorator
@inline export function starstar(s1: v128): v128 {
  const m = i64x2.add(i64x2.shl(s1, 2), s1);
  const r = v128.or(i64x2.shl(m, 7), i64x2.shr_u(m, 57));
  return i64x2.add(i64x2.shl(r, 3), r);
}

/** Byte offsets of the ziggurat layers of lanes A and B in the tables. */
// @ts-ignore: decorator
@inline export function layerA(w: v128): usize {
  return <usize>(i64x2.extract_lane(w, 0) & 0xff) << 3;
}
// @ts-ignore: decorator
@inline export function layerB(w: v128): usize {
  return <usize>(i64x2.extract_lane(w, 1) & 0xff) << 3;
}

/** Ziggurat fast path in both lanes (layer offsets i0, i1 into the tables). */
// @ts-ignore: decorator
@inline export function normalPair(w: v128, zig: usize, i0: usize, i1: usize): v128 {
  const r = v128.and(i64x2.shr_u(w, 9), i64x2.splat(MASK52));
  const wi = f64x2.replace_lane(f64x2.splat(load<f64>(zig + ZIG_WI + i0)), 1, load<f64>(zig + ZIG_WI + i1));
  const x = f64x2.mul(f64x2.sub(v128.or(r, i64x2.splat(EXP52)), f64x2.splat(TWO52)), wi);
  // sign bit from bit 8 of the word: the scalar kernel negates the integer, which gives the same bits
  return v128.xor(x, i64x2.shl(v128.and(i64x2.shr_u(w, 8), i64x2.splat(1)), 63));
}

/** Bit i set when lane i's draw lies inside its layer's rectangle (no slow path needed). */
// @ts-ignore: decorator
@inline export function acceptedPair(w: v128, zig: usize, i0: usize, i1: usize): i32 {
  const r = v128.and(i64x2.shr_u(w, 9), i64x2.splat(MASK52));
  const ki = i64x2.replace_lane(i64x2.splat(load<i64>(zig + ZIG_KI + i0)), 1, load<i64>(zig + ZIG_KI + i1));
  return i64x2.bitmask(i64x2.lt_s(r, ki));
}

/**
 * The slow path for the lanes whose bit in `ok` is clear: each redraws from its own stream block (the
 * caller spilled both lanes there and reloads them afterwards). Returns `x` with those lanes replaced.
 */
// @ts-ignore: decorator
@inline export function redrawLanes(x: v128, w: v128, ok: i32, stA: usize, stB: usize, zig: usize): v128 {
  let y = x;
  if (!(ok & 1)) y = f64x2.replace_lane(y, 0, normalSlow(stA, i64x2.extract_lane(w, 0), zig));
  if (!(ok & 2)) y = f64x2.replace_lane(y, 1, normalSlow(stB, i64x2.extract_lane(w, 1), zig));
  return y;
}

/** Euler step in both lanes, operation for operation as eulerNext (step.ts): x + (A·x + B·u)·dt + (C·x + D·u)·ΔW. */
// @ts-ignore: decorator
@inline export function eulerLanes(
  x: v128, u: v128, dW: v128, A: v128, B: v128, C: v128, D: v128, dt: v128,
): v128 {
  return f64x2.add(
    f64x2.add(x, f64x2.mul(f64x2.add(f64x2.mul(A, x), f64x2.mul(B, u)), dt)),
    f64x2.mul(f64x2.add(f64x2.mul(C, x), f64x2.mul(D, u)), dW),
  );
}
