/**
 * Typed wrapper of the nearest-neighbour kernels (assembly/qknn/knn.ts). The searched data (a
 * column-major block for the scans, a tree or forest for the indexes) is loaded once and queried many
 * times; buffers are named slots that grow (never shrink) so a run allocates O(largest step) in total.
 */
import type { SplitIndex } from '../qknn/knn-split.js';
import type { KdForest } from '../qknn/knn-tree.js';
import type { KernelExports, Kernels } from './wasm.js';

interface KnnExports extends KernelExports {
  knnScanSimd(
    data: number,
    stride: number,
    from: number,
    to: number,
    d: number,
    queries: number,
    nq: number,
    outIdx: number,
    outDist: number,
  ): void;
  knnScan(
    data: number,
    stride: number,
    from: number,
    to: number,
    d: number,
    queries: number,
    nq: number,
    outIdx: number,
    outDist: number,
    scratch: number,
  ): void;
  knnTreeSearch(
    rows: number,
    d: number,
    perm: number,
    nodes: number,
    vals: number,
    queries: number,
    nq: number,
    k: number,
    outIdx: number,
    outDist: number,
    off: number,
  ): number;
  knnForestSearch(
    rows: number,
    d: number,
    perm: number,
    nodes: number,
    vals: number,
    roots: number,
    nTrees: number,
    queries: number,
    nq: number,
    k: number,
    maxChecks: number,
    outIdx: number,
    outDist: number,
    heapD: number,
    heapN: number,
    stamp: number,
    stamp0: number,
  ): number;
  knnSplitSearch(
    rows: number,
    d: number,
    start: number,
    ids: number,
    times: number,
    lanes: number,
    perm: number,
    nodes: number,
    vals: number,
    queries: number,
    nq: number,
    k: number,
    outIdx: number,
    outDist: number,
    off: number,
    cache: number,
    cap: number,
    arena: number,
    arenaCap: number,
    scratch: number,
    classes: number,
    tag: number,
  ): number;
  splitCacheEntryBytes(d: number): number;
}

/** A candidate-list cache of the split search in WASM memory (see knnSplitSearch). */
interface SplitCache {
  owner: object | number;
  ptr: number;
  cap: number;
  arena: number;
  arenaCap: number;
  bytes: number;
}

/** Candidate-list caches kept per instance: a step's own and other index (double estimator). */
const SPLIT_CACHES = 2;
/** Cache slots per point of the largest bucket (a power of two at least this), and its bounds. */
const CACHE_SLOTS_PER_POINT = 16;
const CACHE_SLOTS_MIN = 1 << 10;
const CACHE_SLOTS_MAX = 1 << 19;
/**
 * List positions per cache slot. A list holds ≈ 9 positions on average, so at 8 per slot a full cache
 * is cleared by its slots and its arena at about the same time; at D = 3·10⁴ (one worker) 2¹⁹ slots of
 * 8 cleared 12 times where 2¹⁷ of 32 (about the same bytes) cleared 64 times, all for want of slots.
 */
const ARENA_PER_SLOT = 8;
/** Bytes per arena position: a class (i32) and its state distance (f64). */
const ARENA_POSITION_BYTES = 12;

/** Slots of the candidate-list cache sized for buckets of up to n points. */
function splitCacheSlots(n: number): number {
  let cap = CACHE_SLOTS_MIN;
  while (cap < CACHE_SLOTS_PER_POINT * n && cap < CACHE_SLOTS_MAX) cap *= 2;
  return cap;
}

/**
 * Bytes one kernel instance's candidate-list caches take for buckets of up to n points of d features
 * (for memory plans). The slot size is bounded by 4·d + 24, the kernel's 24 + 4·(d − 1) rounded up to 8.
 */
export function splitCachesBytes(n: number, d: number): number {
  const cap = splitCacheSlots(n);
  return SPLIT_CACHES * (16 + cap * (4 * d + 24 + ARENA_PER_SLOT * ARENA_POSITION_BYTES) + 32);
}

type Slot =
  | 'block'
  | 'queries'
  | 'idx'
  | 'dist'
  | 'scratch'
  | 'rows'
  | 'perm'
  | 'nodes'
  | 'vals'
  | 'roots'
  | 'off'
  | 'heapD'
  | 'heapN'
  | 'stamp'
  | 'start'
  | 'ids'
  | 'times'
  | 'lanes';

export class KnnKernel {
  private readonly x: KnnExports;
  private readonly slots = new Map<Slot, { ptr: number; bytes: number }>();
  private blockStride = 0;
  private blockD = 0;
  private tree: { n: number; d: number; trees: number } | undefined;
  private split: { d: number; classes: number; cache: SplitCache; tag: number } | undefined;
  /** Candidate-list caches, most recently used last. */
  private readonly caches: SplitCache[] = [];
  /** The index whose arrays the slots hold (a repeated load is skipped). */
  private loaded: object | undefined;
  private stampNext = 0;

