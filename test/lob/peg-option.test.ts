// Option peg (spec §1.4, the authors' behaviour): when others improve the quote, the MM's order at the
// former best moves to the new best at rank 2 and an order behind it to the back of the former best.
// Without peg (default) orders keep their price and priority (true FIFO).
import { describe, expect, it } from 'vitest';
import { eventIndex } from '../../src/lob/layout.js';
import { resolveModel } from '../../src/lob/model.js';
import { book, bookEngine, ENGINES, describe as show } from './support.js';

const K = 3;
const L_PLUS_1 = eventIndex.limitAsk(K, 1);
const L_MINUS_1 = eventIndex.limitBid(K, 1);
const spread2 = () =>
  book({
    pb: 100,
    pa: 102,
    a: [0, 3, 5],
    b: [0, 4, 1],
    ask: { price: 102, rank: 1 },
    bid: { price: 100, rank: 5 },
  });

describe.each(ENGINES)('pegging (%s)', (engine) => {
  it('default: an improved-upon MM order stays at its price with its rank', async () => {
    const eng = await bookEngine(engine, resolveModel('const', { boundary: 'reservoir' }));
    eng.load(spread2());
    eng.event(L_PLUS_1);
    expect(show(eng.state(), K)).toMatchObject({ pa: 101, ask: { price: 102, rank: 1 } });
  });

  it('peg: the former L1 sell order moves to the new best ask at rank 2', async () => {
    const eng = await bookEngine(engine, resolveModel('const', { boundary: 'reservoir', peg: true }));
    eng.load(spread2());
    eng.event(L_PLUS_1);
    expect(show(eng.state(), K)).toMatchObject({ pa: 101, a: [1, 3, 5], ask: { price: 101, rank: 2 } });
    eng.load(spread2());
    eng.event(L_MINUS_1);
    expect(show(eng.state(), K)).toMatchObject({ pb: 101, b: [1, 4, 1], bid: { price: 101, rank: 2 } });
  });

  it('peg (A2lim-16): an order behind the former best moves to the back of the former best queue', async () => {
    const eng = await bookEngine(
      engine,
      resolveModel('const', { boundary: 'reservoir', peg: true, actions: 'A2lim16' }),
    );
    eng.load(
      book({
        pb: 100,
        pa: 102,
        a: [0, 3, 5],
        b: [0, 4, 1],
        ask: { price: 102, rank: 2 },
        ask2: { price: 103, rank: 6 },
      }),
    );
    eng.event(L_PLUS_1);
    expect(show(eng.state(), K)).toMatchObject({
      pa: 101,
      ask: { price: 101, rank: 2 },
      ask2: { price: 102, rank: 4 },
    });
  });
});
