// Model-based plug-in, two seeds per call: the Euler steps and the episode's sufficient statistics run
// in f64x2 lanes (xoshiro256** in i64x2), the per-episode estimation and root finding stay scalar, per
// lane, in closeEpisode. Each lane consumes exactly its scalar stream and repeats the scalar kernel's
// operations in the same order, so every seed's φ̂₁ path and estimator are bit-identical to lqModelBased's.
// An episode runs in two passes: the noise (sd·ξ and √dt·η, both lanes) into a scratch buffer, then the
// Euler steps and statistics from it. One fused loop needs 19 live vectors (4 stream words, 6 sums, x,
// 8 constants) against 16 registers, and V8 spilled the sums to the stack on every step.
import {
  acceptedPair, eulerLanes, layerA, layerB, loadLanes, nextLanes, normalPair, redrawLanes, spillLanes, starstar,
} from './lanes';
import { closeEpisode, MB_PHI } from './model-based';
import { LQ_A, LQ_B, LQ_C, LQ_D, LQ_DT, LQ_PHI_HI, LQ_PHI_LO, LQ_X0, param } from './params';

/** Bytes of the noise scratch buffer lqModelBasedX2 needs for `steps` Euler steps. */
export function lqModelBasedX2ScratchBytes(steps: i32): i32 {
  return steps << 5;
}

/**
 * As lqModelBased for two seeds at once: streams at stA/stB, estimators at estA/estB (each initialised
 * by lqModelBasedInit), paths at outA/outB, `noise` scratch of lqModelBasedX2ScratchBytes(steps).
 * Returns 0, or (episode << 1 | lane) of the first episode whose statistics went non-finite (lane A
 * first when both did); the run stops there.
 */
