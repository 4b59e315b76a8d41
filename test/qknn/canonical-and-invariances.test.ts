/**
 * Spec §5.3 tests 4 and 5. (4) In the U-representation the recursion's Q̂ does not change when every
 * price is shifted by c or cash is added, so V̂ = x + y·p_ref + Û changes by exactly c·y (resp. the cash).
 * (5) No MM ask and an MM ask at the back of the best ask queue give the same feature vector and the
 * same Q̂ for every action.
 */
import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/lob/blocks.js';
import {
  S_A,
  S_ASK_PRICE,
  S_ASK_RANK,
  S_B,
  S_BID_PRICE,
  S_BID_RANK,
  S_PA,
  S_PB,
  S_X,
  S_Y,
} from '../../src/lob/layout.js';
import { qknnModel, resolveQknnConfig } from '../../src/qknn/config.js';
import { featureSpec, featurize } from '../../src/qknn/features.js';
import { lastStepQ } from '../../src/qknn/solver.js';

const c = resolveQknnConfig({});
const model = qknnModel(c);

/** A hand-made R-const state: spread 1, a = (3, 1, 2), b = (2, 4, 1), MM bid at rank 2, long 2. */
function state(): Int32Array {
  const st = initialState(model);
  st[S_A] = 3;
  st[S_A + 1] = 1;
  st[S_A + 2] = 2;
  st[S_B] = 2;
  st[S_B + 1] = 4;
  st[S_B + 2] = 1;
  st[S_BID_PRICE] = st[S_PB] as number;
  st[S_BID_RANK] = 2;
  st[S_X] = -199;
  st[S_Y] = 2;
  return st;
}

describe('U-representation invariances (§5.3 test 4)', () => {
  it('shifting all prices by c leaves Q̂ unchanged, so V̂ moves by c·y', () => {
    const st = state();
    const q = lastStepQ(c, st, 0.6);
    const shifted = st.slice();
    for (const slot of [S_PB, S_PA, S_BID_PRICE, S_ASK_PRICE]) shifted[slot] = (shifted[slot] as number) + 37;
    expect(lastStepQ(c, shifted, 0.6)).toEqual(q);
  });

  it('adding cash leaves Q̂ unchanged', () => {
    const st = state();
    const more = st.slice();
    more[S_X] = (more[S_X] as number) + 1000;
    expect(lastStepQ(c, more, 0.25)).toEqual(lastStepQ(c, st, 0.25));
  });
});

describe('canonicalisation (§5.3 test 5)', () => {
  it('no MM ask ≡ an MM ask at the back of the best ask queue: same features, same Q̂', () => {
    const absent = state();
    const atBack = absent.slice();
    const s = (atBack[S_PA] as number) - (atBack[S_PB] as number);
    atBack[S_ASK_PRICE] = atBack[S_PA] as number;
    atBack[S_ASK_RANK] = (atBack[S_A + s - 1] as number) + 1;
    const spec = featureSpec(model.K, model.T, true, model.aInf, model.bInf, 1);
    const fa = new Float64Array(spec.d),
      fb = new Float64Array(spec.d);
    featurize(spec, absent, 0.4, fa, 0);
    featurize(spec, atBack, 0.4, fb, 0);
    expect(fb).toEqual(fa);
    const qa = lastStepQ(c, absent, 0.4);
    const qb = lastStepQ(c, atBack, 0.4);
    for (let a = 0; a < qa.length; a++) expect(qb[a]).toBeCloseTo(qa[a] as number, 12);
    // without canonicalisation the presence bit tells them apart
    const raw = featureSpec(model.K, model.T, false, model.aInf, model.bInf, 1);
    const ra = new Float64Array(raw.d),
      rb = new Float64Array(raw.d);
    featurize(raw, absent, 0.4, ra, 0);
    featurize(raw, atBack, 0.4, rb, 0);
    expect(rb).not.toEqual(ra);
  });
});
