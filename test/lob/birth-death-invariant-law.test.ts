// Closed form (i): a single queue with insertion rate λ, per-order cancellation θ and market orders μ is
// a birth–death chain with invariant law π(n) ∝ λⁿ / ∏_{i≤n} (μ + iθ). Realised in the book as the ask
// queue of a K = 1 reservoir book whose bid side has zero intensities (so the ask frame never shifts;
// an empty ask is the reservoir state, left by an insertion at rate λ). The time-average law is
// estimated from 10⁶ events of the kernel's jump chain, each visit weighted by its mean holding time
// 1/Λ; tolerance: 4 batch-means standard errors (20 batches) per state with π(n) > 0.5 %.
import { describe, expect, it } from 'vitest';
import { LobKernel } from '../../src/kernels/lob.js';
import { intensityTable } from '../../src/lob/intensities.js';
import { CURVE_LEN, lcCurve, mCurve, RESERVOIR_M, S_A } from '../../src/lob/layout.js';
import { resolveModel } from '../../src/lob/model.js';
import { streamKey } from '../../src/rng/streams.js';
import { instance } from '../support/builds.js';
import { blocksFor } from './support.js';

const LAMBDA = 2,
  THETA = 0.5,
  MU = 1;

describe('single-queue birth–death law', () => {
  it('the ask queue occupies n with probability ∝ λⁿ/∏(μ + iθ)', async () => {
    const m = resolveModel('const', {
      K: 1,
      boundary: 'reservoir',
      aInf: 2,
      bInf: 2,
      intensities: { family: 'constant', lambdaL: LAMBDA, theta: THETA, lambdaM: MU },
      initial: { pb: 100, spread: 1, a: [3], b: [2], mmAskRank: 0, mmBidRank: 0 },
    });
    const tbl = intensityTable(m);
    const zero = (curve: number) => tbl.fill(0, curve * CURVE_LEN, (curve + 1) * CURVE_LEN);
    for (const v of [0, 1]) {
      zero(lcCurve(1, 1, v));
      zero(lcCurve(1, 1, v) + 1);
    }
    zero(mCurve(1, 1));
    tbl[RESERVOIR_M] = 0;
    tbl[RESERVOIR_M + 1] = 0;
    const blocks = { ...blocksFor(m), tbl };
    const kernel = new LobKernel(await instance('release'), blocks, 1);
    kernel.setState(blocks.init);
    kernel.seed(streamKey('test/lob/birth-death', 0, 0));

    const maxN = 40,
      batches = 20,
      perBatch = 50_000;
    const weight = Array.from({ length: batches }, () => new Float64Array(maxN + 1));
    for (let bt = 0; bt < batches; bt++) {
      const w = weight[bt] as Float64Array;
      for (let k = 0; k < perBatch; k++) {
        const q = kernel.state()[S_A] as number;
        w[Math.min(q, maxN)] =
          (w[Math.min(q, maxN)] as number) + 1 / (q > 0 ? LAMBDA + MU + THETA * q : LAMBDA);
        kernel.sampleEvent();
      }
      const total = w.reduce((s, v) => s + v, 0);
      for (let n = 0; n <= maxN; n++) w[n] = (w[n] as number) / total;
    }
    const pi = new Float64Array(maxN + 1);
    pi[0] = 1;
    for (let n = 1; n <= maxN; n++) pi[n] = ((pi[n - 1] as number) * LAMBDA) / (MU + n * THETA);
    const z = pi.reduce((s, v) => s + v, 0);
    let checked = 0;
    for (let n = 0; n <= maxN; n++) {
      const exact = (pi[n] as number) / z;
      if (exact < 0.005) continue;
      const est = weight.map((w) => w[n] as number);
      const mean = est.reduce((s, v) => s + v, 0) / batches;
      const se = Math.sqrt(est.reduce((s, v) => s + (v - mean) ** 2, 0) / (batches - 1) / batches);
      expect({ n, within: Math.abs(mean - exact) < 4 * se, mean, exact, se }).toMatchObject({
        n,
        within: true,
      });
      checked++;
    }
    expect(checked).toBeGreaterThan(6);
  });
});
