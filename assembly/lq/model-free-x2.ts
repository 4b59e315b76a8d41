// Model-free actor–critic, two seeds per call in SIMD lanes (f64x2 arithmetic, xoshiro256** in i64x2).
// Each lane consumes exactly its scalar stream and repeats the scalar kernel's operations in the same
// order, so every seed's φ₁ path is bit-identical to lqModelFree's. A lane whose ziggurat draw is
// rejected leaves the vector path: its state is spilled to its own stream block, drawn by the scalar
// slow path, and put back.
import {
  acceptedPair, eulerLanes, layerA, layerB, loadLanes, normalPair, redrawLanes, spillLanes, starstar,
} from './lanes';
import {
  LQ_A, LQ_B, LQ_C, LQ_CRITIC_K, LQ_D, LQ_DT, LQ_PHI_HI, LQ_PHI_LO, LQ_Q, LQ_X0, param,
} from './params';

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
  let s0 = loadLanes(stA, stB, 0), s1 = loadLanes(stA, stB, 8);
  let s2 = loadLanes(stA, stB, 16), s3 = loadLanes(stA, stB, 24);
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
      let i0 = layerA(w), i1 = layerB(w);
      let xi = normalPair(w, zig, i0, i1);
      let ok = acceptedPair(w, zig, i0, i1);
      if (ok != 3) {
        spillLanes(stA, stB, s0, s1, s2, s3);
        xi = redrawLanes(xi, w, ok, stA, stB, zig);
        s0 = loadLanes(stA, stB, 0); s1 = loadLanes(stA, stB, 8);
        s2 = loadLanes(stA, stB, 16); s3 = loadLanes(stA, stB, 24);
      }
      // η
      w = starstar(s1);
      t = i64x2.shl(s1, 17);
      s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
      s2 = v128.xor(s2, t); s3 = v128.or(i64x2.shl(s3, 45), i64x2.shr_u(s3, 19));
      i0 = layerA(w);
      i1 = layerB(w);
      let eta = normalPair(w, zig, i0, i1);
      ok = acceptedPair(w, zig, i0, i1);
      if (ok != 3) {
        spillLanes(stA, stB, s0, s1, s2, s3);
        eta = redrawLanes(eta, w, ok, stA, stB, zig);
        s0 = loadLanes(stA, stB, 0); s1 = loadLanes(stA, stB, 8);
        s2 = loadLanes(stA, stB, 16); s3 = loadLanes(stA, stB, 24);
      }
      // the scalar kernel's algebra (step.ts), operation for operation
      const u = f64x2.add(f64x2.mul(phi1, x), f64x2.mul(sd, xi));
      const dW = f64x2.mul(sqdt, eta);
      const xn = eulerLanes(x, u, dW, A, B, C, D, dt);
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
  spillLanes(stA, stB, s0, s1, s2, s3);
  return status;
}
