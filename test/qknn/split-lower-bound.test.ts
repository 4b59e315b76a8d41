/**
 * The split index prunes classes on their state distance summed in f32 (four classes per SIMD vector)
 * times splitLower(ds). That product must never exceed the exact distance, or a class holding the true
 * nearest neighbour could be skipped; and it should stay within twice the margin below it (the margin
 * is not so loose that pruning weakens). Exact reference: the f64 sum of the f64 differences of the f32
 * features (each difference and square exact or within 2⁻⁵³, far below the 2⁻²³-scale margin).
 * Data: uniform, integer-valued with cancellation-prone offsets, and wide-magnitude features, ds 1–40.
 * The kernel's factor is the twin's, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { splitLower } from '../../src/baseline/knn-split.js';
import { BUILDS, instance } from '../support/builds.js';

const f32 = Math.fround;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** The kernel's lane sum: f32 differences, squares and running sum, features in order. */
function laneSum(q: Float32Array, c: Float32Array): number {
  let acc = 0;
  for (let f = 0; f < q.length; f++) {
    const e = f32((q[f] as number) - (c[f] as number));
    acc = f32(acc + f32(e * e));
  }
  return acc;
}

function exact(q: Float32Array, c: Float32Array): number {
  let s = 0;
  for (let f = 0; f < q.length; f++) {
    const e = (q[f] as number) - (c[f] as number);
    s += e * e;
  }
  return s;
}

const draws: Record<string, (u: () => number) => number> = {
  uniform: (u) => u() * 2 - 1,
  'integers scaled by 1/sd near a large offset': (u) => 1000 / 3 + Math.floor(u() * 7) / 2.7,
  'magnitudes over twelve decades': (u) => (u() - 0.5) * 10 ** Math.floor(u() * 12 - 6),
};

describe('split index: the f32 state distance times splitLower is a lower bound', () => {
  for (const [name, draw] of Object.entries(draws)) {
    it(name, () => {
      const u = lcg(17);
      let worst = 0; // largest (exact − bound)/exact / margin seen
      for (let ds = 1; ds <= 40; ds++) {
        const lower = splitLower(ds);
        const q = new Float32Array(ds),
          c = new Float32Array(ds);
        for (let trial = 0; trial < 2000; trial++) {
          for (let f = 0; f < ds; f++) {
            q[f] = draw(u);
            // half the pairs share most features (small distances from a few differing ones)
            c[f] = trial % 2 === 0 && u() < 0.8 ? (q[f] as number) : draw(u);
          }
          const ex = exact(q, c);
          const bound = laneSum(q, c) * lower;
          expect(bound).toBeLessThanOrEqual(ex);
          if (ex > 0) worst = Math.max(worst, (ex - bound) / ex / (1 - lower));
        }
      }
      expect(worst).toBeLessThanOrEqual(2);
    });
  }
});

describe.each(BUILDS)('split index: the kernel (%s) uses the same factor', (build) => {
  it('splitLower(ds) equal for ds 1–40', async () => {
    const k = await instance(build);
    const lowerOf = k.exports.splitLower as (ds: number) => number;
    for (let ds = 1; ds <= 40; ds++) expect(lowerOf(ds)).toBe(splitLower(ds));
  });
});
