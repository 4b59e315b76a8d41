// Model-free actor–critic, two seeds per call in SIMD lanes (f64x2 arithmetic, xoshiro256** in i64x2).
// Each lane consumes exactly its scalar stream and repeats the scalar kernel's operations in the same
// order, so every seed's φ₁ path is bit-identical to lqModelFree's. A lane whose ziggurat draw is
// rejected leaves the vector path: its state is spilled to its own stream block, drawn by the scalar
// slow path, and put back.
import { normalSlow, ZIG_KI, ZIG_WI } from '../rng';
import {
  LQ_A, LQ_B, LQ_C, LQ_CRITIC_K, LQ_D, LQ_DT, LQ_PHI_HI, LQ_PHI_LO, LQ_Q, LQ_X0, param,
} from './params';

const MASK52: u64 = 0xfffffffffffff;
const EXP52: u64 = 0x4330000000000000; // bits of 2^52: OR-ing a 52-bit integer in gives 2^52 + r exactly
const TWO52: f64 = 4503599627370496.0;

/**
 * xoshiro256** output word of both lanes (the state update is done by the caller, inline).
 * ×5 and ×9 as shift-adds: i64x2.mul has no single x86 instruction before AVX-512.
 */
// @ts-ignore: decorator
@inline function starstar(s1: v128): v128 {
  const m = i64x2.add(i64x2.shl(s1, 2), s1);
  const r = v128.or(i64x2.shl(m, 7), i64x2.shr_u(m, 57));
  return i64x2.add(i64x2.shl(r, 3), r);
}

/** Ziggurat fast path in both lanes (layer offsets i0, i1 into the tables). */
// @ts-ignore: decorator
@inline function normalPair(w: v128, zig: usize, i0: usize, i1: usize): v128 {
  const r = v128.and(i64x2.shr_u(w, 9), i64x2.splat(MASK52));
  const wi = f64x2.replace_lane(f64x2.splat(load<f64>(zig + ZIG_WI + i0)), 1, load<f64>(zig + ZIG_WI + i1));
  const x = f64x2.mul(f64x2.sub(v128.or(r, i64x2.splat(EXP52)), f64x2.splat(TWO52)), wi);
  // sign bit from bit 8 of the word: the scalar kernel negates the integer, which gives the same bits
  return v128.xor(x, i64x2.shl(v128.and(i64x2.shr_u(w, 8), i64x2.splat(1)), 63));
}

/** Bit i set when lane i's draw lies inside its layer's rectangle (no slow path needed). */
// @ts-ignore: decorator
@inline function acceptedPair(w: v128, zig: usize, i0: usize, i1: usize): i32 {
  const r = v128.and(i64x2.shr_u(w, 9), i64x2.splat(MASK52));
  const ki = i64x2.replace_lane(i64x2.splat(load<i64>(zig + ZIG_KI + i0)), 1, load<i64>(zig + ZIG_KI + i1));
  return i64x2.bitmask(i64x2.lt_s(r, ki));
}

/**
 * As lqModelFree for two seeds at once: streams at stA/stB, paths at outA/outB.
 * Returns 0, or (iteration << 1 | lane) of the first episode that went non-finite.
 */
