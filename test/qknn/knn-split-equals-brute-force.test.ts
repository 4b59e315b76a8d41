/**
 * The time/state split index (src/qknn/knn-split.ts) is exact: on grid-like data (feature 0 a
 * continuous or coarse time, the others small integers, so that classes of equal state hold many
 * times and ties are frequent) and on uniform data, for k = 1 and k = 4, its neighbours and f32
 * distances equal exhaustive search, ties to the lowest index. Queries come in groups sharing their
 * state features (as the L waiting-time points of one successor) and singly. The WASM kernel
 * (both builds) returns the same as its TS twin.
 */
import { describe, expect, it } from 'vitest';
import { bruteKnnJs } from '../../src/baseline/knn.js';
import { splitSearch } from '../../src/baseline/knn-split.js';
import { KnnKernel } from '../../src/kernels/knn.js';
import { buildSplitIndex } from '../../src/qknn/knn-split.js';
import { BUILDS, instance } from '../support/builds.js';

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
  /** Feature f of a point or query. */
  draw: (u: () => number, f: number) => number;
}

const CASES: Case[] = [
  {
    name: 'continuous time, integer states 0..2 (d = 6)',
    n: 1500,
    d: 6,
    draw: (u, f) => (f === 0 ? u() : Math.floor(u() * 3)),
  },
  {
    name: 'coarse time (10 values), integer states 0..1 (d = 5; massive ties)',
    n: 900,
    d: 5,
    draw: (u, f) => (f === 0 ? Math.floor(u() * 10) / 10 : Math.floor(u() * 2)),
  },
  { name: 'uniform (d = 15; classes of one point)', n: 700, d: 15, draw: (u) => u() },
];

function data(c: Case, seed: number, groups: number, L: number) {
  const u = lcg(seed);
  const rows = new Float32Array(c.n * c.d);
  for (let i = 0; i < c.n; i++) for (let f = 0; f < c.d; f++) rows[i * c.d + f] = c.draw(u, f);
  const nq = groups * L;
  const queries = new Float32Array(nq * c.d);
  for (let g = 0; g < groups; g++) {
    for (let f = 1; f < c.d; f++) {
      const v = c.draw(u, f);
      for (let l = 0; l < L; l++) queries[(g * L + l) * c.d + f] = v;
    }
    for (let l = 0; l < L; l++) queries[(g * L + l) * c.d] = c.draw(u, 0);
  }
  return { rows, queries, nq };
}

describe('split index equals brute force', () => {
  for (const c of CASES) {
    for (const k of [1, 4]) {
      for (const L of [1, 8]) {
        it(`${c.name}, k = ${k}, groups of ${L}`, async () => {
          const { rows, queries, nq } = data(c, 7 + k + L, 40, L);
          const refI = new Int32Array(nq * k),
            refD = new Float32Array(nq * k);
          bruteKnnJs(rows, c.n, c.d, queries, nq, k, refI, refD);
          const ix = buildSplitIndex(rows, c.n, c.d);
          const idx = new Int32Array(nq * k),
            dist = new Float32Array(nq * k);
          const checks = splitSearch(ix, queries, nq, k, idx, dist);
          expect(Array.from(idx)).toEqual(Array.from(refI));
          expect(dist).toEqual(refD);
          for (const build of BUILDS) {
            const kernel = new KnnKernel(await instance(build));
            kernel.setSplit(ix);
            const wi = new Int32Array(nq * k),
              wd = new Float32Array(nq * k);
            expect(kernel.splitSearch(queries, nq, k, wi, wd)).toBe(checks);
            expect(Array.from(wi)).toEqual(Array.from(refI));
            expect(wd).toEqual(refD);
          }
        });
      }
    }
  }

  it('the tie-heavy case really has ties at the minimum', () => {
    const c = CASES[1] as Case;
    const { rows, queries, nq } = data(c, 3, 40, 8);
    let tied = 0;
    for (let g = 0; g < nq; g++) {
      const ds: number[] = [];
      for (let i = 0; i < c.n; i++) {
        let s = 0;
        for (let f = 0; f < c.d; f++) {
          const e = (rows[i * c.d + f] as number) - (queries[g * c.d + f] as number);
          s += e * e;
        }
        ds.push(s);
      }
      const m = Math.min(...ds);
      if (ds.filter((v) => v === m).length > 1) tied++;
    }
    expect(tied).toBeGreaterThan(nq / 2);
  });
});

describe('split index with warm candidate lists equals brute force', () => {
  // Successor states recur: later calls search the same states at new times, so groups read the lists
  // cached by earlier ones, run past them (larger bounds) and extend them by a walk.
  for (const c of CASES.slice(0, 2)) {
    for (const k of [1, 4]) {
      it(`${c.name}, k = ${k}: five calls over 12 recurring states`, async () => {
        const u = lcg(41 + k);
        const rows = new Float32Array(c.n * c.d);
        for (let i = 0; i < c.n; i++) for (let f = 0; f < c.d; f++) rows[i * c.d + f] = c.draw(u, f);
        const states = Array.from({ length: 12 }, () => Array.from({ length: c.d }, (_, f) => c.draw(u, f)));
        const ix = buildSplitIndex(rows, c.n, c.d);
        const kernels = await Promise.all(BUILDS.map(async (b) => new KnnKernel(await instance(b))));
        for (const kernel of kernels) kernel.setSplit(ix);
        const L = 8;
        for (let call = 0; call < 5; call++) {
          const groups = 30;
          const nq = groups * L;
          const queries = new Float32Array(nq * c.d);
          for (let g = 0; g < groups; g++) {
            const s = states[Math.floor(u() * states.length)] as number[];
            // times spread beyond the data's range on later calls: bounds grow, lists get extended
            const spread = 1 + call;
            for (let l = 0; l < L; l++) {
              const o = (g * L + l) * c.d;
              for (let f = 1; f < c.d; f++) queries[o + f] = s[f] as number;
              queries[o] = Math.fround(u() * spread);
            }
          }
          const refI = new Int32Array(nq * k),
            refD = new Float32Array(nq * k);
          bruteKnnJs(rows, c.n, c.d, queries, nq, k, refI, refD);
          const idx = new Int32Array(nq * k),
            dist = new Float32Array(nq * k);
          const checks = splitSearch(ix, queries, nq, k, idx, dist);
          expect(Array.from(idx)).toEqual(Array.from(refI));
          expect(dist).toEqual(refD);
          for (const kernel of kernels) {
            const wi = new Int32Array(nq * k),
              wd = new Float32Array(nq * k);
            expect(kernel.splitSearch(queries, nq, k, wi, wd)).toBe(checks);
            expect(Array.from(wi)).toEqual(Array.from(refI));
            expect(wd).toEqual(refD);
          }
        }
      });
    }
  }
});
