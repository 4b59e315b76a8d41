/**
 * kNN (spec §4.6, §7): every exact mode — SIMD scan, scalar scan, JS scan, k-d tree in WASM and in TS —
 * returns the brute-force neighbours (indices and f32 distances, ties to the lowest index), on uniform
 * random data and on tie-heavy small-integer data; the approximate forest agrees with its twin.
 */
import { describe, expect, it } from 'vitest';
import { bruteKnnJs, knnForestSearchJs, knnScanJs, knnTreeSearchJs } from '../../src/baseline/knn.js';
import { KnnKernel } from '../../src/kernels/knn.js';
import { buildKdForest, buildKdTree, rowsOf } from '../../src/qknn/knn-tree.js';
import { BUILDS, instance } from '../support/builds.js';

/** Deterministic test data (a 32-bit LCG; any fixed source would do). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

interface Case {
  name: string;
  n: number;
  d: number;
  nq: number;
  draw: (u: () => number) => number;
}

const CASES: Case[] = [
  { name: 'uniform f32, d = 15', n: 1003, d: 15, nq: 157, draw: (u) => u() },
  { name: 'integers 0..2, d = 6 (many ties)', n: 998, d: 6, nq: 161, draw: (u) => Math.floor(u() * 3) },
  { name: 'integers 0..1, d = 3 (massive ties)', n: 517, d: 3, nq: 63, draw: (u) => Math.floor(u() * 2) },
];

function data(c: Case, seed: number) {
  const u = lcg(seed);
  const stride = c.n + 5; // padded columns, as the solver's blocks
  const block = new Float32Array(stride * c.d);
  for (let f = 0; f < c.d; f++) for (let i = 0; i < c.n; i++) block[f * stride + i] = c.draw(u);
  const queries = new Float32Array(c.nq * c.d);
  for (let j = 0; j < queries.length; j++) queries[j] = c.draw(u);
  return { stride, block, queries };
}

describe.each(BUILDS)('exact kNN equals brute force (%s build)', (build) => {
  for (const c of CASES) {
    it(`scans over a sub-range: ${c.name}`, async () => {
      const { stride, block, queries } = data(c, 11);
      const from = 3,
        to = c.n - 2;
      const rows = rowsOf(block, stride, from, to, c.d);
      const refI = new Int32Array(c.nq),
        refD = new Float32Array(c.nq);
      bruteKnnJs(rows, to - from, c.d, queries, c.nq, 1, refI, refD);
      const expected = Array.from(refI, (i) => i + from);
      const kernel = new KnnKernel(await instance(build));
      kernel.setBlock(block, stride, c.d);
      for (const simd of [true, false]) {
        const idx = new Int32Array(c.nq),
          dist = new Float32Array(c.nq);
        kernel.scan(from, to, queries, c.nq, idx, dist, simd);
        expect(Array.from(idx)).toEqual(expected);
        expect(dist).toEqual(refD);
      }
      const idx = new Int32Array(c.nq),
        dist = new Float32Array(c.nq);
      knnScanJs(block, stride, from, to, c.d, queries, c.nq, idx, dist, new Float32Array(to - from));
      expect(Array.from(idx)).toEqual(expected);
      expect(dist).toEqual(refD);
      if (c.name.includes('ties')) {
        // the data really is tie-heavy: most queries have several points at their minimum distance
        let tied = 0;
        for (let g = 0; g < c.nq; g++) {
          let m = 0;
          for (let i = 0; i < to - from; i++) {
            let s = 0;
            for (let f = 0; f < c.d; f++) {
              const e = (rows[i * c.d + f] as number) - (queries[g * c.d + f] as number);
              s += e * e;
            }
            if (s === refD[g]) m++;
          }
          if (m > 1) tied++;
        }
        expect(tied).toBeGreaterThan(c.nq / 2);
      }
    });

    for (const k of [1, 4]) {
      it(`k-d tree, k = ${k}: ${c.name}`, async () => {
        const { stride, block, queries } = data(c, 23);
        const rows = rowsOf(block, stride, 0, c.n, c.d);
        const refI = new Int32Array(c.nq * k),
          refD = new Float32Array(c.nq * k);
        bruteKnnJs(rows, c.n, c.d, queries, c.nq, k, refI, refD);
        const tree = buildKdTree(rows, c.n, c.d, 4);
        const kernel = new KnnKernel(await instance(build));
        kernel.setTree(tree);
        const idx = new Int32Array(c.nq * k),
          dist = new Float32Array(c.nq * k);
        const checks = kernel.treeSearch(queries, c.nq, k, idx, dist);
        expect(idx).toEqual(refI);
        expect(dist).toEqual(refD);
        const jsI = new Int32Array(c.nq * k),
          jsD = new Float32Array(c.nq * k);
        expect(knnTreeSearchJs(tree, queries, c.nq, k, jsI, jsD)).toBe(checks);
        expect(jsI).toEqual(refI);
      });
    }
  }

  it('the forest search equals its twin, index for index and in distances computed', async () => {
    const c = CASES[0] as Case;
    const { stride, block, queries } = data(c, 5);
    const rows = rowsOf(block, stride, 0, c.n, c.d);
    const forest = buildKdForest(rows, c.n, c.d, 4, 9);
    const kernel = new KnnKernel(await instance(build));
    kernel.setTree(forest);
    for (const k of [1, 3]) {
      const idx = new Int32Array(c.nq * k),
        dist = new Float32Array(c.nq * k);
      const checks = kernel.forestSearch(queries, c.nq, k, 32, idx, dist);
      const jsI = new Int32Array(c.nq * k),
        jsD = new Float32Array(c.nq * k);
      expect(knnForestSearchJs(forest, queries, c.nq, k, 32, jsI, jsD)).toBe(checks);
      expect(idx).toEqual(jsI);
      expect(dist).toEqual(jsD);
    }
  });
});
