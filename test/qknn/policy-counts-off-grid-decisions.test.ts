/**
 * The stored-action policy counts its decisions taken at an inventory that step's grid does not hold
 * (the evaluation's coverage diagnostic, reported as off_grid_share). The expected count is computed
 * here independently, by scanning each step's grid point by point at every decision.
 */
import { describe, expect, it } from 'vitest';
import { evaluatePolicies } from '../../src/lob/harness.js';
import { S_Y, STATE_SLOTS } from '../../src/lob/layout.js';
import { customPolicy } from '../../src/lob/policies.js';
import { resolveQknnConfig } from '../../src/qknn/config.js';
import { loadState } from '../../src/qknn/grids.js';
import { qknnPolicy } from '../../src/qknn/policy.js';
import { train } from '../../src/qknn/solver.js';

describe('off-grid decisions of the stored-action policy', () => {
  it('equals a point-by-point count over the grids, and is neither zero nor every decision', async () => {
    // a small grid (D = 20) under a horizon long enough to build inventory it rarely visited
    const c = resolveQknnConfig({ D: 20, T: 1, estimator: 'plain' });
    const r = train(c, { skipCheck: true });
    const dec = qknnPolicy(c, r.spec, r.steps);
    const decide = dec.policy.kind === 'custom' ? dec.policy.decide : undefined;
    if (!decide) throw new Error('not a custom policy');
    const st = new Int32Array(STATE_SLOTS);
    let expected = 0;
    const counted = customPolicy('counted', (state, n, t) => {
      const g = r.grids[n];
      if (g && g.count > 0) {
        let held = false;
        for (let i = 0; i < g.count && !held; i++) held = loadState(g, i, st)[S_Y] === state[S_Y];
        if (!held) expected++;
      }
      return decide(state, n, t);
    });
    await evaluatePolicies(
      undefined,
      { model: r.model, episodes: 200, experiment: 'qknn-off-grid-test', run: 0, engine: 'js' },
      [counted],
    );
    expect(dec.stats.offGrid).toBe(expected);
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(dec.stats.decisions);
  });
});
