/**
 * The nearest-neighbour index of one step's grid (spec §4.6, §7): features scaled by w_f/sd_f of that
 * grid, points bucketed by inventory when matching y exactly (a query whose y is absent goes to the
 * nearest y present, the lower one on a tie), and per bucket a brute-force block, an exact index that
 * splits time from the integer state features (knn-split.ts; the default above `bruteMax` points), an
 * exact k-d tree or a randomised forest. Queries are searched in batches grouped by bucket; results are grid indices, ties
 * to the lowest grid index in the exact modes. Engines: the WASM kernels or their TS twin.
 */
import { knnForestSearchJs, knnScanJs, knnTreeSearchJs } from '../baseline/knn.js';
import { splitSearch } from '../baseline/knn-split.js';
import type { ScalarEngine } from '../kernels/engine.js';
import type { KnnKernel } from '../kernels/knn.js';
import type { QknnConfig } from './config.js';
import { F_Y, type FeatureSpec, featureScale } from './features.js';
import type { GridFeatures } from './grids.js';
import { buildSplitIndex, type SplitIndex } from './knn-split.js';
import { buildKdForest, buildKdTree, type KdForest } from './knn-tree.js';

export interface Bucket {
  /** Grid indices of the members, ascending (bucket-local index → grid index). */
  readonly members: Int32Array;
  readonly mode: 'brute' | 'tree' | 'forest' | 'split';
  /** Column-major scaled block (brute) or the tree/forest over the row-major scaled members. */
  readonly block?: Float32Array;
  readonly tree?: KdForest;
  readonly split?: SplitIndex;
}

export interface SearchTimes {
  buildMs: number;
  queryMs: number;
  /** Queries searched (distinct rows) and the successor reads they answered (before the cache). */
  queries: number;
  lookups?: number;
}

/**
 * A built index as plain data whose arrays live in SharedArrayBuffers: posted to pool workers, it is
 * shared, not copied (src/qknn/pool.ts), and each worker wraps it in a StepIndex of its own.
 */
export interface SharedStepIndex {
  /** Names the index in the workers' kernels (their candidate-list caches outlive one task). */
  readonly id: number;
  readonly scale: Float64Array;
  readonly ys: number[];
  readonly buckets: [number, Bucket][];
}

/** Ids of the indexes shared with workers, unique within the host process. */
let nextSharedId = 1;

type Typed = Float64Array | Float32Array | Int32Array | Int16Array;

