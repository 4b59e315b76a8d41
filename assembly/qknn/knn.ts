// Nearest-neighbour search for the Qknn solver (spec qknn-market-making §4.6, §7): a brute-force f32
// scan over a column-major block (SIMD: four points per vector, four queries per pass; scalar: one
// column at a time), the search of an exact k-d tree and the best-bin-first search of a randomised k-d
// forest with a bounded number of distance checks. The trees are built on the host (src/qknn/index.ts)
// and read here. Distances are squared Euclidean, summed feature by feature in f32 in the same order by
// every engine, so all engines agree bit for bit; ties go to the lowest point index.

/** Relative and absolute slack of the exact tree's pruning test (f64 bound against f32 sums, §7). */
const PRUNE_REL: f64 = 1e-5;
const PRUNE_ABS: f64 = 1e-30;

// ---------------------------------------------------------------------------------------------------
// Brute force
// ---------------------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function better(d: f32, i: i32, bd: f32, bi: i32): bool {
  return d < bd || (d == bd && i < bi);
}

/** Lowest-index minimum over the four lanes of (best, index), then the scalar tail's candidate. */
// @ts-ignore: decorator
@inline function reduceLanes(best: v128, bi: v128, outIdx: usize, outDist: usize): void {
  let d = f32x4.extract_lane(best, 0), i = i32x4.extract_lane(bi, 0);
  const d1 = f32x4.extract_lane(best, 1), i1 = i32x4.extract_lane(bi, 1);
  if (better(d1, i1, d, i)) { d = d1; i = i1; }
  const d2 = f32x4.extract_lane(best, 2), i2 = i32x4.extract_lane(bi, 2);
  if (better(d2, i2, d, i)) { d = d2; i = i2; }
  const d3 = f32x4.extract_lane(best, 3), i3 = i32x4.extract_lane(bi, 3);
  if (better(d3, i3, d, i)) { d = d3; i = i3; }
  store<i32>(outIdx, i);
  store<f32>(outDist, d);
}

/** Squared distance of point i of the column-major block to the query `q` (scalar, feature order). */
// @ts-ignore: decorator
@inline function pointDist(data: usize, stride: usize, i: i32, d: i32, q: usize): f32 {
  let acc: f32 = 0;
  let p = data + (<usize>i << 2);
  for (let f = 0; f < d; f++) {
    const e = load<f32>(p) - load<f32>(q + (<usize>f << 2));
    acc += e * e;
    p += stride;
  }
  return acc;
}

/**
 * Exact 1-NN of `nq` row-major queries (d f32 each) among points from..to−1 of the column-major block
 * `data` (feature f of point i at data[f·stride + i]). Writes the point index and its squared distance.
 * Four points per vector and four queries per pass over the block; each lane keeps the first (lowest
 * index) of its strict minima, and the lanes are merged with ties to the lowest index.
 */
