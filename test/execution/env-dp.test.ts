import { describe, expect, it } from 'vitest';
import type { EnvInput } from '../../src/execution/config.js';
import { argmaxSet, isOptimal, reachable, solve } from '../../src/execution/dp.js';
import { ActionKind, buildMdp, NEXT_I32, recordOffset } from '../../src/execution/env.js';
import { policyStats } from '../../src/execution/metrics.js';
import { impactTwapValue } from '../../src/execution/oracles.js';
import { expectGolden } from './golden.js';

const G6 = [0, 1, 2, 3, 4, 5, 6];

describe('tables', () => {
  it.each<EnvInput>([
    { variant: 'deterministic' },
    { variant: 'impact' },
    { variant: 'order-type' },
    { variant: 'noisy-features', beta: 2 },
    { variant: 'impact', q0: 6, horizon: 3, reward: 'regret' },
  ])('%o: every feasible (t, s, a) holds a cumulative law ending exactly at 1', (cfg) => {
    const m = buildMdp(cfg);
    const bad: string[] = [];
    for (let t = 0; t < m.horizon; t++)
      for (let s = 0; s < m.states; s++)
        for (let a = 0; a < (m.feasible[s] as number); a++) {
          let prev = 0;
          for (let k = 0; k < m.outcomes; k++) {
            const off = recordOffset(m, t, s, a, k);
            const cum = m.trans[off] as number;
            const next = m.transI32[2 * off + NEXT_I32] as number;
            if (cum < prev || !(Number.isInteger(next) && next >= 0 && next < m.states))
              bad.push(`${t},${s},${a},${k}`);
            prev = cum;
          }
          if (prev !== 1) bad.push(`${t},${s},${a}: ends at ${prev}`);
        }
    expect(bad).toEqual([]);
  });
});

describe('§4.2 deterministic goldens (exact DP)', () => {
  it.each([
    [{ inventoryPenalty: 0.2 }, '-55.8', [12, 7, 4, 2, 0]],
    [{ inventoryPenalty: 0.2, gamma: 0.9 }, '-52.254', [12, 8, 5, 2, 0]],
    [{}, '-36', [12, 9, 6, 3, 0]],
    [{ terminalPenalty: 2 }, '-33', [12, 10, 7, 4, 1]],
  ])('%o: V* = %s, path %o', (over, golden, path) => {
    const m = buildMdp({ variant: 'deterministic', q0: 12, horizon: 4, actions: G6, ...over });
    const sol = solve(m);
    expectGolden(sol.value, golden);
    expect(policyStats(m, sol.policy).inventory).toEqual(path);
  });
  it('φ = 0, λ_T = 2: the first sale is a tie between 2 and 3', () => {
    const m = buildMdp({ variant: 'deterministic', q0: 12, horizon: 4, actions: G6, terminalPenalty: 2 });
    expect(argmaxSet(m, solve(m), 0, 12)).toEqual([2, 3]);
  });
});

