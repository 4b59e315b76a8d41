// Closed form (ii): an MM order with k units ahead, unit market orders at rate μ and per-order
// cancellation θ (the cancel-ahead rule: ahead with probability (r − 1)/a) reaches the front after a
// hypoexponential time with mean Σ_{j=1..k} 1/(μ + jθ) and variance Σ 1/(μ + jθ)². The kernel's jump chain
// picks the events; holding times are Exp(Λ) from a separate seeded stream. 20,000 replications;
// mean and variance within 3 standard errors (variance SE from the sample fourth moment).
import { describe, expect, it } from 'vitest';
import { nextExp, streamFromKey } from '../../src/baseline/rng.js';
import { LobKernel } from '../../src/kernels/lob.js';
import { intensityTable } from '../../src/lob/intensities.js';
import { CURVE_LEN, lcCurve, mCurve, RESERVOIR_M, S_ASK_RANK } from '../../src/lob/layout.js';
import { resolveModel } from '../../src/lob/model.js';
import { streamKey } from '../../src/rng/streams.js';
import { zigguratTables } from '../../src/rng/ziggurat.js';
import { instance } from '../support/builds.js';
import { blocksFor } from './support.js';

const MU = 2,
  THETA = 0.5,
  AHEAD = 4,
  BEHIND = 3;

describe('time for an MM order to reach the front of its queue', () => {
  it('is hypoexponential with rates μ + jθ, j = k..1', async () => {
    const m = resolveModel('const', {
      K: 1,
      boundary: 'reservoir',
      intensities: { family: 'constant', lambdaL: 1, theta: THETA, lambdaM: MU },
      initial: { pb: 100, spread: 1, a: [AHEAD + BEHIND], b: [2], mmAskRank: AHEAD + 1, mmBidRank: 0 },
    });
    const tbl = intensityTable(m);
    const zero = (curve: number) => tbl.fill(0, curve * CURVE_LEN, (curve + 1) * CURVE_LEN);
    for (const v of [0, 1]) {
      zero(lcCurve(1, 1, v));
      zero(lcCurve(1, 1, v) + 1);
    }
    zero(mCurve(1, 1));
    tbl[RESERVOIR_M + 1] = 0;
    const blocks = { ...blocksFor(m), tbl };
    const kernel = new LobKernel(await instance('release'), blocks, 1);
    kernel.seed(streamKey('test/lob/time-to-front', 0, 0));
    const clock = streamFromKey(streamKey('test/lob/time-to-front', 0, 1));
    const z = zigguratTables();

    const reps = 20_000;
    const times = new Float64Array(reps);
    for (let r = 0; r < reps; r++) {
      kernel.setState(blocks.init);
      let t = 0;
      while ((kernel.state()[S_ASK_RANK] as number) > 1) {
        t += nextExp(clock, z) / kernel.rates(1).lam;
        kernel.sampleEvent();
      }
      times[r] = t;
    }
    let mean = 0,
      variance = 0;
    for (let j = 1; j <= AHEAD; j++) {
      mean += 1 / (MU + j * THETA);
      variance += 1 / (MU + j * THETA) ** 2;
    }
    const avg = times.reduce((s, v) => s + v, 0) / reps;
    const m2 = times.reduce((s, v) => s + (v - avg) ** 2, 0) / (reps - 1);
    const m4 = times.reduce((s, v) => s + (v - avg) ** 4, 0) / reps;
    expect(Math.abs(avg - mean)).toBeLessThan(3 * Math.sqrt(m2 / reps));
    expect(Math.abs(m2 - variance)).toBeLessThan(3 * Math.sqrt((m4 - m2 * m2) / reps));
  });
});