export function knnScanSimd(
  data: usize, stride: i32, from: i32, to: i32, d: i32, queries: usize, nq: i32, outIdx: usize, outDist: usize,
): void {
  const colBytes = <usize>stride << 2;
  const rowBytes = <usize>d << 2;
  const inf = f32x4.splat(Infinity);
  const four = i32x4.splat(4);
  const first = i32x4(from, from + 1, from + 2, from + 3);
  for (let g = 0; g < nq; g += 4) {
    const q0 = queries + <usize>g * rowBytes;
    const q1 = queries + <usize>min(g + 1, nq - 1) * rowBytes;
    const q2 = queries + <usize>min(g + 2, nq - 1) * rowBytes;
    const q3 = queries + <usize>min(g + 3, nq - 1) * rowBytes;
    let b0 = inf, b1 = inf, b2 = inf, b3 = inf;
    let i0 = i32x4.splat(-1), i1 = i0, i2 = i0, i3 = i0;
    let idx = first;
    let i = from;
    // eight points per iteration (two vectors), merged lane-wise (ties to the first vector's lower
    // index) before the strict update of the running best
    for (; i + 8 <= to; i += 8) {
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
      let c0 = a0, c1 = a0, c2 = a0, c3 = a0;
      let p = data + (<usize>i << 2);
      for (let f = 0; f < d; f++) {
        const lo = v128.load(p), hi = v128.load(p, 16);
        const fo = <usize>f << 2;
        const s0 = v128.load32_splat(q0 + fo), s1 = v128.load32_splat(q1 + fo);
        const s2 = v128.load32_splat(q2 + fo), s3 = v128.load32_splat(q3 + fo);
        let e = f32x4.sub(lo, s0);
        a0 = f32x4.add(a0, f32x4.mul(e, e));
        e = f32x4.sub(hi, s0);
        c0 = f32x4.add(c0, f32x4.mul(e, e));
        e = f32x4.sub(lo, s1);
        a1 = f32x4.add(a1, f32x4.mul(e, e));
        e = f32x4.sub(hi, s1);
        c1 = f32x4.add(c1, f32x4.mul(e, e));
        e = f32x4.sub(lo, s2);
        a2 = f32x4.add(a2, f32x4.mul(e, e));
        e = f32x4.sub(hi, s2);
        c2 = f32x4.add(c2, f32x4.mul(e, e));
        e = f32x4.sub(lo, s3);
        a3 = f32x4.add(a3, f32x4.mul(e, e));
        e = f32x4.sub(hi, s3);
        c3 = f32x4.add(c3, f32x4.mul(e, e));
        p += colBytes;
      }
      const idx2 = i32x4.add(idx, four);
      let h = f32x4.lt(c0, a0);
      a0 = v128.bitselect(c0, a0, h);
      let ci = v128.bitselect(idx2, idx, h);
      let m = f32x4.lt(a0, b0);
      b0 = v128.bitselect(a0, b0, m);
      i0 = v128.bitselect(ci, i0, m);
      h = f32x4.lt(c1, a1);
      a1 = v128.bitselect(c1, a1, h);
      ci = v128.bitselect(idx2, idx, h);
      m = f32x4.lt(a1, b1);
      b1 = v128.bitselect(a1, b1, m);
      i1 = v128.bitselect(ci, i1, m);
      h = f32x4.lt(c2, a2);
      a2 = v128.bitselect(c2, a2, h);
      ci = v128.bitselect(idx2, idx, h);
      m = f32x4.lt(a2, b2);
      b2 = v128.bitselect(a2, b2, m);
      i2 = v128.bitselect(ci, i2, m);
      h = f32x4.lt(c3, a3);
      a3 = v128.bitselect(c3, a3, h);
      ci = v128.bitselect(idx2, idx, h);
      m = f32x4.lt(a3, b3);
      b3 = v128.bitselect(a3, b3, m);
      i3 = v128.bitselect(ci, i3, m);
      idx = i32x4.add(idx2, four);
    }
    for (; i + 4 <= to; i += 4) {
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
      let p = data + (<usize>i << 2);
      for (let f = 0; f < d; f++) {
        const col = v128.load(p);
        const fo = <usize>f << 2;
        const e0 = f32x4.sub(col, v128.load32_splat(q0 + fo));
        const e1 = f32x4.sub(col, v128.load32_splat(q1 + fo));
        const e2 = f32x4.sub(col, v128.load32_splat(q2 + fo));
        const e3 = f32x4.sub(col, v128.load32_splat(q3 + fo));
        a0 = f32x4.add(a0, f32x4.mul(e0, e0));
        a1 = f32x4.add(a1, f32x4.mul(e1, e1));
        a2 = f32x4.add(a2, f32x4.mul(e2, e2));
        a3 = f32x4.add(a3, f32x4.mul(e3, e3));
        p += colBytes;
      }
      const m0 = f32x4.lt(a0, b0), m1 = f32x4.lt(a1, b1), m2 = f32x4.lt(a2, b2), m3 = f32x4.lt(a3, b3);
      b0 = v128.bitselect(a0, b0, m0);
      i0 = v128.bitselect(idx, i0, m0);
      b1 = v128.bitselect(a1, b1, m1);
      i1 = v128.bitselect(idx, i1, m1);
      b2 = v128.bitselect(a2, b2, m2);
      i2 = v128.bitselect(idx, i2, m2);
      b3 = v128.bitselect(a3, b3, m3);
      i3 = v128.bitselect(idx, i3, m3);
      idx = i32x4.add(idx, four);
    }
    const oi = outIdx + (<usize>g << 2), od = outDist + (<usize>g << 2);
    reduceLanes(b0, i0, oi, od);
    if (g + 1 < nq) reduceLanes(b1, i1, oi + 4, od + 4);
    if (g + 2 < nq) reduceLanes(b2, i2, oi + 8, od + 8);
    if (g + 3 < nq) reduceLanes(b3, i3, oi + 12, od + 12);
    // tail: indices above every lane's, so a strict improvement is needed
    for (let j = i; j < to; j++) {
      for (let u = 0; u < 4 && g + u < nq; u++) {
        const dj = pointDist(data, colBytes, j, d, queries + <usize>(g + u) * rowBytes);
        if (dj < load<f32>(od + (<usize>u << 2))) {
          store<f32>(od + (<usize>u << 2), dj);
          store<i32>(oi + (<usize>u << 2), j);
        }
      }
    }
  }
}

/**
 * The scalar engine of knnScanSimd (same results): per query, the distances of all points are
 * accumulated one feature column at a time into `scratch` (to − from f32), then the first minimum wins.
 */
export function knnScan(
  data: usize, stride: i32, from: i32, to: i32, d: i32, queries: usize, nq: i32, outIdx: usize, outDist: usize,
  scratch: usize,
): void {
  const n = to - from;
  const colBytes = <usize>stride << 2;
  for (let g = 0; g < nq; g++) {
    const q = queries + (<usize>(g * d) << 2);
    let col = data + (<usize>from << 2);
    for (let f = 0; f < d; f++) {
      const qf = load<f32>(q + (<usize>f << 2));
      for (let j = 0; j < n; j++) {
        const e = load<f32>(col + (<usize>j << 2)) - qf;
        const s = scratch + (<usize>j << 2);
        store<f32>(s, f == 0 ? e * e : load<f32>(s) + e * e);
      }
      col += colBytes;
    }
    let bd: f32 = Infinity, bi = -1;
    for (let j = 0; j < n; j++) {
      const dj = load<f32>(scratch + (<usize>j << 2));
      if (dj < bd) { bd = dj; bi = from + j; }
    }
    store<i32>(outIdx + (<usize>g << 2), bi);
    store<f32>(outDist + (<usize>g << 2), bd);
  }
}

