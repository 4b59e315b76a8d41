// Spec §5.3 2(h) and §1.5: the reservoir boundary (quote at K + 1) and the refill option, with the counter.
import { describe, expect, it } from 'vitest';
import { eventIndex, S_HITS } from '../../src/lob/layout.js';
import { resolveModel } from '../../src/lob/model.js';
import { book, bookEngine, ENGINES, describe as show } from './support.js';

const K = 3;
const M_PLUS = eventIndex.marketBuy;
const M_MINUS = eventIndex.marketSell;
const L_PLUS_1 = eventIndex.limitAsk(K, 1);
const depletable = () =>
  book({
    pb: 100,
    pa: 101,
    a: [1, 0, 0],
    b: [2, 1, 1],
    ask: { price: 102, rank: 1 },
    bid: { price: 100, rank: 3 },
  });

describe.each(ENGINES)('boundary rules (%s)', (engine) => {
  it('(h) reservoir: depleting the last ask in the frame puts pa at pb + K + 1, empties both frames, cancels MM orders', async () => {
    const eng = await bookEngine(engine, resolveModel('const', { boundary: 'reservoir' }));
    // Without the MM ask (the depleted level must be the last ask in the frame).
    const st = depletable();
    st[5] = 0;
    eng.load(st);
    eng.event(M_PLUS);
    const after = eng.state();
    expect(show(after, K)).toEqual({
      pb: 100,
      pa: 104,
      x: 0,
      y: 0,
      a: [0, 0, 0],
      b: [0, 0, 0],
      ask: null,
      bid: null,
    });
    expect(after[S_HITS]).toBe(1);
    // A market order at a reservoir quote leaves the state unchanged.
    for (const e of [M_PLUS, M_MINUS]) {
      expect(eng.event(e)).toBe(0);
      expect(eng.state()).toEqual(after);
    }
    // A later L+_1 refills the bid frame with b∞ at every level.
    eng.event(L_PLUS_1);
    expect(show(eng.state(), K)).toMatchObject({ pb: 100, pa: 101, a: [1, 0, 0], b: [2, 2, 2] });
  });

  it('reservoir: an MM ask behind the depleted best survives while its price stays in the frame', async () => {
    const eng = await bookEngine(engine, resolveModel('const', { boundary: 'reservoir' }));
    eng.load(depletable());
    eng.event(M_PLUS);
    // The MM ask at 102 is now the best ask alone: pa = 102, the bid frame shifts by 1.
    expect(show(eng.state(), K)).toMatchObject({ pb: 100, pa: 102, a: [0, 0, 0], b: [0, 2, 1] });
    expect(show(eng.state(), K).ask).toEqual({ price: 102, rank: 1 });
  });

  it('refill: level K gets a∞ instead, the spread stays ≤ K, and the counter increments', async () => {
    const eng = await bookEngine(engine, resolveModel('const', { boundary: 'refill' }));
    const st = depletable();
    st[5] = 0;
    eng.load(st);
    eng.event(M_PLUS);
    const after = eng.state();
    // a[3] = a∞ = 2 at 103; pa 101 → 103 shifts b by 2: b = (0, 0, 2) and the MM bid at 100 keeps rank 3.
    expect(show(after, K)).toMatchObject({
      pb: 100,
      pa: 103,
      a: [0, 0, 2],
      b: [0, 0, 2],
      bid: { price: 100, rank: 3 },
    });
    expect(after[S_HITS]).toBe(1);
  });
});
