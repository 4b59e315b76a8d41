/**
 * Host-side construction of the nearest-neighbour trees searched by assembly/qknn/knn.ts and its twin
 * src/baseline/knn.ts: an exact k-d tree (split on the widest dimension at the median) and a randomised
 * k-d forest in FLANN's style (split at the mean of a dimension drawn among the five of largest variance
 * on a sample). Node layout: 4 i32 per node (dim, a, b, 0) and an f32 split value; internal nodes have
 * dim ≥ 0 and children a (coordinates ≤ value) and b (≥ value); leaves have dim = −1 and cover
 * permutation positions a..b−1. Several trees share one node array; their permutations are concatenated.
 */

export interface KdForest {
  /** Number of points and features. */
  readonly n: number;
  readonly d: number;
  /** Row-major point coordinates (n·d f32), in the caller's point order. */
  readonly rows: Float32Array;
  /** Per tree, a permutation of 0..n−1 (tree t at t·n; leaf positions are global). */
  readonly perm: Int32Array;
  readonly nodes: Int32Array;
  readonly vals: Float32Array;
  /** Root node of each tree. */
  readonly roots: Int32Array;
}

class NodeSink {
  nodes: number[] = [];
  vals: number[] = [];
  add(): number {
    this.nodes.push(-1, 0, 0, 0);
    this.vals.push(0);
    return this.vals.length - 1;
  }
  set(node: number, dim: number, a: number, b: number, val: number): void {
    this.nodes[node * 4] = dim;
    this.nodes[node * 4 + 1] = a;
    this.nodes[node * 4 + 2] = b;
    this.vals[node] = val;
  }
}

/**
 * Reorders perm[lo..hi) so that position k holds the k-th smallest coordinate `dim` and every entry
 * before (after) it is ≤ (≥) it (Wirth's selection; deterministic).
 */
function selectNth(
  perm: Int32Array,
  rows: Float32Array,
  d: number,
  dim: number,
  lo: number,
  hi: number,
  k: number,
) {
  let l = lo,
    r = hi - 1;
  while (r > l) {
    const pivot = rows[(perm[k] as number) * d + dim] as number;
    let i = l,
      j = r;
    while (i <= j) {
      while ((rows[(perm[i] as number) * d + dim] as number) < pivot) i++;
      while ((rows[(perm[j] as number) * d + dim] as number) > pivot) j--;
      if (i <= j) {
        const t = perm[i] as number;
        perm[i] = perm[j] as number;
        perm[j] = t;
        i++;
        j--;
      }
    }
    if (j < k) l = i;
    if (k < i) r = j;
  }
}

/** Moves the entries of perm[lo..hi) whose coordinate satisfies `left` to the front; returns the cut. */
function partition(
  perm: Int32Array,
  rows: Float32Array,
  d: number,
  dim: number,
  lo: number,
  hi: number,
  left: (v: number) => boolean,
): number {
  let cut = lo;
  for (let p = lo; p < hi; p++) {
    const id = perm[p] as number;
    if (left(rows[id * d + dim] as number)) {
      perm[p] = perm[cut] as number;
      perm[cut++] = id;
    }
  }
  return cut;
}

/** An exact k-d tree over the n row-major points (one tree, root 0). */
export function buildKdTree(rows: Float32Array, n: number, d: number, leafSize = 8): KdForest {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const sink = new NodeSink();
  const build = (node: number, lo: number, hi: number): void => {
    let dim = -1,
      spread = 0;
    if (hi - lo > leafSize) {
      for (let f = 0; f < d; f++) {
        let mn = Infinity,
          mx = -Infinity;
        for (let p = lo; p < hi; p++) {
          const v = rows[(perm[p] as number) * d + f] as number;
          if (v < mn) mn = v;
          if (v > mx) mx = v;
        }
        if (mx - mn > spread) {
          spread = mx - mn;
          dim = f;
        }
      }
    }
    if (dim < 0) {
      sink.set(node, -1, lo, hi, 0);
      return;
    }
    const mid = (lo + hi) >> 1;
    selectNth(perm, rows, d, dim, lo, hi, mid);
    // Cut between distinct values around the median (x < m | x ≥ m, else x ≤ m | x > m) and split
    // halfway between them: on integer-valued features a query then never lies on the plane, so the
    // far side can be pruned (a plane through data values forces both sides to be visited).
    const m = rows[(perm[mid] as number) * d + dim] as number;
    let cut = partition(perm, rows, d, dim, lo, hi, (v) => v < m);
    if (cut === lo) cut = partition(perm, rows, d, dim, lo, hi, (v) => v <= m);
    let maxLeft = -Infinity,
      minRight = Infinity;
    for (let p = lo; p < cut; p++) maxLeft = Math.max(maxLeft, rows[(perm[p] as number) * d + dim] as number);
    for (let p = cut; p < hi; p++)
      minRight = Math.min(minRight, rows[(perm[p] as number) * d + dim] as number);
    const left = sink.add();
    const right = sink.add();
    sink.set(node, dim, left, right, Math.fround((maxLeft + minRight) / 2));
    build(left, lo, cut);
    build(right, cut, hi);
  };
  build(sink.add(), 0, n);
  return pack(rows, n, d, perm, sink, [0]);
}

