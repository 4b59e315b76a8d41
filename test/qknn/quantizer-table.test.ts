/** Spec qknn-market-making §4.3 and §5.3 test 1: the Exp(1) Lloyd quantizer and its mass-exact truncation. */
import { describe, expect, it } from 'vitest';
import { expQuantizer, timeCells, truncate } from '../../src/qknn/quantizer.js';

// Reference values: spec §4.3 table (5 decimals; MSE to the digits printed there).
const TABLE: Record<number, { e: number[]; p: number[]; mse: number; mseTol: number }> = {
  1: { e: [1], p: [1], mse: 1, mseTol: 1e-12 },
  2: { e: [0.59362, 2.59362], p: [0.79681, 0.20319], mse: 0.35239, mseTol: 1e-5 },
  3: { e: [0.42395, 1.6112, 3.6112], p: [0.63853, 0.28802, 0.07345], mse: 0.17974, mseTol: 1e-5 },
  4: {
    e: [0.33008, 1.17799, 2.36523, 4.36523],
    p: [0.52953, 0.30041, 0.13551, 0.03455],
    mse: 0.10895,
    mseTol: 1e-5,
  },
  5: {
    e: [0.27035, 0.93051, 1.77842, 2.96566, 4.96566],
    p: [0.45142, 0.29049, 0.1648, 0.07433, 0.01896],
    mse: 0.07309,
    mseTol: 1e-5,
  },
  8: {
    e: [0.17534, 0.57253, 1.03047, 1.57117, 2.23133, 3.07923, 4.26648, 6.26648],
    p: [0.31198, 0.23936, 0.17635, 0.12293, 0.0791, 0.04488, 0.02024, 0.00516],
    mse: 0.030745,
    mseTol: 1e-6,
  },
  10: {
    e: [0.14209, 0.45603, 0.80671, 1.2039, 1.66184, 2.20254, 2.8627, 3.71061, 4.89785, 6.89785],
    p: [0.25848, 0.20965, 0.16593, 0.12731, 0.09379, 0.06538, 0.04207, 0.02387, 0.01077, 0.00275],
    mse: 0.020189,
    mseTol: 1e-6,
  },
  16: {
    e: [
      0.09058, 0.28338, 0.48943, 0.71069, 0.94957, 1.20914, 1.49331, 1.80725, 2.15794, 2.55513, 3.01306,
      3.55377, 4.21392, 5.06183, 6.24908, 8.24908,
    ],
    p: [
      0.17054, 0.14997, 0.13072, 0.11279, 0.09618, 0.08089, 0.06693, 0.05428, 0.04296, 0.03296, 0.02428,
      0.01693, 0.01089, 0.00618, 0.00279, 0.00071,
    ],
    mse: 0.0082044,
    mseTol: 1e-7,
  },
};

