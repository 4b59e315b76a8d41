/**
 * A whole small training run (D = 200 per set with the double estimator, by brute force and by the
 * time/state split index; the tree at D = 200 and the forest at D = 100 with the plain one) gives
 * bit-identical values Û_n and policy tables Â_n with the WASM kernels and with their TS twin, for every index kind. The horizon is
 * shortened (T = 0.2, N = 10) to keep the test fast; the code path is the full recursion.
 */
import { describe, expect, it } from 'vitest';
import { KnnKernel } from '../../src/kernels/knn.js';
import { resolveQknnConfig } from '../../src/qknn/config.js';
import { train } from '../../src/qknn/solver.js';
import { instance } from '../support/builds.js';

describe('Qknn training: kernel = twin', () => {
  const cases = [
    { index: 'brute', estimator: 'double', D: 200 },
    { index: 'split', estimator: 'double', D: 200 },
    { index: 'tree', estimator: 'plain', D: 200 },
    { index: 'forest', estimator: 'plain', D: 100 },
  ] as const;
  for (const { index, estimator, D } of cases) {
    it(`index ${index}, ${estimator} estimator, D = ${D}`, { timeout: 180_000 }, async () => {
      const c = resolveQknnConfig({ D, T: 0.2, N: 10, index, estimator, bruteMax: 100_000 });
      const kernel = new KnnKernel(await instance('release'));
      const w = train(c, { engine: 'wasm', kernel, skipCheck: true });
      const j = train(c, { engine: 'js', skipCheck: true });
      expect(w.V0).toEqual(j.V0);
      expect(w.steps.length).toBe(10);
      for (let n = 0; n < w.steps.length; n++) {
        expect(w.steps[n]?.U).toEqual(j.steps[n]?.U);
        expect(w.steps[n]?.actions).toEqual(j.steps[n]?.actions);
      }
      expect(w.timings.queries).toBeGreaterThan(1000);
    });
  }
});
