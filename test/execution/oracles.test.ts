import { describe, expect, it } from 'vitest';
import {
  almgrenChriss,
  almgrenChrissContinuous,
  almgrenChrissTwap,
  bertsimasLoValue,
  carteaJaimungal,
  carteaJaimungalDiscrete,
  impactTwapValue,
  lqRegulator,
  lqRegulatorDiscrete,
  riccatiRelaxation,
  twap,
} from '../../src/execution/oracles.js';
import { expectGolden } from './golden.js';

const AC = { X: 1e5, T: 10, N: 10, sigma: 1, epsilon: 0.05, eta: 1e-5, gamma: 1e-6, lambda: 1e-6 };
const CJ = { k: 0.01, b: 0.002, alpha: 0.1, phi: 0.04, T: 1, q0: 1 };
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('§4.1 risk-neutral linear impact (Bertsimas–Lo)', () => {
  it('TWAP sells equal parts', () => {
    expect(twap(12, 4)).toEqual({ sales: [3, 3, 3, 3], inventory: [12, 9, 6, 3, 0] });
  });
  it('golden V*(s0) = −108 by both forms', () => {
    expectGolden(bertsimasLoValue({ price: 0, remaining: 12, stepsLeft: 4, alpha: 1, beta: 1.5 }), '-108');
    const v = impactTwapValue({
      q: 12,
      j: 0,
      stepsLeft: 4,
      eta: 1.5,
      kappa: 1,
      terminalPenalty: 10,
      maxAction: 6,
    });
    expect(v.valid).toBe(true);
    expectGolden(v.value, '-108');
    expect(v.sales).toEqual([3, 3]);
  });
});

describe('§4.2 Riccati relaxation of deterministic', () => {
  const base = { k: 1, terminalPenalty: 10, horizon: 4, q0: 12, gamma: 1 };
  it.each([
    [{ phi: 0.2 }, '55.149603'],
    [{ phi: 0.2, gamma: 0.9 }, '51.454326'],
    [{ phi: 0 }, '35.121951'],
    [{ phi: 0, terminalPenalty: 2 }, '32'],
  ])('relaxation cost %o = %s', (over, golden) => {
    expectGolden(riccatiRelaxation({ ...base, ...over }).cost, golden);
  });
  it('φ = 0, λ_T = 2: equal sales and leftover Q0(k/λ_T)/(k/λ_T + N) = 4/3', () => {
    const r = riccatiRelaxation({ ...base, phi: 0, terminalPenalty: 2 });
    expectGolden(r.inventory[4] as number, '1.3333333333333333');
    const sales = r.inventory.slice(1).map((q, t) => (r.inventory[t] as number) - q);
    for (const s of sales) expect(rel(s, sales[0] as number)).toBeLessThan(1e-12);
  });
  it('λ_T → ∞ gives Almgren–Chriss with κ̃² = φ/k (τ = 1, γ_AC = 0)', () => {
    const r = riccatiRelaxation({ ...base, phi: 0.2, terminalPenalty: 1e12 });
    const ac = almgrenChriss({ X: 12, T: 4, N: 4, sigma: 1, epsilon: 0, eta: 1, gamma: 0, lambda: 0.2 });
    for (let t = 0; t <= 4; t++)
      expect(Math.abs((r.inventory[t] as number) - (ac.holdings[t] as number))).toBeLessThan(1e-9);
  });
});

describe('§4.3 Almgren–Chriss', () => {
  const ac = almgrenChriss(AC);
  it('discrete parameters and trajectory', () => {
    expectGolden(ac.etaTilde, '9.5e-6');
    expectGolden(ac.kappaTilde, '0.3244428423');
    expectGolden(ac.kappa, '0.3230364393');
    expectGolden(ac.trades[0] as number, '27708.20336');
    expectGolden(ac.trades[1] as number, '20098.54055');
    expectGolden(ac.trades[2] as number, '14604.51360');
    expectGolden(ac.holdings[5] as number, '19129.02304');
  });
  it('E, V, E + λV, and closed forms equal the direct sums', () => {
    expectGolden(ac.E, '25573.53378');
    expectGolden(ac.V, '1.0749259416e10');
    expectGolden(ac.objective, '36322.79319');
    expect(rel(ac.EDirect, ac.E)).toBeLessThan(1e-12);
    expect(rel(ac.VDirect, ac.V)).toBeLessThan(1e-12);
  });
  it('TWAP limit (λ → 0)', () => {
    const tw = almgrenChrissTwap(AC);
    expectGolden(tw.E, '19500');
    expectGolden(tw.V, '2.85e10');
    expectGolden(tw.objective, '48000');
    const zero = almgrenChriss({ ...AC, lambda: 0 });
    expect(rel(zero.EDirect, tw.E)).toBeLessThan(1e-12);
    expect(rel(zero.VDirect, tw.V)).toBeLessThan(1e-12);
    expect(rel(almgrenChriss({ ...AC, lambda: 1e-14 }).E, tw.E)).toBeLessThan(1e-6);
  });
  it('N = 1000', () => {
    const f = almgrenChriss({ ...AC, N: 1000 });
    expectGolden(f.kappa, '0.3163067');
    expectGolden(f.E, '26223.14415');
    expectGolden(f.V, '1.5455082107e10');
    expect(rel(f.EDirect, f.E)).toBeLessThan(1e-11);
    expect(rel(f.VDirect, f.V)).toBeLessThan(1e-11);
  });
  it('continuous limit', () => {
    const c = almgrenChrissContinuous(AC);
    expectGolden(c.kappa, '0.3162277660');
    expectGolden(c.E, '26227.79071');
    expectGolden(c.V, '1.5508510329e10');
    expectGolden(c.holdings(5), '19738.54874');
  });
  it('impact with φ > 0 is AC on integer trades: the relaxation with k = η̃ matches AC with τ = 1', () => {
    // γ_AC = κ = 1, η_AC = η = 1.5 ⇒ η̃ = 1; λσ² = φ = 0.2; λ_T → ∞.
    const acImpact = almgrenChriss({
      X: 12,
      T: 4,
      N: 4,
      sigma: 1,
      epsilon: 0,
      eta: 1.5,
      gamma: 1,
      lambda: 0.2,
    });
    const r = riccatiRelaxation({ k: 1, phi: 0.2, terminalPenalty: 1e12, gamma: 1, horizon: 4, q0: 12 });
    for (let t = 0; t <= 4; t++)
      expect(Math.abs((r.inventory[t] as number) - (acImpact.holdings[t] as number))).toBeLessThan(1e-9);
  });
});