describe('Exp(1) Lloyd quantizer', () => {
  for (const [L, ref] of Object.entries(TABLE)) {
    it(`L = ${L}: points, weights and MSE of the spec table`, () => {
      const q = expQuantizer(Number(L));
      // printed to 5 decimals: within half a unit of the last digit
      ref.e.forEach((v, l) => {
        expect(Math.abs((q.points[l] as number) - v)).toBeLessThanOrEqual(5e-6 + 1e-12);
      });
      ref.p.forEach((v, l) => {
        expect(Math.abs((q.weights[l] as number) - v)).toBeLessThanOrEqual(5e-6 + 1e-12);
      });
      expect(Math.abs(q.mse - ref.mse)).toBeLessThan(ref.mseTol);
      if (q.L > 1) {
        // memorylessness: the last two points differ by exactly 2
        expect(Math.abs((q.points[q.L - 1] as number) - (q.points[q.L - 2] as number) - 2)).toBeLessThan(
          1e-12,
        );
      }
    });
  }

  it('mass-exact truncation: weights + e^{-h} = 1 within 4e-16, points inside their cut cells', () => {
    for (const L of [4, 8, 16]) {
      const q = expQuantizer(L);
      const pts = new Float64Array(L),
        w = new Float64Array(L);
      for (const h of [0.01, 0.5, 3, 50]) {
        const n = truncate(q, h, 'mass-exact', pts, w);
        let total = Math.exp(-h);
        for (let l = 0; l < n; l++) {
          total += w[l] as number;
          expect(pts[l]).toBeGreaterThanOrEqual(q.edges[l] as number);
          expect(pts[l]).toBeLessThanOrEqual(Math.min(q.edges[l + 1] as number, h));
        }
        expect(Math.abs(total - 1)).toBeLessThanOrEqual(4e-16);
      }
    }
  });

  it('paper-literal truncation drops the points beyond h and loses mass', () => {
    const q = expQuantizer(8);
    const pts = new Float64Array(8),
      w = new Float64Array(8);
    const n = truncate(q, 1, 'paper-literal', pts, w);
    expect(n).toBe(2); // e_1 = 0.175, e_2 = 0.573 ≤ 1 < e_3 = 1.030
    expect(w[0] as number).toBe(q.weights[0]);
    const total = Math.exp(-1) + (w[0] as number) + (w[1] as number);
    expect(total).toBeLessThan(1);
  });

  it('conditional means stay accurate on very short cells (no cancellation)', () => {
    const q = expQuantizer(8);
    const pts = new Float64Array(8),
      w = new Float64Array(8);
    for (const h of [1e-8, 1e-9, 1e-12]) {
      const n = truncate(q, h, 'mass-exact', pts, w);
      expect(n).toBe(1);
      expect(Math.abs((pts[0] as number) / h - 0.5)).toBeLessThan(1e-6);
    }
  });
});

describe('product (cell) mode of the waiting time (§4.3, §5.3 test 1)', () => {
  /** J = 20 grid times: empirical-quantile-like, sorted, the last at T. */
  function grid(T: number, seed: number): Float64Array {
    let x = seed;
    const u = () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    };
    const taus = Float64Array.from({ length: 19 }, () => u() * T).sort();
    return Float64Array.from([...taus, T]);
  }

  it('cell masses + e^{−λ(T − t)} sum to 1 within 1e−15 (J = 20)', () => {
    const idx = new Int32Array(20),
      w = new Float64Array(20);
    let worst = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const T = seed % 2 ? 1 : 10;
      const taus = grid(T, seed);
      for (const lambda of [0.01, 0.7, 5, 27, 300])
        for (const t of [0, T * 0.013, T * 0.4, T * 0.97, taus[18] as number]) {
          const n = timeCells(taus, t, lambda, T, idx, w);
          let total = Math.exp(-lambda * (T - t));
          for (let c = 0; c < n; c++) total += w[c] as number;
          worst = Math.max(worst, Math.abs(total - 1));
          for (let c = 0; c < n; c++) expect(w[c]).toBeGreaterThanOrEqual(0);
        }
    }
    expect(worst).toBeLessThan(1e-15);
  });

  it('cells end at the grid times after t; the last cell (τ_{J−2}, T] reads τ_{J−2}', () => {
    const taus = Float64Array.of(0.2, 0.5, 0.8, 1);
    const idx = new Int32Array(4),
      w = new Float64Array(4);
    const n = timeCells(taus, 0.3, 2, 1, idx, w);
    // cells (0.3, 0.5], (0.5, 0.8], (0.8, 1]: read at τ_1, τ_2, and τ_2 again
    expect(n).toBe(3);
    expect(Array.from(idx.subarray(0, n))).toEqual([1, 2, 2]);
    expect(w[0]).toBeCloseTo(1 - Math.exp(-2 * 0.2), 15);
    expect(w[1]).toBeCloseTo(Math.exp(-2 * 0.2) - Math.exp(-2 * 0.5), 15);
    expect(w[2]).toBeCloseTo(Math.exp(-2 * 0.5) - Math.exp(-2 * 0.7), 15);
    // past τ_{J−2}: one cell (t, T]
    expect(timeCells(taus, 0.9, 2, 1, idx, w)).toBe(1);
    expect(idx[0]).toBe(2);
  });
});
