// Spec §5.3 2(a), 2(b): market orders on hand-made K = 3 books (refill boundary, a∞ = b∞ = 2).
import { describe, expect, it } from 'vitest';
import { eventIndex } from '../../src/lob/layout.js';
import { resolveModel } from '../../src/lob/model.js';
import { book, bookEngine, ENGINES, describe as show } from './support.js';

const M_PLUS = eventIndex.marketBuy;
const M_MINUS = eventIndex.marketSell;
const model = resolveModel('const');

describe.each(ENGINES)('market orders (%s)', (engine) => {
  it('(a) M+ fills the MM sell order at rank 1: x += pre-event pa, y −= 1, order gone, others untouched', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(
      book({ pb: 100, pa: 101, a: [2, 3, 1], b: [2, 2, 2], ask: { price: 101, rank: 1 }, x: 7, y: 0 }),
    );
    expect(eng.event(M_PLUS)).toBe(1);
    expect(show(eng.state(), 3)).toEqual({
      pb: 100,
      pa: 101,
      x: 108,
      y: -1,
      a: [2, 3, 1],
      b: [2, 2, 2],
      ask: null,
      bid: null,
    });
  });

  it('(a) M− fills the MM buy order at rank 1: x −= pb, y += 1', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(book({ pb: 100, pa: 101, a: [2, 3, 1], b: [2, 2, 2], bid: { price: 100, rank: 1 } }));
    expect(eng.event(M_MINUS)).toBe(2);
    expect(show(eng.state(), 3)).toMatchObject({ x: -100, y: 1, b: [2, 2, 2], bid: null });
  });

  it('M+ with the MM order at rank r > 1 consumes an others unit and moves the MM up', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(book({ pb: 100, pa: 101, a: [2, 3, 1], b: [2, 2, 2], ask: { price: 101, rank: 3 } }));
    expect(eng.event(M_PLUS)).toBe(0);
    expect(show(eng.state(), 3)).toMatchObject({ a: [1, 3, 1], ask: { price: 101, rank: 2 }, x: 0, y: 0 });
  });

  it('(b) M+ depleting the best ask: pa rises to the next non-empty ask, b shifts with zeros in front', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(book({ pb: 100, pa: 101, a: [1, 0, 3], b: [2, 4, 5] }));
    eng.event(M_PLUS);
    // pa 101 → 103 (d = 2): b'[j] = b[j − 2]; the deepest two levels (4 at 99, 5 at 98) are forgotten.
    expect(show(eng.state(), 3)).toMatchObject({ pb: 100, pa: 103, a: [0, 0, 3], b: [0, 0, 2] });
  });

  it('(b) M− depleting the best bid: pb falls, a shifts with zeros in front', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(book({ pb: 100, pa: 101, a: [3, 1, 2], b: [1, 2, 0] }));
    eng.event(M_MINUS);
    expect(show(eng.state(), 3)).toMatchObject({ pb: 99, pa: 101, a: [0, 3, 1], b: [0, 2, 0] });
  });
});