/** A copy of `a` in a SharedArrayBuffer (posted to a worker, it is shared, not copied). */
export function shared<T extends Typed>(a: T): T {
  const ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

function sharedForest(t: KdForest): KdForest {
  return {
    n: t.n,
    d: t.d,
    rows: shared(t.rows),
    perm: shared(t.perm),
    nodes: shared(t.nodes),
    vals: shared(t.vals),
    roots: shared(t.roots),
  };
}

function sharedBucket(b: Bucket): Bucket {
  const s = b.split;
  return {
    members: shared(b.members),
    mode: b.mode,
    ...(b.block ? { block: shared(b.block) } : {}),
    ...(b.tree ? { tree: sharedForest(b.tree) } : {}),
    ...(s
      ? {
          split: {
            n: s.n,
            d: s.d,
            rows: shared(s.rows),
            start: shared(s.start),
            ids: shared(s.ids),
            times: shared(s.times),
            tree: sharedForest(s.tree),
            lanes: shared(s.lanes),
          },
        }
      : {}),
  };
}

export class StepIndex {
  readonly scale: Float64Array;
  private readonly buckets = new Map<number, Bucket>();
  private readonly ys: number[];
  /** The buckets in a fixed order (a bucket's position + 1 is its tag in the kernel's list cache). */
  private readonly order: Bucket[] = [];
  private readonly ordOfY = new Map<number, number>();
  /** Who owns the kernel's candidate-list cache for this index: the shared index's id, or this. */
  private readonly cacheOwner: object | number = this;
  private ordQ = new Int32Array(0);
  private byBucket = new Int32Array(0);
  private qs = new Float32Array(0);
  private idx = new Int32Array(0);
  private dist = new Float32Array(0);

  /** Builds the index of a step's grid, or wraps one shared by the host (no copy, no build time). */
  constructor(
    grid: GridFeatures | SharedStepIndex,
    private readonly spec: FeatureSpec,
    private readonly c: QknnConfig,
    private readonly engine: ScalarEngine,
    private readonly kernel: KnnKernel | undefined,
    readonly times: SearchTimes,
  ) {
    if ('buckets' in grid) {
      this.scale = grid.scale;
      this.ys = grid.ys;
      this.cacheOwner = grid.id;
      for (const [key, b] of grid.buckets) this.buckets.set(key, b);
      this.order.push(...this.buckets.values());
      return;
    }
    const t0 = performance.now();
    const { d } = spec;
    this.scale = featureScale(spec, grid.feats, grid.count);
    const groups = new Map<number, number[]>();
    for (let i = 0; i < grid.count; i++) {
      const key = c.exactY ? (grid.feats[i * d + F_Y] as number) : 0;
      let g = groups.get(key);
      if (!g) {
        g = [];
        groups.set(key, g);
      }
      g.push(i);
    }
    this.ys = [...groups.keys()].sort((a, b) => a - b);
    for (const [key, list] of groups) {
      const members = Int32Array.from(list);
      const n = members.length;
      const rows = new Float32Array(n * d);
      for (let j = 0; j < n; j++) {
        const src = (members[j] as number) * d;
        for (let f = 0; f < d; f++)
          rows[j * d + f] = (grid.feats[src + f] as number) * (this.scale[f] as number);
      }
      let mode: Bucket['mode'] =
        c.index === 'auto' ? (n <= c.bruteMax && c.k === 1 ? 'brute' : 'split') : c.index;
      if (mode === 'brute' && c.k > 1) mode = 'split';
      if (mode === 'brute') {
        const block = new Float32Array(n * d);
        for (let j = 0; j < n; j++) for (let f = 0; f < d; f++) block[f * n + j] = rows[j * d + f] as number;
        this.buckets.set(key, { members, mode, block });
      } else if (mode === 'split') {
        this.buckets.set(key, { members, mode, split: buildSplitIndex(rows, n, d) });
      } else if (mode === 'tree') {
        this.buckets.set(key, { members, mode, tree: buildKdTree(rows, n, d, 8) });
      } else {
        this.buckets.set(key, { members, mode, tree: buildKdForest(rows, n, d, c.forestTrees, 1) });
      }
    }
    this.order.push(...this.buckets.values());
    times.buildMs += performance.now() - t0;
  }

  /** This index with every array copied once into SharedArrayBuffers, for the pool's workers. */
  toShared(): SharedStepIndex {
    return {
      id: nextSharedId++,
      scale: shared(this.scale),
      ys: this.ys,
      buckets: [...this.buckets].map(([key, b]) => [key, sharedBucket(b)]),
    };
  }

  /** The bucket key serving inventory y. */
  bucketKey(y: number): number {
    if (!this.c.exactY) return 0;
    if (this.buckets.has(y)) return y;
    const ys = this.ys;
    let best = ys[0] as number;
    for (const v of ys) if (Math.abs(v - y) < Math.abs(best - y)) best = v;
    return best;
  }

  /** Position in `order` of the bucket serving inventory y (memoised: inventories are few). */
  private bucketOf(y: number): number {
    let o = this.ordOfY.get(y);
    if (o === undefined) {
      o = this.order.indexOf(this.buckets.get(this.bucketKey(y)) as Bucket);
      this.ordOfY.set(y, o);
    }
    return o;
  }

  /** Scratch of `search`, grown as needed and kept across calls. */
  private grow<T extends Float32Array | Int32Array>(a: T, n: number): T {
    if (a.length >= n) return a;
    const ctor = a.constructor as new (n: number) => T;
    return new ctor(Math.max(n, Math.ceil(a.length * 1.5)));
  }

  /**
   * k nearest grid points of nq unscaled row-major queries (k per query into outIdx, grid indices);
   * `lookups` = the successor reads these rows answer (for the timings).
   */
  search(queries: Float64Array, nq: number, outIdx: Int32Array, lookups = nq): void {
    const t0 = performance.now();
    const { d } = this.spec;
    const k = this.c.k;
    const nb = this.order.length;
    // queries by bucket, in their order within a bucket (a stable counting sort)
    this.ordQ = this.grow(this.ordQ, nq);
    this.byBucket = this.grow(this.byBucket, nq);
    const ordQ = this.ordQ,
      byBucket = this.byBucket;
    const first = new Int32Array(nb + 1);
    for (let q = 0; q < nq; q++) {
      const o = this.bucketOf(queries[q * d + F_Y] as number);
      ordQ[q] = o;
      first[o + 1] = (first[o + 1] as number) + 1;
    }
    for (let o = 0; o < nb; o++) first[o + 1] = (first[o + 1] as number) + (first[o] as number);
    const fill = first.slice(0, nb);
    for (let q = 0; q < nq; q++) {
      const o = ordQ[q] as number;
      byBucket[fill[o] as number] = q;
      fill[o] = (fill[o] as number) + 1;
    }
    const scale = this.scale;
    for (let o = 0; o < nb; o++) {
      const lo = first[o] as number,
        m = (first[o + 1] as number) - lo;
      if (m === 0) continue;
      const b = this.order[o] as Bucket;
      this.qs = this.grow(this.qs, m * d);
      this.idx = this.grow(this.idx, m * k);
      this.dist = this.grow(this.dist, m * k);
      const { qs, idx, dist } = this;
      for (let j = 0; j < m; j++) {
        const src = (byBucket[lo + j] as number) * d;
        for (let f = 0; f < d; f++) qs[j * d + f] = (queries[src + f] as number) * (scale[f] as number);
      }
      this.run(b, o + 1, qs, m, idx, dist);
      const n = b.members.length;
      for (let j = 0; j < m; j++) {
        const q = byBucket[lo + j] as number;
        for (let r = 0; r < k; r++) {
          // fewer than k members: repeat the nearest
          const local = (idx[j * k + r] as number) < n ? idx[j * k + r] : idx[j * k];
          outIdx[q * k + r] = b.members[local as number] as number;
        }
      }
    }
    this.times.queryMs += performance.now() - t0;
    this.times.queries += nq;
    this.times.lookups = (this.times.lookups ?? 0) + lookups;
  }

  /** Searches m scaled queries in bucket b, whose tag in the kernel's list cache is `tag`. */
  private run(
    b: Bucket,
    tag: number,
    qs: Float32Array,
    m: number,
    idx: Int32Array,
    dist: Float32Array,
  ): void {
    const n = b.members.length;
    const { d } = this.spec;
    const k = this.c.k;
    if (b.mode === 'brute') {
      const block = b.block as Float32Array;
      if (this.engine === 'wasm' && this.kernel) {
        this.kernel.setBlock(block, n, d);
        this.kernel.scan(0, n, qs, m, idx, dist, true);
      } else knnScanJs(block, n, 0, n, d, qs, m, idx, dist, new Float32Array(n));
      return;
    }
    if (b.mode === 'split') {
      if (this.engine === 'wasm' && this.kernel) {
        this.kernel.setSplit(b.split as SplitIndex, this.cacheOwner, tag);
        this.kernel.splitSearch(qs, m, k, idx, dist);
      } else splitSearch(b.split as SplitIndex, qs, m, k, idx, dist);
      return;
    }
    const tree = b.tree as KdForest;
    if (this.engine === 'wasm' && this.kernel) {
      this.kernel.setTree(tree);
      if (b.mode === 'tree') this.kernel.treeSearch(qs, m, k, idx, dist);
      else this.kernel.forestSearch(qs, m, k, this.c.forestChecks, idx, dist);
    } else if (b.mode === 'tree') knnTreeSearchJs(tree, qs, m, k, idx, dist);
    else knnForestSearchJs(tree, qs, m, k, this.c.forestChecks, idx, dist);
  }
}