  constructor(private readonly k: Kernels) {
    this.x = k.exports as KnnExports;
  }

  /** The compiled module (other kernels of the same thread instantiate it). */
  get module(): WebAssembly.Module {
    return this.k.module;
  }

  /** Pointer to a slot of at least `bytes` (16-byte aligned); contents survive only while it fits. */
  private slot(name: Slot, bytes: number): number {
    const s = this.slots.get(name);
    if (s && s.bytes >= bytes) return s.ptr;
    const size = Math.max(bytes, Math.ceil((s?.bytes ?? 0) * 1.5), 64);
    const ptr = (this.x.alloc(size + 16) + 15) & ~15;
    this.slots.set(name, { ptr, bytes: size });
    return ptr;
  }

  private get buffer(): ArrayBuffer {
    return this.k.exports.memory.buffer;
  }

  /** Loads a column-major block (feature f of point i at f·stride + i) for the scans. */
  setBlock(data: Float32Array, stride: number, d: number): void {
    this.loaded = undefined;
    const ptr = this.slot('block', data.length * 4 + 16);
    new Float32Array(this.buffer, ptr, data.length).set(data);
    this.blockStride = stride;
    this.blockD = d;
  }

  private putQueries(queries: Float32Array, nq: number, d: number, k: number): [number, number, number] {
    const q = this.slot('queries', nq * d * 4);
    new Float32Array(this.buffer, q, nq * d).set(queries.subarray(0, nq * d));
    return [q, this.slot('idx', nq * k * 4), this.slot('dist', nq * k * 4)];
  }

  private takeResults(nq: number, k: number, outIdx: Int32Array, outDist: Float32Array): void {
    outIdx.set(new Int32Array(this.buffer, this.slot('idx', 0), nq * k));
    outDist.set(new Float32Array(this.buffer, this.slot('dist', 0), nq * k));
  }

  /** Exact 1-NN among block points from..to−1 (SIMD or scalar engine). */
  scan(
    from: number,
    to: number,
    queries: Float32Array,
    nq: number,
    outIdx: Int32Array,
    outDist: Float32Array,
    simd = true,
  ): void {
    const d = this.blockD;
    const [q, oi, od] = this.putQueries(queries, nq, d, 1);
    const data = this.slot('block', 0);
    if (simd) this.x.knnScanSimd(data, this.blockStride, from, to, d, q, nq, oi, od);
    else {
      const scratch = this.slot('scratch', (to - from) * 4);
      this.x.knnScan(data, this.blockStride, from, to, d, q, nq, oi, od, scratch);
    }
    this.takeResults(nq, 1, outIdx, outDist);
  }

  private put(name: Slot, src: Int32Array | Float32Array): void {
    const ptr = this.slot(name, src.byteLength);
    if (src instanceof Int32Array) new Int32Array(this.buffer, ptr, src.length).set(src);
    else new Float32Array(this.buffer, ptr, src.length).set(src);
  }

  /**
   * The candidate-list cache of `owner` (the caller's index of a whole step, whose buckets tell
   * themselves apart by tag): kept while owner is among the SPLIT_CACHES last used, else the least
   * recently used cache is cleared and handed over. Sized for buckets of up to n points.
   */
  private splitCache(owner: object | number, n: number, d: number): SplitCache {
    const i = this.caches.findIndex((c) => c.owner === owner);
    const entry = this.x.splitCacheEntryBytes(d);
    const cap = splitCacheSlots(n);
    const fits = (c: SplitCache | undefined): c is SplitCache =>
      c !== undefined && c.cap >= cap && c.bytes >= 16 + entry * c.cap;
    let c = i >= 0 ? this.caches.splice(i, 1)[0] : undefined;
    if (fits(c)) {
      this.caches.push(c);
      return c;
    }
    if (!c && this.caches.length >= SPLIT_CACHES) c = this.caches.shift();
    if (!fits(c)) {
      // a larger cache is allocated anew (the instance's allocator never frees)
      const bytes = 16 + entry * cap;
      const arenaCap = ARENA_PER_SLOT * cap;
      c = {
        owner,
        ptr: (this.x.alloc(bytes + 16) + 15) & ~15,
        cap,
        arena: (this.x.alloc(arenaCap * ARENA_POSITION_BYTES + 16) + 15) & ~15,
        arenaCap,
        bytes,
      };
    }
    c.owner = owner;
    new Uint8Array(this.buffer, c.ptr, 16 + entry * c.cap).fill(0);
    this.caches.push(c);
    return c;
  }

