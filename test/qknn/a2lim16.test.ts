/**
 * The A2lim16 action class in the Qknn solver (spec §2.2, §4.6): 16 actions (a mask per side), feature
 * dimension 21 for K = 3 (17 when canonicalised, the four presence bits dropped), canonical slots
 * (an absent L1 or L2 order reads as an order at the back of that queue, with identical Q̂ for every
 * action), and agreement with A1lim where the two classes place the same orders.
 */
import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/lob/blocks.js';
import {
  S_A,
  S_ASK_PRICE,
  S_ASK_RANK,
  S_ASK2_PRICE,
  S_ASK2_RANK,
  S_B,
  S_BID_PRICE,
  S_BID_RANK,
  S_PA,
  S_PB,
  S_X,
  S_Y,
} from '../../src/lob/layout.js';
import { action11, actionCount, actionLabels, qknnModel, resolveQknnConfig } from '../../src/qknn/config.js';
import { featurize, qknnFeatureSpec } from '../../src/qknn/features.js';
import { lastStepQ } from '../../src/qknn/solver.js';

const c16 = resolveQknnConfig({ actions: 'A2lim16' });
const c1 = resolveQknnConfig({ actions: 'A1lim' });
const model = qknnModel(c16);

/** R-const state: spread 1, a = (3, 1, 2), b = (2, 4, 1), an MM bid at rank 2 at the best bid, long 2. */
function state(): Int32Array {
  const st = initialState(model);
  [3, 1, 2].forEach((q, i) => {
    st[S_A + i] = q;
  });
  [2, 4, 1].forEach((q, i) => {
    st[S_B + i] = q;
  });
  st[S_BID_PRICE] = st[S_PB] as number;
  st[S_BID_RANK] = 2;
  st[S_X] = -199;
  st[S_Y] = 2;
  return st;
}

function features(canonical: boolean, st: Int32Array): Float64Array {
  const spec = qknnFeatureSpec({ ...c16, canonical }, model);
  const f = new Float64Array(spec.d);
  featurize(spec, st, 0.4, f, 0);
  return f;
}

describe('A2lim16 in the Qknn solver', () => {
  it('16 actions, masks per side, 11 = one order at each best', () => {
    expect(actionCount(c16)).toBe(16);
    const pairs = new Set(Array.from({ length: 16 }, (_, a) => actionLabels('A2lim16', a).join(',')));
    expect(pairs.size).toBe(16);
    expect(actionLabels('A2lim16', action11('A2lim16'))).toEqual([1, 1]);
  });

  it('feature dimension 21 for K = 3 (spec §4.6), 17 canonicalised', () => {
    expect(qknnFeatureSpec({ ...c16, canonical: false }, model).d).toBe(21);
    expect(qknnFeatureSpec(c16, model).d).toBe(17);
  });

  it('absent L1 ≡ an order at the back of the best queue; absent L2 ≡ the back of the L2 queue', () => {
    const absent = state();
    const withL1 = absent.slice();
    withL1[S_ASK_PRICE] = withL1[S_PA] as number;
    withL1[S_ASK_RANK] = (withL1[S_A] as number) + 1;
    const withBoth = withL1.slice();
    // L2: the others' next non-empty ask level behind the best, level 2 (one unit there)
    withBoth[S_ASK2_PRICE] = (withBoth[S_PB] as number) + 2;
    withBoth[S_ASK2_RANK] = (withBoth[S_A + 1] as number) + 1;
    const q = lastStepQ(c16, absent, 0.4);
    expect(q).toHaveLength(16);
    for (const other of [withL1, withBoth]) {
      expect(features(true, other)).toEqual(features(true, absent));
      expect(features(false, other)).not.toEqual(features(false, absent));
      const qo = lastStepQ(c16, other, 0.4);
      for (let a = 0; a < 16; a++) expect(qo[a]).toBeCloseTo(q[a] as number, 12);
    }
  });

  it('where both classes place the same orders, A2lim16 and A1lim give the same Q̂', () => {
    const st = state();
    const q16 = lastStepQ(c16, st, 0.4);
    const q1 = lastStepQ(c1, st, 0.4);
    // A1lim a = 2·ask + bid; A2lim16 a = 4·askMask + bidMask with L1 = bit 0
    for (const [ask, bid] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ] as const)
      expect(q16[4 * ask + bid]).toBe(q1[2 * ask + bid]);
  });
});
