/**
 * The one-step look-ahead of forward evaluation (spec §4.8): at a training-grid state it recomputes
 * exactly the Q̂_n of the backward step, so with the plain estimator it must choose the stored action
 * Â_n at every grid point of every step (same enumeration, same projection, same tie rule). Off the
 * grid it needs no fallback: it plays through the harness on episodes that leave the grids.
 */
import { describe, expect, it } from 'vitest';
import { evaluatePolicies } from '../../src/lob/harness.js';
import { STATE_SLOTS } from '../../src/lob/layout.js';
import { actionLabels, resolveQknnConfig } from '../../src/qknn/config.js';
import { loadState } from '../../src/qknn/grids.js';
import { qknnLookAheadPolicy } from '../../src/qknn/policy.js';
import { train } from '../../src/qknn/solver.js';

describe('one-step look-ahead', () => {
  const c = resolveQknnConfig({ D: 30, T: 0.3, N: 12, estimator: 'plain' });
  const r = train(c, { skipCheck: true });
  const dec = qknnLookAheadPolicy(c, r.spec, r.steps);

  it('chooses the stored action Â_n at every grid point (plain estimator)', () => {
    const decide = dec.policy.kind === 'custom' ? dec.policy.decide : undefined;
    if (!decide) throw new Error('not a custom policy');
    let points = 0;
    for (let n = 0; n < r.steps.length; n++) {
      const g = r.grids[n];
      const s = r.steps[n];
      if (!g || !s) continue;
      for (let i = 0; i < g.count; i++) {
        const st = loadState(g, i, new Int32Array(STATE_SLOTS));
        expect(decide(st, n, g.times[i] as number)).toEqual(actionLabels(c.actions, s.actions[i] as number));
        points++;
      }
    }
    expect(points).toBeGreaterThan(100);
  });

  it('plays whole evaluation episodes without falling back', async () => {
    const { summaries } = await evaluatePolicies(
      undefined,
      { model: r.model, episodes: 50, experiment: 'qknn-look-ahead-test', run: 0, engine: 'js' },
      [dec.policy],
    );
    expect(summaries[0]?.episodes).toBe(50);
    expect(Number.isFinite(summaries[0]?.mean)).toBe(true);
    expect(dec.stats.fallbacks).toBe(0);
  });
});
