/**
 * Pure-TS twin of assembly/qknn/knn.ts: the brute-force scan, the exact k-d tree search and the
 * forest's best-bin-first search, with every distance rounded to f32 in the kernel's order
 * (Math.fround), so indices and distances agree bit for bit with the WASM engines.
 */
import type { KdForest } from '../qknn/knn-tree.js';

const f32 = Math.fround;
/** Pruning slack of the tree searches (the kernel's PRUNE_REL/PRUNE_ABS): bounds widened, never narrowed. */
export const PRUNE_REL = 1e-5;
export const PRUNE_ABS = 1e-30;

/**
 * Exact 1-NN of row-major queries among points from..to−1 of a column-major block (knnScan's
 * algorithm: distances accumulated column by column, first minimum wins). `scratch` holds to − from f32.
 */
export function knnScanJs(
  data: Float32Array,
  stride: number,
  from: number,
  to: number,
  d: number,
  queries: Float32Array,
  nq: number,
  outIdx: Int32Array,
  outDist: Float32Array,
  scratch: Float32Array,
): void {
  const n = to - from;
  for (let g = 0; g < nq; g++) {
    for (let f = 0; f < d; f++) {
      const qf = queries[g * d + f] as number;
      const col = f * stride + from;
      if (f === 0) {
        for (let j = 0; j < n; j++) {
          const e = f32((data[col + j] as number) - qf);
          scratch[j] = e * e;
        }
      } else {
        for (let j = 0; j < n; j++) {
          const e = f32((data[col + j] as number) - qf);
          scratch[j] = (scratch[j] as number) + f32(e * e);
        }
      }
    }
    let bd = Infinity,
      bi = -1;
    for (let j = 0; j < n; j++) {
      const dj = scratch[j] as number;
      if (dj < bd) {
        bd = dj;
        bi = from + j;
      }
    }
    outIdx[g] = bi;
    outDist[g] = bd;
  }
}

function better(d: number, i: number, bd: number, bi: number): boolean {
  return d < bd || (d === bd && i < bi);
}

/** Shared search state of one query: the sorted k-list and the distance counter. */
class Search {
  checks = 0;
  q = 0;
  bestD: Float32Array = new Float32Array(0);
  bestI: Int32Array = new Int32Array(0);
  base = 0;
  constructor(
    readonly t: KdForest,
    readonly queries: Float32Array,
    readonly k: number,
  ) {}

  reset(g: number, outIdx: Int32Array, outDist: Float32Array): void {
    this.q = g * this.t.d;
    this.bestD = outDist;
    this.bestI = outIdx;
    this.base = g * this.k;
    for (let j = 0; j < this.k; j++) {
      outDist[this.base + j] = Infinity;
      outIdx[this.base + j] = 0x7fffffff;
    }
    this.checks = 0;
  }

  dist(idx: number): number {
    const { rows, d } = this.t;
    let acc = 0;
    for (let f = 0; f < d; f++) {
      const e = f32((rows[idx * d + f] as number) - (this.queries[this.q + f] as number));
      acc = f32(acc + f32(e * e));
    }
    return acc;
  }

  offer(dist: number, idx: number): void {
    const { bestD, bestI, base } = this;
    const last = base + this.k - 1;
    if (!better(dist, idx, bestD[last] as number, bestI[last] as number)) return;
    let j = last;
    while (j > base) {
      const pd = bestD[j - 1] as number,
        pi = bestI[j - 1] as number;
      if (!better(dist, idx, pd, pi)) break;
      bestD[j] = pd;
      bestI[j] = pi;
      j--;
    }
    bestD[j] = dist;
    bestI[j] = idx;
  }

  worst(): number {
    return this.bestD[this.base + this.k - 1] as number;
  }
}

/** Exact k-NN in a k-d tree (knnTreeSearch); returns the number of distances computed. */
export function knnTreeSearchJs(
  t: KdForest,
  queries: Float32Array,
  nq: number,
  k: number,
  outIdx: Int32Array,
  outDist: Float32Array,
): number {
  const s = new Search(t, queries, k);
  const off = new Float64Array(t.d);
  const { nodes, vals, perm } = t;
  const search = (node: number, rd: number): void => {
    const dim = nodes[node * 4] as number;
    if (dim < 0) {
      const lo = nodes[node * 4 + 1] as number,
        hi = nodes[node * 4 + 2] as number;
      for (let p = lo; p < hi; p++) {
        const idx = perm[p] as number;
        s.offer(s.dist(idx), idx);
      }
      s.checks += hi - lo;
      return;
    }
    const diff = (queries[s.q + dim] as number) - (vals[node] as number);
    const near = nodes[node * 4 + (diff <= 0 ? 1 : 2)] as number;
    const far = nodes[node * 4 + (diff <= 0 ? 2 : 1)] as number;
    search(near, rd);
    const old = off[dim] as number;
    const farRd = rd - old * old + diff * diff;
    if (farRd > s.worst() * (1 + PRUNE_REL) + PRUNE_ABS) return;
    off[dim] = diff;
    search(far, farRd);
    off[dim] = old;
  };
  let checks = 0;
  for (let g = 0; g < nq; g++) {
    s.reset(g, outIdx, outDist);
    off.fill(0);
    search(0, 0);
    checks += s.checks;
  }
  return checks;
}