// ---------------------------------------------------------------------------------------------------
// Trees: nodes are 4 i32 (dim, a, b, 0) with an f32 split value. Internal: dim ≥ 0, children a (points
// with coordinate ≤ value) and b (≥ value). Leaf: dim = −1, positions a..b−1 of the permutation, whose
// entries are point indices into the row-major copy `rows` (d f32 per point).
// ---------------------------------------------------------------------------------------------------

// Search context (one query at a time).
let gRows: usize = 0;
let gD: i32 = 0;
let gPerm: usize = 0;
let gNodes: usize = 0;
let gVals: usize = 0;
let gQ: usize = 0;
let gK: i32 = 1;
let gBestD: usize = 0; // k f32, ascending by (distance, index)
let gBestI: usize = 0; // k i32
let gOff: usize = 0; // d f64: per-dimension offsets of the current cell (exact search)
let gChecks: i32 = 0; // distances computed for the current query

// @ts-ignore: decorator
@inline function rowDist(idx: i32): f32 {
  const p = gRows + (<usize>(idx * gD) << 2);
  let acc: f32 = 0;
  for (let f = 0; f < gD; f++) {
    const e = load<f32>(p + (<usize>f << 2)) - load<f32>(gQ + (<usize>f << 2));
    acc += e * e;
  }
  return acc;
}

/** Inserts (dist, idx) into the sorted k-list if it beats the current k-th entry. */
// @ts-ignore: decorator
@inline function offer(dist: f32, idx: i32): void {
  const last = <usize>(gK - 1) << 2;
  if (!better(dist, idx, load<f32>(gBestD + last), load<i32>(gBestI + last))) return;
  let j = gK - 1;
  while (j > 0) {
    const pd = load<f32>(gBestD + (<usize>(j - 1) << 2)), pi = load<i32>(gBestI + (<usize>(j - 1) << 2));
    if (!better(dist, idx, pd, pi)) break;
    store<f32>(gBestD + (<usize>j << 2), pd);
    store<i32>(gBestI + (<usize>j << 2), pi);
    j--;
  }
  store<f32>(gBestD + (<usize>j << 2), dist);
  store<i32>(gBestI + (<usize>j << 2), idx);
}

// @ts-ignore: decorator
@inline function resetBest(): void {
  for (let j = 0; j < gK; j++) {
    store<f32>(gBestD + (<usize>j << 2), Infinity);
    store<i32>(gBestI + (<usize>j << 2), i32.MAX_VALUE);
  }
}

// @ts-ignore: decorator
@inline function nodeAt(node: i32, slot: i32): i32 {
  return load<i32>(gNodes + (<usize>(node * 4 + slot) << 2));
}

function scanLeaf(lo: i32, hi: i32): void {
  for (let p = lo; p < hi; p++) {
    const idx = load<i32>(gPerm + (<usize>p << 2));
    offer(rowDist(idx), idx);
  }
  gChecks += hi - lo;
}

/** Exact search below `node`; `rd` = squared distance from the query to the node's cell (f64). */
function exactSearch(node: i32, rd: f64): void {
  const dim = nodeAt(node, 0);
  if (dim < 0) {
    scanLeaf(nodeAt(node, 1), nodeAt(node, 2));
    return;
  }
  const diff = <f64>load<f32>(gQ + (<usize>dim << 2)) - <f64>load<f32>(gVals + (<usize>node << 2));
  const near = diff <= 0 ? nodeAt(node, 1) : nodeAt(node, 2);
  const far = diff <= 0 ? nodeAt(node, 2) : nodeAt(node, 1);
  exactSearch(near, rd);
  const po = gOff + (<usize>dim << 3);
  const old = load<f64>(po);
  const farRd = rd - old * old + diff * diff;
  const worst = <f64>load<f32>(gBestD + (<usize>(gK - 1) << 2));
  // the far cell's bound is a lower bound of every distance in it: skip only when it exceeds the
  // k-th best by more than the rounding of an f32 sum (ties with lower indices may lie on the plane)
  if (farRd > worst * (1.0 + PRUNE_REL) + PRUNE_ABS) return;
  store<f64>(po, diff);
  exactSearch(far, farRd);
  store<f64>(po, old);
}

/**
 * Exact k-NN of `nq` row-major queries in a k-d tree (root = node 0): writes k indices and squared
 * distances per query (ascending, ties to the lowest index) and returns the number of distances
 * computed. `off` is d f64 of scratch.
 */