describe('§4.1 / §1.2 impact', () => {
  it('golden V*(s0) = −108, path 12, 9, 6, 3, 0', () => {
    const m = buildMdp({ variant: 'impact', q0: 12, horizon: 4, actions: G6 });
    const sol = solve(m);
    expectGolden(sol.value, '-108');
    expect(policyStats(m, sol.policy).inventory).toEqual([12, 9, 6, 3, 0]);
  });

  it('the integer TWAP formula holds on every reachable state where full liquidation is optimal', () => {
    const m = buildMdp({ variant: 'impact' });
    const sol = solve(m);
    const reach = reachable(m);
    let checked = 0;
    for (let t = 0; t < m.horizon; t++)
      for (let s = 0; s < m.states; s++) {
        if (!reach[t * m.states + s]) continue;
        const { q, j } = m.describe(s) as { q: number; j: number };
        const f = impactTwapValue({
          q,
          j,
          stepsLeft: m.horizon - t,
          eta: 1.5,
          kappa: 1,
          terminalPenalty: 10,
          maxAction: 10,
        });
        if (!f.valid) continue;
        checked++;
        const v = sol.V[t * m.states + s] as number;
        expect(Math.abs(v - f.value)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(v)));
        // selling ⌊q/τ⌋ and ⌈q/τ⌉ are both optimal
        if (q > 0) for (const a of f.sales) expect(isOptimal(m, sol, t, s, a)).toBe(true);
      }
    expect(checked).toBeGreaterThan(1000);
  });

  it.each([
    [{}, 'defaults'],
    [{ inventoryPenalty: 0.1 }, 'φ = 0.1'],
    [
      { kappa: 2, eta: 2.5, noise: { values: [-2, -1, 0, 1, 2], probs: [0.1, 0.2, 0.4, 0.2, 0.1] } },
      'κ = 2, wide noise',
    ],
  ])('identity V*_impact = qj − κq²/2 + V*_det(η̃, λ_T − κ/2) and equal argmax sets (%s)', (over, _label) => {
    const m = buildMdp({ variant: 'impact', ...over });
    const c = m.config as { kappa: number; eta: number; terminalPenalty: number; inventoryPenalty: number };
    const det = buildMdp({
      variant: 'deterministic',
      k: c.eta - c.kappa / 2,
      terminalPenalty: c.terminalPenalty - c.kappa / 2,
      inventoryPenalty: c.inventoryPenalty,
    });
    const sol = solve(m);
    const solDet = solve(det);
    const reach = reachable(m);
    for (let t = 0; t < m.horizon; t++)
      for (let s = 0; s < m.states; s++) {
        if (!reach[t * m.states + s]) continue;
        const { q, j } = m.describe(s) as { q: number; j: number };
        const v = sol.V[t * m.states + s] as number;
        const expected = q * j - (c.kappa * q * q) / 2 + (solDet.V[t * det.states + q] as number);
        expect(Math.abs(v - expected)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(v)));
        if (q > 0) expect(argmaxSet(m, sol, t, s)).toEqual(argmaxSet(det, solDet, t, q));
      }
  });
});

describe('§4.6 small DP self-tests', () => {
  it('order-type (Q0 = 8, N = 4, L = M = 4): V* = −5.7019 and the LO/MO structure', () => {
    const m = buildMdp({ variant: 'order-type', q0: 8, horizon: 4, maxSize: 4 });
    const sol = solve(m);
    expect(Math.abs(sol.value - -5.7019)).toBeLessThan(5e-5);
    const kinds = (t: number, q: number) => argmaxSet(m, sol, t, q).map((a) => m.actionKind[a]);
    for (let q = 1; q <= 8; q++) {
      for (const t of [0, 1]) expect(kinds(t, q).every((k) => k === ActionKind.Limit)).toBe(true);
      expect(kinds(2, q).every((k) => k === (q >= 6 ? ActionKind.Market : ActionKind.Limit))).toBe(true);
      expect(kinds(3, q).every((k) => k === (q >= 2 ? ActionKind.Market : ActionKind.Limit))).toBe(true);
    }
  });

  it.each([
    [0, 1, '-12', '-19.875'],
    [1, 1.5, '-30', '-31.875'],
  ])('regret (κ = %d, η = %d): V*_is = %s, V*_regret = %s, first optimal sale 2', (kappa, eta, vis, vreg) => {
    const base = {
      variant: 'impact' as const,
      q0: 6,
      horizon: 3,
      actions: G6,
      noise: { values: [-3, 0, 3], probs: [0.25, 0.5, 0.25] },
      kappa,
      eta,
    };
    for (const [reward, golden] of [
      ['is', vis],
      ['regret', vreg],
    ] as const) {
      const m = buildMdp({ ...base, reward });
      const sol = solve(m);
      expectGolden(sol.value, golden);
      expect(sol.policy[m.starts[0] as number]).toBe(2);
    }
  });
});

describe('§1.4 noisy-features', () => {
  it('minimal and full have the same V*, and π*_full ∈ A*_min for every feature value', () => {
    const mf = buildMdp({ variant: 'noisy-features', projection: 'full' });
    const mm = buildMdp({ variant: 'noisy-features', projection: 'minimal' });
    const sf = solve(mf);
    const sm = solve(mm);
    expectGolden(sf.value, '-40');
    expect(sm.value).toBe(sf.value);
    expect(mf.obsStates).toBe(12 * mm.obsStates);
    for (let t = 0; t < mf.horizon; t++)
      for (let s = 0; s < mf.states; s++) {
        const q = mf.inventory[s] as number;
        if (q === 0) continue;
        // argmax sets at (q, τ) do not depend on (f1, f2)
        expect(isOptimal(mf, sf, t, s, sf.policy[t * mf.states + s] as number)).toBe(true);
        expect(argmaxSet(mf, sf, t, s)).toEqual(argmaxSet(mf, sf, t, mf.stateOf({ q, f1: 0, f2: 0 })));
      }
  });
});
