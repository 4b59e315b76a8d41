// Spec §5.3 sanity: with symmetric intensities, "11" fills as often on the bid as on the ask and its
// terminal inventory is centred at 0 — both within 3 standard errors over 10,000 episodes. (Its P&L
// histogram need not be symmetric, so that is not asserted.)
import { describe, expect, it } from 'vitest';
import { evaluatePolicies } from '../../src/lob/harness.js';
import { resolveModel } from '../../src/lob/model.js';
import { builtinPolicy } from '../../src/lob/policies.js';

describe('"11" under symmetric intensities', () => {
  it.each(['const', 'hlr-dev'])('%s: fills per side and mean y_T agree within 3 SE', async (regime) => {
    const plan = {
      model: resolveModel(regime),
      episodes: 10_000,
      experiment: 'test/lob/symmetry',
      run: 0,
      engine: 'wasm' as const,
    };
    const { summaries } = await evaluatePolicies(undefined, plan, [builtinPolicy('11')]);
    const s = summaries[0];
    if (!s) throw new Error('no summary');
    expect(s.fillsAsk).toBeGreaterThan(0.1); // the test has power: "11" actually trades
    expect(Math.abs(s.fillsAsk - s.fillsBid)).toBeLessThan(3 * s.seFillDifference);
    expect(Math.abs(s.meanInventory)).toBeLessThan(3 * s.seInventory);
  });
});
