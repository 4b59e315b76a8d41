import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, DEFAULT_MODEL_FREE, type LqModel } from '../../src/lq/model.js';
import {
  momentRate,
  optimalGain,
  optimalValue,
  policyValue,
  policyValueParts,
  riccatiRate,
} from '../../src/lq/oracle.js';
import { explorationVariance, gaussianEntropy, learningRate } from '../../src/lq/schedules.js';

// Spec §6 golden numbers (50-digit arithmetic): f, g, ĵ to 1e-12 relative, a to 1e-15 absolute.
const rel = (got: number, want: number) => Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);

const TABLE: [phi1: number, phi2: number, a: number, f: number, g: number, j: number][] = [
  [-2, 0, -1, -0.5, -0.5, -0.5],
  [-2, 5, -1, -0.5, -0.5, -3.0],
  [-0.5, 5, 1.25, -2.7413086617156572, -1.3930469293725258, -9.7065433085782862],
  [-0.5, 2.5, 1.25, -2.7413086617156572, -1.3930469293725258, -6.2239259851469717],
  [-1, 1, 0, -1, -0.75, -1.75],
  [-3, 0, 0, -1, -0.75, -1.0],
  [-2.2, 1, -0.96, -0.51285639820885183, -0.50744125186577934, -1.0202976500746312],
  [-1.5, 0.5, -0.75, -0.58793890787649755, -0.54941478949800327, -0.86264630262549918],
  [0, 1, 3, -13.223691282125112, -4.0745637607083706, -17.298255042833482],
  [-0.999999, 1, 2.000001e-6, -1.0000015000020833, -0.75000066666741667, -1.7500021666695],
  [-0.9999999999, 1, 2.0000000001e-10, -1.00000000015, -0.75000000006666667, -1.7500000002166667],
];

describe('LQ closed forms (spec §6)', () => {
  it.each(TABLE)('φ₁=%d φ₂=%d: a, f, g, ĵ', (phi1, phi2, a, f, g, j) => {
    expect(Math.abs(momentRate(DEFAULT_MODEL, phi1) - a)).toBeLessThanOrEqual(1e-15);
    const parts = policyValueParts(DEFAULT_MODEL, phi1);
    expect(rel(parts.f, f)).toBeLessThanOrEqual(1e-12);
    expect(rel(parts.g, g)).toBeLessThanOrEqual(1e-12);
    expect(rel(policyValue(DEFAULT_MODEL, phi1, phi2), j)).toBeLessThanOrEqual(1e-12);
  });

  it('gives φ₁* = −2, Δ = 1, V = −0.5 and the initial regret 9.2065… for the defaults', () => {
    expect(optimalGain(DEFAULT_MODEL)).toBe(-2);
    expect(riccatiRate(DEFAULT_MODEL)).toBe(1);
    expect(optimalValue(DEFAULT_MODEL)).toBe(-0.5);
    const initial = optimalValue(DEFAULT_MODEL) - policyValue(DEFAULT_MODEL, -0.5, 5);
    expect(rel(initial, 9.2065433085782862)).toBeLessThanOrEqual(1e-12);
  });

  it('matches the non-default parameter set', () => {
    const m: LqModel = { A: 0.3, B: -0.7, C: 0.5, D: 1.3, Q: 2, H: 0.5, x0: 1.5, T: 2, dt: 0.01 };
    const star = optimalGain(m);
    expect(rel(star, 0.029585798816568047)).toBeLessThanOrEqual(1e-12);
    expect(rel(riccatiRate(m), -0.8485207100591716)).toBeLessThanOrEqual(1e-12);
    expect(rel(optimalValue(m), -14.890566803233785)).toBeLessThanOrEqual(1e-12);
    expect(rel(policyValue(m, star, 0.3), -17.500510233890783)).toBeLessThanOrEqual(1e-12);
    expect(rel(policyValue(m, -0.2, 0.3), -19.770179762691441)).toBeLessThanOrEqual(1e-12);
    expect(rel(policyValue(m, -1, 0.05), -280.83446558403197)).toBeLessThanOrEqual(1e-12);
  });

  it('reproduces the schedules, h(5) and the exploration-only regret', () => {
    const s = DEFAULT_MODEL_FREE;
    const rows: [number, number, number][] = [
      [1, 0.05, 5],
      [2, 0.029730177875068027, 4.2044820762685727],
      [1e4, 5e-5, 0.5],
      [2e5, 5.2868563172028206e-6, 0.23643540225079395],
    ];
    for (const [n, a, phi2] of rows) {
      expect(rel(learningRate(s, n), a)).toBeLessThanOrEqual(1e-12);
      expect(rel(explorationVariance(s, n), phi2)).toBeLessThanOrEqual(1e-12);
    }
    expect(rel(gaussianEntropy(5), 2.2236574894217229)).toBeLessThanOrEqual(1e-12);
    const g2 = Math.abs(policyValueParts(DEFAULT_MODEL, -2).g);
    let sum = 0;
    for (let n = 1; n <= 200_000; n++) {
      sum += explorationVariance(s, n) * g2;
      if (n === 2000) expect(sum).toBeCloseTo(995.05, 2);
    }
    expect(sum).toBeCloseTo(31522.7, 1);
  });
});
