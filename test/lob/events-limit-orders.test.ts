// Spec §5.3 2(c): a limit order inside the spread moves the quote and re-indexes the other frame.
import { describe, expect, it } from 'vitest';
import { eventIndex } from '../../src/lob/layout.js';
import { resolveModel } from '../../src/lob/model.js';
import { book, bookEngine, ENGINES, describe as show } from './support.js';

const K = 3;
const L_PLUS = (i: number) => eventIndex.limitAsk(K, i);
const L_MINUS = (j: number) => eventIndex.limitBid(K, j);
const model = resolveModel('const'); // a∞ = b∞ = 2

describe.each(ENGINES)('limit orders (%s)', (engine) => {
  it('(c) L+_1 with spread 2: pa falls by 1, b shifts toward the front, b∞ enters at level K', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(book({ pb: 100, pa: 102, a: [0, 3, 5], b: [0, 4, 1] }));
    eng.event(L_PLUS(1));
    expect(show(eng.state(), K)).toMatchObject({ pb: 100, pa: 101, a: [1, 3, 5], b: [4, 1, 2] });
  });

  it('L−_1 with spread 2: pb rises by 1, a shifts toward the front, a∞ enters at level K', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(book({ pb: 100, pa: 102, a: [0, 3, 5], b: [0, 4, 1] }));
    eng.event(L_MINUS(1));
    expect(show(eng.state(), K)).toMatchObject({ pb: 101, pa: 102, a: [3, 5, 2], b: [1, 4, 1] });
  });

  it('an insertion joins the back: the MM order at that price keeps its rank', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(book({ pb: 100, pa: 101, a: [2, 1, 1], b: [2, 2, 2], ask: { price: 101, rank: 2 } }));
    eng.event(L_PLUS(1));
    expect(show(eng.state(), K)).toMatchObject({ a: [3, 1, 1], ask: { price: 101, rank: 2 } });
  });
});
