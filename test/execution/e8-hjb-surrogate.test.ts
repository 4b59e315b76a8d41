import { describe, expect, it } from 'vitest';
import { e8 } from '../../src/execution/experiments/index.js';
import { expectCriteria } from './experiment-support.js';
import { expectGolden } from './golden.js';

// Spec §4.5 golden table (ρ = 0.2, r = 0.5), restated here rather than imported from the code under
// test: P_Δ per Δt, and V̂(1) of the grid surrogate per (Δt, h), to the printed digits.
const SPEC_4_5 = [
  { dt: 0.2, h: 0.02, pDelta: '0.77203914', v1: '0.773658' },
  { dt: 0.1, h: 0.01, pDelta: '0.71371015', v1: '0.715299' },
  { dt: 0.1, h: 0.002, pDelta: '0.71371015', v1: '0.713787' },
  { dt: 0.05, h: 0.0025, pDelta: '0.68584880', v1: '0.686204' },
  { dt: 0.05, h: 0.001, pDelta: '0.68584880', v1: '0.685906' },
  { dt: 0.02, h: 0.0004, pDelta: '0.66955614', v1: '0.669620' },
] as const;

describe('E8 — HJB surrogate (every (Δt, h) of spec §4.5)', () => {
  it('reproduces the spec table and the P_Δ / P / control-step bounds', async () => {
    const r = await e8();
    expectCriteria(
      r,
      SPEC_4_5.flatMap(({ dt, h, v1 }) => {
        const tag = `Δt = ${dt}, h = ${h}`;
        return [
          `${tag}: V̂(1) = ${Number(v1)} to 1e-6`,
          `${tag}: 0 < V̂ − P_Δ ≤ 0.25(h/Δt)²`,
          `${tag}: 0 < P_Δ − P ≤ 0.6Δt`,
          `${tag}: grid control at x = 1 within h/Δt of −(P_Δ − Δt)/r`,
        ];
      }),
    );
    expect(r.table.map((row) => [row.dt, row.h])).toEqual(SPEC_4_5.map(({ dt, h }) => [dt, h]));
    for (const [i, spec] of SPEC_4_5.entries()) {
      const row = r.table[i] as Record<string, unknown>;
      expectGolden(row.P_delta as number, spec.pDelta, `P_Δ at Δt = ${spec.dt}`);
      expect(Math.abs((row.V_hat_1 as number) - Number(spec.v1))).toBeLessThanOrEqual(1e-6);
    }
    expectGolden(r.headline.P as number, '0.6588723439', 'P');
    expectGolden(r.headline.gain as number, '1.3177446879', 'P/r');
    expectGolden(r.headline.richardson as number, '0.657987', 'Richardson 2P_0.05 − P_0.1');
  }, 120_000);
});
