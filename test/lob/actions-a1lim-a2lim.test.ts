// Spec §2.2: A1lim / A2lim labels applied as cancel → reanchor → place, keeping the ranks of kept orders.
import { describe, expect, it } from 'vitest';
import { resolveModel } from '../../src/lob/model.js';
import { book, bookEngine, ENGINES, describe as show } from './support.js';

const K = 3;
const model = resolveModel('const', { boundary: 'reservoir' });

describe.each(ENGINES)('market-maker actions (%s)', (engine) => {
  it('L1 joins the back of the best queue (rank = total + 1) and keeps an order already at the best', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(book({ pb: 100, pa: 101, a: [3, 1, 1], b: [2, 2, 2], bid: { price: 100, rank: 1 } }));
    eng.action(1, 1);
    expect(show(eng.state(), K)).toMatchObject({
      ask: { price: 101, rank: 4 },
      bid: { price: 100, rank: 1 },
    });
  });

  it('label 0 cancels; cancelling a lone MM quote re-anchors before placing the other side', async () => {
    const eng = await bookEngine(engine, model);
    // The MM bid alone at 100 defines pb; others' best bid is 99 (bid level 2 from pa = 101).
    eng.load(book({ pb: 100, pa: 101, a: [2, 1, 1], b: [0, 3, 1], bid: { price: 100, rank: 1 } }));
    eng.action(1, 0);
    // pb falls to 99: the ask frame shifts (a' = (0, 2, 1)) and the MM ask is placed at the unchanged pa.
    expect(show(eng.state(), K)).toEqual({
      pb: 99,
      pa: 101,
      x: 0,
      y: 0,
      a: [0, 2, 1],
      b: [0, 3, 1],
      ask: { price: 101, rank: 3 },
      bid: null,
    });
  });

  it('A1lim: an order stranded behind an improved quote is cancelled and re-placed at the best', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(book({ pb: 100, pa: 101, a: [1, 2, 1], b: [2, 2, 2], ask: { price: 102, rank: 2 } }));
    eng.action(1, 0);
    expect(show(eng.state(), K)).toMatchObject({ a: [1, 2, 1], ask: { price: 101, rank: 2 } });
  });

  it('A2lim L2: placed at the others second non-empty level (not necessarily one tick behind)', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(book({ pb: 100, pa: 101, a: [2, 0, 4], b: [1, 3, 0] }));
    eng.action(2, 2);
    expect(show(eng.state(), K)).toMatchObject({ ask: { price: 103, rank: 5 }, bid: { price: 99, rank: 4 } });
  });

  it('A2lim L2: keeps an order between the others best and L2 with its rank; L1 then moves it', async () => {
    const eng = await bookEngine(engine, model);
    const st = book({ pb: 100, pa: 101, a: [2, 0, 4], b: [2, 2, 2], ask: { price: 102, rank: 1 } });
    eng.load(st);
    eng.action(2, 0);
    expect(show(eng.state(), K).ask).toEqual({ price: 102, rank: 1 });
    eng.load(st);
    eng.action(1, 0);
    expect(show(eng.state(), K).ask).toEqual({ price: 101, rank: 3 });
  });

  it('A2lim L2 with no second level: an order at the best is cancelled and nothing is placed', async () => {
    const eng = await bookEngine(engine, model);
    eng.load(book({ pb: 100, pa: 101, a: [2, 0, 0], b: [2, 2, 2], ask: { price: 101, rank: 1 } }));
    eng.action(2, 0);
    expect(show(eng.state(), K).ask).toBeNull();
  });

  it('in reservoir state every label is a no-op', async () => {
    const eng = await bookEngine(engine, model);
    const st = book({ pb: 100, pa: 104, a: [0, 0, 0], b: [0, 0, 0] });
    for (const [a, b] of [
      [1, 1],
      [2, 2],
      [1, 2],
    ] as const) {
      eng.load(st);
      eng.action(a, b);
      expect(eng.state()).toEqual(st);
    }
  });
  it('A2lim L2 with l2 = one_tick: one tick behind the others best, kept there, re-placed from deeper', async () => {
    const eng = await bookEngine(engine, resolveModel('const', { boundary: 'reservoir', l2: 'one_tick' }));
    eng.load(book({ pb: 100, pa: 101, a: [2, 0, 4], b: [1, 3, 0] }));
    eng.action(2, 2);
    expect(show(eng.state(), K)).toMatchObject({ ask: { price: 102, rank: 1 }, bid: { price: 99, rank: 4 } });
    eng.load(book({ pb: 100, pa: 101, a: [2, 0, 4], b: [2, 2, 2], ask: { price: 103, rank: 2 } }));
    eng.action(2, 0);
    expect(show(eng.state(), K).ask).toEqual({ price: 102, rank: 1 });
  });
});
