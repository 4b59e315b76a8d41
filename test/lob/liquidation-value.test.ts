// Spec §5.3 3: L(y) by walking the others' book (K = 3, a∞ = b∞ = 2), and the walk_plus_one_tick option.
import { describe, expect, it } from 'vitest';
import { resolveModel } from '../../src/lob/model.js';
import { book, bookEngine, ENGINES } from './support.js';

// pb = 100, pa = 102: 3 units at 102, 5 at 103 (ask frame from pb); 4 at 100, 1 at 99 (bid frame from pa).
const spec = () => book({ pb: 100, pa: 102, a: [0, 3, 5], b: [0, 4, 1] });
const EXPECTED: [number, number][] = [
  [0, 0],
  [1, 100],
  [4, 400],
  [10, 4 * 100 + 99 + 2 * 98 + 2 * 97 + 96],
  [-1, -102],
  [-4, -(3 * 102 + 103)],
  [-10, -(3 * 102 + 5 * 103 + 2 * 104)],
];

describe.each(ENGINES)('liquidation value L(y) (%s)', (engine) => {
  it.each(EXPECTED)('walk: L(%i) = %i', async (y, value) => {
    const eng = await bookEngine(engine, resolveModel('const'));
    eng.load(spec());
    expect(eng.liquidation(y)).toBe(value);
  });

  it('walk_plus_one_tick prices every unit one tick worse: L(y) − |y|', async () => {
    const eng = await bookEngine(engine, resolveModel('const', { liquidation: 'walk_plus_one_tick' }));
    eng.load(spec());
    for (const [y, value] of EXPECTED) expect(eng.liquidation(y)).toBe(value - Math.abs(y));
  });

  it('in reservoir state the walk starts on the reservoir at the quotes', async () => {
    const eng = await bookEngine(engine, resolveModel('const', { boundary: 'reservoir' }));
    eng.load(book({ pb: 100, pa: 104, a: [0, 0, 0], b: [0, 0, 0] }));
    expect(eng.liquidation(3)).toBe(2 * 100 + 99);
    expect(eng.liquidation(-3)).toBe(-(2 * 104 + 105));
  });
});