export function lqModelFreeX2(
  prm: usize, sched: usize, zig: usize, stA: usize, stB: usize, outA: usize, outB: usize, steps: i32, from: i32,
  to: i32,
): i32 {
  const A = f64x2.splat(param(prm, LQ_A)), B = f64x2.splat(param(prm, LQ_B));
  const C = f64x2.splat(param(prm, LQ_C)), D = f64x2.splat(param(prm, LQ_D));
  const dtS = param(prm, LQ_DT);
  const Q = f64x2.splat(param(prm, LQ_Q)), dt = f64x2.splat(dtS), x0 = f64x2.splat(param(prm, LQ_X0));
  const lo = f64x2.splat(param(prm, LQ_PHI_LO)), hi = f64x2.splat(param(prm, LQ_PHI_HI));
  const halfK = 0.5 * param(prm, LQ_CRITIC_K);
  const negHalfK = f64x2.splat(-halfK), half = f64x2.splat(0.5);
  const sqdt = f64x2.splat(Math.sqrt(dtS));
  const lastTerm = steps - 1;
  let s0 = i64x2.replace_lane(i64x2.splat(load<u64>(stA)), 1, load<u64>(stB));
  let s1 = i64x2.replace_lane(i64x2.splat(load<u64>(stA, 8)), 1, load<u64>(stB, 8));
  let s2 = i64x2.replace_lane(i64x2.splat(load<u64>(stA, 16)), 1, load<u64>(stB, 16));
  let s3 = i64x2.replace_lane(i64x2.splat(load<u64>(stA, 24)), 1, load<u64>(stB, 24));
  let phi1 = f64x2.replace_lane(
    f64x2.splat(load<f64>(outA + (<usize>from << 3))), 1, load<f64>(outB + (<usize>from << 3)),
  );
  let status = 0;
  for (let n = from + 1; n <= to; n++) {
    const rec = sched + (<usize>(n - 1) << 5);
    const lr = f64x2.splat(load<f64>(rec)), sd = f64x2.splat(load<f64>(rec, 8));
    const phi2 = f64x2.splat(load<f64>(rec, 16)), ent = f64x2.splat(load<f64>(rec, 24));
    let x = x0;
    let grad = f64x2.splat(0);
    for (let k = 0; k < steps; k++) {
      // ξ
      let w = starstar(s1);
      let t = i64x2.shl(s1, 17);
      s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
      s2 = v128.xor(s2, t); s3 = v128.or(i64x2.shl(s3, 45), i64x2.shr_u(s3, 19));
      let i0 = <usize>(i64x2.extract_lane(w, 0) & 0xff) << 3, i1 = <usize>(i64x2.extract_lane(w, 1) & 0xff) << 3;
      let xi = normalPair(w, zig, i0, i1);
      let ok = acceptedPair(w, zig, i0, i1);
      if (ok != 3) {
        if (!(ok & 1)) {
          store<u64>(stA, i64x2.extract_lane(s0, 0)); store<u64>(stA, i64x2.extract_lane(s1, 0), 8);
          store<u64>(stA, i64x2.extract_lane(s2, 0), 16); store<u64>(stA, i64x2.extract_lane(s3, 0), 24);
          xi = f64x2.replace_lane(xi, 0, normalSlow(stA, i64x2.extract_lane(w, 0), zig));
          s0 = i64x2.replace_lane(s0, 0, load<u64>(stA)); s1 = i64x2.replace_lane(s1, 0, load<u64>(stA, 8));
          s2 = i64x2.replace_lane(s2, 0, load<u64>(stA, 16)); s3 = i64x2.replace_lane(s3, 0, load<u64>(stA, 24));
        }
        if (!(ok & 2)) {
          store<u64>(stB, i64x2.extract_lane(s0, 1)); store<u64>(stB, i64x2.extract_lane(s1, 1), 8);
          store<u64>(stB, i64x2.extract_lane(s2, 1), 16); store<u64>(stB, i64x2.extract_lane(s3, 1), 24);
          xi = f64x2.replace_lane(xi, 1, normalSlow(stB, i64x2.extract_lane(w, 1), zig));
          s0 = i64x2.replace_lane(s0, 1, load<u64>(stB)); s1 = i64x2.replace_lane(s1, 1, load<u64>(stB, 8));
          s2 = i64x2.replace_lane(s2, 1, load<u64>(stB, 16)); s3 = i64x2.replace_lane(s3, 1, load<u64>(stB, 24));
        }
      }
      // η
      w = starstar(s1);
      t = i64x2.shl(s1, 17);
      s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
      s2 = v128.xor(s2, t); s3 = v128.or(i64x2.shl(s3, 45), i64x2.shr_u(s3, 19));
      i0 = <usize>(i64x2.extract_lane(w, 0) & 0xff) << 3;
      i1 = <usize>(i64x2.extract_lane(w, 1) & 0xff) << 3;
      let eta = normalPair(w, zig, i0, i1);
      ok = acceptedPair(w, zig, i0, i1);
      if (ok != 3) {
        if (!(ok & 1)) {
          store<u64>(stA, i64x2.extract_lane(s0, 0)); store<u64>(stA, i64x2.extract_lane(s1, 0), 8);
          store<u64>(stA, i64x2.extract_lane(s2, 0), 16); store<u64>(stA, i64x2.extract_lane(s3, 0), 24);
          eta = f64x2.replace_lane(eta, 0, normalSlow(stA, i64x2.extract_lane(w, 0), zig));
          s0 = i64x2.replace_lane(s0, 0, load<u64>(stA)); s1 = i64x2.replace_lane(s1, 0, load<u64>(stA, 8));
          s2 = i64x2.replace_lane(s2, 0, load<u64>(stA, 16)); s3 = i64x2.replace_lane(s3, 0, load<u64>(stA, 24));
        }
        if (!(ok & 2)) {
          store<u64>(stB, i64x2.extract_lane(s0, 1)); store<u64>(stB, i64x2.extract_lane(s1, 1), 8);
          store<u64>(stB, i64x2.extract_lane(s2, 1), 16); store<u64>(stB, i64x2.extract_lane(s3, 1), 24);
          eta = f64x2.replace_lane(eta, 1, normalSlow(stB, i64x2.extract_lane(w, 1), zig));
          s0 = i64x2.replace_lane(s0, 1, load<u64>(stB)); s1 = i64x2.replace_lane(s1, 1, load<u64>(stB, 8));
          s2 = i64x2.replace_lane(s2, 1, load<u64>(stB, 16)); s3 = i64x2.replace_lane(s3, 1, load<u64>(stB, 24));
        }
      }
      // the scalar kernel's algebra (step.ts), operation for operation
      const u = f64x2.add(f64x2.mul(phi1, x), f64x2.mul(sd, xi));
      const dW = f64x2.mul(sqdt, eta);
      const xn = f64x2.add(
        f64x2.add(x, f64x2.mul(f64x2.add(f64x2.mul(A, x), f64x2.mul(B, u)), dt)),
        f64x2.mul(f64x2.add(f64x2.mul(C, x), f64x2.mul(D, u)), dW),
      );
      if (k < lastTerm) {
        const dJ = f64x2.sub(f64x2.mul(f64x2.mul(negHalfK, xn), xn), f64x2.mul(f64x2.mul(negHalfK, x), x));
        const cost = f64x2.mul(f64x2.mul(f64x2.mul(f64x2.mul(half, Q), x), x), dt);
        const score = f64x2.div(f64x2.mul(f64x2.sub(u, f64x2.mul(phi1, x)), x), phi2);
        grad = f64x2.add(grad, f64x2.mul(score, f64x2.add(f64x2.sub(dJ, cost), ent)));
      }
      x = xn;
    }
    // non-finite check per lane: v − v is 0 exactly when v is finite
    const zero = f64x2.splat(0);
    const bad = i64x2.bitmask(
      v128.or(f64x2.ne(f64x2.sub(grad, grad), zero), f64x2.ne(f64x2.sub(x, x), zero)),
    );
    if (bad) {
      status = (n << 1) | (bad & 1 ? 0 : 1);
      break;
    }
    phi1 = f64x2.min(f64x2.max(f64x2.add(phi1, f64x2.mul(lr, grad)), lo), hi);
    store<f64>(outA + (<usize>n << 3), f64x2.extract_lane(phi1, 0));
    store<f64>(outB + (<usize>n << 3), f64x2.extract_lane(phi1, 1));
  }
  store<u64>(stA, i64x2.extract_lane(s0, 0)); store<u64>(stA, i64x2.extract_lane(s1, 0), 8);
  store<u64>(stA, i64x2.extract_lane(s2, 0), 16); store<u64>(stA, i64x2.extract_lane(s3, 0), 24);
  store<u64>(stB, i64x2.extract_lane(s0, 1)); store<u64>(stB, i64x2.extract_lane(s1, 1), 8);
  store<u64>(stB, i64x2.extract_lane(s2, 1), 16); store<u64>(stB, i64x2.extract_lane(s3, 1), 24);
  return status;
}
