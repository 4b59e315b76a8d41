/**
 * Qknn nearest-neighbour kernels on uniform f32 data (d = 15, the A1lim/K = 3 feature count):
 * - knn-scan: exact 1-NN by brute force, D = 10⁴ points, Q = 10³ queries, ns per point–query distance;
 *   beside the engines, a native AVX2 build of the same scan (bench/native/knn-scan.c) when a C compiler
 *   is on the PATH, as the reference the WASM SIMD scan is measured against (its answer must match);
 * - knn-index: D = 10⁵ points, ns per query for the exact k-d tree and for the randomised forest
 *   (4 trees, 64 checks), the forest's recall measured against the exact answer.
 * Scan and index timings are CPU time (bench-line.ts); the qknn-step breakdown is wall time, with the
 * run's CPU time beside it.
 * - knn-index on grid features ("data":"grid"): the index is one step's grid of a D = 2·10⁴ training
 *   simulation (R-const, A1lim, step 10, ≈2·10⁴ points, scaled as the solver scales them), the queries
 *   the previous step's grid points with the L = 8 waiting-time points of the quantizer added to their
 *   time (one successor's queries share their state features); exact split index, exact tree, brute
 *   force and the forest at several check budgets, its recall measured against the exact answer.
 * - qknn-step: a whole training run in the recommended configuration (R-const, A1lim, T = 1, double
 *   estimator, D = 10³ per set, WASM search, the policy-evaluation check included), the backward steps'
 *   cost per (grid point, action), with the time breakdown; then the same in product time mode
 *   (J = 20 time points per state; a grid point there is one (state, time point) entry).
 * - qknn-enumerate: the batched exact enumeration of the next event (recommended configuration, A1lim,
 *   every step's grid of a D = 300 simulation, all actions, chunks of 512 grid points as the solver
 *   calls it), the WASM kernel against its TS twin, CPU time per (grid point, action).
 * QKNN_BENCH_ONLY=scan | grid | step | enumerate prints only those lines (the full set takes minutes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { knnForestSearchJs, knnScanJs, knnTreeSearchJs } from '../src/baseline/knn.js';
import { splitSearch } from '../src/baseline/knn-split.js';
import { EnumeratorJs, enumerationSetup, type SuccessorBatch } from '../src/baseline/qknn-enumerate.js';
import { KnnKernel } from '../src/kernels/knn.js';
import { EnumerateKernel } from '../src/kernels/qknn-enumerate.js';
import { compileKernels, Kernels } from '../src/kernels/wasm.js';
import { qknnModel, resolveQknnConfig, timePoints } from '../src/qknn/config.js';
import { featureScale, featureSpec, qknnFeatureSpec } from '../src/qknn/features.js';
import { fullStates, gridFeatures, simulateGrids } from '../src/qknn/grids.js';
import { buildSplitIndex } from '../src/qknn/knn-split.js';
import { buildKdForest, buildKdTree } from '../src/qknn/knn-tree.js';
import { expQuantizer } from '../src/qknn/quantizer.js';
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
  const lines = [line('wasm-simd', simdMs), line('wasm', scalarMs), line('js', jsMs)];
  const nativeNs = nativeScan(indexHash(idx));
  if (nativeNs !== undefined) {
    const nativeMs = nativeNs * 1e-6 * pairs;
    lines.push({ ...line('native-avx2', nativeMs), wasm_simd_ratio: simdMs / nativeMs });
  }
  return lines;
}

/** FNV-1a over the answer indices, as the native scan prints it. */
function indexHash(idx: Int32Array): number {
  let h = 2166136261;
  for (const i of idx) h = Math.imul(h ^ (i >>> 0), 16777619) >>> 0;
  return h;
}

/**
 * ns per distance of the native AVX2 scan, compiled here with the system's C compiler, or undefined
 * (with a note on stderr) when there is no compiler or no AVX2. Its answer must hash like the WASM one.
 */
