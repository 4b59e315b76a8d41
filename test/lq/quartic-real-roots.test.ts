import { describe, expect, it } from 'vitest';
import { realRoots } from '../../src/baseline/poly.js';
import { lqExports } from '../../src/kernels/lq.js';
import { BUILDS, instance } from '../support/builds.js';

// The arithmetic-only root finder: quartics with known real roots (distinct, clustered, with complex
// pairs, negative leading coefficient, large scale) give every real root to 1e-9 relative (the clustered
// case is ill-conditioned: |p′| ≈ 1e-4 at its roots), and the WASM finder returns the TS twin's bits.
const poly = (lead: number, factors: number[][]): number[] =>
  factors.reduce(
    (c, f) => {
      const out = new Array(c.length + f.length - 1).fill(0);
      for (const [i, a] of c.entries()) for (const [j, b] of f.entries()) out[i + j] += a * b;
      return out;
    },
    [lead],
  );
const root = (r: number) => [-r, 1]; // t − r, constant first
const pair = (p: number, q: number) => [q, p, 1]; // t² + p·t + q with p² < 4q

const CASES: [string, number[], number[]][] = [
  ['four distinct roots', poly(2, [root(-3.5), root(-0.25), root(1), root(7)]), [-3.5, -0.25, 1, 7]],
  ['clustered roots', poly(-1, [root(0.999), root(1.001), root(1.002), root(40)]), [0.999, 1.001, 1.002, 40]],
  ['two real roots and a complex pair', poly(0.3, [root(-2), root(5), pair(1, 4)]), [-2, 5]],
  ['two complex pairs', poly(1, [pair(0, 1), pair(1, 2)]), []],
  ['large scale', poly(3.5e6, [root(-0.7), root(1.07), root(2.2), root(18.5)]), [-0.7, 1.07, 2.2, 18.5]],
];

describe('quartic real roots', () => {
  it.each(CASES)('TS: %s', (_, coef, want) => {
    const got = realRoots(coef, 4);
    expect(got.length).toBe(want.length);
    got.forEach((r, i) => {
      const w = want[i] as number;
      expect(Math.abs(r - w)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(w)));
    });
  });

  it('TS: a quadratic with no real root yields none', () => {
    expect(realRoots([1, 0, 1], 2)).toEqual([]);
  });
});

describe.each(BUILDS)('quartic real roots in WASM (%s build)', (build) => {
  it.each(CASES)('%s: same roots as the TS twin', async (_, coef) => {
    const k = await instance(build);
    const c = k.allocF64(5),
      out = k.allocF64(4),
      scratch = k.exports.alloc(k.constant('MB_SCRATCH_BYTES'));
    k.f64(c, 5).set(coef);
    const n = lqExports(k).quarticRealRoots(c, out, scratch);
    expect(Array.from(k.f64(out, n))).toEqual(realRoots(coef, 4));
  });
});
