// Terminal reward g(z) = x + L(y) − η·y² (spec §1.7, §3.2): MM orders are cancelled first, which can
// move a quote and shift the opposite frame before the book is walked.
import { describe, expect, it } from 'vitest';
import { bookSettings, terminalReward } from '../../src/baseline/lob-book.js';
import { resolveModel } from '../../src/lob/model.js';
import { BUILDS } from '../support/builds.js';
import { blocksFor, book, bookEngine } from './support.js';

// The MM bid alone at 100 is the best bid; the others' best bid is 99 (2 units), then 98 (3 units).
const state = () =>
  book({ pb: 100, pa: 101, a: [2, 1, 1], b: [0, 2, 3], bid: { price: 100, rank: 1 }, x: -150, y: 3 });
// Cancel → pb = 99; sell 3: 2 at 99, 1 at 98 → L = 296; g = −150 + 296 − 0.5·9.
const EXPECTED = -150 + 2 * 99 + 98 - 0.5 * 9;
const model = resolveModel('const', { eta: 0.5 });

describe('terminal reward', () => {
  it.each(BUILDS)(
    'kernel (%s build): cancels MM orders, re-anchors, walks the book, subtracts η·y²',
    async (build) => {
      const eng = await bookEngine(build, model);
      eng.load(state());
      expect(eng.kernel?.terminalReward()).toBe(EXPECTED);
    },
  );

  it('twin: the same value', () => {
    expect(terminalReward(state(), bookSettings(blocksFor(model).cfg), false, 0.5)).toBe(EXPECTED);
  });
});