export function lqModelBasedX2(
  prm: usize, sched: usize, zig: usize, stA: usize, stB: usize, estA: usize, estB: usize, outA: usize,
  outB: usize, noise: usize, steps: i32, from: i32, to: i32,
): i32 {
  const dtS = param(prm, LQ_DT);
  const A = f64x2.splat(param(prm, LQ_A)), B = f64x2.splat(param(prm, LQ_B));
  const C = f64x2.splat(param(prm, LQ_C)), D = f64x2.splat(param(prm, LQ_D));
  const dt = f64x2.splat(dtS), x0 = f64x2.splat(param(prm, LQ_X0));
  const lo = param(prm, LQ_PHI_LO), hi = param(prm, LQ_PHI_HI);
  const sqdt = f64x2.splat(Math.sqrt(dtS));
  const phiSlot = <usize>MB_PHI << 3;
  let s0 = loadLanes(stA, stB, 0), s1 = loadLanes(stA, stB, 8);
  let s2 = loadLanes(stA, stB, 16), s3 = loadLanes(stA, stB, 24);
  let status = 0;
  for (let n = from + 1; n <= to; n++) {
    const phiA = load<f64>(estA + phiSlot), phiB = load<f64>(estB + phiSlot);
    const phi1 = f64x2.replace_lane(f64x2.splat(phiA), 1, phiB);
    const sd = f64x2.splat(load<f64>(sched + (<usize>(n - 1) << 4)));
    store<f64>(outA + (<usize>(n - 1) << 3), phiA);
    store<f64>(outB + (<usize>(n - 1) << 3), phiB);
    // Pass 1. The inner loop runs while both lanes' draws are accepted and leaves for the slow path
    // (a call) otherwise: with no call inside it, V8 keeps its values in registers.
    let k = 0;
    while (true) {
      let w = i64x2.splat(0), xi = f64x2.splat(0), eta = f64x2.splat(0);
      let ok = 3, pendingEta = false;
      for (; k < steps; k++) {
        w = starstar(s1);
        let t = i64x2.shl(s1, 17);
        s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
        s2 = v128.xor(s2, t); s3 = v128.or(i64x2.shl(s3, 45), i64x2.shr_u(s3, 19));
        let i0 = layerA(w), i1 = layerB(w);
        xi = normalPair(w, zig, i0, i1);
        ok = acceptedPair(w, zig, i0, i1);
        if (ok != 3) break;
        w = starstar(s1);
        t = i64x2.shl(s1, 17);
        s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
        s2 = v128.xor(s2, t); s3 = v128.or(i64x2.shl(s3, 45), i64x2.shr_u(s3, 19));
        i0 = layerA(w);
        i1 = layerB(w);
        eta = normalPair(w, zig, i0, i1);
        ok = acceptedPair(w, zig, i0, i1);
        if (ok != 3) {
          pendingEta = true;
          break;
        }
        const rec = noise + (<usize>k << 5);
        v128.store(rec, f64x2.mul(sd, xi));
        v128.store(rec, f64x2.mul(sqdt, eta), 16);
      }
      if (k == steps) break;
      // step k with a rejected draw: finish ξ (then draw η) or η, by the scalar slow path per lane
      spillLanes(stA, stB, s0, s1, s2, s3);
      if (pendingEta) {
        eta = redrawLanes(eta, w, ok, stA, stB, zig);
      } else {
        xi = redrawLanes(xi, w, ok, stA, stB, zig);
        const sA = load<u64>(stA + 8), sB = load<u64>(stB + 8);
        w = starstar(i64x2.replace_lane(i64x2.splat(sA), 1, sB));
        nextLanes(stA, stB);
        const i0 = layerA(w), i1 = layerB(w);
        eta = normalPair(w, zig, i0, i1);
        ok = acceptedPair(w, zig, i0, i1);
        if (ok != 3) eta = redrawLanes(eta, w, ok, stA, stB, zig);
      }
      s0 = loadLanes(stA, stB, 0); s1 = loadLanes(stA, stB, 8);
      s2 = loadLanes(stA, stB, 16); s3 = loadLanes(stA, stB, 24);
      const rec = noise + (<usize>k << 5);
      v128.store(rec, f64x2.mul(sd, xi));
      v128.store(rec, f64x2.mul(sqdt, eta), 16);
      k++;
    }
    // the scalar kernel's algebra, operation for operation: u = φ̂₁·x + sd·ξ, ΔW = √dt·η
    let x = x0;
    const zero = f64x2.splat(0);
    let qv = zero, sxx = zero, sxu = zero, suu = zero, bx = zero, bu = zero;
    for (let k = 0; k < steps; k++) {
      const rec = noise + (<usize>k << 5);
      const u = f64x2.add(f64x2.mul(phi1, x), v128.load(rec));
      const xn = eulerLanes(x, u, v128.load(rec, 16), A, B, C, D, dt);
      const dx = f64x2.sub(xn, x);
      qv = f64x2.add(qv, f64x2.mul(dx, dx));
      sxx = f64x2.add(sxx, f64x2.mul(x, x));
      sxu = f64x2.add(sxu, f64x2.mul(x, u));
      suu = f64x2.add(suu, f64x2.mul(u, u));
      bx = f64x2.add(bx, f64x2.mul(x, dx));
      bu = f64x2.add(bu, f64x2.mul(u, dx));
      x = xn;
    }
    const okA = closeEpisode(
      estA, n, f64x2.extract_lane(qv, 0), f64x2.extract_lane(sxx, 0), f64x2.extract_lane(sxu, 0),
      f64x2.extract_lane(suu, 0), f64x2.extract_lane(bx, 0), f64x2.extract_lane(bu, 0), dtS, lo, hi,
    );
    if (!okA) {
      status = n << 1;
      break;
    }
    const okB = closeEpisode(
      estB, n, f64x2.extract_lane(qv, 1), f64x2.extract_lane(sxx, 1), f64x2.extract_lane(sxu, 1),
      f64x2.extract_lane(suu, 1), f64x2.extract_lane(bx, 1), f64x2.extract_lane(bu, 1), dtS, lo, hi,
    );
    if (!okB) {
      status = (n << 1) | 1;
      break;
    }
  }
  spillLanes(stA, stB, s0, s1, s2, s3);
  return status;
}