/** Binary min-heap of (key, node), the kernel's sift order. */
class Heap {
  readonly keys: Float64Array;
  readonly nodes: Int32Array;
  len = 0;
  topKey = 0;
  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.nodes = new Int32Array(capacity);
  }
  push(key: number, node: number): void {
    let j = this.len++;
    while (j > 0) {
      const parent = (j - 1) >> 1;
      const pk = this.keys[parent] as number;
      if (pk <= key) break;
      this.keys[j] = pk;
      this.nodes[j] = this.nodes[parent] as number;
      j = parent;
    }
    this.keys[j] = key;
    this.nodes[j] = node;
  }
  pop(): number {
    const top = this.nodes[0] as number;
    this.topKey = this.keys[0] as number;
    const n = --this.len;
    const key = this.keys[n] as number;
    const node = this.nodes[n] as number;
    let j = 0;
    for (;;) {
      let c = 2 * j + 1;
      if (c >= n) break;
      if (c + 1 < n && (this.keys[c + 1] as number) < (this.keys[c] as number)) c++;
      const ck = this.keys[c] as number;
      if (!(ck < key)) break;
      this.keys[j] = ck;
      this.nodes[j] = this.nodes[c] as number;
      j = c;
    }
    if (n > 0) {
      this.keys[j] = key;
      this.nodes[j] = node;
    }
    return top;
  }
}

/**
 * Approximate k-NN in a forest (knnForestSearch): every tree descended once, then the nearest queued
 * branch until `maxChecks` distinct points have been measured. Returns the number of distances computed.
 */
export function knnForestSearchJs(
  t: KdForest,
  queries: Float32Array,
  nq: number,
  k: number,
  maxChecks: number,
  outIdx: Int32Array,
  outDist: Float32Array,
): number {
  const s = new Search(t, queries, k);
  const heap = new Heap(t.vals.length);
  const stamp = new Int32Array(t.n).fill(-1);
  const { nodes, vals, perm } = t;
  let now = 0;
  const descend = (start: number, rd: number): void => {
    let nd = start;
    for (;;) {
      const dim = nodes[nd * 4] as number;
      if (dim < 0) break;
      const diff = (queries[s.q + dim] as number) - (vals[nd] as number);
      heap.push(rd + diff * diff, nodes[nd * 4 + (diff <= 0 ? 2 : 1)] as number);
      nd = nodes[nd * 4 + (diff <= 0 ? 1 : 2)] as number;
    }
    const lo = nodes[nd * 4 + 1] as number,
      hi = nodes[nd * 4 + 2] as number;
    for (let p = lo; p < hi; p++) {
      const idx = perm[p] as number;
      if (stamp[idx] === now) continue;
      stamp[idx] = now;
      s.offer(s.dist(idx), idx);
      s.checks++;
    }
  };
  let checks = 0;
  for (let g = 0; g < nq; g++) {
    s.reset(g, outIdx, outDist);
    now = g;
    heap.len = 0;
    for (const root of t.roots) descend(root, 0);
    while (heap.len > 0 && s.checks < maxChecks) {
      const node = heap.pop();
      if (heap.topKey > s.worst()) break;
      descend(node, heap.topKey);
    }
    checks += s.checks;
  }
  return checks;
}

/** Reference k-NN by exhaustive search over row-major points (ties to the lowest index); tests only. */
export function bruteKnnJs(
  rows: Float32Array,
  n: number,
  d: number,
  queries: Float32Array,
  nq: number,
  k: number,
  outIdx: Int32Array,
  outDist: Float32Array,
): void {
  const t: KdForest = {
    n,
    d,
    rows,
    perm: Int32Array.from({ length: n }, (_, i) => i),
    nodes: Int32Array.of(-1, 0, n, 0),
    vals: new Float32Array(1),
    roots: Int32Array.of(0),
  };
  knnTreeSearchJs(t, queries, nq, k, outIdx, outDist);
}
