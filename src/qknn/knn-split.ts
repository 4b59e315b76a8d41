/**
 * An exact nearest-neighbour index that splits time from state (spec §7, "exploit discreteness"): its
 * host-side construction. The search is assembly/qknn/knn.ts (knnSplitSearch), twin
 * src/baseline/knn-split.ts.
 *
 * In a step's grid every feature but the first (time to go) is integer-valued before scaling, so many
 * points share their state features and differ in time only. The index groups the points into classes
 * of identical scaled state features (f32, as searched), keeps each class's points sorted by time, and
 * builds a k-d tree over the classes' state features. A query walks the tree near side first; in each
 * class it visited it starts at the query's time and moves outward in both directions while the
 * distance can still enter the k best. The L queries of one successor share their state features
 * (they differ in the quantized waiting time only): consecutive queries with equal state features are
 * searched together, one tree walk for the group.
 *
 * Exactness: distances are the f32 sums of the brute-force scan (feature order, time first). Inside a
 * class only the time term varies, and an f32 sum is non-decreasing in each term, so the distance grows
 * (weakly) with the time gap on either side of the query: stopping a side at the first distance above
 * the k-th best loses nothing. Classes and tree cells are skipped only when a lower bound on their
 * state part (cells: f64; classes: the kernel's four-wide f32 sum shrunk by splitLower's margin) exceeds
 * the group's worst k-th best by more than an f32 sum's rounding (the exact tree's slack). The k best are kept sorted by (distance, index), so the result equals brute force, ties to the
 * lowest index included.
 */
import { buildKdTree, type KdForest } from './knn-tree.js';

export interface SplitIndex {
  readonly n: number;
  readonly d: number;
  /** Row-major scaled points (n·d f32), point order = the caller's (bucket-local) indices. */
  readonly rows: Float32Array;
  /** Classes' points: positions start[c]..start[c+1]−1 of `ids`/`times`, sorted by (time, index). */
  readonly start: Int32Array;
  readonly ids: Int32Array;
  readonly times: Float32Array;
  /** k-d tree over the classes' state features (d − 1 per class). */
  readonly tree: KdForest;
  /**
   * The classes' state features in tree order for the kernel's four-wide distance sums: the class at
   * tree position p has feature f at ((p >> 2)·(d − 1) + f)·4 + (p & 3), the last block zero-padded.
   */
  readonly lanes: Float32Array;
}

/** Builds the index over n row-major f32 points of dimension d (feature 0 = time). */
export function buildSplitIndex(rows: Float32Array, n: number, d: number): SplitIndex {
  const ds = d - 1;
  const classOf = new Map<string, number>();
  const cls = new Int32Array(n);
  const reps: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = rows.subarray(i * d + 1, i * d + d).join(',');
    let c = classOf.get(key);
    if (c === undefined) {
      c = reps.length;
      classOf.set(key, c);
      reps.push(i);
    }
    cls[i] = c;
  }
  const C = reps.length;
  const start = new Int32Array(C + 1);
  for (let i = 0; i < n; i++) {
    const c = (cls[i] as number) + 1;
    start[c] = (start[c] as number) + 1;
  }
  for (let c = 0; c < C; c++) start[c + 1] = (start[c + 1] as number) + (start[c] as number);
  const fill = start.slice(0, C);
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = cls[i] as number;
    ids[fill[c] as number] = i;
    fill[c] = (fill[c] as number) + 1;
  }
  const times = new Float32Array(n);
  for (let c = 0; c < C; c++) {
    const lo = start[c] as number,
      hi = start[c + 1] as number;
    const seg = Array.from(ids.subarray(lo, hi));
    seg.sort((a, b) => (rows[a * d] as number) - (rows[b * d] as number) || a - b);
    for (let p = lo; p < hi; p++) {
      const id = seg[p - lo] as number;
      ids[p] = id;
      times[p] = rows[id * d] as number;
    }
  }
  const classRows = new Float32Array(C * ds);
  for (let c = 0; c < C; c++)
    classRows.set(rows.subarray((reps[c] as number) * d + 1, (reps[c] as number) * d + d), c * ds);
  // leaves of up to 16 classes: their distances cost little in four-wide blocks, descending costs more
  const tree = buildKdTree(classRows, C, ds, 16);
  return { n, d, rows, start, ids, times, tree, lanes: classLanes(tree) };
}

/** The kernel's interleaved copy of the class tree's rows (see SplitIndex.lanes). */
function classLanes(tree: KdForest): Float32Array {
  const { n, d: ds, rows, perm } = tree;
  const lanes = new Float32Array(Math.ceil(n / 4) * 4 * ds);
  for (let p = 0; p < n; p++) {
    const c = perm[p] as number;
    const base = (p >> 2) * ds * 4 + (p & 3);
    for (let f = 0; f < ds; f++) lanes[base + f * 4] = rows[c * ds + f] as number;
  }
  return lanes;
}
