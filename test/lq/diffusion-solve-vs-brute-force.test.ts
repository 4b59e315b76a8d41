import { describe, expect, it } from 'vitest';
import { type Estimator, initialEstimator, lqModelBased } from '../../src/baseline/lq-model-based.js';
import { streamFromKey } from '../../src/baseline/rng.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_BASED, eulerSteps } from '../../src/lq/model.js';
import { modelBasedSchedule } from '../../src/lq/schedules.js';
import { streamKey } from '../../src/rng/streams.js';
import { zigguratTables } from '../../src/rng/ziggurat.js';

// The closed-form (C, D) solve against a brute-force minimisation of the same quadratic-variation loss
// L(C, D) = Σⱼ(αⱼ − C²Pⱼ − 2CD·Rⱼ − D²Gⱼ)² on fixed data (the running sums after n episodes): a 2-D grid
// over (C, D) ∈ [−4, 4] × (0, 4], refined twice around its best cell. The closed form must reach a loss
// no larger than the grid's (relative 1e-9) and sit at the same point (L is even in (C, D) jointly).
function loss(e: Estimator, C: number, D: number): number {
  return (
    e.sAA -
    2 * e.sAP * C * C -
    4 * e.sAR * C * D -
    2 * e.sAG * D * D +
    e.sPP * C ** 4 +
    4 * e.sPR * C ** 3 * D +
    (2 * e.sPG + 4 * e.sRR) * C * C * D * D +
    4 * e.sRG * C * D ** 3 +
    e.sGG * D ** 4
  );
}

function bruteForce(e: Estimator): { C: number; D: number; L: number } {
  let best = { C: 0, D: 1, L: Number.POSITIVE_INFINITY };
  let [c0, c1, d0, d1, step] = [-4, 4, 1e-3, 4, 0.01];
  for (let pass = 0; pass < 3; pass++) {
    for (let C = c0; C <= c1; C += step) {
      for (let D = d0; D <= d1; D += step) {
        const L = loss(e, C, D);
        if (L < best.L) best = { C, D, L };
      }
    }
    [c0, c1, d0, d1] = [
      best.C - 2 * step,
      best.C + 2 * step,
      Math.max(1e-6, best.D - 2 * step),
      best.D + 2 * step,
    ];
    step /= 40;
  }
  return best;
}

describe('closed-form (C, D) solve', () => {
  it.each([
    [1, 5],
    [1, 60],
    [3, 400],
    [10, 25],
  ])('seed %d after %d episodes reaches the brute-force minimum', (seed, n) => {
    const e = initialEstimator(DEFAULT_MODEL_BASED);
    const out = new Float64Array(n);
    const sched = modelBasedSchedule(DEFAULT_MODEL_BASED, n);
    const st = streamFromKey(streamKey('lq-actor-critic', 0, seed));
    expect(
      lqModelBased(
        DEFAULT_MODEL,
        DEFAULT_MODEL_BASED,
        sched,
        zigguratTables(),
        st,
        e,
        out,
        eulerSteps(DEFAULT_MODEL),
        0,
        n,
      ),
    ).toBe(0);
    const D = Math.sqrt(e.d2Hat);
    const ours = loss(e, e.ratio * D, D);
    const brute = bruteForce(e);
    expect(ours).toBeLessThanOrEqual(brute.L * (1 + 1e-9) + 1e-12);
    expect(Math.abs(e.ratio * D - brute.C)).toBeLessThan(1e-3);
    expect(Math.abs(D - brute.D)).toBeLessThan(1e-3);
  });
});
