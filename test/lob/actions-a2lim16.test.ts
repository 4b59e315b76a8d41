// The A2lim-16 option (spec §2.2): per side an order at L1 and/or L2 (masks, bit 0 L1, bit 1 L2), two MM
// orders per side; L2 measured from the best quote after cancellations; ranks of kept orders preserved.
import { describe, expect, it } from 'vitest';
import { eventIndex } from '../../src/lob/layout.js';
import { resolveModel } from '../../src/lob/model.js';
import { book, bookEngine, ENGINES, describe as show } from './support.js';

const K = 3;
const M_PLUS = eventIndex.marketBuy;
const model = resolveModel('const', { boundary: 'reservoir', actions: 'A2lim16' });

describe.each(ENGINES)('A2lim-16 actions (%s)', (engine) => {
  it('L1 + L2 on one side: both placed at the back of their queues', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(book({ pb: 100, pa: 101, a: [2, 0, 4], b: [2, 2, 2] }));
    eng.action16(3, 0);
    expect(show(eng.state(), K)).toMatchObject({
      ask: { price: 101, rank: 3 },
      ask2: { price: 103, rank: 5 },
      bid: null,
    });
  });

  it('kept orders keep their ranks', async () => {
    const eng = await bookEngine(engine, model);
    const st = book({
      pb: 100,
      pa: 101,
      a: [2, 0, 4],
      b: [1, 3, 0],
      ask: { price: 103, rank: 1 },
      ask2: { price: 101, rank: 2 },
    });
    eng.load(st);
    eng.action16(3, 0);
    expect(eng.state()).toEqual(st);
  });

  it('an MM L1 order alone at the best does not push L2 one level deeper', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(book({ pb: 100, pa: 101, a: [0, 2, 3], b: [2, 2, 2], ask: { price: 101, rank: 1 } }));
    eng.action16(3, 0);
    // L2 measured from the best (101): the others' next non-empty level is 102.
    expect(show(eng.state(), K)).toMatchObject({
      ask: { price: 101, rank: 1 },
      ask2: { price: 102, rank: 3 },
    });
  });

  it('dropping L1 re-anchors first, then L2 is measured from the new best', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(book({ pb: 100, pa: 101, a: [0, 2, 3], b: [2, 2, 2], ask: { price: 101, rank: 1 } }));
    eng.action16(2, 0);
    // Cancel the lone L1 → pa = 102 (the bid frame shifts by one); L2 = 103 behind the 3 others.
    expect(show(eng.state(), K)).toMatchObject({ pa: 102, b: [0, 2, 2], ask: { price: 103, rank: 4 } });
    expect(show(eng.state(), K).ask2).toBeUndefined();
  });

  it('a market order fills whichever slot rests at the best', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(
      book({
        pb: 100,
        pa: 101,
        a: [2, 1, 1],
        b: [2, 2, 2],
        ask: { price: 102, rank: 2 },
        ask2: { price: 101, rank: 1 },
      }),
    );
    expect(eng.event(M_PLUS)).toBe(1);
    expect(show(eng.state(), K)).toMatchObject({ x: 101, y: -1, a: [2, 1, 1], ask: { price: 102, rank: 2 } });
    expect(show(eng.state(), K).ask2).toBeUndefined();
  });

  it('in reservoir state every mask is a no-op', async () => {
    const eng = await bookEngine(engine, model);
    const st = book({ pb: 100, pa: 104, a: [0, 0, 0], b: [0, 0, 0] });
    eng.load(st);
    eng.action16(3, 3);
    expect(eng.state()).toEqual(st);
  });
});
