// Model-based plug-in, two seeds per call: the Euler steps and the episode's sufficient statistics run
// in f64x2 lanes, the per-episode estimation and root finding stay scalar, per lane, in closeEpisode.
// Each lane's stream is drawn by scalar code (its four words in general registers, as in the scalar
// kernel): lane extraction for the ziggurat table lookups costs more than the draws themselves, and
// vector registers are needed for x, the six sums and the constants. Each lane consumes exactly its
// scalar stream and repeats the scalar kernel's operations in the same order, so every seed's φ̂₁ path
// and estimator are bit-identical to lqModelBased's. The step loop holds no call: a rejected draw
// leaves it for the slow path (out of line) and re-enters it at the Euler step.
import { nextNormal, normalFast, normalSlow } from '../rng';
import { eulerLanes } from './lanes';
import { closeEpisode, MB_PHI } from './model-based';
import { LQ_A, LQ_B, LQ_C, LQ_D, LQ_DT, LQ_PHI_HI, LQ_PHI_LO, LQ_X0, param } from './params';

/**
 * The draws of step k from the first rejected one on, from memory stream blocks: lane A's ξ (pending
 * 0) or η (1) for the rejected word `w`, then the rest of lane A and lane B's pair; lane B's ξ (2) or
 * η (3). Writes (ξA, ηA, ξB, ηB) from the pending one on to `out`.
 */
function slowDraws(stA: usize, stB: usize, zig: usize, pending: i32, w: u64, out: usize): void {
  if (pending == 0) {
    store<f64>(out, normalSlow(stA, w, zig));
    store<f64>(out, nextNormal(stA, zig), 8);
  } else if (pending == 1) {
    store<f64>(out, normalSlow(stA, w, zig), 8);
  }
  if (pending <= 1) {
    store<f64>(out, nextNormal(stB, zig), 16);
    store<f64>(out, nextNormal(stB, zig), 24);
  } else if (pending == 2) {
    store<f64>(out, normalSlow(stB, w, zig), 16);
    store<f64>(out, nextNormal(stB, zig), 24);
  } else {
    store<f64>(out, normalSlow(stB, w, zig), 24);
  }
}

// Scratch layout: the episode's constant vectors, the slow path's draws, then the path (x, u, Δx).
const K_A: usize = 0, K_B: usize = 16, K_C: usize = 32, K_D: usize = 48, K_DT: usize = 64;
const K_SQDT: usize = 80, K_SD: usize = 96, K_PHI: usize = 112;
const SLOW: usize = 128;
const PATH: usize = 160;

/** Bytes of the scratch lqModelBasedX2 needs for `steps` Euler steps. */
export function lqModelBasedX2ScratchBytes(steps: i32): i32 {
  return <i32>PATH + steps * 48;
}

/**
 * As lqModelBased for two seeds at once: streams at stA/stB, estimators at estA/estB (each initialised
 * by lqModelBasedInit), paths at outA/outB, `scratch` of lqModelBasedX2ScratchBytes(steps). Returns 0, or
 * (episode << 1 | lane) of the first episode whose statistics went non-finite (lane A first when both
 * did); the run stops there.
 */
