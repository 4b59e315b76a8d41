/**
 * Qknn nearest-neighbour kernels on uniform f32 data (d = 15, the A1lim/K = 3 feature count):
 * - knn-scan: exact 1-NN by brute force, D = 10⁴ points, Q = 10³ queries, ns per point–query distance;
 * - knn-index: D = 10⁵ points, ns per query for the exact k-d tree and for the randomised forest
 *   (4 trees, 64 checks), the forest's recall measured against the exact answer.
 * Scan and index timings are CPU time (bench-line.ts); the qknn-step breakdown is wall time, with the
 * run's CPU time beside it.
 * - qknn-step: a whole training run (R-const, A1lim, T = 1, plain estimator, D = 500, WASM search), the
 *   backward steps' cost per (grid point, action), with the time breakdown.
 */
import { knnForestSearchJs, knnScanJs, knnTreeSearchJs } from '../src/baseline/knn.js';
import { KnnKernel } from '../src/kernels/knn.js';
import { compileKernels, Kernels } from '../src/kernels/wasm.js';
import { resolveQknnConfig } from '../src/qknn/config.js';
import { buildKdForest, buildKdTree } from '../src/qknn/knn-tree.js';
import { train } from '../src/qknn/solver.js';
import { type BenchLine, timeInterleaved } from './bench-line.js';

const D_SCAN = 10_000;
const Q_SCAN = 1000;
const DIM = 15;
const D_INDEX = 100_000;
const Q_INDEX = 1000;
const FOREST_TREES = 4;
const FOREST_CHECKS = 64;

function uniform(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296;
  }
  return out;
}

async function scanLines(k: Kernels): Promise<BenchLine[]> {
  const block = uniform(D_SCAN * DIM, 1); // column-major, stride D
  const queries = uniform(Q_SCAN * DIM, 2);
  const kernel = new KnnKernel(k);
  kernel.setBlock(block, D_SCAN, DIM);
  const idx = new Int32Array(Q_SCAN),
    dist = new Float32Array(Q_SCAN);
  const pairs = D_SCAN * Q_SCAN;
  const scratch = new Float32Array(D_SCAN);
  const t = timeInterleaved(
    {
      simd: { run: () => kernel.scan(0, D_SCAN, queries, Q_SCAN, idx, dist, true) },
      scalar: { run: () => kernel.scan(0, D_SCAN, queries, Q_SCAN, idx, dist, false) },
      js: { run: () => knnScanJs(block, D_SCAN, 0, D_SCAN, DIM, queries, Q_SCAN, idx, dist, scratch) },
    },
    5,
    1,
  );
  const simdMs = t.simd.medianMs,
    scalarMs = t.scalar.medianMs,
    jsMs = t.js.medianMs;
  const line = (engine: BenchLine['engine'], ms: number): BenchLine => ({
    kernel: 'knn-scan',
    engine,
    ns_per_distance: (ms * 1e6) / pairs,
    D: D_SCAN,
    Q: Q_SCAN,
    d: DIM,
    speedup_vs_js: jsMs / ms,
  });
  return [line('wasm-simd', simdMs), line('wasm', scalarMs), line('js', jsMs)];
}

async function indexLines(k: Kernels): Promise<BenchLine[]> {
  const rows = uniform(D_INDEX * DIM, 3); // row-major
  const queries = uniform(Q_INDEX * DIM, 4);
  const t0 = performance.now();
  const tree = buildKdTree(rows, D_INDEX, DIM, 8);
  const treeBuildMs = performance.now() - t0;
  const t1 = performance.now();
  const forest = buildKdForest(rows, D_INDEX, DIM, FOREST_TREES, 1);
  const forestBuildMs = performance.now() - t1;
  const exactI = new Int32Array(Q_INDEX),
    exactD = new Float32Array(Q_INDEX);
  const approxI = new Int32Array(Q_INDEX),
    approxD = new Float32Array(Q_INDEX);
  const kernel = new KnnKernel(k);
  let exactChecks = 0;
  let forestChecks = 0;
  // two kernel instances' worth of state would be needed to interleave tree and forest: time them apart
  kernel.setTree(tree);
  const te = timeInterleaved(
    {
      wasm: {
        run: () => {
          exactChecks = kernel.treeSearch(queries, Q_INDEX, 1, exactI, exactD);
        },
      },
      js: { run: () => knnTreeSearchJs(tree, queries, Q_INDEX, 1, exactI, exactD) },
    },
    3,
    1,
  );
  kernel.setTree(forest);
  const tf = timeInterleaved(
    {
      wasm: {
        run: () => {
          forestChecks = kernel.forestSearch(queries, Q_INDEX, 1, FOREST_CHECKS, approxI, approxD);
        },
      },
      js: { run: () => knnForestSearchJs(forest, queries, Q_INDEX, 1, FOREST_CHECKS, approxI, approxD) },
    },
    5,
    1,
  );
  const treeMs = te.wasm.medianMs,
    jsTreeMs = te.js.medianMs,
    forestMs = tf.wasm.medianMs,
    jsForestMs = tf.js.medianMs;
  let hits = 0;
  for (let q = 0; q < Q_INDEX; q++) if (approxI[q] === exactI[q]) hits++;
  const recall = hits / Q_INDEX;
  const line = (
    engine: BenchLine['engine'],
    exact: boolean,
    ms: number,
    checks: number,
    buildMs: number,
  ): BenchLine => ({
    kernel: 'knn-index',
    engine,
    ns_per_query: (ms * 1e6) / Q_INDEX,
    D: D_INDEX,
    d: DIM,
    exact: exact ? 'true' : 'false',
    recall: exact ? 1 : recall,
    distances_per_query: checks / Q_INDEX,
    build_ms: buildMs,
  });
  return [
    line('wasm', true, treeMs, exactChecks, treeBuildMs),
    line('js', true, jsTreeMs, exactChecks, treeBuildMs),
    line('wasm', false, forestMs, forestChecks, forestBuildMs),
    line('js', false, jsForestMs, forestChecks, forestBuildMs),
  ];
}

const STEP_D = 500;

function stepLine(k: Kernels): BenchLine {
  const c = resolveQknnConfig({ D: STEP_D, estimator: 'plain' });
  const cpu0 = process.cpuUsage();
  const r = train(c, { engine: 'wasm', kernel: new KnnKernel(k), skipCheck: true });
  const cpu = process.cpuUsage(cpu0);
  const t = r.timings;
  const backwardMs = t.enumerateMs + t.buildMs + t.queryMs;
  const pairs = r.gridPoints * 4;
  return {
    kernel: 'qknn-step',
    engine: 'wasm',
    ns_per_grid_point_action: (backwardMs * 1e6) / pairs,
    D: STEP_D,
    grid_points: r.gridPoints,
    queries: t.queries,
    ns_per_query: (t.queryMs * 1e6) / t.queries,
    simulate_ms: t.simulateMs,
    enumerate_ms: t.enumerateMs,
    build_ms: t.buildMs,
    query_ms: t.queryMs,
    wall_ms: t.totalMs,
    cpu_ms: (cpu.user + cpu.system) / 1000,
  };
}

export async function qknnBench(): Promise<BenchLine[]> {
  const k = new Kernels(await compileKernels('release'));
  return [...(await scanLines(k)), ...(await indexLines(k)), stepLine(k)];
}