function nativeScan(wasmHash: number): number | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  // bench/ when run from source, dist/bench/ when built
  const source = [
    join(here, 'native', 'knn-scan.c'),
    join(here, '..', '..', 'bench', 'native', 'knn-scan.c'),
  ].find(existsSync);
  if (source === undefined) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'quantrl-native-'));
  try {
    const exe = join(dir, 'knn-scan');
    const cc = spawnSync('cc', ['-O3', '-mavx2', '-ffp-contract=off', '-o', exe, source], {
      encoding: 'utf8',
    });
    if (cc.status !== 0) {
      process.stderr.write(
        `bench: no native AVX2 reference (cc: ${cc.error?.message ?? cc.stderr.trim()})\n`,
      );
      return undefined;
    }
    const run = spawnSync(exe, [String(D_SCAN), String(Q_SCAN), String(DIM), '5'], { encoding: 'utf8' });
    if (run.status !== 0)
      throw new Error(`bench: the native scan failed (${run.error?.message ?? run.stderr.trim()})`);
    const out = JSON.parse(run.stdout) as {
      ns_per_distance?: number;
      index_hash?: number;
      unsupported?: string;
    };
    if (out.ns_per_distance === undefined) {
      process.stderr.write(`bench: no native AVX2 reference (${out.unsupported ?? run.stderr.trim()})\n`);
      return undefined;
    }
    if (out.index_hash !== wasmHash)
      throw new Error('bench: the native scan found other neighbours than the WASM scan');
    return out.ns_per_distance;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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

const GRID_D = 20_000;
const GRID_STEP = 10;
const GRID_Q = 500;
/** Total event intensity used to turn quantizer points into time offsets (R-const is ≈ this). */
const GRID_LAMBDA = 30;

async function gridLines(k: Kernels): Promise<BenchLine[]> {
  const c = resolveQknnConfig({ D: GRID_D });
  const model = qknnModel(c);
  const spec = featureSpec(model.K, model.T, c.canonical, model.aInf, model.bInf, c.presenceWeight);
  const { grids } = simulateGrids(c, model, spec, 'A');
  const gridN = grids[GRID_STEP + 1],
    fromN = grids[GRID_STEP];
  if (!gridN || !fromN) throw new Error('bench: grid too short');
  const g = gridFeatures(spec, gridN),
    from = gridFeatures(spec, fromN);
  const { d } = spec;
  const scale = featureScale(spec, g.feats, g.count);
  const n = g.count;
  const rows = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) rows[i] = (g.feats[i] as number) * (scale[i % d] as number);
  const block = new Float32Array(n * d);
  for (let j = 0; j < n; j++) for (let f = 0; f < d; f++) block[f * n + j] = rows[j * d + f] as number;
  const q = expQuantizer(8);
  const L = q.L;
  const nq = Math.min(GRID_Q, from.count) * L;
  const queries = new Float32Array(nq * d);
  for (let i = 0; i < nq / L; i++)
    for (let l = 0; l < L; l++) {
      const o = (i * L + l) * d;
      for (let f = 0; f < d; f++) queries[o + f] = (from.feats[i * d + f] as number) * (scale[f] as number);
      const togo = (from.feats[i * d] as number) - (q.points[l] as number) / GRID_LAMBDA;
      queries[o] = togo * (scale[0] as number);
    }
  const t0 = performance.now();
  const split = buildSplitIndex(rows, n, d);
  const splitBuildMs = performance.now() - t0;
  const t1 = performance.now();
  const tree = buildKdTree(rows, n, d, 8);
  const treeBuildMs = performance.now() - t1;
  const exactI = new Int32Array(nq),
    exactD = new Float32Array(nq),
    outI = new Int32Array(nq),
    outD = new Float32Array(nq);
  const kernel = new KnnKernel(k);
  let splitChecks = 0,
    treeChecks = 0;
  const splitKernel = new KnnKernel(k);
  kernel.setBlock(block, n, d);
  const tb = timeInterleaved(
    {
      // each run starts from empty candidate lists (a new owner in the kernel, a new index object in
      // the twin), so repeated runs do not read lists cached by the previous one
      split: {
        run: () => {
          splitKernel.setSplit(split, {});
          splitKernel.splitSearch(queries, nq, 1, outI, outD);
        },
      },
      splitJs: {
        run: () => {
          splitChecks = splitSearch({ ...split }, queries, nq, 1, exactI, exactD);
        },
      },
      simd: { run: () => kernel.scan(0, n, queries, nq, outI, outD, true) },
    },
    3,
    1,
  );
  for (let j = 0; j < nq; j++) if (outI[j] !== exactI[j]) throw new Error('bench: split ≠ brute force');
  kernel.setTree(tree);
  const tt = timeInterleaved(
    {
      wasm: {
        run: () => {
          treeChecks = kernel.treeSearch(queries, nq, 1, outI, outD);
        },
      },
    },
    3,
    1,
  );
  const common = { D: n, d, Q: nq, data: 'grid' };
  const splitLine = (engine: BenchLine['engine'], ms: number): BenchLine => ({
    kernel: 'knn-index',
    engine,
    index: 'split',
    ns_per_query: (ms * 1e6) / nq,
    ...common,
    exact: 'true',
    recall: 1,
    distances_per_query: splitChecks / nq,
    classes: split.start.length - 1,
    build_ms: splitBuildMs,
  });
  const lines: BenchLine[] = [
    splitLine('wasm', tb.split.medianMs),
    splitLine('js', tb.splitJs.medianMs),
    {
      kernel: 'knn-index',
      engine: 'wasm',
      index: 'tree',
      ns_per_query: (tt.wasm.medianMs * 1e6) / nq,
      ...common,
      exact: 'true',
      recall: 1,
      distances_per_query: treeChecks / nq,
      build_ms: treeBuildMs,
    },
    {
      kernel: 'knn-index',
      engine: 'wasm-simd',
      index: 'brute',
      ns_per_query: (tb.simd.medianMs * 1e6) / nq,
      ...common,
      exact: 'true',
      recall: 1,
      distances_per_query: n,
    },
  ];
  for (const checks of [64, 256, 1024]) {
    const t2 = performance.now();
    const forest = buildKdForest(rows, n, d, FOREST_TREES, 1);
    const buildMs = performance.now() - t2;
    kernel.setTree(forest);
    let got = 0;
    const tf = timeInterleaved(
      {
        wasm: {
          run: () => {
            got = kernel.forestSearch(queries, nq, 1, checks, outI, outD);
          },
        },
      },
      3,
      1,
    );
    let hits = 0;
    for (let j = 0; j < nq; j++) if (outD[j] === exactD[j]) hits++;
    lines.push({
      kernel: 'knn-index',
      engine: 'wasm',
      index: 'forest',
      ns_per_query: (tf.wasm.medianMs * 1e6) / nq,
      ...common,
      exact: 'false',
      recall: hits / nq,
      distances_per_query: got / nq,
      checks,
      trees: FOREST_TREES,
      build_ms: buildMs,
    });
  }
  return lines;
}