export function lqModelBasedX2(
  prm: usize, sched: usize, zig: usize, stA: usize, stB: usize, estA: usize, estB: usize, outA: usize,
  outB: usize, scratch: usize, steps: i32, from: i32, to: i32,
): i32 {
  // The step loop reads its constant vectors from memory: V8 would otherwise re-splat them (and redo
  // the square root) on every step, as it schedules pure operations next to their uses.
  const dtS = param(prm, LQ_DT);
  v128.store(scratch + K_A, f64x2.splat(param(prm, LQ_A)));
  v128.store(scratch + K_B, f64x2.splat(param(prm, LQ_B)));
  v128.store(scratch + K_C, f64x2.splat(param(prm, LQ_C)));
  v128.store(scratch + K_D, f64x2.splat(param(prm, LQ_D)));
  v128.store(scratch + K_DT, f64x2.splat(dtS));
  v128.store(scratch + K_SQDT, f64x2.splat(Math.sqrt(dtS)));
  const x0 = f64x2.splat(param(prm, LQ_X0));
  const lo = param(prm, LQ_PHI_LO), hi = param(prm, LQ_PHI_HI);
  const phiSlot = <usize>MB_PHI << 3;
  let a0 = load<u64>(stA), a1 = load<u64>(stA, 8), a2 = load<u64>(stA, 16), a3 = load<u64>(stA, 24);
  let b0 = load<u64>(stB), b1 = load<u64>(stB, 8), b2 = load<u64>(stB, 16), b3 = load<u64>(stB, 24);
  let status = 0;
  for (let n = from + 1; n <= to; n++) {
    const phiA = load<f64>(estA + phiSlot), phiB = load<f64>(estB + phiSlot);
    v128.store(scratch + K_PHI, f64x2.replace_lane(f64x2.splat(phiA), 1, phiB));
    v128.store(scratch + K_SD, f64x2.splat(load<f64>(sched + (<usize>(n - 1) << 4))));
    store<f64>(outA + (<usize>(n - 1) << 3), phiA);
    store<f64>(outB + (<usize>(n - 1) << 3), phiB);
    // The path (x, u, Δx) goes to the scratch and the sums are taken in a second pass, in the same
    // order: six sums live across the step loop would not fit in the vector registers with the rest.
    const path = scratch + PATH;
    let x = x0;
    let xiA = 0.0, etaA = 0.0, xiB = 0.0, etaB = 0.0;
    let k = 0, pending = -1;
    while (true) {
      for (; k < steps; k++) {
        if (pending < 0) {
          let w = rotl<u64>(a1 * 5, 7) * 9;
          let t = a1 << 17;
          a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= t; a3 = rotl<u64>(a3, 45);
          xiA = normalFast(w, zig);
          if (isNaN(xiA)) { pending = 0; scratchWord(scratch + SLOW, w); break; }
          w = rotl<u64>(a1 * 5, 7) * 9;
          t = a1 << 17;
          a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= t; a3 = rotl<u64>(a3, 45);
          etaA = normalFast(w, zig);
          if (isNaN(etaA)) { pending = 1; scratchWord(scratch + SLOW, w); break; }
          w = rotl<u64>(b1 * 5, 7) * 9;
          t = b1 << 17;
          b2 ^= b0; b3 ^= b1; b1 ^= b2; b0 ^= b3; b2 ^= t; b3 = rotl<u64>(b3, 45);
          xiB = normalFast(w, zig);
          if (isNaN(xiB)) { pending = 2; scratchWord(scratch + SLOW, w); break; }
          w = rotl<u64>(b1 * 5, 7) * 9;
          t = b1 << 17;
          b2 ^= b0; b3 ^= b1; b1 ^= b2; b0 ^= b3; b2 ^= t; b3 = rotl<u64>(b3, 45);
          etaB = normalFast(w, zig);
          if (isNaN(etaB)) { pending = 3; scratchWord(scratch + SLOW, w); break; }
        }
        pending = -1;
        const xi = f64x2.replace_lane(f64x2.splat(xiA), 1, xiB);
        const eta = f64x2.replace_lane(f64x2.splat(etaA), 1, etaB);
        // the scalar kernel's algebra, operation for operation
        const u = f64x2.add(f64x2.mul(v128.load(scratch + K_PHI), x), f64x2.mul(v128.load(scratch + K_SD), xi));
        const xn = eulerLanes(
          x, u, f64x2.mul(v128.load(scratch + K_SQDT), eta), v128.load(scratch + K_A), v128.load(scratch + K_B),
          v128.load(scratch + K_C), v128.load(scratch + K_D), v128.load(scratch + K_DT),
        );
        const rec = path + <usize>k * 48;
        v128.store(rec, x);
        v128.store(rec, u, 16);
        v128.store(rec, f64x2.sub(xn, x), 32);
        x = xn;
      }
      if (k == steps) break;
      // step k has a rejected draw: the slow path from the memory stream blocks, then the Euler step
      store<u64>(stA, a0); store<u64>(stA, a1, 8); store<u64>(stA, a2, 16); store<u64>(stA, a3, 24);
      store<u64>(stB, b0); store<u64>(stB, b1, 8); store<u64>(stB, b2, 16); store<u64>(stB, b3, 24);
      const slow = scratch + SLOW;
      slowDraws(stA, stB, zig, pending, load<u64>(slow), slow);
      if (pending == 0) xiA = load<f64>(slow);
      if (pending <= 1) etaA = load<f64>(slow, 8);
      if (pending <= 2) xiB = load<f64>(slow, 16);
      etaB = load<f64>(slow, 24);
      a0 = load<u64>(stA); a1 = load<u64>(stA, 8); a2 = load<u64>(stA, 16); a3 = load<u64>(stA, 24);
      b0 = load<u64>(stB); b1 = load<u64>(stB, 8); b2 = load<u64>(stB, 16); b3 = load<u64>(stB, 24);
    }
    const zero = f64x2.splat(0);
    let qv = zero, sxx = zero, sxu = zero, suu = zero, bx = zero, bu = zero;
    for (let j = 0; j < steps; j++) {
      const rec = path + <usize>j * 48;
      const xj = v128.load(rec), u = v128.load(rec, 16), dx = v128.load(rec, 32);
      qv = f64x2.add(qv, f64x2.mul(dx, dx));
      sxx = f64x2.add(sxx, f64x2.mul(xj, xj));
      sxu = f64x2.add(sxu, f64x2.mul(xj, u));
      suu = f64x2.add(suu, f64x2.mul(u, u));
      bx = f64x2.add(bx, f64x2.mul(xj, dx));
      bu = f64x2.add(bu, f64x2.mul(u, dx));
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
  store<u64>(stA, a0); store<u64>(stA, a1, 8); store<u64>(stA, a2, 16); store<u64>(stA, a3, 24);
  store<u64>(stB, b0); store<u64>(stB, b1, 8); store<u64>(stB, b2, 16); store<u64>(stB, b3, 24);
  return status;
}

/** Keeps a rejected word for the slow path (leaving the loop, where its register is not kept). */
// @ts-ignore: decorator
@inline function scratchWord(scratch: usize, w: u64): void {
  store<u64>(scratch, w);
}
