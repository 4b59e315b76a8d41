/**
 * Pure-TS twin of knnSplitSearch (assembly/qknn/knn.ts): exact k-NN in a time/state split index
 * (src/qknn/knn-split.ts), distances rounded to f32 in the kernel's order, so indices, distances and the
 * count of distances computed agree with the WASM engine.
 */
import type { SplitIndex } from '../qknn/knn-split.js';
import { PRUNE_ABS, PRUNE_REL } from './knn.js';

const f32 = Math.fround;

/**
 * Exact k-NN of `nq` row-major scaled queries (d f32 each): k bucket-local indices and f32 squared
 * distances per query, ascending by (distance, index). Returns the number of distances computed.
 */
export function splitSearch(
  ix: SplitIndex,
  queries: Float32Array,
  nq: number,
  k: number,
  outIdx: Int32Array,
  outDist: Float32Array,
): number {
  const { d, rows, start, ids, times } = ix;
  const { nodes, vals, perm, rows: crows } = ix.tree;
  const ds = d - 1;
  const lower = splitLower(ds);
  const off = new Float64Array(ds);
  let g0 = 0,
    g1 = 0; // current group: queries g0..g1−1
  let worst = Infinity; // max over the group of the k-th best distance
  let checks = 0;

  const dist = (id: number, q: number): number => {
    let acc = 0;
    for (let f = 0; f < d; f++) {
      const e = f32((rows[id * d + f] as number) - (queries[q + f] as number));
      acc = f32(acc + f32(e * e));
    }
    return acc;
  };
  const offer = (g: number, dd: number, id: number): boolean => {
    const base = g * k;
    const last = base + k - 1;
    const ld = outDist[last] as number;
    if (!(dd < ld || (dd === ld && id < (outIdx[last] as number)))) return false;
    let j = last;
    while (j > base) {
      const pd = outDist[j - 1] as number,
        pi = outIdx[j - 1] as number;
      if (!(dd < pd || (dd === pd && id < pi))) break;
      outDist[j] = pd;
      outIdx[j] = pi;
      j--;
    }
    outDist[j] = dd;
    outIdx[j] = id;
    return true;
  };
  const visitClass = (c: number, rho: number): void => {
    const lo = start[c] as number,
      hi = start[c + 1] as number;
    for (let g = g0; g < g1; g++) {
      const kth = g * k + k - 1;
      if (rho > (outDist[kth] as number) * (1 + PRUNE_REL) + PRUNE_ABS) continue;
      const q = g * d;
      const tau = queries[q] as number;
      // first position whose time is ≥ τ
      let a = lo,
        b = hi;
      while (a < b) {
        const m = (a + b) >> 1;
        if ((times[m] as number) < tau) a = m + 1;
        else b = m;
      }
      for (let p = a; p < hi; p++) {
        const id = ids[p] as number;
        const dd = dist(id, q);
        checks++;
        if (dd > (outDist[kth] as number)) break;
        offer(g, dd, id);
      }
      for (let p = a - 1; p >= lo; p--) {
        const id = ids[p] as number;
        const dd = dist(id, q);
        checks++;
        if (dd > (outDist[kth] as number)) break;
        offer(g, dd, id);
      }
    }
    let w = 0;
    for (let g = g0; g < g1; g++) w = Math.max(w, outDist[g * k + k - 1] as number);
    worst = w;
  };
  const bound = () => worst * (1 + PRUNE_REL) + PRUNE_ABS;
  // the classes whose ρ the walk computed in full, and the radius of the classes listed (visited already)
  let skip = -1;
  const found: number[] = [];
  const foundRho: number[] = [];
  const walk = (node: number, rd: number): void => {
    const dim = nodes[node * 4] as number;
    const q = g0 * d + 1;
    if (dim < 0) {
      const lo = nodes[node * 4 + 1] as number,
        hi = nodes[node * 4 + 2] as number;
      for (let p = lo; p < hi; p++) {
        const c = perm[p] as number;
        // the kernel's lane sum: f32, features in order, then the margin that makes it a lower bound
        let acc = 0;
        for (let f = 0; f < ds; f++) {
          const e = f32((queries[q + f] as number) - (crows[c * ds + f] as number));
          acc = f32(acc + f32(e * e));
        }
        const rho = acc * lower;
        if (rho > bound()) continue;
        found.push(c);
        foundRho.push(rho);
        if (rho > skip) visitClass(c, rho);
      }
      return;
    }
    const diff = (queries[q + dim] as number) - (vals[node] as number);
    const near = nodes[node * 4 + (diff <= 0 ? 1 : 2)] as number;
    const far = nodes[node * 4 + (diff <= 0 ? 2 : 1)] as number;
    walk(near, rd);
    const old = off[dim] as number;
    const farRd = rd - old * old + diff * diff;
    if (farRd > bound()) return;
    off[dim] = diff;
    walk(far, farRd);
    off[dim] = old;
  };
  const lists = listsOf(ix);
  const group = (): void => {
    const key = Array.prototype.join.call(queries.subarray(g0 * d + 1, g0 * d + d), ',');
    const list = lists.get(key) ?? { radius: -1, rho: [], cls: [] };
    lists.set(key, list);
    const R = list.radius;
    worst = Infinity;
    let p = 0;
    for (; p < list.cls.length; p++) {
      const rho = list.rho[p] as number;
      if (rho > bound()) break;
      visitClass(list.cls[p] as number, rho);
    }
    // every class not listed has ρ > R: done when the bound is within R
    if (p < list.cls.length || bound() <= R) return;
    found.length = 0;
    foundRho.length = 0;
    skip = R;
    off.fill(0);
    walk(0, 0);
    // the walk computed every class with ρ ≤ w (see the kernel)
    const w = worst;
    const trusted = Math.min(w, w * (1 + PRUNE_REL) * lower * lower * (1 - 1e-12));
    const R2 = Number.isFinite(w) ? (w >= RADIUS_MIN ? Math.max(R, trusted) : R) : Infinity;
    if (!(R2 > R)) return;
    const add = found
      .map((_, j) => j)
      .filter((j) => (foundRho[j] as number) > R && (foundRho[j] as number) <= R2);
    add.sort(
      (x, y) =>
        (foundRho[x] as number) - (foundRho[y] as number) || (found[x] as number) - (found[y] as number),
    );
    for (const j of add) {
      list.rho.push(foundRho[j] as number);
      list.cls.push(found[j] as number);
    }
    list.radius = R2;
  };

  while (g0 < nq) {
    // the group: consecutive queries with the state features of query g0
    g1 = g0 + 1;
    while (g1 < nq && sameState(queries, g0 * d, g1 * d, d)) g1++;
    for (let j = g0 * k; j < g1 * k; j++) {
      outDist[j] = Infinity;
      outIdx[j] = 0x7fffffff;
    }
    group();
    g0 = g1;
  }
  return checks;
}

/** As the kernel's splitLower: f32 state distance over ds features × this ≤ the exact distance. */
export function splitLower(ds: number): number {
  return 1 - (ds + 4) * 2 ** -23;
}

function sameState(q: Float32Array, a: number, b: number, d: number): boolean {
  for (let f = 1; f < d; f++) if (q[a + f] !== q[b + f]) return false;
  return true;
}

/** Below this k-th best a walk does not extend a list (as the kernel's RADIUS_MIN). */
const RADIUS_MIN = 1e-6;

/** A state's classes with ρ ≤ radius, sorted by (ρ, class) (radius −1: none listed yet). */
interface ClassList {
  radius: number;
  rho: number[];
  cls: number[];
}

/** Candidate lists per index, keyed by the state's f32 features. */
const caches = new WeakMap<SplitIndex, Map<string, ClassList>>();

function listsOf(ix: SplitIndex): Map<string, ClassList> {
  let c = caches.get(ix);
  if (!c) {
    c = new Map();
    caches.set(ix, c);
  }
  return c;
}
