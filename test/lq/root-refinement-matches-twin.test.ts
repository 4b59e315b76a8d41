import { describe, expect, it } from 'vitest';
import { realRoots } from '../../src/baseline/poly.js';
import { lqExports } from '../../src/kernels/lq.js';
import { BUILDS, instance } from '../support/builds.js';

// The WASM root finder restructures the refinement loop for speed (a bisection run is stepped without
// waiting for each p(x)); it must still return the TS twin's bits. Random quartics from a fixed seed,
// solved from scratch (no hints, so refinements start at bracket midpoints and run long bisections):
// coefficients of mixed sign and scale as the plug-in estimator produces, and products of known roots,
// some clustered. Only bit equality with the twin is asserted; accuracy is quartic-real-roots' job.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function quartics(count: number, seed: number): number[][] {
  const u = mulberry32(seed);
  const out: number[][] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      const scale = 10 ** (8 * u() - 2);
      out.push(Array.from({ length: 5 }, () => (2 * u() - 1) * scale));
    } else {
      // (t − r1)(t − r2)(t − r3)(t − r4), constant first; r3 and r4 close together half the time
      const r = [10 * u() - 5, 10 * u() - 5, 10 * u() - 5];
      r.push(i % 4 === 1 ? (r[2] as number) + 1e-3 * u() : 10 * u() - 5);
      let c = [1e3 * (u() + 0.1)];
      for (const x of r) c = c.map((v, j) => (c[j - 1] ?? 0) - x * v).concat(c[c.length - 1] as number);
      out.push(c);
    }
  }
  return out;
}

describe.each(BUILDS)('root refinement (%s build)', (build) => {
  it('gives the TS twin’s roots, bit for bit, on 400 random quartics', async () => {
    const k = await instance(build);
    const c = k.allocF64(5),
      out = k.allocF64(4),
      scratch = k.exports.alloc(k.constant('MB_SCRATCH_BYTES'));
    let roots = 0;
    for (const coef of quartics(400, 14)) {
      k.f64(c, 5).set(coef);
      const n = lqExports(k).quarticRealRoots(c, out, scratch);
      expect(Array.from(k.f64(out, n))).toEqual(realRoots(coef, 4));
      roots += n;
    }
    expect(roots).toBeGreaterThan(400); // the cases do have roots to refine
  });
});