  /**
   * Loads a time/state split index (exact search). `owner` and `tag` name the candidate-list cache it
   * uses: the buckets of one step's index share their owner's cache under distinct tags (≥ 1).
   */
  setSplit(ix: SplitIndex, owner: object | number = ix, tag = 1): void {
    const maxD = this.k.constant('SPLIT_MAX_D');
    if (ix.d > maxD)
      throw new Error(`knn kernel: the split index supports at most ${maxD} features, not ${ix.d}`);
    const cache = this.splitCache(owner, ix.n, ix.d);
    const classes = ix.start.length - 1;
    this.slot('scratch', classes * 12);
    if (this.loaded === ix) {
      this.split = { d: ix.d, classes, cache, tag };
      return;
    }
    const put = (name: Slot, src: Int32Array | Float32Array) => this.put(name, src);
    put('rows', ix.rows);
    put('start', ix.start);
    put('ids', ix.ids);
    put('times', ix.times);
    put('lanes', ix.lanes);
    put('perm', ix.tree.perm);
    put('nodes', ix.tree.nodes);
    put('vals', ix.tree.vals);
    this.slot('off', ix.d * 8);
    this.split = { d: ix.d, classes, cache, tag };
    this.loaded = ix;
  }

  /** Exact k-NN in the loaded split index; returns the distances computed. */
  splitSearch(
    queries: Float32Array,
    nq: number,
    k: number,
    outIdx: Int32Array,
    outDist: Float32Array,
  ): number {
    const ix = this.split;
    if (!ix) throw new Error('knn kernel: no split index loaded');
    const [q, oi, od] = this.putQueries(queries, nq, ix.d, k);
    const s = (name: Slot) => this.slot(name, 0);
    const checks = this.x.knnSplitSearch(
      s('rows'),
      ix.d,
      s('start'),
      s('ids'),
      s('times'),
      s('lanes'),
      s('perm'),
      s('nodes'),
      s('vals'),
      q,
      nq,
      k,
      oi,
      od,
      s('off'),
      ix.cache.ptr,
      ix.cache.cap,
      ix.cache.arena,
      ix.cache.arenaCap,
      s('scratch'),
      ix.classes,
      ix.tag,
    );
    this.takeResults(nq, k, outIdx, outDist);
    return checks;
  }

  /** Loads a tree (exact search) or forest (approximate search). */
  setTree(t: KdForest): void {
    this.loaded = undefined;
    const put = (name: Slot, src: Int32Array | Float32Array) => this.put(name, src);
    put('rows', t.rows);
    put('perm', t.perm);
    put('nodes', t.nodes);
    put('vals', t.vals);
    put('roots', t.roots);
    const nNodes = t.vals.length;
    this.slot('off', t.d * 8);
    this.slot('heapD', nNodes * 8);
    this.slot('heapN', nNodes * 4);
    const stampBytes = t.n * 4;
    const stamp = this.slot('stamp', stampBytes);
    new Int32Array(this.buffer, stamp, t.n).fill(-1);
    this.stampNext = 0;
    this.tree = { n: t.n, d: t.d, trees: t.roots.length };
  }

  /** Exact k-NN in the loaded tree (its first root); returns the distances computed. */
  treeSearch(
    queries: Float32Array,
    nq: number,
    k: number,
    outIdx: Int32Array,
    outDist: Float32Array,
  ): number {
    const t = this.tree;
    if (!t) throw new Error('knn kernel: no tree loaded');
    const [q, oi, od] = this.putQueries(queries, nq, t.d, k);
    const s = (name: Slot) => this.slot(name, 0);
    const checks = this.x.knnTreeSearch(
      s('rows'),
      t.d,
      s('perm'),
      s('nodes'),
      s('vals'),
      q,
      nq,
      k,
      oi,
      od,
      s('off'),
    );
    this.takeResults(nq, k, outIdx, outDist);
    return checks;
  }

  /** Approximate k-NN in the loaded forest with at most ~maxChecks distances per query. */
  forestSearch(
    queries: Float32Array,
    nq: number,
    k: number,
    maxChecks: number,
    outIdx: Int32Array,
    outDist: Float32Array,
  ): number {
    const t = this.tree;
    if (!t) throw new Error('knn kernel: no forest loaded');
    if (this.stampNext + nq >= 0x7fffffff) {
      new Int32Array(this.buffer, this.slot('stamp', 0), t.n).fill(-1);
      this.stampNext = 0;
    }
    const [q, oi, od] = this.putQueries(queries, nq, t.d, k);
    const s = (name: Slot) => this.slot(name, 0);
    const checks = this.x.knnForestSearch(
      s('rows'),
      t.d,
      s('perm'),
      s('nodes'),
      s('vals'),
      s('roots'),
      t.trees,
      q,
      nq,
      k,
      maxChecks,
      oi,
      od,
      s('heapD'),
      s('heapN'),
      s('stamp'),
      this.stampNext,
    );
    this.stampNext += nq;
    this.takeResults(nq, k, outIdx, outDist);
    return checks;
  }
}
