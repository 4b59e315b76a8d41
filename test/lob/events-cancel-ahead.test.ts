// Spec §5.3 2(d): a cancel at the MM's level is ahead of it with probability (r − 1)/a (a = others'
// units before the decrement): two exact branches in the enumeration; deterministic rules as options.
import { describe, expect, it } from 'vitest';
import { eventIndex } from '../../src/lob/layout.js';
import { resolveModel } from '../../src/lob/model.js';
import { book, bookEngine, ENGINES, describe as show } from './support.js';

const K = 3;
const C_PLUS_1 = eventIndex.cancelAsk(K, 1);
const start = () => book({ pb: 100, pa: 101, a: [4, 1, 1], b: [2, 2, 2], ask: { price: 101, rank: 2 } });

describe.each(ENGINES)('cancel ahead of the MM order (%s)', (engine) => {
  it('ahead: rank − 1; behind: rank kept; others − 1 either way', async () => {
    const eng = await bookEngine(engine, resolveModel('const'));
    eng.load(start());
    eng.event(C_PLUS_1, true);
    expect(show(eng.state(), K)).toMatchObject({ a: [3, 1, 1], ask: { price: 101, rank: 1 } });
    eng.load(start());
    eng.event(C_PLUS_1, false);
    expect(show(eng.state(), K)).toMatchObject({ a: [3, 1, 1], ask: { price: 101, rank: 2 } });
  });

  it('enumerates the two branches with probabilities λ_C/Λ·(r−1)/a and λ_C/Λ·(1 − (r−1)/a)', async () => {
    const eng = await bookEngine(engine, resolveModel('const'));
    eng.load(start());
    const { rates, lam } = eng.rates();
    const pC = (rates[C_PLUS_1] as number) / lam;
    expect(rates[C_PLUS_1]).toBe(0.5 * 4); // θ·a[1]
    const succ = eng.successors();
    const branch = (code: number) => succ.probs[Array.from(succ.codes).indexOf(code)];
    expect(branch(2 * C_PLUS_1 + 1)).toBeCloseTo(pC * (1 / 4), 15);
    expect(branch(2 * C_PLUS_1)).toBeCloseTo(pC * (3 / 4), 15);
  });

  it.each([
    ['behind', 2, 2 * C_PLUS_1],
    ['ahead', 1, 2 * C_PLUS_1 + 1],
  ] as const)(
    'the deterministic "%s" rule gives one branch with the whole cancel mass',
    async (rule, rank, code) => {
      const eng = await bookEngine(engine, resolveModel('const', { cancelRule: rule }));
      eng.load(start());
      const { rates, lam } = eng.rates();
      const succ = eng.successors();
      const codes = Array.from(succ.codes);
      expect(codes.filter((c) => c >> 1 === C_PLUS_1)).toEqual([code]);
      const i = codes.indexOf(code);
      expect(succ.probs[i]).toBe((rates[C_PLUS_1] as number) / lam);
      expect(show(succ.states[i] as Int32Array, K).ask).toEqual({ price: 101, rank });
    },
  );
});