/** Deterministic 32-bit generator (mulberry32) for the forest's random split dimensions. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLE = 100;
const TOP_DIMS = 5;

/** A randomised k-d forest of `trees` trees over the n row-major points; `seed` fixes the splits. */
export function buildKdForest(
  rows: Float32Array,
  n: number,
  d: number,
  trees: number,
  seed: number,
  leafSize = 1,
): KdForest {
  const perm = new Int32Array(trees * n);
  const sink = new NodeSink();
  const roots: number[] = [];
  const mean = new Float64Array(d);
  const variance = new Float64Array(d);
  const order = Array.from({ length: d }, (_, f) => f);
  for (let t = 0; t < trees; t++) {
    const rand = mulberry32(seed * 7919 + t * 104729 + 1);
    const base = t * n;
    for (let i = 0; i < n; i++) perm[base + i] = i;
    const build = (node: number, lo: number, hi: number): void => {
      if (hi - lo <= leafSize) {
        sink.set(node, -1, lo, hi, 0);
        return;
      }
      const m = Math.min(SAMPLE, hi - lo);
      mean.fill(0);
      variance.fill(0);
      for (let p = lo; p < lo + m; p++)
        for (let f = 0; f < d; f++)
          mean[f] = (mean[f] as number) + (rows[(perm[p] as number) * d + f] as number);
      for (let f = 0; f < d; f++) mean[f] = (mean[f] as number) / m;
      for (let p = lo; p < lo + m; p++)
        for (let f = 0; f < d; f++) {
          const e = (rows[(perm[p] as number) * d + f] as number) - (mean[f] as number);
          variance[f] = (variance[f] as number) + e * e;
        }
      order.sort((x, y) => (variance[y] as number) - (variance[x] as number) || x - y);
      const dim = order[Math.floor(rand() * TOP_DIMS) % d] as number;
      let val = Math.fround(mean[dim] as number);
      // partition: coordinates < val to the left
      let i = lo,
        j = hi - 1;
      while (i <= j) {
        if ((rows[(perm[i] as number) * d + dim] as number) < val) i++;
        else {
          const tmp = perm[i] as number;
          perm[i] = perm[j] as number;
          perm[j] = tmp;
          j--;
        }
      }
      let mid = i;
      if (mid === lo || mid === hi) {
        // degenerate cut (sample unrepresentative or equal coordinates): median split on dim instead
        mid = (lo + hi) >> 1;
        selectNth(perm, rows, d, dim, lo, hi, mid);
        val = rows[(perm[mid] as number) * d + dim] as number;
      }
      const left = sink.add();
      const right = sink.add();
      sink.set(node, dim, left, right, val);
      build(left, lo, mid);
      build(right, mid, hi);
    };
    const root = sink.add();
    roots.push(root);
    build(root, base, base + n); // leaf positions are global: tree t's permutation starts at t·n
  }
  return pack(rows, n, d, perm, sink, roots);
}

function pack(
  rows: Float32Array,
  n: number,
  d: number,
  perm: Int32Array,
  sink: NodeSink,
  roots: number[],
): KdForest {
  return {
    n,
    d,
    rows,
    perm,
    nodes: Int32Array.from(sink.nodes),
    vals: Float32Array.from(sink.vals),
    roots: Int32Array.from(roots),
  };
}

/** Row-major copy of points from..to−1 of a column-major block (feature f of point i at f·stride + i). */
export function rowsOf(
  data: Float32Array,
  stride: number,
  from: number,
  to: number,
  d: number,
): Float32Array {
  const n = to - from;
  const rows = new Float32Array(n * d);
  for (let f = 0; f < d; f++) {
    const col = f * stride + from;
    for (let i = 0; i < n; i++) rows[i * d + f] = data[col + i] as number;
  }
  return rows;
}