const STEP_D = 1000;

function stepLine(k: Kernels, timeMode: 'joint' | 'product'): BenchLine {
  const c = resolveQknnConfig({ D: STEP_D, timeMode });
  const cpu0 = process.cpuUsage();
  const r = train(c, { engine: 'wasm', kernel: new KnnKernel(k) });
  const cpu = process.cpuUsage(cpu0);
  const t = r.timings;
  const backwardMs = t.enumerateMs + t.buildMs + t.queryMs;
  // product mode: a grid point is a (state, time point) entry of the step's table
  const pairs = r.gridPoints * timePoints(c) * 4;
  return {
    kernel: 'qknn-step',
    engine: 'wasm',
    time_mode: timeMode,
    ns_per_grid_point_action: (backwardMs * 1e6) / pairs,
    D: STEP_D,
    estimator: c.estimator,
    time_points: timePoints(c),
    grid_points: r.gridPoints,
    queries: t.queries,
    lookups: t.lookups,
    ns_per_query: (t.queryMs * 1e6) / t.queries,
    simulate_ms: t.simulateMs,
    enumerate_ms: t.enumerateMs,
    build_ms: t.buildMs,
    query_ms: t.queryMs,
    wall_ms: t.totalMs,
    cpu_ms: (cpu.user + cpu.system) / 1000,
  };
}

const ENUM_D = 300;
const ENUM_CHUNK = 512;

async function enumerateLines(): Promise<BenchLine[]> {
  const c = resolveQknnConfig({ D: ENUM_D });
  const model = qknnModel(c);
  const spec = qknnFeatureSpec(c, model);
  const setup = enumerationSetup(c, model, spec, expQuantizer(c.L), ENUM_CHUNK);
  const { grids } = simulateGrids(c, model, spec, 'A');
  const actions = Array.from({ length: setup.nA }, (_, a) => a);
  const q0 = new Float64Array(ENUM_CHUNK * setup.nA);
  const points = grids.reduce((s, g) => s + g.count, 0);
  // the batch reads whole state blocks (the solver expands each chunk the same way)
  const full = grids.map(fullStates);
  let queries = 0;
  const pass = (b: SuccessorBatch) => () => {
    queries = 0;
    grids.forEach((g, n) => {
      for (let from = 0; from < g.count; from += ENUM_CHUNK) {
        b.enumerate(
          full[n] as Int32Array,
          g.times,
          from,
          Math.min(g.count, from + ENUM_CHUNK),
          actions,
          true,
          q0,
        );
        queries += b.nq;
      }
    });
  };
  const kernel = new EnumerateKernel(new Kernels(await compileKernels('release')), setup);
  const t = timeInterleaved(
    { wasm: { run: pass(kernel) }, js: { run: pass(new EnumeratorJs(setup)) } },
    3,
    1,
  );
  const pairs = points * setup.nA;
  return (['wasm', 'js'] as const).map((engine) => ({
    kernel: 'qknn-enumerate',
    engine,
    ns_per_grid_point_action: (t[engine].medianMs * 1e6) / pairs,
    D: ENUM_D,
    actions: c.actions,
    grid_points: points,
    query_rows: queries,
    speedup_vs_js: t.js.medianMs / t[engine].medianMs,
  }));
}

export async function qknnBench(): Promise<BenchLine[]> {
  const k = new Kernels(await compileKernels('release'));
  const only = process.env.QKNN_BENCH_ONLY;
  if (only === 'scan') return scanLines(k);
  if (only === 'grid') return gridLines(k);
  const steps = () => [stepLine(k, 'joint'), stepLine(k, 'product')];
  if (only === 'step') return steps();
  if (only === 'enumerate') return enumerateLines();
  return [
    ...(await scanLines(k)),
    ...(await indexLines(k)),
    ...(await gridLines(k)),
    ...(await enumerateLines()),
    ...steps(),
  ];
}