export function knnTreeSearch(
  rows: usize, d: i32, perm: usize, nodes: usize, vals: usize, queries: usize, nq: i32, k: i32, outIdx: usize,
  outDist: usize, off: usize,
): f64 {
  gRows = rows; gD = d; gPerm = perm; gNodes = nodes; gVals = vals; gK = k; gOff = off;
  let checks: f64 = 0;
  for (let g = 0; g < nq; g++) {
    gQ = queries + (<usize>(g * d) << 2);
    gBestD = outDist + (<usize>(g * k) << 2);
    gBestI = outIdx + (<usize>(g * k) << 2);
    resetBest();
    memory.fill(off, 0, <usize>d << 3);
    gChecks = 0;
    exactSearch(0, 0.0);
    checks += <f64>gChecks;
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------------
// Randomised k-d forest, best-bin-first across trees (as FLANN's KDTreeIndex): descend every tree to a
// leaf, queueing the far branches by a cell distance; then pop the nearest queued branch and descend it,
// until `maxChecks` distances have been computed. A point reached through several trees is counted once.
// ---------------------------------------------------------------------------------------------------

let gHeapD: usize = 0; // f64 keys
let gHeapN: usize = 0; // i32 nodes
let gHeapLen: i32 = 0;
let gStamp: usize = 0; // i32 per point: last query that checked it
let gStampNow: i32 = 0;

function heapPush(key: f64, node: i32): void {
  let j = gHeapLen++;
  while (j > 0) {
    const parent = (j - 1) >> 1;
    const pk = load<f64>(gHeapD + (<usize>parent << 3));
    if (pk <= key) break;
    store<f64>(gHeapD + (<usize>j << 3), pk);
    store<i32>(gHeapN + (<usize>j << 2), load<i32>(gHeapN + (<usize>parent << 2)));
    j = parent;
  }
  store<f64>(gHeapD + (<usize>j << 3), key);
  store<i32>(gHeapN + (<usize>j << 2), node);
}

/** Removes the minimum; its node is returned, its key left in gHeapTopKey. */
let gHeapTopKey: f64 = 0;
function heapPop(): i32 {
  const top = load<i32>(gHeapN);
  gHeapTopKey = load<f64>(gHeapD);
  const n = --gHeapLen;
  const key = load<f64>(gHeapD + (<usize>n << 3));
  const node = load<i32>(gHeapN + (<usize>n << 2));
  let j = 0;
  while (true) {
    let c = 2 * j + 1;
    if (c >= n) break;
    if (c + 1 < n && load<f64>(gHeapD + (<usize>(c + 1) << 3)) < load<f64>(gHeapD + (<usize>c << 3))) c++;
    const ck = load<f64>(gHeapD + (<usize>c << 3));
    if (!(ck < key)) break;
    store<f64>(gHeapD + (<usize>j << 3), ck);
    store<i32>(gHeapN + (<usize>j << 2), load<i32>(gHeapN + (<usize>c << 2)));
    j = c;
  }
  if (n > 0) {
    store<f64>(gHeapD + (<usize>j << 3), key);
    store<i32>(gHeapN + (<usize>j << 2), node);
  }
  return top;
}

function forestDescend(node: i32, rd: f64): void {
  let nd = node;
  while (true) {
    const dim = nodeAt(nd, 0);
    if (dim < 0) break;
    const diff = <f64>load<f32>(gQ + (<usize>dim << 2)) - <f64>load<f32>(gVals + (<usize>nd << 2));
    const near = diff <= 0 ? nodeAt(nd, 1) : nodeAt(nd, 2);
    const far = diff <= 0 ? nodeAt(nd, 2) : nodeAt(nd, 1);
    heapPush(rd + diff * diff, far);
    nd = near;
  }
  const lo = nodeAt(nd, 1), hi = nodeAt(nd, 2);
  for (let p = lo; p < hi; p++) {
    const idx = load<i32>(gPerm + (<usize>p << 2));
    const sp = gStamp + (<usize>idx << 2);
    if (load<i32>(sp) == gStampNow) continue;
    store<i32>(sp, gStampNow);
    offer(rowDist(idx), idx);
    gChecks++;
  }
}

/**
 * Approximate k-NN in a forest: `roots` holds the root node of each of `nTrees` trees in one node
 * array; `perm` one permutation per tree, concatenated (leaf positions are global). `heapD`/`heapN` have
 * room for every node; `stamp` is one i32 per point, `stamp0` a value not yet used by any query (query g
 * uses stamp0 + g). Returns the number of distances computed.
 */
export function knnForestSearch(
  rows: usize, d: i32, perm: usize, nodes: usize, vals: usize, roots: usize, nTrees: i32, queries: usize,
  nq: i32, k: i32, maxChecks: i32, outIdx: usize, outDist: usize, heapD: usize, heapN: usize, stamp: usize,
  stamp0: i32,
): f64 {
  gRows = rows; gD = d; gPerm = perm; gNodes = nodes; gVals = vals; gK = k;
  gHeapD = heapD; gHeapN = heapN; gStamp = stamp;
  let checks: f64 = 0;
  for (let g = 0; g < nq; g++) {
    gQ = queries + (<usize>(g * d) << 2);
    gBestD = outDist + (<usize>(g * k) << 2);
    gBestI = outIdx + (<usize>(g * k) << 2);
    resetBest();
    gStampNow = stamp0 + g;
    gHeapLen = 0;
    gChecks = 0;
    for (let t = 0; t < nTrees; t++) forestDescend(load<i32>(roots + (<usize>t << 2)), 0.0);
    while (gHeapLen > 0 && gChecks < maxChecks) {
      const node = heapPop();
      const worst = <f64>load<f32>(gBestD + (<usize>(gK - 1) << 2));
      if (gHeapTopKey > worst) break;
      forestDescend(node, gHeapTopKey);
    }
    checks += <f64>gChecks;
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------------
// Time/state split index (built on the host, src/qknn/knn-split.ts; TS twin src/baseline/knn-split.ts):
// points grouped into classes of equal state features (every feature but the first, time), each class's
// points sorted by time; a k-d tree over the classes' state features (d − 1 per class). Consecutive
// queries with equal state features form a group, searched together. Inside a class each query starts at
// its time and walks outwards while the distance can still enter its k best (the f32 sum is
// non-decreasing in the time term); a class is skipped when a lower bound ρ of its state distance exceeds
// the group's k-th best by more than an f32 sum's rounding; so the result is the brute-force one, ties to
// the lowest index, whatever the order in which classes are visited.
//
// ρ is the state distance summed in f32 (four classes per SIMD vector: the tree's leaves read the
// classes' features in tree order, four classes interleaved per block), times splitLower(d − 1), which
// lies below the worst relative error of that sum, so ρ never exceeds the exact distance.
//
// Successor states recur across the grid points of a step, so a cache keyed by the state's exact f32
// bits (and the bucket's tag) keeps, per state, the list of every class with ρ ≤ R (its radius) sorted by
// (ρ, class). A group first visits its list in order and stops at the first ρ above its bound: later
// entries have larger ρ and unlisted classes ρ > R. Only when the list runs out with the bound still above
// R does it walk the class tree (near side first, cutting cells whose f64 lower bound exceeds the bound),
// skipping the listed classes; the walk has computed every class with ρ up to the final k-th best w (its
// cuts lie above w by the slack, which exceeds ρ's own margin), so those with R < ρ ≤ w extend the list
// to radius w. A state's
// first group is thus the plain tree walk, and its later groups mostly a short scan of the list.
// ---------------------------------------------------------------------------------------------------

let sStart: usize = 0; // i32 per class + 1
let sIds: usize = 0; // i32 per point, class by class
let sTimes: usize = 0; // f32 per point, same order
let sLanes: usize = 0; // the classes' state features in tree order, four classes per f32x4 (see below)
let sLower: f64 = 1; // splitLower(d − 1)
/** One f32x4 of scratch: the ρ of a block's four lanes. */
const sRho4: usize = memory.data(16, 16);
/** Most features a split index supports (the kernel's per-class scratch below). */
export const SPLIT_MAX_D: i32 = 64;
/** The visited class's state terms, one f32x4 (four equal lanes) per feature. */
const sE2: usize = memory.data(SPLIT_MAX_D << 4, 16);
/** One f32x4: the four distances of a class visit's first points. */
const sD4: usize = memory.data(16, 16);
let sG0: i32 = 0;
let sG1: i32 = 0;
let sQueries: usize = 0;
let sOutIdx: usize = 0;
let sOutDist: usize = 0;
let sWorst: f64 = 0;

// Candidate-list cache. Header (16 bytes): i32 slots used, i32 arena positions used. Then
// `cCap` slots of cEntry bytes: i32 tag (0 = empty), i32 length, i32 arena offset, pad, f64 radius,
// then the d − 1 key floats. The arena holds the lists: f64 ρ per position, then i32 class per position.
let cHead: usize = 0;
let cCap: i32 = 0;
let cEntry: i32 = 0;
let cArR: usize = 0;
let cArC: usize = 0;
let cArCap: i32 = 0;
let cScrR: usize = 0; // scratch list: f64 ρ, then i32 class, one per class of the bucket
let cScrC: usize = 0;
let cClasses: i32 = 0;
let cTag: i32 = 0;
let cSkip: f64 = 0; // radius of the group's list (its classes visited already)
let cN: i32 = 0; // classes the walk computed in full so far
/** Smallest list radius trusted after a walk (the pruning slack exceeds f64 rounding above it). */
const RADIUS_MIN: f64 = 1e-6;

const C_HEAD: usize = 16;
const C_KEY: usize = 24;

// @ts-ignore: decorator
@inline function splitBound(): f64 {
  return sWorst * (1.0 + PRUNE_REL) + PRUNE_ABS;
}

/**
 * The f32 distance of a point at time `t` of the class being visited from the current query at time
 * `tau`: rowDist's sum, its state terms read from sE2 (equal for every point of the class).
 */
// @ts-ignore: decorator
@inline function classDist(t: f32, tau: f32): f32 {
  const e = t - tau;
  let acc: f32 = e * e;
  for (let f = 1; f < gD; f++) acc += load<f32>(sE2 + (<usize>f << 4));
  return acc;
}

function splitVisitClass(c: i32, rho: f64): void {
  const lo = load<i32>(sStart + (<usize>c << 2)), hi = load<i32>(sStart + (<usize>(c + 1) << 2));
  const k = gK;
  // the state terms (row − query)² of rowDist, the same for the whole group and class: each stored
  // four times over, for the four-wide sums below
  const row = gRows + (<usize>(load<i32>(sIds + (<usize>lo << 2)) * gD) << 2);
  const q0 = sQueries + (<usize>(sG0 * gD) << 2);
  for (let f = 1; f < gD; f++) {
    const e = load<f32>(row + (<usize>f << 2)) - load<f32>(q0 + (<usize>f << 2));
    v128.store(sE2 + (<usize>f << 4), f32x4.splat(e * e));
  }
  for (let g = sG0; g < sG1; g++) {
    gBestD = sOutDist + (<usize>(g * k) << 2);
    gBestI = sOutIdx + (<usize>(g * k) << 2);
    const kthP = gBestD + (<usize>(k - 1) << 2);
    if (rho > <f64>load<f32>(kthP) * (1.0 + PRUNE_REL) + PRUNE_ABS) continue;
    gQ = sQueries + (<usize>(g * gD) << 2);
    const tau = load<f32>(gQ);
    let a = lo, b = hi;
    while (a < b) {
      const m = (a + b) >> 1;
      if (load<f32>(sTimes + (<usize>m << 2)) < tau) a = m + 1;
      else b = m;
    }
    // the first two points on each side (a, a + 1 up; a − 1, a − 2 down) in one four-wide sum, lane for
    // lane the f32 operations of rowDist; lanes past the class's ends are computed and ignored
    let t4 = f32x4.splat(tau);
    if (a < hi) t4 = f32x4.replace_lane(t4, 0, load<f32>(sTimes + (<usize>a << 2)));
    if (a + 1 < hi) t4 = f32x4.replace_lane(t4, 1, load<f32>(sTimes + (<usize>(a + 1) << 2)));
    if (a > lo) t4 = f32x4.replace_lane(t4, 2, load<f32>(sTimes + (<usize>(a - 1) << 2)));
    if (a - 1 > lo) t4 = f32x4.replace_lane(t4, 3, load<f32>(sTimes + (<usize>(a - 2) << 2)));
    const e0 = f32x4.sub(t4, f32x4.splat(tau));
    let acc = f32x4.mul(e0, e0);
    for (let f = 1; f < gD; f++) acc = f32x4.add(acc, v128.load(sE2 + (<usize>f << 4)));
    v128.store(sD4, acc);
    for (let p = a; p < hi; p++) {
      const dd = p < a + 2
        ? load<f32>(sD4 + (<usize>(p - a) << 2))
        : classDist(load<f32>(sTimes + (<usize>p << 2)), tau);
      gChecks++;
      if (dd > load<f32>(kthP)) break;
      offer(dd, load<i32>(sIds + (<usize>p << 2)));
    }
    for (let p = a - 1; p >= lo; p--) {
      const dd = p > a - 3
        ? load<f32>(sD4 + (<usize>(a + 1 - p) << 2))
        : classDist(load<f32>(sTimes + (<usize>p << 2)), tau);
      gChecks++;
      if (dd > load<f32>(kthP)) break;
      offer(dd, load<i32>(sIds + (<usize>p << 2)));
    }
  }
  let w: f64 = 0;
  for (let g = sG0; g < sG1; g++) w = max(w, <f64>load<f32>(sOutDist + (<usize>(g * k + k - 1) << 2)));
  sWorst = w;
}

/**
 * The tree walk of a group: every class whose ρ may be within the bound is examined (near side first);
 * each class whose ρ it computes in full goes to the scratch list, and is visited unless ρ ≤ cSkip
 * (listed, so visited already).
 */
function splitWalk(node: i32, rd: f64): void {
  const dim = nodeAt(node, 0);
  const q = sQueries + (<usize>(sG0 * gD + 1) << 2);
  const ds = gD - 1;
  if (dim < 0) {
    const lo = nodeAt(node, 1), hi = nodeAt(node, 2);
    // the leaf's classes four at a time, by whole blocks of the lane layout (lanes outside the leaf are
    // computed and ignored)
    for (let b = lo & ~3; b < hi; b += 4) {
      const blk = sLanes + (<usize>(b >> 2) * <usize>ds << 4);
      let acc = f32x4.splat(0);
      for (let f = 0; f < ds; f++) {
        const e = f32x4.sub(v128.load32_splat(q + (<usize>f << 2)), v128.load(blk + (<usize>f << 4)));
        acc = f32x4.add(acc, f32x4.mul(e, e));
      }
      v128.store(sRho4, acc);
      const from = max(b, lo), to = min(b + 4, hi);
      for (let p = from; p < to; p++) {
        const rho = <f64>load<f32>(sRho4 + (<usize>(p - b) << 2)) * sLower;
        if (rho > splitBound()) continue;
        const c = load<i32>(gPerm + (<usize>p << 2));
        store<f64>(cScrR + (<usize>cN << 3), rho);
        store<i32>(cScrC + (<usize>cN << 2), c);
        cN++;
        if (rho > cSkip) splitVisitClass(c, rho);
      }
    }
    return;
  }
  const diff = <f64>load<f32>(q + (<usize>dim << 2)) - <f64>load<f32>(gVals + (<usize>node << 2));
  const near = diff <= 0 ? nodeAt(node, 1) : nodeAt(node, 2);
  const far = diff <= 0 ? nodeAt(node, 2) : nodeAt(node, 1);
  splitWalk(near, rd);
  const po = gOff + (<usize>dim << 3);
  const old = load<f64>(po);
  const farRd = rd - old * old + diff * diff;
  if (farRd > splitBound()) return;
  store<f64>(po, diff);
  splitWalk(far, farRd);
  store<f64>(po, old);
}

// @ts-ignore: decorator
@inline function scrBefore(i: i32, j: i32): bool {
  const a = load<f64>(cScrR + (<usize>i << 3)), b = load<f64>(cScrR + (<usize>j << 3));
  return a < b || (a == b && load<i32>(cScrC + (<usize>i << 2)) < load<i32>(cScrC + (<usize>j << 2)));
}

// @ts-ignore: decorator
@inline function scrSwap(i: i32, j: i32): void {
  const pi = cScrR + (<usize>i << 3), pj = cScrR + (<usize>j << 3);
  const r = load<f64>(pi);
  store<f64>(pi, load<f64>(pj));
  store<f64>(pj, r);
  const qi = cScrC + (<usize>i << 2), qj = cScrC + (<usize>j << 2);
  const c = load<i32>(qi);
  store<i32>(qi, load<i32>(qj));
  store<i32>(qj, c);
}

function scrSiftDown(root: i32, n: i32): void {
  let j = root;
  while (true) {
    let c = 2 * j + 1;
    if (c >= n) return;
    if (c + 1 < n && scrBefore(c, c + 1)) c++;
    if (!scrBefore(j, c)) return;
    scrSwap(j, c);
    j = c;
  }
}

/** Sorts the scratch list by (ρ, class) (heapsort: no allocation). */
function scrSort(n: i32): void {
  for (let i = (n >> 1) - 1; i >= 0; i--) scrSiftDown(i, n);
  for (let end = n - 1; end > 0; end--) {
    scrSwap(0, end);
    scrSiftDown(0, end);
  }
}

function cacheClear(): void {
  memory.fill(cHead + C_HEAD, 0, <usize>cCap * <usize>cEntry);
  store<i32>(cHead, 0);
  store<i32>(cHead, 0, 4);
}

/** The slot of the group's state (a fresh one, length 0 and radius −1, on a miss). */
function cacheSlot(key: usize, ds: i32): usize {
  let h: u32 = <u32>cTag * 0x9e3779b1;
  for (let f = 0; f < ds; f++) h = (h ^ load<u32>(key + (<usize>f << 2))) * 0x01000193;
  h ^= h >> 15;
  const mask = <u32>cCap - 1;
  let i = h & mask;
  while (true) {
    const e = cHead + C_HEAD + <usize>i * <usize>cEntry;
    const t = load<i32>(e);
    if (t == 0) {
      if (load<i32>(cHead) + 1 > cCap >> 1) {
        cacheClear();
        return cacheSlot(key, ds);
      }
      store<i32>(cHead, load<i32>(cHead) + 1);
      store<i32>(e, cTag);
      store<i32>(e, 0, 4);
      store<i32>(e, 0, 8);
      store<f64>(e, -1.0, 16);
      memory.copy(e + C_KEY, key, <usize>ds << 2);
      return e;
    }
    if (t == cTag && memory.compare(e + C_KEY, key, <usize>ds << 2) == 0) return e;
    i = (i + 1) & mask;
  }
}

/** Searches the group sG0..sG1−1 (its k-lists reset); results in place. */
function splitGroup(): void {
  const ds = gD - 1;
  const key = sQueries + (<usize>(sG0 * gD + 1) << 2);
  let e = cacheSlot(key, ds);
  const len = load<i32>(e, 4);
  const off = load<i32>(e, 8);
  const R = load<f64>(e, 16);
  sWorst = Infinity;
  let p = 0;
  for (; p < len; p++) {
    const rho = load<f64>(cArR + (<usize>(off + p) << 3));
    if (rho > splitBound()) break;
    splitVisitClass(load<i32>(cArC + (<usize>(off + p) << 2)), rho);
  }
  // every class not listed has ρ > R: done when the bound is within R
  if (p < len || splitBound() <= R) return;
  cN = 0;
  cSkip = R;
  memory.fill(gOff, 0, <usize>ds << 3);
  splitWalk(0, 0.0);
  // the walk computed every class with ρ ≤ w: far cells were cut above the final bound, w plus a slack
  // far above f64 rounding once w ≥ RADIUS_MIN, and a class there has ρ ≥ its exact distance · lower²
  // (everything was computed when w = ∞)
  const w = sWorst;
  const trusted = min(w, w * (1.0 + PRUNE_REL) * sLower * sLower * (1.0 - 1e-12));
  const R2 = isFinite(w) ? (w >= RADIUS_MIN ? max(R, trusted) : R) : Infinity;
  if (!(R2 > R)) return;
  let n = 0;
  for (let j = 0; j < cN; j++) {
    const rho = load<f64>(cScrR + (<usize>j << 3));
    if (rho > R && rho <= R2) {
      store<f64>(cScrR + (<usize>n << 3), rho);
      store<i32>(cScrC + (<usize>n << 2), load<i32>(cScrC + (<usize>j << 2)));
      n++;
    }
  }
  scrSort(n);
  const total = len + n;
  if (total > cArCap) return;
  const oldR = cArR + (<usize>off << 3), oldC = cArC + (<usize>off << 2);
  if (load<i32>(cHead, 4) + total > cArCap) {
    cacheClear();
    e = cacheSlot(key, ds);
  }
  const at = load<i32>(cHead, 4);
  store<i32>(cHead, at + total, 4);
  const toR = cArR + (<usize>at << 3), toC = cArC + (<usize>at << 2);
  // the lists move (copies may overlap after a clear: memory.copy is a move)
  memory.copy(toR, oldR, <usize>len << 3);
  memory.copy(toC, oldC, <usize>len << 2);
  memory.copy(toR + (<usize>len << 3), cScrR, <usize>n << 3);
  memory.copy(toC + (<usize>len << 2), cScrC, <usize>n << 2);
  store<i32>(e, total, 4);
  store<i32>(e, at, 8);
  store<f64>(e, R2, 16);
}

/**
 * Exact k-NN of `nq` row-major queries (d f32) in a split index: `rows` the points (d f32 each),
 * `start`/`ids`/`times` the classes, `perm`/`nodes`/`vals` the k-d tree over them, `lanes` the classes'
 * state features in tree order (the class at position p of `perm` has feature f at ((p >> 2)·(d − 1) +
 * f)·4 + (p & 3); zero-padded to whole blocks, 16-byte aligned), `off` d f64 of scratch. `cache` is the
 * candidate-list cache (16 header bytes, then `cap` slots, a power of two, of 24 + 4·(d − 1) bytes
 * rounded up to 8; all zero when new), `arena`
 * room for `arenaCap` list positions (12 bytes each), `scratch` room for `classes` positions (the
 * bucket's class count); `tag` (≥ 1) tells the bucket apart from others sharing the cache. Writes k
 * indices and squared distances per query (ascending, ties to the lowest index); returns the number of
 * point distances computed.
 */
export function knnSplitSearch(
  rows: usize, d: i32, start: usize, ids: usize, times: usize, lanes: usize, perm: usize, nodes: usize,
  vals: usize, queries: usize, nq: i32, k: i32, outIdx: usize, outDist: usize, off: usize, cache: usize,
  cap: i32, arena: usize, arenaCap: i32, scratch: usize, classes: i32, tag: i32,
): f64 {
  gRows = rows; gD = d; gPerm = perm; gNodes = nodes; gVals = vals; gK = k; gOff = off;
  sStart = start; sIds = ids; sTimes = times; sLanes = lanes; sLower = splitLower(d - 1);
  sQueries = queries; sOutIdx = outIdx; sOutDist = outDist;
  cHead = cache; cCap = cap; cEntry = splitCacheEntryBytes(d);
  cArR = arena; cArC = arena + (<usize>arenaCap << 3); cArCap = arenaCap;
  cScrR = scratch; cScrC = scratch + (<usize>classes << 3); cClasses = classes; cTag = tag;
  gChecks = 0;
  let g0 = 0;
  while (g0 < nq) {
    let g1 = g0 + 1;
    while (g1 < nq) {
      const a = queries + (<usize>(g0 * d) << 2), b = queries + (<usize>(g1 * d) << 2);
      let f = 1;
      while (f < d && load<f32>(a + (<usize>f << 2)) == load<f32>(b + (<usize>f << 2))) f++;
      if (f < d) break;
      g1++;
    }
    for (let j = g0 * k; j < g1 * k; j++) {
      store<f32>(outDist + (<usize>j << 2), Infinity);
      store<i32>(outIdx + (<usize>j << 2), i32.MAX_VALUE);
    }
    sG0 = g0; sG1 = g1;
    splitGroup();
    g0 = g1;
  }
  return <f64>gChecks;
}

/** Bytes per slot of the split index's candidate-list cache for dimension d. */
export function splitCacheEntryBytes(d: i32): i32 {
  return (<i32>C_KEY + 4 * (d - 1) + 7) & ~7;
}

/**
 * The factor that turns a state distance summed in f32 over `ds` features into a lower bound of the exact
 * one: the sum's relative error is below (ds + 3)·2⁻²⁴, and the margin doubles that.
 */
export function splitLower(ds: i32): f64 {
  return 1.0 - <f64>(ds + 4) * 0.00000011920928955078125;
}