describe('§4.4 Cartea–Jaimungal', () => {
  const cj = carteaJaimungal(CJ);
  it('g, ζ, Q*, ν*, p(0)', () => {
    expectGolden(cj.g, '2');
    expectGolden(cj.zeta, '1.5063291139');
    expectGolden(cj.inventory(0.25), '0.59370256');
    expectGolden(cj.inventory(0.5), '0.33894884');
    expectGolden(cj.inventory(0.75), '0.17071247');
    expectGolden(cj.inventory(1), '0.04605079');
    expectGolden(cj.speed(0), '2.04923514');
    expectGolden(cj.speed(1), '0.45590281');
    expectGolden(cj.p(0), '0.0204923514');
    expect(rel(cj.speed(0.3), (cj.p(0.3) * cj.inventory(0.3)) / CJ.k)).toBeLessThan(1e-12);
  });
  it('limits α → ∞ and φ → 0', () => {
    expectGolden(carteaJaimungal({ ...CJ, alpha: Number.POSITIVE_INFINITY }).inventory(0.5), '0.32402714');
    const lin = carteaJaimungal({ ...CJ, phi: 0 });
    expectGolden(lin.speed(0), '0.9082568807');
    expectGolden(lin.inventory(1), '0.0917431193');
    expect(Math.abs(carteaJaimungal({ ...CJ, phi: 1e-14 }).inventory(1) - lin.inventory(1))).toBeLessThan(
      1e-6,
    );
  });
  it('p solves −ṗ = φ − p²/k with p(T) = α − b/2', () => {
    const h = 1e-5;
    for (const t of [0.1, 0.5, 0.9]) {
      const dp = (cj.p(t + h) - cj.p(t - h)) / (2 * h);
      expect(Math.abs(-dp - (CJ.phi - cj.p(t) ** 2 / CJ.k))).toBeLessThan(1e-6);
    }
    expect(rel(cj.p(1), CJ.alpha - CJ.b / 2)).toBeLessThan(1e-12);
  });
  it('bridge: the discrete recursion converges to p(0) and Q*', () => {
    expectGolden(carteaJaimungalDiscrete(CJ, 10).c0, '0.0186010703');
    expectGolden(carteaJaimungalDiscrete(CJ, 100).c0, '0.0202938222');
    const fine = carteaJaimungalDiscrete(CJ, 1000);
    expectGolden(fine.c0, '0.0204724043');
    expectGolden(fine.inventory[500] as number, '0.33894640');
  });
});

describe('§4.5 LQ regulator', () => {
  it('P and P/r', () => {
    const { P, gain } = lqRegulator(0.2, 0.5);
    expectGolden(P, '0.6588723439');
    expectGolden(gain, '1.3177446879');
    // P² + ρrP − r = 0
    expect(Math.abs(P * P + 0.2 * 0.5 * P - 0.5)).toBeLessThan(1e-15);
  });
  it.each([
    [0.2, '0.77203914'],
    [0.1, '0.71371015'],
    [0.05, '0.68584880'],
    [0.02, '0.66955614'],
    [0.01, '0.66419640'],
  ])('P_Δ(Δt = %f) = %s and solves its fixed point', (dt, golden) => {
    const d = lqRegulatorDiscrete(0.2, 0.5, dt);
    expectGolden(d.P, golden);
    const fixed = dt + (d.gamma * d.P * 0.5) / (0.5 + d.gamma * d.P * dt);
    expect(rel(fixed, d.P)).toBeLessThan(1e-14);
  });
  it('Richardson 2P_0.05 − P_0.1 = 0.657987', () => {
    expectGolden(
      2 * lqRegulatorDiscrete(0.2, 0.5, 0.05).P - lqRegulatorDiscrete(0.2, 0.5, 0.1).P,
      '0.657987',
    );
  });
});
