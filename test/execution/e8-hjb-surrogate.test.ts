import { describe, expect, it } from 'vitest';
import { E8_GRID, e8 } from '../../src/execution/experiments.js';
import { expectPasses } from './experiment-support.js';

describe('E8 — HJB surrogate (every (Δt, h) of §4.5)', () => {
  it('reproduces V̂(1) to 1e-6 and the P_Δ / P / control-step bounds', async () => {
    const r = await e8();
    expectPasses(r, [/V̂\(1\) = /, /V̂ − P_Δ/, /P_Δ − P/, /grid control/]);
    expect(r.checks.filter((c) => /V̂\(1\) = /.test(c.name))).toHaveLength(E8_GRID.length);
    expect(r.headline.richardson).toBe(0.657987);
  }, 120_000);
});
