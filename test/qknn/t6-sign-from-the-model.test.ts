/**
 * Which way should T6's ask-share curve slope (spec §5.3 T6, AHP Fig. 6)? Answered from the order-book
 * model alone, without Qknn: the one-step advantage of quoting a side at a hand-made state, by Monte
 * Carlo on common random numbers. A policy plays a chosen first action at decision 0 and 11 afterwards;
 * the ask's advantage is mean P&L(ask first) − mean P&L(nothing first), paired episode by episode, at
 * y = 0, spread 1, the deeper levels at a∞ = 2, T = 1 (R-const, §5.1).
 *
 * Measured with 2·10⁴ episodes per book (the probe behind these thresholds; x = q_a/(q_a + q_b)):
 *   no trend, x = 0.17 (q_a = 1, q_b = 5): ask −0.177 ± 0.009, bid +0.021 ± 0.006
 *   no trend, x = 0.83 (q_a = 5, q_b = 1): ask +0.016 ± 0.005, bid −0.167 ± 0.009
 *   trend κ = 0.3, x = 0.17:                ask −0.416 ± 0.013
 * An order behind a one-unit queue is filled mostly when that queue is being eaten, just before the
 * price moves through it (adverse selection), so a market maker at y = 0 should avoid the side whose
 * best queue is short: its ask share must rise with x. The spec's gate (i) asks for the opposite sign;
 * the learned policies agree with the model (docs/qknn.md, "T6"). Gate (ii) — the up-trend curve
 * lies below — has the model's sign: buy market orders make the ask worth less.
 */
import { describe, expect, it } from 'vitest';
import { evaluatePolicies } from '../../src/lob/harness.js';
import { O_PNL, OUT_STRIDE } from '../../src/lob/layout.js';
import { resolveModel } from '../../src/lob/model.js';
import { customPolicy } from '../../src/lob/policies.js';

// 10⁴ paired episodes per book (the probe's first half): ask at x = 0.17 / 0.83 −0.165 / +0.020,
// bid at x = 0.83 / 0.17 −0.160 / +0.028
const E = 10_000;

/** Mean and SE of P&L(first action) − P&L(nothing first), paired by episode. */
async function advantage(qa: number, qb: number, trend: number, side: 'ask' | 'bid') {
  const model = resolveModel('const', {
    trend,
    initial: { pb: 100, spread: 1, a: [qa, 2, 2], b: [qb, 2, 2], mmAskRank: 0, mmBidRank: 0 },
  });
  const first: readonly [number, number] = side === 'ask' ? [1, 0] : [0, 1];
  const nothing: readonly [number, number] = [0, 0];
  const then11: readonly [number, number] = [1, 1];
  const policies = [first, nothing].map((a, i) =>
    customPolicy(`first ${i}`, (_st, n) => (n === 0 ? a : then11)),
  );
  const { records } = await evaluatePolicies(
    undefined,
    { model, episodes: E, experiment: 'test/t6-sign', run: 0, engine: 'js' },
    policies,
  );
  const [r1, r0] = records as [Float64Array, Float64Array];
  let s = 0,
    s2 = 0;
  for (let e = 0; e < E; e++) {
    const d = (r1[e * OUT_STRIDE + O_PNL] as number) - (r0[e * OUT_STRIDE + O_PNL] as number);
    s += d;
    s2 += d * d;
  }
  const mean = s / E;
  return { mean, se: Math.sqrt((s2 / E - mean * mean) / (E - 1)) };
}

const z = (a: { mean: number; se: number }, b: { mean: number; se: number }) =>
  (a.mean - b.mean) / Math.hypot(a.se, b.se);

describe('T6: the sign of the ask share against imbalance, from the model', () => {
  it('no trend: the ask is worth more, the bid less, as the ask queue grows (rising ask share)', {
    timeout: 120_000,
  }, async () => {
    const askShort = await advantage(1, 5, 0, 'ask');
    const askLong = await advantage(5, 1, 0, 'ask');
    const bidLong = await advantage(1, 5, 0, 'bid');
    const bidShort = await advantage(5, 1, 0, 'bid');
    // z = 12.8 (ask) and 12.7 (bid) at E = 10⁴; 5 leaves room for the Monte Carlo noise of any stream
    expect(z(askLong, askShort)).toBeGreaterThan(5);
    expect(z(bidLong, bidShort)).toBeGreaterThan(5);
    // quoting behind a single unit loses, the probe's −0.18 and −0.17
    expect(askShort.mean + 3 * askShort.se).toBeLessThan(0);
    expect(bidShort.mean + 3 * bidShort.se).toBeLessThan(0);
  });

  it('up-trend κ = 0.3: the ask is worth less than without trend (the trend curve lies below)', {
    timeout: 120_000,
  }, async () => {
    const flat = await advantage(1, 5, 0, 'ask');
    const up = await advantage(1, 5, 0.3, 'ask');
    // at E = 10⁴: −0.400 ± 0.017 vs −0.165 ± 0.012, z = 11.1
    expect(z(flat, up)).toBeGreaterThan(5);
  });
});
