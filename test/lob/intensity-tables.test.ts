// The shared intensity tables (spec §1.3): HLR curves interpolated linearly and held beyond q = 50, time
// scale c, trend κ, the authors' R-ahp tables, and constant insertion with linear cancellation.
import { describe, expect, it } from 'vitest';
import { intensityTable } from '../../src/lob/intensities.js';
import { CURVE_LEN, lcCurve, mCurve, QN, RESERVOIR_M } from '../../src/lob/layout.js';
import { HLR_Q, HLR_TABLES, resolveModel } from '../../src/lob/model.js';

const at = (tbl: Float64Array, curve: number, q: number) =>
  q < QN
    ? (tbl[curve * CURVE_LEN + q] as number)
    : (tbl[curve * CURVE_LEN + QN - 1] as number) + (tbl[curve * CURVE_LEN + QN] as number) * (q - QN + 1);

describe('intensity tables', () => {
  it('HLR: equals the digitised points times c, interpolates linearly between them, holds beyond 50', () => {
    const m = resolveModel('hlr-dev'); // c = 10
    const tbl = intensityTable(m);
    HLR_Q.forEach((q, k) => {
      for (let lvl = 1; lvl <= 3; lvl++) {
        expect(at(tbl, lcCurve(0, lvl, 0), q)).toBeCloseTo(10 * (HLR_TABLES.L[lvl - 1]?.[k] as number), 12);
        expect(at(tbl, lcCurve(1, lvl, 1) + 1, q)).toBeCloseTo(
          10 * (HLR_TABLES.C[lvl - 1]?.[k] as number),
          12,
        );
        expect(at(tbl, mCurve(1, lvl), q)).toBeCloseTo(10 * (HLR_TABLES.M[lvl - 1]?.[k] as number), 12);
      }
    });
    // q = 7 lies halfway between 6 (.60) and 8 (.64) on f^L_1; q = 13 is 1/3 of the way from 12 to 15.
    expect(at(tbl, lcCurve(0, 1, 0), 7)).toBeCloseTo(10 * 0.62, 12);
    expect(at(tbl, lcCurve(0, 1, 0) + 1, 13)).toBeCloseTo(10 * (0.77 + (0.81 - 0.77) / 3), 12);
    expect(at(tbl, mCurve(0, 1), 500)).toBeCloseTo(10 * 0.1, 12);
    // Reservoir market rate: f^M_K(a∞) (a∞ = 3).
    expect(tbl[RESERVOIR_M]).toBeCloseTo(10 * 0.001, 12);
  });

  it('HLR shape: fast insertion into empty 2nd/3rd levels, market orders fastest on short best queues', () => {
    const tbl = intensityTable(resolveModel('hlr', { timeScale: 1 }));
    expect(at(tbl, lcCurve(0, 2, 0), 0)).toBeGreaterThan(2.5);
    expect(at(tbl, lcCurve(0, 3, 0), 0)).toBeGreaterThan(2.5);
    expect(at(tbl, mCurve(0, 1), 1)).toBeGreaterThan(at(tbl, mCurve(0, 1), 20));
  });

  it('trend κ multiplies M+ by 1 + κ and M− by 1 − κ', () => {
    const tbl = intensityTable(resolveModel('const', { trend: 0.3 }));
    expect(at(tbl, mCurve(0, 1), 4)).toBeCloseTo(5 * 1.3, 12);
    expect(at(tbl, mCurve(1, 2), 4)).toBeCloseTo(5 * 0.7, 12);
  });

  it('constant: λ_L per level, cancellation θ·q continued linearly beyond the table', () => {
    const tbl = intensityTable(resolveModel('const'));
    expect(at(tbl, lcCurve(1, 3, 0), 17)).toBe(2);
    expect(at(tbl, lcCurve(0, 2, 1) + 1, 9)).toBe(4.5);
    expect(at(tbl, lcCurve(0, 2, 1) + 1, 200)).toBe(100);
  });

  it('R-ahp: the posted 4 / 2 market rates and the q1-dependent level-2 tables', () => {
    const tbl = intensityTable(resolveModel('ahp'));
    expect(at(tbl, mCurve(0, 1), 3)).toBeCloseTo(4, 12);
    expect(at(tbl, mCurve(1, 2), 3)).toBeCloseTo(2, 12);
    expect(at(tbl, lcCurve(0, 1, 0), 0)).toBe(0.25);
    expect(at(tbl, lcCurve(0, 1, 0), 5)).toBe(0.75);
    expect(at(tbl, lcCurve(0, 2, 0), 1)).toBe(1.1); // q1 > 0
    expect(at(tbl, lcCurve(0, 2, 1), 12)).toBe(0.4); // q1 = 0
    expect(at(tbl, lcCurve(1, 1, 0) + 1, 3)).toBeCloseTo(0.46 * 3, 12);
    expect(at(tbl, lcCurve(1, 1, 0) + 1, 100)).toBeCloseTo(0.8 * 100, 12);
    expect(at(tbl, lcCurve(1, 2, 0) + 1, 3)).toBeCloseTo(0.3 * 3, 12);
    expect(at(tbl, lcCurve(1, 2, 1) + 1, 20)).toBeCloseTo(1.15 * 20, 12);
  });
});
